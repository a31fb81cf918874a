import Foundation
import Sim
import Yams

/// Who may see a question's result on Gradescope.
public enum Visibility: String, Sendable, CaseIterable {
    case hidden, visible
    case afterDueDate = "after_due_date"
    case afterPublished = "after_published"
}

/// When the checker may print an ask's expected answer in the feedback.
public enum ShowExpected: String, Sendable, CaseIterable {
    /// Never (the default): one garbage submission would otherwise show every expected value.
    case never = "false"
    case always = "true"
    /// Only in the feedback of a submission made after the assignment's due date (its late due date, if
    /// it has one), as Gradescope's submission_metadata.json tells it: a student who resubmits after the
    /// deadline sees the key, one submitting before does not.
    case afterDueDate = "after-due-date"
}

/// One question: what it is about (a graph, a lesson, an optimizer on a function), its values (fixed or
/// drawn per student), what is asked, points, tolerance and feedback.
public struct AssignmentQuestion: Sendable {
    public enum Subject: Sendable {
        /// Whether the student submits a run of their own program rather than answers.
        public var isReplay: Bool {
            switch self {
            case .replay, .replayOptimizer: return true
            default: return false
            }
        }

        /// An expression program, as `nnsim graph` takes it.
        case graph(ExpressionProgram)
        /// A lesson by name or path, run with the question's settings.
        case lesson(String)
        /// An optimizer (`adam`, `momentum`, …) on f(x, y), from the start (x, y) with rate `rate`.
        case optimizer(name: String, function: String)
        /// A lesson the student implements in their own program; their run is replayed step by step.
        case replay(String)
        /// An optimizer on f(x, y) (fixed `rate`) that the student implements; their run is replayed.
        case replayOptimizer(name: String, function: String)
    }

    /// One quantity asked for, with its key in submissions and its points.
    public struct Ask: Sendable {
        public enum Quantity: Sendable, Hashable {
            /// A node's forward value (graph).
            case value(String)
            /// ∂output/∂node (graph).
            case gradient(String)
            /// A parameter after update `step` (lesson; step 0 is the initial value).
            case parameter(String, step: Int)
            /// A value of the lesson's summary: a number, a step count or a word.
            case summary(String)
            /// Yes when the summary value `key` equals `yesWhen`.
            case yesNo(key: String, yesWhen: String)
            /// The point (x, y) after update `step` (optimizer).
            case point(step: Int)
            /// A student's own run of a lesson, its first `steps` steps replayed.
            case run(steps: Int)
        }

        public let key: String
        public let quantity: Quantity
        /// What the sheet asks, in words.
        public let prompt: String
        public let points: Double
        public let tolerance: Tolerance
    }

    public let id: String
    public let title: String
    /// The question's wording on the sheet, with {name} replaced by the student's values.
    public let text: String?
    public let subject: Subject
    /// Values in order: an expression's inputs, a lesson's settings, an optimizer's x, y and rate.
    public let values: [(name: String, draw: StudentDraw)]
    public let asks: [Ask]
    public let feedback: String?
    public let visibility: Visibility
    /// When the checker may print the expected answer.
    public let showExpected: ShowExpected
    /// The share of an ask's points for an answer right from the student's own wrong forward values.
    public let carriedCredit: Double
    /// Redraw when an asked number comes out exactly 0 (a trivial gradient).
    public let rejectZero: Bool

    public var maxScore: Double { asks.reduce(0) { $0 + $1.points } }

    static let keys = ["id", "title", "text", "graph", "lesson", "optimizer", "replay", "replay-optimizer", "function", "at", "settings", "ask", "steps", "points",
                       "feedback", "visibility", "show-expected", "tolerance", "carried-credit", "reject-zero"]
    static let askKeys = ["value", "gradient", "parameter", "step", "summary", "yes-no", "yes-when", "point", "points", "tolerance", "key", "prompt"]

    init(_ node: Yams.Node, number: Int, reader: YAMLReader, tolerance base: Tolerance, carriedCredit: Double) throws(LessonError) {
        let context = "questions[\(number)]"
        guard let mapping = node.mapping else { throw reader.fail("must be a mapping (id, graph or lesson, ask, …)", node, key: context) }
        let fields = try LessonScript.keyed(mapping, path: reader.path, allowed: Self.keys, context: context)
        id = try reader.text(fields["id"], key: "\(context).id") ?? "q\(number)"
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), id.count <= 32 else {
            throw reader.fail("an id is letters, digits, - and _ (at most 32)", fields["id"]?.1, key: "\(context).id")
        }
        title = try reader.text(fields["title"], key: "\(context).title") ?? "Question \(number)"
        text = try reader.text(fields["text"], key: "\(context).text")
        feedback = try reader.text(fields["feedback"], key: "\(context).feedback")
        let visibilityText = try reader.text(fields["visibility"], key: "\(context).visibility") ?? "visible"
        guard let visibility = Visibility(rawValue: visibilityText) else {
            throw reader.fail("must be one of \(Visibility.allCases.map(\.rawValue).joined(separator: ", "))", fields["visibility"]?.1, key: "\(context).visibility")
        }
        self.visibility = visibility
        func flag(_ name: String, default value: Bool) throws(LessonError) -> Bool {
            guard let (_, n) = fields[name] else { return value }
            switch n.scalar?.string.lowercased() {
            case "true", "yes": return true
            case "false", "no": return false
            default: throw reader.fail("must be true or false", n, key: "\(context).\(name)")
            }
        }
        // Off unless asked: with it on, one garbage submission shows a student every expected value.
        switch fields["show-expected"]?.1.scalar?.string.lowercased() {
        case nil where fields["show-expected"] == nil, "false", "no": showExpected = .never
        case "true", "yes": showExpected = .always
        case "after-due-date": showExpected = .afterDueDate
        default: throw reader.fail("must be true, false or after-due-date", fields["show-expected"]?.1, key: "\(context).show-expected")
        }
        rejectZero = try flag("reject-zero", default: true)
        self.carriedCredit = try reader.number(fields["carried-credit"]?.1, key: "\(context).carried-credit", in: 0...1) ?? carriedCredit
        let tolerance = try reader.tolerance(fields["tolerance"]?.1, key: "\(context).tolerance", default: base)

        let subjects = ["graph", "lesson", "optimizer", "replay", "replay-optimizer"].filter { fields[$0] != nil }
        guard subjects.count == 1 else { throw reader.fail("give exactly one of graph, lesson, optimizer, replay or replay-optimizer", node, key: context) }
        var values: [(name: String, draw: StudentDraw)] = []
        func drawList(_ name: String, allowed: [String]?) throws(LessonError) {
            guard let (_, n) = fields[name] else { return }
            guard let entries = n.mapping else { throw reader.fail("must be a mapping of names to values or draws", n, key: "\(context).\(name)") }
            _ = try LessonScript.keyed(entries, path: reader.path, allowed: allowed, context: "\(context).\(name)")
            for (k, v) in entries {
                let key = k.scalar?.string ?? ""
                values.append((key, try reader.draw(v, key: "\(context).\(name).\(key)")))
            }
        }
        switch subjects[0] {
        case "graph":
            let source = try reader.text(fields["graph"], key: "\(context).graph") ?? ""
            let program: ExpressionProgram
            do { program = try ExpressionProgram(source) } catch { throw reader.fail("\(error)", fields["graph"]?.1, key: "\(context).graph") }
            subject = .graph(program)
            try drawList("at", allowed: program.inputs)
            let given = Set(values.map(\.name))
            if let missing = program.inputs.first(where: { !given.contains($0) }) {
                throw reader.fail("no value for the input '\(missing)' under at:", node, key: "\(context).at")
            }
        case "lesson", "replay":
            let name = try reader.text(fields[subjects[0]], key: "\(context).\(subjects[0])") ?? ""
            let script: LessonScript
            do { script = try LessonScript(named: name) } catch { throw reader.fail(error.message, fields[subjects[0]]?.1, key: "\(context).\(subjects[0])") }
            subject = subjects[0] == "lesson" ? .lesson(name) : .replay(name)
            try drawList("settings", allowed: script.settings.entries.map(\.setting.name))
            if case .replay = subject {
                guard [NetworkLesson.name, PerceptronLesson.name].contains(script.kind.name) else {
                    throw reader.fail("runs of network and perceptron lessons can be replayed, not \(script.kind.name)", fields["replay"]?.1, key: "\(context).replay")
                }
                if values.contains(where: { $0.draw.varies }) { throw reader.fail("a replayed lesson's settings are fixed (everyone implements the same run)", fields["settings"]?.1, key: "\(context).settings") }
            }
        default:
            let key = subjects[0]
            let name = try reader.text(fields[key], key: "\(context).\(key)") ?? ""
            guard OptimizersLesson.optimizerNames.contains(name) else {
                throw reader.fail("unknown optimizer (known: \(OptimizersLesson.optimizerNames.joined(separator: ", ")))", fields[key]?.1, key: "\(context).\(key)")
            }
            let function = try reader.text(fields["function"], key: "\(context).function") ?? ""
            _ = try SurfaceFunction(function, key: "\(context).function")
            let replaying = key == "replay-optimizer"
            subject = replaying ? .replayOptimizer(name: name, function: function) : .optimizer(name: name, function: function)
            let needed = replaying ? ["rate"] : ["x", "y", "rate"]
            try drawList("at", allowed: needed)
            let given = Set(values.map(\.name))
            if let missing = needed.first(where: { !given.contains($0) }) { throw reader.fail("no value for '\(missing)' under at:", node, key: "\(context).at") }
            if replaying, values.contains(where: { $0.draw.varies }) { throw reader.fail("a replayed optimizer's rate is fixed", fields["at"]?.1, key: "\(context).at") }
        }
        self.values = values

        if subject.isReplay {
            guard fields["ask"] == nil else { throw reader.fail("a replay question asks for the run itself: give steps and points, not ask", fields["ask"]?.1, key: "\(context).ask") }
            guard let n = try reader.number(fields["steps"]?.1, key: "\(context).steps", in: 1...100_000), n == n.rounded() else {
                throw reader.fail("needs 'steps': how many steps of the run are compared", node, key: "\(context).steps")
            }
            let points = try reader.number(fields["points"]?.1, key: "\(context).points", in: 0...1e6) ?? 1
            asks = [Ask(key: "run", quantity: .run(steps: Int(n)), prompt: "your program's run: its first \(Int(n)) steps", points: points, tolerance: tolerance)]
            return
        }
        guard fields["steps"] == nil, fields["points"] == nil else { throw reader.fail("steps and points belong to replay questions (give points per ask)", node, key: context) }
        guard let askNode = fields["ask"]?.1, let askList = askNode.sequence, !askList.isEmpty else {
            throw reader.fail("needs 'ask': a list of quantities", fields["ask"]?.1 ?? node, key: "\(context).ask")
        }
        var asks: [Ask] = []
        for (j, item) in askList.enumerated() {
            let askContext = "\(context).ask[\(j + 1)]"
            guard let m = item.mapping else { throw reader.fail("must be a mapping such as {value: L, points: 1}", item, key: askContext) }
            let f = try LessonScript.keyed(m, path: reader.path, allowed: Self.askKeys, context: askContext)
            let points = try reader.number(f["points"]?.1, key: "\(askContext).points", in: 0...1e6) ?? 1
            let askTolerance = try reader.tolerance(f["tolerance"]?.1, key: "\(askContext).tolerance", default: tolerance)
            func name(_ k: String) throws(LessonError) -> String? { try reader.text(f[k], key: "\(askContext).\(k)") }
            func step() throws(LessonError) -> Int {
                guard let n = try reader.number(f["step"]?.1, key: "\(askContext).step", in: 0...1e9), n == n.rounded() else {
                    throw reader.fail("needs 'step': a whole number ≥ 0", item, key: "\(askContext).step")
                }
                return Int(n)
            }
            let quantity: Ask.Quantity, key: String, prompt: String
            if let node = try name("value") {
                guard case .graph(let program) = subject, (program.targets + program.inputs).contains(node) else {
                    throw reader.fail("'\(node)' is not a named node of the graph", f["value"]?.1, key: "\(askContext).value")
                }
                (quantity, key, prompt) = (.value(node), node, "the forward value of \(node)")
            } else if let node = try name("gradient") {
                guard case .graph(let program) = subject, (program.targets + program.inputs).contains(node) else {
                    throw reader.fail("'\(node)' is not a named node of the graph", f["gradient"]?.1, key: "\(askContext).gradient")
                }
                (quantity, key, prompt) = (.gradient(node), "d\(program.output)/d\(node)", "∂\(program.output)/∂\(node)")
            } else if let parameter = try name("parameter") {
                guard case .lesson = subject else { throw reader.fail("parameter asks need a lesson question", item, key: askContext) }
                let k = try step()
                (quantity, key, prompt) = (.parameter(parameter, step: k), "\(parameter)@\(k)", k == 0 ? "the initial \(parameter)" : "\(parameter) after step \(k)")
            } else if let question = try name("yes-no") {
                guard case .lesson = subject, let summary = try name("summary"), let yes = try name("yes-when") else {
                    throw reader.fail("a yes-no ask needs a lesson question, 'summary' (the summary value it reads) and 'yes-when'", item, key: askContext)
                }
                (quantity, key, prompt) = (.yesNo(key: summary, yesWhen: yes), "yes-no \(j + 1)", question)
            } else if let summary = try name("summary") {
                guard case .lesson = subject else { throw reader.fail("summary asks need a lesson question", item, key: askContext) }
                (quantity, key, prompt) = (.summary(summary), summary, summary)
            } else if f["point"] != nil {
                guard case .optimizer = subject else { throw reader.fail("point asks need an optimizer question", item, key: askContext) }
                guard let n = try reader.number(f["point"]?.1, key: "\(askContext).point", in: 1...1e6), n == n.rounded() else {
                    throw reader.fail("must be the update number (1, 2, …)", f["point"]?.1, key: "\(askContext).point")
                }
                (quantity, key, prompt) = (.point(step: Int(n)), "step \(Int(n))", "(x, y) after update \(Int(n))")
            } else {
                throw reader.fail("say what is asked: value, gradient, parameter, summary, yes-no or point", item, key: askContext)
            }
            let finalKey = try name("key") ?? key
            if asks.contains(where: { $0.key == finalKey }) {
                throw reader.fail("'\(finalKey)' is asked twice; give one of them another 'key'", item, key: askContext)
            }
            asks.append(Ask(key: finalKey, quantity: quantity, prompt: try name("prompt") ?? prompt, points: points, tolerance: askTolerance))
        }
        self.asks = asks
    }
}
