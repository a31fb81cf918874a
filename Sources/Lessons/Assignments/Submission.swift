import Foundation
import Sim
import Yams

/// A value in a submission, as written: nothing in it is executed or expanded.
public indirect enum SubmissionValue: Sendable, Hashable {
    case number(Double)
    case text(String)
    case bool(Bool)
    case list([SubmissionValue])
    case map([String: SubmissionValue])
    case null

    /// How feedback quotes what was given: text escaped (PrintableText) and shortened, so one answer is
    /// one printable line.
    public var display: String {
        switch self {
        case .number(let x): return NumberFormat.display(x, significantDigits: 6)
        case .text(let raw):
            let s = PrintableText.escaped(raw)
            return s.count > 60 ? String(s.prefix(57)) + "…" : s
        case .bool(let b): return b ? "yes" : "no"
        case .list(let items): return "[" + items.prefix(20).map(\.display).joined(separator: ", ") + (items.count > 20 ? ", …" : "") + "]"
        case .map: return "a mapping"
        case .null: return "nothing"
        }
    }
}

/// A student's submission (docs/assignments.md): `student` and `answers`, question id → ask key → value,
/// in JSON or YAML. Untrusted input: size, depth and value count are bounded, YAML anchors and aliases
/// are refused, and a problem in one part leaves the rest readable.
public struct Submission: Sendable {
    public let student: String?
    /// Question id → ask key → value.
    public let answers: [String: [String: SubmissionValue]]
    /// What was odd but not fatal (unknown keys, answers that are not a mapping), for the feedback.
    public let problems: [String]

    public static let maximumBytes = 1 << 20
    public static let maximumDepth = 16
    public static let maximumValues = 20_000

    public init(student: String?, answers: [String: [String: SubmissionValue]], problems: [String] = []) {
        self.student = student
        self.answers = answers
        self.problems = problems
    }

    /// Reads a submission file's bytes; `name` is its file name, for messages.
    public static func parse(_ bytes: [UInt8], name: String) throws(LessonError) -> Submission {
        guard bytes.count <= maximumBytes else { throw LessonError("the submission is larger than 1 MiB", file: name) }
        let text: String
        do { text = try TextInput.decode(bytes) } catch { throw LessonError(error.message("the submission"), file: name) }
        let body = Array(TextInput.withoutByteOrderMark(bytes))
        guard !text.contains("\u{0}") else { throw LessonError("the submission contains NUL characters", file: name) }
        let tree: SubmissionValue
        if text.drop(while: \.isWhitespace).first == "{" {
            do {
                tree = try convert(try JSONParser.parse(body, limits: JSONLimits(maxBytes: maximumBytes, maxDepth: maximumDepth)))
            } catch let error as LessonError {
                throw LessonError(error.message, file: name)
            } catch {
                throw LessonError("not valid JSON: \(error)", file: name)
            }
        } else {
            let root = try LessonScript.compose(text, path: name, what: "submission")
            do {
                var count = 0
                tree = try convert(root, depth: 0, count: &count)
            } catch {
                throw LessonError(error.message, file: name, line: error.line, column: error.column)
            }
        }
        return try structure(tree, name: name)
    }

    /// The submission's shape: a mapping with `answers` (and `student`).
    static func structure(_ tree: SubmissionValue, name: String) throws(LessonError) -> Submission {
        guard case .map(let top) = tree else { throw LessonError("the submission must be a mapping with 'student' and 'answers'", file: name) }
        var problems: [String] = []
        for key in top.keys.sorted() where key != "student" && key != "answers" { problems.append("unknown key '\(key)' ignored") }
        var student: String?
        switch top["student"] {
        case .text(let s): student = s.trimmingCharacters(in: .whitespacesAndNewlines)
        case .number(let x): student = NumberFormat.plain(x)
        case nil, .null: student = nil
        default: problems.append("'student' must be text; ignored")
        }
        guard case .map(let questions) = top["answers"] ?? .null else {
            throw LessonError("the submission has no 'answers' mapping (question id → answers)", file: name)
        }
        var answers: [String: [String: SubmissionValue]] = [:]
        for (id, value) in questions {
            guard case .map(let entries) = value else {
                problems.append("answers to '\(id)' must be a mapping of keys to values; ignored")
                continue
            }
            answers[id] = entries
        }
        return Submission(student: student, answers: answers, problems: problems)
    }

    static func convert(_ value: JSONValue) throws(LessonError) -> SubmissionValue {
        var count = 0
        return try convert(value, count: &count)
    }

    private static func convert(_ value: JSONValue, count: inout Int) throws(LessonError) -> SubmissionValue {
        count += 1
        guard count <= maximumValues else { throw LessonError("more than \(maximumValues) values") }
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .integer(let n): return .number(Double(n))
        case .number(let x): return .number(x)
        case .string(let s): return .text(s)
        case .array(let items):
            var out: [SubmissionValue] = []
            for item in items { out.append(try convert(item, count: &count)) }
            return .list(out)
        case .object(let members):
            var out: [String: SubmissionValue] = [:]
            for member in members {
                guard out[member.key] == nil else { throw LessonError("the key '\(member.key)' is given twice") }
                out[member.key] = try convert(member.value, count: &count)
            }
            return .map(out)
        }
    }

    private static func convert(_ node: Yams.Node, depth: Int, count: inout Int) throws(LessonError) -> SubmissionValue {
        count += 1
        guard count <= maximumValues else { throw LessonError("more than \(maximumValues) values (YAML aliases are not allowed)") }
        guard depth <= maximumDepth else { throw LessonError("nesting deeper than \(maximumDepth) levels", line: node.mark?.line) }
        guard node.anchor == nil else { throw LessonError("YAML anchors and aliases are not allowed in submissions", line: node.mark?.line, column: node.mark?.column) }
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["~", "null", ""].contains(scalar.string) { return .null }
            return .text(scalar.string)
        case .sequence(let sequence):
            var out: [SubmissionValue] = []
            for item in sequence { out.append(try convert(item, depth: depth + 1, count: &count)) }
            return .list(out)
        case .mapping(let mapping):
            var out: [String: SubmissionValue] = [:]
            for (key, value) in mapping {
                guard let name = key.scalar?.string else { throw LessonError("keys must be text", line: key.mark?.line, column: key.mark?.column) }
                guard out[name] == nil else { throw LessonError("the key '\(name)' is given twice", line: key.mark?.line, column: key.mark?.column) }
                out[name] = try convert(value, depth: depth + 1, count: &count)
            }
            return .map(out)
        case .alias:
            throw LessonError("YAML anchors and aliases are not allowed in submissions", line: node.mark?.line, column: node.mark?.column)
        }
    }
}
