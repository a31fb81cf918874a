import Render
import Sim

/// `kind: adaline`: Widrow–Hoff batch LMS (note 001) on a regression data set. Three runs from the same
/// start with rates that are too small, good and too large, as multiples of the largest stable rate
/// μmax = 2/λmax(XᵀX) computed from the data (note 000's learning-rate picture); the least-squares
/// solution by the pseudo-inverse (note 002) and how close LMS gets to it.
public enum AdalineLesson: DeclaredLessonKind {
    public static let name = "adaline"
    public static let description = "Batch LMS (Adaline) with three learning rates, the loss surface, and the pseudo-inverse solution."

    public struct Settings: LessonSettingsDeclaration {
        @Setting("data", data: DataSet.regression.map(\.name), narrative: true, help: "the data set: line (six hand-written points), line-noisy (30 generated), or a CSV file (inputs, then the target d)")
        public var data: String = "line"
        @Setting("small", in: .positive, help: "the too-small rate, as a multiple of μmax = 2/λmax")
        public var small: Double = 0.05
        @Setting("good", in: .positive, help: "the good rate, as a multiple of μmax (0.5 is 1/λmax)")
        public var good: Double = 0.5
        @Setting("large", in: .positive, help: "the too-large rate, as a multiple of μmax (above 1 diverges)")
        public var large: Double = 1.02
        @Setting("steps", in: 1...1_000_000, help: "batch updates per run")
        public var steps: Int = 500
        @Setting("w-start", help: "the initial weight (every input weight starts here)")
        public var wStart: Double = 0
        @Setting("b-start", help: "the initial bias")
        public var bStart: Double = 0

        public init() {}
    }

    public enum Section: String, LessonSection {
        case intro, rates, solution
    }

    public enum Item: String, LessonReportItem {
        case surface
        case lossCurve = "loss-curve"
        case solution, steps

        public var meaning: String {
            switch self {
            case .surface: "the squared-error surface in the (w, b) plane with the three trajectories (one input only)"
            case .lossCurve: "the loss per step for the three rates, log scale"
            case .solution: "the LMS weights beside the pseudo-inverse solution"
            case .steps: "the good run's first updates"
            }
        }
    }

    public static func title(for settings: Settings) -> String? { "Adaline (LMS) on " + settings.data }

    /// Weights (b, w₁, …) as the column vector the graph multiplies by.
    static func column(_ w: [Double]) throws -> Tensor { try Tensor(shape: [w.count, 1], scalars: w) }

    /// One LMS update as the engine computes it: y = X·w (X with a column of ones for b), E = ½Σ(y − d)²,
    /// and backward's ∂E/∂w = Xᵀ(y − d), the negative of LMS's Σ(d − y)x. Weights are column vectors.
    static func traceStep(_ step: LMSRule.Step, X: Tensor, d: Tensor, rate: Double, samples: [Int], detailed: Bool) throws -> TraceStep {
        let after: NamedTensors = ["w": try column(step.weightsAfter)]
        guard detailed else { return TraceStep(step: step.step, samples: samples, loss: step.loss, nodes: nil, params: after) }
        let g = Graph()
        let inputs = try g.input("X", X), w = try g.parameter("w", try column(step.weightsBefore))
        let y = try g.apply(MatMul(), [inputs, w], name: "y")
        let E = try g.apply(SquaredError(), [y, try g.input("d", d)], name: "E")
        let gradients = try g.backward(from: E)
        guard let gradient = gradients[w.id] else { throw LessonError("backward gave w no gradient") }
        return TraceStep(step: step.step, graph: g, gradients: gradients, samples: samples, loss: step.loss, params: after,
                         grads: ["w": gradient], optimizer: TraceOptimizerState(scalars: ["rate": rate]))
    }

    /// Three runs; per step each keeps its weights and outputs (one per row), the good run a
    /// step-through line that prints the outputs (about 3,700 + 70·rows bytes a step, measured); with
    /// the trace, each step of the three runs as the engine's graph: 5 nodes (X, w, y, d, E) with their
    /// values, gradients and messages, about 3·rows·(inputs + 1) + 6·rows numbers.
    public static func estimate(_ s: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let data = try DataSet.named(s.data)
        let r = Double(data.inputs.count), d = Double(data.inputNames.count + 1), steps = Double(s.steps)
        var bytes = steps * (3_700 + 70 * r)
        if recordsSteps { bytes += LessonBudget.trace(steps: 3 * steps, nodes: 5, numbers: 3 * r * d + 5 * d + 6 * r + 2) }
        return LessonEstimate(bytes: bytes, settings: [s.$steps])
    }

    /// The run's numbers: the data with its column of ones, the pseudo-inverse solution, λmax and the
    /// three runs from one start.
    public struct Outcome: Sendable {
        struct RateRun: Sendable {
            /// "too small", "good", "too large", and as a trace names it.
            let name: String
            let key: String
            let rate: Double
            let steps: [LMSRule.Step]
        }

        let data: DataSet
        /// The inputs with a leading 1 (for b).
        let rows: [[Double]]
        let exact: [Double]
        let lambdaMax: Double
        let muMax: Double
        let initial: [Double]
        let steps: Int
        let runs: [RateRun]

        var good: RateRun { runs[1] }
        var goodFinal: [Double] { good.steps.last?.weightsAfter ?? initial }
        /// ½Σ(d − y)² at weights w.
        func loss(_ w: [Double]) -> Double {
            0.5 * zip(rows, data.targets).reduce(0) { acc, p in let y = zip(w, p.0).reduce(0) { $0 + $1.0 * $1.1 }; return acc + (p.1 - y) * (p.1 - y) }
        }
        func finalLoss(_ run: RateRun) -> Double { loss(run.steps.last?.weightsAfter ?? initial) }
        /// b, then w (one input) or w_NAME per input.
        var names: [String] { ["b"] + (data.inputNames.count == 1 ? ["w"] : data.inputNames.map { "w_\($0)" }) }
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        let data = try DataSet.named(s.data)
        let rows = data.inputs.map { [1] + $0 }
        let exact: [Double]
        do {
            exact = try LeastSquares.solve(rows, data.targets)
        } catch {
            throw LessonError("the inputs are linearly dependent, so there is no unique least-squares solution", key: s.$data.name)
        }
        let lambdaMax = LeastSquares.symmetricEigenvalues(LeastSquares.gram(rows)).last ?? 0
        let muMax = 2 / lambdaMax
        let initial = [s.bStart] + Array(repeating: s.wStart, count: data.inputNames.count)
        let runs = [("too small", "small", s.small), ("good", "good", s.good), ("too large", "large", s.large)].map { name, key, factor in
            Outcome.RateRun(name: name, key: key, rate: factor * muMax,
                            steps: LMSRule(rate: factor * muMax).train(inputs: data.inputs, targets: data.targets, initial: initial, steps: s.steps))
        }
        return Outcome(data: data, rows: rows, exact: exact, lambdaMax: lambdaMax, muMax: muMax, initial: initial, steps: s.steps, runs: runs)
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let distance = zip(outcome.goodFinal, outcome.exact).map { abs($0 - $1) }.max() ?? 0
        let summary = ["LMS with the good rate reaches \(NumberFormat.tuple(outcome.goodFinal)) after \(outcome.steps) steps; the pseudo-inverse gives \(NumberFormat.tuple(outcome.exact)) (largest difference \(NumberFormat.display(distance)))"]
        let (report, figures) = try report(outcome, in: lesson)
        return LessonResult(narration: narration(outcome, in: lesson), summary: summary, steps: steps(outcome, in: lesson), report: report,
                            figures: figures, trace: try trace(outcome, in: lesson))
    }

    /// λmax, then the good run's updates. With --step they are its iterations: 1, 2, 10, 100, …, the
    /// middle and the last in full (the outputs, the loss and the update), the others one line each.
    static func steps(_ outcome: Outcome, in lesson: Lesson<Self>) -> [LessonStep] {
        let good = outcome.good
        var steplist = [LessonStep(.note, "λmax(XᵀX) = \(NumberFormat.display(outcome.lambdaMax)), so μmax = 2/λmax = \(NumberFormat.display(outcome.muMax))")]
        let detailed = lesson.stepsInDetail ? StepRecording.detailed(good.steps.count) : []
        for step in good.steps where lesson.stepsInDetail {
            let formula = "step \(step.step) (μ = \(NumberFormat.display(good.rate))): E = \(NumberFormat.display(step.loss)), (b, w) ← \(NumberFormat.tuple(step.weightsAfter))"
            if detailed.contains(step.step) {
                let forward = "y = X·w with (b, w) = \(NumberFormat.tuple(step.weightsBefore))"
                steplist.append(LessonStep(.forward, forward).with(iteration: step.step, detail: StepDetail(
                    formula: forward, values: [StepValue("(b, w)", Tensor(vector: step.weightsBefore), .value), StepValue("y", Tensor(vector: step.outputs), .value)])))
                let loss = "E = ½Σᵢ (dᵢ − yᵢ)² = \(NumberFormat.display(step.loss))"
                steplist.append(LessonStep(.forward, loss).with(iteration: step.step, detail: StepDetail(formula: loss, values: [StepValue("E", Tensor(step.loss), .value)])))
                let update = "w ← w + μ Σᵢ (dᵢ − yᵢ) xᵢ, μ = \(NumberFormat.display(good.rate))"
                steplist.append(LessonStep(.update, update).with(iteration: step.step, detail: StepDetail(
                    formula: update, values: [StepValue("(b, w)", Tensor(vector: step.weightsAfter), .value)])))
            } else {
                steplist.append(LessonStep(.update, formula).with(iteration: step.step, detail: StepDetail(
                    formula: formula, values: [StepValue("(b, w)", Tensor(vector: step.weightsAfter), .value)])))
            }
        }
        for step in good.steps where !lesson.stepsInDetail {
            steplist.append(LessonStep(.update, "step \(step.step) (μ = \(NumberFormat.display(good.rate))): E = \(NumberFormat.display(step.loss)), (b, w) ← \(NumberFormat.tuple(step.weightsAfter))",
                                       details: ["w ← w + μ Σᵢ (dᵢ − yᵢ) xᵢ with y = \(NumberFormat.tuple(step.outputs))"]))
        }
        return steplist
    }

    /// The report's blocks and the figures written beside it.
    static func report(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> (Report, [LessonFigure]) {
        let (data, runs, initial, exact, muMax, steps) = (outcome.data, outcome.runs, outcome.initial, outcome.exact, outcome.muMax, outcome.steps)
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }
        blocks.append(.heading("Three learning rates"))
        if let text = lesson.narrative(.rates) { blocks.append(.paragraph(text)) }
        blocks.append(.formula("λmax(XᵀX) = \(NumberFormat.display(outcome.lambdaMax)),   μmax = 2/λmax = \(NumberFormat.display(muMax))"))
        blocks.append(.table(Report.Table(header: ["run", "μ", "μ/μmax", "E after \(steps) steps"], rows: runs.map { run in
            [run.name, NumberFormat.display(run.rate), NumberFormat.display(run.rate / muMax), NumberFormat.display(outcome.finalLoss(run))]
        })))
        if lesson.includes(.surface), data.inputNames.count == 1 {
            // The first steps only (fewer for a diverging run), or the figure would be covered.
            let shown = min(steps, 30)
            let points = runs.map { run in
                [(initial[1], initial[0])] + run.steps.prefix(run.rate > muMax ? min(shown, 8) : shown).map { ($0.weightsAfter[1], $0.weightsAfter[0]) }
            }
            let ws = [initial[1], exact[1]] + points[1].map(\.0), bs = [initial[0], exact[0]] + points[1].map(\.1)
            let (x, t) = (data.inputs.map { $0[0] }, data.targets)
            let (xRange, yRange) = (Interval.padded(ws, fraction: 0.35, minimum: 0.35, empty: 0...1), Interval.padded(bs, fraction: 0.35, minimum: 0.35, empty: 0...1))
            // One panel per rate on the same window: the diverging run's steps, which cross the valley
            // back and forth, are not drawn over the others, and a dot marks each of its points.
            let panels = zip(runs, points).enumerated().map { i, pair in
                let (run, path) = pair
                let name = "\(run.name) μ = \(NumberFormat.display(run.rate))"
                var plot = ContourPlot(title: name, xAxis: Axis("w"), yAxis: Axis("b"), xRange: xRange, yRange: yRange,
                                       trajectories: [ContourPlot.Trajectory(name: name, points: path.map { (x: $0.0, y: $0.1) }, style: i,
                                                                             markers: run.rate > muMax)]) { w, b in
                    0.5 * zip(x, t).reduce(0) { $0 + ($1.1 - (w * $1.0 + b)) * ($1.1 - (w * $1.0 + b)) }
                }
                plot.marks = [(x: exact[1], y: exact[0], name: "minimum (pseudo-inverse)")]
                plot.levelLabels = false
                return PanelGrid.Panel(plot)
            }
            let figure = PanelGrid(title: "Squared error E(w, b), one rate per panel", panels: panels)
            figures.append(LessonFigure("surface", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "E(w, b) = ½Σ(d − (wx + b))² with the first \(shown) steps of the three runs (8 of the diverging one) from (w, b) = (\(NumberFormat.display(initial[1])), \(NumberFormat.display(initial[0]))); the minimum is the pseudo-inverse solution (\(NumberFormat.display(exact[1])), \(NumberFormat.display(exact[0])))."))
        }
        if lesson.includes(.lossCurve) {
            // The axis covers the stable runs (and every run's start); a run that grows past it leaves the
            // top, said in the caption, rather than stretch the axis over decades no other run reaches.
            let stable = runs.filter { $0.rate <= muMax }.flatMap { $0.steps.map(\.loss) } + runs.compactMap { $0.steps.first?.loss }
            let positive = stable.filter { $0 > 0 && $0.isFinite }
            var yAxis = Axis("E", scale: .log)
            if let lo = positive.min(), let hi = positive.max() { yAxis.range = (lo / 2)...(hi * 10) }
            let figure = LinePlot(title: "Squared error per step", xAxis: Axis("step"), yAxis: yAxis, series: runs.map { run in
                LinePlot.Series(name: "\(run.name) (μ = \(NumberFormat.display(run.rate)))", x: run.steps.map { Double($0.step) }, y: run.steps.map(\.loss))
            })
            figures.append(LessonFigure("loss", figure))
            let beyond = runs.compactMap { run -> String? in
                guard let top = yAxis.range?.upperBound, let k = run.steps.firstIndex(where: { !($0.loss <= top) }) else { return nil }
                return "\(run.name) leaves the top at step \(run.steps[k].step) and reaches E = \(NumberFormat.display(run.steps.last?.loss ?? .nan)) at step \(run.steps.last?.step ?? 0)"
            }
            blocks.append(.figure(try lesson.paper(figure), caption: "E before each update, on a log axis that covers the stable runs"
                                  + (beyond.isEmpty ? "." : "; " + beyond.joined(separator: "; ") + ".")
                                  + " " + lossComparison(outcome)))
        }
        if lesson.includes(.solution) {
            let (names, goodFinal) = (outcome.names, outcome.goodFinal)
            blocks.append(.heading("The least-squares solution"))
            if let text = lesson.narrative(.solution) { blocks.append(.paragraph(text)) }
            blocks.append(.table(Report.Table(header: ["weight", "pseudo-inverse (XᵀX)⁻¹Xᵀd", "LMS, good rate, \(steps) steps", "difference"],
                                              rows: names.indices.map { i in
                [names[i], NumberFormat.display(exact[i]), NumberFormat.display(goodFinal[i]), NumberFormat.display(goodFinal[i] - exact[i])]
            })))
        }
        if lesson.includes(.steps) {
            blocks.append(.heading("The good run, step by step"))
            blocks.append(.table(Report.Table(header: ["step", "E before", "(b, w) after"], rows: outcome.good.steps.prefix(12).map {
                [String($0.step), NumberFormat.display($0.loss), NumberFormat.tuple($0.weightsAfter)]
            })))
        }
        return (Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks), figures)
    }

    /// How far above the least-squares minimum each run ends: the numbers that tell a slow rate from a good
    /// one when both curves end near the same E.
    static func lossComparison(_ outcome: Outcome) -> String {
        let minimum = outcome.loss(outcome.exact)
        return "After \(outcome.steps) steps E is above its least-squares minimum \(NumberFormat.display(minimum)) by "
            + outcome.runs.map { "\(NumberFormat.display(outcome.finalLoss($0) - minimum)) (\($0.name))" }.joined(separator: ", ") + "."
    }

    /// What the terminal prints: λmax, each run's loss from start to end, the exact solution.
    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        var narration = lesson.introduction
        if let text = lesson.narrative(.intro) { narration.append(text) }
        narration.append("λmax(XᵀX) = \(NumberFormat.display(outcome.lambdaMax)); largest stable rate μmax = 2/λmax = \(NumberFormat.display(outcome.muMax))")
        for run in outcome.runs {
            narration.append("  \(run.name): μ = \(NumberFormat.display(run.rate)): E = \(NumberFormat.display(run.steps.first?.loss ?? .nan)) → \(NumberFormat.display(outcome.finalLoss(run))) after \(outcome.steps) steps")
        }
        narration.append("pseudo-inverse solution \(outcome.names.joined(separator: ", ")) = \(NumberFormat.tuple(outcome.exact))")
        return narration
    }

    /// Each update as the engine computes it: y = X·w (X with a column of ones for b), E = ½Σ(y − d)²,
    /// and backward's ∂E/∂w = Xᵀ(y − d), the negative of LMS's Σ(d − y)x. Weights are column vectors.
    /// Each run (one per rate) records its updates; the chosen ones in full, as the engine's graph.
    static func trace(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> Trace {
        let (data, rows, initial, muMax) = (outcome.data, outcome.rows, outcome.initial, outcome.muMax)
        var traceRuns: [TraceRun] = []
        do {
            let X = try Tensor(shape: [rows.count, initial.count], scalars: rows.flatMap { $0 })
            let d = try Tensor(shape: [rows.count, 1], scalars: data.targets)
            for run in outcome.runs {
                var recorder = lesson.recorder("rate-\(run.key)", settings: ["learning-rate": .number(run.rate), "rate-over-max": .number(run.rate / muMax)],
                                               initial: ["w": try Self.column(initial)], iterations: run.steps.count)
                for step in run.steps {
                    try recorder.append { detailed in
                        try Self.traceStep(step, X: X, d: d, rate: run.rate, samples: Array(data.inputs.indices), detailed: detailed)
                    }
                }
                recorder.run.summary = ["loss": .number(outcome.finalLoss(run))]
                traceRuns.append(recorder.run)
            }
        } catch {
            throw LessonError("could not record the LMS steps: \(error)")
        }
        // The exact solution, by position: b, then one weight per input (w1, w2, …), whatever the columns are called.
        var summary = NamedValues<TraceValue>()
        summary.append("lambda-max", .number(outcome.lambdaMax))
        summary.append("rate-max", .number(muMax))
        for (i, value) in outcome.exact.enumerated() {
            summary.append(i == 0 ? "pseudo-inverse-b" : "pseudo-inverse-w\(i)", .number(value))
        }
        return lesson.trace(data: data.traceData, runs: traceRuns, summary: summary)
    }
}
