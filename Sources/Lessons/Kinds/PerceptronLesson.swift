import Render
import Sim

/// `kind: perceptron`: Rosenblatt's rule (notes 001, 002) on a 2-input data set, one presented sample at
/// a time: weighted sum, threshold, update w ← w + α(d − y)x. It stops when an epoch makes no error or
/// when the weights at the end of an epoch repeat an earlier epoch's, which proves a cycle (XOR).
public enum PerceptronLesson: LessonKind {
    public static let name = "perceptron"
    public static let description = "Rosenblatt's perceptron rule, sample by sample, until it converges or its weights cycle."
    public static let settings = [
        LessonSetting("data", .data(DataSet.classification.map(\.name)), default: .text("and"), "the data set: and, or, xor, or a CSV file (x1,x2,y; targets 0 or 1)"),
        LessonSetting("learning-rate", .number(.positive), default: .number(1), "α in w ← w + α(d − y)x"),
        LessonSetting("w0", .number(.anyNumber), default: .number(0), "the initial bias weight (on the constant input x₀ = 1)"),
        LessonSetting("w1", .number(.anyNumber), default: .number(0), "the initial weight of x₁"),
        LessonSetting("w2", .number(.anyNumber), default: .number(0), "the initial weight of x₂"),
        LessonSetting("max-epochs", .integer(1...100_000), default: .integer(100), "stop after this many epochs without convergence or cycle"),
    ]
    public static let narrativeSettings = ["data"]
    public static func title(for settings: LessonSettings) -> String? { "The perceptron on " + settings.text("data") }
    public static let sections = ["intro", "rule", "result-converged", "result-cycle"]
    public static let reportItems = [
        ReportItem("presentations", "every presented sample (the first 200): w·x, y, d − y and the weights after it"),
        ReportItem("boundaries", "the boundary line after each update (up to 12 in the report, up to 50 as files)"),
        ReportItem("errors", "misclassified samples per epoch"),
    ]

    /// The report's table lists the first presentations only: a 2,000-row data set would fill hundreds of
    /// pages. `--step` and the trace have them all.
    static let tabled = 200

    /// At most max-epochs × rows presentations, each kept with its weights and a step-through line (about
    /// 800 bytes, measured); with the trace, each recorded with 4 nodes.
    public static func estimate(_ s: LessonSettings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let rows = Double(try DataSet.named(s.text("data")).inputs.count)
        let presentations = Double(s.integer("max-epochs")) * rows
        var bytes = presentations * 800
        if recordsSteps { bytes += LessonBudget.trace(steps: presentations, nodes: 4, numbers: 12) }
        return LessonEstimate(bytes: bytes, settings: ["max-epochs"])
    }

    public static func run(_ lesson: LessonContext) throws(LessonError) -> LessonResult {
        let s = lesson.settings
        let data = try DataSet.named(s.text("data"))
        try data.requireBinaryTargets()
        guard data.inputNames.count == 2 else { throw LessonError("the perceptron lesson draws the (x₁, x₂) plane: it needs 2 inputs, the data has \(data.inputNames.count)", key: "data") }
        let initial = [s.number("w0"), s.number("w1"), s.number("w2")]
        let alpha = s.number("learning-rate")
        let run = PerceptronRule(learningRate: alpha).train(inputs: data.inputs, targets: data.targets, initial: initial, maxEpochs: s.integer("max-epochs"))

        // Each presented sample is a step; with --step, each epoch is an iteration (a typed number is an epoch).
        let steps = run.presentations.map { p in
            var step = LessonStep(.sample, "epoch \(p.epoch), sample \(p.sample + 1): x = \(NumberFormat.tuple(p.input)), w·x = \(NumberFormat.display(p.netInput)) → y = \(NumberFormat.display(p.output)), d = \(NumberFormat.display(p.target))",
                       details: [p.error == 0 ? "correct: w stays \(NumberFormat.tuple(p.weightsAfter))"
                                              : "w ← w + α(d − y)x = \(NumberFormat.tuple(p.weightsBefore)) + \(NumberFormat.display(alpha))·(\(NumberFormat.display(p.error)))·\(NumberFormat.tuple(p.input)) = \(NumberFormat.tuple(p.weightsAfter))"])
            if lesson.stepsInDetail { step.iteration = p.epoch }
            return step
        }
        let updates = run.presentations.filter { $0.error != 0 }
        let outcome: String
        switch run.outcome {
        case .converged(let epochs, let count):
            outcome = "converged: epoch \(epochs) made no error, after \(count) update\(count == 1 ? "" : "s"); final w = \(NumberFormat.tuple(run.finalWeights))"
        case .cycle(let firstEpoch, let repeatsAt):
            outcome = "no convergence: the weights after epoch \(repeatsAt) equal those after epoch \(firstEpoch) (\(firstEpoch == 0 ? "the initial weights" : "w = \(NumberFormat.tuple(run.finalWeights))")), so the rule would repeat the same updates forever. No line separates these classes."
        case .stopped(let epochs):
            outcome = "stopped after \(epochs) epochs without converging"
        }

        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative("intro") { blocks.append(.paragraph(text)) }
        if let text = lesson.narrative("rule") { blocks.append(.paragraph(text)) }
        if lesson.includes("presentations") {
            blocks.append(.heading("Every presentation"))
            blocks.append(.table(Report.Table(header: ["epoch", "sample", "x (x₀ = 1)", "w·x", "y", "d", "d − y", "w after"], rows: run.presentations.prefix(tabled).map { p in
                [String(p.epoch), String(p.sample + 1), NumberFormat.tuple(p.input), NumberFormat.display(p.netInput), NumberFormat.display(p.output),
                 NumberFormat.display(p.target), NumberFormat.display(p.error), NumberFormat.tuple(p.weightsAfter)]
            })))
            if run.presentations.count > tabled {
                blocks.append(.paragraph("The first \(tabled) of \(run.presentations.count) presentations; --step and the trace have every one."))
            }
        }
        if lesson.includes("boundaries") {
            blocks.append(.heading("The boundary after each update"))
            for (k, p) in updates.prefix(50).enumerated() {
                let figure = boundary(data: data, weights: p.weightsAfter, title: "After update \(k + 1) (epoch \(p.epoch), sample \(p.sample + 1))")
                figures.append(LessonFigure(String(format: "boundary-%02d", k + 1), figure))
                if k < 12 {
                    blocks.append(.figure(try lesson.paper(figure), caption: "w = \(NumberFormat.tuple(p.weightsAfter)): the line w₀ + w₁x₁ + w₂x₂ = 0; ringed points are on the wrong side."))
                }
            }
        }
        if lesson.includes("errors") {
            let figure = BarChart(title: "Misclassified samples per epoch", categoryTitle: "epoch", valueAxis: Axis("errors"),
                                  labels: run.errorsPerEpoch.indices.map { String($0 + 1) }, values: run.errorsPerEpoch.map(Double.init))
            figures.append(LessonFigure("errors", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "Errors in each epoch (one pass over the \(data.inputs.count) samples)."))
        }
        blocks.append(.heading("Outcome"))
        blocks.append(.paragraph(outcome))
        switch run.outcome {
        case .converged: if let text = lesson.narrative("result-converged") { blocks.append(.paragraph(text)) }
        default: if let text = lesson.narrative("result-cycle") { blocks.append(.paragraph(text)) }
        }
        let report = Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks)

        var narration = lesson.introduction
        if let text = lesson.narrative("intro") { narration.append(text) }
        narration.append("")
        for p in updates.prefix(20) {
            narration.append("  epoch \(p.epoch), sample \(p.sample + 1): y = \(NumberFormat.display(p.output)), d = \(NumberFormat.display(p.target)) → w = \(NumberFormat.tuple(p.weightsAfter))")
        }
        if updates.count > 20 { narration.append("  … \(updates.count - 20) more updates") }
        narration.append("errors per epoch: " + run.errorsPerEpoch.map(String.init).joined(separator: " "))

        // Each presentation as the engine computes it: s = x·w (x with the constant 1 first), y = step(s). The perceptron rule then changes w by α(d − y)x: no gradient, so no backward.
        var recorder = lesson.recorder("main", initial: ["w": Tensor(vector: initial)], iterations: run.presentations.count)
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
        let trace = lesson.trace(data: data.traceData, runs: [recorder.run])
        return LessonResult(narration: narration, summary: [outcome], steps: steps, report: report, figures: figures, trace: trace)
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
