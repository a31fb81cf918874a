import Foundation
import Testing
@testable import Sim

@Suite struct ExpressionParsingTests {
    /// Value of the output at the given values.
    func evaluate(_ source: String, _ values: [(String, Double)]) throws -> Double {
        let program = try ExpressionProgram(source)
        let (_, output) = try program.build(at: values.map { (name: $0.0, value: $0.1) })
        return try #require(output.value.scalar)
    }

    @Test func precedenceAndAssociativity() throws {
        #expect(try evaluate("y = 1 + 2*3", []) == 7)
        #expect(try evaluate("y = (1 + 2)*3", []) == 9)
        #expect(try evaluate("y = 2^3^2", []) == 512)          // right-associative: 2^(3^2)
        #expect(try evaluate("y = -x^2", [("x", 3)]) == -9)     // −(x²)
        #expect(try evaluate("y = 10 - 4 - 3", []) == 3)        // left-associative
        #expect(try evaluate("y = 12 / 3 / 2", []) == 2)
        #expect(try evaluate("y = 2^-1", []) == 0.5)
        #expect(try evaluate("y = 1.5e2 + 2E-1", []) == 150.2)
        #expect(try evaluate("y = x − 1", [("x", 3)]) == 2)     // U+2212 minus
        #expect(try evaluate("y = max(x, 2) + min(x, 2)", [("x", 5)]) == 7)
    }

    @Test func statementsAndNames() throws {
        let program = try ExpressionProgram("d = 2*b; e = a + d\nL = c*e")
        #expect(program.targets == ["d", "e", "L"])
        #expect(program.inputs == ["b", "a", "c"])
        let (graph, output) = try program.build(at: [("a", 3), ("b", 1), ("c", -2)])
        #expect(output.name == "L")
        #expect(graph.nodes.map(\.name) == ["a", "b", "c", "d", "e", "L"])
        // 2*b is one scale node with the single input b, as in the notes' graph.
        let d = try #require(graph.node(named: "d"))
        #expect(d.operation?.name == "scale" && d.inputs.map { graph[$0].name } == ["b"])
    }

    @Test func generatedNamesAvoidUserNames() throws {
        let program = try ExpressionProgram("t1 = a + 1; L = t1 * (a + 2)")
        let (graph, _) = try program.build(at: [("a", 1)])
        #expect(Set(graph.nodes.map(\.name)).count == graph.nodes.count)
        #expect(graph.node(named: "t1")?.operation?.name == "add")
    }

    @Test(arguments: [
        ("L = c*(a + sigmod(b))", "unknown function 'sigmod' at column 12"),
        ("L = (a", "expected ')', found end of input at column 7"),
        ("L = a +", "expected a number, a name or '(', found end of input at column 8"),
        ("L = a; L = b", "'L' is assigned twice at column 8"),
        ("L = a + b; b = 2", "'b' is assigned after being used as an input at column 12"),
        ("L = max(a)", "'max' takes 2 arguments, got 1 at column 5"),
        ("L = exp(a, b)", "'exp' takes 1 argument, got 2 at column 5"),
        ("L = a $ b", "unexpected character '$' at column 7"),
        ("a + b", "expected '=' after 'a', found '+' at column 3"),
        ("x = a*2\ny = x +* 3", "expected a number, a name or '(', found '*' at line 2, column 8"),
        ("   ", "the expression is empty"),
        ("L = 1e999", "malformed number '1e999' at column 5"),
    ])
    func errors(source: String, message: String) {
        #expect(throws: ExpressionError.self) { try ExpressionProgram(source) }
        do {
            _ = try ExpressionProgram(source)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func valuesMustMatchInputs() throws {
        let program = try ExpressionProgram("L = a*b")
        #expect(throws: ExpressionError("no value for 'b': give it with --at b=…")) {
            try program.build(at: [("a", 1)])
        }
        #expect(throws: ExpressionError("--at gives 'q', which the expression does not use as an input")) {
            try program.build(at: [("a", 1), ("b", 2), ("q", 3)])
        }
        #expect(try ExpressionProgram.parseValues("a=3,b=−1,c=2.5e-1").map(\.value) == [3, -1, 0.25])
        #expect(throws: ExpressionError.self) { try ExpressionProgram.parseValues("a=3,,b=1") }
        #expect(throws: ExpressionError.self) { try ExpressionProgram.parseValues("a") }
        #expect(throws: ExpressionError.self) { try ExpressionProgram.parseValues("a=inf") }
    }

    @Test func limits() throws {
        let deep = "L = " + String(repeating: "(", count: 256) + "a" + String(repeating: ")", count: 256)
        #expect(try evaluate(deep, [("a", 2)]) == 2)
        let tooDeep = "L = " + String(repeating: "(", count: 257) + "a" + String(repeating: ")", count: 257)
        #expect(throws: ExpressionError.self) { try ExpressionProgram(tooDeep) }
        #expect(throws: ExpressionError.self) { try ExpressionProgram(String(repeating: "-", count: 1000) + "a") }
        #expect(throws: ExpressionError.self) { try ExpressionProgram("L = " + String(repeating: "a", count: 100_000)) }
        // A long flat chain is not nesting: 30,000 terms build and differentiate in loops.
        let chain = "L = " + Array(repeating: "a", count: 30_000).joined(separator: "+")
        let (graph, output) = try ExpressionProgram(chain).build(at: [("a", 2)])
        #expect(output.value == Tensor(60_000))
        let a = try #require(graph.node(named: "a"))
        #expect(try graph.backward(from: output)[a.id] == Tensor(30_000))
    }

    /// Every recursive construct counts toward one limit of 256 levels, and 256 levels of the deepest
    /// (parentheses: five parser frames a level) parse, build, differentiate and print on a 512 KiB stack.
    /// A chain of 22,700 `^` once overflowed the 8 MiB main stack (issue 11).
    @Test func nestingLimitCountsEveryRecursionOnASmallStack() {
        func nested(_ open: String, _ close: String, _ levels: Int) -> String {
            "L = " + String(repeating: open, count: levels) + "a" + String(repeating: close, count: levels)
        }
        let atLimit = [
            nested("(", ")", 256), nested("exp(", ")", 256), nested("-", "", 256), nested("a^", "", 256),
            nested("-(", ")", 128), nested("a^(", ")", 128), nested("a^-", "", 128), nested("max(a,", ")", 256),
        ]
        let results = onSmallStack { () -> [String] in
            atLimit.map { source in
                do {
                    let (graph, output) = try ExpressionProgram(source).build(at: [("a", 0.5)])
                    _ = try graph.backward(from: output)
                    return "ok"
                } catch {
                    return "\(error)"
                }
            }
        }
        #expect(results == Array(repeating: "ok", count: atLimit.count))

        let power = nested("a^", "", 22_700)
        let beyond: [(source: String, column: Int)] = [
            (nested("(", ")", 257), 261), (nested("exp(", ")", 257), 4 + 256 * 4 + 4), (nested("-", "", 257), 261),
            (nested("a^", "", 257), 4 + 256 * 2 + 2), (power, 4 + 256 * 2 + 2), (nested("a^-", "", 129), 4 + 128 * 3 + 2),
        ]
        let errors = onSmallStack { () -> [String] in
            beyond.map { source, _ in
                do { _ = try ExpressionProgram(source); return "parsed" } catch { return "\(error)" }
            }
        }
        #expect(errors == beyond.map { "expression nested deeper than 256 levels at column \($0.column)" })
    }

    @Test func nonFiniteResultsAreValuesNotErrors() throws {
        #expect(try evaluate("L = a/b", [("a", 1), ("b", 0)]) == .infinity)
        #expect(try evaluate("L = log(a)", [("a", -1)]).isNaN)
    }
}

/// Gradients through the language against central differences of the same formula written in Swift.
@Suite struct ExpressionGradientTests {
    struct Case: Sendable, CustomStringConvertible {
        let source: String
        let function: @Sendable ([Double]) -> Double
        var description: String { source }
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    static let cases: [Case] = [
        Case(source: "L = c*(a + 2*b)") { v in v[2] * (v[0] + 2 * v[1]) },
        Case(source: "L = sigmoid(a*b) + tanh(a - c)^2") { v in sigmoid(v[0] * v[1]) + pow(tanh(v[0] - v[2]), 2) },
        Case(source: "h = exp(a/3) * log(b*b + 1); L = h / (1 + abs(c)) - sqrt(b*b + c*c)") { v in
            exp(v[0] / 3) * log(v[1] * v[1] + 1) / (1 + abs(v[2])) - (v[1] * v[1] + v[2] * v[2]).squareRoot()
        },
        Case(source: "L = max(a, b) * min(b, c) + relu(a - c)") { v in max(v[0], v[1]) * min(v[1], v[2]) + max(0, v[0] - v[2]) },
        Case(source: "L = (a*a + 2)^(b/4) - -c^3") { v in pow(v[0] * v[0] + 2, v[1] / 4) + pow(v[2], 3) },
    ]

    @Test(arguments: cases)
    func matchesCentralDifferences(_ testCase: Case) throws {
        // Deterministic points away from kinks (max/min ties, relu at 0, abs at 0).
        let points: [[Double]] = [[0.7, -1.3, 0.4], [1.9, 0.55, -0.8], [-0.35, 1.2, 2.1]]
        let program = try ExpressionProgram(testCase.source)
        for point in points {
            let values = zip(["a", "b", "c"], point).filter { program.inputs.contains($0.0) }
            let (graph, output) = try program.build(at: values.map { (name: $0.0, value: $0.1) })
            let grads = try graph.backward(from: output)
            #expect(abs((output.value.scalar ?? .nan) - testCase.function(point)) <= 1e-12 * max(1, abs(testCase.function(point))))
            for (i, name) in ["a", "b", "c"].enumerated() {
                guard let node = graph.node(named: name) else { continue }
                let h = 1e-6
                var plus = point, minus = point
                plus[i] += h
                minus[i] -= h
                let numeric = (testCase.function(plus) - testCase.function(minus)) / (2 * h)
                let analytic = try #require(grads[node.id]?.scalar)
                #expect(abs(analytic - numeric) <= 1e-6 * max(1, abs(numeric)), "∂L/∂\(name) at \(point)")
            }
        }
    }
}
