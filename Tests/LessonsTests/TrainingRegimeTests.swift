import Foundation
import Testing
@testable import Lessons
@testable import Sim

/// What docs/optimizers.md describes, the network lesson accepts (issue 12, item 6): weight decay, a
/// learning-rate schedule and mini-batches, each checked against its formula.
@Suite struct TrainingRegimeTests {
    func params(_ run: LessonRun, step: Int) throws -> NamedTensors { try #require(run.result.trace.runs[0].steps.first { $0.step == step }).params }

    /// With λ, the first update from the same start differs from plain gradient descent by exactly −ηλθ₀.
    @Test func weightDecayAddsLambdaTheta() throws {
        let plain = try LessonRun("xor", overrides: ["steps=1,learning-rate=0.5"])
        let decayed = try LessonRun("xor", overrides: ["steps=1,learning-rate=0.5,weight-decay=0.1"])
        for name in ["W1", "W2"] {
            let start = try #require(plain.result.trace.runs[0].initial[name]).scalars
            let a = try #require(try params(plain, step: 1)[name]).scalars, b = try #require(try params(decayed, step: 1)[name]).scalars
            for i in start.indices {
                let difference: Double = b[i] - a[i], expected: Double = -0.5 * 0.1 * start[i]
                #expect(abs(difference - expected) <= 1e-15)
            }
        }
        #expect(decayed.result.narration.contains { $0.contains("weight decay λ = 0.1") })
    }

    /// step:2:0.5 halves η every two updates: η₀, η₀, η₀/2, η₀/2, η₀/4 …
    @Test func stepScheduleHalvesTheRate() throws {
        let run = try LessonRun("xor", overrides: ["steps=5,learning-rate=0.8,schedule=step:2:0.5"], traceDetail: .all)
        let rates: [Double] = run.result.trace.runs[0].steps.map { $0.optimizer?.scalars["learning_rate"] ?? .nan }
        #expect(rates == [0.8, 0.8, 0.4, 0.4, 0.2])
        let hyperbolic = try LessonRun("xor", overrides: ["steps=3,learning-rate=1,schedule=hyperbolic:0.5"], traceDetail: .all)
        let decaying: [Double] = hyperbolic.result.trace.runs[0].steps.map { $0.optimizer?.scalars["learning_rate"] ?? .nan }
        let expected: [Double] = [1, 1 / 1.5, 1 / 2.0]
        #expect(decaying == expected)
    }

    /// batch-size 1: every epoch of 4 updates presents each XOR sample once, in a fresh seeded order.
    @Test func miniBatchesCoverEachEpoch() throws {
        let run = try LessonRun("xor", overrides: ["steps=12,batch-size=1"])
        let samples = run.result.trace.runs[0].steps.map { $0.samples ?? [] }
        #expect(samples.allSatisfy { $0.count == 1 })
        var generator = MiniBatches(count: 4, batchSize: 1, seed: 1 &+ 1)
        let expected = (0..<3).flatMap { _ in generator.nextEpoch() }
        #expect(samples == expected)
        for epoch in 0..<3 { #expect(Set(samples[(4 * epoch)..<(4 * epoch + 4)].flatMap { $0 }) == [0, 1, 2, 3]) }
        // The loss recorded is the batch's: ½(ŷ − y)² of its one sample.
        let first = try #require(run.result.trace.runs[0].steps.first)
        let L = try #require(first.nodes?.first { $0.name == "L" }).value.scalar ?? .nan
        let yhat = try #require(first.nodes?.first { $0.name == "yhat" }).value.scalars
        let residual: Double = yhat[0] - DataSet.xor.targets[samples[0][0]]
        #expect(yhat.count == 1)
        #expect(abs(L - 0.5 * residual * residual) <= 1e-15)
    }

    @Test(arguments: [("schedule=step:0:0.5", "'schedule': 'step:0:0.5': a schedule is"), ("schedule=fast", "'schedule': 'fast'"),
                      ("optimizer=rprop,schedule=exponential:0.1", "rprop uses only the gradient's sign"),
                      ("weight-decay=-1", "'--set weight-decay'"), ("batch-size=3000", "'--set batch-size'")])
    func badRegimesAreRefusedBeforeRunning(setting: String, message: String) {
        do {
            _ = try LessonRun("xor", overrides: [setting])
            Issue.record("\(setting) was accepted")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }
}
