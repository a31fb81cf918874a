import Foundation
import Render
import Sim

/// `kind: symmetry`: why weights start random (notes 000 and 003). Note 001's XOR network trained from a
/// constant initialization, where the hidden units stay bit-for-bit identical at every step and the
/// layer acts as a single unit; from zeros, where the first layer gets no gradient at all at the first
/// step; from random weights, which break the symmetry and learn; and from the constant start with
/// dropout, whose random masks break it too.
public enum SymmetryLesson: LessonKind {
    public static let name = "symmetry"
    public static let description = "Constant, zero and random initialization of a hidden layer, and dropout: which break the symmetry between hidden units."
    public static let settings = [
        LessonSetting("hidden", .integer(2...64), default: .integer(3), "hidden units"),
        LessonSetting("constant", .number(.anyNumber), default: .number(0.5), "the value every weight starts at in the constant case"),
        LessonSetting("init-scale", .number(.positive), default: .number(1), "the random case draws weights from U[−s, s)"),
        LessonSetting("keep", .number(0.01...0.99), default: .number(0.9), "dropout: the probability that a hidden unit is kept"),
        LessonSetting("learning-rate", .number(.positive), default: .number(1), "η of full-batch gradient descent"),
        LessonSetting("steps", .integer(1...100_000), default: .integer(3000), "iterations per case"),
    ]
    public static let narrativeSettings = ["hidden"]
    public static func title(for settings: LessonSettings) -> String? { "Breaking the symmetry between \(settings.integer("hidden")) hidden units" }
    public static let sections = ["intro", "constant", "zero", "random", "dropout"]
    public static let reportItems = [
        ReportItem("differences", "per case: the largest difference between two hidden units' weights over all steps, ∂L/∂W1 at step 1, the final loss"),
        ReportItem("weights", "per case, every hidden unit's weights over the iterations"),
        ReportItem("loss", "the loss per iteration of the four cases, log scale"),
        ReportItem("outputs", "each case's final outputs on the four XOR inputs"),
    ]

    /// One training run and what it shows about symmetry.
    struct Case {
        let key: String
        let title: String
        let initial: NamedTensors
        let dropout: Bool
        var losses: [Double] = []
        /// The largest |difference| between two hidden units' weights (incoming and outgoing), per step,
        /// the initial weights first.
        var differences: [Double] = []
        /// W1 and W2 after each step, the initial weights first.
        var history: [NamedTensors] = []
        var firstGradient = Tensor(0)
        var final = NamedTensors()
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
    public static func estimate(_ s: LessonSettings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let h = Double(s.integer("hidden")), steps = Double(s.integer("steps")) + 1
        var bytes = 4 * steps * (650 * h + 200)
        if recordsSteps {
            let numbers = 4 * (4 * 3 + 13 * h + 14) + 9 * (3 * h + h) + 20
            bytes += LessonBudget.trace(steps: 4 * steps, nodes: 10, numbers: numbers)
        }
        return LessonEstimate(bytes: bytes, settings: ["steps", "hidden"])
    }

    public static func run(_ lesson: LessonContext) throws(LessonError) -> LessonResult {
        let s = lesson.settings
        let hidden = s.integer("hidden"), steps = s.integer("steps"), rate = s.number("learning-rate"), keep = s.number("keep")
        let data = DataSet.xor
        let X = data.matrix(biasColumn: true), Y = data.targetColumn
        var cases: [Case] = []
        do {
            let constant: Initializer = .constant(s.number("constant"))
            func start(_ initializer: Initializer, seed: UInt64) throws -> NamedTensors {
                var generator = SeededGenerator(seed: seed)
                return ["W1": try initializer.tensor(shape: [X.shape[1], hidden], using: &generator),
                        "W2": try initializer.tensor(shape: [hidden, 1], using: &generator)]
            }
            cases = [
                Case(key: "constant", title: "constant \(NumberFormat.display(s.number("constant")))", initial: try start(constant, seed: lesson.seed), dropout: false),
                Case(key: "zero", title: "zero", initial: try start(.zero, seed: lesson.seed), dropout: false),
                Case(key: "random", title: "random U[−\(NumberFormat.display(s.number("init-scale"))), \(NumberFormat.display(s.number("init-scale"))))",
                     initial: try start(.uniform(-s.number("init-scale"), s.number("init-scale")), seed: lesson.seed), dropout: false),
                Case(key: "dropout", title: "constant \(NumberFormat.display(s.number("constant"))) with dropout (keep \(NumberFormat.display(keep)))",
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
                var recording = lesson.stepsInDetail ? StepRecording(iterations: steps, optimizer: "gd", offset: i * steps, run: cases[i].title) : nil
                recording?.note("\(cases[i].title) start: W1 = \(GraphWalkthrough.show(cases[i].initial["W1"] ?? Tensor(0))), W2 = \(GraphWalkthrough.show(cases[i].initial["W2"] ?? Tensor(0)))",
                                values: cases[i].initial.entries.map { StepValue($0.name, $0.value, .value) })
                var training = NetworkTraining(inputs: X, targets: Y, activation: "sigmoid")
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
                    if step == 1 { c.firstGradient = iteration.update.gradients["W1"] ?? Tensor(0) }
                    recording?.record(step, graph: iteration.graph, gradients: iteration.gradients, loss: iteration.loss, update: iteration.update)
                    recorder.record(step, graph: iteration.graph, gradients: iteration.gradients, samples: iteration.samples,
                                    loss: iteration.loss, update: iteration.update)
                }
                cases[i] = c
                traceRuns.append(recorder.run)
                recorded += recording?.steps ?? []
            }
        } catch {
            throw LessonError("training failed: \(error)")
        }
        func evaluate(_ w: NamedTensors) -> (outputs: [Double], loss: Double, correct: Int) {
            NetworkTraining.evaluate(w, on: data, activation: "sigmoid", biasColumn: true)
        }
        func outputs(_ w: NamedTensors) -> [Double] { evaluate(w).outputs }
        func correct(_ w: NamedTensors) -> Int { evaluate(w).correct }
        func finalLoss(_ w: NamedTensors) -> Double { evaluate(w).loss }
        func describe(_ difference: Double) -> String { difference == 0 ? "0 (exactly)" : NumberFormat.display(difference) }
        func gradientNorm(_ t: Tensor) -> Double { t.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        /// What this run did from this start, said from its numbers: the script's text explains the idea,
        /// and whether XOR was learned depends on the seed and the settings.
        func outcome(_ c: Case) -> String {
            let symmetric = (c.differences.max() ?? 1) == 0
            var text = "In this run (seed \(lesson.seed)) the hidden units " + (symmetric ? "never differ" : "differ by up to \(NumberFormat.display(c.differences.max() ?? .nan))")
                + "; after \(steps) iterations L = \(NumberFormat.display(finalLoss(c.final))) and \(correct(c.final)) of 4 samples are classified correctly."
            if !symmetric && correct(c.final) < 4 {
                text += " Breaking the symmetry lets the units take different roles, but it promises no success: from this start gradient descent has not learned XOR (a local minimum, or too few iterations); other seeds (--seed) may."
            } else if !symmetric {
                text += " The network has learned XOR."
            }
            return text
        }

        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        var narration = lesson.introduction
        if let text = lesson.narrative("intro") { blocks.append(.paragraph(text)); narration.append(text) }
        blocks.append(.formula("XOR, 3-\(hidden)-1 network (x₁, x₂ and the bias column; sigmoid units), gradient descent η = \(NumberFormat.display(rate)), \(steps) iterations"))
        if lesson.includes("differences") {
            blocks.append(.table(Report.Table(header: ["initial weights", "largest difference between hidden units, any step", "‖∂L/∂W1‖ at step 1", "L after \(steps)", "correct of 4"], rows: cases.map { c in
                [c.title, describe(c.differences.max() ?? .nan), NumberFormat.display(gradientNorm(c.firstGradient)), NumberFormat.display(finalLoss(c.final)), String(correct(c.final))]
            })))
        }
        let iterations = (0...steps).map(Double.init)
        for c in cases {
            blocks.append(.heading(c.title.prefix(1).uppercased() + c.title.dropFirst()))
            if let text = lesson.narrative(c.key) { blocks.append(.paragraph(text)) }
            blocks.append(.paragraph(outcome(c)))
            if lesson.includes("weights") {
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
                    : "Each unit's incoming weights (from x₁, x₂, the bias) and outgoing weight, one colour per unit. The units differ (largest difference \(NumberFormat.display(c.differences.max() ?? .nan))) and each can take its own role."))
            }
            narration.append("  \(c.title): largest difference between hidden units \(describe(c.differences.max() ?? .nan)); ‖∂L/∂W1‖ at step 1 = \(NumberFormat.display(gradientNorm(c.firstGradient))); L = \(NumberFormat.display(finalLoss(c.final))) after \(steps) iterations, \(correct(c.final)) of 4 correct"
                + ((c.differences.max() ?? 0) > 0 && correct(c.final) < 4 ? " (the symmetry is broken, yet XOR is not learned from this start: a local minimum or too few iterations)" : ""))
        }
        if lesson.includes("loss") {
            // The whole network's loss at each iteration's weights: with dropout, the loss training saw was
            // that of a thinned network, too noisy to compare.
            let figure = LinePlot(title: "Loss per iteration", xAxis: Axis("iteration"), yAxis: Axis("loss ½Σ(y − ŷ)²", scale: .log), series: cases.map { c in
                LinePlot.Series(name: c.title, x: iterations, y: c.history.map(finalLoss))
            })
            figures.append(LessonFigure("loss", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "The loss of the whole network (no unit dropped) at each iteration's weights."))
        }
        if lesson.includes("outputs") {
            blocks.append(.heading("Final outputs"))
            blocks.append(.table(Report.Table(header: ["x₁", "x₂", "target"] + cases.map(\.title), rows: data.inputs.indices.map { n in
                data.inputs[n].map { NumberFormat.display($0) } + [NumberFormat.display(data.targets[n])] + cases.map { NumberFormat.display(outputs($0.final)[n]) }
            })))
        }
        let report = Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks)

        var steplist: [LessonStep] = recorded
        for c in cases where !lesson.stepsInDetail {
            steplist.append(LessonStep(.note, "\(c.title): W1 = \(GraphWalkthrough.show(c.initial["W1"] ?? Tensor(0))), W2 = \(GraphWalkthrough.show(c.initial["W2"] ?? Tensor(0)))"))
            for step in 1...min(steps, 5) {
                steplist.append(LessonStep(.update, "\(c.key), iteration \(step): L = \(NumberFormat.display(c.losses[step - 1])), largest difference between hidden units \(describe(c.differences[step]))",
                                           details: ["W1 = \(GraphWalkthrough.show(c.history[step]["W1"] ?? Tensor(0)))", "W2 = \(GraphWalkthrough.show(c.history[step]["W2"] ?? Tensor(0)))"]))
            }
        }
        let constant = cases[0], random = cases[2]
        let summary = ["constant start: hidden units differ by \(describe(constant.differences.max() ?? .nan)) at every step, \(correct(constant.final)) of 4 correct; random start: \(correct(random.final)) of 4 correct, L = \(NumberFormat.display(finalLoss(random.final)))"]

        for (i, c) in cases.enumerated() {
            let result = evaluate(c.final)
            traceRuns[i].summary = ["largest-difference": .number(c.differences.max() ?? .nan), "first-gradient-norm": .number(gradientNorm(c.firstGradient)),
                                    "loss": .number(result.loss), "correct": .integer(result.correct)]
        }
        let trace = lesson.trace(data: data.traceData, runs: traceRuns)
        return LessonResult(narration: narration, summary: summary, steps: steplist, report: report, figures: figures, trace: trace)
    }
}
