import Foundation
import Render
import Sim

/// `kind: network`: a network with one hidden layer learns a 2-input classification, by default note
/// 001's ~11-line XOR network: X with a constant-1 column, 4 sigmoid hidden units, a sigmoid output,
/// full-batch gradient descent with learning rate 1 on ½Σ(y − ŷ)², weights uniform in [−1, 1), 5000
/// iterations. Before training, note 000's hand-set 2-2-1 ReLU solution and its "h space".
public enum NetworkLesson: DeclaredLessonKind {
    public static let name = "network"
    public static let description = "A one-hidden-layer network (note 001's XOR network by default) trained on a small data set, with note 000's hand-set solution."

    public struct Settings: LessonSettingsDeclaration {
        @Setting("data", data: DataSet.classification.map(\.name), narrative: true, help: "the data set: a built-in name or a CSV file (x1,x2,y; targets 0 or 1)")
        public var data: String = "xor"
        @Setting("hidden", in: 1...64, help: "hidden units")
        public var hidden: Int = 4
        @Setting("activation", help: "the hidden layer's activation (the output is always a sigmoid)")
        public var activation: Activation = .sigmoid
        @Setting("bias-column", help: "append a constant-1 input column, so that W1's last row is the hidden biases (note 001)")
        public var biasColumn: Bool = true
        @Setting("initializer", help: "how W1 and W2 start")
        public var initializer: InitializerChoice = .uniform
        @Setting("init-scale", in: 0...1e6, help: "uniform: U[−s, s); normal: N(0, s²); constant: s")
        public var initScale: Double = 1
        @Setting("optimizer", help: "the update rule (docs/optimizers.md)")
        public var optimizer: OptimizerKind = .gd
        @Setting("learning-rate", in: 0...1e6, help: "η (Rprop: its initial step Δ₀)")
        public var learningRate: Double = 1
        @Setting("weight-decay", in: 0...1e6, help: "λ: every update uses ∇L + λθ (L2 weight decay, notes 002 and 003)")
        public var weightDecay: Double = 0
        @Setting("schedule", help: "η over the updates: constant, step:K:F, exponential:K or hyperbolic:K (docs/optimizers.md)")
        public var schedule: String = "constant"
        @Setting("batch-size", in: 0...DataSet.maximumRows, help: "samples per update: 0 for all of them (full batch), 1 for online learning; a fresh seeded order each epoch")
        public var batchSize: Int = 0
        @Setting("steps", in: 1...1_000_000, help: "iterations: updates of W1 and W2")
        public var steps: Int = 5000
        @Setting("sample", in: 1...DataSet.maximumRows, help: "the sample (row, from 1) whose graph is drawn")
        public var sample: Int = 2

        public init() {}
    }

    public enum Section: String, LessonSection {
        case intro
        case handSolution = "hand-solution"
        case training, result
    }

    public enum Item: String, LessonReportItem {
        case handSolution = "hand-solution"
        case hSpace = "h-space"
        case lossCurve = "loss-curve"
        case decisionRegions = "decision-regions"
        case network, graph, outputs, steps

        public var meaning: String {
            switch self {
            case .handSolution: "note 000's hand-set ReLU network: the table of x, h and y"
            case .hSpace: "the four points in the hidden layer's h space, where a line separates them"
            case .lossCurve: "the loss per iteration, log scale"
            case .decisionRegions: "the network's output over the input plane at several iterations"
            case .network: "the network diagram of the final weights"
            case .graph: "the annotated computational graph of one sample's forward and backward pass, at the initial weights"
            case .outputs: "the final outputs for every sample"
            case .steps: "the first iteration's forward steps, backward messages and updates"
            }
        }
    }

    /// The schedule's text is read when the settings are (before the run).
    public static func check(_ settings: Settings) throws(LessonError) {
        let schedule: LearningRateSchedule
        do {
            schedule = try TrainingChoices.schedule(settings.schedule)
        } catch {
            throw LessonError(error.message, key: settings.$schedule.name)
        }
        if schedule != .constant && settings.optimizer == .rprop {
            throw LessonError("rprop uses only the gradient's sign, so a learning-rate schedule has no effect on it", key: settings.$schedule.name)
        }
    }

    public static func title(for settings: Settings) -> String? { "A hidden layer on " + settings.data }

    /// Per iteration: the loss and a step-through line (about 450 bytes), the iteration's graph while it
    /// runs (rows × (inputs + hidden) tensors, a few copies), and with the trace its 9 nodes and every number.
    public static func estimate(_ s: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let data = try DataSet.named(s.data)
        let r = Double(data.inputs.count), d = Double(data.inputNames.count + (s.biasColumn ? 1 : 0))
        let h = Double(s.hidden), steps = Double(s.steps)
        var bytes = steps * 450 + 100 * r * (d + h)
        var drivers = [s.$steps]
        if recordsSteps {
            // Values, gradients, local derivatives and messages of X, z1, h, z2, ŷ, Y, L; W1, W2 with their
            // gradients, updates and optimizer state; the samples' indices.
            let numbers = r * (4 * d + 8 * h + 14) + 9 * (d * h + h) + 20
            bytes += LessonBudget.trace(steps: steps, nodes: 9, numbers: numbers)
            drivers.append(s.$hidden)
        }
        return LessonEstimate(bytes: bytes, settings: drivers)
    }

    /// The run's numbers: the start, the losses, the weights at the decision-region snapshots, the final
    /// weights and how they do; and what the engine recorded while training (the first iteration's graph
    /// for its walkthrough, the trace's run, with --step the iterations' steps), which exists only while
    /// the iteration runs.
    public struct Outcome {
        let data: DataSet
        let schedule: LearningRateSchedule
        let batching: Bool
        let initial: NamedTensors
        let final: NamedTensors
        let losses: [Double]
        /// (iteration, W1 and W2 after it), the start first.
        let snapshots: [(Int, NamedTensors)]
        let outputs: [Double]
        let finalLoss: Double
        let correct: Int
        let first: NetworkTraining.Iteration?
        /// The chosen sample's graph at the initial weights and its gradients, when the report draws it.
        let sampleGraph: (graph: Graph, gradients: Gradients, loss: NodeID)?
        let traceRun: TraceRun
        let recorded: [LessonStep]?
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        let data = try DataSet.named(s.data)
        try data.requireBinaryTargets()
        guard data.inputNames.count == 2 || !lesson.includes(.decisionRegions) else {
            throw LessonError("the decision-region figure needs 2 inputs; the data has \(data.inputNames.count) (drop decision-regions from report:)", key: s.$data.name)
        }
        let steps = s.steps
        let sample = s.sample - 1
        guard sample < data.inputs.count else { throw LessonError("there are only \(data.inputs.count) samples", key: s.$sample.name) }
        let X = data.matrix(biasColumn: s.biasColumn), Y = data.targetColumn
        var generator = SeededGenerator(seed: lesson.seed)
        let initializer = s.initializer.initializer(scale: s.initScale)
        let initial: NamedTensors
        do {
            initial = ["W1": try initializer.tensor(shape: [X.shape[1], s.hidden], using: &generator),
                       "W2": try initializer.tensor(shape: [s.hidden, 1], using: &generator)]
        } catch {
            throw LessonError("\(error)")
        }
        var training = NetworkTraining(inputs: X, targets: Y, activation: s.activation)
        training.batchSize = s.batchSize
        training.batchSeed = lesson.seed &+ 1   // the batches' order: its own generator (docs/optimizers.md)
        let schedule = try TrainingChoices.schedule(s.schedule)
        let optimizer = TrainingChoices.optimizer(s.optimizer, rate: s.learningRate, schedule: schedule, weightDecay: s.weightDecay)

        // Train, keeping the losses, the snapshots for the decision regions and the trace.
        let snapshotSteps = Set([0, max(1, steps / 50), max(1, steps / 5), steps])
        var snapshots: [(Int, NamedTensors)] = [(0, initial)]
        var losses: [Double] = []
        var first: NetworkTraining.Iteration?
        var recorder = lesson.recorder("main", initial: initial, iterations: steps)
        var recording = lesson.stepsInDetail ? StepRecording(iterations: steps, optimizer: s.optimizer) : nil
        let final: NamedTensors
        do {
            final = try training.train(from: initial, optimizer: optimizer, steps: steps) { step, iteration in
                losses.append(iteration.loss)
                if step == 1 { first = iteration }
                if snapshotSteps.contains(step) { snapshots.append((step, iteration.update.parameters)) }
                recorder.record(step, graph: iteration.graph, gradients: iteration.gradients, samples: iteration.samples,
                                loss: iteration.loss, update: iteration.update)
                recording?.record(step, graph: iteration.graph, gradients: iteration.gradients, loss: iteration.loss, update: iteration.update)
            }
        } catch {
            throw LessonError("training failed: \(error)")
        }
        let (outputs, finalLoss, correct) = try NetworkTraining.evaluate(final, on: data, activation: s.activation, biasColumn: s.biasColumn)

        var sampleGraph: (graph: Graph, gradients: Gradients, loss: NodeID)?
        if lesson.includes(.graph) {
            let x = try? Tensor(rows: [s.biasColumn ? data.inputs[sample] + [1] : data.inputs[sample]])
            do {
                let (g, loss) = try training.graph(initial, inputs: x, targets: Tensor(column: [data.targets[sample]]))
                sampleGraph = (g, try g.backward(from: loss), loss.id)
            } catch let error as LessonError {
                throw error
            } catch {
                throw LessonError("could not build the sample's graph: \(error)")
            }
        }
        // The run's results at its final weights: the loss of every sample and how many are classified right.
        recorder.run.summary = ["loss": .number(finalLoss), "correct": .integer(correct)]
        return Outcome(data: data, schedule: schedule, batching: s.batchSize > 0 && s.batchSize < data.inputs.count, initial: initial, final: final,
                       losses: losses, snapshots: snapshots, outputs: outputs, finalLoss: finalLoss, correct: correct, first: first,
                       sampleGraph: sampleGraph, traceRun: recorder.run, recorded: recording?.steps)
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let summary = ["after \(lesson.settings.steps) iterations: L = \(NumberFormat.display(outcome.finalLoss)), \(outcome.correct) of \(outcome.data.inputs.count) samples classified correctly"]
        var trace = lesson.trace(data: outcome.data.traceData, runs: [outcome.traceRun])
        trace.settings.append("data-name", .string(outcome.data.name))
        let (report, figures) = try report(outcome, in: lesson)
        var result = LessonResult(narration: narration(outcome, in: lesson), summary: summary, steps: try steps(outcome, in: lesson), report: report,
                                  figures: figures, trace: trace)
        result.animations = [("regions-animation", figures.map(\.name).filter { $0.hasPrefix("regions-") })]
        return result
    }

    /// Steps: the first iteration in full, then one line per update; with --step, what StepRecording kept.
    static func steps(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> [LessonStep] {
        if let recorded = outcome.recorded { return recorded }
        return try GraphTraining.plainSteps(first: outcome.first, losses: outcome.losses, updated: "W1 and W2")
    }

    /// The report's blocks and the figures written beside it.
    static func report(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> (Report, [LessonFigure]) {
        let s = lesson.settings
        let (data, losses, steps) = (outcome.data, outcome.losses, s.steps)
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let intro = lesson.narrative(.intro) { blocks.append(.paragraph(intro)) }
        if data.name == "xor" && (lesson.includes(.handSolution) || lesson.includes(.hSpace)) {
            blocks.append(.heading("A hand-set solution"))
            if let text = lesson.narrative(.handSolution) { blocks.append(.paragraph(text)) }
            let hand = HandSetXOR()
            if lesson.includes(.handSolution) { blocks.append(.table(hand.table)) }
            if lesson.includes(.hSpace) {
                let figure = hand.spacesFigure
                figures.append(LessonFigure("h-space", figure))
                blocks.append(.figure(try lesson.paper(figure), caption: "Left, the four inputs in x space, where the read-out y = h₁ − 2h₂ is above 0.5 only between two lines; right, each input x (named beside its point) at h = (ReLU(x₁ + x₂), ReLU(x₁ + x₂ − 1)): \(hand.coincidence) (marked ×2), and the one line h₁ − 2h₂ = 0.5 separates the classes."))
            }
        }
        blocks.append(.heading("Training"))
        if let text = lesson.narrative(.training) { blocks.append(.paragraph(text)) }
        if lesson.includes(.lossCurve) {
            let figure = LinePlot(title: "Loss ½Σ(y − ŷ)² per iteration", xAxis: Axis("iteration"), yAxis: Axis("loss", scale: .log),
                                  series: [LinePlot.Series(name: "loss", x: losses.indices.map { Double($0 + 1) }, y: losses)])
            figures.append(LessonFigure("loss", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: outcome.batching
                ? "The loss of each update's mini-batch of \(s.batchSize) samples before the update, on a log scale (noisy: each batch is another part of the data); on all samples it is \(NumberFormat.display(outcome.finalLoss)) after \(steps) iterations."
                : "The loss before each update, on a log scale: \(NumberFormat.display(losses.first ?? .nan)) at the start, \(NumberFormat.display(outcome.finalLoss)) after \(steps) iterations."))
        }
        if lesson.includes(.decisionRegions) {
            let samples = zip(data.inputs, data.targets).map { DecisionRegionPlot.Sample(x: $0[0], y: $0[1], label: Int($1)) }
            let xs = data.inputs.map { $0[0] }, ys = data.inputs.map { $0[1] }
            func padded(_ v: [Double]) -> ClosedRange<Double> { Interval.padded(v, fraction: 0.25, minimum: 0.25, empty: 0...1) }
            for (step, w) in outcome.snapshots.sorted(by: { $0.0 < $1.0 }) {
                let network = try NetworkTraining.function(w, activation: s.activation, biasColumn: s.biasColumn)
                let figure = DecisionRegionPlot(title: "Output after \(step) iteration\(step == 1 ? "" : "s")", xAxis: Axis(data.inputNames[0]),
                                                yAxis: Axis(data.inputNames[1]), xRange: padded(xs), yRange: padded(ys), samples: samples) { x, y in
                    network([x, y])
                }
                figures.append(LessonFigure(String(format: "regions-%06d", step), figure))
                blocks.append(.figure(try lesson.paper(figure), caption: "The output ŷ over the input plane after \(step) iterations; \(figure.boundaryPhrase(drawn: "the line is ŷ = 0.5")), ringed points are misclassified."))
            }
        }
        if lesson.includes(.network) {
            let neurons: [String] = data.inputNames + (s.biasColumn ? ["1"] : [])
            let figure = NetworkDiagramFigure(title: "Final weights", layers: [
                .init(name: "input", neurons: neurons),
                .init(name: "hidden (\(s.activation.rawValue))", neurons: (1...s.hidden).map { "h\($0)" }),
                .init(name: "output (σ)", neurons: ["ŷ"]),
            ], weights: [try outcome.final.required("W1", in: "the final weights").rows, try outcome.final.required("W2", in: "the final weights").rows])
            figures.append(LessonFigure("network", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "The trained network: blue connections are positive weights, vermillion negative, thicker is larger."))
        }
        if lesson.includes(.graph), let sampleGraph = outcome.sampleGraph {
            let sample = s.sample - 1
            let figure = GraphFigureBuilder.figure(of: sampleGraph.graph, gradients: sampleGraph.gradients, output: sampleGraph.loss, title: "Sample \(sample + 1) at the initial weights")
            figures.append(LessonFigure("graph", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "Forward values (above each edge) and gradients (below) for sample \(sample + 1), x = \(NumberFormat.tuple(data.inputs[sample])), at the initial weights."))
        }
        blocks.append(.heading("Result"))
        if let text = lesson.narrative(.result) { blocks.append(.paragraph(text)) }
        if lesson.includes(.outputs) {
            blocks.append(.table(Report.Table(header: data.inputNames + ["target", "output ŷ", "class"], rows: zip(data.inputs, zip(data.targets, outcome.outputs)).map { x, p in
                x.map { NumberFormat.display($0) } + [NumberFormat.display(p.0), NumberFormat.display(p.1), p.1 >= 0.5 ? "1" : "0"]
            })))
        }
        if lesson.includes(.steps), let first = outcome.first { blocks += GraphTraining.firstIterationBlocks(first) }
        return (Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks), figures)
    }

    /// What the terminal prints: the network and its training, the loss at five points, the final outputs.
    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        let s = lesson.settings
        let data = outcome.data
        var narration = lesson.introduction
        if let intro = lesson.narrative(.intro) { narration.append(intro) }
        narration.append("")
        var regime = ""
        if s.weightDecay > 0 { regime += ", weight decay λ = \(NumberFormat.display(s.weightDecay))" }
        if outcome.schedule != .constant { regime += ", \(TrainingChoices.describe(outcome.schedule))" }
        if outcome.batching { regime += ", mini-batches of \(s.batchSize) (L below is the batch's loss)" }
        narration.append("Training: \(data.inputs.count) samples, \(data.inputNames.count + (s.biasColumn ? 1 : 0))-\(s.hidden)-1 network (\(s.activation.rawValue) hidden, sigmoid output), \(s.optimizer.name) with η = \(NumberFormat.display(s.learningRate))\(regime), \(s.steps) iterations, seed \(lesson.seed)")
        let every = max(1, s.steps / 5)
        for (i, loss) in outcome.losses.enumerated() where i == 0 || (i + 1) % every == 0 {
            narration.append("  iteration \(i + 1): L = \(NumberFormat.display(loss))")
        }
        narration.append("")
        narration.append("Final outputs:")
        for (x, (d, y)) in zip(data.inputs, zip(data.targets, outcome.outputs)) {
            narration.append("  x = \(NumberFormat.tuple(x)): target \(NumberFormat.display(d)), ŷ = \(NumberFormat.display(y))")
        }
        return narration
    }
}

/// Note 000's hand-set solution of XOR (Goodfellow et al., Deep Learning, 6.1): h = ReLU(x·W + c) with
/// W = [[1, 1], [1, 1]], c = (0, −1), then y = h·w with w = (1, −2). In h space (0,1) and (1,0) coincide.
struct HandSetXOR {
    let inputs: [[Double]] = [[0, 0], [0, 1], [1, 0], [1, 1]]
    let targets: [Int] = [0, 1, 1, 0]

    func hidden(_ x: [Double]) -> [Double] { [max(0, x[0] + x[1]), max(0, x[0] + x[1] - 1)] }
    func output(_ h: [Double]) -> Double { h[0] - 2 * h[1] }

    var table: Report.Table {
        Report.Table(header: ["x₁", "x₂", "h₁ = ReLU(x₁ + x₂)", "h₂ = ReLU(x₁ + x₂ − 1)", "y = h₁ − 2h₂", "XOR"], rows: zip(inputs, targets).map { x, t in
            let h = hidden(x)
            return (x + h + [output(h)]).map { NumberFormat.display($0) } + [String(t)]
        })
    }

    /// The inputs that share a point of h space, said as the caption says it ("(0, 1) and (1, 0) both map to h = (1, 0)").
    var coincidence: String {
        let groups = Dictionary(grouping: inputs) { hidden($0) }.filter { $0.value.count > 1 }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        guard !groups.isEmpty else { return "no two inputs share a point" }
        return groups.map { h, xs in
            xs.map { NumberFormat.tuple($0) }.joined(separator: " and ") + " \(xs.count == 2 ? "both map" : "all map") to h = \(NumberFormat.tuple(h))"
        }.joined(separator: "; ")
    }

    /// Both panels name the read-out's boundary alike, so the grid's legend has it once.
    static let boundary = "y = h₁ − 2h₂ = 0.5"

    /// The read-out's regions over the inputs: y = h₁ − 2h₂ is above 0.5 only between x₁ + x₂ = 0.5 and 1.5.
    var xSpacePlot: DecisionRegionPlot {
        // A steep sigmoid of y − 0.5: the regions of the read-out, its boundary y = 0.5.
        var plot = DecisionRegionPlot(title: "x space", xAxis: Axis("x₁"), yAxis: Axis("x₂"), xRange: -0.5...1.5, yRange: -0.5...1.5,
                                      samples: zip(inputs, targets).map { DecisionRegionPlot.Sample(x: $0[0], y: $0[1], label: $1) }) { x1, x2 in
            Sigmoid().value(12 * (output(hidden([x1, x2])) - 0.5))
        }
        plot.boundaryName = Self.boundary
        return plot
    }

    /// The inputs in h space, each named by the input it comes from (the figure counts and names the
    /// inputs that share a point), and the read-out's boundary, the line h₁ − 2h₂ = 0.5.
    var hSpacePlot: DecisionRegionPlot {
        // Room left of h = (0, 0) for its name "x = (0, 0)": right of it are the ×2 point and its note.
        var plot = DecisionRegionPlot(title: "h space", xAxis: Axis("h₁"), yAxis: Axis("h₂"), xRange: -1.5...2.5, yRange: -0.5...1.5,
                                      samples: zip(inputs, targets).map { x, t in
            let h = hidden(x)
            return DecisionRegionPlot.Sample(x: h[0], y: h[1], label: t, name: "x = " + NumberFormat.tuple(x))
        }) { h1, h2 in
            Sigmoid().value(12 * (h1 - 2 * h2 - 0.5))
        }
        plot.line = (a: 1, b: -2, c: -0.5)
        plot.boundaryName = Self.boundary
        return plot
    }

    /// x space beside h space.
    var spacesFigure: PanelGrid {
        let panels = [xSpacePlot, hSpacePlot]
        return PanelGrid(title: "XOR: x space and h space", panels: panels.map(PanelGrid.Panel.init))
    }
}
