import Sim

/// One run of `nnsim graph`: an expression program evaluated at given values, differentiated, and
/// recorded, ready to print, trace or draw.
public struct ExpressionRun {
    public let program: ExpressionProgram
    public let values: [(name: String, value: Double)]
    public let graph: Graph
    public let gradients: Gradients
    public let walkthrough: GraphWalkthrough

    /// Parses, builds and differentiates; throws an ExpressionError for any bad input.
    public init(source: String, at values: [(name: String, value: Double)]) throws(ExpressionError) {
        program = try ExpressionProgram(source)
        self.values = values
        let (graph, output) = try program.build(at: values)
        self.graph = graph
        do {
            gradients = try graph.backward(from: output)
        } catch {
            throw ExpressionError("could not differentiate '\(output.name)': \(error)")
        }
        walkthrough = GraphWalkthrough(graph: graph, gradients: gradients)
    }

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

    /// The run as a trace: the `--at` values are the settings and the leaves, one step holds every node.
    public var trace: Trace {
        var settings = NamedValues<TraceValue>()
        var leaves = NamedTensors()
        for (name, value) in values {
            settings.append(name, .number(value))
            leaves.append(name, Tensor(value))
        }
        var grads = NamedTensors()
        for (name, value) in walkthrough.gradients { grads.append(name, value) }
        let output = graph[gradients.output]
        var summary = NamedValues<TraceValue>()
        summary.append("output", .string(output.name))
        summary.append("value", .number(output.value.scalar ?? .nan))
        // One run of one step: the pass through the graph at the given values (no update, so the step's
        // params are the leaves again and its grads their gradients).
        let run = TraceRun(name: "main", initial: leaves,
                           steps: [TraceStep(step: 0, graph: graph, gradients: gradients, params: leaves, grads: grads)],
                           summary: summary)
        return Trace(source: .graph(name: output.name, expression: program.source), settings: settings, detail: .all, runs: [run])
    }
}
