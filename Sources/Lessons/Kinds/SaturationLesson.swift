import Foundation
import Render
import Sim

/// `kind: saturation`: why sigmoids stop learning. σ and σ′ with σ′ at −10, 0 and 10 (note 001); one
/// sigmoid neuron whose large weight saturates it so that ∂L/∂w nearly vanishes although its output is
/// wrong (note 004); tanh and ReLU beside it; a deep chain of sigmoid units whose gradient shrinks layer by
/// layer by the factor w·σ′(z) (note 003); and XOR training from weights that are too small, Xavier's and
/// too large (note 003's initialization exercise).
public enum SaturationLesson: DeclaredLessonKind {
    public static let name = "saturation"
    public static let description = "Saturated sigmoids: σ′, a neuron that stops learning, a deep chain whose gradient vanishes, and initialization scale."

    public struct Settings: LessonSettingsDeclaration {
        @Setting("weights", help: "the saturated neuron's weights w to tabulate (comma-separated)")
        public var weights: String = "0.5, 2, 5, 10"
        @Setting("x", help: "the neuron's (and the chain's) input")
        public var x: Double = 1
        @Setting("target", in: 0...1, help: "the neuron's target t in L = ½(σ(wx) − t)²")
        public var target: Double = 0
        @Setting("threshold", in: 1e-12...0.24, help: "σ′ below this counts as saturated (shaded in the figure)")
        public var threshold: Double = 0.01
        @Setting("depth", in: 2...200, help: "layers of the deep sigmoid chain")
        public var depth: Int = 10
        @Setting("chain-scale", in: .positive, help: "the chain's weights are drawn from N(0, s²)")
        public var chainScale: Double = 1
        @Setting("init-small", in: .positive, help: "σ of the too-small initialization N(0, σ²)")
        public var initSmall: Double = 0.01
        @Setting("init-large", in: .positive, help: "σ of the too-large initialization N(0, σ²)")
        public var initLarge: Double = 10
        @Setting("init-steps", in: 1...100_000, help: "XOR iterations (gradient descent, η = 1) from each initialization")
        public var initSteps: Int = 500

        public init() {}
    }

    public enum Section: String, LessonSection {
        case intro, neuron, deep, initialization
    }

    public enum Item: String, LessonReportItem {
        case sigmoid, derivatives, neuron, deep, initialization

        public var meaning: String {
            switch self {
            case .sigmoid: "σ and σ′ with the saturated regions shaded"
            case .derivatives: "σ′, tanh′ and ReLU′ side by side, and their values at −10, 0 and 10"
            case .neuron: "one sigmoid neuron: the loss and ∂L/∂w as its weight grows, and the table"
            case .deep: "|∂L/∂hₗ| and |∂L/∂wₗ| per layer of the deep chain, log scale, with the table of factors"
            case .initialization: "XOR's loss from too-small, Xavier and too-large initial weights, and the first step's gradients"
            }
        }
    }

    public static func check(_ settings: Settings) throws(LessonError) {
        do {
            _ = try parseWeights(settings.weights)
        } catch {
            throw LessonError(error.message, key: "settings.\(settings.$weights.name)")
        }
    }

    /// One neuron y = σ(w·x), L = ½(y − t)², through the engine: (z, y, ∂y/∂z, ∂L/∂w).
    static func neuron(w: Double, x: Double, target: Double) throws -> (z: Double, y: Double, slope: Double, gradient: Double) {
        let g = Graph()
        let xv = try g.input("x", Tensor(x)), wv = try g.parameter("w", Tensor(w))
        let z = try g.apply(Multiply(), [wv, xv], name: "z")
        let y = try g.apply(Sigmoid(), [z], name: "y")
        let t = try g.constant(Tensor(target), name: "t")
        let loss = try g.apply(SquaredError(), [y, t], name: "L")
        let gradients = try g.backward(from: loss)
        return (z.value.scalar ?? .nan, y.value.scalar ?? .nan, gradients.edge(from: y.id, input: 0)?.local?.scalar ?? .nan,
                gradients[wv.id]?.scalar ?? .nan)
    }

    /// The deep chain hₗ = σ(wₗ·hₗ₋₁), h₀ = x, L = ½(h_D − t)², as an engine graph.
    struct Chain {
        let graph: Graph
        let gradients: Gradients
        let weights: [Double]
        /// zₗ, hₗ, ∂L/∂hₗ and ∂L/∂wₗ for l = 1…depth.
        let z: [Double], h: [Double], hGradients: [Double], wGradients: [Double]
        /// ∂L/∂x = ∂L/∂h₀.
        let inputGradient: Double

        init(weights: [Double], x: Double, target: Double) throws {
            let g = Graph()
            var h = try g.input("x", Tensor(x))
            let input = h
            var zs: [Var] = [], hs: [Var] = [], ws: [Var] = []
            for (l, w) in weights.enumerated() {
                let wv = try g.parameter("w\(l + 1)", Tensor(w))
                let z = try g.apply(Multiply(), [wv, h], name: "z\(l + 1)")
                h = try g.apply(Sigmoid(), [z], name: "h\(l + 1)")
                ws.append(wv); zs.append(z); hs.append(h)
            }
            let loss = try g.apply(SquaredError(), [h, try g.constant(Tensor(target), name: "t")], name: "L")
            let gradients = try g.backward(from: loss)
            graph = g
            self.gradients = gradients
            self.weights = weights
            self.z = zs.map { $0.value.scalar ?? .nan }
            self.h = hs.map { $0.value.scalar ?? .nan }
            hGradients = hs.map { gradients[$0.id]?.scalar ?? 0 }
            wGradients = ws.map { gradients[$0.id]?.scalar ?? 0 }
            inputGradient = gradients[input.id]?.scalar ?? 0
        }
    }

    /// One XOR run from one initialization.
    struct InitRun {
        let name: String
        let losses: [Double]
        let firstGradients: NamedTensors
        /// The share of hidden activations (units × samples) with σ′ below the threshold, at the start.
        let saturated: Double
        let final: NamedTensors
        /// The loss at the final weights, after every update (`losses.last` is the loss before the last).
        let finalLoss: Double
        /// How many of XOR's four samples the final weights classify right.
        let correct: Int
    }

    static func parseWeights(_ text: String) throws(LessonError) -> [Double] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var values: [Double] = []
        for part in parts {
            guard let value = NumberText.parse(part) else {
                throw LessonError("“\(part)” is not a number (give weights as a comma-separated list, e.g. 0.5, 2, 5, 10)", key: Settings().$weights.name)
            }
            values.append(value)
        }
        guard !values.isEmpty, values.count <= 20 else { throw LessonError("give between 1 and 20 weights", key: Settings().$weights.name) }
        return values
    }

    /// The points σ′, tanh′ and ReLU′ are tabulated at.
    static let points: [Double] = [-10, 0, 10]

    /// The run's numbers: the neuron at each weight, the deep chain's forward and backward pass (the
    /// engine's graph of it), and the three XOR runs with what the engine recorded of them (the trace's
    /// runs and, with --step, their steps).
    public struct Outcome {
        let weights: [Double]
        let neurons: [(w: Double, z: Double, y: Double, slope: Double, gradient: Double)]
        let chainWeights: [Double]
        let chain: Chain
        let runs: [InitRun]
        let traceRuns: [TraceRun]
        let recorded: [LessonStep]
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        let weights = try parseWeights(s.weights)
        let (x, target, threshold, steps) = (s.x, s.target, s.threshold, s.initSteps)

        // One saturated neuron.
        let neurons: [(w: Double, z: Double, y: Double, slope: Double, gradient: Double)]
        do {
            neurons = try weights.map { w in let n = try neuron(w: w, x: x, target: target); return (w, n.z, n.y, n.slope, n.gradient) }
        } catch {
            throw LessonError("could not build the neuron's graph: \(error)")
        }

        // The deep chain.
        var generator = SeededGenerator(seed: lesson.seed)
        let chainWeights = (0..<s.depth).map { _ in s.chainScale * generator.gaussian() }
        let chain: Chain
        do {
            chain = try Chain(weights: chainWeights, x: x, target: target)
        } catch {
            throw LessonError("could not build the chain's graph: \(error)")
        }

        // Initialization scale on XOR.
        let data = DataSet.xor
        let X = data.matrix(biasColumn: true), Y = data.targetColumn
        let training = NetworkTraining(inputs: X, targets: Y, activation: .sigmoid)
        let inits: [(String, Initializer)] = [("too small N(0, \(NumberFormat.display(s.initSmall))²)", .normal(s.initSmall)),
                                             ("Xavier N(0, 2/(fan-in + fan-out))", .xavierNormal),
                                             ("too large N(0, \(NumberFormat.display(s.initLarge))²)", .normal(s.initLarge))]
        var runs: [InitRun] = []
        // With --step: each initialization is a run, its iterations numbered on from the runs before it.
        var recorded: [LessonStep] = []
        var traceRuns: [TraceRun] = []
        do {
            for (i, (name, initializer)) in inits.enumerated() {
                var recording = lesson.stepsInDetail ? StepRecording(iterations: steps, optimizer: .gd, offset: i * steps, run: name) : nil
                var generator = SeededGenerator(seed: lesson.seed)
                let initial: NamedTensors = ["W1": try initializer.tensor(shape: [3, 4], using: &generator), "W2": try initializer.tensor(shape: [4, 1], using: &generator)]
                var recorder = lesson.recorder("init-\(["small", "xavier", "large"][i])", settings: ["initialization": .string(name)],
                                               initial: initial, iterations: steps)
                recording?.note("\(name) start: W1 = \(GraphWalkthrough.show(try initial.required("W1", in: "the start"))), W2 = \(GraphWalkthrough.show(try initial.required("W2", in: "the start")))",
                                values: initial.entries.map { StepValue($0.name, $0.value, .value) })
                var losses: [Double] = [], firstGradients = NamedTensors(), saturated = 0.0
                let final = try training.train(from: initial, optimizer: GradientDescent(OptimizerSettings(learningRate: 1)), steps: steps) { step, iteration in
                    losses.append(iteration.loss)
                    recording?.record(step, graph: iteration.graph, gradients: iteration.gradients, loss: iteration.loss, update: iteration.update)
                    recorder.record(step, graph: iteration.graph, gradients: iteration.gradients, samples: iteration.samples,
                                    loss: iteration.loss, update: iteration.update)
                    if step == 1 {
                        firstGradients = iteration.update.gradients
                        let h = iteration.graph.node(named: "h")?.value.scalars ?? []
                        saturated = Double(h.filter { $0 * (1 - $0) < threshold }.count) / Double(max(h.count, 1))
                    }
                }
                let evaluation = try NetworkTraining.evaluate(final, on: data, activation: .sigmoid, biasColumn: true)
                recorded += recording?.steps ?? []
                recorder.run.summary = ["saturated": .number(saturated), "loss": .number(evaluation.loss), "correct": .integer(evaluation.correct)]
                traceRuns.append(recorder.run)
                runs.append(InitRun(name: name, losses: losses, firstGradients: firstGradients, saturated: saturated, final: final,
                                    finalLoss: evaluation.loss, correct: evaluation.correct))
            }
        } catch {
            throw LessonError("XOR training failed: \(error)")
        }
        return Outcome(weights: weights, neurons: neurons, chainWeights: chainWeights, chain: chain, runs: runs, traceRuns: traceRuns, recorded: recorded)
    }

    static func slope(_ f: any ElementwiseFunction, _ x: Double) -> Double { f.derivative(x, f.value(x)) }

    /// ‖t‖, the Frobenius norm of a gradient.
    static func norm(_ t: Tensor?) -> Double { (t?.scalars ?? []).reduce(0) { $0 + $1 * $1 }.squareRoot() }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let chain = outcome.chain
        let summary = ["σ′(0) = \(NumberFormat.display(slope(Sigmoid(), 0))), σ′(±10) = \(NumberFormat.display(slope(Sigmoid(), 10))); over \(lesson.settings.depth) sigmoid layers the gradient shrinks by \(NumberFormat.display(abs((chain.hGradients.first ?? .nan) / (chain.hGradients.last ?? .nan))))"]
        let (report, figures) = try report(outcome, in: lesson)
        return LessonResult(narration: narration(outcome, in: lesson), summary: summary, steps: steps(outcome, in: lesson), report: report,
                            figures: figures, trace: trace(outcome, in: lesson))
    }

    /// The neuron's forward and backward step at each weight, the chain's backward messages, then the
    /// XOR runs (with --step their iterations, else a line each).
    static func steps(_ outcome: Outcome, in lesson: Lesson<Self>) -> [LessonStep] {
        let s = lesson.settings
        let chain = outcome.chain
        var steplist: [LessonStep] = []
        for n in outcome.neurons {
            steplist.append(LessonStep(.forward, "w = \(NumberFormat.display(n.w)): z = \(NumberFormat.display(n.z)), y = σ(z) = \(NumberFormat.display(n.y))"))
            steplist.append(LessonStep(.backward, "∂L/∂w = (y − t)·σ′(z)·x = \(NumberFormat.display(n.y - s.target)) · \(NumberFormat.display(n.slope)) · \(NumberFormat.display(s.x)) = \(NumberFormat.display(n.gradient))"))
        }
        for l in stride(from: s.depth - 1, through: 0, by: -1) {
            let sp = chain.h[l] * (1 - chain.h[l])
            steplist.append(LessonStep(.backward, "layer \(l + 1): ∂L/∂h\(l) = ∂L/∂h\(l + 1) · w\(l + 1)·σ′(z\(l + 1)) = \(NumberFormat.display(chain.hGradients[l])) · \(NumberFormat.display(chain.weights[l] * sp)) = \(NumberFormat.display(l > 0 ? chain.hGradients[l - 1] : chain.inputGradient))"))
        }
        steplist += outcome.recorded
        for run in outcome.runs where !lesson.stepsInDetail {
            steplist.append(LessonStep(.update, "\(run.name): L = \(NumberFormat.display(run.losses.first ?? .nan)) at step 1, ‖∂L/∂W1‖ = \(NumberFormat.display(norm(run.firstGradients["W1"]))), ‖∂L/∂W2‖ = \(NumberFormat.display(norm(run.firstGradients["W2"]))); L = \(NumberFormat.display(run.finalLoss)) after \(s.initSteps) steps"))
        }
        return steplist
    }

    /// The report's blocks and the figures written beside it.
    static func report(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> (Report, [LessonFigure]) {
        let s = lesson.settings
        let (x, target, threshold, depth, chain) = (s.x, s.target, s.threshold, s.depth, outcome.chain)
        let sigmoid = Sigmoid(), tanhf = Tanh(), relu = ReLU()
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }

        // σ, σ′ and the other activations.
        if lesson.includes(.sigmoid) {
            let figure = FunctionPlot(title: "σ(x) and σ′(x) = σ(x)(1 − σ(x))", xAxis: Axis("x"), yAxis: Axis("", range: -0.05...1.05), range: -10...10,
                                      functionName: "σ(x)", derivativeName: "σ′(x)", saturationThreshold: threshold,
                                      function: { Sigmoid().value($0) }, derivative: { x in let y = Sigmoid().value(x); return y * (1 - y) })
            figures.append(LessonFigure("sigmoid", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "σ′ is at most ¼ (at x = 0); where it is below \(NumberFormat.display(threshold)) (shaded, |x| > \(NumberFormat.display(log((1 - 2 * threshold + (1 - 4 * threshold).squareRoot()) / (2 * threshold))))) the unit is saturated."))
        }
        if lesson.includes(.derivatives) {
            let xs = (0...400).map { -6 + 12 * Double($0) / 400 }
            let figure = LinePlot(title: "Derivatives of σ, tanh and ReLU", xAxis: Axis("x", range: -6...6), yAxis: Axis("f′(x)", range: -0.05...1.1), series: [
                LinePlot.Series(name: "σ′", x: xs, y: xs.map { slope(sigmoid, $0) }),
                LinePlot.Series(name: "tanh′", x: xs, y: xs.map { slope(tanhf, $0) }),
                LinePlot.Series(name: "ReLU′", x: xs, y: xs.map { slope(relu, $0) }),
            ])
            figures.append(LessonFigure("derivatives", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "tanh′ peaks at 1 but saturates like σ′; ReLU′ is 1 for every positive input and never saturates there (and is 0 for negative ones)."))
            blocks.append(.table(Report.Table(header: ["x", "σ(x)", "σ′(x)", "tanh′(x)", "ReLU′(x)"], rows: points.map { p in
                [NumberFormat.display(p), NumberFormat.display(sigmoid.value(p)), NumberFormat.display(slope(sigmoid, p)),
                 NumberFormat.display(slope(tanhf, p)), NumberFormat.display(slope(relu, p))]
            })))
        }

        // One saturated neuron.
        blocks.append(.heading("A saturated neuron"))
        if let text = lesson.narrative(.neuron) { blocks.append(.paragraph(text)) }
        blocks.append(.formula("y = σ(w·x),  L = ½(y − t)²,  ∂L/∂w = (y − t)·σ′(w·x)·x   with x = \(NumberFormat.display(x)), t = \(NumberFormat.display(target))"))
        if lesson.includes(.neuron) {
            blocks.append(.table(Report.Table(header: ["w", "z = w·x", "y = σ(z)", "L", "σ′(z)", "∂L/∂w"], rows: outcome.neurons.map { n in
                [NumberFormat.display(n.w), NumberFormat.display(n.z), NumberFormat.display(n.y), NumberFormat.display(0.5 * (n.y - target) * (n.y - target)),
                 NumberFormat.display(n.slope), NumberFormat.display(n.gradient)]
            })))
            let top = max(outcome.weights.map(abs).max() ?? 10, 1) * 1.2
            let ws = (0...300).map { top * Double($0) / 300 }
            let curves = ws.map { w -> (Double, Double) in
                let y = Sigmoid().value(w * x)
                return (0.5 * (y - target) * (y - target), abs((y - target) * y * (1 - y) * x))
            }
            let figure = LinePlot(title: "One neuron: loss and gradient as w grows", xAxis: Axis("w", range: 0...top), yAxis: Axis("", scale: .log), series: [
                LinePlot.Series(name: "L = ½(σ(wx) − t)²", x: ws, y: curves.map(\.0)),
                LinePlot.Series(name: "|∂L/∂w|", x: ws, y: curves.map(\.1)),
            ])
            figures.append(LessonFigure("neuron", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "As w grows the output σ(wx) moves to the wrong end and the loss stays large, but the gradient that should correct it falls with σ′ (note 004: the unit is virtually insensitive to changes in w)."))
        }

        // The deep chain.
        blocks.append(.heading("A deep sigmoid chain"))
        if let text = lesson.narrative(.deep) { blocks.append(.paragraph(text)) }
        blocks.append(.formula("∂L/∂hₗ₋₁ = ∂L/∂hₗ · wₗ·σ′(zₗ),   so  ∂L/∂hₗ = ∂L/∂h_D · Πₖ₌ₗ₊₁…D wₖσ′(zₖ),   |wσ′(z)| ≤ |w|/4"))
        if lesson.includes(.deep) {
            let layers = (1...depth).map(Double.init)
            let figure = LinePlot(title: "Gradient magnitude per layer, \(depth) sigmoid layers", xAxis: Axis("layer l", range: 1...Double(depth)), yAxis: Axis("magnitude", scale: .log), series: [
                LinePlot.Series(name: "|∂L/∂hₗ|", x: layers, y: chain.hGradients.map(abs), markers: true),
                LinePlot.Series(name: "|∂L/∂wₗ|", x: layers, y: chain.wGradients.map(abs), markers: true),
            ])
            figures.append(LessonFigure("deep", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "Going back from layer \(depth) to layer 1 the gradient is multiplied by wₗσ′(zₗ) at every layer; with σ′ ≤ ¼ it falls from \(NumberFormat.display(abs(chain.hGradients.last ?? .nan))) to \(NumberFormat.display(abs(chain.hGradients.first ?? .nan))): the first layers hardly learn."))
            blocks.append(.table(Report.Table(header: ["layer l", "wₗ", "zₗ", "σ′(zₗ)", "factor wₗσ′(zₗ)", "∂L/∂hₗ", "∂L/∂wₗ"], rows: (0..<depth).map { l in
                let sp = chain.h[l] * (1 - chain.h[l])
                return [String(l + 1), NumberFormat.display(chain.weights[l]), NumberFormat.display(chain.z[l]), NumberFormat.display(sp),
                        NumberFormat.display(chain.weights[l] * sp), NumberFormat.display(chain.hGradients[l]), NumberFormat.display(chain.wGradients[l])]
            })))
        }

        // Initialization scale on XOR.
        blocks.append(.heading("Initialization scale"))
        if let text = lesson.narrative(.initialization) { blocks.append(.paragraph(text)) }
        if lesson.includes(.initialization) {
            let figure = LinePlot(title: "XOR loss from three initial scales", xAxis: Axis("iteration"), yAxis: Axis("loss ½Σ(y − ŷ)²", scale: .log), series: outcome.runs.map { run in
                LinePlot.Series(name: run.name, x: run.losses.indices.map { Double($0 + 1) }, y: run.losses)
            })
            figures.append(LessonFigure("initialization", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "Note 001's XOR network (3-4-1 with the bias column, sigmoid units, gradient descent with η = 1) from the same draws at three scales."))
            blocks.append(.table(Report.Table(header: ["initial weights", "L at step 1", "‖∂L/∂W1‖", "‖∂L/∂W2‖", "saturated hidden (σ′ < \(NumberFormat.display(threshold)))", "L after \(s.initSteps)", "correct of 4"], rows: outcome.runs.map { run in
                [run.name, NumberFormat.display(run.losses.first ?? .nan), NumberFormat.display(norm(run.firstGradients["W1"])), NumberFormat.display(norm(run.firstGradients["W2"])),
                 "\(NumberFormat.display(100 * run.saturated))%", NumberFormat.display(run.finalLoss), String(run.correct)]
            })))
        }
        return (Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks), figures)
    }

    /// What the terminal prints: σ′ at three points, the neuron's gradients, the chain, the XOR runs.
    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        let s = lesson.settings
        let chain = outcome.chain
        let sigmoid = Sigmoid(), tanhf = Tanh(), relu = ReLU()
        var narration = lesson.introduction
        if let text = lesson.narrative(.intro) { narration.append(text) }
        narration.append("σ′ at x = −10, 0, 10: \(points.map { NumberFormat.display(slope(sigmoid, $0)) }.joined(separator: ", ")) (tanh′: \(points.map { NumberFormat.display(slope(tanhf, $0)) }.joined(separator: ", ")); ReLU′: \(points.map { NumberFormat.display(slope(relu, $0)) }.joined(separator: ", ")))")
        narration.append("A neuron y = σ(w·\(NumberFormat.display(s.x))) with target \(NumberFormat.display(s.target)): " + outcome.neurons.map { "w = \(NumberFormat.display($0.w)) gives ∂L/∂w = \(NumberFormat.display($0.gradient))" }.joined(separator: "; "))
        narration.append("A chain of \(s.depth) sigmoid units: |∂L/∂h| falls from \(NumberFormat.display(abs(chain.hGradients.last ?? .nan))) at layer \(s.depth) to \(NumberFormat.display(abs(chain.hGradients.first ?? .nan))) at layer 1")
        for run in outcome.runs where !lesson.stepsInDetail {
            narration.append("  \(run.name): ‖∂L/∂W1‖ = \(NumberFormat.display(norm(run.firstGradients["W1"]))) at the start, \(NumberFormat.display(100 * run.saturated))% of hidden units saturated; L = \(NumberFormat.display(run.finalLoss)) after \(s.initSteps) steps, \(run.correct) of 4 correct")
        }
        return narration
    }

    /// The σ′ values and the neuron's gradients as the summary; the chain as a run of one step (its
    /// forward and backward pass) before the three XOR runs.
    static func trace(_ outcome: Outcome, in lesson: Lesson<Self>) -> Trace {
        let chain = outcome.chain
        var summary = NamedValues<TraceValue>()
        // Keys are plain ASCII (docs/trace-format.md): the point as Swift writes it, with a hyphen-minus.
        for p in points { summary.append("sigmoid-slope-at-\(p == p.rounded() && abs(p) < 1e15 ? String(Int(p)) : String(p))", .number(slope(Sigmoid(), p))) }
        for (i, n) in outcome.neurons.enumerated() { summary.append("neuron-\(i + 1)-gradient", .number(n.gradient)) }
        var chainInitial = NamedTensors()
        for (l, w) in outcome.chainWeights.enumerated() { chainInitial.append("w\(l + 1)", Tensor(w)) }
        let chainRun = TraceRun(name: "chain", settings: ["depth": .integer(lesson.settings.depth)], initial: chainInitial,
                                steps: [TraceStep(step: 1, graph: chain.graph, gradients: chain.gradients)],
                                summary: ["first-layer-gradient": .number(chain.hGradients.first ?? .nan), "last-layer-gradient": .number(chain.hGradients.last ?? .nan)])
        return lesson.trace(runs: [chainRun] + outcome.traceRuns, summary: summary)
    }

}
