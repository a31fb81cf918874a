import Foundation
import Sim

/// A run a student's own program dumped: the trace format (docs/trace-format.md), or a CSV with the
/// columns `step,quantity,value` (docs/assignments.md). Step 0 holds the initial parameters and the data;
/// step k the forward values of iteration k (`z1[0][1]`), its gradients (`dL/dW1[2][0]`) and the
/// parameters after its update (`W1[2][0]`). A quantity without indices is a scalar.
public struct StudentRun: Sendable {
    public struct Step: Sendable {
        /// Forward values by node name (`z1`, `h`, `yhat`, `L`).
        public var nodes: [String: Tensor] = [:]
        /// Gradients used in the update, by parameter name (`W1`).
        public var gradients: [String: Tensor] = [:]
        /// Parameters after the update, by name.
        public var parameters: [String: Tensor] = [:]
    }

    /// Initial parameters, and data (`X`, `Y`, or the trace's `inputs` and `targets`).
    public var initial: [String: Tensor] = [:]
    public var data: [String: Tensor] = [:]
    /// Step k at index k − 1.
    public var steps: [Step] = []

    public static let maximumSteps = 100_000
    public static let maximumBytes = 64 << 20

    /// Whether a submission file is a run (a trace or a CSV) rather than answers.
    public static func isRun(_ bytes: [UInt8], name: String) -> Bool {
        if (name as NSString).pathExtension.lowercased() == "csv" { return true }
        // A trace is a JSON object whose own "format" is "nnsim-trace": the words anywhere else (an answer's
        // text, a comment in the first bytes) do not make a file a run.
        guard bytes.count <= maximumBytes,
              case .object(let members)? = try? JSONParser.parse(Array(TextInput.withoutByteOrderMark(bytes)), limits: JSONLimits(maxBytes: maximumBytes, maxDepth: 16))
        else { return false }
        return members.contains { $0.key == "format" && $0.value == .string("nnsim-trace") }
    }

    public static func parse(_ bytes: [UInt8], name: String) throws(LessonError) -> StudentRun {
        guard bytes.count <= maximumBytes else { throw LessonError("the run is larger than 64 MiB", file: name) }
        if (name as NSString).pathExtension.lowercased() == "csv" { return try csv(bytes, name: name) }
        let trace: Trace
        do {
            trace = try Trace(bytes: Array(TextInput.withoutByteOrderMark(bytes)), limits: JSONLimits(maxBytes: maximumBytes, maxDepth: 16))
        } catch {
            throw LessonError("not a readable trace: \(error)", file: name)
        }
        // A student's run is one run; a trace of several (a lesson's comparison) does not say which to grade.
        guard let only = trace.run(nil) else {
            throw LessonError("the trace holds \(trace.runs.count) runs (\(trace.runs.prefix(5).map(\.name).joined(separator: ", "))); submit a trace of the one run asked for", file: name)
        }
        var run = StudentRun()
        for (key, value) in only.initial.entries { run.initial[key] = value }
        for (key, value) in (trace.data ?? [:]).entries { run.data[key == "inputs" ? "X" : key == "targets" ? "Y" : key] = value }
        // The network's input node X carries the bias column that the data set's inputs do not.
        if let first = only.steps.first {
            for node in first.nodes ?? [] where node.name == "X" || node.name == "Y" { run.data[node.name] = node.value }
        }
        for step in only.steps.prefix(maximumSteps) {
            var s = Step()
            for node in step.nodes ?? [] { s.nodes[node.name] = node.value }
            for (key, value) in step.grads.entries { s.gradients[key] = value }
            for (key, value) in step.params.entries { s.parameters[key] = value }
            run.steps.append(s)
        }
        return run
    }

    /// `step,quantity,value` rows; a header row is optional.
    static func csv(_ bytes: [UInt8], name: String) throws(LessonError) -> StudentRun {
        let text: String
        do { text = try TextInput.decode(bytes) } catch { throw LessonError(error.message("the run"), file: name) }
        // quantity → step → [(indices, value)]
        var entries: [Int: [String: [([Int], Double)]]] = [:]
        for (n, raw) in TextInput.lines(text).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || (n == 0 && line.lowercased().hasPrefix("step")) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3, let step = Int(fields[0]), (0...maximumSteps).contains(step), let value = AnswerNumber.parse(fields[2]) else {
                throw LessonError("not step,quantity,value with a step in 0…\(maximumSteps) and a finite number", file: name, line: n + 1)
            }
            guard let (quantity, indices) = Self.quantity(fields[1]) else {
                throw LessonError("'\(fields[1])' is not a quantity such as W1[0][1], dL/dW1[0][1] or L (indices below 10000)", file: name, line: n + 1)
            }
            entries[step, default: [:]][quantity, default: []].append((indices, value))
        }
        var run = StudentRun()
        let last = entries.keys.max() ?? 0
        run.steps = Array(repeating: Step(), count: last)
        for (step, quantities) in entries {
            for (quantity, values) in quantities {
                let tensor = try Self.tensor(values, quantity: quantity, name: name)
                if step == 0 {
                    if quantity == "X" || quantity == "Y" { run.data[quantity] = tensor } else { run.initial[quantity] = tensor }
                } else if quantity.hasPrefix("dL/d") {
                    run.steps[step - 1].gradients[String(quantity.dropFirst(4))] = tensor
                } else if ["W1", "W2", "w"].contains(quantity) {
                    run.steps[step - 1].parameters[quantity] = tensor
                } else {
                    run.steps[step - 1].nodes[quantity] = tensor
                }
            }
        }
        return run
    }

    /// "W1[2][0]" → ("W1", [2, 0]); "L" → ("L", []).
    static func quantity(_ text: String) -> (String, [Int])? {
        guard let open = text.firstIndex(of: "[") else { return text.isEmpty || text.count > 40 ? nil : (text, []) }
        let name = String(text[..<open])
        var indices: [Int] = []
        var rest = text[open...]
        while rest.first == "[" {
            guard let close = rest.firstIndex(of: "]"), let i = Int(rest[rest.index(after: rest.startIndex)..<close]), (0..<10_000).contains(i) else { return nil }
            indices.append(i)
            rest = rest[rest.index(after: close)...]
        }
        guard rest.isEmpty, !name.isEmpty, name.count <= 40, indices.count <= 2 else { return nil }
        return (name, indices)
    }

    /// A tensor from indexed entries: the shape from the largest indices, every entry given exactly once.
    static func tensor(_ values: [([Int], Double)], quantity: String, name: String) throws(LessonError) -> Tensor {
        let rank = values.first?.0.count ?? 0
        guard values.allSatisfy({ $0.0.count == rank }) else { throw LessonError("'\(quantity)' mixes \(rank) and other numbers of indices", file: name) }
        if rank == 0 {
            guard values.count == 1 else { throw LessonError("'\(quantity)' is given twice in one step", file: name) }
            return Tensor(values[0].1)
        }
        var seen = Set<[Int]>()
        for (index, _) in values where !seen.insert(index).inserted {
            throw LessonError("'\(quantity)\(index.map { "[\($0)]" }.joined())' is given twice in one step", file: name)
        }
        let shape = (0..<rank).map { d in (values.map { $0.0[d] }.max() ?? 0) + 1 }
        let count = shape.reduce(1, *)
        guard count == values.count else {
            throw LessonError("'\(quantity)' has \(values.count) entries for a \(shape.map(String.init).joined(separator: "×")) shape: some are missing", file: name)
        }
        var scalars = [Double](repeating: .nan, count: count)
        for (index, value) in values { scalars[rank == 2 ? index[0] * shape[1] + index[1] : index[0]] = value }
        do {
            return try Tensor(shape: shape, scalars: scalars)
        } catch {
            throw LessonError("'\(quantity)': \(error)", file: name)
        }
    }
}
