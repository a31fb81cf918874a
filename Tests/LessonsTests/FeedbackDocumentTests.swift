import Foundation
import Testing
@testable import Lessons
@testable import Render
@testable import Sim

/// A student's feedback PDF: their graph with their drawn inputs and their answers marked right or wrong,
/// the expected value beside a wrong one only where the question shows it (issue 15).
@Suite struct FeedbackDocumentTests {
    func graded(showExpected: Bool) throws -> (QuestionResult, GradeResult, Assignment) {
        let yaml = """
        title: t
        seed: 5
        questions:
          - id: q
            graph: "d = 2*b; e = a + d; L = c*e"
            at: {a: {integers: [1, 4]}, b: {integers: [1, 4]}, c: {choices: [-2, 3]}}
            ask: [{value: d}, {value: e}, {value: L}, {gradient: a}, {gradient: b}]
            show-expected: \(showExpected)
        """
        let assignment = try Assignment(yaml: yaml, path: "t.yaml")
        let variant = try StudentVariant(assignment, student: "ana")
        let q = variant.questions[0]
        func number(_ key: String) throws -> Double {
            guard case .numbers(let xs, _)? = q.expected[key] else { throw LessonError("no \(key)") }
            return xs[0]
        }
        // d and ∂L/∂a right, e wrong (+1), L carried from the wrong e, ∂L/∂b not answered.
        let (d, e, c) = (try number("d"), try number("e"), q.numbers.first { $0.name == "c" }?.value ?? .nan)
        let text = "answers:\n  q:\n    d: \(d)\n    e: \(e + 1)\n    L: \(c * (e + 1))\n    \"dL/da\": \(try number("dL/da"))\n"
        let result = Grader.grade(try submission(text), variant: variant)
        return (result.questions[0], result, assignment)
    }

    func texts(_ list: DisplayList) -> [String: String] {
        var notes: [String: String] = [:]
        for item in list.items { if case .text(let run) = item, let tag = run.tag, tag.hasPrefix("note:") { notes[tag] = run.text } }
        return notes
    }

    func marks(_ list: DisplayList) -> [String: Color] {
        var marks: [String: Color] = [:]
        for item in list.items {
            if case .path(let path) = item, let tag = path.tag, tag.hasPrefix("mark:"), let stroke = path.stroke { marks[tag] = stroke.color }
        }
        return marks
    }

    @Test func answersAreMarkedOnTheStudentsGraph() throws {
        let (q, _, _) = try graded(showExpected: false)
        let list = try #require(FeedbackDocument.figure(q, measurer: CairoTextMeasurer()))
        let notes = texts(list)
        let e = q.variant.expected["e"]?.display ?? "?"
        #expect(notes["note:d#0"]?.hasSuffix("✓") == true)
        #expect(notes["note:e#0"]?.hasSuffix("✗") == true, "\(notes)")
        #expect(notes["note:L#0"]?.contains("carried") == true)
        #expect(notes["note:a#0"]?.hasPrefix("∂L/∂a = ") == true && notes["note:a#0"]?.hasSuffix("✓") == true)
        #expect(notes["note:b#0"] == "∂L/∂b: no answer")
        // No expected value anywhere in the figure, and no computed value or gradient on an edge.
        let all = list.items.compactMap { if case .text(let run) = $0 { return run.text } else { return nil } }
        #expect(!all.contains { $0.contains("expected") })
        #expect(!list.items.contains { if case .text(let run) = $0 { return run.tag?.hasPrefix("edge-gradient:") == true } else { return false } })
        let theme = Theme.paper
        #expect(marks(list) == ["mark:d": theme.right, "mark:e": theme.wrong, "mark:L": theme.wrong, "mark:a": theme.right])
        // With show-expected, a wrong answer has the key beside it.
        let (shown, _, _) = try graded(showExpected: true)
        let shownNotes = texts(try #require(FeedbackDocument.figure(shown, measurer: CairoTextMeasurer())))
        #expect(shownNotes["note:e#0"]?.hasSuffix("✗ (expected \(e))") == true, "\(shownNotes)")
    }

    @Test func theReportHasEveryQuestionAndRenders() throws {
        let (_, result, assignment) = try graded(showExpected: false)
        let measurer = CairoTextMeasurer()
        let report = FeedbackDocument.report(result, assignment: assignment, measurer: measurer)
        #expect(report.metadata.last?.key == "total" && report.metadata.count == 2)
        let pdf = try CairoRenderer.render(document: ReportLayout(measurer: measurer).pages(report))
        #expect(pdf.starts(with: Array("%PDF".utf8)))
        // The same result draws the same bytes.
        #expect(pdf == (try CairoRenderer.render(document: ReportLayout(measurer: measurer).pages(report))))
    }
}
