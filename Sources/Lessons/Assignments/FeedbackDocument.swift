import Foundation
import Render
import Sim

/// A student's feedback as a PDF (`nnsim check --pdf`): per question the score, the student's own graph
/// drawn with their numbers (their drawn inputs on the edges, and under every node they were asked about
/// their answer, marked ✓ or ✗ in the theme's `right` and `wrong` colours, with the expected value beside
/// a wrong one only where the question shows expected values), then every ask with what they gave, the
/// verdict and the points, and the first step to check with the question's hint.
///
/// The figure never carries the key's computed values or gradients unless the question shows expected
/// values: it is the sheet's figure (given inputs only) with the student's answers added.
public enum FeedbackDocument {
    public static func report(_ result: GradeResult, assignment: Assignment, measurer: any TextMeasurer) -> Report {
        var blocks: [Report.Block] = []
        if !result.problems.isEmpty {
            blocks.append(.heading("About the submission"))
            blocks.append(.table(Report.Table(header: ["note"], rows: result.problems.map { [PrintableText.escaped($0)] })))
        }
        for q in result.questions {
            let variant = q.variant
            blocks.append(.heading("\(q.question.id). \(q.question.title): \(GradeResult.points(q.score)) of \(GradeResult.points(q.maxScore)) points"))
            if let text = variant.text { blocks.append(.paragraph(text)) }
            blocks.append(.paragraph(AssignmentDocuments.subject(variant).replacingOccurrences(of: "`", with: "")))
            if let figure = figure(q, measurer: measurer) {
                blocks.append(.figure(figure, caption: q.showsExpected
                    ? "Your graph with your numbers: ✓ right, ✗ wrong with the expected value beside it."
                    : "Your graph with your numbers: ✓ right, ✗ wrong (this question does not show expected values)."))
            }
            blocks.append(.table(Report.Table(header: ["key", "asked", "yours", "verdict", "points"], rows: q.asks.map { ask in
                [ask.ask.key, ask.ask.prompt, ask.given.map(\.display) ?? "—", verdict(ask),
                 "\(GradeResult.points(ask.points)) / \(GradeResult.points(ask.ask.points))"]
            })))
            if let wrong = q.firstWrong {
                blocks.append(.paragraph("First step to check: \(wrong.ask.key) (\(wrong.ask.prompt))." + (q.question.feedback.map { " Hint: \($0)" } ?? "")))
            }
        }
        let student = AssignmentDocuments.printable(result.student, measurer: measurer)
        return Report(title: assignment.title + " — feedback", subtitle: "Student \(student): \(GradeResult.points(result.score)) of \(GradeResult.points(result.maxScore)) points",
                      metadata: result.questions.map { q in ("\(q.question.id). \(q.question.title)", "\(GradeResult.points(q.score)) / \(GradeResult.points(q.maxScore))") }
                          + [("total", "\(GradeResult.points(result.score)) / \(GradeResult.points(result.maxScore))")],
                      blocks: blocks)
    }

    /// The feedback of one student as PDF bytes.
    public static func pdf(_ result: GradeResult, assignment: Assignment) throws(LessonError) -> [UInt8] {
        var publication = Publication()
        publication.reports = [("feedback.pdf", report(result, assignment: assignment, measurer: CairoTextMeasurer()))]
        return try publication.render(figureFormats: []).first?.bytes ?? []
    }

    /// The ask's verdict in words: `right`, `carried: …`, or the grader's message (which names the expected
    /// value only where the question shows it).
    static func verdict(_ ask: AskResult) -> String {
        switch ask.status {
        case .correct: return "✓ " + ask.message
        case .missing: return "— " + ask.message
        default: return "✗ " + ask.message
        }
    }

    /// The graph of a graph question at the student's drawn values, with their answers marked on the nodes
    /// asked about; nil for other questions or a graph that cannot be drawn.
    static func figure(_ q: QuestionResult, measurer: any TextMeasurer) -> DisplayList? {
        guard case .graph(let program) = q.question.subject, let (graph, output) = try? program.build(at: q.variant.numbers) else { return nil }
        var figure = GraphFigureBuilder.figure(of: graph, gradients: nil, output: output.id,
                                               showsValue: { graph[$0].kind != .operation })
        let loss = graph[output.id].name
        for (i, node) in figure.nodes.enumerated() {
            let asked = q.asks.filter { ask in
                switch ask.ask.quantity {
                case .value(let name), .gradient(let name): return name == node.id
                default: return false
                }
            }
            guard !asked.isEmpty else { continue }
            figure.nodes[i].notes = asked.map { note($0, loss: loss, showsExpected: q.showsExpected) }
            let answered = asked.filter { $0.status != .missing }
            if !answered.isEmpty { figure.nodes[i].mark = answered.allSatisfy { $0.status == .correct } ? .right : .wrong }
        }
        return try? figure.layout(theme: .paper, measurer: measurer)
    }

    /// `d = 5 ✓`, `∂L/∂a = 3 ✗ (expected −3)`, `d: no answer`.
    static func note(_ ask: AskResult, loss: String, showsExpected: Bool) -> String {
        let name: String
        switch ask.ask.quantity {
        case .gradient(let node): name = "∂\(loss)/∂\(node)"
        case .value(let node): name = node
        default: name = ask.ask.key
        }
        guard let given = ask.given, given != .null else { return "\(name): no answer" }
        let mark: String
        switch ask.status {
        case .correct: mark = "✓"
        case .carried: mark = "✗ carried (right from your own earlier values)"
        default: mark = "✗" + (showsExpected ? ask.expected.map { " (expected \($0.display))" } ?? "" : "")
        }
        return "\(name) = \(given.display) " + mark
    }
}
