import Render
import Sim

/// `kind: perceptron`: Rosenblatt's rule (notes 001, 002) on a 2-input data set, one presented sample at
/// a time: weighted sum, threshold, update w ← w + α(d − y)x. It stops when an epoch makes no error or
/// when the weights at the end of an epoch repeat an earlier epoch's, which proves a cycle (XOR).
public enum PerceptronLesson: DeclaredLessonKind {
    public static let name = "perceptron"
    public static let description = "Rosenblatt's perceptron rule, sample by sample, until it converges or its weights cycle."

    public struct Settings: LessonSettingsDeclaration {
        @Setting("data", data: DataSet.classification.map(\.name), narrative: true, help: "the data set: and, or, xor, or a CSV file (x1,x2,y; targets 0 or 1)")
        public var data: String = "and"
        @Setting("learning-rate", in: .positive, help: "α in w ← w + α(d − y)x")
        public var learningRate: Double = 1
        @Setting("w0", help: "the initial bias weight (on the constant input x₀ = 1)")
        public var w0: Double = 0
        @Setting("w1", help: "the initial weight of x₁")
        public var w1: Double = 0
        @Setting("w2", help: "the initial weight of x₂")
        public var w2: Double = 0
        @Setting("max-epochs", in: 1...100_000, help: "stop after this many epochs without convergence or cycle")
        public var maxEpochs: Int = 100

        public init() {}
    }

    public enum Section: String, LessonSection {
        case intro, rule
        case resultConverged = "result-converged", resultCycle = "result-cycle"
    }

    public enum Item: String, LessonReportItem {
        case presentations, boundaries, errors

        public var meaning: String {
            switch self {
            case .presentations: "every presented sample (the first 200): w·x, y, d − y and the weights after it"
            case .boundaries: "the boundary line after each update (up to 12 in the report, up to 50 as files)"
            case .errors: "misclassified samples per epoch"
            }
        }
    }

    public static func title(for settings: Settings) -> String? { "The perceptron on " + settings.data }

    /// The report's table lists the first presentations only: a 2,000-row data set would fill hundreds of
    /// pages. `--step` and the trace have them all.
    static let tabled = 200

    /// At most max-epochs × rows presentations, each kept with its weights and a step-through line (about
    /// 800 bytes, measured); with the trace, each recorded with 4 nodes.
    public static func estimate(_ s: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let rows = Double(try DataSet.named(s.data).inputs.count)
        let presentations = Double(s.maxEpochs) * rows
        var bytes = presentations * 800
        if recordsSteps { bytes += LessonBudget.trace(steps: presentations, nodes: 4, numbers: 12) }
        return LessonEstimate(bytes: bytes, settings: [s.$maxEpochs])
    }

    /// The run's numbers: the data, the start and every presentation of the rule.
    public struct Outcome: Sendable {
        let data: DataSet
        let initial: [Double]
        let run: PerceptronRule.Run
        /// The presentations that changed the weights.
        var updates: [PerceptronRule.Presentation] { run.presentations.filter { $0.error != 0 } }
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        let data = try DataSet.named(s.data)
        try data.requireBinaryTargets()
        guard data.inputNames.count == 2 else { throw LessonError("the perceptron lesson draws the (x₁, x₂) plane: it needs 2 inputs, the data has \(data.inputNames.count)", key: s.$data.name) }
        let initial = [s.w0, s.w1, s.w2]
        let run = PerceptronRule(learningRate: s.learningRate).train(inputs: data.inputs, targets: data.targets, initial: initial, maxEpochs: s.maxEpochs)
        return Outcome(data: data, initial: initial, run: run)
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let outcomeText = describe(outcome.run.outcome, final: outcome.run.finalWeights)
        let (report, figures) = try report(outcome, outcomeText: outcomeText, in: lesson)
        return LessonResult(narration: narration(outcome, in: lesson), summary: [outcomeText], steps: steps(outcome, in: lesson),
                            report: report, figures: figures, trace: try trace(outcome, in: lesson))
    }

    /// Each presented sample is a step; with --step, each epoch is an iteration (a typed number is an epoch).
    static func steps(_ outcome: Outcome, in lesson: Lesson<Self>) -> [LessonStep] {
        let alpha = lesson.settings.learningRate
        return outcome.run.presentations.map { p in
            var step = LessonStep(.sample, "epoch \(p.epoch), sample \(p.sample + 1): x = \(NumberFormat.tuple(p.input)), w·x = \(NumberFormat.display(p.netInput)) → y = \(NumberFormat.display(p.output)), d = \(NumberFormat.display(p.target))",
                       details: [p.error == 0 ? "correct: w stays \(NumberFormat.tuple(p.weightsAfter))"
                                              : "w ← w + α(d − y)x = \(NumberFormat.tuple(p.weightsBefore)) + \(NumberFormat.display(alpha))·(\(NumberFormat.display(p.error)))·\(NumberFormat.tuple(p.input)) = \(NumberFormat.tuple(p.weightsAfter))"])
            if lesson.stepsInDetail { step.iteration = p.epoch }
            return step
        }
    }

    /// The outcome in a sentence.
    static func describe(_ outcome: PerceptronRule.Outcome, final: [Double]) -> String {
        switch outcome {
        case .converged(let epochs, let count):
            return "converged: epoch \(epochs) made no error, after \(count) update\(count == 1 ? "" : "s"); final w = \(NumberFormat.tuple(final))"
        case .cycle(let firstEpoch, let repeatsAt):
            return "no convergence: the weights after epoch \(repeatsAt) equal those after epoch \(firstEpoch) (\(firstEpoch == 0 ? "the initial weights" : "w = \(NumberFormat.tuple(final))")), so the rule would repeat the same updates forever. No line separates these classes."
        case .stopped(let epochs):
            return "stopped after \(epochs) epochs without converging"
        }
    }

    /// The report's blocks and the figures written beside it.
    static func report(_ outcome: Outcome, outcomeText: String, in lesson: Lesson<Self>) throws(LessonError) -> (Report, [LessonFigure]) {
        let (data, run) = (outcome.data, outcome.run)
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }
        if let text = lesson.narrative(.rule) { blocks.append(.paragraph(text)) }
        if lesson.includes(.presentations) {
            blocks.append(.heading("Every presentation"))
            blocks.append(.table(Report.Table(header: ["epoch", "sample", "x (x₀ = 1)", "w·x", "y", "d", "d − y", "w after"], rows: run.presentations.prefix(tabled).map { p in
                [String(p.epoch), String(p.sample + 1), NumberFormat.tuple(p.input), NumberFormat.display(p.netInput), NumberFormat.display(p.output),
                 NumberFormat.display(p.target), NumberFormat.display(p.error), NumberFormat.tuple(p.weightsAfter)]
            })))
            if run.presentations.count > tabled {
                blocks.append(.paragraph("The first \(tabled) of \(run.presentations.count) presentations; --step and the trace have every one."))
            }
        }
        if lesson.includes(.boundaries) {
            blocks.append(.heading("The boundary after each update"))
            for (k, p) in outcome.updates.prefix(50).enumerated() {
                let figure = boundary(data: data, weights: p.weightsAfter, title: "After update \(k + 1) (epoch \(p.epoch), sample \(p.sample + 1))")
                figures.append(LessonFigure(String(format: "boundary-%02d", k + 1), figure))
                if k < 12 {
                    blocks.append(.figure(try lesson.paper(figure), caption: boundaryCaption(figure, weights: p.weightsAfter)))
                }
            }
        }
        if lesson.includes(.errors) {
            let figure = BarChart(title: "Misclassified samples per epoch", categoryTitle: "epoch", valueAxis: Axis("errors"),
                                  labels: run.errorsPerEpoch.indices.map { String($0 + 1) }, values: run.errorsPerEpoch.map(Double.init))
            figures.append(LessonFigure("errors", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "Errors in each epoch (one pass over the \(data.inputs.count) samples)."))
        }
        blocks.append(.heading("Outcome"))
        blocks.append(.paragraph(outcomeText))
        switch run.outcome {
        case .converged: if let text = lesson.narrative(.resultConverged) { blocks.append(.paragraph(text)) }
        default: if let text = lesson.narrative(.resultCycle) { blocks.append(.paragraph(text)) }
        }
        return (Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks), figures)
    }

    /// What the terminal prints: the first updates and the errors per epoch.
    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        var narration = lesson.introduction
        if let text = lesson.narrative(.intro) { narration.append(text) }
        narration.append("")
        let updates = outcome.updates
        for p in updates.prefix(20) {
            narration.append("  epoch \(p.epoch), sample \(p.sample + 1): y = \(NumberFormat.display(p.output)), d = \(NumberFormat.display(p.target)) → w = \(NumberFormat.tuple(p.weightsAfter))")
        }
        if updates.count > 20 { narration.append("  … \(updates.count - 20) more updates") }
        narration.append("errors per epoch: " + outcome.run.errorsPerEpoch.map(String.init).joined(separator: " "))
        return narration
    }

    /// Each presentation as the engine computes it: s = x·w (x with the constant 1 first), y = step(s).
    /// The perceptron rule then changes w by α(d − y)x: no gradient, so no backward.
    static func trace(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> Trace {
        let run = outcome.run
        var recorder = lesson.recorder("main", initial: ["w": Tensor(vector: outcome.initial)], iterations: run.presentations.count)
        do {
            for (i, p) in run.presentations.enumerated() {
                try recorder.append { detailed in try Self.traceStep(i + 1, p, detailed: detailed) }
            }
        } catch {
            throw LessonError("could not record the presentations: \(error)")
        }
        var summary = NamedValues<TraceValue>()
        switch run.outcome {
        case .converged(let epochs, let count):
            summary.append("outcome", .string("converged")); summary.append("epochs", .integer(epochs)); summary.append("updates", .integer(count))
        case .cycle(let firstEpoch, let repeatsAt):
            summary.append("outcome", .string("cycle")); summary.append("first-epoch", .integer(firstEpoch)); summary.append("repeats-at", .integer(repeatsAt))
        case .stopped(let epochs):
            summary.append("outcome", .string("stopped")); summary.append("epochs", .integer(epochs))
        }
        recorder.run.summary = summary
        return lesson.trace(data: outcome.data.traceData, runs: [recorder.run])
    }

    /// Presentation `number` as a trace step: in detail, the engine's graph x, w, s = x·w, y = step(s).
    static func traceStep(_ number: Int, _ p: PerceptronRule.Presentation, detailed: Bool) throws -> TraceStep {
        let after: NamedTensors = ["w": Tensor(vector: p.weightsAfter)]
        guard detailed else { return TraceStep(step: number, samples: [p.sample], nodes: nil, params: after) }
        let g = Graph()
        let x = try g.input("x", Tensor(vector: p.input))
        let w = try g.parameter("w", Tensor(vector: p.weightsBefore))
        let net = try g.apply(MatMul(), [x, w], name: "s")
        _ = try g.apply(Step(), [net], name: "y")
        return TraceStep(step: number, graph: g, samples: [p.sample], params: after)
    }

    /// The plane coloured by the perceptron's output, its boundary line and the samples.
    /// What a boundary figure shows, said for its weights: the line, or why none is drawn (it passes
    /// outside the window, where after update 1 of AND every point is on the side y = 1; or w₁ = w₂ = 0).
    static func boundaryCaption(_ plot: DecisionRegionPlot, weights w: [Double]) -> String {
        let weights = "w = \(NumberFormat.tuple(w))"
        if w[1] == 0 && w[2] == 0 {
            return "\(weights): w₁ = w₂ = 0, so there is no line: w·x = w₀ for every input and every point gets y = \(w[0] > 0 ? 1 : 0); ringed points are on the wrong side."
        }
        if let side = plot.sideOfWholeWindow {
            return "\(weights): the line w₀ + w₁x₁ + w₂x₂ = 0 passes outside this window, so every point shown gets y = \(side); ringed points are on the wrong side."
        }
        return "\(weights): the line w₀ + w₁x₁ + w₂x₂ = 0; ringed points are on the wrong side."
    }

    static func boundary(data: DataSet, weights w: [Double], title: String) -> DecisionRegionPlot {
        let samples = zip(data.inputs, data.targets).map { DecisionRegionPlot.Sample(x: $0[0], y: $0[1], label: Int($1)) }
        let xs = data.inputs.map { $0[0] }, ys = data.inputs.map { $0[1] }
        var plot = DecisionRegionPlot(title: title, xAxis: Axis(data.inputNames[0]), yAxis: Axis(data.inputNames[1]),
                                      xRange: Interval.padded(xs, fraction: 0, minimum: 0.5, empty: 0...1), yRange: Interval.padded(ys, fraction: 0, minimum: 0.5, empty: 0...1),
                                      samples: samples) { x, y in w[0] + w[1] * x + w[2] * y > 0 ? 1 : 0 }
        // A perceptron has no probability: its boundary is the straight line w·x = w₀ + w₁x₁ + w₂x₂ = 0.
        plot.line = (a: w[1], b: w[2], c: w[0])
        plot.boundaryName = "w·x = 0"
        return plot
    }
}
