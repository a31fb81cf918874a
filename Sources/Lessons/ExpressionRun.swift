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
            let inputs = node.inputs.map { graph[$0].value }
            let cause: String
            switch operation.name {
            case "div" where inputs[1].scalars.contains(0): cause = "division by zero"
            case "log" where inputs[0].scalars.contains(where: { $0 <= 0 }):
                cause = inputs[0].scalars.contains(0) ? "log of zero" : "log of a negative number"
            case "sqrt" where inputs[0].scalars.contains(where: { $0 < 0 }): cause = "square root of a negative number"
            case "exp", "pow", "power", "mul", "scale", "add", "sub": cause = "overflow"
            default: cause = "a non-finite result"
            }
            let formula = operation.notation(node.inputs.map { graph[$0].name })
            return "\(node.name) = \(formula) is \(GraphWalkthrough.show(node.value)) (\(cause))"
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
        return Trace(source: .graph(name: output.name, expression: program.source), settings: settings,
                     initial: leaves,
                     steps: [TraceStep(step: 0, graph: graph, gradients: gradients, params: leaves, grads: grads)],
                     summary: summary)
    }
}
