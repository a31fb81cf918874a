import Foundation
import Render
import Sim

/// `kind: softmax`: multinomial logistic regression (notes 000, 001, 002): a linear layer S = X·W (X with
/// a constant-1 column first, so W's first row holds the biases) and a softmax layer with the multinomial
/// cross-entropy, L = (1/N) Σᵢ −ln(e^{s_{yᵢ}} / Σⱼ e^{sⱼ}), computed stably as lse(s) − s_y. Optionally a
/// ReLU hidden layer first (S = ReLU(X·W1)·W2 + b2, CS231n's spiral network). Full-batch gradient descent;
/// one sample's loss worked through with every number, the gradient ŷ − y against the backward pass, and
/// the decision regions in K colours.
public enum SoftmaxLesson: DeclaredLessonKind {
    public static let name = "softmax"
    public static let description = "Multinomial logistic regression: a linear layer and a softmax on the cross-entropy, one sample's loss worked through, the gradient ŷ − y, and K-class decision regions."

    /// The built-in sets with classes, which this lesson accepts.
    static let offered = ["blobs", "spiral", "moons", "circles"]

    public struct Settings: LessonSettingsDeclaration {
        @Setting("data", data: SoftmaxLesson.offered, narrative: true, help: "the data set: a built-in name or a CSV file (inputs, then the class 0, 1, …, K − 1)")
        public var data: String = "blobs"
        @Setting("hidden", in: 0...256, help: "ReLU units in a hidden layer before the scores; 0: none (multinomial logistic regression)")
        public var hidden: Int = 0
        @Setting("initializer", help: "how the weights start (the output biases b2 start at 0)")
        public var initializer: InitializerChoice = .normal
        @Setting("init-scale", in: 0...1e3, help: "normal: N(0, s²); uniform: U[−s, s); constant: s (CS231n starts with 0.01·N(0, 1))")
        public var initScale: Double = 0.01
        @Setting("learning-rate", in: 0...1e6, help: "η in W ← W − η·∂L/∂W")
        public var learningRate: Double = 1
        @Setting("weight-decay", in: 0...1e6, help: "λ: every update uses ∇L + λW (L2 regularization, note 001's R(W))")
        public var weightDecay: Double = 0
        @Setting("iterations", in: 1...100_000, help: "full-batch gradient-descent updates")
        public var iterations: Int = 200
        @Setting("sample", in: 1...DataSet.maximumRows, help: "the sample (row, from 1) whose loss is worked through at the start")
        public var sample: Int = 1

        public init() {}
    }

    public enum Section: String, LessonSection {
        case intro
        case workedExample = "worked-example"
        case gradient, training
    }

    public enum Item: String, LessonReportItem {
        case workedExample = "worked-example"
        case gradient
        case lossCurve = "loss-curve"
        case decisionRegions = "decision-regions"
        case steps

        public var meaning: String {
            switch self {
            case .workedExample: "one sample's scores, e^s, softmax and loss −ln p_y at the start, and the stable log-sum-exp"
            case .gradient: "∂L/∂S = (ŷ − y)/N and, without a hidden layer, ∂L/∂W = Xᵀ(ŷ − y)/N by formula beside the backward pass"
            case .lossCurve: "the loss per iteration, log scale, beside ln K"
            case .decisionRegions: "the class of largest probability over the input plane at the start, early and at the end (2 inputs)"
            case .steps: "the first iteration's forward steps, backward messages and update"
            }
        }
    }

    public static func title(for settings: Settings) -> String? { "Softmax classification on " + settings.data }

    /// Per iteration a step line and the loss (~450 bytes); with the trace, every iteration's parameters,
    /// gradients and samples, and the iterations recorded in full (`fullSteps`, the default detail's at
    /// most 7) with every node: X, the hidden layer's N×h values, gradients, local derivatives and messages,
    /// the scores and the targets. `check(fullSteps:)` checks a run's own detail before it trains.
    static func traceBytes(_ s: Settings, rows: Int, inputs: Int, fullSteps: Int) -> Double {
        let r = Double(rows), d = Double(inputs + 1), h = Double(s.hidden), k = Double(DataSet.maximumClasses)
        let parameters = s.hidden > 0 ? d * h + h * k + k : d * k
        let full = r * (3 * d + 8 * h + 8 * k + 2) + 4 * parameters + 10
        return LessonBudget.trace(steps: Double(s.iterations), nodes: 1, numbers: 3 * parameters + r + 2)
            + LessonBudget.trace(steps: Double(fullSteps), nodes: s.hidden > 0 ? 11 : 5, numbers: full)
    }

    public static func estimate(_ s: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let data = try DataSet.named(s.data)
        let r = Double(data.inputs.count), d = Double(data.inputNames.count + 1), h = Double(s.hidden), k = Double(DataSet.maximumClasses)
        var bytes = Double(s.iterations) * 450 + 100 * r * (d + h + k)
        var drivers = [s.$iterations]
        if recordsSteps {
            bytes += traceBytes(s, rows: data.inputs.count, inputs: data.inputNames.count, fullSteps: TraceDetail.chosenIterations(s.iterations).count)
            drivers.append(s.$hidden)
        }
        return LessonEstimate(bytes: bytes, settings: drivers)
    }

    public struct Outcome {
        let data: DataSet
        let classes: Int
        let labels: [Int]
        let X: Tensor
        let Y: Tensor
        let initial: NamedTensors
        let final: NamedTensors
        let losses: [Double]
        let snapshots: [(Int, NamedTensors)]
        let first: GraphTraining.Iteration?
        let traceRun: TraceRun
        let recorded: [LessonStep]?
    }

    /// The parameters' names: W without a hidden layer, W1, W2 and b2 with one.
    static func parameterNames(hidden: Int) -> [String] { hidden > 0 ? ["W1", "W2", "b2"] : ["W"] }

    /// S = X·W, or H = ReLU(X·W1), S = H·W2 + 1·b2; L = the mean softmax cross-entropy of S against Y.
    static func graph(_ p: NamedTensors, _ x: Tensor, _ y: Tensor, hidden: Int) throws -> (Graph, Var) {
        let g = Graph()
        let X = try g.input("X", x)
        let S: Var
        if hidden > 0 {
            let W1 = try g.parameter("W1", try p.required("W1", in: "the network's weights"))
            let W2 = try g.parameter("W2", try p.required("W2", in: "the network's weights"))
            let b2 = try g.parameter("b2", try p.required("b2", in: "the network's weights"))
            let ones = try g.input("1", try Tensor(repeating: 1, shape: [x.shape[0], 1]))
            let H = try g.apply(ReLU(), [try g.apply(MatMul(), [X, W1], name: "Z1")], name: "H")
            S = try g.apply(Add(), [try g.apply(MatMul(), [H, W2], name: "HW2"), try g.apply(MatMul(), [ones, b2], name: "B")], name: "S")
        } else {
            let W = try g.parameter("W", try p.required("W", in: "the classifier's weights"))
            S = try g.apply(MatMul(), [X, W], name: "S")
        }
        let Y = try g.input("Y", y)
        return (g, try g.apply(SoftmaxCrossEntropy(), [S, Y], name: "L"))
    }

    /// The scores of one input row (without its 1) at parameters `p`, on plain numbers.
    static func scores(_ p: NamedTensors, hidden: Int) throws(LessonError) -> @Sendable ([Double]) -> [Double] {
        if hidden > 0 {
            let W1 = try p.required("W1", in: "the network's weights"), W2 = try p.required("W2", in: "the network's weights")
            let b2 = try p.required("b2", in: "the network's weights").scalars
            return PointForward.reluScores(w1: W1.scalars, w2: W2.scalars, b2: b2, d: W1.shape[0], h: W1.shape[1], k: W2.shape[1])
        }
        let W = try p.required("W", in: "the classifier's weights")
        return PointForward.linearScores(w: W.scalars, d: W.shape[0], k: W.shape[1])
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        let data = try DataSet.named(s.data)
        let (labels, classes) = try data.classLabels()
        let sample = s.sample - 1
        guard sample < data.inputs.count else { throw LessonError("there are only \(data.inputs.count) samples", key: s.$sample.name) }
        let Y = try data.oneHot(classes: classes)
        if lesson.recordsSteps {
            // The estimate assumed the default detail; --trace-detail may ask for every iteration in full.
            let full = (1...s.iterations).filter { lesson.traceDetail.includes($0, of: s.iterations) }.count
            let bytes = LessonBudget.base + traceBytes(s, rows: data.inputs.count, inputs: data.inputNames.count, fullSteps: full)
            if bytes > LessonBudget.bytes {
                throw LessonError("a trace with \(full) of \(s.iterations) iterations in full detail would take about \(LessonBudget.describe(bytes)) of memory; the limit is \(LessonBudget.describe(LessonBudget.bytes)): choose fewer with --trace-detail, or lower iterations or hidden")
            }
        }
        let X: Tensor
        let initial: NamedTensors
        var generator = SeededGenerator(seed: lesson.seed)
        let initializer = s.initializer.initializer(scale: s.initScale)
        do {
            X = try Tensor(rows: data.inputs.map { [1] + $0 })
            let d = X.shape[1]
            initial = s.hidden > 0
                ? ["W1": try initializer.tensor(shape: [d, s.hidden], using: &generator),
                   "W2": try initializer.tensor(shape: [s.hidden, classes], using: &generator),
                   "b2": try Tensor(repeating: 0, shape: [1, classes])]
                : ["W": try initializer.tensor(shape: [d, classes], using: &generator)]
        } catch {
            throw LessonError("could not set up the weights: \(error)")
        }
        let hidden = s.hidden
        let training = GraphTraining(inputs: X, targets: Y, parameters: parameterNames(hidden: hidden)) { p, x, y in try graph(p, x, y, hidden: hidden) }
        let optimizer = TrainingChoices.optimizer(.gd, rate: s.learningRate, weightDecay: s.weightDecay)
        let snapshotSteps = Set([max(1, s.iterations / 20), s.iterations])
        var snapshots: [(Int, NamedTensors)] = [(0, initial)]
        var losses: [Double] = []
        var first: GraphTraining.Iteration?
        var recorder = lesson.recorder("main", initial: initial, iterations: s.iterations)
        var recording = lesson.stepsInDetail ? StepRecording(iterations: s.iterations, optimizer: .gd) : nil
        let final: NamedTensors
        do {
            final = try training.train(from: initial, optimizer: optimizer, steps: s.iterations) { step, iteration in
                guard iteration.loss.isFinite else {
                    throw LessonError("the loss is \(NumberFormat.display(iteration.loss)) at iteration \(step): the weights grew past what doubles hold; lower learning-rate", key: s.$learningRate.name)
                }
                losses.append(iteration.loss)
                if step == 1 { first = iteration }
                if snapshotSteps.contains(step) { snapshots.append((step, iteration.update.parameters)) }
                recorder.record(step, graph: iteration.graph, gradients: iteration.gradients, samples: iteration.samples, loss: iteration.loss, update: iteration.update)
                recording?.record(step, graph: iteration.graph, gradients: iteration.gradients, loss: iteration.loss, update: iteration.update)
            }
        } catch let error as LessonError {
            throw error
        } catch {
            throw LessonError("training failed: \(error)")
        }
        let f = try scores(final, hidden: hidden)
        let right = zip(data.inputs, labels).filter { ClassRegionPlot.argmax(f($0.0)) == $0.1 }.count
        recorder.run.summary = ["loss": .number(losses.last ?? .nan), "correct": .integer(right), "classes": .integer(classes)]
        return Outcome(data: data, classes: classes, labels: labels, X: X, Y: Y, initial: initial, final: final, losses: losses,
                       snapshots: snapshots, first: first, traceRun: recorder.run, recorded: recording?.steps)
    }

    /// How many samples the parameters classify right (the class of largest score).
    static func correct(_ p: NamedTensors, _ outcome: Outcome, hidden: Int) throws(LessonError) -> Int {
        let f = try scores(p, hidden: hidden)
        return zip(outcome.data.inputs, outcome.labels).filter { ClassRegionPlot.argmax(f($0.0)) == $0.1 }.count
    }

    /// One sample's loss at the start, worked through: its scores, e^s, the softmax, −ln p_y, the stable
    /// log-sum-exp form, and the gradient p − y.
    struct WorkedExample {
        let index: Int
        let label: Int
        let scores: [Double]
        var exps: [Double] { scores.map { exp($0) } }
        var total: Double { exps.reduce(0, +) }
        /// e^{sⱼ} / Σ e^{s}, as written (not shifted).
        var probabilities: [Double] { exps.map { $0 / total } }
        /// −ln(e^{s_y} / Σ e^{s}), as written.
        var naiveLoss: Double { -log(exps[label] / total) }
        var maximum: Double { scores.max() ?? 0 }
        /// lse(s) = m + ln Σ e^{s − m}.
        var logSumExp: Double { maximum + log(scores.reduce(0) { $0 + exp($1 - maximum) }) }
        var stableLoss: Double { logSumExp - scores[label] }
    }

    static func workedExample(_ outcome: Outcome, sample: Int, hidden: Int) throws(LessonError) -> WorkedExample {
        WorkedExample(index: sample, label: outcome.labels[sample], scores: try scores(outcome.initial, hidden: hidden)(outcome.data.inputs[sample]))
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let s = lesson.settings
        let right = try correct(outcome.final, outcome, hidden: s.hidden)
        let summary = ["after \(s.iterations) iterations: L = \(NumberFormat.display(outcome.losses.last ?? .nan)) (before the last update), \(right) of \(outcome.data.inputs.count) samples classified correctly"]
        var trace = lesson.trace(data: outcome.data.traceData, runs: [outcome.traceRun])
        trace.settings.append("data-name", .string(outcome.data.name))
        let (report, figures) = try report(outcome, in: lesson)
        var steps = outcome.recorded ?? []
        if outcome.recorded == nil {
            steps = try GraphTraining.plainSteps(first: outcome.first, losses: outcome.losses, updated: parameterNames(hidden: s.hidden).joined(separator: ", "))
        }
        return LessonResult(narration: try narration(outcome, in: lesson), summary: summary, steps: steps, report: report, figures: figures, trace: trace)
    }

    /// The sanity check of note 001: with small weights every class gets about 1/K, so L ≈ ln K.
    static func sanityCheck(_ outcome: Outcome) -> String {
        let lnK = log(Double(outcome.classes)), start = outcome.losses.first ?? .nan
        let near = abs(start - lnK) < 0.05 * lnK
        return "The loss at the start is \(NumberFormat.display(start)); ln K = ln \(outcome.classes) = \(NumberFormat.display(lnK)). "
            + (near ? "The starting scores are small, so each class gets p ≈ 1/K and L ≈ ln K: note 001's check that the loss starts where it should (about 2.3 for 10 classes)."
                    : "They differ by more than 5%: the starting weights are not small enough for every class to get p ≈ 1/K (note 001 checks that a new network starts near ln K).")
    }

    /// The worked example's sentences: the loss through the log-sum-exp, and what the written form does
    /// with every score raised by 1000, which changes no probability.
    static func stability(_ w: WorkedExample) -> String {
        let shifted = WorkedExample(index: w.index, label: w.label, scores: w.scores.map { $0 + 1000 })
        let overflow = shifted.exps.contains { !$0.isFinite }
        return "With m = max s = \(NumberFormat.display(w.maximum)): lse(s) = m + ln Σⱼ e^{sⱼ − m} = \(NumberFormat.display(w.logSumExp)), and Lᵢ = lse(s) − s_y = \(NumberFormat.display(w.stableLoss)), the same as −ln p_y = \(NumberFormat.display(w.naiveLoss)). "
            + "Adding 1000 to every score changes no probability, since e^{1000} cancels in the ratio; yet computed as written, exp(s) \(overflow ? "overflows to ∞" : "stays finite") and −ln(exp(s_y)/Σ exp(s)) gives \(shifted.naiveLoss.isNaN ? "NaN (∞/∞ has no value)" : NumberFormat.display(shifted.naiveLoss)), while the log-sum-exp gives \(NumberFormat.display(shifted.stableLoss)). nnsim's softmax and cross-entropy subtract the maximum first."
    }

    static func report(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> (Report, [LessonFigure]) {
        let s = lesson.settings
        let data = outcome.data, K = outcome.classes
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }
        blocks.append(.formula(s.hidden > 0 ? "H = ReLU(X·W1),   S = H·W2 + b2,   pᵢⱼ = e^{sᵢⱼ} / Σₖ e^{sᵢₖ},   L = (1/N) Σᵢ −ln pᵢ,yᵢ"
                                            : "S = X·W,   pᵢⱼ = e^{sᵢⱼ} / Σₖ e^{sᵢₖ},   L = (1/N) Σᵢ −ln pᵢ,yᵢ"))
        if lesson.includes(.workedExample) {
            let w = try workedExample(outcome, sample: s.sample - 1, hidden: s.hidden)
            blocks.append(.heading("One sample's loss, worked through"))
            if let text = lesson.narrative(.workedExample) { blocks.append(.paragraph(text)) }
            blocks.append(.formula("sample \(w.index + 1): x = \(NumberFormat.tuple(data.inputs[w.index])), class y = \(w.label), at the start"))
            blocks.append(.table(Report.Table(header: ["class j", "score sⱼ", "exp(sⱼ)", "pⱼ = exp(sⱼ)/Σ exp(s)", "yⱼ (one-hot)", "∂Lᵢ/∂sⱼ = pⱼ − yⱼ"], rows: (0..<K).map { j in
                [String(j), NumberFormat.display(w.scores[j]), NumberFormat.display(w.exps[j]), NumberFormat.display(w.probabilities[j]),
                 j == w.label ? "1" : "0", NumberFormat.display(w.probabilities[j] - (j == w.label ? 1 : 0))]
            } + [["Σ", "", NumberFormat.display(w.total), NumberFormat.display(w.probabilities.reduce(0, +)), "1", ""]])))
            blocks.append(.formula("Lᵢ = −ln(exp(s_\(w.label)) / Σⱼ exp(sⱼ)) = −ln(\(NumberFormat.display(w.exps[w.label])) / \(NumberFormat.display(w.total))) = −ln \(NumberFormat.display(w.probabilities[w.label])) = \(NumberFormat.display(w.naiveLoss))"))
            blocks.append(.paragraph(stability(w)))
        }
        if lesson.includes(.gradient), let first = outcome.first {
            blocks.append(.heading("The gradient ŷ − y"))
            if let text = lesson.narrative(.gradient) { blocks.append(.paragraph(text)) }
            let check = try gradientCheck(outcome, first: first, hidden: s.hidden)
            func differ(_ d: Double) -> String { d == 0 ? "agree exactly" : "differ by at most \(NumberFormat.display(d))" }
            blocks.append(.paragraph("At the start, ∂L/∂S by the formula (P − Y)/N and by the backward pass \(differ(check.scores)) over all \(data.inputs.count)×\(K) entries\(check.weights.map { "; ∂L/∂W = Xᵀ(P − Y)/N and the backward pass's ∂L/∂W \(differ($0.difference))" } ?? "")."))
            if let weights = check.weights {
                let names = ["1 (bias)"] + data.inputNames
                blocks.append(.table(Report.Table(header: ["row of W"] + (0..<K).map { "∂L/∂W, class \($0): formula / backward" }, rows: names.indices.map { i in
                    [names[i]] + (0..<K).map { j in "\(NumberFormat.display(weights.formula[i * K + j])) / \(NumberFormat.display(weights.backward[i * K + j]))" }
                })))
            }
        }
        blocks.append(.heading("Training"))
        if let text = lesson.narrative(.training) { blocks.append(.paragraph(text)) }
        let right = try correct(outcome.final, outcome, hidden: s.hidden)
        blocks.append(.paragraph("Full-batch gradient descent with η = \(NumberFormat.display(s.learningRate))\(s.weightDecay > 0 ? " and weight decay λ = \(NumberFormat.display(s.weightDecay))" : ""), \(s.iterations) iterations on \(data.inputs.count) samples of \(K) classes\(s.hidden > 0 ? ", \(s.hidden) hidden ReLU units" : ""); the weights start \(s.initializer.rawValue)\([InitializerChoice.normal, .uniform, .constant].contains(s.initializer) ? " with scale \(NumberFormat.display(s.initScale))" : "") from seed \(lesson.seed). \(sanityCheck(outcome)) After training \(right) of \(data.inputs.count) samples are classified right."))
        if lesson.includes(.lossCurve) {
            let lnK = log(Double(K))
            let iterations = outcome.losses.indices.map { Double($0 + 1) }
            let figure = LinePlot(title: "Cross-entropy L per iteration", xAxis: Axis("iteration"), yAxis: Axis("L", scale: .log), series: [
                LinePlot.Series(name: "L", x: iterations, y: outcome.losses),
                LinePlot.Series(name: "ln K = \(NumberFormat.display(lnK))", x: [1, Double(max(1, outcome.losses.count))], y: [lnK, lnK]),
            ])
            figures.append(LessonFigure("loss", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "The mean cross-entropy before each update, log scale: \(NumberFormat.display(outcome.losses.first ?? .nan)) at the start, \(NumberFormat.display(outcome.losses.last ?? .nan)) before the last update; ln K is the loss of a classifier that gives every class 1/K."))
        }
        if lesson.includes(.decisionRegions) {
            if data.inputNames.count == 2 {
                let samples = zip(data.inputs, outcome.labels).map { ClassRegionPlot.Sample(x: $0[0], y: $0[1], label: $1) }
                let xr = Interval.padded(data.inputs.map { $0[0] }, fraction: 0.15, minimum: 0.25, empty: 0...1)
                let yr = Interval.padded(data.inputs.map { $0[1] }, fraction: 0.15, minimum: 0.25, empty: 0...1)
                for (step, p) in outcome.snapshots {
                    let f = try scores(p, hidden: s.hidden)
                    let figure = ClassRegionPlot(title: step == 0 ? "Classes at the start" : "Classes after \(step) iteration\(step == 1 ? "" : "s")", xAxis: Axis(data.inputNames[0]),
                                                 yAxis: Axis(data.inputNames[1]), xRange: xr, yRange: yr, classes: K, samples: samples) { x1, x2 in PointForward.softmax(f([x1, x2])) }
                    figures.append(LessonFigure(String(format: "regions-%06d", step), figure))
                    blocks.append(.figure(try lesson.paper(figure), caption: "Each point of the plane in the colour of its most probable class, paler where that class's probability is nearer 1/K; the lines are where the two most probable classes tie. \(figure.misclassified.count) of \(data.inputs.count) samples misclassified (ringed)."))
                }
            } else {
                blocks.append(.paragraph("The decision regions are drawn for data with two inputs; these data have \(data.inputNames.count)."))
            }
        }
        if lesson.includes(.steps), let first = outcome.first { blocks += GraphTraining.firstIterationBlocks(first) }
        return (Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks), figures)
    }

    /// The gradient at the start by formula against the first iteration's backward pass: the largest
    /// difference over ∂L/∂S, and without a hidden layer ∂L/∂W entry by entry.
    static func gradientCheck(_ outcome: Outcome, first: GraphTraining.Iteration, hidden: Int) throws(LessonError) -> (scores: Double, weights: (formula: [Double], backward: [Double], difference: Double)?) {
        let n = Double(outcome.data.inputs.count), K = outcome.classes
        let f = try scores(outcome.initial, hidden: hidden)
        let residual: [Double] = zip(outcome.data.inputs, outcome.labels).flatMap { (x: [Double], y: Int) -> [Double] in
            PointForward.softmax(f(x)).enumerated().map { (k: Int, p: Double) -> Double in (p - (k == y ? 1 : 0)) / n }
        }
        guard let node = first.graph.node(named: "S"), let dS = first.gradients[node.id]?.scalars else { throw LessonError("backward gave S no gradient") }
        let scores = zip(residual, dS).map { abs($0 - $1) }.max() ?? .nan
        guard hidden == 0 else { return (scores, nil) }
        let rows = outcome.X.rows, d = outcome.X.shape[1]
        let formula = (0..<(d * K)).map { e in rows.indices.reduce(0) { $0 + rows[$1][e / K] * residual[$1 * K + e % K] } }
        // Weight decay adds λW to the optimizer's gradient, not to backward's: compare backward's alone.
        guard let wNode = first.graph.node(named: "W"), let backward = first.gradients[wNode.id]?.scalars else { throw LessonError("backward gave W no gradient") }
        return (scores, (formula, backward, zip(formula, backward).map { abs($0 - $1) }.max() ?? .nan))
    }

    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> [String] {
        let s = lesson.settings
        var narration = lesson.introduction
        if let text = lesson.narrative(.intro) { narration.append(text) }
        narration.append("")
        let w = try workedExample(outcome, sample: s.sample - 1, hidden: s.hidden)
        narration.append("Sample \(w.index + 1) (class \(w.label)) at the start: scores s = \(NumberFormat.tuple(w.scores)), softmax p = \(NumberFormat.tuple(w.probabilities)), Lᵢ = −ln p_\(w.label) = \(NumberFormat.display(w.naiveLoss)); lse(s) − s_\(w.label) = \(NumberFormat.display(w.stableLoss))")
        narration.append(sanityCheck(outcome))
        narration.append("Training: \(outcome.data.inputs.count) samples, \(outcome.classes) classes, \(s.hidden > 0 ? "\(s.hidden) hidden ReLU units, " : "")gradient descent with η = \(NumberFormat.display(s.learningRate)), \(s.iterations) iterations, seed \(lesson.seed)")
        let every = max(1, s.iterations / 5)
        for (i, loss) in outcome.losses.enumerated() where i == 0 || (i + 1) % every == 0 {
            narration.append("  iteration \(i + 1): L = \(NumberFormat.display(loss))")
        }
        narration.append("\(try correct(outcome.final, outcome, hidden: s.hidden)) of \(outcome.data.inputs.count) samples classified right")
        return narration
    }
}
