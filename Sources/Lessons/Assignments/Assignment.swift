import Foundation
import Sim
import Yams

/// An assignment (docs/assignments.md): a title, a secret seed for per-student numbers, default tolerance
/// and carried-error credit, and questions. Read from YAML and checked like a lesson script: every key
/// known, errors naming the file, line and key.
public struct Assignment: Sendable {
    public let path: String
    public let title: String
    /// The secret from which every student's numbers are drawn; keep the file private.
    public let seed: UInt64
    public let questions: [AssignmentQuestion]

    public static let topLevelKeys = ["title", "seed", "tolerance", "carried-credit", "questions"]

    public var maxScore: Double { questions.reduce(0) { $0 + $1.maxScore } }

    public init(contentsOfFile path: String) throws(LessonError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw LessonError("cannot read the assignment", file: path) }
        let text: String
        do { text = try TextInput.decode([UInt8](data)) } catch { throw LessonError(error.message("the assignment"), file: path) }
        try self.init(yaml: text, path: path)
    }

    public init(yaml: String, path: String) throws(LessonError) {
        let root = try LessonScript.compose(yaml, path: path, what: "assignment")
        let reader = YAMLReader(path: path)
        guard let top = root.mapping else { throw reader.fail("the assignment must be a mapping (title, seed, questions)", root) }
        let keys = try LessonScript.keyed(top, path: path, allowed: Self.topLevelKeys, context: nil)
        self.path = path
        title = try reader.text(keys["title"], key: "title") ?? ""
        guard let seedNode = keys["seed"]?.1 else { throw LessonError("the assignment has no 'seed' (its secret for per-student numbers)", file: path, key: "seed") }
        guard let seedText = seedNode.scalar?.string, let seed = UInt64(seedText) else { throw reader.fail("must be a whole number ≥ 0", seedNode, key: "seed") }
        self.seed = seed
        let tolerance = try reader.tolerance(keys["tolerance"]?.1, key: "tolerance", default: .standard)
        let credit = try reader.number(keys["carried-credit"]?.1, key: "carried-credit", in: 0...1) ?? 0.5
        guard let list = keys["questions"]?.1 else { throw LessonError("the assignment has no 'questions'", file: path, key: "questions") }
        guard let sequence = list.sequence, !sequence.isEmpty else { throw reader.fail("must be a list of questions", list, key: "questions") }
        var questions: [AssignmentQuestion] = []
        for (i, node) in sequence.enumerated() {
            let question = try AssignmentQuestion(node, number: i + 1, reader: reader, tolerance: tolerance, carriedCredit: credit)
            if questions.contains(where: { $0.id == question.id }) { throw reader.fail("question id '\(question.id)' is used twice", node, key: "questions[\(i + 1)].id") }
            questions.append(question)
        }
        self.questions = questions
    }
}

/// Small helpers for reading checked values out of YAML nodes with file:line:column:key errors.
struct YAMLReader {
    let path: String

    func fail(_ message: String, _ node: Yams.Node?, key: String? = nil) -> LessonError {
        LessonError(message, file: path, line: node?.mark?.line, column: node?.mark?.column, key: key)
    }

    func text(_ entry: (Yams.Node, Yams.Node)?, key: String) throws(LessonError) -> String? {
        guard let (_, node) = entry else { return nil }
        guard let s = node.scalar?.string, !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw fail("must be text", node, key: key) }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func number(_ node: Yams.Node?, key: String, in range: ClosedRange<Double>) throws(LessonError) -> Double? {
        guard let node else { return nil }
        guard let s = node.scalar?.string, let x = AnswerNumber.parse(s), range.contains(x) else {
            throw fail("must be a number in [\(NumberFormat.display(range.lowerBound)), \(NumberFormat.display(range.upperBound))]", node, key: key)
        }
        return x
    }

    func tolerance(_ node: Yams.Node?, key: String, default base: Tolerance) throws(LessonError) -> Tolerance {
        guard let node else { return base }
        guard let mapping = node.mapping else { throw fail("must be {relative: …, absolute: …}", node, key: key) }
        let fields = try LessonScript.keyed(mapping, path: path, allowed: ["relative", "absolute"], context: key)
        var result = base
        if let r = try number(fields["relative"]?.1, key: "\(key).relative", in: 0...1e6) { result.relative = r }
        if let a = try number(fields["absolute"]?.1, key: "\(key).absolute", in: 0...1e300) { result.absolute = a }
        return result
    }

    /// A value or a per-student draw: `3`, `or`, `{integers: [-5, 5], nonzero: true}`, `{choices: [1, 2]}`,
    /// `{uniform: [0, 1], decimals: 2}`.
    func draw(_ node: Yams.Node, key: String) throws(LessonError) -> StudentDraw {
        if let s = node.scalar?.string { return .fixed(s) }
        guard let mapping = node.mapping else { throw fail("must be a value or a draw ({integers: [lo, hi]}, {choices: […]}, {uniform: [lo, hi]})", node, key: key) }
        let fields = try LessonScript.keyed(mapping, path: path, allowed: ["integers", "nonzero", "choices", "uniform", "decimals"], context: key)
        func pair(_ name: String) throws(LessonError) -> (Double, Double)? {
            guard let (_, n) = fields[name] else { return nil }
            guard let items = n.sequence, items.count == 2, let a = items[0].scalar.flatMap({ AnswerNumber.parse($0.string) }),
                  let b = items[1].scalar.flatMap({ AnswerNumber.parse($0.string) }), a <= b else {
                throw fail("must be [low, high] with low ≤ high", n, key: "\(key).\(name)")
            }
            return (a, b)
        }
        if let (a, b) = try pair("integers") {
            guard a == a.rounded(), b == b.rounded(), abs(a) < 1e9, abs(b) < 1e9 else { throw fail("must be whole numbers", fields["integers"]?.1, key: "\(key).integers") }
            let nonzero = fields["nonzero"]?.1.scalar.map { ["true", "yes"].contains($0.string.lowercased()) } ?? false
            if nonzero && a == 0 && b == 0 { throw fail("[0, 0] without 0 leaves nothing to draw", fields["integers"]?.1, key: "\(key).integers") }
            return .integers(Int(a)...Int(b), nonzero: nonzero)
        }
        if let (a, b) = try pair("uniform") {
            let decimals = try number(fields["decimals"]?.1, key: "\(key).decimals", in: 0...12).map { Int($0) } ?? 2
            return .uniform(a...b, decimals: decimals)
        }
        if let (_, n) = fields["choices"] {
            guard let items = n.sequence, !items.isEmpty, items.allSatisfy({ $0.scalar != nil }) else { throw fail("must be a non-empty list of values", n, key: "\(key).choices") }
            return .choices(items.compactMap { $0.scalar?.string })
        }
        throw fail("a draw needs integers, choices or uniform", node, key: key)
    }
}
