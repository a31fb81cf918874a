import Sim

/// Builds one run of a lesson's trace while it trains: every iteration's loss, samples and parameters, and
/// for the iterations `detail` chooses every node of the engine's graph (values, gradients, local
/// derivatives, messages), the gradients and the optimizer's state. With `enabled` false (no trace is
/// written) it keeps nothing but the run's name, settings, start and summary.
struct TraceRecorder {
    var run: TraceRun
    let detail: TraceDetail
    let iterations: Int
    let enabled: Bool

    /// Whether iteration `step` is recorded with every node.
    func isDetailed(_ step: Int) -> Bool { detail.includes(step, of: iterations) }

    /// Records iteration `step`: the graph the update followed, its backward record and the update.
    mutating func record(_ step: Int, graph: Graph, gradients: Gradients, samples: [Int]? = nil, loss: Double,
                         update: OptimizerStep) {
        guard enabled else { return }
        run.steps.append(TraceStep(step: step, graph: graph, gradients: gradients, samples: samples, loss: loss,
                                   params: update.parameters, grads: update.gradients, optimizer: update.state,
                                   detailed: isDetailed(step)))
    }

    /// Records the next step (number `steps.count + 1`), which the lesson builds itself (a perceptron's
    /// presentation, an LMS update) given whether it is to be in full detail; nothing when disabled.
    mutating func append(_ step: (_ detailed: Bool) throws -> TraceStep) rethrows {
        guard enabled else { return }
        run.steps.append(try step(isDetailed(run.steps.count + 1)))
    }
}
