import Foundation
import Sim

/// How one asked quantity was graded.
public struct AskResult: Sendable {
    public enum Status: String, Sendable {
        case correct
        /// Wrong against the reference, right for the student's own forward values.
        case carried
        /// Some entries of a vector or matrix right.
        case partial
        case wrong
        case missing
        /// Given, but not a usable answer (not a number, wrong number of entries).
        case invalid
    }

    public let ask: AssignmentQuestion.Ask
    public let status: Status
    public let points: Double
    public let expected: Answer?
    public let given: SubmissionValue?
    /// One line of feedback.
    public let message: String
    /// What the wrong answer most likely is (Slip), for the class report; the student sees it only where
    /// the question shows expected values, since it tells much of the answer.
    public var slip: Slip? = nil
    /// For a replayed run: where it first departed (`step 3, ∂L/∂W2`), for the class report.
    public var departure: String? = nil
}

/// A diagnosed slip: a wrong answer that is the expected one with a common mistake made, found by
/// comparing within the ask's tolerance. Only the slips nnsim can tell from the numbers alone.
public enum Slip: String, Sendable, CaseIterable {
    case sign = "sign flipped"
    case double = "twice the answer (a ½ dropped?)"
    case half = "half the answer (an extra ½?)"
    case transposed = "transposed"

    /// The slip that turns `want` (of `shape`) into `given`, if one does within `tolerance` (and the
    /// answer is not 0, where every such slip would match).
    static func diagnose(_ given: [Double], _ want: [Double], shape: [Int], tolerance: Tolerance) -> Slip? {
        guard given.count == want.count, want.contains(where: { $0 != 0 }) else { return nil }
        func all(_ f: (Double) -> Double) -> Bool { zip(given, want).allSatisfy { tolerance.accepts($0, f($1)) } }
        if all({ -$0 }) { return .sign }
        if all({ 2 * $0 }) { return .double }
        if all({ $0 / 2 }) { return .half }
        if shape.count == 2, shape[0] > 1 || shape[1] > 1, shape[0] > 0, shape[1] > 0 {
            // The given entries read as the transpose: given[i][j] (in a shape[1]×shape[0] layout) = want[j][i].
            let (rows, columns) = (shape[0], shape[1])
            var transposed = [Double](repeating: 0, count: want.count)
            for i in 0..<rows { for j in 0..<columns { transposed[j * rows + i] = want[i * columns + j] } }
            if transposed != want, zip(given, transposed).allSatisfy({ tolerance.accepts($0, $1) }) { return .transposed }
        }
        return nil
    }
}

/// How one question was graded.
public struct QuestionResult: Sendable {
    public let variant: QuestionVariant
    public let asks: [AskResult]
    /// Whether the student may see the expected values (the question's `show-expected`, and for
    /// `after-due-date` whether the submission came after it): feedback shows the key only then.
    public var showsExpected = false

    public var question: AssignmentQuestion { variant.question }
    public var score: Double { asks.reduce(0) { $0 + $1.points } }
    public var maxScore: Double { question.maxScore }
    /// The first ask not fully right, in the order the question asks them (forward before backward).
    public var firstWrong: AskResult? { asks.first { $0.status != .correct } }

    /// The feedback text for this question.
    public var output: String {
        var lines = asks.map { "  \($0.ask.key): \($0.message) [\(GradeResult.points($0.points))/\(GradeResult.points($0.ask.points))]" }
        if let wrong = firstWrong {
            lines.append("  First step to check: \(wrong.ask.key) (\(wrong.ask.prompt)).")
            if let feedback = question.feedback { lines.append("  Hint: \(feedback)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// One student's graded submission.
public struct GradeResult: Sendable {
    public let student: String
    public let questions: [QuestionResult]
    /// Problems with the submission as a whole (unreadable, unknown keys, extra answers).
    public let problems: [String]
    /// Whether this grades a run of the student's own program (only its replay question is in `questions`).
    public var isRun = false

    /// What the summary says of the row: `run`, `unreadable` (the file could not be read or found),
    /// `empty` (not one answer given: an untouched template) or `graded`, so that a 0 is never ambiguous.
    public var status: String {
        if problems.contains(where: { $0.hasPrefix("the submission could not be read") || $0.hasPrefix("the submission folder holds") }) { return "unreadable" }
        if isRun { return "run" }
        if questions.allSatisfy({ $0.asks.allSatisfy { $0.status == .missing } }) { return "empty" }
        return "graded"
    }

    public var score: Double { questions.reduce(0) { $0 + $1.score } }
    public var maxScore: Double { questions.reduce(0) { $0 + $1.maxScore } }

    /// The same result with `notes` before its own problems.
    public func noting(_ notes: [String]) -> GradeResult {
        var result = GradeResult(student: student, questions: questions, problems: notes + problems)
        result.isRun = isRun
        return result
    }

    /// The per-question report `nnsim check` prints and writes as feedback. The student ID and the notes
    /// (which quote keys from the submission) are escaped: one printable line each.
    public var text: String {
        var lines = ["Student \(PrintableText.escaped(student)): \(Self.points(score)) of \(Self.points(maxScore)) points"]
        for problem in problems { lines.append("  note: \(PrintableText.escaped(problem))") }
        for q in questions {
            lines.append("")
            lines.append("\(q.question.id) \(q.question.title): \(Self.points(q.score)) / \(Self.points(q.maxScore))")
            lines.append(q.output)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Gradescope's autograder results (results.json; gradescope-autograders.readthedocs.io, "Autograder
    /// Specifications"). Every text field is marked `text`: Gradescope renders the top-level output as HTML
    /// unless told, and it quotes the submission. Standard output, which holds the full report, stays
    /// hidden from students; `extra_data` records, for the instructor, whose numbers were graded.
    public var gradescope: JSONValue {
        .object([
            JSONMember("score", .number(Self.rounded(score))),
            JSONMember("output", .string(([("Student \(PrintableText.escaped(student))")] + problems.map { "note: \(PrintableText.escaped($0))" }).joined(separator: "\n"))),
            JSONMember("output_format", .string("text")),
            JSONMember("stdout_visibility", .string("hidden")),
            JSONMember("extra_data", .object([JSONMember("student", .string(student)), JSONMember("status", .string(status))])),
            JSONMember("tests", .array(questions.enumerated().map { i, q in
                .object([
                    JSONMember("name", .string("\(q.question.id): \(q.question.title)")),
                    JSONMember("number", .string(String(i + 1))),
                    JSONMember("score", .number(Self.rounded(q.score))),
                    JSONMember("max_score", .number(q.maxScore)),
                    JSONMember("status", .string(q.score >= q.maxScore ? "passed" : "failed")),
                    JSONMember("output", .string(q.output)),
                    JSONMember("output_format", .string("text")),
                    JSONMember("visibility", .string(q.question.visibility.rawValue)),
                ])
            })),
        ])
    }

    /// Gradescope's results for a submission that could not be graded at all (no student to draw numbers
    /// for, an assignment that cannot be read): 0 points, the reason, no tests.
    public static func gradescopeFailure(_ reason: String) -> JSONValue {
        .object([
            JSONMember("score", .number(0)),
            JSONMember("output", .string(PrintableText.escaped(reason))),
            JSONMember("output_format", .string("text")),
            JSONMember("stdout_visibility", .string("hidden")),
            JSONMember("tests", .array([])),
        ])
    }

    /// Points for Gradescope: sums of thirds and halves without float noise.
    static func rounded(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

    /// Points as printed: up to three decimals.
    public static func points(_ x: Double) -> String { NumberFormat.plain((x * 1000).rounded() / 1000) }
}

/// Grades submissions against a student's variant.
public enum Grader {
    /// Grades `submission` (nil: unreadable, with `problems` saying why: every question gets 0).
    /// `pastDue`: the submission was made after the due date, so `show-expected: after-due-date` shows the key.
    public static func grade(_ submission: Submission?, variant: StudentVariant, problems: [String] = [], pastDue: Bool = false) -> GradeResult {
        var notes = problems + (submission?.problems ?? [])
        let known = Set(variant.questions.map(\.question.id))
        for id in (submission?.answers.keys.sorted() ?? []) where !known.contains(id) { notes.append("answers to an unknown question '\(id)' ignored") }
        let results = variant.questions.map { q -> QuestionResult in
            let given = submission?.answers[q.question.id] ?? [:]
            let keys = Set(q.question.asks.map(\.key))
            for key in given.keys.sorted() where !keys.contains(key) { notes.append("\(q.question.id): unknown answer '\(key)' ignored") }
            return grade(q, given: given, pastDue: pastDue)
        }
        return GradeResult(student: variant.student, questions: results, problems: notes)
    }

    static func grade(_ variant: QuestionVariant, given: [String: SubmissionValue], pastDue: Bool = false) -> QuestionResult {
        let question = variant.question
        let show = question.showExpected == .always || (pastDue && question.showExpected == .afterDueDate)
        var results = question.asks.map { ask in grade(ask, expected: variant.expected[ask.key], given: given[ask.key], show: show) }
        // Carried errors: answers wrong against the reference but right for the student's own earlier
        // forward values (a value computed from their inputs, a gradient from their forward pass).
        let forward: [String: Double] = Dictionary(question.asks.compactMap { ask -> (String, Double)? in
            guard case .value(let node) = ask.quantity, let value = given[ask.key].flatMap(number) else { return nil }
            return (node, value)
        }, uniquingKeysWith: { a, _ in a })
        var wrongSoFar: [String] = []
        let carried = results.contains { $0.status == .wrong } ? variant.carried(given: forward) : nil
        for (i, result) in results.enumerated() {
            defer { if results[i].status != .correct, case .value = result.ask.quantity { wrongSoFar.append(result.ask.key) } }
            guard result.status == .wrong, !wrongSoFar.isEmpty, let carried, let value = result.given.flatMap(number) else { continue }
            let theirs: Double?
            switch result.ask.quantity {
            case .value(let node): theirs = carried.values[node]
            case .gradient(let node): theirs = carried.gradients[node]
            default: theirs = nil
            }
            guard let theirs, result.ask.tolerance.accepts(value, theirs) else { continue }
            results[i] = AskResult(ask: result.ask, status: .carried, points: result.ask.points * question.carriedCredit, expected: result.expected, given: result.given,
                                   message: "\(result.message); but right for your own value\(wrongSoFar.count == 1 ? "" : "s") of \(wrongSoFar.joined(separator: ", ")) (carried error, \(NumberFormat.plain(question.carriedCredit * 100))% credit)")
        }
        var graded = QuestionResult(variant: variant, asks: results)
        graded.showsExpected = show
        return graded
    }

    /// A given value as one number (a number, or text such as "1/4"), or nil.
    static func number(_ value: SubmissionValue) -> Double? {
        switch value {
        case .number(let x): return x.isFinite ? x : nil
        case .text(let s): return AnswerNumber.parse(s)
        default: return nil
        }
    }

    /// A replayed run: points for the share of compared steps that match, the first departure in full.
    public static func grade(_ ask: AssignmentQuestion.Ask, replay: RunReplay) -> AskResult {
        if let problem = replay.problem {
            return AskResult(ask: ask, status: .invalid, points: 0, expected: nil, given: nil, message: problem)
        }
        let share = replay.compared == 0 ? 0 : Double(replay.matching) / Double(replay.compared)
        guard let first = replay.departures.first else {
            return AskResult(ask: ask, status: .correct, points: ask.points, expected: nil, given: nil,
                             message: "all \(replay.compared) steps match the reference (tolerance: \(ask.tolerance.description))")
        }
        var result = AskResult(ask: ask, status: share == 0 ? .wrong : .partial, points: ask.points * share, expected: nil, given: nil,
                               message: "first departure at \(first.text) — each step is judged from your own state before it: \(replay.matching) of \(replay.compared) steps match"
                                   + (replay.departures.count > 1 ? " (others depart at step\(replay.departures.count > 2 ? "s" : "") \(replay.departures.dropFirst().prefix(5).map { String($0.step) }.joined(separator: ", "))\(replay.departures.count > 6 ? ", …" : ""))" : ""))
        // The quantity without its indices: z1, ∂L/∂W2, W1.
        result.departure = "step \(first.step), \(first.quantity.split(separator: "[").first.map(String.init) ?? first.quantity)"
        return result
    }

    static func grade(_ ask: AssignmentQuestion.Ask, expected: Answer?, given: SubmissionValue?, show: Bool) -> AskResult {
        func result(_ status: AskResult.Status, _ points: Double, _ message: String) -> AskResult {
            AskResult(ask: ask, status: status, points: points, expected: expected, given: given, message: message)
        }
        if case .run = ask.quantity {
            return result(.missing, 0, "submit your program's run (a trace or a CSV) with nnsim check ASSIGNMENT RUN-FILE --student ID")
        }
        guard let expected else { return result(.invalid, 0, "no reference answer (the assignment cannot compute it)") }
        guard let given, given != .null else { return result(.missing, 0, "no answer given") }
        let shown = show ? "expected \(expected.display), " : ""
        switch expected {
        case .numbers(let want, let shape):
            let tolerance = "tolerance: \(ask.tolerance.description)"
            if shape.isEmpty {
                guard let value = number(given) else { return result(.invalid, 0, "\(given.display) is not a number (write 0.25, 1/4 or 2.5e-1)") }
                guard !ask.tolerance.accepts(value, want[0]) else {
                    return result(.correct, ask.points, "right (\(value == want[0] ? "exactly" : tolerance))")
                }
                let slip = Slip.diagnose([value], want, shape: shape, tolerance: ask.tolerance)
                var wrong = result(.wrong, 0, "\(shown)got \(NumberFormat.display(value, significantDigits: 6)): wrong (\(tolerance))" + (show ? slip.map { "; \($0.rawValue)" } ?? "" : ""))
                wrong.slip = slip
                return wrong
            }
            guard let entries = flatten(given) else { return result(.invalid, 0, "\(given.display) is not a list of numbers") }
            guard entries.count == want.count else {
                return result(.invalid, 0, "expected \(want.count) entries\(shape.count == 2 ? " (\(shape[0])×\(shape[1]))" : ""), got \(entries.count)")
            }
            var right = 0
            var firstWrong: Int?
            for (i, (g, w)) in zip(entries, want).enumerated() {
                if let g, ask.tolerance.accepts(g, w) { right += 1 } else if firstWrong == nil { firstWrong = i }
            }
            if right == want.count { return result(.correct, ask.points, "right (every entry; \(tolerance))") }
            let wrongAt = firstWrong.map { i in
                let place = shape.count == 2 && shape[1] > 0 ? "[\(i / shape[1] + 1)][\(i % shape[1] + 1)]" : "[\(i + 1)]"
                let g = entries[i].map { NumberFormat.display($0, significantDigits: 6) } ?? "not a number"
                return "entry \(place): \(show ? "expected \(NumberFormat.display(want[i], significantDigits: 6)), " : "")got \(g)"
            } ?? ""
            let slip = entries.allSatisfy({ $0 != nil }) ? Slip.diagnose(entries.compactMap { $0 }, want, shape: shape, tolerance: ask.tolerance) : nil
            var wrong = result(right == 0 ? .wrong : .partial, ask.points * Double(right) / Double(want.count),
                               "\(right) of \(want.count) entries right (\(tolerance)); first wrong \(wrongAt)" + (show ? slip.map { "; \($0.rawValue)" } ?? "" : ""))
            wrong.slip = slip
            return wrong
        case .count(let n):
            guard let value = number(given), value == value.rounded() else { return result(.invalid, 0, "\(given.display) is not a whole number") }
            return Int(exactly: value) == n ? result(.correct, ask.points, "right") : result(.wrong, 0, "\(shown)got \(NumberFormat.plain(value)): wrong (a count must be exact)")
        case .text(let want):
            let value: String
            switch given {
            case .text(let s): value = s
            case .number(let x): value = NumberFormat.plain(x)
            case .bool(let b): value = b ? "true" : "false"
            default: return result(.invalid, 0, "\(given.display) is not a word")
            }
            let same = value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == want.lowercased()
            return same ? result(.correct, ask.points, "right") : result(.wrong, 0, "\(shown)got \(given.display): wrong")
        case .yesNo(let want):
            let value: Bool?
            switch given {
            case .bool(let b): value = b
            case .text(let s): value = ["yes", "y", "true"].contains(s.lowercased().trimmingCharacters(in: .whitespaces)) ? true
                : (["no", "n", "false"].contains(s.lowercased().trimmingCharacters(in: .whitespaces)) ? false : nil)
            default: value = nil
            }
            guard let value else { return result(.invalid, 0, "\(given.display) is not yes or no") }
            return value == want ? result(.correct, ask.points, "right") : result(.wrong, 0, "\(shown)got \(value ? "yes" : "no"): wrong")
        }
    }

    /// A list of numbers, or a list of rows (a matrix, flattened row by row); entries that are not numbers
    /// are nil. Nil when the value is not a list.
    static func flatten(_ value: SubmissionValue) -> [Double?]? {
        guard case .list(let items) = value else { return nil }
        var out: [Double?] = []
        for item in items {
            if case .list(let row) = item {
                for entry in row { out.append(number(entry)) }
            } else {
                out.append(number(item))
            }
        }
        return out
    }
}
