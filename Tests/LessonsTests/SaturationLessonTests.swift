import Foundation
import Sim
import Testing
@testable import Lessons

@Suite struct SaturationLessonTests {
    func number(_ run: LessonRun, _ key: String) -> Double? {
        if case .number(let x) = run.result.trace.summaryValue(key) { return x } else { return nil }
    }

    /// σ′(x) = e^(−x)/(1 + e^(−x))² in closed form: ¼ at 0, ≈ 4.5396e−5 at ±10.
    @Test func sigmoidSlopes() throws {
        let run = try LessonRun(lessonPath("saturation"), overrides: ["init-steps=1"])
        let at10 = exp(-10.0) / ((1 + exp(-10.0)) * (1 + exp(-10.0)))
        #expect(number(run, "sigmoid-slope-at-0") == 0.25)
        #expect(abs((number(run, "sigmoid-slope-at-10") ?? .nan) / at10 - 1) < 1e-12)
        #expect(abs((number(run, "sigmoid-slope-at--10") ?? .nan) / at10 - 1) < 1e-10)
        #expect(abs(at10 - 4.5396e-5) < 1e-9)
    }

    /// ∂L/∂w of the neuron against central differences of L(w) = ½(σ(w) − 0)².
    @Test func neuronGradientAgainstCentralDifferences() throws {
        for w in [0.5, 2, 5, 10] {
            let n = try SaturationLesson.neuron(w: w, x: 1, target: 0)
            func loss(_ w: Double) -> Double { let y = 1 / (1 + exp(-w)); return 0.5 * y * y }
            let h = 1e-5
            let numeric = (loss(w + h) - loss(w - h)) / (2 * h)
            #expect(abs(n.gradient - numeric) < 1e-9 * max(1, abs(numeric)) + 1e-12)
        }
    }

    /// The chain's gradient, layer by layer, against the product formula on plain Doubles.
    @Test func chainRatiosFollowTheProductFormula() throws {
        var generator = SeededGenerator(seed: 3)
        let weights = (0..<12).map { _ in generator.gaussian() }
        let chain = try SaturationLesson.Chain(weights: weights, x: 0.7, target: 0.2)
        // Forward on plain Doubles, then ∂L/∂h_D = h_D − t and ∂L/∂hₗ₋₁ = ∂L/∂hₗ · wₗσ′(zₗ).
        var h = [0.7], z: [Double] = []
        for w in weights { z.append(w * h.last!); h.append(1 / (1 + exp(-z.last!))) }
        var upstream = h.last! - 0.2
        for l in stride(from: weights.count, through: 1, by: -1) {
            #expect(abs(chain.hGradients[l - 1] - upstream) <= 1e-14 * abs(upstream))
            let factor = weights[l - 1] * h[l] * (1 - h[l])
            #expect(abs(chain.wGradients[l - 1] - upstream * h[l] * (1 - h[l]) * h[l - 1]) <= 1e-14 * abs(upstream))
            if l > 1 { #expect(abs(chain.hGradients[l - 2] / chain.hGradients[l - 1] - factor) <= 1e-13 * abs(factor)) }
            upstream *= factor
        }
        #expect(abs(chain.inputGradient - upstream) <= 1e-14 * abs(upstream))
    }

    /// Too small and too large initial weights stall XOR where Xavier's learns.
    @Test func initializationScales() throws {
        let run = try LessonRun(lessonPath("saturation"), recordsSteps: false)
        let small = try #require(number(run, "init-small.loss"))
        let xavier = try #require(number(run, "init-xavier.loss"))
        let large = try #require(number(run, "init-large.loss"))
        #expect(xavier < 0.1 && small > 0.45 && large > 0.45)
    }
}

/// The initialization runs report the loss at their final weights, after every update (it was the loss
/// before the last update), checked against a plain re-implementation of note 001's network.
@Suite struct SaturationFinalLossTests {
    @Test func finalLossIsTheLossAfterTheLastUpdate() throws {
        let data = try DataSet.named("xor")
        for steps in [1, 3] {
            let run = try LessonRun("saturation", overrides: ["init-steps=\(steps)"])
            for name in ["init-small", "init-xavier", "init-large"] {
                let recorded = try #require(run.result.trace.run(named: name))
                var w1 = try #require(recorded.initial["W1"]).scalars   // 3×4, the bias row last
                var w2 = try #require(recorded.initial["W2"]).scalars   // 4×1
                func sigma(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
                func forward() -> (h: [[Double]], y: [Double]) {
                    let h = data.inputs.map { x in (0..<4).map { j in sigma(x[0] * w1[j] + x[1] * w1[4 + j] + w1[8 + j]) } }
                    return (h, h.map { row in sigma((0..<4).reduce(0) { $0 + row[$1] * w2[$1] }) })
                }
                for _ in 0..<steps {   // gradient descent with η = 1 on L = ½Σ(ŷ − y)²
                    let (h, y) = forward()
                    let d2 = zip(y, data.targets).map { ($0 - $1) * $0 * (1 - $0) }
                    var g1 = [Double](repeating: 0, count: 12), g2 = [Double](repeating: 0, count: 4)
                    for (n, x) in data.inputs.enumerated() {
                        for j in 0..<4 {
                            g2[j] += h[n][j] * d2[n]
                            let d1 = d2[n] * w2[j] * h[n][j] * (1 - h[n][j])
                            for (r, xr) in [x[0], x[1], 1].enumerated() { g1[r * 4 + j] += xr * d1 }
                        }
                    }
                    for k in 0..<12 { w1[k] -= g1[k] }
                    for k in 0..<4 { w2[k] -= g2[k] }
                }
                let expected = 0.5 * zip(forward().y, data.targets).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                guard case .number(let reported)? = recorded.summary["loss"] else {
                    Issue.record("no final loss for \(name)")
                    continue
                }
                #expect(abs(reported - expected) <= 1e-12 * max(1, expected), "\(name), \(steps) steps: \(reported) vs \(expected)")
                #expect(recorded.steps.count == steps)
            }
        }
    }
}
