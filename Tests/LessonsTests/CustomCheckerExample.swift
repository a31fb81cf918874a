import Foundation
import Sim
import Testing
import Lessons

/// The example of a custom checker written against the Swift API (docs/assignments.md): a course that
/// gives a question's points only when every part of it is right, and reports the class's hardest
/// question. It reads the assignment, draws each student's variant, parses submissions and reuses the
/// standard grading of each answer; only the scoring policy is its own.
struct AllOrNothingChecker {
    let assignment: Assignment

    /// Points per question: full when every ask is right (carried errors do not count), else 0.
    func grade(_ submissionText: String, student: String) throws -> [String: Double] {
        let variant = try StudentVariant(assignment, student: student)
        let submission = try? Submission.parse(Array(submissionText.utf8), name: "\(student).yaml")
        let standard = Grader.grade(submission, variant: variant)
        var points: [String: Double] = [:]
        for question in standard.questions {
            points[question.question.id] = question.asks.allSatisfy { $0.status == .correct } ? question.maxScore : 0
        }
        return points
    }

    /// The question the fewest students got fully right.
    func hardest(_ grades: [[String: Double]]) -> String? {
        assignment.questions.min { a, b in
            grades.filter { ($0[a.id] ?? 0) > 0 }.count < grades.filter { ($0[b.id] ?? 0) > 0 }.count
        }?.id
    }
}

@Suite struct CustomCheckerExampleTests {
    @Test func allOrNothing() throws {
        let assignment = try Assignment(contentsOfFile: assignmentPath("backprop"))
        let checker = AllOrNothingChecker(assignment: assignment)
        let alice = try StudentVariant(assignment, student: "alice")
        let perfect = try checker.grade(perfectSubmission(alice), student: "alice")
        #expect(perfect == ["q1": 6, "q2": 5, "q3": 7, "q4": 4, "q5": 3])
        // One wrong forward value in q1 (a carried error elsewhere) loses all of q1, nothing else.
        let slip = perfectSubmission(alice).replacingOccurrences(of: "\"e\": -9.0", with: "\"e\": -7")
        #expect(slip != perfectSubmission(alice))
        let graded = try checker.grade(slip, student: "alice")
        #expect(graded["q1"] == 0 && graded["q2"] == 5)
        #expect(checker.hardest([perfect, graded]) == "q1")
    }
}
