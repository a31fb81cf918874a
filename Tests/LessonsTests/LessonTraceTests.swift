import Foundation
import Testing
@testable import Lessons
@testable import Sim

/// Every lesson's trace is written and read back (adaline's failed: its hand-written nodes named inputs
/// that were not nodes, issue 12 item 1), and adaline's recorded steps agree with the LMS rule.
@Suite struct LessonTraceTests {
    @Test(arguments: ["perceptron", "adaline", "xor", "backprop", "backprop-cs231n", "saturation", "symmetry", "exploding", "optimizers"])
    func everyLessonsTraceReadsBack(lesson: String) throws {
        // Short runs, so that every lesson's full trace is checked within a second or so.
        let shorter = ["adaline": "steps=40", "xor": "steps=40", "symmetry": "steps=40", "saturation": "init-steps=40",
                       "exploding": "count=20,overflow-limit=50", "optimizers": "ravine-steps=40,rosenbrock-steps=40"]
        let run = try LessonRun(lesson, overrides: shorter[lesson].map { [$0] } ?? [])
        let bytes = try run.result.trace.encoded()
        let read = try Trace(bytes: bytes)
        #expect(try read.encoded() == bytes)
    }

    @Test func adalineStepsAreTheEnginesAndAgreeWithLMS() throws {
        let run = try LessonRun("adaline", overrides: ["steps=5"])
        let steps = run.result.trace.steps
        #expect(steps.count == 15)
        let data = try DataSet.named("line")
        let rate = try #require(steps[0].optimizer?.scalars["rate"])
        let lms = LMSRule(rate: rate).train(inputs: data.inputs, targets: data.targets, initial: [0, 0], steps: 5)
        for (step, expected) in zip(steps.prefix(5), lms) {
            let E = try #require(step.nodes.first { $0.name == "E" })
            #expect(abs((E.value.scalar ?? .nan) - expected.loss) <= 1e-12 * max(1, expected.loss))
            // ∂E/∂w = Xᵀ(y − d), independently: −Σ (d − y)·(1, x).
            let residual = zip(data.targets, expected.outputs).map { $0 - $1 }
            let gradient = [-residual.reduce(0, +), -zip(residual, data.inputs).reduce(0) { $0 + $1.0 * $1.1[0] }]
            let recorded = try #require(step.grads["w"]).scalars
            for (a, b) in zip(recorded, gradient) { #expect(abs(a - b) <= 1e-9 * max(1, abs(b))) }
            #expect(step.params["w"]?.scalars == expected.weightsAfter)
            #expect(step.nodes.map(\.name) == ["X", "w", "y", "d", "E"])
        }
    }
}
