import Foundation
import Render
import Sim

/// `kind: regularization`: weight decay (L2, notes 002, 003 and 004) and dropout (notes 003 and 004) on a
/// small problem that over-fits. A few points of a built-in set are the training set (drawn by a generator
/// seeded with the lesson's seed + 2), the rest the test set. The network lesson's wide one-hidden-layer
/// network (NetworkTraining: X with a constant-1 column, H = act(X·W1), ŷ = σ(H·W2), L = ½Σ(ŷ − y)² over
/// the training points, full-batch gradient descent) is trained three times from the same weights: with
/// nothing, with weight decay (every update uses ∇L + λθ), and with inverted dropout on the hidden layer
/// (a fresh mask every update from a generator seeded with the lesson's seed + 1, kept units scaled by
/// 1/(1 − p), no dropout at test time).
public enum RegularizationLesson: DeclaredLessonKind {
    public static let name = "regularization"
    public static let description = "Weight decay and dropout against over-fitting: train and test loss, the weights' norm and the decision boundary with neither, with L2 weight decay and with dropout."

    /// The built-in sets with two classes and enough points to leave a test set.
    static let offered = ["moons", "circles"]

    public struct Settings: LessonSettingsDeclaration {
        @Setting("data", data: RegularizationLesson.offered, narrative: true, help: "the data set: a built-in name or a CSV file (x1,x2,y; targets 0 or 1)")
        public var data: String = "moons"
        @Setting("train-size", in: 2...DataSet.maximumRows, help: "points drawn (seeded) for training; the others are the test set")
        public var trainSize: Int = 20
        @Setting("flipped", in: 0...DataSet.maximumRows, help: "training points whose class is flipped (the first of the seeded order): noise a wide network can learn by heart")
        public var flipped: Int = 3
        @Setting("hidden", in: 1...256, help: "hidden units (wide, to over-fit)")
        public var hidden: Int = 50
        @Setting("activation", help: "the hidden layer's activation (the output is always a sigmoid)")
        public var activation: Activation = .tanh
        @Setting("init-scale", in: 0...1e6, help: "W1 and W2 start uniform in [−s, s)")
        public var initScale: Double = 1
        @Setting("learning-rate", in: .positive, help: "η of full-batch gradient descent, the same for the three runs")
        public var learningRate: Double = 0.1
        @Setting("steps", in: 1...100_000, help: "updates of each run")
        public var steps: Int = 1000
        @Setting("weight-decay", in: .positive, help: "λ of the weight-decay run: each update uses ∇L + λθ, the gradient of L + (λ/2)‖θ‖²")
        public var weightDecay: Double = 0.05
        @Setting("dropout", in: 0...0.95, help: "p of the dropout run: each hidden unit dropped with probability p at every update")
        public var dropout: Double = 0.5

        public init() {}
    }

    public enum Section: String, LessonSection {
        case intro, runs, result
    }

    public enum Item: String, LessonReportItem {
        case loss, weights, regions, table

        public var meaning: String {
            switch self {
            case .loss: "each run's train and test loss (without dropout) over the updates, the two figures on the same axes"
            case .weights: "each run's weight norm ‖θ‖ = √(‖W1‖² + ‖W2‖²) over the updates"
            case .regions: "each run's output over the input plane after training, one panel per run on the same axes, with the training points"
            case .table: "each run's final train and test loss, test accuracy and weight norm"
            }
        }
    }

    public static func title(for settings: Settings) -> String? { "Weight decay and dropout on " + settings.data }

    /// Per update of the three runs: its graph (train rows × (inputs + hidden) a few times) and a step line;
    /// with the trace each update's W1, W2 and their gradients (8·hidden numbers), and the chosen updates
    /// (about 21 a run) with the network lesson's 9 nodes (10 with dropout) and every number.
    public static func estimate(_ s: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let r = Double(s.trainSize), d = 3.0, h = Double(s.hidden), steps = 3 * Double(s.steps)
        var bytes = steps * 300 + 100 * r * (d + h)
        var drivers = [s.$steps]
        if recordsSteps {
            bytes += LessonBudget.trace(steps: steps, nodes: 1, numbers: 8 * h + 5)
                + LessonBudget.trace(steps: 3 * 21, nodes: 10, numbers: r * (4 * d + 10 * h + 14) + 9 * (d * h + h) + 20)
            drivers.append(s.$hidden)
        }
        return LessonEstimate(bytes: bytes, settings: drivers)
    }

    /// One run: the loss each update descended (on the training points, through the update's dropout mask
    /// in the dropout run), its losses on the training and test points and its weight norm at the outcome's
    /// checkpoints (the start first), the final weights and how they do, and the trace's run.
    struct Run {
        let name: String
        var updateLosses: [Double] = []
        var trainLosses: [Double] = []
        var testLosses: [Double] = []
        var norms: [Double] = []
        var final = NamedTensors()
        var testCorrect = 0
        var trainCorrect = 0
        var trace: TraceRun
    }

    public struct Outcome {
        let data: DataSet
        let train: DataSet
        let test: DataSet
        let initial: NamedTensors
        /// The updates after which the curves are evaluated: 0 (the start), every `steps/200`-th and the last.
        let checkpoints: [Int]
        let runs: [Run]
    }

    /// The training points: the first `count` indices of a permutation from a generator seeded with `seed`,
    /// in that order, the first `flipped` of them with their class flipped (1 − y); the test points: the rest, as they are.
    static func split(_ data: DataSet, count: Int, flipped: Int, seed: UInt64) -> (train: DataSet, test: DataSet) {
        var generator = SeededGenerator(seed: seed)
        let order = generator.permutation(data.inputs.count)
        let train = Array(order.prefix(count)), test = Array(order.dropFirst(count))
        return (DataSet(name: data.name + "-train", inputNames: data.inputNames, targetName: data.targetName, inputs: train.map { data.inputs[$0] },
                        targets: train.enumerated().map { $0.offset < flipped ? 1 - data.targets[$0.element] : data.targets[$0.element] }),
                DataSet(name: data.name + "-test", inputNames: data.inputNames, targetName: data.targetName, inputs: test.map { data.inputs[$0] }, targets: test.map { data.targets[$0] }))
    }

    /// The mean of ½(ŷ − y)² over `data`'s points, at weights `w`, without dropout.
    static func meanLoss(_ w: NamedTensors, _ data: DataSet, activation: Activation) throws(LessonError) -> Double {
        try NetworkTraining.evaluate(w, on: data, activation: activation, biasColumn: true).loss / Double(data.inputs.count)
    }

    /// ‖θ‖ = √(‖W1‖² + ‖W2‖²), every entry (W1's bias row too: the decay applies to it).
    static func norm(_ w: NamedTensors) -> Double {
        w.entries.reduce(0) { $0 + $1.1.scalars.reduce(0) { $0 + $1 * $1 } }.squareRoot()
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        let data = try DataSet.named(s.data)
        try data.requireBinaryTargets()
        guard data.inputNames.count == 2 else { throw LessonError("the decision-boundary panels need 2 inputs; the data has \(data.inputNames.count)", key: s.$data.name) }
        guard s.trainSize < data.inputs.count else { throw LessonError("the data's \(data.inputs.count) points leave none for the test set", key: s.$trainSize.name) }
        guard s.flipped <= s.trainSize else { throw LessonError("only \(s.trainSize) training points can be flipped", key: s.$flipped.name) }
        let (train, test) = split(data, count: s.trainSize, flipped: s.flipped, seed: lesson.seed &+ 2)
        let X = train.matrix(biasColumn: true), Y = train.targetColumn
        var generator = SeededGenerator(seed: lesson.seed)
        let initial: NamedTensors
        do {
            let initializer = InitializerChoice.uniform.initializer(scale: s.initScale)
            initial = ["W1": try initializer.tensor(shape: [X.shape[1], s.hidden], using: &generator),
                       "W2": try initializer.tensor(shape: [s.hidden, 1], using: &generator)]
        } catch {
            throw LessonError("\(error)")
        }
        let every = max(1, s.steps / 200)
        let checkpoints = (0...s.steps).filter { $0 % every == 0 || $0 == s.steps }
        var runs: [Run] = []
        for name in ["none", "weight-decay", "dropout"] {
            var training = NetworkTraining(inputs: X, targets: Y, activation: s.activation)
            if name == "dropout" {
                training.dropout = 1 - s.dropout   // NetworkTraining takes the probability of keeping a unit
                training.dropoutSeed = lesson.seed &+ 1
            }
            let optimizer = TrainingChoices.optimizer(.gd, rate: s.learningRate, weightDecay: name == "weight-decay" ? s.weightDecay : 0)
            var run = Run(name: name, trainLosses: [try meanLoss(initial, train, activation: s.activation)],
                          testLosses: [try meanLoss(initial, test, activation: s.activation)], norms: [norm(initial)], trace: TraceRun(name: name, initial: initial))
            var recorder = lesson.recorder(name, settings: ["weight-decay": .number(name == "weight-decay" ? s.weightDecay : 0), "dropout": .number(name == "dropout" ? s.dropout : 0)],
                                           initial: initial, iterations: s.steps)
            do {
                run.final = try training.train(from: initial, optimizer: optimizer, steps: s.steps) { step, iteration in
                    run.updateLosses.append(iteration.loss)
                    recorder.record(step, graph: iteration.graph, gradients: iteration.gradients, loss: iteration.loss, update: iteration.update)
                    guard step % every == 0 || step == s.steps else { return }
                    let w = iteration.update.parameters
                    // Evaluated as at test time: no dropout, every hidden unit at its trained weight.
                    run.trainLosses.append(try meanLoss(w, train, activation: s.activation))
                    run.testLosses.append(try meanLoss(w, test, activation: s.activation))
                    run.norms.append(norm(w))
                    guard run.trainLosses.last?.isFinite == true, run.norms.last?.isFinite == true else {
                        throw LessonError("the \(name) run diverged by update \(step); lower learning-rate", key: s.$learningRate.name)
                    }
                }
            } catch let error as LessonError {
                throw error
            } catch {
                throw LessonError("training failed: \(error)")
            }
            run.testCorrect = try NetworkTraining.evaluate(run.final, on: test, activation: s.activation, biasColumn: true).correct
            run.trainCorrect = try NetworkTraining.evaluate(run.final, on: train, activation: s.activation, biasColumn: true).correct
            recorder.run.summary = ["train_loss": .number(run.trainLosses.last ?? .nan), "test_loss": .number(run.testLosses.last ?? .nan),
                                    "test_correct": .integer(run.testCorrect), "norm": .number(run.norms.last ?? .nan)]
            run.trace = recorder.run
            runs.append(run)
        }
        return Outcome(data: data, train: train, test: test, initial: initial, checkpoints: checkpoints, runs: runs)
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let f = { (x: Double) in NumberFormat.display(x) }
        let summary = outcome.runs.map { run in
            "\(run.name): train loss \(f(run.trainLosses.last ?? .nan)), test loss \(f(run.testLosses.last ?? .nan)), \(run.testCorrect) of \(outcome.test.inputs.count) test points right, ‖θ‖ = \(f(run.norms.last ?? .nan))"
        }
        var trace = lesson.trace(data: outcome.train.traceData, runs: outcome.runs.map(\.trace))
        trace.settings.append("data-name", .string(outcome.data.name))
        var steps: [LessonStep] = []
        for run in outcome.runs {
            for (u, loss) in run.updateLosses.enumerated() {
                steps.append(LessonStep(.update, "\(run.name), update \(u + 1): L = ½Σ(ŷ − y)² on the training points\(run.name == "dropout" ? " through this update's mask" : "") = \(f(loss)), then W1 and W2 updated"))
            }
        }
        let (report, figures) = try report(outcome, in: lesson)
        return LessonResult(narration: narration(outcome, in: lesson), summary: summary, steps: steps, report: report, figures: figures, trace: trace)
    }

    /// The sentences on the outcome, computed from the runs (so true for any seed and settings): which run
    /// ends with the lowest test loss and the lowest train loss, and how the gap and the norms compare.
    static func comparison(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        let f = { (x: Double) in NumberFormat.display(x) }
        let runs = outcome.runs
        let last = { (values: [Double]) in values.last ?? .nan }
        guard let bestTest = runs.min(by: { last($0.testLosses) < last($1.testLosses) }),
              let bestTrain = runs.min(by: { last($0.trainLosses) < last($1.trainLosses) }),
              let smallest = runs.min(by: { last($0.norms) < last($1.norms) }) else { return [] }
        var sentences = ["In this run the \(bestTest.name) network has the lowest test loss, \(f(last(bestTest.testLosses))), and the \(bestTrain.name) network the lowest train loss, \(f(last(bestTrain.trainLosses))); with another seed (another split, start and masks) the order can differ."]
        sentences.append("Test loss minus train loss at the end: " + runs.map { "\($0.name) \(f(last($0.testLosses) - last($0.trainLosses)))" }.joined(separator: ", ") + ".")
        sentences.append("The smallest weights at the end are the \(smallest.name) network's, ‖θ‖ = \(f(last(smallest.norms))) (" + runs.filter { $0.name != smallest.name }.map { "\($0.name) \(f(last($0.norms)))" }.joined(separator: ", ") + ").")
        if let none = runs.first, let lowest = none.testLosses.indices.min(by: { none.testLosses[$0] < none.testLosses[$1] }), lowest < none.testLosses.count - 1 {
            sentences.append("Without regularization the test loss was lowest after update \(outcome.checkpoints[lowest]) (\(f(none.testLosses[lowest])), of those drawn) and \(f(none.testLosses.last ?? .nan)) at the end: early stopping (note 000) would have stopped there.")
        }
        return sentences
    }

    static func report(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> (Report, [LessonFigure]) {
        let s = lesson.settings
        let f = { (x: Double) in NumberFormat.display(x) }
        let (data, train, test) = (outcome.data, outcome.train, outcome.test)
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }
        blocks.append(.heading("Three runs from the same start"))
        if let text = lesson.narrative(.runs) { blocks.append(.paragraph(text)) }
        blocks.append(.paragraph("\(train.inputs.count) of the \(data.inputs.count) points of \(data.name), drawn by a generator seeded with \(lesson.seed &+ 2) (the lesson's seed + 2), are the training set, \(s.flipped == 0 ? "all with their true class" : "\(s.flipped) of them with their class flipped (label noise)"), the other \(test.inputs.count) the test set, as they are. A 3-\(s.hidden)-1 network (\(s.activation.rawValue) hidden units, a sigmoid output, a constant-1 input for the biases) starts from weights uniform in [−\(f(s.initScale)), \(f(s.initScale))) drawn with the lesson's seed, and takes \(s.steps) full-batch gradient steps on L = ½Σ(ŷ − y)² over the training points with η = \(f(s.learningRate)): once as it is, once with weight decay λ = \(f(s.weightDecay)) (the update uses ∇L + λθ, the gradient of L + (λ/2)‖θ‖², on every weight, the biases too), once with dropout p = \(f(s.dropout)) on the hidden layer (masks from a generator seeded with \(lesson.seed &+ 1), kept units scaled by 1/(1 − p) while training, no dropout when evaluating). The losses below are the mean of ½(ŷ − y)² per point, evaluated without dropout."))
        let updates = outcome.checkpoints.map(Double.init)
        if lesson.includes(.loss) {
            // A linear scale from 0: the losses span less than a decade, where a log scale shows one tick.
            let range = 0...(outcome.runs.flatMap { $0.trainLosses + $0.testLosses }.filter(\.isFinite).max() ?? 1)
            for (key, title, pick) in [("train-loss", "Train loss", \Run.trainLosses), ("test-loss", "Test loss", \Run.testLosses)] {
                let figure = LinePlot(title: "\(title) (mean ½(ŷ − y)² per point)", xAxis: Axis("update"), yAxis: Axis("loss", range: range), series: outcome.runs.map { run in
                    LinePlot.Series(name: run.name, x: updates, y: run[keyPath: pick])
                })
                figures.append(LessonFigure(key, figure))
                blocks.append(.figure(try lesson.paper(figure), caption: "\(title) on the \(key == "train-loss" ? "\(train.inputs.count) training" : "\(test.inputs.count) test") points, every \(outcome.checkpoints.count > 1 ? outcome.checkpoints[1] : 1) updates; the train and test figures share their axes."))
            }
        }
        if lesson.includes(.weights) {
            let figure = LinePlot(title: "Weight norm ‖θ‖", xAxis: Axis("update"), yAxis: Axis("‖θ‖"), series: outcome.runs.map { run in
                LinePlot.Series(name: run.name, x: updates, y: run.norms)
            })
            figures.append(LessonFigure("weights", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "√(‖W1‖² + ‖W2‖²), every \(outcome.checkpoints.count > 1 ? outcome.checkpoints[1] : 1) updates. Weight decay pulls every weight towards 0 by ηλθ each update (note 004: w ← w(1 − ηλ) − η∂L/∂w)."))
        }
        if lesson.includes(.regions) {
            blocks.append(.heading("The decision boundaries"))
            let samples = zip(train.inputs, train.targets).map { DecisionRegionPlot.Sample(x: $0[0], y: $0[1], label: Int($1)) }
            func padded(_ v: [Double]) -> ClosedRange<Double> { Interval.padded(v, fraction: 0.25, minimum: 0.25, empty: 0...1) }
            let xRange = padded(data.inputs.map { $0[0] }), yRange = padded(data.inputs.map { $0[1] })
            for run in outcome.runs {
                let network = try NetworkTraining.function(run.final, activation: s.activation, biasColumn: true)
                let figure = DecisionRegionPlot(title: "\(run.name): test loss \(f(run.testLosses.last ?? .nan))", xAxis: Axis(data.inputNames[0]), yAxis: Axis(data.inputNames[1]),
                                                xRange: xRange, yRange: yRange, samples: samples) { x, y in network([x, y]) }
                figures.append(LessonFigure("regions-" + run.name, figure))
                blocks.append(.figure(try lesson.paper(figure), caption: "The \(run.name) network's output ŷ after \(s.steps) updates over the plane of all \(data.inputs.count) points (the same axes for the three runs), with the \(train.inputs.count) training points; \(figure.boundaryPhrase(drawn: "the line is ŷ = 0.5")), ringed points are misclassified."))
            }
        }
        blocks.append(.heading("What regularization did here"))
        if let text = lesson.narrative(.result) { blocks.append(.paragraph(text)) }
        blocks.append(.paragraph(comparison(outcome, in: lesson).joined(separator: " ")))
        if lesson.includes(.table) {
            blocks.append(.table(Report.Table(header: ["run", "train loss", "training points as labelled", "test loss", "test points right", "‖θ‖"], rows: outcome.runs.map { run in
                [run.name, f(run.trainLosses.last ?? .nan), "\(run.trainCorrect) of \(train.inputs.count)", f(run.testLosses.last ?? .nan), "\(run.testCorrect) of \(test.inputs.count)", f(run.norms.last ?? .nan)]
            })))
        }
        return (Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks), figures)
    }

    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        let f = { (x: Double) in NumberFormat.display(x) }
        var narration = lesson.introduction
        if let text = lesson.narrative(.intro) { narration.append(text) }
        narration.append("")
        narration.append("\(outcome.train.inputs.count) training points, \(outcome.test.inputs.count) test points; after \(lesson.settings.steps) updates:")
        for run in outcome.runs {
            narration.append("  \(run.name): train loss \(f(run.trainLosses.last ?? .nan)), test loss \(f(run.testLosses.last ?? .nan)), ‖θ‖ = \(f(run.norms.last ?? .nan))")
        }
        narration.append("")
        narration += comparison(outcome, in: lesson)
        return narration
    }
}
