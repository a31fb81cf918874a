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
        // Slips made whatever the draw link no drawn value to a mistake (DrawnValueLink), over 5 questions.
        #expect(ClassReport(assignment: assignment, results: entries.map(\.result)).rows.allSatisfy { $0.links.isEmpty })
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
        #expect(report.csv.hasPrefix("question,max,graded,mean,difficulty,discrimination,full,zero,carried,most_often_first_wrong,students,slips,replay_departures,drawn_values\nq1,6,5,"))
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

    /// A mistake made only with one drawn value is linked to it, with its counts; honest mistakes made at
    /// random, whatever the draw, raise no link.
    @Test func drawnValuesThatWentWithMistakes() throws {
        let yaml = """
        title: t
        seed: 3
        questions:
          - id: q
            graph: "L = c*a"
            at: {a: {integers: [1, 5]}, c: {choices: [-2, 3]}}
            ask: [{value: L}, {gradient: a}]
        """
        let assignment = try Assignment(yaml: yaml, path: "t.yaml")
        var generator = SeededGenerator(seed: 8)
        var biased: [GradeResult] = [], random: [GradeResult] = []
        var counts = (negativeWrong: 0, negative: 0, positiveWrong: 0, positive: 0)
        for i in 0..<600 {
            let variant = try StudentVariant(assignment, student: "s\(i)")
            let q = variant.questions[0]
            guard case .numbers(let l, _)? = q.expected["L"], case .numbers(let g, _)? = q.expected["dL/da"] else { Issue.record("no key"); return }
            let negative = q.values.first { $0.name == "c" }?.value == "-2"
            // Biased: with c < 0, one in two forgets the sign of ∂L/∂a (writes |c|); else all right.
            let slips = negative && generator.uniform() < 0.5
            if i < 120 {
                biased.append(Grader.grade(try submission("answers:\n  q:\n    L: \(l[0])\n    \"dL/da\": \(slips ? abs(g[0]) : g[0])\n"), variant: variant))
                if negative { counts.negative += 1; if slips { counts.negativeWrong += 1 } } else { counts.positive += 1 }
            }
            // Random: one in four gets ∂L/∂a wrong by a made-up amount, whatever c is.
            let wrong = generator.uniform() < 0.25
            random.append(Grader.grade(try submission("answers:\n  q:\n    L: \(l[0])\n    \"dL/da\": \(wrong ? g[0] + 1.5 : g[0])\n"), variant: variant))
        }
        let links = try #require(ClassReport(assignment: assignment, results: biased).rows.first).links
        #expect(links == [DrawnValueLink(ask: "dL/da", group: "c = -2", wrongInGroup: counts.negativeWrong, inGroup: counts.negative,
                                         wrongElsewhere: 0, elsewhere: counts.positive, z: links.first?.z ?? 0)])
        // z of the two-proportion test, written out.
        let p1 = Double(counts.negativeWrong) / Double(counts.negative), pooled = Double(counts.negativeWrong) / Double(counts.negative + counts.positive)
        let z = p1 / (pooled * (1 - pooled) * (1 / Double(counts.negative) + 1 / Double(counts.positive))).squareRoot()
        #expect(abs((links.first?.z ?? 0) - z) < 1e-12)
        #expect(ClassReport(assignment: assignment, results: biased).csv.contains("dL/da wrong for \(counts.negativeWrong) of \(counts.negative) with c = -2, 0 of \(counts.positive) otherwise"))
        #expect(try #require(ClassReport(assignment: assignment, results: random).rows.first).links == [])
    }
}
