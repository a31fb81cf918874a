import Render
import Sim

/// `kind: graph`: backpropagation through the computational graph of an expression (the `backprop`
/// lessons: L = c(a + 2b) of note 000, f = (x + y)z of note 001). The script declares the expression and
/// a number setting per input; the lesson shows the forward steps, the backward messages (upstream ×
/// local = message), the annotated graph, one frame per step, and central differences beside the
/// analytic gradients.
public enum GraphLesson: DeclaredLessonKind {
    public static let name = "graph"
    public static let description = "Forward and backward through the computational graph of an expression, step by step, with a numerical gradient check."

    /// The declared settings; the expression's inputs are the script's own (`acceptsVariables`), read as
    /// `LessonSettings.variables`.
    public struct Settings: LessonSettingsDeclaration {
        @Setting("expression", narrative: true, help: "the program: statements `name = expr` separated by ; (docs/expressions.md); the last one is differentiated")
        public var expression: String = "L = c*(a + 2*b)"
        @Setting("h", in: 1e-12...1, help: "the step of the central differences in the gradient check")
        public var h: Double = 1e-5

        public init() {}
    }

    public enum Section: String, LessonSection {
        case intro, forward, backward, check
    }

    public enum Item: String, LessonReportItem {
        case graph
        case forwardTable = "forward-table", backwardTable = "backward-table"
        case gradients
        case gradientCheck = "gradient-check"
        case frames

        public var meaning: String {
            switch self {
            case .graph: "the annotated computational graph: values above each edge, gradients below"
            case .forwardTable: "every forward step with its numbers"
            case .backwardTable: "every backward message: upstream · local = message"
            case .gradients: "the gradient of the output with respect to each input"
            case .gradientCheck: "central differences beside the analytic gradients, with the relative error"
            case .frames: "one slide per forward step and per backward message (frames/NN-…)"
            }
        }
    }

    public static let acceptsVariables = true
    public static func title(for settings: Settings) -> String? { "Backpropagation on " + settings.expression }

    /// Every input of the expression has a value, and every declared value is an input.
    public static func check(_ settings: LessonSettings, file: String) throws(LessonError) {
        let typed = try Settings(settings)
        let program: ExpressionProgram
        do {
            program = try ExpressionProgram(typed.expression)
        } catch {
            throw LessonError("\(error)", file: file, key: "settings.\(typed.$expression.name)")
        }
        let declared = settings.variables.map(\.name)
        for input in program.inputs where !declared.contains(input) {
            throw LessonError("the expression uses '\(input)', which has no value: add `\(input): …` to settings", file: file, key: "settings")
        }
        for name in declared where !program.inputs.contains(name) {
            throw LessonError("'\(name)' is not an input of the expression (its inputs: \(program.inputs.joined(separator: ", ")))",
                              file: file, key: "settings.\(name)")
        }
    }

    /// The run's numbers: the expression's forward and backward pass at the inputs' values, and the
    /// central differences beside them.
    public struct Outcome {
        let values: [(name: String, value: Double)]
        let run: ExpressionRun
        let check: [GradientCheck.Entry]
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let values = lesson.context.settings.variables
        let run: ExpressionRun
        do {
            run = try ExpressionRun(source: lesson.settings.expression, at: values)
        } catch {
            throw LessonError("\(error)", key: lesson.settings.$expression.name)
        }
        if lesson.includes(.graph) || lesson.includes(.frames),
           let problem = GraphFigureBuilder.sizeProblem(of: run.graph, output: run.gradients.output, frames: lesson.includes(.frames)) {
            throw LessonError("\(problem): take graph and frames out of the script's report: list (the tables, gradients and check work at any size)", key: lesson.settings.$expression.name)
        }
        return Outcome(values: values, run: run, check: try gradientCheck(run, h: lesson.settings.h))
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let (run, check) = (outcome.run, outcome.check)
        let w = run.walkthrough
        var steps = w.lessonSteps(graph: run.graph)
        steps += check.map { LessonStep(.note, "check ∂\(w.output)/∂\($0.name): analytic \(NumberFormat.display($0.analytic)), numeric \(NumberFormat.display($0.numeric)), relative error \(NumberFormat.display($0.relativeError))") }

        let worst = check.map(\.relativeError).max() ?? 0
        let summary = [
            "\(w.output) = \(GraphWalkthrough.show(run.graph[run.gradients.output].value))",
            "gradients: " + zip(w.inputs, w.gradients).map { "∂\(w.output)/∂\($0.name) = \(GraphWalkthrough.show($1.value))" }.joined(separator: ", "),
            "central differences (h = \(NumberFormat.display(lesson.settings.h))) agree to a relative error of \(NumberFormat.display(worst))",
        ]

        let graphFigure = GraphFigureBuilder.figure(of: run.graph, gradients: run.gradients, output: run.gradients.output,
                                                    title: lesson.title)
        let frames = lesson.includes(.frames)
            ? GraphFigureBuilder.frames(of: run.graph, gradients: run.gradients).map { LessonFigure("frames/" + $0.0, $0.1) } : []
        var trace = run.trace
        trace.source = .lesson(name: lesson.script.name, script: lesson.script.path)
        trace.settings = lesson.context.settings.traceSettings(seed: lesson.seed)
        return LessonResult(narration: narration(outcome, in: lesson), summary: summary, steps: steps,
                            report: try report(outcome, graphFigure: graphFigure, in: lesson),
                            figures: lesson.includes(.graph) ? [LessonFigure("graph", graphFigure)] : [], frames: frames, trace: trace)
    }

    /// What the terminal prints: each section's heading and narrative, the forward and backward steps and
    /// the check.
    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        let w = outcome.run.walkthrough
        var narration: [String] = []
        func section(_ name: Section, _ heading: String) {
            narration.append("")
            narration.append(heading)
            if let text = lesson.narrative(name) { narration.append(text) }
        }
        section(.intro, lesson.title)
        if !lesson.departures.isEmpty { narration.append(lesson.summary) }
        narration.append("at " + outcome.values.map { "\($0.name) = \(NumberFormat.display($0.value))" }.joined(separator: ", "))
        section(.forward, "Forward pass")
        narration += w.forward.map { "  " + $0.text }
        section(.backward, "Backward pass")
        narration += w.backward.map { "  " + $0.text }
        section(.check, "Gradient check")
        narration += outcome.check.map { "  ∂\(w.output)/∂\($0.name): analytic \(NumberFormat.display($0.analytic)), numeric \(NumberFormat.display($0.numeric))" }
        for warning in outcome.run.warnings { narration.append("warning: \(warning)") }
        return narration
    }

    static func report(_ outcome: Outcome, graphFigure: some Figure, in lesson: Lesson<Self>) throws(LessonError) -> Report {
        let (run, w) = (outcome.run, outcome.run.walkthrough)
        var blocks: [Report.Block] = []
        if let intro = lesson.narrative(.intro) { blocks.append(.paragraph(intro)) }
        if !lesson.departures.isEmpty { blocks.append(.paragraph(lesson.summary)) }
        if lesson.includes(.graph) {
            blocks.append(.figure(try lesson.paper(graphFigure), caption: "The computational graph of \(run.program.source.replacingOccurrences(of: "\n", with: "; ")): forward values above each edge, gradients flowing back below it."))
        }
        blocks.append(.heading("Forward pass"))
        if let text = lesson.narrative(.forward) { blocks.append(.paragraph(text)) }
        if lesson.includes(.forwardTable) { blocks.append(.table(w.forwardTable)) }
        blocks.append(.heading("Backward pass"))
        blocks.append(.paragraph(lesson.narrative(.backward) ?? w.backwardExplanation))
        if lesson.includes(.backwardTable) { blocks.append(.table(w.backwardTable)) }
        if lesson.includes(.gradients) { blocks.append(.table(w.gradientTable)) }
        if lesson.includes(.gradientCheck) {
            blocks.append(.heading("Gradient check"))
            if let text = lesson.narrative(.check) { blocks.append(.paragraph(text)) }
            blocks.append(.table(Report.Table(header: ["input", "analytic", "numeric (central)", "relative error"], rows: outcome.check.map {
                [$0.name, NumberFormat.display($0.analytic), NumberFormat.display($0.numeric), NumberFormat.display($0.relativeError)]
            })))
        }
        return Report(title: lesson.title, subtitle: run.program.source, metadata: lesson.metadata, blocks: blocks)
    }

    /// Central differences for every input (note 001), through GradientCheck: the program is rebuilt on
    /// the checker's input nodes at each shifted value.
    static func gradientCheck(_ run: ExpressionRun, h: Double) throws(LessonError) -> [GradientCheck.Entry] {
        var values = NamedTensors()
        for (name, value) in run.values { values.append(name, value) }
        do {
            return try GradientCheck.run(at: values, step: h) { graph, inputs in try run.program.build(on: graph, inputs: inputs) }.entries
        } catch {
            throw LessonError("\(error)", key: "expression")
        }
    }
}
