import Foundation
import Sim
import Testing
@testable import Lessons

/// The batchnorm lesson's numbers against a computation written here on plain arrays: note 001's
/// algorithm forward, its gradients by central differences of that forward (not the backward formula),
/// and the deep network's first loss from the same seeded weights.
@Suite struct BatchNormLessonTests {
    /// Note 001's algorithm on one column list: μ, σ², x̂, y = γx̂ + β per feature.
    static func forward(_ x: [[Double]], _ gamma: [Double], _ beta: [Double], epsilon: Double) -> (mean: [Double], variance: [Double], xhat: [[Double]], y: [[Double]]) {
        let m = Double(x.count), n = gamma.count
        let mean: [Double] = (0..<n).map { (k: Int) -> Double in x.reduce(0.0) { (s: Double, row: [Double]) -> Double in s + row[k] } / m }
        let variance: [Double] = (0..<n).map { (k: Int) -> Double in
            x.reduce(0.0) { (s: Double, row: [Double]) -> Double in s + (row[k] - mean[k]) * (row[k] - mean[k]) } / m
        }
        let xhat = x.map { row in (0..<n).map { k in (row[k] - mean[k]) / (variance[k] + epsilon).squareRoot() } }
        return (mean, variance, xhat, xhat.map { row in (0..<n).map { k in gamma[k] * row[k] + beta[k] } })
    }

    static func loss(_ x: [[Double]], _ gamma: [Double], _ beta: [Double], _ t: [[Double]], epsilon: Double) -> Double {
        let y = forward(x, gamma, beta, epsilon: epsilon).y
        return 0.5 * zip(y.joined(), t.joined()).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }

    @Test(arguments: [("", [[1.0, 5], [2, -1], [3, 0], [6, 2]], [1.5, 0.5], [0.0, 1], [[0.0, 1], [1, 0], [0, 0], [1, 1]], 1e-5),
                      ("batch=0.5; -2; 4,gamma=2,beta=-1,targets=1; 0; 0.5,epsilon=0.01", [[0.5], [-2], [4]], [2], [-1], [[1], [0], [0.5]], 0.01)])
    func everyValueAndGradientMatchesAPlainComputation(_ overrides: String, _ x: [[Double]], _ gamma: [Double], _ beta: [Double], _ t: [[Double]], _ epsilon: Double) throws {
        let run = try LessonRun(lessonPath("batchnorm"), overrides: (overrides.isEmpty ? [] : [overrides]) + ["steps=2"], recordsSteps: true)
        let nodes = try #require(run.result.trace.run(named: "mini-batch")?.steps.first?.nodes)
        func node(_ name: String) throws -> TraceNode { try #require(nodes.first { $0.name == name }, "\(name)") }
        let expected = Self.forward(x, gamma, beta, epsilon: epsilon)
        func close(_ a: [Double], _ b: [Double], _ tolerance: Double, _ what: String) {
            #expect(a.count == b.count, "\(what)")
            for (p, q) in zip(a, b) { #expect(abs(p - q) <= tolerance * max(1, abs(q)), "\(what): \(a) vs \(b)") }
        }
        close(try node("y").value.scalars, Array(expected.y.joined()), 1e-13, "y")
        #expect(run.result.summary.first?.hasPrefix("μ = \(NumberFormat.tuple(expected.mean)), σ² = \(NumberFormat.tuple(expected.variance))") == true)
        // Central differences of the plain forward, entry by entry.
        let h = 1e-6
        var dx: [Double] = [], dgamma: [Double] = [], dbeta: [Double] = []
        for i in x.indices { for k in x[i].indices {
            var plus = x, minus = x
            plus[i][k] += h; minus[i][k] -= h
            dx.append((Self.loss(plus, gamma, beta, t, epsilon: epsilon) - Self.loss(minus, gamma, beta, t, epsilon: epsilon)) / (2 * h))
        } }
        for k in gamma.indices {
            var plus = gamma, minus = gamma
            plus[k] += h; minus[k] -= h
            dgamma.append((Self.loss(x, plus, beta, t, epsilon: epsilon) - Self.loss(x, minus, beta, t, epsilon: epsilon)) / (2 * h))
            var bPlus = beta, bMinus = beta
            bPlus[k] += h; bMinus[k] -= h
            dbeta.append((Self.loss(x, gamma, bPlus, t, epsilon: epsilon) - Self.loss(x, gamma, bMinus, t, epsilon: epsilon)) / (2 * h))
        }
        close(try #require(try node("X").gradient).scalars, dx, 1e-7, "∂L/∂X")
        close(try #require(try node("γ").gradient).scalars, dgamma, 1e-7, "∂L/∂γ")
        close(try #require(try node("β").gradient).scalars, dbeta, 1e-7, "∂L/∂β")
    }

    /// The plain network's first loss, from the seeded weights drawn here the same way: one hidden
    /// sigmoid layer (b = 0), the output's logit, the binary cross-entropy summed over XOR's four rows.
    @Test func theDeepNetworksFirstLossFromTheSameWeights() throws {
        let run = try LessonRun(lessonPath("batchnorm"), overrides: ["depth=1,width=3,steps=1,init-scale=0.8"], seed: 7, recordsSteps: true)
        var generator = SeededGenerator(seed: 7)
        let w1 = try Initializer.normal(0.8).tensor(shape: [2, 3], using: &generator).rows
        let wout = try Initializer.normal(0.8).tensor(shape: [3, 1], using: &generator).scalars
        let inputs: [[Double]] = [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [Double] = [0, 1, 1, 0]
        var expected = 0.0
        for (x, y) in zip(inputs, targets) {
            let h = (0..<3).map { j in 1 / (1 + exp(-(x[0] * w1[0][j] + x[1] * w1[1][j]))) }
            let z = zip(h, wout).reduce(0) { $0 + $1.0 * $1.1 }
            expected += log(1 + exp(z)) - y * z
        }
        let first = try #require(run.result.trace.run(named: "deep-without")?.steps.first?.loss)
        #expect(abs(first - expected) < 1e-12)
    }

    /// The default run: batch normalization ends far lower, and the sentence says so; the same seed gives
    /// the same numbers.
    @Test func withBatchNormalizationTheDeepNetworkTrains() throws {
        let run = try LessonRun(lessonPath("batchnorm"), recordsSteps: false)
        #expect(run.result.summary.contains { $0.hasPrefix("With batch normalization it ends lower") })
        let again = try LessonRun(lessonPath("batchnorm"), recordsSteps: false)
        #expect(run.result.summary == again.result.summary)
    }

    @Test(arguments: [("gamma=1", "give one γ per feature (2)"), ("batch=1, 2", "a mini-batch needs at least 2 samples"),
                      ("targets=0, 1; 1, 0", "the targets must have the batch's shape, 4×2")])
    func misfitsAreRefused(_ overrides: String, _ message: String) {
        do {
            _ = try LessonRun(lessonPath("batchnorm"), overrides: [overrides])
            Issue.record("not refused: \(overrides)")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
