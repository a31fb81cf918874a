import Foundation
import Render
import Sim

/// `kind: network`: a network with one hidden layer learns a 2-input classification, by default note
/// 001's ~11-line XOR network: X with a constant-1 column, 4 sigmoid hidden units, a sigmoid output,
/// full-batch gradient descent with learning rate 1 on ½Σ(y − ŷ)², weights uniform in [−1, 1), 5000
/// iterations. Before training, note 000's hand-set 2-2-1 ReLU solution and its "h space".
public enum NetworkLesson: LessonKind {
    public static let name = "network"
    public static let description = "A one-hidden-layer network (note 001's XOR network by default) trained on a small data set, with note 000's hand-set solution."
    public static let settings = [
        LessonSetting("data", .data(DataSet.classification.map(\.name)), default: .text("xor"), "the data set: a built-in name or a CSV file (x1,x2,y; targets 0 or 1)"),
        LessonSetting("hidden", .integer(1...64), default: .integer(4), "hidden units"),
        LessonSetting("activation", .choice(TrainingChoices.activations), default: .text("sigmoid"), "the hidden layer's activation (the output is always a sigmoid)"),
        LessonSetting("bias-column", .flag, default: .flag(true), "append a constant-1 input column, so that W1's last row is the hidden biases (note 001)"),
        LessonSetting("initializer", .choice(TrainingChoices.initializers), default: .text("uniform"), "how W1 and W2 start"),
        LessonSetting("init-scale", .number(0...1e6), default: .number(1), "uniform: U[−s, s); normal: N(0, s²); constant: s"),
        LessonSetting("optimizer", .choice(TrainingChoices.optimizers), default: .text("gd"), "the update rule (docs/optimizers.md)"),
        LessonSetting("learning-rate", .number(0...1e6), default: .number(1), "η (Rprop: its initial step Δ₀)"),
        LessonSetting("weight-decay", .number(0...1e6), default: .number(0), "λ: every update uses ∇L + λθ (L2 weight decay, notes 002 and 003)"),
        LessonSetting("schedule", .text, default: .text("constant"), "η over the updates: constant, step:K:F, exponential:K or hyperbolic:K (docs/optimizers.md)"),
        LessonSetting("batch-size", .integer(0...DataSet.maximumRows), default: .integer(0), "samples per update: 0 for all of them (full batch), 1 for online learning; a fresh seeded order each epoch"),
        LessonSetting("steps", .integer(1...1_000_000), default: .integer(5000), "iterations: updates of W1 and W2"),
        LessonSetting("sample", .integer(1...DataSet.maximumRows), default: .integer(2), "the sample (row, from 1) whose graph is drawn"),
    ]
    public static let narrativeSettings = ["data"]

    /// The schedule's text is read when the settings are (before the run).
    public static func check(_ settings: LessonSettings, file: String) throws(LessonError) {
        let schedule: LearningRateSchedule
        do {
            schedule = try TrainingChoices.schedule(settings.text("schedule"))
        } catch {
            throw LessonError(error.message, file: file, key: "schedule")
        }
        if schedule != .constant && settings.text("optimizer") == "rprop" {
            throw LessonError("rprop uses only the gradient's sign, so a learning-rate schedule has no effect on it", file: file, key: "schedule")
        }
    }
    public static func title(for settings: LessonSettings) -> String? { "A hidden layer on " + settings.text("data") }
    public static let sections = ["intro", "hand-solution", "training", "result"]
    public static let reportItems = [
        ReportItem("hand-solution", "note 000's hand-set ReLU network: the table of x, h and y"),
        ReportItem("h-space", "the four points in the hidden layer's h space, where a line separates them"),
        ReportItem("loss-curve", "the loss per iteration, log scale"),
        ReportItem("decision-regions", "the network's output over the input plane at several iterations"),
        ReportItem("network", "the network diagram of the final weights"),
        ReportItem("graph", "the annotated computational graph of one sample's forward and backward pass, at the initial weights"),
        ReportItem("outputs", "the final outputs for every sample"),
        ReportItem("steps", "the first iteration's forward steps, backward messages and updates"),
    ]

    /// Per iteration: the loss and a step-through line (about 450 bytes), the iteration's graph while it
    /// runs (rows × (inputs + hidden) tensors, a few copies), and with the trace its 9 nodes and every number.
    public static func estimate(_ s: LessonSettings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let data = try DataSet.named(s.text("data"))
        let r = Double(data.inputs.count), d = Double(data.inputNames.count + (s.flag("bias-column") ? 1 : 0))
        let h = Double(s.integer("hidden")), steps = Double(s.integer("steps"))
        var bytes = steps * 450 + 100 * r * (d + h)
        var drivers = ["steps"]
        if recordsSteps {
            // Values, gradients, local derivatives and messages of X, z1, h, z2, ŷ, Y, L; W1, W2 with their
            // gradients, updates and optimizer state; the samples' indices.
            let numbers = r * (4 * d + 8 * h + 14) + 9 * (d * h + h) + 20
            bytes += LessonBudget.trace(steps: steps, nodes: 9, numbers: numbers)
            drivers.append("hidden")
        }
        return LessonEstimate(bytes: bytes, settings: drivers)
    }

    public static func run(_ lesson: LessonContext) throws(LessonError) -> LessonResult {
        let s = lesson.settings
        let data = try DataSet.named(s.text("data"))
        try data.requireBinaryTargets()
        guard data.inputNames.count == 2 || !lesson.includes("decision-regions") else {
            throw LessonError("the decision-region figure needs 2 inputs; the data has \(data.inputNames.count) (drop decision-regions from report:)", key: "data")
        }
        let bias = s.flag("bias-column"), hidden = s.integer("hidden"), activation = s.text("activation"), steps = s.integer("steps")
        let sample = s.integer("sample") - 1
        guard sample < data.inputs.count else { throw LessonError("there are only \(data.inputs.count) samples", key: "sample") }
        let X = data.matrix(biasColumn: bias), Y = data.targetColumn
        var generator = SeededGenerator(seed: lesson.seed)
        let initializer = TrainingChoices.initializer(s.text("initializer"), scale: s.number("init-scale"))
        let initial: NamedTensors
        do {
            initial = ["W1": try initializer.tensor(shape: [X.shape[1], hidden], using: &generator),
                       "W2": try initializer.tensor(shape: [hidden, 1], using: &generator)]
        } catch {
            throw LessonError("\(error)")
        }
        var training = NetworkTraining(inputs: X, targets: Y, activation: activation)
        let batchSize = s.integer("batch-size"), batching = batchSize > 0 && batchSize < data.inputs.count
        training.batchSize = batchSize
        training.batchSeed = lesson.seed &+ 1   // the batches' order: its own generator (docs/optimizers.md)
        let schedule = try TrainingChoices.schedule(s.text("schedule")), decay = s.number("weight-decay")
        let optimizer = TrainingChoices.optimizer(s.text("optimizer"), rate: s.number("learning-rate"), schedule: schedule, weightDecay: decay)

        // Train, keeping the losses, the snapshots for the decision regions and the trace.
        let snapshotSteps = Set([0, max(1, steps / 50), max(1, steps / 5), steps])
        var snapshots: [(Int, NamedTensors)] = [(0, initial)]
        var losses: [Double] = []
        var first: NetworkTraining.Iteration?
        var recorder = lesson.recorder("main", initial: initial, iterations: steps)
        var updateSteps: [LessonStep] = []
        var recording = lesson.stepsInDetail ? StepRecording(iterations: steps, optimizer: s.text("optimizer")) : nil
        let final: NamedTensors
        do {
            final = try training.train(from: initial, optimizer: optimizer, steps: steps) { step, iteration in
                losses.append(iteration.loss)
                if step == 1 { first = iteration }
                if snapshotSteps.contains(step) { snapshots.append((step, iteration.update.parameters)) }
                recorder.record(step, graph: iteration.graph, gradients: iteration.gradients, samples: iteration.samples,
                                loss: iteration.loss, update: iteration.update)
                recording?.record(step, graph: iteration.graph, gradients: iteration.gradients, loss: iteration.loss, update: iteration.update)
                if step > 1 && recording == nil {
                    updateSteps.append(LessonStep(.update, "iteration \(step): L = \(NumberFormat.display(iteration.loss)), then W1 and W2 updated"))
                }
            }
        } catch {
            throw LessonError("training failed: \(error)")
        }
        let (outputs, finalLoss, correct) = NetworkTraining.evaluate(final, on: data, activation: activation, biasColumn: bias)

        // Steps: the first iteration in full, then one line per update.
        var stepList: [LessonStep] = []
        let firstWalk = first.map { GraphWalkthrough(graph: $0.graph, gradients: $0.gradients) }
        if let first, let walk = firstWalk {
            stepList += walk.forward.map { LessonStep(.forward, "\($0.node) = \($0.formula)", details: [GraphWalkthrough.show($0.value)]) }
            stepList += walk.backward.map { LessonStep(.backward, $0.text) }
            for (name, g) in first.update.gradients.entries {
                stepList.append(LessonStep(.update, "\(name) ← \(name) − η·∂L/∂\(name), η = \(NumberFormat.display(first.update.learningRate))",
                                           details: ["∂L/∂\(name) = \(GraphWalkthrough.show(g))",
                                                     "\(name) = \(GraphWalkthrough.show(first.update.parameters[name] ?? Tensor(0)))"]))
            }
        }
        stepList += updateSteps
        if let recording { stepList = recording.steps }

        // Figures.
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        let title = lesson.title
        if let intro = lesson.narrative("intro") { blocks.append(.paragraph(intro)) }
        if data.name == "xor" && (lesson.includes("hand-solution") || lesson.includes("h-space")) {
            blocks.append(.heading("A hand-set solution"))
            if let text = lesson.narrative("hand-solution") { blocks.append(.paragraph(text)) }
            let hand = HandSetXOR()
            if lesson.includes("hand-solution") { blocks.append(.table(hand.table)) }
            if lesson.includes("h-space") {
                let figure = hand.hSpaceFigure
                figures.append(LessonFigure("h-space", figure))
                blocks.append(.figure(try lesson.paper(figure), caption: "The four inputs in h space: (0,1) and (1,0) both map to h = (1, 0), and the line h₁ − 2h₂ = 0.5 separates the classes."))
            }
        }
        blocks.append(.heading("Training"))
        if let text = lesson.narrative("training") { blocks.append(.paragraph(text)) }
        if lesson.includes("loss-curve") {
            let figure = LinePlot(title: "Loss ½Σ(y − ŷ)² per iteration", xAxis: Axis("iteration"), yAxis: Axis("loss", scale: .log),
                                  series: [LinePlot.Series(name: "loss", x: losses.indices.map { Double($0 + 1) }, y: losses)])
            figures.append(LessonFigure("loss", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: batching
                ? "The loss of each update's mini-batch of \(batchSize) samples before the update, on a log scale (noisy: each batch is another part of the data); on all samples it is \(NumberFormat.display(finalLoss)) after \(steps) iterations."
                : "The loss before each update, on a log scale: \(NumberFormat.display(losses.first ?? .nan)) at the start, \(NumberFormat.display(finalLoss)) after \(steps) iterations."))
        }
        if lesson.includes("decision-regions") {
            let samples = zip(data.inputs, data.targets).map { DecisionRegionPlot.Sample(x: $0[0], y: $0[1], label: Int($1)) }
            let xs = data.inputs.map { $0[0] }, ys = data.inputs.map { $0[1] }
            func padded(_ v: [Double]) -> ClosedRange<Double> { Interval.padded(v, fraction: 0.25, minimum: 0.25, empty: 0...1) }
            for (step, w) in snapshots.sorted(by: { $0.0 < $1.0 }) {
                let network = NetworkTraining.function(w, activation: activation, biasColumn: bias)
                let figure = DecisionRegionPlot(title: "Output after \(step) iteration\(step == 1 ? "" : "s")", xAxis: Axis(data.inputNames[0]),
                                                yAxis: Axis(data.inputNames[1]), xRange: padded(xs), yRange: padded(ys), samples: samples) { x, y in
                    network([x, y])
                }
                figures.append(LessonFigure(String(format: "regions-%06d", step), figure))
                blocks.append(.figure(try lesson.paper(figure), caption: "The output ŷ over the input plane after \(step) iterations; the line is ŷ = 0.5, ringed points are misclassified."))
            }
        }
        if lesson.includes("network") {
            let neurons: [String] = data.inputNames + (bias ? ["1"] : [])
            let figure = NetworkDiagramFigure(title: "Final weights", layers: [
                .init(name: "input", neurons: neurons),
                .init(name: "hidden (\(activation))", neurons: (1...hidden).map { "h\($0)" }),
                .init(name: "output (σ)", neurons: ["ŷ"]),
            ], weights: [(final["W1"] ?? Tensor(0)).rows, (final["W2"] ?? Tensor(0)).rows])
            figures.append(LessonFigure("network", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "The trained network: blue connections are positive weights, vermillion negative, thicker is larger."))
        }
        if lesson.includes("graph") {
            let x = try? Tensor(rows: [bias ? data.inputs[sample] + [1] : data.inputs[sample]])
            do {
                let (g, loss) = try training.graph(initial, inputs: x, targets: Tensor(column: [data.targets[sample]]))
                let gradients = try g.backward(from: loss)
                let figure = GraphFigureBuilder.figure(of: g, gradients: gradients, output: loss.id, title: "Sample \(sample + 1) at the initial weights")
                figures.append(LessonFigure("graph", figure))
                blocks.append(.figure(try lesson.paper(figure), caption: "Forward values (above each edge) and gradients (below) for sample \(sample + 1), x = \(NumberFormat.tuple(data.inputs[sample])), at the initial weights."))
            } catch let error as LessonError {
                throw error
            } catch {
                throw LessonError("could not build the sample's graph: \(error)")
            }
        }
        blocks.append(.heading("Result"))
        if let text = lesson.narrative("result") { blocks.append(.paragraph(text)) }
        if lesson.includes("outputs") {
            blocks.append(.table(Report.Table(header: data.inputNames + ["target", "output ŷ", "class"], rows: zip(data.inputs, zip(data.targets, outputs)).map { x, p in
                x.map { NumberFormat.display($0) } + [NumberFormat.display(p.0), NumberFormat.display(p.1), p.1 >= 0.5 ? "1" : "0"]
            })))
        }
        if lesson.includes("steps"), let walk = firstWalk {
            blocks.append(.heading("The first iteration, step by step"))
            blocks.append(.table(walk.forwardTable))
            blocks.append(.table(walk.backwardTable))
        }
        let report = Report(title: title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks)

        var narration = lesson.introduction
        if let intro = lesson.narrative("intro") { narration.append(intro) }
        narration.append("")
        var regime = ""
        if decay > 0 { regime += ", weight decay λ = \(NumberFormat.display(decay))" }
        if schedule != .constant { regime += ", \(TrainingChoices.describe(schedule))" }
        if batching { regime += ", mini-batches of \(batchSize) (L below is the batch's loss)" }
        narration.append("Training: \(data.inputs.count) samples, \(data.inputNames.count + (bias ? 1 : 0))-\(hidden)-1 network (\(activation) hidden, sigmoid output), \(s.text("optimizer")) with η = \(NumberFormat.display(s.number("learning-rate")))\(regime), \(steps) iterations, seed \(lesson.seed)")
        let every = max(1, steps / 5)
        for (i, loss) in losses.enumerated() where i == 0 || (i + 1) % every == 0 {
            narration.append("  iteration \(i + 1): L = \(NumberFormat.display(loss))")
        }
        narration.append("")
        narration.append("Final outputs:")
        for (x, (d, y)) in zip(data.inputs, zip(data.targets, outputs)) {
            narration.append("  x = \(NumberFormat.tuple(x)): target \(NumberFormat.display(d)), ŷ = \(NumberFormat.display(y))")
        }
        let summary = ["after \(steps) iterations: L = \(NumberFormat.display(finalLoss)), \(correct) of \(data.inputs.count) samples classified correctly"]

        // The run's results at its final weights: the loss of every sample and how many are classified right.
        recorder.run.summary = ["loss": .number(finalLoss), "correct": .integer(correct)]
        var trace = lesson.trace(data: data.traceData, runs: [recorder.run])
        trace.settings.append("data-name", .string(data.name))
        return LessonResult(narration: narration, summary: summary, steps: stepList, report: report, figures: figures, trace: trace)
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

    var hSpaceFigure: DecisionRegionPlot {
        let samples = zip(inputs, targets).map { x, t in
            let h = hidden(x)
            return DecisionRegionPlot.Sample(x: h[0], y: h[1], label: t)
        }
        return DecisionRegionPlot(title: "XOR in h space", xAxis: Axis("h₁"), yAxis: Axis("h₂"), xRange: -0.5...2.5, yRange: -0.5...1.5,
                                  samples: samples) { h1, h2 in
            // A steep sigmoid of y − 0.5: the regions of the linear read-out, its boundary y = 0.5.
            Sigmoid().value(12 * (h1 - 2 * h2 - 0.5))
        }
    }
}
