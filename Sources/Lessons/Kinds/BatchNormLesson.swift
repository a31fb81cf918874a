import Foundation
import Render
import Sim

/// `kind: batchnorm`: note 001's batch normalization (mini-batch mean, variance, normalize, scale and
/// shift) forward and backward for one mini-batch, every value, its gradients checked by central
/// differences; then a deep sigmoid network trained from the same seeded start with and without it.
public enum BatchNormLesson: DeclaredLessonKind {
    public static let name = "batchnorm"
    public static let description = "Batch normalization of one mini-batch, forward and backward with every value, and a deep sigmoid network trained with and without it."

    public struct Settings: LessonSettingsDeclaration {
        @Setting("batch", help: "the mini-batch X, m samples × n features: rows separated by ; and entries by commas")
        public var batch: String = "1, 5; 2, -1; 3, 0; 6, 2"
        @Setting("gamma", help: "γ, one scale per feature, separated by commas")
        public var gamma: String = "1.5, 0.5"
        @Setting("beta", help: "β, one shift per feature, separated by commas")
        public var beta: String = "0, 1"
        @Setting("targets", help: "T, the targets of L = ½‖y − T‖² that give the backward pass its upstream gradient (the batch's shape)")
        public var targets: String = "0, 1; 1, 0; 0, 0; 1, 1"
        @Setting("epsilon", in: 1e-12...1, help: "ε in x̂ = (x − μ)/√(σ² + ε), above 0 so that a constant feature (σ² = 0) stays finite")
        public var epsilon: Double = 1e-5
        @Setting("difference-step", in: 1e-12...1, help: "the step of the central differences in the gradient check")
        public var differenceStep: Double = 1e-6
        @Setting("data", oneOf: DataSet.classification.map(\.name), help: "the deep network's data: a built-in set, every row in each mini-batch")
        public var data: String = "xor"
        @Setting("depth", in: 1...20, help: "hidden layers of the deep sigmoid network")
        public var depth: Int = 6
        @Setting("width", in: 1...32, help: "units per hidden layer")
        public var width: Int = 4
        @Setting("steps", in: 1...20_000, help: "gradient descent steps for each network")
        public var steps: Int = 1000
        @Setting("learning-rate", in: .positive, help: "η of both networks' gradient descent")
        public var learningRate: Double = 0.5
        @Setting("init-scale", in: 0...100, help: "σ of the normal weights both networks start from (the same draw)")
        public var initScale: Double = 1

        public init() {}
    }

    public enum Section: String, LessonSection {
        case intro, forward, backward, check, training
    }

    public enum Item: String, LessonReportItem {
        case statistics
        case backwardTable = "backward-table"
        case gradientCheck = "gradient-check"
        case lossCurves = "loss-curves"
        case layerGradients = "layer-gradients"

        public var meaning: String {
            switch self {
            case .statistics: "the mini-batch's μ and σ² per feature, and every xᵢ, x̂ᵢ and yᵢ"
            case .backwardTable: "∂L/∂y, ∂L/∂x, ∂L/∂γ and ∂L/∂β for every entry"
            case .gradientCheck: "central differences beside the backward pass for every entry of x, γ and β"
            case .lossCurves: "the deep sigmoid network's loss per step, with and without batch normalization"
            case .layerGradients: "the size ‖∂L/∂W‖ of each layer's weight gradient at the first step, with and without"
            }
        }
    }

    struct Batch {
        let x: Tensor, gamma: Tensor, beta: Tensor, targets: Tensor
    }

    static func batch(_ s: Settings) throws(LessonError) -> Batch {
        let x = try MLPLesson.matrix(s.batch, key: s.$batch.name), t = try MLPLesson.matrix(s.targets, key: s.$targets.name)
        let gamma = try MLPLesson.matrix(s.gamma, key: s.$gamma.name), beta = try MLPLesson.matrix(s.beta, key: s.$beta.name)
        let n = x[0].count
        guard x.count >= 2 else { throw LessonError("a mini-batch needs at least 2 samples (rows) to have a variance", key: s.$batch.name) }
        guard x.count * n <= 64 else { throw LessonError("the batch has \(x.count * n) entries; this lesson shows every value, for at most 64", key: s.$batch.name) }
        guard gamma.count == 1, gamma[0].count == n else { throw LessonError("give one γ per feature (\(n)), separated by commas", key: s.$gamma.name) }
        guard beta.count == 1, beta[0].count == n else { throw LessonError("give one β per feature (\(n)), separated by commas", key: s.$beta.name) }
        guard t.count == x.count, t[0].count == n else { throw LessonError("the targets must have the batch's shape, \(x.count)×\(n)", key: s.$targets.name) }
        do {
            return Batch(x: try Tensor(rows: x), gamma: Tensor(vector: gamma[0]), beta: Tensor(vector: beta[0]), targets: try Tensor(rows: t))
        } catch {
            throw LessonError("\(error)", key: s.$batch.name)
        }
    }

    public static func check(_ settings: Settings) throws(LessonError) { _ = try batch(settings) }

    /// Without the trace each network keeps a loss per step; with it, every step keeps the network's
    /// parameters and gradients (about 16 bytes per parameter) for both networks.
    public static func estimate(_ s: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let parameters = Double(2 * s.width + (s.depth - 1) * s.width * s.width + 3 * s.depth * s.width + s.width + 1)
        var bytes = Double(s.steps) * 2 * 100
        if recordsSteps { bytes += Double(s.steps) * 2 * (parameters * 16 + 500) }
        return LessonEstimate(bytes: bytes, settings: [s.$steps, s.$depth, s.$width])
    }

    /// L = ½‖BN(X; γ, β) − T‖² on `g`.
    static func batchLoss(on g: Graph, _ v: [String: Var], targets: Tensor, epsilon: Double) throws -> Var {
        guard let x = v["X"], let gamma = v["γ"], let beta = v["β"] else { throw LessonError("the batch's graph misses X, γ or β") }
        let y = try g.apply(BatchNorm(epsilon: epsilon), [x, gamma, beta], name: "y")
        return try g.apply(SquaredError(), [y, try g.input("T", targets)], name: "L")
    }

    /// One network's training: its loss per step and each layer's ‖∂L/∂W‖ at the first step.
    struct Training {
        var losses: [Double] = []
        var firstGradientNorms: [Double] = []
        /// The trace's run, its steps recorded while training (each iteration's graph exists only then).
        var run: TraceRun
    }

    /// The deep network's forward pass: h = σ(hW + b), or σ(BN(hW; γ, β)) with batch normalization
    /// (where β does b's work), then the output p = σ(hW_out + b_out) with the binary cross-entropy.
    static func deepLoss(on g: Graph, _ p: NamedTensors, x: Tensor, y: Tensor, depth: Int, normalized: Bool) throws -> (Var, [String: Var]) {
        var vars: [String: Var] = [:]
        for (name, value) in p.entries { vars[name] = try g.parameter(name, value) }
        func v(_ name: String) throws -> Var {
            guard let found = vars[name] else { throw LessonError("the network has no '\(name)'") }
            return found
        }
        var h = try g.input("X", x)
        for l in 1...depth {
            let a = try g.apply(MatMul(), [h, try v("W\(l)")], name: "a\(l)")
            let pre = normalized ? try g.apply(BatchNorm(), [a, try v("γ\(l)"), try v("β\(l)")], name: "n\(l)") : try g.apply(Add(), [a, try v("b\(l)")], name: "n\(l)")
            h = try g.apply(Sigmoid(), [pre], name: "h\(l)")
        }
        let logits = try g.apply(Add(), [try g.apply(MatMul(), [h, try v("Wout")], name: "aout"), try v("bout")], name: "z")
        return (try g.apply(BinaryCrossEntropyWithLogits(), [logits, try g.input("Y", y)], name: "L"), vars)
    }

    static func train(_ s: Settings, seed: UInt64, normalized: Bool, recorder: TraceRecorder, records: Bool) throws -> Training {
        guard let data = DataSet.classification.first(where: { $0.name == s.data }) else { throw LessonError("no data set '\(s.data)'", key: s.$data.name) }
        let x = try Tensor(rows: data.inputs), y = Tensor(column: data.targets)
        var generator = SeededGenerator(seed: seed)
        var p = NamedTensors()
        var fanIn = data.inputs[0].count
        for l in 1...s.depth {
            p.append("W\(l)", try Initializer.normal(s.initScale).tensor(shape: [fanIn, s.width], using: &generator))
            fanIn = s.width
        }
        p.append("Wout", try Initializer.normal(s.initScale).tensor(shape: [fanIn, 1], using: &generator))
        // The same weights for both networks; then b (plain) or γ = 1, β = 0 (normalized).
        for l in 1...s.depth {
            if normalized {
                p.append("γ\(l)", Tensor(vector: Array(repeating: 1, count: s.width)))
                p.append("β\(l)", Tensor(vector: Array(repeating: 0, count: s.width)))
            } else {
                p.append("b\(l)", Tensor(vector: Array(repeating: 0, count: s.width)))
            }
        }
        p.append("bout", Tensor(vector: [0]))
        var optimizer = GradientDescent(OptimizerSettings(learningRate: s.learningRate))
        var training = Training(run: recorder.run)
        for step in 0..<s.steps {
            let g = Graph()
            let (loss, vars) = try deepLoss(on: g, p, x: x, y: y, depth: s.depth, normalized: normalized)
            let gradients = try g.backward(from: loss)
            let value = loss.value.scalar ?? .nan
            training.losses.append(value)
            var grads = NamedTensors()
            for (name, _) in p.entries {
                guard let v = vars[name], let gradient = gradients[v.id] else { throw LessonError("no gradient for '\(name)'") }
                grads.append(name, gradient)
            }
            if step == 0 {
                training.firstGradientNorms = try (1...s.depth).map { l throws in
                    guard let gw = grads["W\(l)"] else { throw LessonError("no gradient for 'W\(l)'") }
                    return gw.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot()
                }
            }
            if records {
                training.run.steps.append(TraceStep(step: step + 1, graph: g, gradients: gradients, loss: value, params: p, grads: grads,
                                                    detailed: recorder.isDetailed(step + 1)))
            }
            p = optimizer.step(p, gradients: grads).parameters
        }
        let g = Graph()
        training.losses.append(try deepLoss(on: g, p, x: x, y: y, depth: s.depth, normalized: normalized).0.value.scalar ?? .nan)
        return training
    }

    public struct Outcome {
        let batch: Batch
        let statistics: BatchNorm.Statistics
        let graph: Graph
        let gradients: Gradients
        let output: Tensor
        let named: [String: NodeID]
        let check: [GradientCheck.Entry]
        let plain: Training
        let normalized: Training
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        let b = try batch(s)
        do {
            let g = Graph()
            let vars = ["X": try g.input("X", b.x), "γ": try g.parameter("γ", b.gamma), "β": try g.parameter("β", b.beta)]
            let loss = try batchLoss(on: g, vars, targets: b.targets, epsilon: s.epsilon)
            let gradients = try g.backward(from: loss)
            let y = g.nodes.first { $0.name == "y" }
            var named: [String: NodeID] = [:]
            for (name, v) in vars { named[name] = v.id }
            if let y { named["y"] = y.id }
            let check = try GradientCheck.run(at: ["X": b.x, "γ": b.gamma, "β": b.beta], step: s.differenceStep) { graph, inputs in
                try batchLoss(on: graph, inputs, targets: b.targets, epsilon: s.epsilon)
            }
            return Outcome(batch: b, statistics: try BatchNorm(epsilon: s.epsilon).statistics(b.x), graph: g, gradients: gradients,
                           output: y?.value ?? Tensor(0), named: named, check: check.entries,
                           plain: try train(s, seed: lesson.seed, normalized: false, recorder: deepRecorder("without", in: lesson), records: lesson.recordsSteps),
                           normalized: try train(s, seed: lesson.seed, normalized: true, recorder: deepRecorder("with", in: lesson), records: lesson.recordsSteps))
        } catch let error as LessonError {
            throw error
        } catch {
            throw LessonError("could not compute the lesson: \(error)")
        }
    }

    static func gradient(_ name: String, _ o: Outcome) throws(LessonError) -> Tensor {
        guard let id = o.named[name], let g = o.gradients[id] else { throw LessonError("the backward pass gave no gradient for '\(name)'") }
        return g
    }

    /// What the training showed, computed from the two runs.
    static func trainingFindings(_ o: Outcome, in lesson: Lesson<Self>) -> [String] {
        let s = lesson.settings
        let (a, b) = (o.plain.losses.last ?? .nan, o.normalized.losses.last ?? .nan)
        var lines = ["After \(s.steps) steps of gradient descent (η = \(NumberFormat.display(s.learningRate))) on \(s.data), from the same weights (seed \(lesson.seed)), "
                     + "the loss is \(NumberFormat.display(a)) without and \(NumberFormat.display(b)) with batch normalization (\(NumberFormat.display(o.plain.losses.first ?? .nan)) at the start without it)."]
        if let data = DataSet.classification.first(where: { $0.name == s.data }) {
            let chance = Double(data.inputs.count) * log(2.0)
            if abs(a - chance) < 1e-3 * chance {
                lines.append("Without it the loss is within 0.1% of \(data.inputs.count)·ln 2 = \(NumberFormat.display(chance)), the loss of answering p = ½ for every sample.")
            }
        }
        if a.isFinite && b.isFinite {
            lines.append(b < a ? "With batch normalization it ends lower, by a factor of \(NumberFormat.display(a / max(b, .leastNormalMagnitude)))."
                               : "Here batch normalization does not end lower; this depends on the seed, the depth and η.")
        }
        if let p1 = o.plain.firstGradientNorms.first, let n1 = o.normalized.firstGradientNorms.first, p1 > 0, n1 > 0 {
            lines.append("At the first step ‖∂L/∂W1‖ is \(NumberFormat.display(p1)) without and \(NumberFormat.display(n1)) with it; "
                         + "the last layer's is \(NumberFormat.display(o.plain.firstGradientNorms.last ?? .nan)) and \(NumberFormat.display(o.normalized.firstGradientNorms.last ?? .nan)).")
        }
        return lines
    }

    static func show(_ t: Tensor) -> String { MLPLesson.show(t) }

    /// `∂L/∂X[2, 1]` for an entry of the batch, `∂L/∂γ[1]` for one of γ or β, counted from 1.
    static func entryName(_ entry: GradientCheck.Entry, _ o: Outcome) -> String {
        guard entry.name == "X" else { return "∂L/∂\(entry.name)[\(entry.index + 1)]" }
        let columns = max(1, o.batch.x.shape.last ?? 1)
        return "∂L/∂X[\(entry.index / columns + 1), \(entry.index % columns + 1)]"
    }

    public static func present(_ o: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let s = o.statistics
        let summary = ["μ = \(NumberFormat.tuple(s.mean)), σ² = \(NumberFormat.tuple(s.variance)), ∂L/∂γ = \(NumberFormat.tuple(try gradient("γ", o).scalars)), ∂L/∂β = \(NumberFormat.tuple(try gradient("β", o).scalars))",
                       try MLPLesson.checkSentence(o.check, step: lesson.settings.differenceStep) { entryName($0, o) }]
            + trainingFindings(o, in: lesson)
        let walkthrough = GraphWalkthrough(graph: o.graph, gradients: o.gradients)
        var figures: [LessonFigure] = []
        let lossFigure = LinePlot(title: "A deep sigmoid network (\(lesson.settings.depth) hidden layers): loss per step", xAxis: Axis("step"), yAxis: Axis("loss L", scale: .log), series: [
            LinePlot.Series(name: "without batch normalization", x: o.plain.losses.indices.map(Double.init), y: o.plain.losses),
            LinePlot.Series(name: "with batch normalization", x: o.normalized.losses.indices.map(Double.init), y: o.normalized.losses),
        ])
        if lesson.includes(.lossCurves) { figures.append(LessonFigure("loss", lossFigure)) }
        return LessonResult(narration: try narration(o, walkthrough: walkthrough, in: lesson), summary: summary, steps: walkthrough.lessonSteps(graph: o.graph),
                            report: try report(o, lossFigure: lossFigure, in: lesson), figures: figures, trace: trace(o, in: lesson))
    }

    static func rows(_ o: Outcome) throws(LessonError) -> [[String]] {
        let (x, xhat, y) = (o.batch.x.rows, o.statistics.normalized.rows, o.output.rows)
        return x.indices.map { i in [String(i + 1), NumberFormat.tuple(x[i]), NumberFormat.tuple(xhat[i]), NumberFormat.tuple(y[i])] }
    }

    static func narration(_ o: Outcome, walkthrough w: GraphWalkthrough, in lesson: Lesson<Self>) throws(LessonError) -> [String] {
        var lines = lesson.introduction
        if let text = lesson.narrative(.intro) { lines.append(text) }
        let s = o.statistics
        lines.append("")
        lines.append("Forward: X = \(show(o.batch.x)), γ = \(show(o.batch.gamma)), β = \(show(o.batch.beta)), ε = \(NumberFormat.display(lesson.settings.epsilon))")
        if let text = lesson.narrative(.forward) { lines.append(text) }
        lines.append("  μ = \(NumberFormat.tuple(s.mean)) (mini-batch mean), σ² = \(NumberFormat.tuple(s.variance)) (mini-batch variance)")
        for row in try rows(o) { lines.append("  x\(row[0]) = \(row[1]) → x̂ = \(row[2]) → y = γx̂ + β = \(row[3])") }
        lines.append("")
        lines.append("Backward, from L = ½‖y − T‖², T = \(show(o.batch.targets))")
        if let text = lesson.narrative(.backward) { lines.append(text) }
        lines.append("  ∂L/∂y = \(show(try gradient("y", o))), ∂L/∂X = \(show(try gradient("X", o)))")
        lines.append("  ∂L/∂γ = \(NumberFormat.tuple(try gradient("γ", o).scalars)), ∂L/∂β = \(NumberFormat.tuple(try gradient("β", o).scalars))")
        lines.append("")
        lines.append("Gradient check")
        if let text = lesson.narrative(.check) { lines.append(text) }
        lines += o.check.map { "  \(entryName($0, o)): backward \(NumberFormat.display($0.analytic)), central difference \(NumberFormat.display($0.numeric))" }
        lines.append("")
        lines.append("Training")
        if let text = lesson.narrative(.training) { lines.append(text) }
        lines += trainingFindings(o, in: lesson).map { "  " + $0 }
        return lines
    }

    static func report(_ o: Outcome, lossFigure: LinePlot, in lesson: Lesson<Self>) throws(LessonError) -> Report {
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }
        let s = o.statistics
        blocks.append(.heading("Forward: one mini-batch"))
        if let text = lesson.narrative(.forward) { blocks.append(.paragraph(text)) }
        blocks.append(.formula("γ = \(NumberFormat.tuple(o.batch.gamma.scalars)),   β = \(NumberFormat.tuple(o.batch.beta.scalars)),   ε = \(NumberFormat.display(lesson.settings.epsilon))"))
        if lesson.includes(.statistics) {
            blocks.append(.table(Report.Table(header: ["feature", "μ (mini-batch mean)", "σ² (mini-batch variance)", "√(σ² + ε)"], rows: s.mean.indices.map { k in
                [String(k + 1), NumberFormat.display(s.mean[k]), NumberFormat.display(s.variance[k]), NumberFormat.display((s.variance[k] + lesson.settings.epsilon).squareRoot())]
            })))
            blocks.append(.table(Report.Table(header: ["sample i", "xᵢ", "x̂ᵢ = (xᵢ − μ)/√(σ² + ε)", "yᵢ = γx̂ᵢ + β"], rows: try rows(o))))
        }
        blocks.append(.heading("Backward"))
        if let text = lesson.narrative(.backward) { blocks.append(.paragraph(text)) }
        if lesson.includes(.backwardTable) {
            let (dy, dx) = (try gradient("y", o).rows, try gradient("X", o).rows)
            blocks.append(.formula("L = ½‖y − T‖²,   T = \(show(o.batch.targets))"))
            blocks.append(.table(Report.Table(header: ["sample i", "∂L/∂yᵢ = yᵢ − Tᵢ", "∂L/∂xᵢ"], rows: dy.indices.map { i in
                [String(i + 1), NumberFormat.tuple(dy[i]), NumberFormat.tuple(dx[i])]
            })))
            blocks.append(.formula("∂L/∂γ = Σᵢ ∂L/∂yᵢ ⊙ x̂ᵢ = \(NumberFormat.tuple(try gradient("γ", o).scalars)),   ∂L/∂β = Σᵢ ∂L/∂yᵢ = \(NumberFormat.tuple(try gradient("β", o).scalars))"))
        }
        if lesson.includes(.gradientCheck) {
            blocks.append(.heading("Gradient check"))
            if let text = lesson.narrative(.check) { blocks.append(.paragraph(text)) }
            blocks.append(.paragraph(try MLPLesson.checkSentence(o.check, step: lesson.settings.differenceStep) { entryName($0, o) }))
            blocks.append(.table(Report.Table(header: ["entry", "backward pass", "central difference", "relative error"], rows: o.check.map { entry in
                [entryName(entry, o), NumberFormat.display(entry.analytic), NumberFormat.display(entry.numeric), NumberFormat.display(entry.relativeError)]
            })))
        }
        blocks.append(.heading("A deep sigmoid network with and without it"))
        if let text = lesson.narrative(.training) { blocks.append(.paragraph(text)) }
        blocks.append(.paragraph(trainingFindings(o, in: lesson).joined(separator: " ")))
        if lesson.includes(.lossCurves) {
            blocks.append(.figure(try lesson.paper(lossFigure), caption: "The binary cross-entropy summed over the data set at each step, log scale; both networks start from the same weights."))
        }
        if lesson.includes(.layerGradients) {
            // Said before the table: alone at the top of a page, a table of norms did not say which step.
            blocks.append(.paragraph("Each layer's weight gradient ‖∂L/∂W‖ at the first step in both networks, layer 1 next to the input."))
            blocks.append(.table(Report.Table(header: ["layer", "‖∂L/∂W‖ without", "‖∂L/∂W‖ with batch normalization"], rows: o.plain.firstGradientNorms.indices.map { l in
                [String(l + 1), NumberFormat.display(o.plain.firstGradientNorms[l]), NumberFormat.display(o.normalized.firstGradientNorms[l])]
            })))
        }
        return Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks)
    }

    /// Three runs: the mini-batch's pass (one step, every node), and each network's loss per step.
    static func trace(_ o: Outcome, in lesson: Lesson<Self>) -> Trace {
        let s = lesson.settings
        var pass = lesson.recorder("mini-batch", settings: ["epsilon": .number(s.epsilon)], initial: ["γ": o.batch.gamma, "β": o.batch.beta], iterations: 1)
        let loss = o.graph[o.gradients.output].value.scalar ?? .nan
        if lesson.recordsSteps {
            pass.run.steps = [TraceStep(step: 1, graph: o.graph, gradients: o.gradients, loss: loss, params: ["γ": o.batch.gamma, "β": o.batch.beta],
                                        detailed: pass.isDetailed(1))]
        }
        pass.run.summary = ["loss": .number(loss), "max-relative-error": .number(o.check.map(\.relativeError).max() ?? 0)]
        var runs = [pass.run]
        for training in [o.plain, o.normalized] {
            var run = training.run
            run.summary = ["loss": .number(training.losses.last ?? .nan)]
            runs.append(run)
        }
        return lesson.trace(runs: runs)
    }

    /// The recorder of one deep network's training, `deep-with` or `deep-without`.
    static func deepRecorder(_ name: String, in lesson: Lesson<Self>) -> TraceRecorder {
        let s = lesson.settings
        return lesson.recorder("deep-\(name)", settings: ["batch-normalization": .string(name), "depth": .integer(s.depth), "width": .integer(s.width),
                                                           "learning-rate": .number(s.learningRate)], initial: [:], iterations: s.steps)
    }
}
