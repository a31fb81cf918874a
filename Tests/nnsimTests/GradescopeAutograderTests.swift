import Foundation
import Sim
import Testing

/// What `nnsim check … --metadata … --gradescope` does with a Gradescope submission folder, and the
/// autograder zip (`nnsim assignment autograder`); every results.json is checked against Gradescope's
/// specification (GradescopeResultsSpec). The whole zip on a bare Ubuntu-like root is in
/// GradescopeRootTests below.
@Suite struct GradescopeAutograderTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-gradescope-\(UUID().uuidString)").path
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let backprop = repository.appendingPathComponent("assignments/backprop.yaml").path

    /// A metadata file as Gradescope writes it (its documented example, with our student).
    static func metadata(email: String = "alice@example.edu", createdAt: String = "2026-11-20T14:22:32.365935-07:00",
                         due: String = "2026-12-01T23:00:00.000000-07:00", late: String? = nil) -> String {
        """
        {"id": 123456, "created_at": "\(createdAt)",
         "assignment": {"due_date": "\(due)", "group_size": null, "group_submission": false, "id": 25828, "course_id": 1234,
                        "late_due_date": \(late.map { "\"\($0)\"" } ?? "null"), "release_date": "2026-11-01T00:00:00.000000-07:00",
                        "title": "Backprop", "total_points": "25.0"},
         "submission_method": "upload",
         "users": [{"email": "\(email)", "id": 1234, "name": "Alice"}],
         "previous_submissions": []}
        """
    }

    /// The key for one student, as a submission: `{"answers": {…}}`.
    static func perfectAnswers(_ assignment: String, student: String, binary: URL = NNSimBinary.url) throws -> String {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["assignment", "answers", assignment, "--student", student]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let key = try JSONParser.parse([UInt8](data))
        guard let answers = key["students"]?[student] else { throw CocoaError(.fileReadCorruptFile) }
        return JSONWriter.text(.object([JSONMember("answers", answers)]))
    }

    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Grades `submission` as run_autograder does and returns results.json, checked against the specification.
    func grade(_ submission: String, assignment: String = Self.backprop, metadata: String = Self.metadata(), extra: [String] = []) throws -> JSONValue {
        try write(metadata, to: folder + "/submission_metadata.json")
        let results = folder + "/results/results.json"
        try? FileManager.default.removeItem(atPath: results)
        try FileManager.default.createDirectory(atPath: folder + "/results", withIntermediateDirectories: true)
        let run = try NNSimBinary.run(["check", assignment, submission, "--metadata", folder + "/submission_metadata.json", "--gradescope", results] + extra)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: results)))
        #expect(GradescopeResultsSpec.violations(bytes) == [], "\(String(decoding: bytes, as: UTF8.self))\n\(run.stderr)")
        return try JSONParser.parse(bytes)
    }

    @Test func everyLayoutAStudentMayUploadIsFoundAndGraded() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let perfect = try Self.perfectAnswers(Self.backprop, student: "alice@example.edu")
        let sub = folder + "/submission"
        // Named anything, in a folder a zip made, with macOS's resource forks and a README beside it.
        try write(perfect, to: sub + "/hw3/final/My Answers (1).json")
        try write("\u{0}\u{5}garbage", to: sub + "/__MACOSX/hw3/final/._My Answers (1).json")
        try write("Read me: my answers are in the json file.\n", to: sub + "/hw3/README.txt")
        var json = try grade(sub)
        #expect(json["score"] == .number(25) && json["extra_data"]?["student"] == .string("alice@example.edu"))
        // YAML, not called answers: the same.
        try FileManager.default.removeItem(atPath: sub)
        try write("answers:\n  q1: {d: 4, e: 5, L: -10, dL/da: -2, dL/db: -4, dL/dc: 5}\n", to: sub + "/alice.yml")
        json = try grade(sub)
        #expect(json["score"] == .number(6))
        // Wrong answers: graded, the key not shown (show-expected is off by default).
        try write("answers:\n  q1: {d: 5, e: 5, L: -10, dL/da: -2, dL/db: -4, dL/dc: 5}\n", to: sub + "/alice.yml")
        json = try grade(sub)
        guard case .array(let tests)? = json["tests"], case .string(let q1)? = tests.first?["output"] else { Issue.record("no tests"); return }
        #expect(json["score"] == .number(5) && q1.contains("d: got 5: wrong") && !q1.contains("expected"))
        #expect(tests.count == 5 && tests[0]["status"] == .string("failed") && tests[0]["max_score"] == .number(6))
        // Garbage: 0 with the reason.
        try FileManager.default.removeItem(atPath: sub)
        try write("{\"answers\": [1, 2", to: sub + "/answers.json")
        json = try grade(sub)
        guard case .string(let output)? = json["output"] else { Issue.record("no output"); return }
        #expect(json["score"] == .number(0) && output.contains("could not be read") && json["extra_data"]?["status"] == .string("unreadable"))
        // Nothing at all: 0 with the reason, results written all the same.
        try FileManager.default.removeItem(atPath: sub)
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        json = try grade(sub)
        guard case .string(let empty)? = json["output"] else { Issue.record("no output"); return }
        #expect(json["score"] == .number(0) && empty.contains("holds no answers"))
        // Two answer files: answers.* wins, and the feedback says which one was graded.
        try write("answers:\n  q1: {d: 4}\n", to: sub + "/answers.yaml")
        try write("answers:\n  q1: {d: 4, e: 5}\n", to: sub + "/old.yaml")
        json = try grade(sub)
        guard case .string(let chosen)? = json["output"] else { Issue.record("no output"); return }
        #expect(json["score"] == .number(1) && chosen.contains("graded the answers in answers.yaml; not graded: old.yaml"))
    }

    @Test func answersAndARunAreGradedTogether() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let assignment = folder + "/both.yaml"
        try write("""
            title: Both
            seed: 42
            questions:
              - id: q1
                graph: "d = 2*b; e = a + d; L = c*e"
                at: {a: 3, b: 1, c: -2}
                ask: [{value: d}, {gradient: a}]
              - id: xor
                replay: xor
                steps: 5
                points: 10
            """, to: assignment)
        let trace = folder + "/trace.json"
        let lesson = try NNSimBinary.run(["lesson", "xor", "--set", "steps=5", "--trace", trace, "--out", folder + "/lesson", "--quiet", "--format", "svg"])
        #expect(lesson.status == 0, "\(lesson.stderr)")
        let sub = folder + "/submission"
        try write("{\"answers\": {\"q1\": {\"d\": 2, \"dL/da\": -2}}}", to: sub + "/answers.json")
        try FileManager.default.createDirectory(atPath: sub + "/run", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: trace, toPath: sub + "/run/my run.json")
        var json = try grade(sub, assignment: assignment)
        #expect(json["score"] == .number(12), "\(json)")
        // The run alone: its question graded, the others 0 with a note.
        try FileManager.default.removeItem(atPath: sub + "/answers.json")
        json = try grade(sub, assignment: assignment)
        guard case .string(let output)? = json["output"] else { Issue.record("no output"); return }
        #expect(json["score"] == .number(10) && output.contains("no answers file"))
    }

    @Test func theKeyIsShownOnlyAfterTheDueDateWhenTheAssignmentSaysSo() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let assignment = folder + "/late.yaml"
        try write("""
            title: Late
            seed: 7
            questions:
              - id: q1
                graph: "L = a*b"
                at: {a: 3, b: 4}
                ask: [{value: L}]
                show-expected: after-due-date
            """, to: assignment)
        try write("answers:\n  q1: {L: 11}\n", to: folder + "/submission/a.yaml")
        func output(_ metadata: String) throws -> String {
            guard case .array(let tests)? = try grade(folder + "/submission", assignment: assignment, metadata: metadata)["tests"],
                  case .string(let text)? = tests.first?["output"] else { return "" }
            return text
        }
        #expect(!(try output(Self.metadata())).contains("expected 12"))
        #expect(try output(Self.metadata(createdAt: "2026-12-02T08:00:00Z")).contains("expected 12"))
        // A late due date moves the deadline; a submission between the two still sees nothing.
        #expect(!(try output(Self.metadata(createdAt: "2026-12-02T08:00:00Z", late: "2026-12-05T23:00:00-07:00"))).contains("expected 12"))
    }

    @Test func theRosterTurnsGradescopeEmailsIntoStudentIDs() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write("student,name,email\nalice,Alice A,Alice@Example.edu\nbob,Bob B,bob@example.edu\n", to: folder + "/roster.csv")
        let perfect = try Self.perfectAnswers(Self.backprop, student: "alice")
        try write(perfect, to: folder + "/submission/answers.json")
        var json = try grade(folder + "/submission", extra: ["--roster", folder + "/roster.csv"])
        #expect(json["score"] == .number(25) && json["extra_data"]?["student"] == .string("alice"))
        json = try grade(folder + "/submission", metadata: Self.metadata(email: "mallory@example.edu"), extra: ["--roster", folder + "/roster.csv"])
        guard case .string(let output)? = json["output"] else { Issue.record("no output"); return }
        #expect(json["score"] == .number(0) && output.contains("mallory@example.edu") && output.contains("not on this assignment's class list"))
    }

    @Test func theZipIsDeterministicAndRefusesABinaryThatNeedsTheToolchain() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // This test process links the toolchain's libswiftCore.so: not for Gradescope. (nnsim itself may be
        // linked statically here: scripts/test links it so for the bare-root test.)
        let tests = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let refused = try NNSimBinary.run(["assignment", "autograder", Self.backprop, "--out", folder + "/a", "--binary", tests])
        #expect(refused.status == 1 && refused.stderr.contains("libswiftCore.so") && refused.stderr.contains("scripts/autograder"))
        // Any executable that needs only system libraries is packed; twice gives the same bytes.
        let binary = "/usr/bin/env"
        for out in ["a", "b"] {
            let made = try NNSimBinary.run(["assignment", "autograder", Self.backprop, "--out", folder + "/" + out, "--binary", binary])
            #expect(made.status == 0, "\(made.stderr)")
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: folder + "/a/autograder.zip"))
        let b = try Data(contentsOf: URL(fileURLWithPath: folder + "/b/autograder.zip"))
        #expect(a == b && a.count > 1000)
        // Python's zipfile reads it: the names, the modes, the contents.
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", """
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            print(" ".join("%s:%o" % (i.filename, i.external_attr >> 16) for i in z.infolist()))
            assert z.read("nnsim") == open(sys.argv[2], "rb").read()
            """, folder + "/a/autograder.zip", binary]
        let out = Pipe()
        python.standardOutput = out
        try python.run()
        let listing = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        #expect(listing == "setup.sh:100755 run_autograder:100755 nnsim:100755 assignment.yaml:100644\n")
        // A question that shows its key on every submission is packed, with a warning.
        let revealing = folder + "/revealing.yaml"
        try write("title: R\nseed: 1\nquestions:\n  - id: q1\n    graph: \"L = a*b\"\n    at: {a: 3, b: 4}\n    ask: [{value: L}]\n    show-expected: true\n", to: revealing)
        let warned = try NNSimBinary.run(["assignment", "autograder", revealing, "--out", folder + "/c", "--binary", binary])
        #expect(warned.status == 0 && warned.stderr.contains("q1 shows its expected values on every submission"), "\(warned.stderr)")
    }
}
