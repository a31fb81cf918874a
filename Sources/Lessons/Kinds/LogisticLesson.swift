import Foundation
import Render
import Sim

/// `kind: logistic`: logistic regression as one sigmoid unit (notes 000 and 002): X with a constant-1
/// column first (note 000's [1; x], so w₀ = b), z = X·w, ŷ = σ(z), and the mean binary cross-entropy
/// E = −(1/N) Σ [y ln ŷ + (1 − y) ln(1 − ŷ)], trained by full-batch gradient descent. The gradient
/// ∂E/∂w = (1/N) Σ (ŷ − y)x is written out for one sample and checked against the backward pass; a second
/// run from the same start on the squared error shows why cross-entropy suits a sigmoid output.
public enum LogisticLesson: DeclaredLessonKind {
    public static let name = "logistic"
    public static let description = "Logistic regression: one sigmoid unit on the binary cross-entropy, its gradient (ŷ − y)x, the decision boundary over training, and cross-entropy against squared error."

    /// The built-in sets with classes 0 and 1, which this lesson accepts.
    static let offered = ["moons", "circles", "and", "or", "xor"]

    public struct Settings: LessonSettingsDeclaration {
        @Setting("data", data: LogisticLesson.offered, narrative: true, help: "the data set: a built-in name or a CSV file (inputs, then the class 0 or 1)")
        public var data: String = "moons"
        @Setting("learning-rate", in: 0...1e6, help: "η in w ← w − η·∂E/∂w")
        public var learningRate: Double = 1
        @Setting("iterations", in: 1...100_000, help: "full-batch gradient-descent updates")
        public var iterations: Int = 300
        @Setting("init-scale", in: 0...1e3, help: "the weights (b, w) start N(0, s²) from the seed; 0 starts them at zero (note 000: zeros are fine for logistic regression)")
        public var initScale: Double = 2
        @Setting("sample", in: 1...DataSet.maximumRows, help: "the sample (row, from 1) whose gradient (ŷ − y)x is written out")
        public var sample: Int = 1
        @Setting("squared-error", help: "also train from the same start on the squared error ½(ŷ − y)², for the comparison")
        public var squaredError: Bool = true

        public init() {}
    }

    public enum Section: String, LessonSection {
        case intro, gradient, training
        case whyCrossEntropy = "why-cross-entropy"
    }

    public enum Item: String, LessonReportItem {
        case gradient
        case lossCurve = "loss-curve"
        case decisionRegions = "decision-regions"
        case whyCrossEntropy = "why-cross-entropy"
        case weights, steps

        public var meaning: String {
            switch self {
            case .gradient: "one sample's gradient (ŷ − y)x and the batch's (1/N)Xᵀ(ŷ − y), by formula beside the backward pass"
            case .lossCurve: "the cross-entropy per iteration of the cross-entropy run and of the squared-error run, log scale"
            case .decisionRegions: "ŷ over the input plane with the line ŷ = 0.5 at the start, early and at the end (2 inputs)"
            case .whyCrossEntropy: "∂L/∂z under cross-entropy and squared error against z, with the run's most wrong sample"
            case .weights: "the weights at the start and the end of both runs, and how many samples each classifies right"
            case .steps: "the first iteration's forward steps, backward messages and update"
            }
        }
    }

    public static func title(for settings: Settings) -> String? { "Logistic regression on " + settings.data }

    /// Per iteration of each run: the loss and a step line (~450 bytes), the graph while it runs, and with
    /// the trace its 7 nodes (X, w, z, ŷ, Y, the sum, E) with every number.
    public static func estimate(_ s: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let data = try DataSet.named(s.data)
        let r = Double(data.inputs.count), d = Double(data.inputNames.count + 1)
        let runs: Double = s.squaredError ? 2 : 1, steps = Double(s.iterations)
        var bytes = runs * steps * 450 + 100 * r * d
        if recordsSteps { bytes += LessonBudget.trace(steps: runs * steps, nodes: 7, numbers: r * (3 * d + 12) + 4 * d + 10) }
        return LessonEstimate(bytes: bytes, settings: [s.$iterations])
    }

    /// One training run: its losses (the loss it descends), the cross-entropy of its outputs per
    /// iteration, its weights at the snapshots and at the end, and what the engine recorded.
    struct Run {
        let name: String
        var losses: [Double] = []
        var crossEntropies: [Double] = []
        var snapshots: [(Int, [Double])] = []
        var final: [Double] = []
        var first: GraphTraining.Iteration?
        var trace: TraceRun
        var recorded: [LessonStep]?
    }

    /// The sample the comparison is about: the one whose output is furthest from its class at the start.
    struct WrongSample {
        let index: Int
        let z: Double
        let yhat: Double
        let y: Double
        /// ∂Lᵢ/∂z under cross-entropy, ŷ − y, and under squared error, (ŷ − y)·ŷ(1 − ŷ).
        var crossEntropyGradient: Double { yhat - y }
        var squaredErrorGradient: Double { (yhat - y) * yhat * (1 - yhat) }
        /// Further than ½ from its class: on the wrong side of ŷ = 0.5, not on it.
        var wrongSide: Bool { abs(yhat - y) > 0.5 }
    }

    public struct Outcome {
        let data: DataSet
        /// The inputs with a leading 1, the targets as a column.
        let X: Tensor
        let Y: Tensor
        let initial: [Double]
        let crossEntropy: Run
        let squaredError: Run?
        let worst: WrongSample
        /// The chosen sample's gradient by the engine's backward pass on its own graph (N = 1).
        let sampleBackward: [Double]
    }

    /// The weight names: b, then w₁, w₂ (or w_NAME for a CSV's columns).
    static func weightNames(_ data: DataSet) -> [String] {
        ["b"] + (data.inputNames == ["x1", "x2"] ? ["w₁", "w₂"] : data.inputNames.map { "w_\($0)" })
    }

    /// z = X·w, ŷ = σ(z), and E, the mean cross-entropy (or with `squared`, the mean ½(ŷ − y)²).
    static func graph(_ p: NamedTensors, _ x: Tensor, _ y: Tensor, squared: Bool) throws -> (Graph, Var) {
        let g = Graph()
        let X = try g.input("X", x)
        let w = try g.parameter("w", try p.required("w", in: "the unit's weights"))
        let Y = try g.input("Y", y)
        let z = try g.apply(MatMul(), [X, w], name: "z")
        let yhat = try g.apply(Sigmoid(), [z], name: "yhat")
        let total = squared ? try g.apply(SquaredError(), [yhat, Y], name: "SE") : try g.apply(BinaryCrossEntropy(), [yhat, Y], name: "CE")
        return (g, try g.apply(Scale(1 / Double(x.shape[0])), [total], name: "E"))
    }

    /// The mean cross-entropy of outputs ŷ against 0/1 targets.
    static func crossEntropy(_ yhat: [Double], _ y: [Double]) -> Double {
        -zip(yhat, y).reduce(0) { $0 + ($1.1 == 1 ? log($1.0) : log1p(-$1.0)) } / Double(max(1, y.count))
    }

    /// σ(b + w·x) for weights (b, w…).
    static func output(_ w: [Double], _ x: [Double]) -> Double {
        Sigmoid().value(zip(w.dropFirst(), x).reduce(w[0]) { $0 + $1.0 * $1.1 })
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        let data = try DataSet.named(s.data)
        try data.requireBinaryTargets()
        let sample = s.sample - 1
        guard sample < data.inputs.count else { throw LessonError("there are only \(data.inputs.count) samples", key: s.$sample.name) }
        let X: Tensor, Y = data.targetColumn
        do {
            X = try Tensor(rows: data.inputs.map { [1] + $0 })
        } catch {
            throw LessonError("the data's rows have different lengths", key: s.$data.name)
        }
        var generator = SeededGenerator(seed: lesson.seed)
        let initial = (0..<X.shape[1]).map { _ in s.initScale * generator.gaussian() }
        let start: NamedTensors = ["w": Tensor(column: initial)]
        let snapshotSteps = Set([max(1, s.iterations / 20), s.iterations])

        func train(squared: Bool) throws(LessonError) -> Run {
            let name = squared ? "squared-error" : "cross-entropy"
            var run = Run(name: name, snapshots: [(0, initial)], trace: TraceRun(name: name, initial: start))
            var recorder = lesson.recorder(name, settings: ["loss": .string(squared ? "mean ½(ŷ − y)²" : "mean cross-entropy")], initial: start, iterations: s.iterations)
            var recording = lesson.stepsInDetail && !squared ? StepRecording(iterations: s.iterations, optimizer: .gd) : nil
            let training = GraphTraining(inputs: X, targets: Y, parameters: ["w"]) { p, x, y in try graph(p, x, y, squared: squared) }
            do {
                let final = try training.train(from: start, optimizer: TrainingChoices.optimizer(.gd, rate: s.learningRate), steps: s.iterations) { step, iteration in
                    guard let yhat = iteration.graph.node(named: "yhat")?.value.scalars else { throw LessonError("the graph has no ŷ") }
                    let ce = crossEntropy(yhat, data.targets)
                    // ŷ rounded to exactly 0 or 1 on the wrong class: the cross-entropy and its gradient are infinite.
                    guard iteration.loss.isFinite, ce.isFinite || squared else {
                        throw LessonError("at iteration \(step) an output ŷ rounded to exactly 0 or 1 on the wrong class, where the cross-entropy is infinite; lower learning-rate or init-scale", key: s.$learningRate.name)
                    }
                    run.losses.append(iteration.loss)
                    run.crossEntropies.append(ce)
                    if step == 1 { run.first = iteration }
                    let after = try iteration.update.parameters.required("w", in: "the update").scalars
                    if snapshotSteps.contains(step) { run.snapshots.append((step, after)) }
                    recorder.record(step, graph: iteration.graph, gradients: iteration.gradients, samples: iteration.samples, loss: iteration.loss, update: iteration.update)
                    recording?.record(step, graph: iteration.graph, gradients: iteration.gradients, loss: iteration.loss, update: iteration.update)
                }
                run.final = try final.required("w", in: "the trained weights").scalars
            } catch let error as LessonError {
                throw error
            } catch {
                throw LessonError("training failed: \(error)")
            }
            let outputs = data.inputs.map { output(run.final, $0) }
            recorder.run.summary = ["loss": .number(run.losses.last ?? .nan), "cross-entropy": .number(crossEntropy(outputs, data.targets)),
                                    "correct": .integer(correct(run.final, data))]
            run.trace = recorder.run
            run.recorded = recording?.steps
            return run
        }

        let ce = try train(squared: false)
        let se = s.squaredError ? try train(squared: true) : nil
        // The sample furthest from its class at the start (the first of equals).
        var worst = 0, worstDistance = -1.0
        for (i, (x, y)) in zip(data.inputs, data.targets).enumerated() where abs(output(initial, x) - y) > worstDistance {
            worst = i
            worstDistance = abs(output(initial, x) - y)
        }
        let zWorst = zip(initial.dropFirst(), data.inputs[worst]).reduce(initial[0]) { $0 + $1.0 * $1.1 }
        // The chosen sample's gradient from the engine, on a graph of that one sample.
        let sampleBackward: [Double]
        do {
            let (g, loss) = try graph(start, try Tensor(rows: [[1] + data.inputs[sample]]), Tensor(column: [data.targets[sample]]), squared: false)
            let gradients = try g.backward(from: loss)
            guard let node = g.node(named: "w"), let gradient = gradients[node.id] else { throw LessonError("backward gave w no gradient") }
            sampleBackward = gradient.scalars
        } catch let error as LessonError {
            throw error
        } catch {
            throw LessonError("could not build the sample's graph: \(error)")
        }
        return Outcome(data: data, X: X, Y: Y, initial: initial, crossEntropy: ce, squaredError: se,
                       worst: WrongSample(index: worst, z: zWorst, yhat: output(initial, data.inputs[worst]), y: data.targets[worst]),
                       sampleBackward: sampleBackward)
    }

    /// How many samples the weights put on their class's side of ŷ = 0.5.
    static func correct(_ w: [Double], _ data: DataSet) -> Int {
        zip(data.inputs, data.targets).filter { (output(w, $0.0) >= 0.5 ? 1.0 : 0.0) == $0.1 }.count
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let (data, ce) = (outcome.data, outcome.crossEntropy)
        var summary = ["after \(lesson.settings.iterations) iterations on the cross-entropy: E = \(NumberFormat.display(ce.losses.last ?? .nan)) (before the last update), \(correct(ce.final, data)) of \(data.inputs.count) samples classified correctly"]
        if let se = outcome.squaredError {
            summary.append("on the squared error from the same start: \(correct(se.final, data)) of \(data.inputs.count)")
        }
        var trace = lesson.trace(data: data.traceData, runs: [ce.trace] + (outcome.squaredError.map { [$0.trace] } ?? []))
        trace.settings.append("data-name", .string(data.name))
        let (report, figures) = try report(outcome, in: lesson)
        var steps = ce.recorded ?? []
        if ce.recorded == nil { steps = try GraphTraining.plainSteps(first: ce.first, losses: ce.losses, updated: "w") }
        return LessonResult(narration: narration(outcome, in: lesson), summary: summary, steps: steps, report: report, figures: figures, trace: trace)
    }

    /// The chosen sample's gradient by formula, (ŷ − y)·x with x = (1, x₁, …), beside the backward pass's.
    static func sampleGradient(_ outcome: Outcome, sample: Int) -> (yhat: Double, y: Double, formula: [Double]) {
        let x = [1] + outcome.data.inputs[sample], y = outcome.data.targets[sample]
        let yhat = output(outcome.initial, outcome.data.inputs[sample])
        return (yhat, y, x.map { (yhat - y) * $0 })
    }

    /// The batch's gradient by formula, (1/N) Σ (ŷᵢ − yᵢ)xᵢ, at the start.
    static func batchGradient(_ outcome: Outcome) -> [Double] {
        let n = Double(outcome.data.inputs.count)
        var g = [Double](repeating: 0, count: outcome.initial.count)
        for (x, y) in zip(outcome.data.inputs, outcome.data.targets) {
            let residual = output(outcome.initial, x) - y
            for (j, xj) in ([1] + x).enumerated() { g[j] += residual * xj / n }
        }
        return g
    }

    /// The comparison's sentences, from the run: the most wrong sample's gradients under both losses and
    /// what each run reached.
    static func comparison(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        let w = outcome.worst
        let ratio = abs(w.crossEntropyGradient / w.squaredErrorGradient)
        var text: [String] = []
        let place = "sample \(w.index + 1) (class \(NumberFormat.display(w.y)))"
        if w.wrongSide {
            text.append("At the start \(place) is on the wrong side: z = \(NumberFormat.display(w.z)), ŷ = σ(z) = \(NumberFormat.display(w.yhat)).")
        } else {
            text.append("At this start no sample's ŷ is more than 0.5 from its class; the one furthest from its class is \(place), with z = \(NumberFormat.display(w.z)), ŷ = \(NumberFormat.display(w.yhat)).")
        }
        text.append("Cross-entropy gives it ∂L/∂z = ŷ − y = \(NumberFormat.display(w.crossEntropyGradient)); squared error gives (ŷ − y)·ŷ(1 − ŷ) = \(NumberFormat.display(w.squaredErrorGradient)), \(ratio.isFinite ? NumberFormat.display(ratio) + " times smaller" : "nothing")." )
        text.append("Squared error's gradient carries the sigmoid's derivative σ′(z) = ŷ(1 − ŷ) = \(NumberFormat.display(w.yhat * (1 - w.yhat))), which vanishes where the unit saturates (note 004), most of all when it is confidently wrong; the logarithm of cross-entropy cancels it (note 002: ∂L/∂s = ŷ − y).")
        if let se = outcome.squaredError {
            let n = outcome.data.inputs.count, iterations = lesson.settings.iterations
            let ceRight = correct(outcome.crossEntropy.final, outcome.data), seRight = correct(se.final, outcome.data)
            let ceWorst = output(outcome.crossEntropy.final, outcome.data.inputs[w.index]), seWorst = output(se.final, outcome.data.inputs[w.index])
            text.append("From the same start with the same η, after \(iterations) iterations the cross-entropy run classifies \(ceRight) of \(n) samples right and the squared-error run \(seRight); sample \(w.index + 1) ends at ŷ = \(NumberFormat.display(ceWorst)) and \(NumberFormat.display(seWorst)) (its class is \(NumberFormat.display(w.y))).")
            let (ceNear, seNear) = nearFinal(outcome.crossEntropy, se)
            text.append("The cross-entropy of the outputs first comes within 10% of the cross-entropy run's final \(NumberFormat.display(outcome.crossEntropy.crossEntropies.last ?? .nan)) at iteration \(ceNear.map(String.init) ?? "—") in that run and \(seNear.map { "at iteration \($0)" } ?? "not within \(iterations) iterations") in the squared-error run. How far apart the runs are depends on the start (the seed and init-scale) and the data.")
        }
        return text
    }

    /// The first iteration (from 1) at which each run's cross-entropy is within 10% of the cross-entropy
    /// run's last, or nil.
    static func nearFinal(_ ce: Run, _ se: Run) -> (Int?, Int?) {
        let target = 1.1 * (ce.crossEntropies.last ?? .nan)
        func first(_ run: Run) -> Int? { run.crossEntropies.firstIndex { $0 <= target }.map { $0 + 1 } }
        return (first(ce), first(se))
    }

    static func report(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> (Report, [LessonFigure]) {
        let s = lesson.settings
        let data = outcome.data, ce = outcome.crossEntropy
        let names = weightNames(data)
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }
        blocks.append(.formula("z = b + w·x,   ŷ = σ(z) = 1/(1 + e^(−z)),   E(w) = −(1/N) Σᵢ [yᵢ ln ŷᵢ + (1 − yᵢ) ln(1 − ŷᵢ)]"))

        if lesson.includes(.gradient) {
            blocks.append(.heading("The gradient (ŷ − y)x"))
            if let text = lesson.narrative(.gradient) { blocks.append(.paragraph(text)) }
            let sample = s.sample - 1
            let (yhat, y, formula) = sampleGradient(outcome, sample: sample)
            blocks.append(.formula("sample \(sample + 1) at the start:   x = \(NumberFormat.tuple(data.inputs[sample])),   y = \(NumberFormat.display(y)),   ŷ = \(NumberFormat.display(yhat))"))
            blocks.append(.formula("∂Lᵢ/∂(b, w) = (ŷ − y)·(1, x) = \(NumberFormat.display(yhat - y))·(1, \(data.inputs[sample].map { NumberFormat.display($0) }.joined(separator: ", ")))"))
            let batch = batchGradient(outcome)
            let backward = ce.first?.update.gradients["w"]?.scalars ?? []
            blocks.append(.table(Report.Table(header: ["weight", "start", "(ŷ − y)xⱼ, sample \(sample + 1)", "backward, sample \(sample + 1)", "(1/N)Σ(ŷ − y)xⱼ", "backward, all \(data.inputs.count)"],
                                              rows: names.indices.map { j in
                [names[j], NumberFormat.display(outcome.initial[j]), NumberFormat.display(formula[j]), NumberFormat.display(outcome.sampleBackward[j]),
                 NumberFormat.display(batch[j]), j < backward.count ? NumberFormat.display(backward[j]) : "—"]
            })))
        }

        blocks.append(.heading("Training"))
        if let text = lesson.narrative(.training) { blocks.append(.paragraph(text)) }
        blocks.append(.paragraph("Full-batch gradient descent, w ← w − η·∂E/∂w with η = \(NumberFormat.display(s.learningRate)), \(s.iterations) iterations on \(data.inputs.count) samples; the weights start \(s.initScale == 0 ? "at zero" : "N(0, \(NumberFormat.display(s.initScale))²) from seed \(lesson.seed)")."))
        if lesson.includes(.lossCurve) {
            var series = [LinePlot.Series(name: "trained on cross-entropy", x: ce.crossEntropies.indices.map { Double($0 + 1) }, y: ce.crossEntropies)]
            if let se = outcome.squaredError {
                series.append(LinePlot.Series(name: "trained on squared error", x: se.crossEntropies.indices.map { Double($0 + 1) }, y: se.crossEntropies))
            }
            let figure = LinePlot(title: "Cross-entropy E per iteration", xAxis: Axis("iteration"), yAxis: Axis("E", scale: .log), series: series)
            figures.append(LessonFigure("loss", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "The mean cross-entropy of the outputs before each update, log scale: \(NumberFormat.display(ce.crossEntropies.first ?? .nan)) at the start, \(NumberFormat.display(ce.crossEntropies.last ?? .nan)) before the last update\(outcome.squaredError.map { "; the squared-error run's outputs end at \(NumberFormat.display($0.crossEntropies.last ?? .nan))" } ?? "")."))
        }
        if lesson.includes(.decisionRegions) {
            if data.inputNames.count == 2 {
                let samples = zip(data.inputs, data.targets).map { DecisionRegionPlot.Sample(x: $0[0], y: $0[1], label: Int($1)) }
                let xr = Interval.padded(data.inputs.map { $0[0] }, fraction: 0.15, minimum: 0.25, empty: 0...1)
                let yr = Interval.padded(data.inputs.map { $0[1] }, fraction: 0.15, minimum: 0.25, empty: 0...1)
                for (step, w) in ce.snapshots {
                    var figure = DecisionRegionPlot(title: step == 0 ? "ŷ at the start" : "ŷ after \(step) iteration\(step == 1 ? "" : "s")", xAxis: Axis(data.inputNames[0]),
                                                    yAxis: Axis(data.inputNames[1]), xRange: xr, yRange: yr, samples: samples) { x1, x2 in output(w, [x1, x2]) }
                    figure.line = (a: w[1], b: w[2], c: w[0])
                    figure.boundaryName = "ŷ = 0.5"
                    figures.append(LessonFigure(String(format: "regions-%06d", step), figure))
                    blocks.append(.figure(try lesson.paper(figure), caption: "ŷ = σ(b + w₁x₁ + w₂x₂) with (b, w₁, w₂) = \(NumberFormat.tuple(w)); \(figure.boundaryPhrase(drawn: "the line b + w·x = 0 is ŷ = 0.5", missing: "the line b + w·x = 0 passes outside it")). \(figure.misclassified.count) of \(data.inputs.count) samples misclassified (ringed)."))
                }
            } else {
                blocks.append(.paragraph("The decision regions are drawn for data with two inputs; these data have \(data.inputNames.count)."))
            }
        }

        blocks.append(.heading("Why cross-entropy, not squared error"))
        if let text = lesson.narrative(.whyCrossEntropy) { blocks.append(.paragraph(text)) }
        blocks.append(.paragraph(comparison(outcome, in: lesson).joined(separator: " ")))
        if lesson.includes(.whyCrossEntropy) {
            let w = outcome.worst
            let reach = max(8, min(40, abs(w.z) * 1.2))
            let zs = (0...160).map { -reach + 2 * reach * Double($0) / 160 }
            let y = w.y
            let figure = LinePlot(title: "|∂L/∂z| for a sample of class \(NumberFormat.display(y))", xAxis: Axis("z"), yAxis: Axis("|∂L/∂z|"), series: [
                LinePlot.Series(name: "cross-entropy: |ŷ − y|", x: zs, y: zs.map { abs(Sigmoid().value($0) - y) }),
                LinePlot.Series(name: "squared error: |ŷ − y|·ŷ(1 − ŷ)", x: zs, y: zs.map { let p = Sigmoid().value($0); return abs((p - y) * p * (1 - p)) }),
                LinePlot.Series(name: "sample \(w.index + 1) at the start", x: [w.z, w.z], y: [abs(w.crossEntropyGradient), abs(w.squaredErrorGradient)], markers: true, style: 3),
            ])
            figures.append(LessonFigure("why-cross-entropy", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "The gradient reaching z from one sample of class \(NumberFormat.display(y)). Cross-entropy's grows towards 1 the more wrong ŷ is; squared error's falls to 0 on the wrong side, where σ saturates. The marks are sample \(w.index + 1) at z = \(NumberFormat.display(w.z))."))
        }
        if lesson.includes(.weights) {
            var rows = names.indices.map { j in [names[j], NumberFormat.display(outcome.initial[j]), NumberFormat.display(ce.final[j])] + (outcome.squaredError.map { [NumberFormat.display($0.final[j])] } ?? []) }
            rows.append(["classified right", "\(correct(outcome.initial, data)) of \(data.inputs.count)", "\(correct(ce.final, data))"] + (outcome.squaredError.map { ["\(correct($0.final, data))"] } ?? []))
            blocks.append(.table(Report.Table(header: ["", "start", "cross-entropy, \(s.iterations) iterations"] + (outcome.squaredError == nil ? [] : ["squared error, \(s.iterations) iterations"]), rows: rows)))
        }
        if lesson.includes(.steps), let first = ce.first { blocks += GraphTraining.firstIterationBlocks(first) }
        return (Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks), figures)
    }

    /// What the terminal prints: the model, the gradient check, the loss at five points, the comparison.
    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        let s = lesson.settings
        let data = outcome.data, ce = outcome.crossEntropy
        var narration = lesson.introduction
        if let text = lesson.narrative(.intro) { narration.append(text) }
        narration.append("")
        let sample = s.sample - 1
        let (yhat, y, formula) = sampleGradient(outcome, sample: sample)
        narration.append("Sample \(sample + 1) at the start: ŷ = \(NumberFormat.display(yhat)), y = \(NumberFormat.display(y)); (ŷ − y)·(1, x) = \(NumberFormat.tuple(formula)); backward pass: \(NumberFormat.tuple(outcome.sampleBackward))")
        narration.append("Training: \(data.inputs.count) samples, gradient descent with η = \(NumberFormat.display(s.learningRate)), \(s.iterations) iterations, seed \(lesson.seed)")
        let every = max(1, s.iterations / 5)
        for (i, loss) in ce.losses.enumerated() where i == 0 || (i + 1) % every == 0 {
            narration.append("  iteration \(i + 1): E = \(NumberFormat.display(loss))")
        }
        narration.append("\(weightNames(data).joined(separator: ", ")) = \(NumberFormat.tuple(ce.final)); \(correct(ce.final, data)) of \(data.inputs.count) classified right")
        narration.append("")
        narration += comparison(outcome, in: lesson)
        return narration
    }
}
