import Foundation
import Testing
@testable import Sim

/// First two steps of each optimizer on f(θ) = ½(θ₁² + 10θ₂²), ∇f = (θ₁, 10θ₂), from θ = (1, 1) with
/// η = 0.1, worked by hand in the comments.
@Suite struct OptimizerTests {
    static func gradient(_ p: NamedTensors) -> NamedTensors {
        let t = p["θ"]!.scalars
        return ["θ": Tensor(vector: [t[0], 10 * t[1]])]
    }

    /// Runs two steps, evaluating the gradient where the optimizer asks.
    func twoSteps<O: Optimizer>(_ optimizer: O) -> [OptimizerStep] {
        var o = optimizer
        var p: NamedTensors = ["θ": Tensor(vector: [1, 1])]
        var steps: [OptimizerStep] = []
        for _ in 0..<2 {
            let s = o.step(p, gradients: Self.gradient(o.evaluationPoint(for: p)))
            steps.append(s)
            p = s.parameters
        }
        return steps
    }

    func expectClose(_ step: OptimizerStep, _ expected: [Double], _ tolerance: Double = 1e-12) {
        let got = step.parameters["θ"]!.scalars
        for (g, e) in zip(got, expected) { #expect(abs(g - e) <= tolerance, "got \(got), expected \(expected)") }
    }

    let eta = OptimizerSettings(learningRate: 0.1)

    @Test func gradientDescent() {
        // g₀ = (1, 10): θ₁ = (1 − 0.1, 1 − 1) = (0.9, 0). g₁ = (0.9, 0): θ₂ = (0.81, 0).
        let s = twoSteps(GradientDescent(eta))
        expectClose(s[0], [0.9, 0])
        expectClose(s[1], [0.81, 0])
    }

    @Test func momentum() {
        // v₁ = −0.1·(1, 10) = (−0.1, −1), θ₁ = (0.9, 0); g₁ = (0.9, 0),
        // v₂ = 0.9·(−0.1, −1) − 0.1·(0.9, 0) = (−0.18, −0.9), θ₂ = (0.72, −0.9).
        let s = twoSteps(Momentum(eta, mu: 0.9))
        expectClose(s[0], [0.9, 0])
        expectClose(s[1], [0.72, -0.9])
        let v = s[1].state.tensors["velocity.θ"]!.scalars
        #expect(abs(v[0] + 0.18) < 1e-12 && abs(v[1] + 0.9) < 1e-12)
    }

    @Test func nesterov() {
        // Step 1 as momentum (v₀ = 0): θ₁ = (0.9, 0), v₁ = (−0.1, −1). Look-ahead θ₁ + 0.9v₁ = (0.81, −0.9),
        // g = (0.81, −9), v₂ = 0.9·(−0.1, −1) − 0.1·(0.81, −9) = (−0.171, 0), θ₂ = (0.729, 0).
        let s = twoSteps(Momentum(eta, mu: 0.9, nesterov: true))
        expectClose(s[0], [0.9, 0])
        expectClose(s[1], [0.729, 0])
    }

    @Test func adagrad() {
        // G₁ = (1, 100): θ₁ = (1 − 0.1/√(1 + ε), 1 − 0.1·10/√(100 + ε)) ≈ (0.9, 0.9).
        // g₁ = (0.9, 9), G₂ = (1.81, 181): θ₂ = θ₁ − 0.1·g₁/√(G₂ + ε).
        let e = 1e-8
        let t1 = [1 - 0.1 / (1 + e).squareRoot(), 1 - 1 / (100 + e).squareRoot()]
        let g1 = [t1[0], 10 * t1[1]]
        let G2 = [1 + g1[0] * g1[0], 100 + g1[1] * g1[1]]
        let s = twoSteps(AdaptiveRate(eta, kind: .adagrad))
        expectClose(s[0], t1)
        expectClose(s[1], [t1[0] - 0.1 * g1[0] / (G2[0] + e).squareRoot(), t1[1] - 0.1 * g1[1] / (G2[1] + e).squareRoot()])
        #expect(abs(t1[0] - 0.9) < 1e-8 && abs(t1[1] - 0.9) < 1e-8)
    }

    @Test func rmsprop() {
        // G₁ = 0.1·(1, 100) = (0.1, 10): θ₁ = 1 − 0.1·(1, 10)/√(0.1, 10) = (1 − 0.1/√0.1, 1 − 1/√10) ≈ (0.68377, 0.68377).
        let e = 1e-8
        let t1 = [1 - 0.1 / (0.1 + e).squareRoot(), 1 - 1 / (10 + e).squareRoot()]
        let g1 = [t1[0], 10 * t1[1]]
        let G2 = [0.9 * 0.1 + 0.1 * g1[0] * g1[0], 0.9 * 10 + 0.1 * g1[1] * g1[1]]
        let s = twoSteps(AdaptiveRate(eta, kind: .rmsprop(gamma: 0.9)))
        expectClose(s[0], t1)
        expectClose(s[1], [t1[0] - 0.1 * g1[0] / (G2[0] + e).squareRoot(), t1[1] - 0.1 * g1[1] / (G2[1] + e).squareRoot()])
        #expect(abs(t1[0] - 0.683772) < 1e-6)
    }

    @Test func adam() {
        // t = 1: m = 0.1g = (0.1, 1), v = 0.001g² = (0.001, 0.1), m̂ = m/0.1 = (1, 10), v̂ = v/0.001 = (1, 100),
        // θ₁ = 1 − 0.1·(1/(1 + ε), 10/(10 + ε)) ≈ (0.9, 0.9).
        // t = 2: g = (0.9, 9), m = (0.18, 1.8), v = (0.001809, 0.1809), m̂ = m/0.19, v̂ = v/0.001999.
        let e = 1e-8
        let t1 = [1 - 0.1 / (1 + e), 1 - 0.1 * 10 / (10 + e)]
        let g = [t1[0], 10 * t1[1]]
        let m = [0.9 * 0.1 + 0.1 * g[0], 0.9 * 1 + 0.1 * g[1]]
        let v = [0.999 * 0.001 + 0.001 * g[0] * g[0], 0.999 * 0.1 + 0.001 * g[1] * g[1]]
        let c1 = 1 - 0.81, c2 = 1 - 0.999 * 0.999
        let t2 = (0..<2).map { t1[$0] - 0.1 * (m[$0] / c1) / ((v[$0] / c2).squareRoot() + e) }
        let s = twoSteps(Adam(eta))
        expectClose(s[0], t1)
        expectClose(s[1], t2)
        #expect(abs(s[1].state.scalars["bias_correction1"]! - 0.19) < 1e-15)
        #expect(abs(s[1].state.scalars["bias_correction2"]! - 0.001999) < 1e-15)
        #expect(abs(t2[0] - 0.80041) < 1e-4)
    }

    @Test func rprop() {
        // Δ₀ = 0.1, no previous gradient: θ₁ = (1, 1) − sign(1, 10)·0.1 = (0.9, 0.9).
        // Same signs again: Δ = 0.12, θ₂ = (0.78, 0.78).
        let s = twoSteps(Rprop())
        expectClose(s[0], [0.9, 0.9])
        expectClose(s[1], [0.78, 0.78])
        // A sign change halves the step: on ½θ² from 0.05, θ₁ = −0.05, then g = −0.05 flips sign,
        // Δ = 0.05, θ₂ = −0.05 + 0.05 = 0.
        var r = Rprop()
        var p: NamedTensors = ["x": Tensor(vector: [0.05])]
        p = r.step(p, gradients: p).parameters
        #expect(abs(p["x"]!.scalars[0] + 0.05) < 1e-15)
        let second = r.step(p, gradients: p)
        #expect(abs(second.parameters["x"]!.scalars[0]) < 1e-15)
        #expect(second.state.tensors["stepSize.x"] == Tensor(vector: [0.05]))
    }

    @Test func weightDecayAddsLambdaTheta() {
        // g' = g + 0.5θ = (1 + 0.5, 10 + 0.5) at θ = (1, 1): θ₁ = (1 − 0.15, 1 − 1.05) = (0.85, −0.05).
        let s = twoSteps(GradientDescent(OptimizerSettings(learningRate: 0.1, weightDecay: 0.5)))
        expectClose(s[0], [0.85, -0.05])
    }

    @Test func schedules() {
        #expect(LearningRateSchedule.constant.rate(0.5, at: 10) == 0.5)
        #expect(LearningRateSchedule.step(every: 3, factor: 0.5).rate(1, at: 2) == 1)
        #expect(LearningRateSchedule.step(every: 3, factor: 0.5).rate(1, at: 7) == 0.25)
        #expect(abs(LearningRateSchedule.exponential(k: 0.1).rate(2, at: 5) - 2 * exp(-0.5)) < 1e-15)
        #expect(LearningRateSchedule.hyperbolic(k: 0.5).rate(3, at: 4) == 1)
        // The schedule reaches the update: the second GD step uses η₁ = 0.1/(1 + 1).
        let s = twoSteps(GradientDescent(OptimizerSettings(learningRate: 0.1, schedule: .hyperbolic(k: 1))))
        #expect(s[1].learningRate == 0.05)
        expectClose(s[1], [0.9 - 0.05 * 0.9, 0])
    }

    /// Adam and momentum end near the minimum (0, 0) of the ravine within a few hundred steps.
    @Test func convergence() {
        for optimizer in [Adam(OptimizerSettings(learningRate: 0.05)) as any Optimizer,
                          Momentum(OptimizerSettings(learningRate: 0.05), mu: 0.9)] {
            var o = optimizer
            var p: NamedTensors = ["θ": Tensor(vector: [1, 1])]
            for _ in 0..<500 { p = o.step(p, gradients: Self.gradient(o.evaluationPoint(for: p))).parameters }
            #expect(p["θ"]!.scalars.allSatisfy { abs($0) < 1e-3 }, "\(o.name) ended at \(p["θ"]!.scalars)")
        }
    }
}

@Suite struct MiniBatchTests {
    /// Epochs are successive permutations from one generator (Python reference: Generator(3).shuffle twice).
    @Test func epochsFollowTheReference() {
        var batches = MiniBatches(count: 7, batchSize: 3, seed: 3)
        let first = batches.nextEpoch(), second = batches.nextEpoch()
        #expect(first.map(\.count) == [3, 3, 1])
        #expect(first.flatMap { $0 } == [5, 1, 3, 2, 0, 6, 4])
        #expect(second.flatMap { $0 } == [6, 1, 3, 4, 0, 2, 5])
    }
}

@Suite struct OptimizerResumeTests {
    /// An optimizer resumed from the state recorded after step k continues bit for bit as the original.
    @Test(arguments: ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "rprop"])
    func resumesFromARecordedState(name: String) throws {
        func make() -> any Optimizer {
            let settings = OptimizerSettings(learningRate: 0.05)
            switch name {
            case "momentum": return Momentum(settings)
            case "nesterov": return Momentum(settings, nesterov: true)
            case "adagrad": return AdaptiveRate(settings, kind: .adagrad)
            case "rmsprop": return AdaptiveRate(settings, kind: .rmsprop(gamma: 0.9))
            case "adam": return Adam(settings)
            case "rprop": return Rprop()
            default: return GradientDescent(OptimizerSettings(learningRate: 0.05, schedule: .hyperbolic(k: 0.1)))
            }
        }
        // f(x, y) = x² + 10y², gradient (2x, 20y).
        func gradient(_ p: NamedTensors) -> NamedTensors {
            let s = p["θ"]?.scalars ?? [0, 0]
            return NamedTensors([("θ", Tensor(vector: [2 * s[0], 20 * s[1]]))])
        }
        var original = make()
        var theta = NamedTensors([("θ", Tensor(vector: [1.5, -0.7]))])
        var states: [TraceOptimizerState] = [], points: [NamedTensors] = []
        for _ in 0..<12 {
            let step = original.step(theta, gradients: gradient(original.evaluationPoint(for: theta)))
            theta = step.parameters
            states.append(step.state)
            points.append(theta)
        }
        var resumed = make()
        resumed.resume(from: states[4])
        var again = points[4]
        for k in 5..<12 {
            let step = resumed.step(again, gradients: gradient(resumed.evaluationPoint(for: again)))
            again = step.parameters
            #expect(again["θ"]?.scalars.map(\.bitPattern) == points[k]["θ"]?.scalars.map(\.bitPattern), "\(name) step \(k + 1)")
        }
    }
}

/// Reduce on plateau, worked by hand: patience 2, factor ½, an improvement is more than 10% below the best.
@Suite struct PlateauReductionTests {
    @Test func lowersTheRateAfterPatienceEpochsWithoutImprovement() {
        var p = PlateauReduction(rate: 1, patience: 2, factor: 0.5, threshold: 0.1)
        // 1.0 is the first (the best); 0.95 is not 10% below it, nor is 0.92: two in a row, so η = 0.5.
        // 0.85 is (best 1.0 → 0.85); 0.8 is not (needs < 0.765); 0.7 is; 0.7 and 0.69 are not: η = 0.25.
        let losses = [1.0, 0.95, 0.92, 0.85, 0.8, 0.7, 0.7, 0.69]
        let reduced = losses.map { p.observe($0) }
        #expect(reduced == [false, false, true, false, false, false, false, true])
        #expect(p.rate == 0.25 && p.best == 0.7 && p.waited == 0)
        // A rising loss counts as no improvement too.
        var q = PlateauReduction(rate: 3, patience: 1, factor: 0.1, threshold: 0)
        #expect([q.observe(2), q.observe(2), q.observe(5), q.observe(1)] == [false, true, true, false])
        #expect(abs(q.rate - 0.03) < 1e-15)
    }

    /// An optimizer's settings are settable: the lowered rate reaches the next update.
    @Test func theLoweredRateReachesTheUpdate() {
        var gd: any Optimizer = GradientDescent(OptimizerSettings(learningRate: 1))
        gd.settings.learningRate = 0.25
        let step = gd.step(["θ": Tensor(column: [1])], gradients: ["θ": Tensor(column: [2])])
        #expect(step.learningRate == 0.25 && step.parameters["θ"]?.scalars == [0.5])
    }
}
