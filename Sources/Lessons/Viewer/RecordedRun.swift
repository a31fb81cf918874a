import Sim

/// One recorded iteration of a run, as the viewer reads it from a trace: its number in its run, the run,
/// its loss, the parameters after it, and its graph when the trace recorded the graph's nodes.
struct RecordedIteration {
    /// The step number the trace gives it within its run.
    let number: Int
    /// The run's name in a trace of several runs (nil in one of one run), and how many steps the run has.
    let run: String?
    let runLength: Int
    /// The trace's settings with the run's own (its optimizer, its learning rate) over them.
    let settings: [String: TraceValue]
    let loss: Double?
    let params: NamedTensors
    let grads: NamedTensors
    /// The rows of the trace's data this step used, when it used some.
    let samples: [Int]?
    /// The step with its nodes, or nil when the trace recorded this iteration without them.
    let detail: TraceStep?
}

extension RecordedIteration {
    /// Every step of the trace, run after run. **The one place the viewer reads a trace's runs and steps**
    /// (docs/trace-format.md, version 2: `runs`, each with its `settings` and `steps`; a step's `nodes`
    /// only in full detail): a later version is read by changing this function.
    static func all(in trace: Trace) -> [RecordedIteration] {
        let shared = Dictionary(trace.settings.entries.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        return trace.runs.flatMap { run in
            let settings = shared.merging(run.settings.entries.map { ($0.name, $0.value) }) { _, own in own }
            return run.steps.map { step in
                RecordedIteration(number: step.step, run: trace.runs.count > 1 ? run.name : nil, runLength: run.steps.count,
                                  settings: settings, loss: step.loss ?? loss(of: step), params: step.params, grads: step.grads, samples: step.samples,
                                  detail: step.nodes == nil ? nil : step)
            }
        }
    }

    /// The loss of a step in detail without its own `loss`: its differentiated output's value, when that is one number.
    static func loss(of step: TraceStep) -> Double? {
        guard let output = step.output, let node = step.nodes?.last(where: { $0.name == output }),
              node.value.count == 1 else { return nil }
        return node.value.scalars.first
    }
}

/// A recorded graph rebuilt for the engine from a trace step's nodes (leaves with their values, operations
/// by Operations.named), and its backward pass from the step's output: what GraphWalkthrough and
/// GraphFigureBuilder read. Operations recompute their values from the leaves, as the run did.
struct RebuiltGraph {
    let graph: Graph
    let gradients: Gradients

    /// Nil when the step has no output, or names an operation or a setting nnsim does not know.
    init?(_ step: TraceStep) {
        guard let output = step.output else { return nil }
        let graph = Graph()
        var vars: [String: Var] = [:]
        do {
            for node in step.nodes ?? [] {
                switch node.kind {
                case .input: vars[node.name] = try graph.input(node.name, node.value)
                case .parameter: vars[node.name] = try graph.parameter(node.name, node.value)
                case .constant: vars[node.name] = try graph.constant(node.value, name: node.name)
                case .operation:
                    guard let name = node.operation, let operation = Operations.named(name, attributes: node.attributes)
                    else { return nil }
                    let inputs = node.inputs.compactMap { vars[$0] }
                    guard inputs.count == node.inputs.count else { return nil }
                    vars[node.name] = try graph.apply(operation, inputs, name: node.name)
                }
            }
            guard let result = vars[output] else { return nil }
            gradients = try graph.backward(from: result)
        } catch {
            return nil
        }
        self.graph = graph
    }
}
