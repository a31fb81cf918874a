import Foundation
import Sim
import Synchronization
import Testing
@testable import Lessons

/// Submissions are untrusted: every bad one gets a graded zero with a clear reason, never a crash or hang.
@Suite struct HostileSubmissionTests {
    let assignment: Assignment

    init() throws { assignment = try Assignment(contentsOfFile: assignmentPath("backprop")) }

    func parseError(_ bytes: [UInt8]) -> String? {
        do { _ = try Submission.parse(bytes, name: "bad.yaml"); return nil } catch { return error.description }
    }

    @Test func malformedDocuments() {
        #expect(parseError(Array("{\"answers\": {\"q1\": [1, 2".utf8))?.contains("JSON") == true)
        #expect(parseError(Array("answers:\n  q1: [1, 2\n".utf8))?.contains("YAML") == true)
        #expect(parseError(Array("- just\n- a list\n".utf8))?.contains("mapping") == true)
        #expect(parseError(Array("student: x\n".utf8))?.contains("answers") == true)
        #expect(parseError([0xFF, 0xFE, 0x61, 0x00])?.contains("UTF-16") == true)
        #expect(parseError([0x61, 0x3A, 0x20, 0xC3, 0x28])?.contains("UTF-8") == true)
        #expect(parseError(Array("answers: {q1: {L: \"a\u{0}b\"}}".utf8))?.contains("NUL") == true)
        #expect(parseError(Array("answers:\n  q1: {L: 1}\n  q1: {L: 2}\n".utf8)) != nil)
    }

    @Test func sizeDepthAndAliasesAreBounded() {
        let huge = Array(("answers:\n  q1:\n    L: \"" + String(repeating: "9", count: Submission.maximumBytes) + "\"\n").utf8)
        #expect(parseError(huge)?.contains("1 MiB") == true)
        let deepJSON = Array(("{\"answers\": " + String(repeating: "[", count: 500) + String(repeating: "]", count: 500) + "}").utf8)
        #expect(parseError(deepJSON) != nil)
        let deepYAML = Array(("answers: " + String(repeating: "[", count: 500) + String(repeating: "]", count: 500)).utf8)
        #expect(parseError(deepYAML)?.contains("nesting") == true)
        var indented = "answers:\n"
        for level in 1...40 { indented += String(repeating: " ", count: level * 2) + "k\(level):\n" }
        #expect(parseError(Array(indented.utf8))?.contains("nesting") == true)
        // Billion laughs: each level refers to the one before ten times.
        var laughs = "a0: &a0 [\"lol\"]\n"
        for i in 1...9 { laughs += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        laughs += "answers:\n  q1: {L: *a9}\n"
        #expect(parseError(Array(laughs.utf8))?.contains("alias") == true)
        let many = "answers:\n  q1:\n    L: [" + Array(repeating: "1", count: Submission.maximumValues + 10).joined(separator: ", ") + "]\n"
        #expect(parseError(Array(many.utf8))?.contains("values") == true)
    }

    @Test func wrongTypesAndNonFiniteNumbersScoreZeroWithAReason() throws {
        let alice = try StudentVariant(assignment, student: "alice")
        let given = try Submission.parse(Array("""
        {"student": "alice", "answers": {"q1": {"d": "nan", "e": "inf", "L": 1e308, "dL/da": [1, 2], "dL/db": {"x": 1}, "dL/dc": null},
         "q2": "everything", "q3": {"z": true, "extra": 1}, "q99": {}}, "signature": "x"}
        """.utf8), name: "alice.json")
        let result = Grader.grade(given, variant: alice)
        #expect(result.questions[0].score == 0 && result.questions[1].score == 0 && result.questions[2].score == 0)
        let statuses = result.questions[0].asks.map(\.status)
        #expect(statuses == [.invalid, .invalid, .wrong, .invalid, .invalid, .missing])
        #expect(result.problems.contains { $0.contains("signature") })
        #expect(result.problems.contains { $0.contains("q2") })
        #expect(result.problems.contains { $0.contains("q99") })
        #expect(result.problems.contains { $0.contains("extra") })
        // A JSON number beyond Double is refused by the reader, not read as infinity.
        #expect(parseError(Array("{\"answers\": {\"q1\": {\"L\": 1e999}}}".utf8)) != nil)
    }

    @Test func pathLikeStudentIDsNeverLeaveTheFolder() {
        for id in ["../../etc/passwd", "/abs/path", "..", ".", "a/b", "C:\\x", "", "ñandú", String(repeating: "x", count: 300), "con\u{0}trol"] {
            let name = AssignmentChecker.fileName(for: id)
            #expect(!name.contains("/") && !name.contains("\\") && !name.hasPrefix(".") && !name.isEmpty && name.count <= 80, "\(id) → \(name)")
        }
        #expect(AssignmentChecker.fileName(for: "alice_01") == "alice_01")
        #expect(AssignmentChecker.fileName(for: "a/b") != AssignmentChecker.fileName(for: "a_b"))
    }

    @Test func csvFieldsCannotBeFormulas() {
        #expect(AssignmentChecker.csv(text: "=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(AssignmentChecker.csv(number: "-2.5") == "-2.5")
        #expect(AssignmentChecker.csv(text: "@sum") == "'@sum")
        #expect(AssignmentChecker.csv(text: "a,b") == "\"a,b\"")
    }

    /// A batch with good, bad and hostile files: every file gets a result, bad ones a zero with a reason.
    @Test func batchGradesEveryFileWhateverTheOthersDo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-batch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let alice = try StudentVariant(assignment, student: "alice")
        try perfectSubmission(alice).write(toFile: folder + "/alice.yaml", atomically: true, encoding: .utf8)
        try "answers: [broken".write(toFile: folder + "/bob.yaml", atomically: true, encoding: .utf8)
        try "{\"student\": \"mallory\", \"answers\": {}}".write(toFile: folder + "/carol.json", atomically: true, encoding: .utf8)
        try Data(repeating: 0x41, count: Submission.maximumBytes + 1).write(to: URL(fileURLWithPath: folder + "/dave.yml"))
        try "ignored".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
        try "{\"format\": \"nnsim-trace\", \"answers\": {}}".write(toFile: folder + "/frank.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder + "/erin.yaml", withIntermediateDirectories: true)
        // Graded in parallel: progress still counts up one by one, and the results keep the files' order.
        let progress = Mutex<[Int]>([])
        let results = try AssignmentChecker(assignment).checkFolder(folder) { done, _ in progress.withLock { $0.append(done) } }
        #expect(results.map { ($0.file as NSString).lastPathComponent } == ["alice.yaml", "bob.yaml", "carol.json", "dave.yml", "erin.yaml", "frank.json"])
        #expect(progress.withLock { $0 } == [1, 2, 3, 4, 5, 6])
        let grades = results.compactMap { try? $0.result.get() }
        #expect(grades.count == 6)
        // A file posing as a run, for an assignment without replay questions, is read as answers.
        #expect(grades[5].score == 0 && grades[5].problems.contains { $0.contains("format") })
        #expect(grades[0].score == assignment.maxScore)
        #expect(grades[1].score == 0 && grades[1].problems.contains { $0.contains("could not be read") })
        #expect(grades[2].student == "carol" && grades[2].problems.contains { $0.contains("mallory") })
        #expect(grades[3].problems.contains { $0.contains("1 MiB") })
        #expect(grades[4].problems.contains { $0.contains("regular file") })
        let csv = AssignmentChecker(assignment).summaryCSV(grades)
        #expect(csv.split(separator: "\n").first == "student,status,q1,q2,q3,q4,q5,total,max,copying")
        #expect(csv.contains("alice,graded,6,5,7,4,3,25,25,"))
        // A 0 says why: an unreadable file, not a wrong answer.
        #expect(csv.contains("\nbob,unreadable,0,0,0,0,0,0,25,"))
    }
}
