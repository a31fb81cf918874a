import Foundation
import Render
import Sim
import Testing
@testable import Lessons

/// The logistic lesson's numbers against a plain re-implementation of logistic regression written here
/// (numpy-style on Doubles, not the engine), central differences, and the closed-form gradient.
@Suite struct LogisticLessonTests {
    static func outcome(_ overrides: [String] = [], seed: UInt64? = nil) throws -> (LogisticLesson.Outcome, Lesson<LogisticLesson>) {
        let context = try LessonRun.context(script: try LessonScript(named: "logistic"), overrides: overrides, seed: seed, recordsSteps: false)
        let lesson = try Lesson<LogisticLesson>(context)
        return (try LogisticLesson.compute(lesson), lesson)
    }

    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    /// Gradient descent on the mean cross-entropy (or the mean ½(ŷ − y)²) on plain arrays: X with a 1
    /// first, ∂E/∂w = (1/N) Σ δᵢxᵢ with δ = ŷ − y (or (ŷ − y)ŷ(1 − ŷ)). Returns the losses and the weights.
    static func descend(_ data: DataSet, from w0: [Double], rate: Double, steps: Int, squared: Bool) -> ([Double], [Double]) {
        var w = w0, losses: [Double] = []
        let n = Double(data.inputs.count)
        for _ in 0..<steps {
            var g = [Double](repeating: 0, count: w.count), loss = 0.0
            for (x, y) in zip(data.inputs, data.targets) {
                let row = [1] + x
                let p = sigmoid(zip(w, row).map { $0 * $1 }.reduce(0, +))
                loss += squared ? 0.5 * (p - y) * (p - y) : -(y * log(p) + (1 - y) * log(1 - p))
                let delta = squared ? (p - y) * p * (1 - p) : p - y
                for j in w.indices { g[j] += delta * row[j] / n }
            }
            losses.append(loss / n)
            for j in w.indices { w[j] -= rate * g[j] }
        }
        return (losses, w)
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-10) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }

    @Test(arguments: [(UInt64(3), "moons"), (1, "circles"), (7, "and")])
    func trainingAgreesWithAPlainReimplementation(seed: UInt64, data: String) throws {
        let (outcome, lesson) = try Self.outcome(["data=\(data)", "iterations=60"], seed: seed)
        // The start: init-scale times the seed's first Gaussians.
        var g = SeededGenerator(seed: seed)
        #expect(outcome.initial == (0..<3).map { _ in 2 * g.gaussian() })
        let set = try DataSet.named(data)
        for squared in [false, true] {
            let (losses, w) = Self.descend(set, from: outcome.initial, rate: 1, steps: 60, squared: squared)
            let run = try #require(squared ? outcome.squaredError : outcome.crossEntropy)
            #expect(run.losses.count == 60)
            for (a, b) in zip(run.losses, losses) { #expect(Self.close(a, b), "\(squared): \(a) against \(b)") }
            for (a, b) in zip(run.final, w) { #expect(Self.close(a, b, 1e-9), "\(squared): \(a) against \(b)") }
        }
        #expect(lesson.settings.iterations == 60)
    }

    /// Note 000's gradient (σ(w·x + b) − y)xⱼ for one sample and (1/N)Xᵀ(ŷ − y) for all, by formula here,
    /// equal the engine's backward pass, and both equal central differences of E.
    @Test func gradientIsYhatMinusYTimesX() throws {
        let (outcome, _) = try Self.outcome(["sample=7", "iterations=1"])
        let data = outcome.data
        let x = [1] + data.inputs[6], y = data.targets[6]
        let p = Self.sigmoid(zip(outcome.initial, x).map { $0 * $1 }.reduce(0, +))
        let formula = x.map { (p - y) * $0 }
        for (a, b) in zip(outcome.sampleBackward, formula) { #expect(Self.close(a, b, 1e-12), "\(a) against \(b)") }
        // The batch: backward's gradient of the first iteration against central differences of E(w).
        let backward = try #require(outcome.crossEntropy.first?.update.gradients["w"]?.scalars)
        func loss(_ w: [Double]) -> Double {
            zip(data.inputs, data.targets).reduce(0) { sum, s in
                let q = Self.sigmoid(zip(w, [1] + s.0).map { $0 * $1 }.reduce(0, +))
                return sum - (s.1 * log(q) + (1 - s.1) * log(1 - q))
            } / Double(data.inputs.count)
        }
        for j in outcome.initial.indices {
            var up = outcome.initial, down = outcome.initial
            up[j] += 1e-6; down[j] -= 1e-6
            let numeric = (loss(up) - loss(down)) / 2e-6
            #expect(abs(backward[j] - numeric) < 1e-7, "w\(j): \(backward[j]) against \(numeric)")
        }
        for (a, b) in zip(LogisticLesson.batchGradient(outcome), backward) { #expect(Self.close(a, b, 1e-12)) }
        // The report's table shows the same numbers.
        let run = try LessonRun(lessonPath("logistic"), overrides: ["sample=7", "iterations=1"], recordsSteps: false)
        let table = run.result.report.blocks.compactMap { block -> Report.Table? in if case .table(let t) = block { t } else { nil } }.first
        #expect(table?.rows.first?[2] == NumberFormat.display(formula[0]))
    }

    /// The comparison is the run's: the sample furthest from its class at the start, found here on plain
    /// numbers, with ∂L/∂z = ŷ − y and (ŷ − y)ŷ(1 − ŷ), for several seeds and a zero start.
    @Test(arguments: [["iterations=20"], ["iterations=20", "init-scale=0"], ["iterations=20", "data=circles"]])
    func comparisonSentencesAreTheRuns(overrides: [String]) throws {
        for seed: UInt64 in [1, 2, 3] {
            let (outcome, lesson) = try Self.outcome(overrides, seed: seed)
            let data = outcome.data
            let distances = zip(data.inputs, data.targets).map { x, y in abs(Self.sigmoid(zip(outcome.initial, [1] + x).map { $0 * $1 }.reduce(0, +)) - y) }
            let worst = try #require(distances.indices.first { distances[$0] == distances.max() })
            #expect(outcome.worst.index == worst)
            let p = outcome.worst.yhat, y = data.targets[worst]
            let text = LogisticLesson.comparison(outcome, in: lesson).joined(separator: " ")
            #expect(text.contains("∂L/∂z = ŷ − y = \(NumberFormat.display(p - y))"))
            #expect(text.contains("(ŷ − y)·ŷ(1 − ŷ) = \(NumberFormat.display((p - y) * p * (1 - p)))"))
            let wrong = abs(p - y) > 0.5
            #expect(text.contains("is on the wrong side") == wrong)
            #expect(text.contains("no sample's ŷ is more than 0.5 from its class") == !wrong)
            // Counts of samples classified right, counted here.
            let right = { (w: [Double]) in zip(data.inputs, data.targets).filter { (Self.sigmoid(zip(w, [1] + $0.0).map { $0 * $1 }.reduce(0, +)) >= 0.5 ? 1.0 : 0.0) == $0.1 }.count }
            #expect(text.contains("classifies \(right(outcome.crossEntropy.final)) of \(data.inputs.count)"))
            #expect(text.contains("squared-error run \(right(try #require(outcome.squaredError).final))"))
        }
    }

    @Test func refusesNonBinaryTargetsAndAnInfiniteLoss() throws {
        #expect(throws: LessonError.self) { try LessonRun(lessonPath("logistic"), overrides: ["data=blobs"]) }
        do {
            _ = try LessonRun(lessonPath("logistic"), overrides: ["learning-rate=1e6", "data=and", "iterations=2000"], recordsSteps: false)
        } catch {
            #expect(error.message.contains("learning-rate"))
        }
    }
}
