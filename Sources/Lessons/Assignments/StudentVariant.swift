import Foundation
import Sim
import Synchronization

/// A right answer, as the engine computed it.
public enum Answer: Sendable, Hashable {
    /// A number (shape []), a vector or a matrix, row-major.
    case numbers([Double], shape: [Int])
    /// A count (steps, updates, epochs): only the exact integer is right.
    case count(Int)
    case text(String)
    case yesNo(Bool)

    public var display: String {
        switch self {
        case .numbers(let xs, let shape):
            if shape.isEmpty, let x = xs.first { return NumberFormat.display(x, significantDigits: 6) }
            if shape.count == 2, shape[1] > 0 {
                return "[" + stride(from: 0, to: xs.count, by: shape[1]).map { start in
                    "[" + xs[start..<min(start + shape[1], xs.count)].map { NumberFormat.display($0, significantDigits: 6) }.joined(separator: ", ") + "]"
                }.joined(separator: ", ") + "]"
            }
            return "[" + xs.map { NumberFormat.display($0, significantDigits: 6) }.joined(separator: ", ") + "]"
        case .count(let n): return String(n)
        case .text(let s): return s
        case .yesNo(let b): return b ? "yes" : "no"
        }
    }

    init(_ tensor: Tensor) { self = .numbers(tensor.scalars, shape: tensor.shape) }

    /// As JSON, for other systems (the key, PrairieLearn's variants): a number, a vector or a matrix as
    /// nested arrays, a count as an integer, yes or no and words as text.
    public var json: JSONValue {
        switch self {
        case .numbers(let xs, let shape):
            if shape.isEmpty { return .number(xs.first ?? .nan) }
            guard shape.count == 2 else { return .array(xs.map(JSONValue.number)) }
            return .array((0..<shape[0]).map { r in .array(xs[(r * shape[1])..<((r + 1) * shape[1])].map(JSONValue.number)) })
        case .count(let n): return .integer(n)
        case .text(let s): return .string(s)
        case .yesNo(let b): return .string(b ? "yes" : "no")
        }
    }
}

/// One student's version of one question: the drawn values, every right answer and the worked steps.
public struct QuestionVariant: Sendable {
    public let question: AssignmentQuestion
    public let values: [(name: String, value: String)]
    /// By ask key.
    public let expected: [String: Answer]
    /// The worked solution, line by line, for the key.
    public let steps: [String]

    /// The drawn values as numbers (nan for one that is not a number), in order.
    public var numbers: [(name: String, value: Double)] { values.map { ($0.name, AnswerNumber.parse($0.value) ?? .nan) } }

    /// The question's text with {name} replaced by the student's values.
    public var text: String? {
        guard var text = question.text else { return nil }
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// Graph questions: what follows from the student's own forward values (`given`, by node name) with
    /// the right rules: each node's value recomputed from its inputs as the student gave them, and every
    /// gradient from the backward pass over the student's values. Nil for other questions or when the
    /// graph cannot be built.
    public func carried(given: [String: Double]) -> (values: [String: Double], gradients: [String: Double])? {
        guard case .graph(let program) = question.subject else { return nil }
        do {
            let (graph, output) = try program.build(at: numbers)
            var substitute: [NodeID: Tensor] = [:]
            for (name, value) in given {
                if let node = graph.node(named: name), node.value.isScalar { substitute[node.id] = Tensor(value) }
            }
            // The student's forward pass: every node recomputed from its inputs' values in this pass (the
            // unnamed steps inside a statement, such as t1 = w·x in z = w·x + b, included, not the key's),
            // which is what the student's answer for that node should be; downstream, their own value
            // stands where they gave one.
            var values: [NodeID: Tensor] = [:]
            var forward: [String: Double] = [:]
            for node in graph.nodes {
                var recomputed: Tensor?
                if let operation = node.operation {
                    recomputed = try? operation.forward(node.inputs.map { values[$0] ?? graph[$0].value })
                    if let value = recomputed?.scalar { forward[node.name] = value }
                }
                if let value = substitute[node.id] ?? recomputed { values[node.id] = value }
            }
            let gradients = try graph.backward(from: output, substituting: values)
            var backward: [String: Double] = [:]
            for node in graph.nodes { if let g = gradients[node.id]?.scalar { backward[node.name] = g } }
            return (forward, backward)
        } catch {
            return nil
        }
    }
}

/// A student's version of an assignment: every question's values drawn from the assignment's secret seed
/// and the student's ID (redrawn, reproducibly, while an answer is degenerate), and the answers.
public struct StudentVariant: Sendable {
    public let student: String
    public let questions: [QuestionVariant]

    /// Draws per question; gives up after this many degenerate draws.
    static let attempts = 200

    public init(_ assignment: Assignment, student: String) throws(LessonError) {
        self.student = student
        questions = try assignment.questions.map { question throws(LessonError) in
            var generator = StudentDraw.generator(seed: assignment.seed, student: student, question: question.id)
            var lastProblem = ""
            for _ in 0..<(question.values.contains { $0.draw.varies } ? Self.attempts : 1) {
                let values = question.values.map { (name: $0.name, value: $0.draw.draw(using: &generator)) }
                do throws(DrawFailure) {
                    let variant = try Self.solve(question, values: values)
                    if let problem = Self.degenerate(variant) { lastProblem = problem; continue }
                    return variant
                } catch {
                    switch error {
                    case .unusable(let problem):
                        lastProblem = problem
                    case .invalid(var error):
                        // The assignment itself is wrong (a summary key no run has, a setting out of the
                        // lesson's range): said at once, not after 200 draws of a lesson run each.
                        error.file = error.file ?? assignment.path
                        error.message += " (drawn: \(values.map { "\($0.name) = \($0.value)" }.joined(separator: ", ")))"
                        throw error
                    }
                }
            }
            throw LessonError("no usable values for question '\(question.id)' after \(Self.attempts) draws (last: \(lastProblem))", file: assignment.path, key: "questions.\(question.id)")
        }
    }

    /// Why a draw cannot be used (a non-finite answer, or an exact 0 that makes a gradient trivial), or nil.
    static func degenerate(_ variant: QuestionVariant) -> String? {
        for ask in variant.question.asks {
            guard case .numbers(let xs, _) = variant.expected[ask.key] else { continue }
            if xs.contains(where: { !$0.isFinite }) { return "\(ask.key) is not finite" }
            if variant.question.rejectZero, xs.contains(0) {
                if case .parameter = ask.quantity { continue }
                return "\(ask.key) is 0"
            }
        }
        return nil
    }

    /// Why a draw gives no variant: values that do not work (a division by zero at them, a run that stops
    /// before the asked step: draw again), or a question that cannot work with any (a summary key that
    /// no run has, a setting the lesson refuses: the assignment is wrong).
    enum DrawFailure: Error {
        case unusable(String)
        case invalid(LessonError)
    }

    static func solve(_ question: AssignmentQuestion, values: [(name: String, value: String)]) throws(DrawFailure) -> QuestionVariant {
        var expected: [String: Answer] = [:]
        var steps: [String] = []
        switch question.subject {
        case .graph(let program):
            var numbers: [(name: String, value: Double)] = []
            for (name, text) in values {
                guard let x = AnswerNumber.parse(text) else { throw .invalid(LessonError("the value '\(text)' of \(name) is not a number", key: "questions.\(question.id).at.\(name)")) }
                numbers.append((name, x))
            }
            do {
                let (graph, output) = try program.build(at: numbers)
                let gradients = try graph.backward(from: output)
                for ask in question.asks {
                    switch ask.quantity {
                    case .value(let name): if let node = graph.node(named: name) { expected[ask.key] = Answer(node.value) }
                    case .gradient(let name): if let node = graph.node(named: name) { expected[ask.key] = Answer(gradients[node.id] ?? node.value.map { _ in 0 }) }
                    default: break
                    }
                }
                let walk = GraphWalkthrough(graph: graph, gradients: gradients)
                steps = walk.forward.map(\.text) + walk.backward.map(\.text)
            } catch {
                throw .unusable("the graph cannot be computed at \(values.map { "\($0.name) = \($0.value)" }.joined(separator: ", ")): \(error)")
            }
        case .lesson(let name):
            let result: LessonResult
            do {
                result = try LessonResults.shared.result(name, settings: values.map { (key: $0.name, value: $0.value) })
            } catch {
                throw .invalid(error)
            }
            let trace = result.trace
            /// A summary key that this run lacks: unusable when another run of the lesson has the name (a
            /// threshold never reached in this run), else the assignment names a key the lesson never writes.
            func missing(_ key: String) -> DrawFailure {
                let name = trace.split(key).name
                let known = trace.summaryKeys.contains { $0 == name || $0.hasSuffix("." + name) }
                let message = "the lesson's summary has no '\(key)' (it has \(trace.summaryKeys.joined(separator: ", ")))"
                return known ? .unusable(message) : .invalid(LessonError(message, key: "questions.\(question.id)"))
            }
            for ask in question.asks {
                switch ask.quantity {
                case .parameter(let key, let step):
                    // `NAME` in a lesson of one run; `RUN.NAME` names the run in a lesson of several.
                    let (runName, parameter) = trace.split(key)
                    guard let run = trace.run(runName) else {
                        throw .invalid(LessonError("the lesson makes \(trace.runs.count) runs (\(trace.runs.map(\.name).joined(separator: ", "))): name one, as RUN.\(parameter)", key: "questions.\(question.id)"))
                    }
                    let tensor = step == 0 ? run.initial[parameter] : (step <= run.steps.count ? run.steps[step - 1].params[parameter] : nil)
                    guard run.initial[parameter] != nil else {
                        throw .invalid(LessonError("the lesson has no parameter \(parameter) (it has \(run.initial.names.joined(separator: ", ")))", key: "questions.\(question.id)"))
                    }
                    guard let tensor else { throw .unusable("the lesson has no \(parameter) after update \(step) (it ran \(run.steps.count) updates)") }
                    expected[ask.key] = Answer(tensor)
                case .summary(let key):
                    switch trace.summaryValue(key) {
                    case .number(let x): expected[ask.key] = .numbers([x], shape: [])
                    case .integer(let n): expected[ask.key] = .count(n)
                    case .string(let s): expected[ask.key] = .text(s)
                    case .bool(let b): expected[ask.key] = .yesNo(b)
                    case nil: throw missing(key)
                    }
                case .yesNo(let key, let yes):
                    guard let value = trace.summaryValue(key) else { throw missing(key) }
                    let text: String
                    switch value {
                    case .string(let s): text = s
                    case .integer(let n): text = String(n)
                    case .number(let x): text = NumberFormat.plain(x)
                    case .bool(let b): text = b ? "true" : "false"
                    }
                    expected[ask.key] = .yesNo(text == yes)
                default: break
                }
            }
            steps = result.steps.prefix(LessonResults.shownSteps).map { ([$0.text] + $0.details).joined(separator: "   ") }
        case .replay(let name), .replayOptimizer(let name, _):
            steps = ["The student's run of \(name) is replayed step by step from their own state (nnsim check with the run file)."]
        case .optimizer(let name, let function):
            func number(_ key: String) throws(DrawFailure) -> Double {
                guard let text = values.first(where: { $0.name == key })?.value, let x = AnswerNumber.parse(text) else {
                    throw .invalid(LessonError("'\(key)' is not a number", key: "questions.\(question.id).at.\(key)"))
                }
                return x
            }
            let rate = try number("rate")
            let start = (try number("x"), try number("y"))
            guard let kind = OptimizerKind(rawValue: name) else { throw .invalid(LessonError("nnsim has no optimizer called \(name)", key: "questions.\(question.id)")) }
            let f: SurfaceFunction
            do { f = try SurfaceFunction(function, key: "questions.\(question.id).function") } catch { throw .invalid(error) }
            let last = question.asks.compactMap { if case .point(let k) = $0.quantity { return k } else { return nil } }.max() ?? 1
            let runs: [OptimizersLesson.Run]
            do {
                runs = try OptimizersLesson.descend(f, from: start, optimizers: [(name, rate, TrainingChoices.optimizer(kind, rate: rate))], steps: last)
            } catch {
                throw .unusable("could not evaluate \(function) on the optimizer's path: \(error)")
            }
            guard let run = runs.first else { throw .invalid(LessonError("the optimizer did not run", key: "questions.\(question.id)")) }
            for ask in question.asks {
                if case .point(let k) = ask.quantity {
                    expected[ask.key] = k < run.points.count ? .numbers([run.points[k].x, run.points[k].y], shape: [2]) : .numbers([.nan, .nan], shape: [2])
                }
            }
            steps = run.updates.enumerated().map { k, update in
                "update \(k + 1): ∇f = \(NumberFormat.tuple(update.gradients["θ"]?.scalars ?? [])), \(OptimizersLesson.stateText(update.state)) → (x, y) = \(NumberFormat.tuple(update.parameters["θ"]?.scalars ?? []))"
            }
        }
        return QuestionVariant(question: question, values: values, expected: expected, steps: steps)
    }
}

/// Lesson runs by lesson and settings: many students draw the same settings, and a batch should run each
/// lesson once per combination. Bounded, so a hostile assignment cannot fill memory.
final class LessonResults: Sendable {
    static let shared = LessonResults()
    static let capacity = 256
    /// The steps a question's key shows (QuestionVariant.steps).
    static let shownSteps = 60
    private let results = Mutex<[String: LessonResult]>([:])

    /// The run's trace without its nodes (a question reads parameters and summaries) and its first steps:
    /// a cached xor run is then a few hundred kilobytes rather than megabytes (60 drawn settings of xor
    /// and optimizers kept 1.1 GB).
    func result(_ name: String, settings: [(key: String, value: String)]) throws(LessonError) -> LessonResult {
        let key = ([name] + settings.map { "\($0.key)=\($0.value)" }).joined(separator: "\u{0}")
        if let cached = results.withLock({ $0[key] }) { return cached }
        var result = try LessonRun(name, settings: settings).result
        result.steps = Array(result.steps.prefix(Self.shownSteps))
        for r in result.trace.runs.indices {
            for s in result.trace.runs[r].steps.indices { result.trace.runs[r].steps[s].nodes = nil }
        }
        results.withLock { cache in
            if cache.count >= Self.capacity { cache.removeAll() }
            cache[key] = result
        }
        return result
    }
}
