import Foundation
import Render
import Sim

/// `kind: mlp`: note 003's one-hidden-layer network with weight decay, as d2l §5.3 draws and derives it:
/// z = W⁽¹⁾x, h = φ(z), o = W⁽²⁾h, L = l(o, y), s = λ/2(‖W⁽¹⁾‖² + ‖W⁽²⁾‖²), J = L + s, for one small
/// input. The engine builds and differentiates the graph; the lesson shows every value of the forward and
/// backward pass, the notes' equations with their matrix shapes and values, the computational graph
/// (squares for variables, circles for operators, the regularization term on its own branch) and central
/// differences for every entry of every gradient.
public enum MLPLesson: DeclaredLessonKind {
    public static let name = "mlp"
    public static let description = "Forward and backward propagation through a one-hidden-layer network with weight decay, every value, with the notes' equations and shapes."

    public struct Settings: LessonSettingsDeclaration {
        @Setting("x", help: "the input x: its d entries separated by commas")
        public var x: String = "1, 2"
        @Setting("y", help: "the target y: its q entries separated by commas")
        public var y: String = "1, 0"
        @Setting("W1", help: "W⁽¹⁾, h × d: rows separated by ; and entries by commas")
        public var w1: String = "0.5, -0.3; 0.2, 0.4; -0.1, 0.6"
        @Setting("W2", help: "W⁽²⁾, q × h: rows separated by ; and entries by commas")
        public var w2: String = "0.3, -0.2, 0.5; 0.1, 0.4, -0.6"
        @Setting("lambda", in: 0...1e6, help: "λ, the weight of the regularization term s = λ/2(‖W⁽¹⁾‖² + ‖W⁽²⁾‖²)")
        public var lambda: Double = 0.1
        @Setting("activation", help: "φ, the hidden layer's activation")
        public var activation: Activation = .relu
        @Setting("difference-step", in: 1e-12...1, help: "the step of the central differences in the gradient check")
        public var differenceStep: Double = 1e-6

        public init() {}
    }

    /// The graph lesson's sections: the introduction, the forward pass, the backward pass, the check.
    public typealias Section = GraphLesson.Section

    public enum Item: String, LessonReportItem {
        case graph
        case equations
        case forwardTable = "forward-table", backwardTable = "backward-table"
        case gradientCheck = "gradient-check"

        public var meaning: String {
            switch self {
            case .graph: "the computational graph: squares for variables, circles for operators, the regularization term on its own branch"
            case .equations: "the notes' forward and backward equations, each with its matrix shapes and its value"
            case .forwardTable: "every forward step with its numbers"
            case .backwardTable: "every backward message: upstream · local = message"
            case .gradientCheck: "central differences beside the backward pass for every entry of ∂J/∂W⁽¹⁾ and ∂J/∂W⁽²⁾"
            }
        }
    }

    /// The settings' numbers: x (d), y (q), W1 (h × d), W2 (q × h), with their shapes checked together.
    struct Numbers {
        let x: Tensor, y: Tensor, w1: Tensor, w2: Tensor
    }

    /// Numbers separated by commas, rows by semicolons; every row as long as the first.
    static func matrix(_ text: String, key: String) throws(LessonError) -> [[Double]] {
        var rows: [[Double]] = []
        for row in text.split(separator: ";", omittingEmptySubsequences: false) {
            var entries: [Double] = []
            for part in row.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = part.trimmingCharacters(in: .whitespaces)
                guard let value = NumberText.parse(trimmed), value.isFinite else {
                    throw LessonError("“\(trimmed)” is not a finite number (give entries separated by commas, rows by ;)", key: key)
                }
                entries.append(value)
            }
            if let first = rows.first, first.count != entries.count {
                throw LessonError("row \(rows.count + 1) has \(entries.count) entries, row 1 has \(first.count)", key: key)
            }
            rows.append(entries)
        }
        return rows
    }

    static func numbers(_ s: Settings) throws(LessonError) -> Numbers {
        let x = try matrix(s.x, key: s.$x.name), y = try matrix(s.y, key: s.$y.name)
        guard x.count == 1 else { throw LessonError("give x as one row of numbers separated by commas", key: s.$x.name) }
        guard y.count == 1 else { throw LessonError("give y as one row of numbers separated by commas", key: s.$y.name) }
        let w1 = try matrix(s.w1, key: s.$w1.name), w2 = try matrix(s.w2, key: s.$w2.name)
        let (d, q) = (x[0].count, y[0].count)
        guard w1[0].count == d else {
            throw LessonError("W1 has \(w1[0].count) columns; it needs one per entry of x (\(d))", key: s.$w1.name)
        }
        guard w2.count == q else { throw LessonError("W2 has \(w2.count) rows; it needs one per entry of y (\(q))", key: s.$w2.name) }
        guard w2[0].count == w1.count else {
            throw LessonError("W2 has \(w2[0].count) columns; it needs one per hidden unit, that is per row of W1 (\(w1.count))", key: s.$w2.name)
        }
        guard w1.count * d + q * w1.count <= 64 else {
            throw LessonError("W1 and W2 have \(w1.count * d + q * w1.count) entries; this lesson shows every value, for at most 64", key: s.$w1.name)
        }
        do {
            return Numbers(x: Tensor(column: x[0]), y: Tensor(column: y[0]), w1: try Tensor(rows: w1), w2: try Tensor(rows: w2))
        } catch {
            throw LessonError("\(error)", key: s.$w1.name)
        }
    }

    public static func check(_ settings: Settings) throws(LessonError) {
        _ = try numbers(settings)
    }

    /// The network on `graph` from its leaves (x, y, W1, W2), as note 003 writes it, named as it does:
    /// z = W1·x, h = φ(z), o = W2·h, L = ½‖o − y‖², s = λ(½‖W1‖² + ½‖W2‖²), J = L + s.
    static func build(on g: Graph, _ leaves: [String: Var], activation: Activation, lambda: Double) throws -> Var {
        func leaf(_ name: String) throws -> Var {
            guard let v = leaves[name] else { throw LessonError("the network has no '\(name)'") }
            return v
        }
        let z = try g.apply(MatMul(), [try leaf("W1"), try leaf("x")], name: "z")
        let h = try g.apply(activation.function, [z], name: "h")
        let o = try g.apply(MatMul(), [try leaf("W2"), h], name: "o")
        let L = try g.apply(SquaredError(), [o, try leaf("y")], name: "L")
        let r1 = try g.apply(L2Penalty(), [try leaf("W1")], name: "r1")
        let r2 = try g.apply(L2Penalty(), [try leaf("W2")], name: "r2")
        let r = try g.apply(Add(), [r1, r2], name: "r")
        let s = try g.apply(Scale(lambda), [r], name: "s")
        return try g.apply(Add(), [L, s], name: "J")
    }

    public struct Outcome {
        let numbers: Numbers
        let graph: Graph
        let gradients: Gradients
        let walkthrough: GraphWalkthrough
        let check: [GradientCheck.Entry]
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        let n = try numbers(s)
        do {
            let g = Graph()
            let leaves = ["x": try g.input("x", n.x), "W1": try g.parameter("W1", n.w1), "W2": try g.parameter("W2", n.w2), "y": try g.input("y", n.y)]
            let J = try build(on: g, leaves, activation: s.activation, lambda: s.lambda)
            let gradients = try g.backward(from: J)
            let check = try GradientCheck.run(at: ["W1": n.w1, "W2": n.w2], step: s.differenceStep) { graph, inputs in
                var all = inputs
                all["x"] = try graph.input("x", n.x)
                all["y"] = try graph.input("y", n.y)
                return try build(on: graph, all, activation: s.activation, lambda: s.lambda)
            }
            return Outcome(numbers: n, graph: g, gradients: gradients, walkthrough: GraphWalkthrough(graph: g, gradients: gradients), check: check.entries)
        } catch let error as LessonError {
            throw error
        } catch {
            throw LessonError("could not compute the network: \(error)")
        }
    }

    // MARK: presenting

    /// A node's value or gradient by name, from the outcome (every name is the lesson's own).
    static func value(_ name: String, _ outcome: Outcome) throws(LessonError) -> Tensor {
        guard let node = outcome.graph.nodes.first(where: { $0.name == name }) else { throw LessonError("the graph has no node '\(name)'") }
        return node.value
    }

    static func gradient(_ name: String, _ outcome: Outcome) throws(LessonError) -> Tensor {
        guard let node = outcome.graph.nodes.first(where: { $0.name == name }), let g = outcome.gradients[node.id] else {
            throw LessonError("the backward pass gave no gradient for '\(name)'")
        }
        return g
    }

    /// A tensor as rows of numbers: `(1, 2)` for a row, `(1; 2)` for a column, `(1, 2; 3, 4)` for a matrix.
    static func show(_ t: Tensor) -> String {
        if t.rank == 0 { return NumberFormat.display(t.scalar ?? .nan) }
        return "(" + t.rows.map { $0.map { NumberFormat.display($0) }.joined(separator: ", ") }.joined(separator: "; ") + ")"
    }

    static func shape(_ t: Tensor) -> String { t.rank == 0 ? "scalar" : t.shape.map(String.init).joined(separator: "×") }

    /// The notes' equations (d2l 5.3.1–5.3.14), each with its shapes and its value in this run.
    static func equations(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> [(number: String, equation: String, shape: String, value: Tensor)] {
        let n = outcome.numbers
        let (x, w1, w2) = (n.x, n.w1, n.w2)
        let z = try value("z", outcome), h = try value("h", outcome), o = try value("o", outcome)
        let lambda = lesson.settings.lambda
        func scaled(_ t: Tensor) -> Tensor { t.map { lambda * $0 } }
        return [
            ("5.3.1", "z = W⁽¹⁾x", "\(shape(w1)) · \(shape(x)) → \(shape(z))", z),
            ("5.3.2", "h = φ(z), φ = \(lesson.settings.activation.rawValue)", "\(shape(h))", h),
            ("5.3.3", "o = W⁽²⁾h", "\(shape(w2)) · \(shape(h)) → \(shape(o))", o),
            ("5.3.4", "L = l(o, y) = ½‖o − y‖²", "scalar", try value("L", outcome)),
            ("5.3.5", "s = λ/2 (‖W⁽¹⁾‖² + ‖W⁽²⁾‖²) (Frobenius norms), λ = \(NumberFormat.display(lambda))", "scalar", try value("s", outcome)),
            ("5.3.6", "J = L + s", "scalar", try value("J", outcome)),
            ("5.3.8", "∂J/∂L = 1 and ∂J/∂s = 1", "scalar", try gradient("L", outcome)),
            ("5.3.9", "∂J/∂o = ∂L/∂o = o − y", shape(o), try gradient("o", outcome)),
            ("5.3.10", "∂s/∂W⁽¹⁾ = λW⁽¹⁾", shape(w1), scaled(w1)),
            ("5.3.10", "∂s/∂W⁽²⁾ = λW⁽²⁾", shape(w2), scaled(w2)),
            ("5.3.11", "∂J/∂W⁽²⁾ = (∂J/∂o) hᵀ + λW⁽²⁾", "\(shape(o)) · 1×\(h.count) + \(shape(w2)) → \(shape(w2))", try gradient("W2", outcome)),
            ("5.3.12", "∂J/∂h = W⁽²⁾ᵀ ∂J/∂o", "\(w2.shape.reversed().map(String.init).joined(separator: "×")) · \(shape(o)) → \(shape(h))", try gradient("h", outcome)),
            ("5.3.13", "∂J/∂z = ∂J/∂h ⊙ φ′(z)", "\(shape(h)) ⊙ \(shape(z)) → \(shape(z))", try gradient("z", outcome)),
            ("5.3.14", "∂J/∂W⁽¹⁾ = (∂J/∂z) xᵀ + λW⁽¹⁾", "\(shape(z)) · 1×\(x.count) + \(shape(w1)) → \(shape(w1))", try gradient("W1", outcome)),
        ]
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let summary = [
            "J = L + s = \(show(try value("L", outcome))) + \(show(try value("s", outcome))) = \(show(try value("J", outcome)))",
            "∂J/∂W1 = \(show(try gradient("W1", outcome))), ∂J/∂W2 = \(show(try gradient("W2", outcome)))",
            try checkSentence(outcome.check, step: lesson.settings.differenceStep) { entry throws(LessonError) in try entryName(entry, outcome) },
        ]
        let figure = GraphFigureBuilder.figure(of: outcome.graph, gradients: outcome.gradients, output: outcome.gradients.output, title: lesson.title,
                                               resultsAsVariables: true)
        return LessonResult(narration: try narration(outcome, in: lesson), summary: summary, steps: outcome.walkthrough.lessonSteps(graph: outcome.graph),
                            report: try report(outcome, figure: figure, in: lesson), figures: lesson.includes(.graph) ? [LessonFigure("graph", figure)] : [],
                            trace: trace(outcome, in: lesson))
    }

    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> [String] {
        var narration = lesson.introduction
        if let text = lesson.narrative(.intro) { narration.append(text) }
        let n = outcome.numbers
        narration.append("x = \(show(n.x)), y = \(show(n.y)), W⁽¹⁾ = \(show(n.w1)), W⁽²⁾ = \(show(n.w2)), λ = \(NumberFormat.display(lesson.settings.lambda))")
        narration.append("")
        narration.append("Equations (note 003, d2l §5.3), with their shapes and values")
        narration += try equations(outcome, in: lesson).map { "  (\($0.number)) \($0.equation)   [\($0.shape)]   = \(show($0.value))" }
        narration.append("")
        narration.append("Forward pass")
        if let text = lesson.narrative(.forward) { narration.append(text) }
        narration += outcome.walkthrough.forward.map { "  " + $0.text }
        narration.append("")
        narration.append("Backward pass")
        if let text = lesson.narrative(.backward) { narration.append(text) }
        narration += outcome.walkthrough.backward.map { "  " + $0.text }
        narration.append("")
        narration.append("Gradient check")
        if let text = lesson.narrative(.check) { narration.append(text) }
        narration += try outcome.check.map { entry throws(LessonError) in
            "  \(try entryName(entry, outcome)): backward \(NumberFormat.display(entry.analytic)), central difference \(NumberFormat.display(entry.numeric))"
        }
        if let kink = try kink(outcome, in: lesson) { narration.append(kink) }
        return narration
    }

    static func report(_ outcome: Outcome, figure: ComputationalGraphFigure, in lesson: Lesson<Self>) throws(LessonError) -> Report {
        let w = outcome.walkthrough
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }
        let n = outcome.numbers
        blocks.append(.formula("x = \(show(n.x)),   y = \(show(n.y)),   W⁽¹⁾ = \(show(n.w1)),   W⁽²⁾ = \(show(n.w2)),   λ = \(NumberFormat.display(lesson.settings.lambda)),   φ = \(lesson.settings.activation.rawValue)"))
        // The equations first: the graph needs a page of its own, and after the introduction it left
        // the rest of page 2 empty.
        if lesson.includes(.equations) {
            blocks.append(.heading("The equations, their shapes and their values"))
            blocks.append(.table(Report.Table(header: ["d2l", "equation", "shapes", "value"], rows: try equations(outcome, in: lesson).map {
                [$0.number, $0.equation, $0.shape, show($0.value)]
            })))
        }
        if lesson.includes(.graph) {
            blocks.append(.figure(try lesson.paper(figure), caption: "The network's computational graph as d2l draws it: squares for variables, circles for operators; "
                                  + "the regularization term s = λ(r1 + r2), r = ½‖W‖², is its own branch from W⁽¹⁾ and W⁽²⁾ into J. Values above the edges, gradients of J below them; a small tensor's value is in its square, its gradient under it (graph.pdf beside this report, for slides, names a larger tensor by its shape)."))
        }
        blocks.append(.heading("Forward pass"))
        if let text = lesson.narrative(.forward) { blocks.append(.paragraph(text)) }
        if lesson.includes(.forwardTable) { blocks.append(.table(w.forwardTable)) }
        blocks.append(.heading("Backward pass"))
        blocks.append(.paragraph(lesson.narrative(.backward) ?? w.backwardExplanation))
        if lesson.includes(.backwardTable) { blocks.append(.table(w.backwardTable)) }
        if lesson.includes(.gradientCheck) {
            blocks.append(.heading("Gradient check"))
            if let text = lesson.narrative(.check) { blocks.append(.paragraph(text)) }
            blocks.append(.paragraph(try checkSentence(outcome.check, step: lesson.settings.differenceStep) { entry throws(LessonError) in try entryName(entry, outcome) }))
            if let kink = try kink(outcome, in: lesson) { blocks.append(.paragraph(kink)) }
            blocks.append(.table(Report.Table(header: ["entry", "backward pass", "central difference", "relative error"], rows: try outcome.check.map { entry throws(LessonError) in
                [try entryName(entry, outcome), NumberFormat.display(entry.analytic), NumberFormat.display(entry.numeric), NumberFormat.display(entry.relativeError)]
            })))
        }
        return Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks)
    }

    /// What the gradient check found, as one sentence: agreement within GradientCheck's tolerance on every
    /// entry, or how many entries differ and the worst of them (also the lesson kinds that share the check).
    static func checkSentence(_ entries: [GradientCheck.Entry], step: Double, name: (GradientCheck.Entry) throws(LessonError) -> String) throws(LessonError) -> String {
        let h = NumberFormat.display(step)
        let differing = entries.filter { !($0.relativeError <= GradientCheck.defaultTolerance) }
        guard let worst = entries.max(by: { !($0.relativeError >= $1.relativeError) }), !differing.isEmpty else {
            let largest = entries.map(\.relativeError).max() ?? 0
            return "Central differences (h = \(h)) agree with the backward pass on all \(entries.count) entries, to a relative error of at most \(NumberFormat.display(largest))."
        }
        return "Central differences (h = \(h)) and the backward pass differ by more than \(NumberFormat.display(GradientCheck.defaultTolerance)) on \(differing.count) of the \(entries.count) entries, "
            + "the most at \(try name(worst)) (relative error \(NumberFormat.display(worst.relativeError))): a value that is not finite, a kink within h, or an h too large or too small for these numbers does that."
    }

    /// `∂J/∂W1[2, 1]`: a checked entry by its row and column, from 1.
    static func entryName(_ entry: GradientCheck.Entry, _ outcome: Outcome) throws(LessonError) -> String {
        let columns = max(1, try value(entry.name, outcome).shape.last ?? 1)
        return "∂J/∂\(entry.name)[\(entry.index / columns + 1), \(entry.index % columns + 1)]"
    }

    /// A warning when an entry of z lies within the difference step of a kink of φ (ReLU's at 0), where
    /// J(w + h) and J(w − h) fall on two sides of it and the central difference is no derivative.
    static func kink(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> String? {
        guard lesson.settings.activation == .relu else { return nil }
        let z = try value("z", outcome).scalars
        let bound = lesson.settings.differenceStep * max(1, try value("x", outcome).scalars.map(abs).max() ?? 1)
        let near = z.indices.filter { abs(z[$0]) <= bound }
        guard !near.isEmpty else { return nil }
        return "z has entr\(near.count == 1 ? "y" : "ies") \(near.map { String($0 + 1) }.joined(separator: ", ")) within \(NumberFormat.display(bound)) of ReLU's kink at 0: "
            + "there a step of ±h in W⁽¹⁾ crosses the kink, so the central difference is not a derivative and may disagree with the backward pass, which uses φ′(0) = 0."
    }

    /// One run of one step: the pass through the graph, every node with its value and gradient.
    static func trace(_ outcome: Outcome, in lesson: Lesson<Self>) -> Trace {
        let n = outcome.numbers
        let s = lesson.settings
        var recorder = lesson.recorder("pass", settings: ["activation": .string(s.activation.rawValue), "lambda": .number(s.lambda)],
                                       initial: ["W1": n.w1, "W2": n.w2], iterations: 1)
        let J = outcome.graph[outcome.gradients.output].value.scalar ?? .nan
        if lesson.recordsSteps {
            var grads = NamedTensors()
            for name in ["W1", "W2"] {
                if let node = outcome.graph.nodes.first(where: { $0.name == name }), let g = outcome.gradients[node.id] { grads.append(name, g) }
            }
            recorder.run.steps = [TraceStep(step: 1, graph: outcome.graph, gradients: outcome.gradients, loss: J, params: ["W1": n.w1, "W2": n.w2],
                                            grads: grads, detailed: recorder.isDetailed(1))]
        }
        recorder.run.summary = ["J": .number(J), "max-relative-error": .number(outcome.check.map(\.relativeError).max() ?? 0)]
        return lesson.trace(runs: [recorder.run])
    }
}
