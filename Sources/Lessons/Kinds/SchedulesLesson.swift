import Foundation
import Render
import Sim

/// `kind: schedules`: learning-rate decay (note 001: step, exponential and 1/t decay; note 002: annealing
/// the learning rate; note 000: lower the rate when the loss plateaus). The logistic unit of the minibatch
/// lesson (z = X·w, ŷ = σ(z), the mean cross-entropy of the update's samples) trained by mini-batch SGD five
/// times from w = 0 on the same batches (one generator seeded with the lesson's seed + 1 for every run), each
/// run with its own schedule of η: constant, step, exponential, 1/t, and lowered when the cross-entropy on
/// all samples stops falling (`PlateauReduction`). With a constant η the mini-batches' noise keeps the loss
/// on a plateau above its minimum; a falling η lets it settle lower.
public enum SchedulesLesson: DeclaredLessonKind {
    public static let name = "schedules"
    public static let description = "Learning-rate decay: constant, step, exponential, 1/t and reduce-on-plateau schedules on one mini-batch problem, the rate and the loss over time."

    public struct Settings: LessonSettingsDeclaration {
        @Setting("data", data: LogisticLesson.offered, narrative: true, help: "the data set: a built-in name or a CSV file (inputs, then the class 0 or 1)")
        public var data: String = "moons"
        @Setting("learning-rate", in: .positive, help: "η₀, every schedule's rate at the first update")
        public var learningRate: Double = 4
        @Setting("batch-size", in: 1...DataSet.maximumRows, help: "samples per update (fewer than the data's), the same batches for every run")
        public var batchSize: Int = 5
        @Setting("epochs", in: 1...1000, help: "passes over the data, the same for every run")
        public var epochs: Int = 40
        @Setting("step-every", in: 1...1000, help: "step decay: η is multiplied by step-factor every this many epochs")
        public var stepEvery: Int = 10
        @Setting("step-factor", in: 0.001...1, help: "step decay's factor F (note 002: e.g. ½)")
        public var stepFactor: Double = 0.5
        @Setting("exponential-k", in: 0...1e6, help: "k of η₀e^(−kt), t the update from 0")
        public var exponentialK: Double = 0.004
        @Setting("hyperbolic-k", in: 0...1e6, help: "k of η₀/(1 + kt) (1/t decay), t the update from 0")
        public var hyperbolicK: Double = 0.02
        @Setting("patience", in: 1...1000, help: "reduce on plateau: epochs without enough improvement before η is lowered")
        public var patience: Int = 3
        @Setting("plateau-factor", in: 0.001...1, help: "reduce on plateau: η is multiplied by this")
        public var plateauFactor: Double = 0.5
        @Setting("improvement", in: 0...1, help: "reduce on plateau: an epoch improves when its loss is below the best by more than this fraction of it")
        public var improvement: Double = 0.01
        @Setting("threshold", in: .positive, help: "the report gives the first epoch at which each run's E − E* is at most this (E* the least cross-entropy; 0 if none)")
        public var threshold: Double = 0.001

        public init() {}
    }

    public enum Section: String, LessonSection {
        case intro, schedules, result
    }

    public enum Item: String, LessonReportItem {
        case rate, loss, table

        public var meaning: String {
            switch self {
            case .rate: "each run's learning rate η at every update, against the epoch, log scale"
            case .loss: "each run's cross-entropy on all samples after each epoch, log scale, with the threshold"
            case .table: "each run's schedule, its last η, its final cross-entropy and the epoch it first reached the threshold"
            }
        }
    }

    public static func title(for settings: Settings) -> String? { "Learning-rate schedules on " + settings.data }

    /// Per update of the five runs a loss and a rate (and a step-through line), with the trace each update's
    /// parameters and samples; the chosen updates in full (7 nodes, B·(3d + 12) numbers).
    public static func estimate(_ s: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let data = try DataSet.named(s.data)
        let n = Double(data.inputs.count), d = Double(data.inputNames.count + 1)
        let updates = 5 * Double(s.epochs) * (n / Double(max(1, s.batchSize))).rounded(.up)
        var bytes = updates * 200
        if recordsSteps {
            bytes += LessonBudget.trace(steps: updates, nodes: 1, numbers: 3 * d + 3 + Double(s.batchSize))
                + LessonBudget.trace(steps: 5 * 21, nodes: 7, numbers: Double(s.batchSize) * (3 * d + 12) + 4 * d + 10)
        }
        return LessonEstimate(bytes: bytes, settings: [s.$epochs])
    }

    /// A run's schedule: one of the engine's closed forms, or lowered on a plateau.
    enum Schedule {
        case closed(LearningRateSchedule)
        case plateau(patience: Int, factor: Double, improvement: Double)
    }

    /// The five runs' names and schedules, in the order they are shown.
    static func schedules(_ s: Settings, updatesPerEpoch: Int) -> [(name: String, schedule: Schedule)] {
        [("constant", .closed(.constant)),
         ("step", .closed(.step(every: s.stepEvery * updatesPerEpoch, factor: s.stepFactor))),
         ("exponential", .closed(.exponential(k: s.exponentialK))),
         ("1/t", .closed(.hyperbolic(k: s.hyperbolicK))),
         ("plateau", .plateau(patience: s.patience, factor: s.plateauFactor, improvement: s.improvement))]
    }

    /// How a schedule reads in the report's table.
    static func formula(_ schedule: Schedule, _ s: Settings, updatesPerEpoch: Int) -> String {
        let f = { (x: Double) in NumberFormat.display(x) }
        switch schedule {
        case .closed(.constant): return "η = η₀"
        case .closed(.step(_, let factor)): return "η₀·\(f(factor))^⌊t/\(s.stepEvery * updatesPerEpoch)⌋ (every \(s.stepEvery) epochs)"
        case .closed(.exponential(let k)): return "η₀e^(−\(f(k))t)"
        case .closed(.hyperbolic(let k)): return "η₀/(1 + \(f(k))t)"
        case .plateau(let patience, let factor, let improvement):
            return "η·\(f(factor)) after \(patience) epoch\(patience == 1 ? "" : "s") without a \(f(improvement * 100))% improvement"
        }
    }

    /// One run: the rate and the loss of every update, the cross-entropy on all samples after each epoch
    /// (the start first), the epochs after which a plateau lowered η, the final weights and the trace's run.
    struct Run {
        let name: String
        let schedule: Schedule
        var rates: [Double] = []
        var updateLosses: [Double] = []
        var epochLosses: [Double] = []
        var reductions: [Int] = []
        var final: [Double] = []
        var trace: TraceRun

        /// The first epoch (0 for the start) after which the cross-entropy is at most `threshold` above `floor`.
        func crossing(_ threshold: Double, above floor: Double) -> Int? { epochLosses.firstIndex { $0 - floor <= threshold } }
    }

    public struct Outcome {
        let data: DataSet
        let updatesPerEpoch: Int
        let runs: [Run]
        /// The least cross-entropy and its weights, by Newton's method; nil when it did not converge.
        let minimum: (w: [Double], loss: Double)?

        /// What the loss figure and the threshold measure: E − E*, or E itself when there is no minimum.
        var floor: Double { minimum?.loss ?? 0 }
    }

    /// The weights of least mean cross-entropy, by Newton's method from w = 0 (iteratively reweighted least
    /// squares): w ← w + (XᵀSX)⁻¹Xᵀ(y − ŷ) with S = diag(ŷ(1 − ŷ)), solved as the least-squares problem of the
    /// rows √sᵢ·xᵢ and targets (yᵢ − ŷᵢ)/√sᵢ. Nil when it does not converge in 50 steps (separable data,
    /// whose cross-entropy has no minimum, only 0 as its bound).
    static func minimum(_ data: DataSet) -> (w: [Double], loss: Double)? {
        let rows = data.inputs.map { [1] + $0 }
        var w = [Double](repeating: 0, count: rows.first?.count ?? 0)
        for _ in 0..<50 {
            let yhat = rows.map { LogisticLesson.output(w, Array($0.dropFirst())) }
            let s = yhat.map { ($0 * (1 - $0)).squareRoot() }
            guard s.allSatisfy({ $0 > 1e-150 }),
                  let step = try? LeastSquares.solve(zip(rows, s).map { x, r in x.map { $0 * r } }, zip(zip(data.targets, yhat), s).map { ($0.0 - $0.1) / $1 }),
                  step.allSatisfy(\.isFinite) else { return nil }
            w = zip(w, step).map(+)
            if step.map(abs).max() ?? 0 < 1e-12 * max(1, w.map(abs).max() ?? 0) {
                return (w, MinibatchLesson.fullLoss(w, data))
            }
        }
        return nil
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        let data = try DataSet.named(s.data)
        let n = data.inputs.count
        let X = try MinibatchLesson.design(data, batchSize: s.batchSize, s.$batchSize, s.$data)
        let perEpoch = (n + s.batchSize - 1) / s.batchSize
        let start = [Double](repeating: 0, count: X.shape[1])
        let initial: NamedTensors = ["w": Tensor(column: start)]
        var runs: [Run] = []
        for (name, schedule) in schedules(s, updatesPerEpoch: perEpoch) {
            var run = Run(name: name, schedule: schedule, epochLosses: [MinibatchLesson.fullLoss(start, data)], trace: TraceRun(name: name, initial: initial))
            var recorder = lesson.recorder(name, settings: ["schedule": .string(formula(schedule, s, updatesPerEpoch: perEpoch))], initial: initial, iterations: perEpoch * s.epochs)
            let training = MinibatchLesson.training(X, data, batchSize: s.batchSize, seed: lesson.seed &+ 1)
            var plateau: PlateauReduction?
            let closed: LearningRateSchedule
            switch schedule {
            case .closed(let c): closed = c
            case .plateau(let patience, let factor, let improvement):
                closed = .constant
                plateau = PlateauReduction(rate: s.learningRate, patience: patience, factor: factor, threshold: improvement)
            }
            do {
                let optimizer = TrainingChoices.optimizer(.gd, rate: s.learningRate, schedule: closed)
                let final = try training.train(from: initial, optimizer: optimizer, steps: perEpoch * s.epochs) { step, iteration, settings in
                    guard iteration.loss.isFinite else { throw MinibatchLesson.notFinite(name, update: step, s.$learningRate) }
                    run.rates.append(iteration.update.learningRate)
                    run.updateLosses.append(iteration.loss)
                    if step % perEpoch == 0 {
                        let loss = MinibatchLesson.fullLoss(try iteration.update.parameters.required("w", in: "the update").scalars, data)
                        run.epochLosses.append(loss)
                        // The plateau run looks at each epoch's loss on all samples, and lowers η for the next epoch.
                        if var p = plateau {
                            if p.observe(loss) { run.reductions.append(step / perEpoch) }
                            settings.learningRate = p.rate
                            plateau = p
                        }
                    }
                    recorder.record(step, graph: iteration.graph, gradients: iteration.gradients, samples: iteration.samples, loss: iteration.loss, update: iteration.update)
                }
                run.final = try final.required("w", in: "the trained weights").scalars
            } catch let error as LessonError {
                throw error
            } catch {
                throw LessonError("training failed: \(error)")
            }
            recorder.run.summary = ["cross-entropy": .number(run.epochLosses.last ?? .nan), "learning_rate": .number(run.rates.last ?? .nan),
                                    "correct": .integer(LogisticLesson.correct(run.final, data))]
            run.trace = recorder.run
            runs.append(run)
        }
        return Outcome(data: data, updatesPerEpoch: perEpoch, runs: runs, minimum: minimum(data))
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let s = lesson.settings
        let summary = outcome.runs.map { run in
            "\(run.name): cross-entropy \(NumberFormat.display(run.epochLosses.last ?? .nan)) after \(s.epochs) epochs, last η = \(NumberFormat.display(run.rates.last ?? .nan))"
        }
        var trace = lesson.trace(data: outcome.data.traceData, runs: outcome.runs.map(\.trace))
        trace.settings.append("data-name", .string(outcome.data.name))
        var steps: [LessonStep] = []
        for run in outcome.runs {
            for (u, (rate, loss)) in zip(run.rates, run.updateLosses).enumerated() {
                steps.append(LessonStep(.update, "\(run.name), epoch \(u / outcome.updatesPerEpoch + 1), update \(u + 1): L on its batch = \(NumberFormat.display(loss)), w updated with η = \(NumberFormat.display(rate))"))
                if (u + 1) % outcome.updatesPerEpoch == 0 && run.reductions.contains((u + 1) / outcome.updatesPerEpoch) {
                    steps.append(LessonStep(.update, "\(run.name): no \(NumberFormat.display(s.improvement * 100))% improvement for \(s.patience) epoch\(s.patience == 1 ? "" : "s"), so η × \(NumberFormat.display(s.plateauFactor))"))
                }
            }
        }
        let (report, figures) = try report(outcome, in: lesson)
        return LessonResult(narration: narration(outcome, in: lesson), summary: summary, steps: steps, report: report, figures: figures, trace: trace)
    }

    /// The sentences on the outcome: which run ended lowest, when each first reached the threshold, and
    /// when the plateau run lowered η; computed from the runs, so true for any seed and settings.
    static func comparison(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        let s = lesson.settings
        let f = { (x: Double) in NumberFormat.display(x) }
        var sentences: [String] = []
        let ranked = outcome.runs.sorted { ($0.epochLosses.last ?? .infinity) < ($1.epochLosses.last ?? .infinity) }
        // Near the minimum the runs differ in the fifth digit: the ranking gives E − E*, which shows it.
        let measure = outcome.minimum == nil ? "E" : "E − E*"
        let value = { (run: Run) in f((run.epochLosses.last ?? .nan) - outcome.floor) }
        if let best = ranked.first {
            sentences.append("After \(s.epochs) epochs the \(best.name) run has the lowest cross-entropy, \(measure) = \(value(best)) (from lowest to highest: \(ranked.map { "\($0.name) \(value($0))" }.joined(separator: ", "))); the ranking is this run's, for its seed and settings.")
        }
        let crossed = outcome.runs.map { run in
            run.crossing(s.threshold, above: outcome.floor).map { "\(run.name) after epoch \($0)" } ?? "\(run.name) never"
        }
        sentences.append("The cross-entropy first came within \(f(s.threshold)) of \(outcome.minimum == nil ? "0" : "its minimum E* = \(f(outcome.floor))"): \(crossed.joined(separator: ", ")).")
        if let plateau = outcome.runs.first(where: { if case .plateau = $0.schedule { true } else { false } }) {
            sentences.append(plateau.reductions.isEmpty
                ? "The plateau run never lowered η: every \(s.patience) epochs brought an improvement of more than \(f(s.improvement * 100))%."
                : "The plateau run lowered η after epoch\(plateau.reductions.count == 1 ? "" : "s") \(plateau.reductions.map(String.init).joined(separator: ", ")), to \(f(plateau.rates.last ?? .nan)) at the end.")
        }
        return sentences
    }

    static func report(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> (Report, [LessonFigure]) {
        let s = lesson.settings
        let data = outcome.data, n = data.inputs.count, perEpoch = outcome.updatesPerEpoch
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }
        blocks.append(.heading("Five schedules, one problem"))
        if let text = lesson.narrative(.schedules) { blocks.append(.paragraph(text)) }
        blocks.append(.paragraph("Logistic regression on \(n) samples, from w = 0, η₀ = \(NumberFormat.display(s.learningRate)), mini-batches of \(s.batchSize) (\(perEpoch) updates an epoch), \(s.epochs) epochs; every run sees the same batches, shuffled each epoch by a generator seeded with \(lesson.seed &+ 1) (the lesson's seed + 1), so the runs differ only in η. t counts the updates from 0."))
        if lesson.includes(.rate) {
            let figure = LinePlot(title: "Learning rate η per update", xAxis: Axis("epoch"), yAxis: Axis("η", scale: .log), series: outcome.runs.map { run in
                LinePlot.Series(name: run.name, x: run.rates.indices.map { Double($0) / Double(perEpoch) }, y: run.rates)
            })
            figures.append(LessonFigure("rate", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "η of each update, placed where the update starts (update t at epoch t/\(perEpoch)), on a log scale: the constant run's line is flat, the step and plateau runs' fall in steps, the exponential run's is a straight line on this scale."))
        }
        if lesson.includes(.loss) {
            let epochs = (0...s.epochs).map(Double.init)
            let floor = outcome.floor
            let label = outcome.minimum == nil ? "E" : "E − E*"
            let figure = LinePlot(title: outcome.minimum == nil ? "Cross-entropy on all samples per epoch" : "Cross-entropy above its minimum per epoch", xAxis: Axis("epoch"), yAxis: Axis(label, scale: .log), series: outcome.runs.map { run in
                LinePlot.Series(name: run.name, x: epochs, y: run.epochLosses.map { $0 - floor })
            } + [LinePlot.Series(name: "threshold \(NumberFormat.display(s.threshold))", x: [0, Double(s.epochs)], y: [s.threshold, s.threshold])])
            figures.append(LessonFigure("loss", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: (outcome.minimum.map { "E − E* on all \(n) samples, E* = \(NumberFormat.display($0.loss)) the least cross-entropy (by Newton's method, at w = \(NumberFormat.tuple($0.w)))," } ?? "E on all \(n) samples (Newton's method found no minimum: the data are separable and E has only 0 as its bound),") + " at the start (epoch 0) and after each epoch, on a log scale, with the threshold the table's last column refers to. A point at or below 0 (E at its minimum to the last digit) is not drawn on this scale."))
        }
        blocks.append(.heading("What the schedules did"))
        if let text = lesson.narrative(.result) { blocks.append(.paragraph(text)) }
        blocks.append(.paragraph(comparison(outcome, in: lesson).joined(separator: " ")))
        if lesson.includes(.table) {
            blocks.append(.table(Report.Table(header: ["run", "schedule", "last η", "E after \(s.epochs) epochs"] + (outcome.minimum == nil ? [] : ["E − E*"]) + ["first epoch with \(outcome.minimum == nil ? "E" : "E − E*") ≤ \(NumberFormat.display(s.threshold))"], rows: outcome.runs.map { run in
                [run.name, formula(run.schedule, s, updatesPerEpoch: perEpoch), NumberFormat.display(run.rates.last ?? .nan), NumberFormat.display(run.epochLosses.last ?? .nan)]
                    + (outcome.minimum == nil ? [] : [NumberFormat.display((run.epochLosses.last ?? .nan) - outcome.floor)])
                    + [run.crossing(s.threshold, above: outcome.floor).map(String.init) ?? "never"]
            })))
        }
        return (Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks), figures)
    }

    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        let s = lesson.settings
        var narration = lesson.introduction
        if let text = lesson.narrative(.intro) { narration.append(text) }
        narration.append("")
        for run in outcome.runs {
            narration.append("  \(run.name) (\(formula(run.schedule, s, updatesPerEpoch: outcome.updatesPerEpoch))): E = \(NumberFormat.display(run.epochLosses.last ?? .nan)), last η = \(NumberFormat.display(run.rates.last ?? .nan))")
        }
        narration.append("")
        narration += comparison(outcome, in: lesson)
        return narration
    }
}
