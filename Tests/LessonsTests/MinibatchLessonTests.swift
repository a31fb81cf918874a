import Foundation
import Sim
import Testing
@testable import Lessons

/// The minibatch lesson's runs against plain stochastic gradient descent written here, its noise against
/// the closed form and a re-drawn measurement, and its cost table against counting.
@Suite struct MinibatchLessonTests {
    static func outcome(_ overrides: [String] = [], seed: UInt64? = nil) throws -> (MinibatchLesson.Outcome, Lesson<MinibatchLesson>) {
        let context = try LessonRun.context(script: try LessonScript(named: "minibatch"), overrides: overrides, seed: seed, recordsSteps: false)
        let lesson = try Lesson<MinibatchLesson>(context)
        return (try MinibatchLesson.compute(lesson), lesson)
    }

    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    /// SGD on the mean cross-entropy of each batch: every epoch a permutation of 0..<N from one generator
    /// seeded with seed + 1, cut into batches in order (full batch: every sample in order, no draw).
    static func sgd(_ data: DataSet, batch: Int, rate: Double, epochs: Int, seed: UInt64) -> (updates: [Double], epochs: [Double]) {
        let n = data.inputs.count
        var w = [Double](repeating: 0, count: data.inputNames.count + 1)
        var g = SeededGenerator(seed: seed &+ 1)
        func p(_ x: [Double]) -> Double { sigmoid(zip(w, [1] + x).map { $0 * $1 }.reduce(0, +)) }
        func full() -> Double { -zip(data.inputs, data.targets).reduce(0) { $0 + ($1.1 == 1 ? log(p($1.0)) : log(1 - p($1.0))) } / Double(n) }
        var updates: [Double] = [], perEpoch = [full()]
        for _ in 0..<epochs {
            let order = batch < n ? g.permutation(n) : Array(0..<n)
            for start in stride(from: 0, to: n, by: batch) {
                let rows = order[start..<min(start + batch, n)]
                var grad = [Double](repeating: 0, count: w.count), loss = 0.0
                for i in rows {
                    let x = [1] + data.inputs[i], y = data.targets[i], q = p(data.inputs[i])
                    loss -= y == 1 ? log(q) : log(1 - q)
                    for j in w.indices { grad[j] += (q - y) * x[j] / Double(rows.count) }
                }
                updates.append(loss / Double(rows.count))
                for j in w.indices { w[j] -= rate * grad[j] }
            }
            perEpoch.append(full())
        }
        return (updates, perEpoch)
    }

    @Test(arguments: [UInt64(1), 5])
    func runsAreSGDWithSeededShuffles(seed: UInt64) throws {
        let (outcome, _) = try Self.outcome(["epochs=3", "batch-size=7"], seed: seed)
        let data = outcome.data
        #expect(outcome.runs.map(\.batchSize) == [data.inputs.count, 7, 1])
        for run in outcome.runs {
            let (updates, epochs) = Self.sgd(data, batch: run.batchSize, rate: 0.5, epochs: 3, seed: seed)
            #expect(run.updateLosses.count == updates.count && run.epochLosses.count == 4)
            for (a, b) in zip(run.updateLosses, updates) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(run.name): \(a) against \(b)") }
            for (a, b) in zip(run.epochLosses, epochs) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(run.name): \(a) against \(b)") }
        }
        // The same seed gives the same numbers; another seed another order.
        let (again, _) = try Self.outcome(["epochs=3", "batch-size=7"], seed: seed)
        #expect(again.runs[2].updateLosses == outcome.runs[2].updateLosses)
    }

    /// The formula against an exhaustive average: all C(N, B) batches of a small data set, and the lesson's
    /// measurement against the same draws made here.
    @Test func noiseFollowsTheFormula() throws {
        let grads: [[Double]] = [[1, 0], [0, 2], [-1, 1], [3, -1], [0.5, 0.5]]
        let n = grads.count
        let mean = (0..<2).map { j in grads.reduce(0) { $0 + $1[j] } / Double(n) }
        for b in 1...n {
            var total = 0.0, count = 0
            func subsets(_ start: Int, _ chosen: [Int]) {
                if chosen.count == b {
                    let g = (0..<2).map { j in chosen.reduce(0) { $0 + grads[$1][j] } / Double(b) }
                    total += zip(g, mean).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                    count += 1
                    return
                }
                for i in start..<n { subsets(i + 1, chosen + [i]) }
            }
            subsets(0, [])
            #expect(abs(MinibatchLesson.noiseFormula(batch: b, gradients: grads) - total / Double(count)) < 1e-12, "B = \(b)")
        }
        let (outcome, lesson) = try Self.outcome(["epochs=1", "noise-draws=50"])
        let data = outcome.data
        let gradients = zip(data.inputs, data.targets).map { x, y in ([1] + x).map { (0.5 - y) * $0 } }
        let full = (0..<3).map { j in gradients.reduce(0) { $0 + $1[j] } / Double(data.inputs.count) }
        var g = SeededGenerator(seed: lesson.seed &+ 2)
        for q in outcome.noise {
            var total = 0.0
            for _ in 0..<50 {
                let batch = Array(g.permutation(data.inputs.count).prefix(q.batchSize))
                let mean = (0..<3).map { j in batch.reduce(0) { $0 + gradients[$1][j] } / Double(q.batchSize) }
                total += zip(mean, full).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            }
            #expect(abs(q.measured - total / 50) <= 1e-12 * max(1e-12, total / 50), "B = \(q.batchSize)")
            // 50 draws: within a factor of two of the expectation, except at B = N where both are 0.
            if q.formula > 0 { #expect(q.measured / q.formula > 0.5 && q.measured / q.formula < 2, "B = \(q.batchSize)") } else { #expect(q.measured < 1e-25) }
        }
    }

    @Test func costCountsTheMultiplyAdds() throws {
        #expect(MinibatchLesson.cost(n: 100, d: 3, b: 100) == (1, 603))
        #expect(MinibatchLesson.cost(n: 100, d: 3, b: 10) == (10, 630))
        #expect(MinibatchLesson.cost(n: 100, d: 3, b: 1) == (100, 900))
        #expect(MinibatchLesson.cost(n: 100, d: 3, b: 7) == (15, 645))
        #expect(throws: LessonError.self) { try LessonRun(lessonPath("minibatch"), overrides: ["batch-size=100"]) }
    }
}
