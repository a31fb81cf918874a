import Foundation
import Sim
import Testing
@testable import Lessons

/// The schedules lesson's rates against the notes' closed forms, its training against plain mini-batch SGD
/// with the schedules and the plateau rule written here, its minimum against the gradient there, and its
/// sentences against the numbers, for several seeds and settings.
@Suite struct SchedulesLessonTests {
    static func outcome(_ overrides: [String] = [], seed: UInt64? = nil) throws -> (SchedulesLesson.Outcome, Lesson<SchedulesLesson>) {
        let context = try LessonRun.context(script: try LessonScript(named: "schedules"), overrides: overrides, seed: seed, recordsSteps: false)
        let lesson = try Lesson<SchedulesLesson>(context)
        return (try SchedulesLesson.compute(lesson), lesson)
    }

    /// Everything a run depends on, as the test reads it from the settings.
    struct Setup {
        var rate = 4.0, batch = 5, epochs = 40, stepEvery = 10, stepFactor = 0.5, expK = 0.004, hypK = 0.02
        var patience = 3, plateauFactor = 0.5, improvement = 0.01
    }

    /// Mini-batch SGD on the mean cross-entropy of each batch, numpy-style on plain arrays: each epoch a
    /// permutation of 0..<N from one generator seeded with seed + 1, cut in order; the rate of update t from
    /// `rate(t, reductions)`, where `reductions` counts the plateau rule's reductions so far. The plateau rule:
    /// after each epoch, the loss on all samples is an improvement when below best·(1 − improvement) (the
    /// first always is); `patience` epochs in a row without one multiply the rate by the factor and start the count again.
    static func sgd(_ data: DataSet, _ c: Setup, seed: UInt64, plateau: Bool, rate: (Int) -> Double) -> (rates: [Double], epochs: [Double]) {
        let n = data.inputs.count
        var w = [Double](repeating: 0, count: data.inputNames.count + 1)
        var g = SeededGenerator(seed: seed &+ 1)
        func p(_ x: [Double]) -> Double { 1 / (1 + exp(-zip(w, [1] + x).map { $0 * $1 }.reduce(0, +))) }
        func full() -> Double { -zip(data.inputs, data.targets).reduce(0) { $0 + ($1.1 == 1 ? log(p($1.0)) : log(1 - p($1.0))) } / Double(n) }
        var rates: [Double] = [], perEpoch = [full()]
        var scale = 1.0, best = Double.infinity, bad = 0
        var t = 0
        for _ in 0..<c.epochs {
            let order = g.permutation(n)
            for start in stride(from: 0, to: n, by: c.batch) {
                let rows = order[start..<min(start + c.batch, n)]
                var grad = [Double](repeating: 0, count: w.count)
                for i in rows {
                    let x = [1] + data.inputs[i], q = p(data.inputs[i])
                    for j in w.indices { grad[j] += (q - data.targets[i]) * x[j] / Double(rows.count) }
                }
                let eta = plateau ? c.rate * scale : rate(t)
                rates.append(eta)
                for j in w.indices { w[j] -= eta * grad[j] }
                t += 1
            }
            let loss = full()
            perEpoch.append(loss)
            if plateau {
                if best == .infinity || loss < best * (1 - c.improvement) {
                    best = loss
                    bad = 0
                } else {
                    bad += 1
                    if bad == c.patience { scale *= c.plateauFactor; bad = 0 }
                }
            }
        }
        return (rates, perEpoch)
    }

    /// The notes' closed forms for update t (note 001: α₀e^(−kt), α₀/(1 + kt); step: halve every few epochs).
    static func closedForms(_ c: Setup, perEpoch: Int) -> [String: (Int) -> Double] {
        ["constant": { _ in c.rate },
         "step": { t in c.rate * pow(c.stepFactor, Double(t / (c.stepEvery * perEpoch))) },
         "exponential": { t in c.rate * exp(-c.expK * Double(t)) },
         "1/t": { t in c.rate / (1 + c.hypK * Double(t)) }]
    }

    @Test(arguments: [(UInt64(1), [String]()), (5, ["learning-rate=1", "batch-size=10", "epochs=12", "step-every=3", "step-factor=0.3", "exponential-k=0.01", "hyperbolic-k=0.1", "patience=2", "plateau-factor=0.25", "improvement=0.001"])] as [(UInt64, [String])])
    func ratesAreTheClosedFormsAndTrainingIsPlainSGD(seed: UInt64, overrides: [String]) throws {
        let (outcome, lesson) = try Self.outcome(overrides, seed: seed)
        let s = lesson.settings
        let c = Setup(rate: s.learningRate, batch: s.batchSize, epochs: s.epochs, stepEvery: s.stepEvery, stepFactor: s.stepFactor, expK: s.exponentialK,
                      hypK: s.hyperbolicK, patience: s.patience, plateauFactor: s.plateauFactor, improvement: s.improvement)
        let n = outcome.data.inputs.count, perEpoch = (n + c.batch - 1) / c.batch
        #expect(outcome.updatesPerEpoch == perEpoch)
        #expect(outcome.runs.map(\.name) == ["constant", "step", "exponential", "1/t", "plateau"])
        let forms = Self.closedForms(c, perEpoch: perEpoch)
        for run in outcome.runs {
            #expect(run.rates.count == perEpoch * c.epochs && run.epochLosses.count == c.epochs + 1)
            let plateau = run.name == "plateau"
            if let form = forms[run.name] {
                for (t, rate) in run.rates.enumerated() { #expect(abs(rate - form(t)) <= 1e-15 * form(t), "\(run.name) t = \(t): \(rate) against \(form(t))") }
            }
            let (rates, epochs) = Self.sgd(outcome.data, c, seed: seed, plateau: plateau, rate: forms[run.name] ?? { _ in .nan })
            for (t, (a, b)) in zip(run.rates, rates).enumerated() { #expect(abs(a - b) <= 1e-15 * b, "\(run.name) rate at t = \(t): \(a) against \(b)") }
            for (e, (a, b)) in zip(run.epochLosses, epochs).enumerated() { #expect(abs(a - b) <= 1e-11 * b, "\(run.name) epoch \(e): \(a) against \(b)") }
        }
        // The plateau run's rate: η₀ times the factor once per reduction at an epoch's end before the update.
        let plateau = try #require(outcome.runs.last)
        for (t, rate) in plateau.rates.enumerated() {
            let reductions = plateau.reductions.filter { $0 <= t / perEpoch }.count
            #expect(abs(rate - c.rate * pow(c.plateauFactor, Double(reductions))) <= 1e-15 * rate)
        }
    }

    /// E* is where the gradient (1/N)Σ(ŷ − y)x, computed here, vanishes, and no run gets below it.
    @Test func theMinimumIsWhereTheGradientVanishes() throws {
        let (outcome, _) = try Self.outcome(["epochs=5"])
        let minimum = try #require(outcome.minimum)
        let data = outcome.data
        var gradient = [Double](repeating: 0, count: minimum.w.count)
        for (x, y) in zip(data.inputs, data.targets) {
            let q = 1 / (1 + exp(-zip(minimum.w, [1] + x).map { $0 * $1 }.reduce(0, +)))
            for j in gradient.indices { gradient[j] += (q - y) * ([1] + x)[j] / Double(data.inputs.count) }
        }
        #expect(gradient.map(abs).max() ?? 1 < 1e-12, "\(gradient)")
        for run in outcome.runs { #expect(run.epochLosses.allSatisfy { $0 >= minimum.loss - 1e-15 }) }
        // Separable data (AND) have no minimum: the lesson says so and measures E itself.
        let (and, _) = try Self.outcome(["data=and", "batch-size=2", "epochs=3"])
        #expect(and.minimum == nil && and.floor == 0)
    }

    /// The sentences name what the numbers say, for other seeds and settings too.
    @Test(arguments: [(UInt64(1), [String]()), (2, ["learning-rate=0.5"]), (9, ["epochs=5", "threshold=0.05"])] as [(UInt64, [String])])
    func sentencesFollowTheOutcome(seed: UInt64, overrides: [String]) throws {
        let (outcome, lesson) = try Self.outcome(overrides, seed: seed)
        let text = SchedulesLesson.comparison(outcome, in: lesson).joined(separator: " ")
        let best = try #require(outcome.runs.min { ($0.epochLosses.last ?? .infinity) < ($1.epochLosses.last ?? .infinity) })
        #expect(text.contains("the \(best.name) run has the lowest cross-entropy"), "\(text)")
        for run in outcome.runs {
            let first = run.epochLosses.firstIndex { $0 - outcome.floor <= lesson.settings.threshold }
            #expect(text.contains(first.map { "\(run.name) after epoch \($0)" } ?? "\(run.name) never"), "\(run.name): \(text)")
        }
        let plateau = try #require(outcome.runs.last)
        #expect(text.contains(plateau.reductions.isEmpty ? "never lowered η" : "lowered η after epoch"))
    }

    @Test func theSameSeedRepeatsExactly() throws {
        let (a, _) = try Self.outcome(["epochs=3"], seed: 4)
        let (b, _) = try Self.outcome(["epochs=3"], seed: 4)
        #expect(a.runs.map(\.epochLosses) == b.runs.map(\.epochLosses) && a.runs.map(\.rates) == b.runs.map(\.rates))
    }
}
