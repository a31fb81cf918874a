import Foundation
import Render
import Sim

/// The documents of an assignment: a student's question sheet and the TAs' key (Markdown and a PDF
/// report), and the submission template.
public struct AssignmentDocuments {
    public let assignment: Assignment
    public let variant: StudentVariant

    public init(_ assignment: Assignment, variant: StudentVariant) {
        self.assignment = assignment
        self.variant = variant
    }

    /// The sheet (`withAnswers` false) or the key: Markdown text.
    public func markdown(withAnswers: Bool) -> String {
        var lines = ["# \(assignment.title)\(withAnswers ? " — answer key" : "")", "", "Student: \(variant.student)", ""]
        if !withAnswers { lines += [howToAnswer, ""] }
        for q in variant.questions {
            lines.append("## \(q.question.id). \(q.question.title) (\(GradeResult.points(q.question.maxScore)) points)")
            lines.append("")
            if let text = q.text { lines += [text, ""] }
            lines.append(Self.subject(q))
            lines.append("")
            if !q.values.isEmpty {
                lines += ["| value | |", "| --- | --- |"] + q.values.map { "| \($0.name) | \($0.value) |" } + [""]
            }
            for ask in q.question.asks {
                var line = "- `\(ask.key)`: \(ask.prompt) (\(GradeResult.points(ask.points)) point\(ask.points == 1 ? "" : "s"))"
                if withAnswers, let answer = q.expected[ask.key] { line += ": **\(answer.display)**" }
                lines.append(line)
            }
            if withAnswers {
                lines += ["", "Worked steps:", ""] + q.steps.map { "    \($0)" }
                if let feedback = q.question.feedback { lines += ["", "Feedback shown for a wrong answer: \(feedback)"] }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// How to answer, with the precision the assignment's strictest tolerance needs.
    var howToAnswer: String {
        let digits = assignment.questions.flatMap(\.asks).map(\.tolerance.significantDigits).max() ?? Tolerance.standard.significantDigits
        return "Answer in a YAML or JSON file with the keys below (`nnsim assignment template` writes one): numbers as 0.25, 1/4 or 2.5e-1, "
            + "to at least \(digits) significant digits (or exactly, as a fraction), since rounding to fewer can fall outside the tolerance; "
            + "vectors as [1, 2, 3]; matrices as [[1, 2], [3, 4]]; yes or no."
    }

    static func subject(_ q: QuestionVariant) -> String {
        switch q.question.subject {
        case .graph(let program): return "Graph: `\(program.source)` at " + q.values.map { "\($0.name) = \($0.value)" }.joined(separator: ", ")
        case .lesson(let name): return "Lesson `\(name)` with " + (q.values.isEmpty ? "its default settings" : q.values.map { "\($0.name) = \($0.value)" }.joined(separator: ", "))
        case .optimizer(let name, let function): return "Optimizer \(name) on `\(function)` from (x, y) = (\(value(q, "x")), \(value(q, "y"))) with rate \(value(q, "rate"))"
        case .replay(let name):
            return "Your own program: implement the lesson `\(name)`" + (q.values.isEmpty ? "" : " with " + q.values.map { "\($0.name) = \($0.value)" }.joined(separator: ", "))
                + " and submit its run, as a trace (docs/trace-format.md) or a CSV of step,quantity,value (docs/assignments.md). Each step is checked from your own state before it."
        case .replayOptimizer(let name, let function):
            return "Your own program: implement \(name) with rate \(value(q, "rate")) on `\(function)` from a start of your choice and submit its run as a CSV of step,quantity,value (docs/assignments.md). Each step is checked from your own state before it."
        }
    }

    static func value(_ q: QuestionVariant, _ name: String) -> String { q.values.first { $0.name == name }?.value ?? "?" }

    /// The sheet or key as a PDF report; graph questions carry their figure, with only the given values on
    /// the sheet and every value and gradient in the key.
    public func report(withAnswers: Bool, measurer: any TextMeasurer) -> Report {
        var blocks: [Report.Block] = []
        if !withAnswers { blocks.append(.paragraph(howToAnswer.replacingOccurrences(of: "`", with: ""))) }
        for q in variant.questions {
            blocks.append(.heading("\(q.question.id). \(q.question.title) (\(GradeResult.points(q.question.maxScore)) points)"))
            if let text = q.text { blocks.append(.paragraph(text)) }
            blocks.append(.paragraph(Self.subject(q).replacingOccurrences(of: "`", with: "")))
            if case .graph(let program) = q.question.subject,
               let (graph, output) = try? program.build(at: q.numbers) {
                let gradients = withAnswers ? try? graph.backward(from: output) : nil
                let figure = GraphFigureBuilder.figure(of: graph, gradients: gradients, output: output.id,
                                                       showsValue: { withAnswers || graph[$0].kind != .operation })
                if let list = try? figure.layout(theme: .paper, measurer: measurer) {
                    blocks.append(.figure(list, caption: withAnswers ? "Every forward value (above each edge) and gradient (below)." : "The graph with the given values."))
                }
            }
            blocks.append(.table(Report.Table(header: withAnswers ? ["key", "asked", "points", "answer"] : ["key", "asked", "points"], rows: q.question.asks.map { ask in
                [ask.key, ask.prompt, GradeResult.points(ask.points)] + (withAnswers ? [q.expected[ask.key]?.display ?? "—"] : [])
            })))
            if withAnswers, !q.steps.isEmpty {
                blocks.append(.table(Report.Table(header: ["worked steps"], rows: q.steps.map { [$0] })))
            }
        }
        return Report(title: assignment.title + (withAnswers ? " — answer key" : ""), subtitle: "Student " + Self.printable(variant.student, measurer: measurer),
                      metadata: [("questions", String(variant.questions.count)), ("points", GradeResult.points(assignment.maxScore))], blocks: blocks)
    }

    /// A student ID as the PDF can show it: exactly (no `_` or `^` read as markup), with any character
    /// the report's font has no glyph for written as its code point (李 → U+674E), so that an ID in any
    /// script still gets its sheet; the Markdown file keeps the ID as it is.
    static func printable(_ student: String, measurer: any TextMeasurer) -> String {
        let missing = Set(measurer.missingGlyphs(in: student, font: Theme.paper.font(10)))
        let shown = missing.isEmpty ? student : student.map { c in
            missing.contains(c) ? c.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ") : String(c)
        }.joined()
        return MathText.literal(shown)
    }

    /// Every answer of a student's variant, by question and key, as JSON (numbers, vectors and matrices as
    /// nested arrays, yes or no, words): the key for any other system.
    public static func answersJSON(_ variant: StudentVariant) -> JSONValue {
        .object(variant.questions.map { q in
            JSONMember(q.question.id, .object(q.question.asks.compactMap { ask in q.expected[ask.key].map { JSONMember(ask.key, $0.json) } }))
        })
    }

    /// A submission template for everyone: every question's keys with what they ask, as YAML.
    /// The submission template; with `student`, theirs, with their ID filled in (quoted as YAML needs).
    public static func template(_ assignment: Assignment, student: String? = nil) -> String {
        let id = student.map { "\"" + $0.unicodeScalars.map { c in
            c == "\"" || c == "\\" ? "\\" + String(c) : c.value < 0x20 || c.value == 0x7F ? String(format: "\\x%02X", c.value) : String(c)
        }.joined() + "\"" } ?? "\"your-id\""
        var lines = ["# Submission for \"\(assignment.title)\". Fill in every answer after its key.",
                     "# Numbers as 0.25, 1/4 or 2.5e-1; vectors as [1, 2, 3]; matrices as [[1, 2], [3, 4]]; yes or no.",
                     "student: \(id)", "answers:"]
        for question in assignment.questions {
            if question.subject.isReplay {
                lines.append("  # \(question.id) (\(question.title)): submit your program's run as its own file (a trace or a CSV)")
                continue
            }
            lines.append("  \(question.id):   # \(question.title)")
            for ask in question.asks {
                lines.append("    \"\(ask.key.replacingOccurrences(of: "\"", with: "\\\""))\":    # \(ask.prompt)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
