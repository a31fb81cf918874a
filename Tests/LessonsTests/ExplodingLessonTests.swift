import Foundation
import Sim
import Testing
@testable import Lessons

@Suite struct ExplodingLessonTests {
    func number(_ run: LessonRun, _ key: String) -> Double? {
        if case .number(let x) = run.result.trace.summaryValue(key) { return x } else { return nil }
    }

    /// Over many seeds the measured slope of ln‖Pₖ‖ is Newman's rate to within a few percent.
    @Test func slopeMatchesTheTheoryOverManySeeds() throws {
        let run = try LessonRun(lessonPath("exploding"), overrides: ["seeds=200,overflow-limit=0"], recordsSteps: false)
        let theory = 0.5 * (log(2.0) + 1 - 0.57721566490153286)
        let measured = try #require(number(run, "sigma-measured"))
        #expect(abs(measured / theory - 1) < 0.03)
        // Variance 1/n: the same draws scaled by 1/2, so exactly ln 2 less per matrix, and negative.
        let scaled = try #require(number(run, "scaled-measured"))
        #expect(abs(scaled - (measured - log(2.0))) < 1e-9)
        #expect(scaled < 0)
        #expect(try #require(number(run, "xavier-measured")) < 0)
    }

    /// The trace holds every matrix; the product recomputed from them gives the recorded norms and rate.
    @Test func productRecomputedFromTheTrace() throws {
        let run = try LessonRun(lessonPath("exploding"), overrides: ["seeds=2,count=40,overflow-limit=0"], traceDetail: .all)
        #expect(run.result.trace.runs.map(\.name) == ["sigma-seed-1", "sigma-seed-2", "scaled-seed-1", "scaled-seed-2", "xavier-seed-1", "xavier-seed-2"])
        let recordedRun = run.result.trace.runs[0]
        #expect(recordedRun.steps.count == 40)
        let first = recordedRun.steps
        let matrices = [try #require(recordedRun.initial["G0"])] + first.compactMap { $0.nodes?.first { $0.name == "G" }?.value }
        #expect(matrices.count == 41 && matrices.allSatisfy { $0.shape == [4, 4] })
        var p = matrices[0].rows
        var logs: [Double] = [log(p.joined().reduce(0) { $0 + $1 * $1 }.squareRoot())]
        for g in matrices.dropFirst() {
            let rows = g.rows
            p = p.map { row in (0..<4).map { j in (0..<4).reduce(0) { $0 + row[$1] * rows[$1][j] } } }
            logs.append(log(p.joined().reduce(0) { $0 + $1 * $1 }.squareRoot()))
        }
        for step in first {
            let recorded = try #require(step.nodes?.first { $0.name == "log_norm" }?.value.scalar)
            #expect(abs(recorded - logs[step.step]) < 1e-10)
        }
        // Least-squares slope of the recomputed logs.
        let n = Double(logs.count), mk = (n - 1) / 2, my = logs.reduce(0, +) / n
        let slope = logs.enumerated().reduce(0) { $0 + (Double($1.offset) - mk) * ($1.element - my) }
            / logs.indices.reduce(0) { $0 + (Double($1) - mk) * (Double($1) - mk) }
        #expect(abs(slope - (number(run, "sigma-seed-1.rate") ?? .nan)) < 1e-12)
    }

    @Test func overflowIsShownNotCrashedOn() throws {
        let run = try LessonRun(lessonPath("exploding"), overrides: ["seeds=1"], recordsSteps: false)
        guard case .integer(let at) = run.result.trace.summary["overflow-at"] else {
            Issue.record("no overflow recorded")
            return
        }
        // ln(1.8e308) ≈ 709.8 at about 0.56 per matrix.
        #expect((1100...1450).contains(at))
        #expect(run.result.figures.map(\.name).contains("overflow"))
        #expect(run.result.narration.contains { $0.contains("multiplication \(at)") })
    }

    /// Settings that would keep more matrices than memory allows are refused before anything runs.
    @Test func tooMuchWorkIsRefused() {
        #expect(throws: LessonError.self) { try LessonRun(lessonPath("exploding"), overrides: ["n=64,count=100000,seeds=1000"]) }
    }
}
