import Sim

/// One run of `nnsim graph`: an expression program evaluated at given values, differentiated, and
/// recorded, ready to print, trace or draw.
public struct ExpressionRun {
    /// The program parsed, built at the values and differentiated: the numbers and the trace, before a
    /// word of the derivation is written. `nnsim graph` encodes the trace from this on one core while
    /// the other writes the walkthrough (`ExpressionRun(_:)`).
    public struct Evaluation {
        public let program: ExpressionProgram
        public let values: [(name: String, value: Tensor)]
        public let graph: Graph
        public let gradients: Gradients

        /// Parses, builds and differentiates; throws an ExpressionError for any bad input.
        public init(source: String, at values: [(name: String, value: Tensor)]) throws(ExpressionError) {
            program = try ExpressionProgram(source)
            self.values = values
            let (graph, output) = try program.build(at: values)
            self.graph = graph
            do {
                gradients = try graph.backward(from: output)
            } catch {
                if case .nonScalarOutput(let name, _) = error {
                    throw ExpressionError("the output '\(name)' has shape \(graph[output.id].value.shapeDescription); only a scalar can be differentiated: end the program with a sum(…), mean(…) or loss")
                }
                throw ExpressionError("could not differentiate '\(output.name)': \(error)")
            }
        }

        /// The run as a trace: the `--at` values are the settings (a vector or matrix as its `--at` text)
        /// and the leaves, one step holds every node.
        public var trace: Trace { record.trace }

        /// What the trace is made of, as a value another thread can turn into the trace (`nnsim graph`
        /// builds and encodes it on the other core).
        public var record: Record { Record(source: program.source, values: values, tape: graph.nodes, gradients: gradients) }

        public struct Record: Sendable {
            let source: String
            let values: [(name: String, value: Tensor)]
            let tape: [Node]
            let gradients: Gradients

            public var trace: Trace {
                var settings = NamedValues<TraceValue>()
                var leaves = NamedTensors()
                for (name, value) in values {
                    settings.append(name, value.isScalar ? .number(value.scalars[0]) : .string(ExpressionRun.atText(value)))
                    leaves.append(name, value)
                }
                var grads = NamedTensors()
                for (name, value) in gradients.ofLeaves(tape: tape) { grads.append(name, value) }
                let output = tape[gradients.output.index]
                var summary = NamedValues<TraceValue>()
                summary.append("output", .string(output.name))
                summary.append("value", .number(output.value.scalar ?? .nan))
                // One run of one step: the pass through the graph at the given values (no update, so the
                // step's params are the leaves again and its grads their gradients).
                let run = TraceRun(name: "main", initial: leaves,
                                   steps: [TraceStep(step: 0, tape: tape, gradients: gradients, params: leaves, grads: grads)],
                                   summary: summary)
                return Trace(source: .graph(name: output.name, expression: source), settings: settings, detail: .all, runs: [run])
            }
        }
    }

    public let evaluation: Evaluation
    public var program: ExpressionProgram { evaluation.program }
    /// The `--at` values in the order given: numbers as scalars, vectors and matrices as they are.
    public var values: [(name: String, value: Tensor)] { evaluation.values }
    public var graph: Graph { evaluation.graph }
    public var gradients: Gradients { evaluation.gradients }
    public let walkthrough: GraphWalkthrough

    /// Parses, builds and differentiates; throws an ExpressionError for any bad input.
    public init(source: String, at values: [(name: String, value: Double)]) throws(ExpressionError) {
        try self.init(source: source, at: values.map { (name: $0.name, value: Tensor($0.value)) })
    }

    /// The same with vectors and matrices among the values (`--at x=[1,-1]`).
    public init(source: String, at values: [(name: String, value: Tensor)]) throws(ExpressionError) {
        self.init(try Evaluation(source: source, at: values))
    }

    /// The derivation written out for an evaluated program.
    public init(_ evaluation: Evaluation) {
        self.evaluation = evaluation
        walkthrough = GraphWalkthrough(graph: evaluation.graph, gradients: evaluation.gradients)
    }

    /// The run as a trace (Evaluation.trace).
    public var trace: Trace { evaluation.trace }

    /// One line per node whose value is not finite although its inputs are: `t1 = x / y is inf
    /// (division by zero)`. The run goes on; the numbers say what IEEE arithmetic gave.
    public var warnings: [String] {
        graph.nodes.compactMap { node in
            guard let operation = node.operation, !node.value.isFinite,
                  node.inputs.allSatisfy({ graph[$0].value.isFinite }) else { return nil }
            // The first entry that is not finite, with the inputs' entries that gave it (a scalar broadcasts).
            let index = node.value.scalars.firstIndex { !$0.isFinite } ?? 0
            let inputs = node.inputs.map { input -> Double in
                let scalars = graph[input].value.scalars
                return scalars.count == 1 ? scalars[0] : (index < scalars.count ? scalars[index] : .nan)
            }
            let cause = Self.cause(operation, inputs: inputs, result: node.value.scalars[index])
            let formula = operation.notation(node.inputs.map { graph[$0].name })
            return "\(node.name) = \(formula) is \(GraphWalkthrough.show(node.value)) (\(cause))"
        }
    }

    /// Why `operation` gave the non-finite `result` from finite `inputs`: overflow only where the exact
    /// result is a finite number too large for a Double; otherwise what makes it undefined or infinite.
    static func cause(_ operation: any Operation, inputs: [Double], result: Double) -> String {
        func power(_ base: Double, _ exponent: Double) -> String {
            if base < 0 && exponent != exponent.rounded() { return "a negative base to a fractional power" }
            if base == 0 && exponent < 0 { return "zero to a negative power" }
            return "overflow"
        }
        switch (operation.name, inputs.count) {
        case ("div", 2) where inputs[1] == 0: return inputs[0] == 0 ? "zero divided by zero" : "division by zero"
        case ("log", 1) where inputs[0] == 0: return "log of zero"
        case ("log", 1) where inputs[0] < 0: return "log of a negative number"
        case ("sqrt", 1) where inputs[0] < 0: return "square root of a negative number"
        case ("pow", 1): return power(inputs[0], (operation as? PowerByConstant)?.exponent ?? .nan)
        case ("power", 2): return power(inputs[0], inputs[1])
        case ("exp", _), ("mul", _), ("scale", _), ("add", _), ("sub", _), ("div", _):
            return result.isNaN ? "a result that is not a number" : "overflow"
        default: return result.isNaN ? "a result that is not a number" : "an infinite result"
        }
    }

    /// The values of `--at` texts (InputValues: numbers, `[…]`, `[[…],[…]]`, `@file`), files read here as
    /// the program's own inputs are (a regular file, at most 16 MiB, UTF-8).
    public static func values(of texts: [String]) throws(ExpressionError) -> [(name: String, value: Tensor)] {
        var result: [(name: String, value: Tensor)] = []
        for text in texts {
            for (name, value) in try InputValues.parse(text) {
                switch value {
                case .tensor(let tensor): result.append((name, tensor))
                case .file(let path):
                    let text: String
                    do {
                        text = try InputText.read(path, limit: 16 << 20, what: "the file")
                    } catch {
                        throw ExpressionError("--at \(name)=@\(path): \(error)")
                    }
                    result.append((name, try InputValues.csv(text, file: path, input: name)))
                }
            }
        }
        return result
    }

    /// A tensor as `--at` reads it back exactly: `3`, `[1,-1]`, `[[1,2],[3,4]]` (the trace's settings).
    static func atText(_ value: Tensor) -> String {
        func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
        switch value.rank {
        case 0: return number(value.scalars[0])
        case 1: return "[" + value.scalars.map(number).joined(separator: ",") + "]"
        default: return "[" + value.rows.map { "[" + $0.map(number).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        }
    }
}
