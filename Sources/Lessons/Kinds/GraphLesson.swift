import Render
import Sim

/// `kind: graph`: backpropagation through the computational graph of an expression (the `backprop`
/// lessons: L = c(a + 2b) of note 000, f = (x + y)z of note 001). The script declares the expression and
/// a number setting per input; the lesson shows the forward steps, the backward messages (upstream ×
/// local = message), the annotated graph, one frame per step, and central differences beside the
/// analytic gradients.
public enum GraphLesson: LessonKind {
    public static let name = "graph"
    public static let description = "Forward and backward through the computational graph of an expression, step by step, with a numerical gradient check."
    public static let settings = [
        LessonSetting("expression", .text, default: .text("L = c*(a + 2*b)"),
                      "the program: statements `name = expr` separated by ; (docs/expressions.md); the last one is differentiated"),
        LessonSetting("h", .number(1e-12...1), default: .number(1e-5), "the step of the central differences in the gradient check"),
    ]
    public static let narrativeSettings = ["expression"]
    public static func title(for settings: LessonSettings) -> String? { "Backpropagation on " + settings.text("expression") }
    public static let sections = ["intro", "forward", "backward", "check"]
    public static let reportItems = [
        ReportItem("graph", "the annotated computational graph: values above each edge, gradients below"),
        ReportItem("forward-table", "every forward step with its numbers"),
        ReportItem("backward-table", "every backward message: upstream · local = message"),
        ReportItem("gradients", "the gradient of the output with respect to each input"),
        ReportItem("gradient-check", "central differences beside the analytic gradients, with the relative error"),
        ReportItem("frames", "one slide per forward step and per backward message (frames/NN-…)"),
    ]
    public static let acceptsVariables = true

    /// Every input of the expression has a value, and every declared value is an input.
    public static func check(_ settings: LessonSettings, file: String) throws(LessonError) {
        let program: ExpressionProgram
        do {
            program = try ExpressionProgram(settings.text("expression"))
        } catch {
            throw LessonError("\(error)", file: file, key: "settings.expression")
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

    public static func run(_ lesson: LessonContext) throws(LessonError) -> LessonResult {
        let settings = lesson.settings
        let values = settings.variables
        let run: ExpressionRun
        do {
            run = try ExpressionRun(source: settings.text("expression"), at: values)
        } catch {
            throw LessonError("\(error)", key: "expression")
        }
        if lesson.includes("graph") || lesson.includes("frames"),
           let problem = GraphFigureBuilder.sizeProblem(of: run.graph, output: run.gradients.output, frames: lesson.includes("frames")) {
            throw LessonError("\(problem): take graph and frames out of the script's report: list (the tables, gradients and check work at any size)", key: "expression")
        }
        let w = run.walkthrough
        let check = try gradientCheck(run, h: settings.number("h"))

        var steps = w.lessonSteps(graph: run.graph)
        steps += check.map { LessonStep(.note, "check ∂\(w.output)/∂\($0.name): analytic \(NumberFormat.display($0.analytic)), numeric \(NumberFormat.display($0.numeric)), relative error \(NumberFormat.display($0.relativeError))") }

        var narration: [String] = []
        func section(_ name: String, _ heading: String) {
            narration.append("")
            narration.append(heading)
            if let text = lesson.narrative(name) { narration.append(text) }
        }
        section("intro", lesson.title)
        if !lesson.departures.isEmpty { narration.append(lesson.summary) }
        narration.append("at " + values.map { "\($0.name) = \(NumberFormat.display($0.value))" }.joined(separator: ", "))
        section("forward", "Forward pass")
        narration += w.forward.map { "  " + $0.text }
        section("backward", "Backward pass")
        narration += w.backward.map { "  " + $0.text }
        section("check", "Gradient check")
        narration += check.map { "  ∂\(w.output)/∂\($0.name): analytic \(NumberFormat.display($0.analytic)), numeric \(NumberFormat.display($0.numeric))" }
        for warning in run.warnings { narration.append("warning: \(warning)") }

        let worst = check.map(\.relativeError).max() ?? 0
        let summary = [
            "\(w.output) = \(GraphWalkthrough.show(run.graph[run.gradients.output].value))",
            "gradients: " + zip(w.inputs, w.gradients).map { "∂\(w.output)/∂\($0.name) = \(GraphWalkthrough.show($1.value))" }.joined(separator: ", "),
            "central differences (h = \(NumberFormat.display(settings.number("h")))) agree to a relative error of \(NumberFormat.display(worst))",
        ]

        let graphFigure = GraphFigureBuilder.figure(of: run.graph, gradients: run.gradients, output: run.gradients.output,
                                                    title: lesson.title)
        var blocks: [Report.Block] = []
        if let intro = lesson.narrative("intro") { blocks.append(.paragraph(intro)) }
        if !lesson.departures.isEmpty { blocks.append(.paragraph(lesson.summary)) }
        if lesson.includes("graph") {
            blocks.append(.figure(try lesson.paper(graphFigure), caption: "The computational graph of \(run.program.source.replacingOccurrences(of: "\n", with: "; ")): forward values above each edge, gradients flowing back below it."))
        }
        blocks.append(.heading("Forward pass"))
        if let text = lesson.narrative("forward") { blocks.append(.paragraph(text)) }
        if lesson.includes("forward-table") { blocks.append(.table(w.forwardTable)) }
        blocks.append(.heading("Backward pass"))
        blocks.append(.paragraph(lesson.narrative("backward") ?? w.backwardExplanation))
        if lesson.includes("backward-table") { blocks.append(.table(w.backwardTable)) }
        if lesson.includes("gradients") { blocks.append(.table(w.gradientTable)) }
        if lesson.includes("gradient-check") {
            blocks.append(.heading("Gradient check"))
            if let text = lesson.narrative("check") { blocks.append(.paragraph(text)) }
            blocks.append(.table(Report.Table(header: ["input", "analytic", "numeric (central)", "relative error"], rows: check.map {
                [$0.name, NumberFormat.display($0.analytic), NumberFormat.display($0.numeric), NumberFormat.display($0.relativeError)]
            })))
        }
        let report = Report(title: lesson.title, subtitle: run.program.source, metadata: lesson.metadata, blocks: blocks)

        let frames = lesson.includes("frames")
            ? GraphFigureBuilder.frames(of: run.graph, gradients: run.gradients).map { LessonFigure("frames/" + $0.0, $0.1) } : []
        var trace = run.trace
        trace.source = .lesson(name: lesson.script.name, script: lesson.script.path)
        trace.settings = settings.traceSettings(seed: lesson.seed)
        return LessonResult(narration: narration, summary: summary, steps: steps, report: report,
                            figures: lesson.includes("graph") ? [LessonFigure("graph", graphFigure)] : [], frames: frames, trace: trace)
    }

    /// Central differences for every input (note 001), through GradientCheck: the program is rebuilt on
    /// the checker's input nodes at each shifted value.
    static func gradientCheck(_ run: ExpressionRun, h: Double) throws(LessonError) -> [GradientCheck.Entry] {
        var values = NamedTensors()
        for (name, value) in run.values { values.append(name, Tensor(value)) }
        do {
            return try GradientCheck.run(at: values, step: h) { graph, inputs in try run.program.build(on: graph, inputs: inputs) }.entries
        } catch {
            throw LessonError("\(error)", key: "expression")
        }
    }
}
