import Foundation
import Sim
import Testing
@testable import Lessons

let assignmentsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("assignments").path
func assignmentPath(_ name: String) -> String { assignmentsFolder + "/" + name + ".yaml" }

/// A submission that answers every ask of `variant` with the reference answer, written as YAML.
func perfectSubmission(_ variant: StudentVariant) -> String {
    var lines = ["student: \"\(variant.student)\"", "answers:"]
    for q in variant.questions {
        lines.append("  \(q.question.id):")
        for ask in q.question.asks {
            let value: String
            switch q.expected[ask.key] {
            case .numbers(let xs, let shape)?:
                value = shape.isEmpty ? "\(xs[0])" : "[" + xs.map { "\($0)" }.joined(separator: ", ") + "]"
            case .count(let n)?: value = String(n)
            case .text(let s)?: value = s
            case .yesNo(let b)?: value = b ? "yes" : "no"
            case nil: value = "~"
            }
            lines.append("    \"\(ask.key)\": \(value)")
        }
    }
    return lines.joined(separator: "\n") + "\n"
}

func submission(_ yaml: String) throws -> Submission { try Submission.parse(Array(yaml.utf8), name: "test.yaml") }

@Suite struct StudentVariantTests {
    let assignment: Assignment

    init() throws { assignment = try Assignment(contentsOfFile: assignmentPath("backprop")) }

    func value(_ v: QuestionVariant, _ name: String) -> Double { AnswerNumber.parse(v.values.first { $0.name == name }?.value ?? "") ?? .nan }

    @Test func sameStudentSameNumbersOthersDiffer() throws {
        let a = try StudentVariant(assignment, student: "alice"), again = try StudentVariant(assignment, student: "alice")
        #expect(a.questions.map { $0.values.map(\.value) } == again.questions.map { $0.values.map(\.value) })
        let others = try ["bob", "carol", "dave", "erin", "frank"].map { try StudentVariant(assignment, student: $0) }
        #expect(Set(([a] + others).map { $0.questions[0].values.map(\.value) }).count > 3)
    }

    /// The answers of q1 against its closed form: d = 2b, e = a + d, L = ce, ∂L/∂a = c, ∂L/∂b = 2c, ∂L/∂c = e.
    @Test(arguments: ["alice", "bob", "s17", "Ünïcødé", "../../etc/passwd"])
    func backpropAnswersFollowTheClosedForm(student: String) throws {
        let q = try StudentVariant(assignment, student: student).questions[0]
        let (a, b, c) = (value(q, "a"), value(q, "b"), value(q, "c"))
        for x in [a, b, c] { #expect(x != 0 && abs(x) <= 5 && x == x.rounded()) }
        let expected: [String: Double] = ["d": 2 * b, "e": a + 2 * b, "L": c * (a + 2 * b), "dL/da": c, "dL/db": 2 * c, "dL/dc": a + 2 * b]
        for (key, x) in expected { #expect(q.expected[key] == .numbers([x], shape: []), "\(key)") }
        // No answer is a trivial 0: draws that make one are redrawn.
        #expect(expected.values.allSatisfy { $0 != 0 })
    }

    /// q3's gradient against central differences of L(w) = ½(σ(wx + b) − t)².
    @Test func neuronGradientAgainstCentralDifferences() throws {
        for student in ["alice", "bob", "carol"] {
            let q = try StudentVariant(assignment, student: student).questions[2]
            let (w, x, b, t) = (value(q, "w"), value(q, "x"), value(q, "b"), value(q, "t"))
            func loss(_ w: Double, _ b: Double) -> Double { let y = 1 / (1 + exp(-(w * x + b))); return 0.5 * (y - t) * (y - t) }
            let h = 1e-6
            guard case .numbers(let dw, _)? = q.expected["dL/dw"], case .numbers(let db, _)? = q.expected["dL/db"] else {
                Issue.record("no gradients")
                continue
            }
            #expect(abs(dw[0] - (loss(w + h, b) - loss(w - h, b)) / (2 * h)) < 1e-8)
            #expect(abs(db[0] - (loss(w, b + h) - loss(w, b - h)) / (2 * h)) < 1e-8)
        }
    }

    /// q5: Adam's first step moves each coordinate by η against its gradient's sign (bias correction makes
    /// m̂ = g and v̂ = g²).
    @Test func adamFirstStepByHand() throws {
        let q = try StudentVariant(assignment, student: "alice").questions[4]
        let (x, y, rate) = (value(q, "x"), value(q, "y"), value(q, "rate"))
        guard case .numbers(let p, _)? = q.expected["step 1"] else { Issue.record("no point"); return }
        #expect(abs(p[0] - (x - rate * (2 * x) / (abs(2 * x) + 1e-8))) < 1e-12)
        #expect(abs(p[1] - (y - rate * (20 * y) / (abs(20 * y) + 1e-8))) < 1e-12)
    }

    @Test func degenerateDrawsAreRedrawnOrRefused() throws {
        let yaml = """
        title: t
        seed: 5
        questions:
          - graph: "L = a - b"
            at: {a: {integers: [1, 2]}, b: {integers: [1, 2]}}
            ask: [{value: L}]
        """
        let assignment = try Assignment(yaml: yaml, path: "t.yaml")
        for student in (1...20).map({ "s\($0)" }) {
            let q = try StudentVariant(assignment, student: student).questions[0]
            #expect(q.expected["L"] != .numbers([0], shape: []))
        }
        let impossible = try Assignment(yaml: yaml.replacingOccurrences(of: "L = a - b", with: "L = a*b - a*b"), path: "t.yaml")
        #expect(throws: LessonError.self) { try StudentVariant(impossible, student: "x") }
        let division = try Assignment(yaml: yaml.replacingOccurrences(of: "L = a - b", with: "L = a/(a - b)"), path: "t.yaml")
        let q = try StudentVariant(division, student: "y").questions[0]
        if case .numbers(let xs, _)? = q.expected["L"] { #expect(xs.allSatisfy { $0.isFinite }) }
    }

    /// A question that cannot work with any draw (a summary key no run of the lesson writes) is refused at
    /// the first draw, naming the key and the values drawn, instead of after 200 lesson runs; the lesson
    /// runs of a question present no report and draw no figure.
    @Test func wrongLessonQuestionsAreRefusedAtOnceAndRunsDrawNoFigures() throws {
        let yaml = """
        title: t
        seed: 5
        questions:
          - id: p
            lesson: perceptron
            settings: {learning-rate: {choices: [0.5, 1]}}
            ask: [{summary: KEY}]
        """
        let wrong = try Assignment(yaml: yaml.replacingOccurrences(of: "KEY", with: "no-such-key"), path: "t.yaml")
        let clock = ContinuousClock.now
        #expect {
            try StudentVariant(wrong, student: "x")
        } throws: { error in
            let text = (error as? LessonError)?.description ?? ""
            return text.contains("t.yaml") && text.contains("no 'no-such-key'") && text.contains("drawn: learning-rate = ")
        }
        // One run of a small lesson, not 200: generous, so it is not a timed test, but 200 runs would not fit.
        #expect(ContinuousClock.now - clock < .seconds(60))

        let result = try LessonRun("perceptron", settings: [("learning-rate", "1")])
        #expect(!result.context.presentsReport)
        #expect(result.result.figures.isEmpty && result.result.frames.isEmpty)
        let full = try LessonRun("perceptron")
        #expect(!full.result.figures.isEmpty)
        #expect(full.result.trace.runs.map(\.steps.count) == result.result.trace.runs.map(\.steps.count))
    }

    @Test func badAssignmentsNameFileAndKey() {
        func error(_ yaml: String) -> String {
            do { _ = try Assignment(yaml: yaml, path: "a.yaml"); return "" } catch { return error.description }
        }
        #expect(error("title: t\nquestions: []").contains("'seed'"))
        #expect(error("title: t\nseed: 1\nquestions:\n  - graph: \"L = a*\"\n    at: {a: 1}\n    ask: [{value: L}]").contains("questions[1].graph"))
        #expect(error("title: t\nseed: 1\nquestions:\n  - graph: \"L = a*b\"\n    at: {a: 1}\n    ask: [{value: L}]").contains("'b'"))
        #expect(error("title: t\nseed: 1\nquestions:\n  - graph: \"L = a*b\"\n    at: {a: 1, b: 2}\n    ask: [{value: Q}]").contains("a.yaml:6"))
        #expect(error("title: t\nseed: 1\nquestions:\n  - lesson: nosuch\n    ask: [{summary: x}]").contains("nosuch"))
        #expect(error("title: t\nseed: 1\nbogus: 2\nquestions: []").contains("bogus"))
    }
}

@Suite struct AnswerNumberTests {
    @Test func acceptsWhatStudentsWrite() {
        let cases: [(String, Double)] = [("3", 3), ("-2", -2), ("−2", -2), ("0.25", 0.25), (".5", 0.5), ("3.", 3), ("1/4", 0.25),
                                         ("-3/8", -0.375), (" 2.5e-1 ", 0.25), ("1E3", 1000), ("1 / 4", 0.25)]
        for (text, value) in cases { #expect(AnswerNumber.parse(text) == value, "\(text)") }
    }

    @Test func refusesWhatIsNotAFiniteNumber() {
        for text in ["", "nan", "NaN", "inf", "-inf", "1e999", "1/0", "0x10", "1,5", "two", "1/2/3", "--1", String(repeating: "9", count: 400)] {
            #expect(AnswerNumber.parse(text) == nil, "\(text)")
        }
    }
}

@Suite struct GraderTests {
    let assignment: Assignment
    let alice: StudentVariant

    init() throws {
        assignment = try Assignment(contentsOfFile: assignmentPath("backprop"))
        alice = try StudentVariant(assignment, student: "alice")
    }

    /// q3's statements hold several operations (z = w·x + b is t1 = w·x, then z = t1 + b; L = 0.5·(y − t)^2
    /// three more). A slip at z, then y, L, ∂L/∂w and ∂L/∂b derived correctly from the wrong z, earns the
    /// carried credit for all four: 0.5 · (1 + 1 + 2 + 2) = 3 of 7 (issue 15, item 1: it got 0.5).
    @Test func carriedErrorsThroughStatementsOfSeveralOperations() throws {
        let q = alice.questions[2]
        let v = Dictionary(uniqueKeysWithValues: q.numbers.map { ($0.name, $0.value) })
        let (w, x, b, t) = (try #require(v["w"]), try #require(v["x"]), try #require(v["b"]), try #require(v["t"]))
        let z = w * x + b + 1                        // the slip
        let y = 1 / (1 + exp(-z)), L = 0.5 * (y - t) * (y - t)
        let dz = (y - t) * y * (1 - y)               // ∂L/∂z from the student's own values
        let given = try submission("""
        answers:
          q3: {z: \(z), y: \(y), L: \(L), dL/dw: \(dz * x), dL/db: \(dz)}
        """)
        let result = Grader.grade(given, variant: alice).questions[2]
        let status = Dictionary(uniqueKeysWithValues: result.asks.map { ($0.ask.key, $0.status) })
        #expect(status == ["z": .wrong, "y": .carried, "L": .carried, "dL/dw": .carried, "dL/db": .carried])
        #expect(result.score == 3)
    }

    @Test func perfectSubmissionGetsFullMarks() throws {
        let result = Grader.grade(try submission(perfectSubmission(alice)), variant: alice)
        #expect(result.score == assignment.maxScore)
        #expect(result.questions.allSatisfy { $0.firstWrong == nil })
    }

    /// Alice's q1 is a = −1, b = −4, c = 5 (seeded): e = −9, L = −45.
    @Test func toleranceCarriedErrorsAndFirstWrongStep() throws {
        let q = alice.questions[0]
        #expect(q.values.map(\.value) == ["−1", "−4", "5"])
        let given = try submission("""
        answers:
          q1: {d: -8, e: -7, L: -35, dL/da: 5.0004, dL/db: 10, dL/dc: -7}
        """)
        let result = Grader.grade(given, variant: alice).questions[0]
        let status = Dictionary(uniqueKeysWithValues: result.asks.map { ($0.ask.key, $0.status) })
        #expect(status == ["d": .correct, "e": .wrong, "L": .carried, "dL/da": .correct, "dL/db": .correct, "dL/dc": .carried])
        #expect(result.score == 4)
        #expect(result.firstWrong?.ask.key == "e")
        #expect(result.output.contains("relative 0.001"))
        // 5.0004 is within 10⁻³ of 5 but 5.01 is not.
        let off = Grader.grade(try submission("answers:\n  q1: {dL/da: 5.01}"), variant: alice).questions[0]
        #expect(off.asks.first { $0.ask.key == "dL/da" }?.status == .wrong)
    }

    @Test func vectorsEarnPartialCreditAndFormsAreChecked() throws {
        let q4 = alice.questions[3]
        guard case .numbers(let w2, _)? = q4.expected["w@2"] else { Issue.record("no w@2"); return }
        let wrong = [w2[0], w2[1], w2[2] + 1]
        let result = Grader.grade(try submission("""
        answers:
          q4: {w@1: [a, b, c], w@2: [\(wrong.map { "\($0)" }.joined(separator: ", "))], w@4: [1, 2], converges: maybe}
        """), variant: alice).questions[3]
        let byKey = Dictionary(uniqueKeysWithValues: result.asks.map { ($0.ask.key, $0) })
        #expect(byKey["w@1"]?.status == .wrong)
        #expect(byKey["w@2"]?.status == .partial && abs((byKey["w@2"]?.points ?? 0) - 2.0 / 3) < 1e-12)
        #expect(byKey["w@4"]?.status == .invalid && byKey["w@4"]?.message.contains("expected 3 entries") == true)
        #expect(byKey["converges"]?.status == .invalid)
    }

    @Test func hiddenExpectedValuesStayHidden() throws {
        let yaml = """
        title: t
        seed: 1
        questions:
          - graph: "L = a*b"
            at: {a: 3, b: 4}
            show-expected: false
            visibility: after_due_date
            ask: [{value: L}]
        """
        let assignment = try Assignment(yaml: yaml, path: "t.yaml")
        let result = Grader.grade(try submission("answers:\n  q1: {L: 11}"), variant: try StudentVariant(assignment, student: "x"))
        #expect(!result.text.contains("12"))
        let json = JSONWriter.text(result.gradescope)
        #expect(json.contains("\"visibility\": \"after_due_date\""))
    }

    @Test func gradescopeResults() throws {
        let result = Grader.grade(try submission(perfectSubmission(alice)), variant: alice)
        guard case .object(let members) = result.gradescope else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["score", "output", "output_format", "stdout_visibility", "extra_data", "tests"])
        guard case .array(let tests)? = result.gradescope["tests"] else { Issue.record("no tests"); return }
        #expect(tests.count == 5)
        for (i, test) in tests.enumerated() {
            guard case .object(let fields) = test else { continue }
            #expect(fields.map(\.key) == ["name", "number", "score", "max_score", "status", "output", "output_format", "visibility"])
            #expect(test["number"] == .string(String(i + 1)))
            #expect(test["status"] == .string("passed"))
        }
        #expect(result.gradescope["score"]?.doubleValue == 25)
    }
}

/// The docs, the sheet and the default tolerance agree on how many digits an answer needs (issue 15, item 8).
@Suite struct ToleranceDigitsTests {
    /// Rounded to `significantDigits`, every value passes; rounded to one fewer, some do not.
    @Test(arguments: [1e-3, 1e-2, 5e-3, 1e-4])
    func roundingToTheStatedDigitsAlwaysPasses(relative: Double) {
        let tolerance = Tolerance(relative: relative, absolute: 0)
        let d = tolerance.significantDigits
        func rounded(_ x: Double, _ digits: Int) -> Double { Double(String(format: "%.\(digits - 1)e", x)) ?? .nan }
        var generator = SeededGenerator(seed: 3)
        var fewerFails = false
        for _ in 0..<20_000 {
            let x = pow(10, 6 * generator.uniform() - 3) * (generator.uniform() < 0.5 ? -1 : 1)
            #expect(tolerance.accepts(rounded(x, d), x), "\(x) to \(d) digits")
            if !tolerance.accepts(rounded(x, d - 1), x) { fewerFails = true }
        }
        #expect(fewerFails)
        #expect(Tolerance.standard.significantDigits == 4)
    }

    @Test func theSheetSaysHowManyDigits() throws {
        let assignment = try Assignment(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("assignments/backprop.yaml").path)
        let sheet = AssignmentDocuments(assignment, variant: try StudentVariant(assignment, student: "alice")).markdown(withAnswers: false)
        #expect(sheet.contains("to at least 4 significant digits"))
    }
}

/// Safe by default (issue 15, item 9): feedback never shows an expected value unless the assignment says
/// show-expected: true, and Gradescope is told the output is plain text.
@Suite struct SafeFeedbackTests {
    @Test func expectedValuesAreHiddenUnlessAskedFor() throws {
        let yaml = """
        title: T
        seed: 7
        questions:
          - id: q1
            graph: "L = a*b"
            at: {a: 2, b: 3}
            ask: [{value: L}]
        """
        let hidden = try Assignment(yaml: yaml, path: "t.yaml")
        let shown = try Assignment(yaml: yaml + "\n    show-expected: true", path: "t.yaml")
        let wrong = try Submission.parse(Array("answers:\n  q1: {L: 5}\n".utf8), name: "s.yaml")
        let quiet = Grader.grade(wrong, variant: try StudentVariant(hidden, student: "ana")).text
        let loud = Grader.grade(wrong, variant: try StudentVariant(shown, student: "ana")).text
        #expect(!quiet.contains("expected") && !quiet.contains(" 6"), "\(quiet)")
        #expect(loud.contains("expected 6"), "\(loud)")
        let json = JSONWriter.text(Grader.grade(wrong, variant: try StudentVariant(hidden, student: "ana")).gradescope)
        #expect(json.contains("\"output_format\": \"text\""))
    }
}

/// `--roster students.csv`: the IDs of a class list (issue 15).
@Suite struct RosterTests {
    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-roster-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    @Test func idsComeFromTheNamedColumnOrTheFirst() throws {
        let named = try write("name,Email,section\r\n\"Lee, Ann\",ann@x.edu,1\r\nBob,bob@x.edu,2\r\n,,\r\n")
        defer { try? FileManager.default.removeItem(atPath: named) }
        #expect(try Roster.read(named) == ["ann@x.edu", "bob@x.edu"])
        let first = try write("who,section\n\"Lee, \"\"Ann\"\"\",1\n")
        defer { try? FileManager.default.removeItem(atPath: first) }
        #expect(try Roster.read(first) == ["Lee, \"Ann\""])
    }

    @Test func repeatsAndEmptyRostersAreRefused() throws {
        let twice = try write("student\nann\nbob\nann\n")
        defer { try? FileManager.default.removeItem(atPath: twice) }
        #expect(throws: LessonError("the student 'ann' is listed twice (first on line 2)", file: twice, line: 4)) { try Roster.read(twice) }
        let empty = try write("student\n\n")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: LessonError("the roster lists no student", file: empty)) { try Roster.read(empty) }
    }
}
