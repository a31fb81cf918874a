import Testing
@testable import Lessons
@testable import Sim

@Suite struct GraphWalkthroughTests {
    /// Note 000's example, written with its named intermediates.
    @Test func lectureExampleLines() throws {
        let run = try ExpressionRun(source: "d = 2*b; e = a + d; L = c*e", at: [("a", 3), ("b", 1), ("c", -2)])
        let w = run.walkthrough
        #expect(w.forward.map(\.text) == ["d = 2·b = 2·1 = 2", "e = a + d = 3 + 2 = 5", "L = c·e = −2·5 = −10"])
        let backward = w.backward.map(\.text)
        #expect(backward.first == "∂L/∂L = 1")
        #expect(backward.contains("∂L/∂d = ∂L/∂e · ∂e/∂d = −2 · 1 = −2"))
        #expect(backward.contains("∂L/∂b = ∂L/∂d · ∂d/∂b = −2 · 2 = −4"))
        #expect(backward.contains("∂L/∂c = ∂L/∂L · ∂L/∂c = 1 · 5 = 5"))
        #expect(w.gradients.map(\.name) == ["a", "b", "c"])
        #expect(w.gradients.map(\.value) == [Tensor(-2), Tensor(-4), Tensor(5)])
        #expect(run.warnings.isEmpty)
    }

    /// A node used twice: each use sends its own message and the sum rule adds them (∂(x·x)/∂x = 2x).
    @Test func sumRuleLine() throws {
        let run = try ExpressionRun(source: "y = x*x + 3*x", at: [("x", 2)])
        let sum = try #require(run.walkthrough.backward.last { $0.kind == .sum })
        #expect(sum.node == "x")
        #expect(sum.value == Tensor(7))                 // 2·2 + 3
        // Contributions in backward order: 3·x was created last, so its message comes first.
        #expect(sum.text == "∂y/∂x = 3 + 2 + 2 = 7   (sum over its 3 uses)")
    }

    /// An input that does not reach the output has gradient 0, listed and said, in the text, the report's
    /// table and the trace (it was missing, and the report's table then paired x1 with x0's gradient).
    @Test func anInputThatDoesNotReachTheOutputHasGradientZero() throws {
        let run = try ExpressionRun(source: "t0 = x1^3; L = x0^2", at: [("x0", 1), ("x1", 2)])
        let w = run.walkthrough
        #expect(w.gradients.map(\.name) == ["x0", "x1"])
        #expect(w.gradients.map(\.value) == [Tensor(2), Tensor(0)])
        #expect(w.unreached == ["x1"])
        #expect(w.text.hasSuffix("Gradients of L\n  ∂L/∂x0 = 2\n  ∂L/∂x1 = 0   (x1 does not reach L)\n"))
        #expect(w.gradientTable.rows == [["x0", "1", "2"], ["x1", "2", "0   (x1 does not reach L)"]])
        let grads = try #require(run.trace.runs[0].steps.first?.grads)
        #expect(grads["x1"] == Tensor(0) && grads["x0"] == Tensor(2))
    }

    @Test func warningsNameTheNodeAndCause() throws {
        let run = try ExpressionRun(source: "L = a/b + log(c)", at: [("a", 1), ("b", 0), ("c", -1)])
        #expect(run.warnings == ["t1 = a / b is inf (division by zero)", "t2 = log(c) is nan (log of a negative number)"])
    }

    @Test func traceHoldsTheRun() throws {
        let run = try ExpressionRun(source: "f = (x + y)*z", at: [("x", -2), ("y", 5), ("z", -4)])
        let trace = run.trace
        let bytes = try trace.encoded()
        let back = try Trace(bytes: bytes)
        #expect(back == trace)
        #expect(back.runs[0].steps.count == 1)
        #expect(back.runs[0].steps[0].grads.names == ["x", "y", "z"])
        #expect(back.runs[0].steps[0].grads.values == [Tensor(-4), Tensor(-4), Tensor(3)])
        #expect(back.settings.names == ["x", "y", "z"])
    }
}
