import Foundation
import Render
import Sim

/// `kind: minibatch`: batch, online and mini-batch learning on one problem (notes 000, 002, 004): the
/// logistic unit of the logistic lesson (z = X·w, ŷ = σ(z), the mean cross-entropy of the update's samples)
/// trained three times from the same start for the same number of epochs, with every sample per update,
/// one, and `batch-size`; each epoch a fresh order from a generator seeded with the lesson's seed + 1
/// (MiniBatches). The loss per epoch and per update, the noise of a batch's gradient against its size, and
/// the multiply-adds per epoch.
public enum MinibatchLesson: DeclaredLessonKind {
    public static let name = "minibatch"
    public static let description = "Batch, online and mini-batch gradient descent on one problem: the loss per epoch and per update, the gradient's noise against the batch size, and the cost per epoch."

    public struct Settings: LessonSettingsDeclaration {
        @Setting("data", data: LogisticLesson.offered, narrative: true, help: "the data set: a built-in name or a CSV file (inputs, then the class 0 or 1)")
        public var data: String = "moons"
        @Setting("learning-rate", in: 0...1e6, help: "η, the same for the three runs")
        public var learningRate: Double = 0.5
        @Setting("epochs", in: 1...1000, help: "passes over the data, the same for the three runs")
        public var epochs: Int = 20
        @Setting("batch-size", in: 1...DataSet.maximumRows, help: "the mini-batch run's samples per update")
        public var batchSize: Int = 10
        @Setting("noise-draws", in: 10...10_000, help: "random batches of each size drawn to measure the gradient's noise")
        public var noiseDraws: Int = 500

        public init() {}
    }

    public enum Section: String, LessonSection {
        case intro, runs, noise, cost
    }

    public enum Item: String, LessonReportItem {
        case epochLoss = "epoch-loss"
        case updateLoss = "update-loss"
        case noise, cost

        public var meaning: String {
            switch self {
            case .epochLoss: "each run's cross-entropy on all samples after each epoch, log scale"
            case .updateLoss: "each run's loss on the samples of each update, against the epoch"
            case .noise: "the mean squared distance of a random batch's gradient from the full gradient, measured and by formula, against the batch size"
            case .cost: "updates and multiply-adds per epoch for each batch size"
            }
        }
    }

    public static func title(for settings: Settings) -> String? { "Batch, online and mini-batch learning on " + settings.data }

    /// Per update a loss (three runs, the online one N per epoch) and with the trace each update's
    /// parameters and samples; the chosen updates in full (7 nodes, N·(3d + 12) numbers).
    public static func estimate(_ s: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let data = try DataSet.named(s.data)
        let n = Double(data.inputs.count), d = Double(data.inputNames.count + 1), e = Double(s.epochs)
        let updates = e * (1 + n + (n / Double(max(1, s.batchSize))).rounded(.up))
        var bytes = updates * 120 + Double(s.noiseDraws) * 8 * 10
        if recordsSteps {
            bytes += LessonBudget.trace(steps: updates, nodes: 1, numbers: 3 * d + 3 + Double(s.batchSize))
                + LessonBudget.trace(steps: 21, nodes: 7, numbers: n * (3 * d + 12) + 4 * d + 10)
        }
        return LessonEstimate(bytes: bytes, settings: [s.$epochs])
    }

    /// One run: its batch size, the loss of each update's samples, the cross-entropy on all samples after
    /// each epoch (the start first), and the trace's run.
    struct Run {
        let name: String
        let batchSize: Int
        let updatesPerEpoch: Int
        var updateLosses: [Double] = []
        var epochLosses: [Double] = []
        var final: [Double] = []
        var trace: TraceRun
    }

    /// The gradient's noise for one batch size: the mean over the draws of ‖g_B − g‖², and the formula's.
    struct Noise {
        let batchSize: Int
        let measured: Double
        let formula: Double
    }

    public struct Outcome {
        let data: DataSet
        let runs: [Run]
        let noise: [Noise]
        let start: [Double]
    }

    /// The cross-entropy on all samples at weights (b, w…).
    static func fullLoss(_ w: [Double], _ data: DataSet) -> Double {
        LogisticLesson.crossEntropy(data.inputs.map { LogisticLesson.output(w, $0) }, data.targets)
    }

    /// One sample's gradient of its cross-entropy at weights w: (ŷ − y)·(1, x).
    static func sampleGradient(_ w: [Double], _ x: [Double], _ y: Double) -> [Double] {
        let residual = LogisticLesson.output(w, x) - y
        return ([1] + x).map { residual * $0 }
    }

    /// The batch sizes of the noise figure: powers of two and halves up to N, and N.
    static func noiseSizes(_ n: Int) -> [Int] {
        var sizes: [Int] = []
        var b = 1
        while b < n { sizes.append(b); b *= 2 }
        return sizes + [n]
    }

    /// E‖g_B − g‖² for a batch of B drawn without replacement from N: (1/B)·(N − B)/(N − 1)·σ², with
    /// σ² = (1/N) Σᵢ ‖gᵢ − g‖² the per-sample gradients' spread (the finite-population correction).
    static func noiseFormula(batch: Int, gradients: [[Double]]) -> Double {
        let n = Double(gradients.count), b = Double(batch)
        let mean = gradients.dropFirst().reduce(gradients[0]) { zip($0, $1).map { $0 + $1 } }.map { $0 / n }
        let spread = gradients.reduce(0) { $0 + zip($1, mean).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } } / n
        return n > 1 ? spread / b * (n - b) / (n - 1) : 0
    }

    /// The data of a mini-batch lesson (this one, schedules): 0/1 targets, more samples than a batch, and
    /// X with a constant-1 column first; each error names its setting.
    static func design(_ data: DataSet, batchSize: Int, _ batchSetting: LessonSetting, _ dataSetting: LessonSetting) throws(LessonError) -> Tensor {
        try data.requireBinaryTargets()
        guard batchSize < data.inputs.count else { throw LessonError("the mini-batch must be smaller than the data's \(data.inputs.count) samples", key: batchSetting.name) }
        do {
            return try Tensor(rows: data.inputs.map { [1] + $0 })
        } catch {
            throw LessonError("the data's rows have different lengths", key: dataSetting.name)
        }
    }

    /// Mini-batch training of the logistic unit on `X` (from `design`), batches of `batchSize` in an order
    /// seeded with `seed`.
    static func training(_ X: Tensor, _ data: DataSet, batchSize: Int, seed: UInt64) -> GraphTraining {
        var training = GraphTraining(inputs: X, targets: data.targetColumn, parameters: ["w"]) { p, x, y in try LogisticLesson.graph(p, x, y, squared: false) }
        training.batchSize = batchSize
        training.batchSeed = seed
        return training
    }

    /// A run's loss that is not finite, said with what to change.
    static func notFinite(_ run: String, update: Int, _ rateSetting: LessonSetting) -> LessonError {
        LessonError("the \(run) run's loss is not finite at update \(update) (ŷ rounded to exactly 0 or 1 on the wrong class); lower learning-rate", key: rateSetting.name)
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        let data = try DataSet.named(s.data)
        let n = data.inputs.count
        let X = try design(data, batchSize: s.batchSize, s.$batchSize, s.$data)
        // The three runs start at zero (note 000: zeros are fine for logistic regression), so they differ only in their batches.
        let start = [Double](repeating: 0, count: X.shape[1])
        let initial: NamedTensors = ["w": Tensor(column: start)]
        var runs: [Run] = []
        for (name, size) in [("batch", n), ("mini-batch", s.batchSize), ("online", 1)] {
            let perEpoch = (n + size - 1) / size
            var run = Run(name: name, batchSize: size, updatesPerEpoch: perEpoch, epochLosses: [fullLoss(start, data)], trace: TraceRun(name: name, initial: initial))
            var recorder = lesson.recorder(name, settings: ["batch-size": .integer(size)], initial: initial, iterations: perEpoch * s.epochs)
            let training = training(X, data, batchSize: size, seed: lesson.seed &+ 1)
            do {
                let final = try training.train(from: initial, optimizer: TrainingChoices.optimizer(.gd, rate: s.learningRate), steps: perEpoch * s.epochs) { step, iteration in
                    guard iteration.loss.isFinite else { throw notFinite(name, update: step, s.$learningRate) }
                    run.updateLosses.append(iteration.loss)
                    if step % perEpoch == 0 {
                        run.epochLosses.append(fullLoss(try iteration.update.parameters.required("w", in: "the update").scalars, data))
                    }
                    recorder.record(step, graph: iteration.graph, gradients: iteration.gradients, samples: iteration.samples, loss: iteration.loss, update: iteration.update)
                }
                run.final = try final.required("w", in: "the trained weights").scalars
            } catch let error as LessonError {
                throw error
            } catch {
                throw LessonError("training failed: \(error)")
            }
            recorder.run.summary = ["cross-entropy": .number(run.epochLosses.last ?? .nan), "correct": .integer(LogisticLesson.correct(run.final, data))]
            run.trace = recorder.run
            runs.append(run)
        }
        // The gradient's noise at the start, from the seed + 2: each draw a random batch without replacement.
        let gradients = zip(data.inputs, data.targets).map { sampleGradient(start, $0, $1) }
        let full = gradients.dropFirst().reduce(gradients[0]) { zip($0, $1).map { $0 + $1 } }.map { $0 / Double(n) }
        var generator = SeededGenerator(seed: lesson.seed &+ 2)
        let noise = noiseSizes(n).map { b -> Noise in
            var total = 0.0
            for _ in 0..<s.noiseDraws {
                let batch = generator.permutation(n).prefix(b)
                let g = batch.dropFirst().reduce(gradients[batch[batch.startIndex]]) { zip($0, gradients[$1]).map { $0 + $1 } }.map { $0 / Double(b) }
                total += zip(g, full).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            }
            return Noise(batchSize: b, measured: total / Double(s.noiseDraws), formula: noiseFormula(batch: b, gradients: gradients))
        }
        return Outcome(data: data, runs: runs, noise: noise, start: start)
    }

    /// Multiply-adds per epoch for batches of `b` from `n` samples of `d` weights: z = X·w and the
    /// gradient Xᵀ(ŷ − y) cost d each per sample, whatever the batching; each update w ← w − η·g costs d.
    static func cost(n: Int, d: Int, b: Int) -> (updates: Int, operations: Int) {
        let updates = (n + b - 1) / b
        return (updates, 2 * n * d + updates * d)
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let s = lesson.settings
        let data = outcome.data
        let summary = outcome.runs.map { run in
            "\(run.name) (\(run.batchSize) per update, \(run.updatesPerEpoch * s.epochs) updates): cross-entropy \(NumberFormat.display(run.epochLosses.last ?? .nan)) after \(s.epochs) epochs, \(LogisticLesson.correct(run.final, data)) of \(data.inputs.count) right"
        }
        var trace = lesson.trace(data: data.traceData, runs: outcome.runs.map(\.trace))
        trace.settings.append("data-name", .string(data.name))
        var steps: [LessonStep] = []
        for run in outcome.runs {
            for (u, loss) in run.updateLosses.enumerated() {
                steps.append(LessonStep(.update, "\(run.name), epoch \(u / run.updatesPerEpoch + 1), update \(u + 1): L on its \(run.batchSize == data.inputs.count ? "all" : String(run.batchSize)) sample\(run.batchSize == 1 ? "" : "s") = \(NumberFormat.display(loss)), then w updated"))
            }
        }
        let (report, figures) = try report(outcome, in: lesson)
        return LessonResult(narration: narration(outcome, in: lesson), summary: summary, steps: steps, report: report, figures: figures, trace: trace)
    }

    /// The sentence comparing the runs after the first epoch and at the end, from the run.
    static func comparison(_ outcome: Outcome, epochs: Int) -> String {
        let first = outcome.runs.map { "\($0.name) \(NumberFormat.display($0.epochLosses.count > 1 ? $0.epochLosses[1] : .nan))" }.joined(separator: ", ")
        let last = outcome.runs.map { "\($0.name) \(NumberFormat.display($0.epochLosses.last ?? .nan))" }.joined(separator: ", ")
        let best = outcome.runs.min { ($0.epochLosses.last ?? .infinity) < ($1.epochLosses.last ?? .infinity) }
        return "After one epoch the cross-entropy on all samples is \(first); after \(epochs), \(last)\(best.map { ": the \($0.name) run is lowest for this seed and η" } ?? "")."
    }

    static func report(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> (Report, [LessonFigure]) {
        let s = lesson.settings
        let data = outcome.data, n = data.inputs.count, d = data.inputNames.count + 1
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }
        blocks.append(.heading("Three runs, one problem"))
        if let text = lesson.narrative(.runs) { blocks.append(.paragraph(text)) }
        blocks.append(.paragraph("Logistic regression on \(n) samples, from w = 0, η = \(NumberFormat.display(s.learningRate)), \(s.epochs) epochs each; the order of the samples is shuffled every epoch by a generator seeded with \(lesson.seed &+ 1) (the lesson's seed + 1). \(comparison(outcome, epochs: s.epochs))"))
        if lesson.includes(.epochLoss) {
            let figure = LinePlot(title: "Cross-entropy on all samples per epoch", xAxis: Axis("epoch"), yAxis: Axis("E", scale: .log), series: outcome.runs.map { run in
                LinePlot.Series(name: "\(run.name) (B = \(run.batchSize))", x: run.epochLosses.indices.map(Double.init), y: run.epochLosses, markers: s.epochs <= 30)
            })
            figures.append(LessonFigure("epoch-loss", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "E on all \(n) samples at the start (epoch 0) and after each epoch. Per epoch the batch run updates once, the mini-batch run \(outcome.runs[1].updatesPerEpoch) times, the online run \(n) times."))
        }
        if lesson.includes(.updateLoss) {
            let figure = LinePlot(title: "Loss of each update's samples", xAxis: Axis("epoch"), yAxis: Axis("L", scale: .log), series: outcome.runs.reversed().map { run in
                LinePlot.Series(name: "\(run.name) (B = \(run.batchSize))", x: run.updateLosses.indices.map { Double($0) / Double(run.updatesPerEpoch) }, y: run.updateLosses)
            })
            figures.append(LessonFigure("update-loss", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "The loss each update sees, before it, placed where the update starts (update u of an epoch of U at epoch u/U, from 0): the online run's is one sample's, the mini-batch run's the mean of \(s.batchSize) samples', the batch run's the mean of all \(n)."))
        }
        if lesson.includes(.noise) {
            blocks.append(.heading("The noise of a batch's gradient"))
            if let text = lesson.narrative(.noise) { blocks.append(.paragraph(text)) }
            let figure = LinePlot(title: "E‖g_B − g‖² at the start", xAxis: Axis("batch size B", scale: .log), yAxis: Axis("E‖g_B − g‖²", scale: .log), series: [
                LinePlot.Series(name: "measured, \(s.noiseDraws) batches each", x: outcome.noise.dropLast().map { Double($0.batchSize) }, y: outcome.noise.dropLast().map(\.measured), markers: true),
                LinePlot.Series(name: "(σ²/B)·(N − B)/(N − 1)", x: outcome.noise.dropLast().map { Double($0.batchSize) }, y: outcome.noise.dropLast().map(\.formula)),
            ])
            figures.append(LessonFigure("noise", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "How far a batch's mean gradient lies from the full gradient, on average over \(s.noiseDraws) random batches per size, at w = 0; at B = N = \(n) it is 0 (not drawn on the log scale)."))
            blocks.append(.table(Report.Table(header: ["B", "measured E‖g_B − g‖²", "formula", "measured / formula"], rows: outcome.noise.map { q in
                // At B = N every batch is all the samples: what is left is the sums' rounding in another order.
                [String(q.batchSize), q.batchSize == n && q.measured < 1e-20 ? "\(NumberFormat.display(q.measured)) (rounding)" : NumberFormat.display(q.measured), NumberFormat.display(q.formula), q.formula > 0 ? NumberFormat.display(q.measured / q.formula) : "—"]
            })))
        }
        if lesson.includes(.cost) {
            blocks.append(.heading("The cost of an epoch"))
            if let text = lesson.narrative(.cost) { blocks.append(.paragraph(text)) }
            blocks.append(.table(Report.Table(header: ["run", "B", "updates per epoch", "multiply-adds per epoch"], rows: outcome.runs.map { run in
                let c = cost(n: n, d: d, b: run.batchSize)
                return [run.name, String(run.batchSize), String(c.updates), "2·\(n)·\(d) + \(c.updates)·\(d) = \(c.operations)"]
            })))
        }
        return (Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks), figures)
    }

    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        let s = lesson.settings
        var narration = lesson.introduction
        if let text = lesson.narrative(.intro) { narration.append(text) }
        narration.append("")
        narration.append(comparison(outcome, epochs: s.epochs))
        narration.append("Gradient noise E‖g_B − g‖² at w = 0 (measured; formula):")
        for q in outcome.noise { narration.append("  B = \(q.batchSize): \(NumberFormat.display(q.measured)); \(NumberFormat.display(q.formula))") }
        return narration
    }
}
