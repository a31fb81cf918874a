import Sim

/// What a training run keeps for `--step` (LessonContext.stepsInDetail): every forward step and backward
/// message of the first and last iterations and a few chosen ones, and each iteration's update (its loss
/// and the new parameters). Runs without `--step` create none of this.
///
/// In a lesson of several runs (symmetry's starts, saturation's initializations) each run is recorded
/// with its name and an `offset`: its iterations are numbered on from the runs before it, so that a
/// typed number names one iteration of one run, and every step says which run and which of its
/// iterations it is (LessonStep.run).
struct StepRecording {
    let iterations: Int
    let optimizer: OptimizerKind
    let offset: Int
    let run: String?
    /// The iterations recorded in full.
    let detailed: Set<Int>
    private(set) var steps: [LessonStep] = []

    init(iterations: Int, optimizer: OptimizerKind, offset: Int = 0, run: String? = nil) {
        self.iterations = iterations
        self.optimizer = optimizer
        self.offset = offset
        self.run = run
        detailed = Self.detailed(iterations)
    }

    /// The iterations of a run of `iterations` shown in full: the ones the trace records in full by default.
    static func detailed(_ iterations: Int) -> Set<Int> { TraceDetail.chosenIterations(iterations) }

    /// A step first in the run, before its first iteration (its starting weights), numbered with it.
    mutating func note(_ text: String, values: [StepValue] = []) {
        steps.append(LessonStep(.note, text).with(iteration: offset + 1, detail: StepDetail(formula: text, values: values))
            .with(run: run.map { StepRun($0, iteration: 1, of: iterations) }))
    }

    /// Records iteration `iteration`: in full when chosen, else its update.
    mutating func record(_ iteration: Int, graph: Graph, gradients: Gradients, loss: Double, update: OptimizerStep) {
        let names = update.parameters.entries.map(\.name)
        let number = offset + iteration
        let place = run.map { StepRun($0, iteration: iteration, of: iterations) }
        if detailed.contains(iteration) {
            let walk = GraphWalkthrough(graph: graph, gradients: gradients)
            let nodes = graph.nodes.filter { $0.kind != .constant }.map(\.name)
            steps += walk.lessonSteps(graph: graph, iteration: number).map { $0.with(run: place) }
            for (name, g) in update.gradients.entries {
                // An optimizer updates every parameter it has a gradient for.
                guard let new = update.parameters[name] else { preconditionFailure("the update has a gradient for \(name) but no new \(name)") }
                let formula = optimizer == .gd ? "\(name) ← \(name) − η·∂L/∂\(name), η = \(NumberFormat.display(update.learningRate))"
                    : "\(name) ← \(optimizer.name) step from \(name) and ∂L/∂\(name), η = \(NumberFormat.display(update.learningRate))"
                steps.append(LessonStep(.update, formula, details: ["∂L/∂\(name) = \(GraphWalkthrough.show(g))", "\(name) = \(GraphWalkthrough.show(new))"])
                    .with(iteration: number, detail: StepDetail(formula: formula, values: [StepValue("∂L/∂\(name)", g, .gradient), StepValue(name, new, .value)],
                                                                nodes: nodes, node: name)).with(run: place))
            }
        } else {
            // The step's place (printed before the text, shown above it) names the iteration and any run.
            let text = "L = \(NumberFormat.display(loss)), then \(names.joined(separator: " and ")) updated"
            var values = [StepValue("L", Tensor(loss), .value)]
            values += update.parameters.entries.map { StepValue($0.name, $0.value, .value) }
            steps.append(LessonStep(.update, text).with(iteration: number, detail: StepDetail(
                formula: "L = \(NumberFormat.display(loss)); \(names.joined(separator: ", ")) updated (only the update is recorded for this iteration)",
                values: values)).with(run: place))
        }
    }
}
