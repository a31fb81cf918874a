import Sim

/// What a training run keeps for `--step` (LessonContext.stepsInDetail): every forward step and backward
/// message of the first and last iterations and a few chosen ones, and each iteration's update (its loss
/// and the new parameters). Runs without `--step` create none of this.
struct StepRecording {
    let iterations: Int
    let optimizer: String
    /// The iterations recorded in full.
    let detailed: Set<Int>
    private(set) var steps: [LessonStep] = []

    init(iterations: Int, optimizer: String) {
        self.iterations = iterations
        self.optimizer = optimizer
        detailed = Set([1, 2, 10, 100, 1000, iterations / 2, iterations].filter { $0 >= 1 && $0 <= iterations })
    }

    /// Records iteration `iteration`: in full when chosen, else its update.
    mutating func record(_ iteration: Int, graph: Graph, gradients: Gradients, loss: Double, update: OptimizerStep) {
        let names = update.parameters.entries.map(\.name)
        if detailed.contains(iteration) {
            let walk = GraphWalkthrough(graph: graph, gradients: gradients)
            let nodes = graph.nodes.filter { $0.kind != .constant }.map(\.name)
            steps += walk.lessonSteps(graph: graph, iteration: iteration)
            for (name, g) in update.gradients.entries {
                let new = update.parameters[name] ?? Tensor(0)
                let formula = optimizer == "gd" ? "\(name) ← \(name) − η·∂L/∂\(name), η = \(NumberFormat.display(update.learningRate))"
                    : "\(name) ← \(optimizer) step from \(name) and ∂L/∂\(name), η = \(NumberFormat.display(update.learningRate))"
                steps.append(LessonStep(.update, formula, details: ["∂L/∂\(name) = \(GraphWalkthrough.show(g))", "\(name) = \(GraphWalkthrough.show(new))"])
                    .with(iteration: iteration, detail: StepDetail(formula: formula, values: [StepValue("∂L/∂\(name)", g, .gradient), StepValue(name, new, .value)],
                                                                   nodes: nodes, node: name)))
            }
        } else {
            let text = "iteration \(iteration): L = \(NumberFormat.display(loss)), then \(names.joined(separator: " and ")) updated"
            var values = [StepValue("L", Tensor(loss), .value)]
            values += update.parameters.entries.map { StepValue($0.name, $0.value, .value) }
            steps.append(LessonStep(.update, text).with(iteration: iteration, detail: StepDetail(
                formula: "L = \(NumberFormat.display(loss)); \(names.joined(separator: ", ")) updated (only the update is recorded for this iteration)",
                values: values)))
        }
    }
}
