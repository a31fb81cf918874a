import Foundation
import Sim
import Testing
@testable import Lessons

/// The mlp lesson's every value against a numpy-style computation written here with plain arrays (note
/// 003's equations 5.3.1–5.3.14), and every gradient entry against central differences of that computation.
@Suite struct MLPLessonTests {
    typealias Matrix = [[Double]]

    /// The network as numpy would compute it: matmul, the activation entry by entry, the squared error and
    /// λ/2 times the squared Frobenius norms; the backward pass by the notes' equations.
    struct Reference {
        let x: [Double], y: [Double], w1: Matrix, w2: Matrix, lambda: Double, activation: String

        func phi(_ v: Double) -> Double {
            switch activation {
            case "sigmoid": return 1 / (1 + exp(-v))
            case "tanh": return tanh(v)
            default: return max(0, v)
            }
        }

        func phiPrime(_ v: Double) -> Double {
            switch activation {
            case "sigmoid": let s = phi(v); return s * (1 - s)
            case "tanh": let t = tanh(v); return 1 - t * t
            default: return v > 0 ? 1 : 0
            }
        }

        static func matvec(_ m: Matrix, _ v: [Double]) -> [Double] { m.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } } }

        var z: [Double] { Self.matvec(w1, x) }
        var h: [Double] { z.map(phi) }
        var o: [Double] { Self.matvec(w2, h) }
        var L: Double { 0.5 * zip(o, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        var s: Double { lambda / 2 * (w1.joined().reduce(0) { $0 + $1 * $1 } + w2.joined().reduce(0) { $0 + $1 * $1 }) }
        var J: Double { L + s }
        // 5.3.9–5.3.14
        var dO: [Double] { zip(o, y).map { $0 - $1 } }
        var dW2: Matrix { w2.indices.map { i in w2[i].indices.map { j in dO[i] * h[j] + lambda * w2[i][j] } } }
        var dH: [Double] { h.indices.map { j in w2.indices.reduce(0) { $0 + w2[$1][j] * dO[$1] } } }
        var dZ: [Double] { zip(dH, z).map { $0 * phiPrime($1) } }
        var dW1: Matrix { w1.indices.map { i in w1[i].indices.map { j in dZ[i] * x[j] + lambda * w1[i][j] } } }
    }

    static let defaults = Reference(x: [1, 2], y: [1, 0], w1: [[0.5, -0.3], [0.2, 0.4], [-0.1, 0.6]], w2: [[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]],
                                    lambda: 0.1, activation: "relu")

    func close(_ a: [Double], _ b: [Double], _ what: String) {
        #expect(a.count == b.count, "\(what): \(a.count) entries, expected \(b.count)")
        for (p, q) in zip(a, b) { #expect(abs(p - q) <= 1e-12 * max(1, abs(q)), "\(what): \(a) vs \(b)") }
    }

    /// Every node's value and gradient in the lesson's trace against the reference, for the defaults and
    /// for other shapes, weights and activations.
    @Test(arguments: [
        ("", defaults),
        ("x=0.5, -1, 2,y=0.3,W1=1, 0.5, -0.5; -1, 0.2, 0.3,W2=0.7, -1.2,lambda=0.01,activation=sigmoid",
         Reference(x: [0.5, -1, 2], y: [0.3], w1: [[1, 0.5, -0.5], [-1, 0.2, 0.3]], w2: [[0.7, -1.2]], lambda: 0.01, activation: "sigmoid")),
        ("activation=tanh,lambda=0", Reference(x: defaults.x, y: defaults.y, w1: defaults.w1, w2: defaults.w2, lambda: 0, activation: "tanh")),
    ])
    func everyValueMatchesANumpyStyleComputation(_ overrides: String, _ r: Reference) throws {
        let run = try LessonRun(lessonPath("mlp"), overrides: overrides.isEmpty ? [] : [overrides], recordsSteps: true)
        let nodes = try #require(run.result.trace.run(named: "pass")?.steps.first?.nodes)
        func node(_ name: String) throws -> TraceNode { try #require(nodes.first { $0.name == name }, "\(name)") }
        close(try node("z").value.scalars, r.z, "z")
        close(try node("h").value.scalars, r.h, "h")
        close(try node("o").value.scalars, r.o, "o")
        close(try node("L").value.scalars, [r.L], "L")
        close(try node("s").value.scalars, [r.s], "s")
        close(try node("J").value.scalars, [r.J], "J")
        close(try #require(try node("o").gradient).scalars, r.dO, "∂J/∂o")
        close(try #require(try node("h").gradient).scalars, r.dH, "∂J/∂h")
        close(try #require(try node("z").gradient).scalars, r.dZ, "∂J/∂z")
        close(try #require(try node("W2").gradient).scalars, Array(r.dW2.joined()), "∂J/∂W2")
        close(try #require(try node("W1").gradient).scalars, Array(r.dW1.joined()), "∂J/∂W1")
        #expect(try node("W1").value.shape == [r.w1.count, r.x.count] && node("W2").value.shape == [r.y.count, r.w1.count])
    }

    /// Central differences of the reference's J, entry by entry of W1, W2 and x, against the lesson's
    /// gradients (x's too: the backward pass sends one to every input).
    @Test func everyGradientEntryMatchesCentralDifferences() throws {
        let run = try LessonRun(lessonPath("mlp"), recordsSteps: true)
        let nodes = try #require(run.result.trace.run(named: "pass")?.steps.first?.nodes)
        let r = Self.defaults
        let h = 1e-6
        func J(_ change: (inout Reference) -> Void) -> Double {
            var copy = r
            change(&copy)
            return copy.J
        }
        var numeric: [String: [Double]] = ["W1": [], "W2": [], "x": []]
        for i in r.w1.indices { for j in r.w1[i].indices {
            numeric["W1"]?.append((J { $0 = Reference(x: $0.x, y: $0.y, w1: Self.shifted($0.w1, i, j, h), w2: $0.w2, lambda: $0.lambda, activation: $0.activation) }
                                   - J { $0 = Reference(x: $0.x, y: $0.y, w1: Self.shifted($0.w1, i, j, -h), w2: $0.w2, lambda: $0.lambda, activation: $0.activation) }) / (2 * h))
        } }
        for i in r.w2.indices { for j in r.w2[i].indices {
            numeric["W2"]?.append((J { $0 = Reference(x: $0.x, y: $0.y, w1: $0.w1, w2: Self.shifted($0.w2, i, j, h), lambda: $0.lambda, activation: $0.activation) }
                                   - J { $0 = Reference(x: $0.x, y: $0.y, w1: $0.w1, w2: Self.shifted($0.w2, i, j, -h), lambda: $0.lambda, activation: $0.activation) }) / (2 * h))
        } }
        for j in r.x.indices {
            numeric["x"]?.append((J { $0 = Reference(x: Self.shifted([$0.x], 0, j, h)[0], y: $0.y, w1: $0.w1, w2: $0.w2, lambda: $0.lambda, activation: $0.activation) }
                                  - J { $0 = Reference(x: Self.shifted([$0.x], 0, j, -h)[0], y: $0.y, w1: $0.w1, w2: $0.w2, lambda: $0.lambda, activation: $0.activation) }) / (2 * h))
        }
        for (name, values) in numeric {
            let analytic = try #require(nodes.first { $0.name == name }?.gradient).scalars
            #expect(analytic.count == values.count)
            for (a, n) in zip(analytic, values) { #expect(abs(a - n) <= 1e-7 * max(1, abs(n)), "∂J/∂\(name): \(analytic) vs \(values)") }
        }
        // The lesson's own check says the same.
        #expect(run.result.summary.last?.hasPrefix("Central differences (h = 1e−6) agree with the backward pass on all 12 entries") == true)
    }

    static func shifted(_ m: Matrix, _ i: Int, _ j: Int, _ h: Double) -> Matrix {
        var copy = m
        copy[i][j] += h
        return copy
    }

    /// Shapes that do not fit are refused with the setting named.
    @Test(arguments: [("W1=1, 2, 3; 4, 5, 6", "W1 has 3 columns; it needs one per entry of x (2)"),
                      ("W2=1, 2; 3, 4", "W2 has 2 columns; it needs one per hidden unit"),
                      ("y=1", "W2 has 2 rows; it needs one per entry of y (1)"),
                      ("W1=1, 2; 3", "row 2 has 1 entries, row 1 has 2"),
                      ("x=1, two", "“two” is not a finite number")])
    func misfitsAreRefused(_ overrides: String, _ message: String) {
        #expect(throws: LessonError.self) { try LessonRun(lessonPath("mlp"), overrides: [overrides]) }
        do {
            _ = try LessonRun(lessonPath("mlp"), overrides: [overrides])
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    /// At the defaults z₁ = −0.1 < 0: ReLU passes no gradient to W⁽¹⁾'s first row but λW⁽¹⁾; with z₁ at
    /// the kink the lesson says why the central difference may disagree.
    @Test func aDeadUnitAndTheKink() throws {
        let run = try LessonRun(lessonPath("mlp"), recordsSteps: true)
        let w1 = try #require(run.result.trace.run(named: "pass")?.steps.first?.nodes?.first { $0.name == "W1" }?.gradient)
        close(Array(w1.scalars.prefix(2)), [0.05, -0.03], "∂J/∂W1's first row = λW1's")
        let kinked = try LessonRun(lessonPath("mlp"), overrides: ["W1=0.4, -0.2; 0.2, 0.4; -0.1, 0.6"])
        #expect(kinked.result.narration.contains { $0.hasPrefix("z has entry 1 within") })
        #expect(!run.result.narration.contains { $0.hasPrefix("z has entr") })
        // Weights that overflow: the check says the two differ instead of claiming agreement.
        let overflowing = try LessonRun(lessonPath("mlp"), overrides: ["W1=1e308, 1e308; 1, 1; 1, 1"], recordsSteps: false)
        #expect(overflowing.result.summary.last?.contains("and the backward pass differ by more than 1e−6 on") == true, "\(overflowing.result.summary)")
    }
}
