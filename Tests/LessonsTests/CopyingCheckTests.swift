import Foundation
import Testing
@testable import Lessons
@testable import Sim

/// The copying check flags answers that are another student's numbers, and identical runs; honest
/// submissions, slips included, raise no flag (issue 15).
@Suite struct CopyingCheckTests {
    let assignment: Assignment
    init() throws { assignment = try Assignment(contentsOfFile: assignmentPath("backprop")) }

    /// A student's own answers with slips: some numbers negated, some off by a random amount, some left out.
    func honest(_ variant: StudentVariant, generator: inout SeededGenerator) -> String {
        var lines = ["answers:"]
        for q in variant.questions {
            lines.append("  \(q.question.id):")
            for ask in q.question.asks {
                guard case .numbers(let xs, let shape)? = q.expected[ask.key] else { continue }
                let slip = generator.uniform()
                let values = xs.map { x in slip < 0.15 ? -x : slip < 0.3 ? x * (1 + generator.uniform()) + 0.7 : x }
                if slip > 0.95 { continue }
                lines.append("    \"\(ask.key)\": " + (shape.isEmpty ? "\(values[0])" : "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func honestSubmissionsRaiseNoFlagAndACopierDoes() throws {
        var generator = SeededGenerator(seed: 11)
        var entries: [CopyingCheck.Entry] = []
        for i in 0..<300 {
            let variant = try StudentVariant(assignment, student: "s\(i)")
            let result = Grader.grade(try submission(honest(variant, generator: &generator)), variant: variant)
            entries.append(CopyingCheck.Entry(student: variant.student, result: result))
        }
        #expect(CopyingCheck.flags(entries) == [])
        // alice hands in bob's answers, word for word.
        let bob = try StudentVariant(assignment, student: "bob"), alice = try StudentVariant(assignment, student: "alice")
        let copied = Grader.grade(try submission(perfectSubmission(bob).replacingOccurrences(of: "student: \"bob\"", with: "student: \"alice\"")), variant: alice)
        entries.append(CopyingCheck.Entry(student: "bob", result: Grader.grade(try submission(perfectSubmission(bob)), variant: bob)))
        entries.append(CopyingCheck.Entry(student: "alice", result: copied))
        let flags = CopyingCheck.flags(entries)
        #expect(flags.count == 1)
        #expect(flags.first?.student == "alice" && flags.first?.other == "bob")
        #expect(flags.first?.reason.contains("are bob's numbers, not alice's") == true)
    }

    @Test func identicalRunsAreFlagged() throws {
        let result = GradeResult(student: "x", questions: [], problems: [])
        let flags = CopyingCheck.flags([CopyingCheck.Entry(student: "ann", result: result, runBytes: Array("step,quantity,value\n1,L,0.5\n".utf8)),
                                        CopyingCheck.Entry(student: "ben", result: result, runBytes: Array("step,quantity,value\n1,L,0.5\n".utf8)),
                                        CopyingCheck.Entry(student: "cid", result: result, runBytes: Array("step,quantity,value\n1,L,0.25\n".utf8))])
        #expect(flags == [CopyingCheck.Flag(student: "ben", other: "ann", reason: "the run file is identical to ann's")])
    }
}

/// The class report's numbers against a plain computation of the same statistics (issue 15).
@Suite struct ClassReportTests {
    @Test func difficultyAndDiscriminationAreTheFormulas() throws {
        let assignment = try Assignment(contentsOfFile: assignmentPath("backprop"))
        var results: [GradeResult] = []
        for (i, student) in ["ann", "ben", "cid", "dee", "eve"].enumerated() {
            let variant = try StudentVariant(assignment, student: student)
            // Students answer the first i+1 questions perfectly and leave the rest out.
            let full = perfectSubmission(variant)
            let kept = full.split(separator: "\n").reduce(into: (lines: [String](), question: 0)) { acc, line in
                if line.hasPrefix("  q") { acc.question += 1 }
                if acc.question <= i + 1 { acc.lines.append(String(line)) }
            }.lines.joined(separator: "\n") + "\n"
            results.append(Grader.grade(try submission(kept), variant: variant))
        }
        let report = ClassReport(assignment: assignment, results: results)
        for (k, question) in assignment.questions.enumerated() {
            let scores = results.map { r in r.questions.first { $0.question.id == question.id }?.score ?? 0 }
            let rest = zip(results, scores).map { $0.score - $1 }
            let mean = scores.reduce(0, +) / 5
            let row = report.rows[k]
            #expect(abs(row.mean - mean) < 1e-12 && abs(row.difficulty - mean / question.maxScore) < 1e-12)
            // Pearson's r, written out.
            let mr = rest.reduce(0, +) / 5
            let sxy = zip(scores, rest).map { ($0 - mean) * ($1 - mr) }.reduce(0, +)
            let sxx = scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +), syy = rest.map { ($0 - mr) * ($0 - mr) }.reduce(0, +)
            let r: Double? = sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : nil
            #expect(row.discrimination.map { abs($0 - (r ?? .nan)) < 1e-12 } ?? (r == nil), "\(question.id)")
            #expect(row.full == scores.filter { $0 >= question.maxScore }.count && row.zero == scores.filter { $0 == 0 }.count)
        }
        #expect(report.csv.hasPrefix("question,max,graded,mean,difficulty,discrimination,full,zero,carried,most_often_first_wrong,students,slips,replay_departures\nq1,6,5,"))
    }

    /// Wrong answers that are the key with a common mistake are counted per question; others are not.
    @Test func slipsAreDiagnosedAndCounted() throws {
        let t = Tolerance.standard
        #expect(Slip.diagnose([-2.5], [2.5], shape: [], tolerance: t) == .sign)
        #expect(Slip.diagnose([5], [2.5], shape: [], tolerance: t) == .double)
        #expect(Slip.diagnose([1.25], [2.5], shape: [], tolerance: t) == .half)
        #expect(Slip.diagnose([1, 3, 2, 4], [1, 2, 3, 4], shape: [2, 2], tolerance: t) == .transposed)
        #expect(Slip.diagnose([1, 2, 3, 4], [1, 2, 3, 4], shape: [2, 2], tolerance: t) == nil)
        #expect(Slip.diagnose([0], [0], shape: [], tolerance: t) == nil && Slip.diagnose([7], [2.5], shape: [], tolerance: t) == nil)
        // A symmetric matrix transposed is itself: not a slip.
        #expect(Slip.diagnose([2, 1, 1, 2], [1, 2, 2, 1], shape: [2, 2], tolerance: t) == nil)

        let assignment = try Assignment(contentsOfFile: assignmentPath("backprop"))
        var results: [GradeResult] = []
        for student in ["ann", "ben", "cid"] {
            let variant = try StudentVariant(assignment, student: student)
            // Question 1 answered with every number's sign flipped: each nonzero one is a sign slip.
            var lines = ["student: \"\(student)\"", "answers:", "  q1:"]
            for ask in variant.questions[0].question.asks {
                guard case .numbers(let xs, let shape)? = variant.questions[0].expected[ask.key], shape.isEmpty else { continue }
                lines.append("    \"\(ask.key)\": \(-xs[0])")
            }
            let flipped = lines.joined(separator: "\n") + "\n"
            results.append(Grader.grade(try submission(flipped), variant: variant))
        }
        let report = ClassReport(assignment: assignment, results: results)
        let q1 = try #require(report.rows.first)
        let signs = results.flatMap { $0.questions[0].asks.filter { $0.status == .wrong } }
        #expect(!signs.isEmpty && signs.allSatisfy { $0.slip == .sign })
        #expect(q1.slips.map(\.slip) == [.sign] && q1.slips.first?.count == signs.count)
        #expect(report.csv.contains("sign flipped: \(signs.count)"))
    }
}
