import Foundation
import Render
import Sim

/// `kind: symmetry`: why weights start random (notes 000 and 003). Note 001's XOR network trained from a
/// constant initialization, where the hidden units stay bit-for-bit identical at every step and the
/// layer acts as a single unit; from zeros, where the first layer gets no gradient at all at the first
/// step; from random weights, which break the symmetry and learn; and from the constant start with
/// dropout, whose random masks break it too.
public enum SymmetryLesson: DeclaredLessonKind {
    public static let name = "symmetry"
    public static let description = "Constant, zero and random initialization of a hidden layer, and dropout: which break the symmetry between hidden units."

    public struct Settings: LessonSettingsDeclaration {
        @Setting("hidden", in: 2...64, narrative: true, help: "hidden units")
        public var hidden: Int = 3
        @Setting("constant", help: "the value every weight starts at in the constant case")
        public var constant: Double = 0.5
        @Setting("init-scale", in: .positive, help: "the random case draws weights from U[−s, s)")
        public var initScale: Double = 1
        @Setting("keep", in: 0.01...0.99, help: "dropout: the probability that a hidden unit is kept")
        public var keep: Double = 0.9
        @Setting("learning-rate", in: .positive, help: "η of full-batch gradient descent")
        public var learningRate: Double = 1
        @Setting("steps", in: 1...100_000, help: "iterations per case")
        public var steps: Int = 3000

        public init() {}
    }

    /// The introduction, and one section per start (a case's section is its name in the trace too).
    public enum Section: String, LessonSection {
        case intro, constant, zero, random, dropout
    }

    public enum Item: String, LessonReportItem {
        case differences, weights, loss, outputs

        public var meaning: String {
            switch self {
            case .differences: "per case: the largest difference between two hidden units' weights over all steps, ∂L/∂W1 at step 1, the final loss"
            case .weights: "per case, every hidden unit's weights over the iterations"
            case .loss: "the loss per iteration of the four cases, log scale"
            case .outputs: "each case's final outputs on the four XOR inputs"
            }
        }
    }

    public static func title(for settings: Settings) -> String? { "Breaking the symmetry between \(settings.hidden) hidden units" }

    /// One training run and what it shows about symmetry.
    struct Case {
        let section: Section
        let title: String
        let initial: NamedTensors
        let dropout: Bool
        var losses: [Double] = []
        /// The largest |difference| between two hidden units' weights (incoming and outgoing), per step,
        /// the initial weights first.
        var differences: [Double] = []
        /// W1 and W2 after each step, the initial weights first.
        var history: [NamedTensors] = []
        /// The whole network's loss (no unit dropped) at each of `history`'s weights, when the report draws it.
        var wholeLosses: [Double] = []
        var firstGradient = Tensor(0)
        var final = NamedTensors()
        /// The final weights' outputs on the four inputs, their loss and how many are right.
        var outputs: [Double] = []
        var finalLoss = Double.nan
        var correct = 0

        var key: String { section.rawValue }
        var largest: Double { differences.max() ?? .nan }
    }

    /// max over unit pairs (j, k) and weights of |unit j's weight − unit k's|: columns of W1, entries of W2.
    static func largestDifference(_ w: NamedTensors) -> Double {
        guard let W1 = w["W1"], let W2 = w["W2"], W1.rank == 2 else { return .nan }
        let rows = W1.shape[0], hidden = W1.shape[1]
        var largest = 0.0
        for j in 0..<hidden {
            for k in (j + 1)..<max(j + 1, hidden) {
                for i in 0..<rows { largest = max(largest, abs(W1[i, j] - W1[i, k])) }
                largest = max(largest, abs(W2.scalars[j] - W2.scalars[k]))
            }
        }
        return largest
    }

    /// Four runs; per iteration each keeps its weights and, in the weights figure, a point of each of the
    /// 4·hidden lines (about 650 bytes per hidden unit, measured); with the trace, the XOR network's
    /// iteration (9 or 10 nodes) in full.
    public static func estimate(_ s: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let h = Double(s.hidden), steps = Double(s.steps) + 1
        var bytes = 4 * steps * (650 * h + 200)
        if recordsSteps {
            let numbers = 4 * (4 * 3 + 13 * h + 14) + 9 * (3 * h + h) + 20
            bytes += LessonBudget.trace(steps: 4 * steps, nodes: 10, numbers: numbers)
        }
        return LessonEstimate(bytes: bytes, settings: [s.$steps, s.$hidden])
    }

    /// The run's numbers: the four cases, each with its losses, weights and their differences per
    /// iteration and how its final weights do; and what the engine recorded of them (the trace's runs and,
    /// with --step, their steps).
    public struct Outcome {
        let cases: [Case]
        let traceRuns: [TraceRun]
        let recorded: [LessonStep]
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        let (hidden, steps, rate, keep) = (s.hidden, s.steps, s.learningRate, s.keep)
        let data = DataSet.xor
        let X = data.matrix(biasColumn: true), Y = data.targetColumn
        var cases: [Case] = []
        do {
            let constant: Initializer = .constant(s.constant)
            func start(_ initializer: Initializer, seed: UInt64) throws -> NamedTensors {
                var generator = SeededGenerator(seed: seed)
                return ["W1": try initializer.tensor(shape: [X.shape[1], hidden], using: &generator),
                        "W2": try initializer.tensor(shape: [hidden, 1], using: &generator)]
            }
            cases = [
                Case(section: .constant, title: "constant \(NumberFormat.display(s.constant))", initial: try start(constant, seed: lesson.seed), dropout: false),
                Case(section: .zero, title: "zero", initial: try start(.zero, seed: lesson.seed), dropout: false),
                Case(section: .random, title: "random U[−\(NumberFormat.display(s.initScale)), \(NumberFormat.display(s.initScale)))",
                     initial: try start(.uniform(-s.initScale, s.initScale), seed: lesson.seed), dropout: false),
                Case(section: .dropout, title: "constant \(NumberFormat.display(s.constant)) with dropout (keep \(NumberFormat.display(keep)))",
                     initial: try start(constant, seed: lesson.seed), dropout: true),
            ]
        } catch {
            throw LessonError("could not initialize the weights: \(error)")
        }
        var traceRuns: [TraceRun] = []
        // With --step: each start is a run whose iterations are numbered on from the runs before it
        // (the constant start's are 1…steps, the zero start's steps+1…2·steps, …), as the trace numbers them.
        var recorded: [LessonStep] = []
        do {
            for i in cases.indices {
                var recording = lesson.stepsInDetail ? StepRecording(iterations: steps, optimizer: .gd, offset: i * steps, run: cases[i].title) : nil
                recording?.note("\(cases[i].title) start: W1 = \(GraphWalkthrough.show(try cases[i].initial.required("W1", in: "the start"))), W2 = \(GraphWalkthrough.show(try cases[i].initial.required("W2", in: "the start")))",
                                values: cases[i].initial.entries.map { StepValue($0.name, $0.value, .value) })
                var training = NetworkTraining(inputs: X, targets: Y, activation: .sigmoid)
                if cases[i].dropout {
                    training.dropout = keep
                    training.dropoutSeed = lesson.seed
                }
                var recorder = lesson.recorder(cases[i].key, settings: ["start": .string(cases[i].title), "dropout": .bool(cases[i].dropout)],
                                               initial: cases[i].initial, iterations: steps)
                var c = cases[i]
                c.history = [c.initial]
                c.differences = [largestDifference(c.initial)]
                c.final = try training.train(from: c.initial, optimizer: GradientDescent(OptimizerSettings(learningRate: rate)), steps: steps) { step, iteration in
                    c.losses.append(iteration.loss)
                    c.history.append(iteration.update.parameters)
                    c.differences.append(largestDifference(iteration.update.parameters))
                    if step == 1 { c.firstGradient = try iteration.update.gradients.required("W1", in: "the first update's gradients") }
                    recording?.record(step, graph: iteration.graph, gradients: iteration.gradients, loss: iteration.loss, update: iteration.update)
                    recorder.record(step, graph: iteration.graph, gradients: iteration.gradients, samples: iteration.samples,
                                    loss: iteration.loss, update: iteration.update)
                }
                (c.outputs, c.finalLoss, c.correct) = try NetworkTraining.evaluate(c.final, on: data, activation: .sigmoid, biasColumn: true)
                if lesson.includes(.loss) {
                    // The whole network's loss at each iteration's weights: with dropout, the loss training saw
                    // was that of a thinned network, too noisy to compare.
                    c.wholeLosses = try c.history.map { w throws(LessonError) in try NetworkTraining.evaluate(w, on: data, activation: .sigmoid, biasColumn: true).loss }
                }
                recorder.run.summary = ["largest-difference": .number(c.largest), "first-gradient-norm": .number(gradientNorm(c.firstGradient)),
                                        "loss": .number(c.finalLoss), "correct": .integer(c.correct)]
                cases[i] = c
                traceRuns.append(recorder.run)
                recorded += recording?.steps ?? []
            }
        } catch let error as LessonError {
            throw error
        } catch {
            throw LessonError("training failed: \(error)")
        }
        return Outcome(cases: cases, traceRuns: traceRuns, recorded: recorded)
    }

    static func describe(_ difference: Double) -> String { difference == 0 ? "0 (exactly)" : NumberFormat.display(difference) }
    static func gradientNorm(_ t: Tensor) -> Double { t.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// What this run did from this start, said from its numbers: the script's text explains the idea,
    /// and whether XOR was learned depends on the seed and the settings.
    static func verdict(_ c: Case, in lesson: Lesson<Self>) -> String {
        let symmetric = (c.differences.max() ?? 1) == 0
        var text = "In this run (seed \(lesson.seed)) the hidden units " + (symmetric ? "never differ" : "differ by up to \(NumberFormat.display(c.differences.max() ?? .nan))")
            + "; after \(lesson.settings.steps) iterations L = \(NumberFormat.display(c.finalLoss)) and \(c.correct) of 4 samples are classified correctly."
        if !symmetric && c.correct < 4 {
            text += " Breaking the symmetry lets the units take different roles, but it promises no success: from this start gradient descent has not learned XOR (a local minimum, or too few iterations); other seeds (--seed) may."
        } else if !symmetric {
            text += " The network has learned XOR."
        }
        return text
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let constant = outcome.cases[0], random = outcome.cases[2]
        let summary = ["constant start: hidden units differ by \(describe(constant.largest)) at every step, \(constant.correct) of 4 correct; random start: \(random.correct) of 4 correct, L = \(NumberFormat.display(random.finalLoss))"]
        let (report, figures) = try report(outcome, in: lesson)
        return LessonResult(narration: narration(outcome, in: lesson), summary: summary, steps: try steps(outcome, in: lesson), report: report,
                            figures: figures, trace: lesson.trace(data: DataSet.xor.traceData, runs: outcome.traceRuns))
    }

    /// With --step what StepRecording kept; else each start and its first five iterations.
    static func steps(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> [LessonStep] {
        var steplist: [LessonStep] = outcome.recorded
        for c in outcome.cases where !lesson.stepsInDetail {
            steplist.append(LessonStep(.note, "\(c.title): W1 = \(GraphWalkthrough.show(try c.initial.required("W1", in: "the start"))), W2 = \(GraphWalkthrough.show(try c.initial.required("W2", in: "the start")))"))
            for step in 1...min(lesson.settings.steps, 5) {
                let w = c.history[step]
                steplist.append(LessonStep(.update, "\(c.key), iteration \(step): L = \(NumberFormat.display(c.losses[step - 1])), largest difference between hidden units \(describe(c.differences[step]))",
                                           details: ["W1 = \(GraphWalkthrough.show(try w.required("W1", in: "the weights")))", "W2 = \(GraphWalkthrough.show(try w.required("W2", in: "the weights")))"]))
            }
        }
        return steplist
    }

    /// The report's blocks and the figures written beside it.
    static func report(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> (Report, [LessonFigure]) {
        let s = lesson.settings
        let (cases, steps, hidden, data) = (outcome.cases, s.steps, s.hidden, DataSet.xor)
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }
        blocks.append(.formula("XOR, 3-\(hidden)-1 network (x₁, x₂ and the bias column; sigmoid units), gradient descent η = \(NumberFormat.display(s.learningRate)), \(steps) iterations"))
        if lesson.includes(.differences) {
            blocks.append(.table(Report.Table(header: ["initial weights", "largest difference between hidden units, any step", "‖∂L/∂W1‖ at step 1", "L after \(steps)", "correct of 4"], rows: cases.map { c in
                [c.title, describe(c.largest), NumberFormat.display(gradientNorm(c.firstGradient)), NumberFormat.display(c.finalLoss), String(c.correct)]
            })))
        }
        let iterations = (0...steps).map(Double.init)
        for c in cases {
            blocks.append(.heading(c.title.prefix(1).uppercased() + c.title.dropFirst()))
            if let text = lesson.narrative(c.section) { blocks.append(.paragraph(text)) }
            blocks.append(.paragraph(verdict(c, in: lesson)))
            if lesson.includes(.weights) {
                var series: [LinePlot.Series] = []
                for j in 0..<hidden {
                    let rows = c.initial["W1"]?.shape.first ?? 0
                    for i in 0..<rows {
                        series.append(LinePlot.Series(name: "unit h\(j + 1): weights in and out", x: iterations, y: c.history.map { $0["W1"]?[i, j] ?? .nan }, style: j))
                    }
                    series.append(LinePlot.Series(name: "unit h\(j + 1): weights in and out", x: iterations, y: c.history.map { $0["W2"]?.scalars[j] ?? .nan }, style: j))
                }
                let figure = LinePlot(title: "Hidden units' weights, \(c.title)", xAxis: Axis("iteration"), yAxis: Axis("weight"), series: series)
                figures.append(LessonFigure("weights-\(c.key)", figure))
                let symmetric = (c.differences.max() ?? 1) == 0
                blocks.append(.figure(try lesson.paper(figure), caption: symmetric
                    ? "Each unit's incoming weights (from x₁, x₂, the bias) and outgoing weight, one colour per unit. The units' lines lie exactly on top of each other at every iteration: the largest difference is 0."
                    : "Each unit's incoming weights (from x₁, x₂, the bias) and outgoing weight, one colour per unit. The units differ (largest difference \(NumberFormat.display(c.largest))) and each can take its own role."))
            }
        }
        if lesson.includes(.loss) {
            let figure = LinePlot(title: "Loss per iteration", xAxis: Axis("iteration"), yAxis: Axis("loss ½Σ(y − ŷ)²", scale: .log), series: cases.map { c in
                LinePlot.Series(name: c.title, x: iterations, y: c.wholeLosses)
            })
            figures.append(LessonFigure("loss", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "The loss of the whole network (no unit dropped) at each iteration's weights."))
        }
        if lesson.includes(.outputs) {
            blocks.append(.heading("Final outputs"))
            blocks.append(.table(Report.Table(header: ["x₁", "x₂", "target"] + cases.map(\.title), rows: data.inputs.indices.map { n in
                data.inputs[n].map { NumberFormat.display($0) } + [NumberFormat.display(data.targets[n])] + cases.map { NumberFormat.display($0.outputs[n]) }
            })))
        }
        return (Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks), figures)
    }

    /// What the terminal prints: per case the largest difference, the first gradient, the final loss.
    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        var narration = lesson.introduction
        if let text = lesson.narrative(.intro) { narration.append(text) }
        for c in outcome.cases {
            narration.append("  \(c.title): largest difference between hidden units \(describe(c.largest)); ‖∂L/∂W1‖ at step 1 = \(NumberFormat.display(gradientNorm(c.firstGradient))); L = \(NumberFormat.display(c.finalLoss)) after \(lesson.settings.steps) iterations, \(c.correct) of 4 correct"
                + ((c.differences.max() ?? 0) > 0 && c.correct < 4 ? " (the symmetry is broken, yet XOR is not learned from this start: a local minimum or too few iterations)" : ""))
        }
        return narration
    }
}
