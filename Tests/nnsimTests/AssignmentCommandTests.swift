import Foundation
import Testing

@Suite struct AssignmentCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-assignment-\(UUID().uuidString)").path
    let assignment = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("assignments/backprop.yaml").path

    @Test func sheetKeyAndTemplate() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sheet = try NNSimBinary.run(["assignment", "sheet", assignment, "--student", "alice", "--out", folder])
        #expect(sheet.status == 0, "\(sheet.stderr)")
        let key = try NNSimBinary.run(["assignment", "key", assignment, "--student", "alice", "--out", folder])
        #expect(key.status == 0, "\(key.stderr)")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(files.isSuperset(of: ["alice-sheet.md", "alice-sheet.pdf", "alice-key.md", "alice-key.pdf"]))
        let sheetText = try String(contentsOfFile: folder + "/alice-sheet.md", encoding: .utf8)
        let keyText = try String(contentsOfFile: folder + "/alice-key.md", encoding: .utf8)
        #expect(sheetText.contains("a = −1, b = −4, c = 5") && !sheetText.contains("**−45**"))
        #expect(keyText.contains("**−45**") && keyText.contains("L = c·e = 5·(−9) = −45"))
        let template = try NNSimBinary.run(["assignment", "template", assignment])
        #expect(template.status == 0 && template.stdout.contains("\"dL/da\":") && template.stdout.contains("\"w@2\":"))
    }

    /// `nnsim assignment class`: everything for a class list in one call, all computed before anything is
    /// written; the autograder only from an nnsim that runs without the toolchain.
    @Test func everythingForAClassInOneCall() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let roster = folder + "/students.csv", out = folder + "/class"
        try "student,email,due\nann,a@x,2026-12-10\n\"o'brien, kay\",k@x,\n".write(toFile: roster, atomically: true, encoding: .utf8)
        let result = try NNSimBinary.run(["assignment", "class", assignment, "--roster", roster, "--out", out, "--no-autograder"])
        #expect(result.status == 0, "\(result.stderr)")
        let files = Set(try FileManager.default.subpathsOfDirectory(atPath: out))
        #expect(files.isSuperset(of: ["sheets/ann-sheet.md", "sheets/ann-sheet.pdf", "keys/ann-key.pdf", "templates/ann.yaml", "answers.json"]))
        #expect(files.contains { $0.hasPrefix("templates/o_brien") } && !files.contains("autograder.zip"))
        // Each template carries its student's ID and is graded as theirs (empty, 0 points).
        let kay = try #require(files.first { $0.hasPrefix("templates/o_brien") })
        #expect(try String(contentsOfFile: out + "/" + kay, encoding: .utf8).contains("student: \"o'brien, kay\""))
        let check = try NNSimBinary.run(["check", assignment, out + "/" + kay])
        #expect(check.status == 0 && check.stdout.contains("o'brien, kay"), "\(check.stderr)")
        // The key in answers.json is the one `assignment answers` gives.
        let answers = try NNSimBinary.run(["assignment", "answers", assignment, "--roster", roster])
        #expect(try String(contentsOfFile: out + "/answers.json", encoding: .utf8) == answers.stdout)
        // A binary that needs the toolchain (this test process) is refused for the autograder, nothing else
        // is written, and the message says how to go on.
        let tests = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let refused = try NNSimBinary.run(["assignment", "class", assignment, "--roster", roster, "--out", folder + "/other", "--binary", tests])
        #expect(refused.status == 1 && refused.stderr.contains("--no-autograder") && !FileManager.default.fileExists(atPath: folder + "/other"))
        if let binary = ProcessInfo.processInfo.environment["NNSIM_STATIC_BINARY"] {
            let full = try NNSimBinary.run(["assignment", "class", assignment, "--roster", roster, "--out", out, "--binary", binary])
            #expect(full.status == 0 && FileManager.default.fileExists(atPath: out + "/autograder.zip"), "\(full.stderr)")
        }
    }

    @Test func checkPrintsTheReportAndWritesGradescopeResults() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "answers:\n  q1: {d: -8, e: -9, L: -45}\n".write(toFile: folder + "/a.yaml", atomically: true, encoding: .utf8)
        let results = folder + "/results.json"
        let check = try NNSimBinary.run(["check", assignment, folder + "/a.yaml", "--student", "alice", "--gradescope", results])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("Student alice: 3 of 25 points"))
        let json = try String(contentsOfFile: results, encoding: .utf8)
        #expect(json.contains("\"score\": 3.0") && json.contains("\"max_score\": 6.0") && json.contains("\"visibility\": \"visible\""))
        // An unreadable submission is still graded (0) and exits 0; a missing student ID is an error.
        try "{{{{".write(toFile: folder + "/bad.json", atomically: true, encoding: .utf8)
        let bad = try NNSimBinary.run(["check", assignment, folder + "/bad.json", "--student", "bob"])
        #expect(bad.status == 0 && bad.stdout.contains("0 of 25") && bad.stdout.contains("could not be read"))
        let anonymous = try NNSimBinary.run(["check", assignment, folder + "/a.yaml"])
        #expect(anonymous.status == 1 && anonymous.stderr.contains("--student"))
        let missing = try NNSimBinary.run(["check", folder + "/nope.yaml", folder + "/a.yaml", "--student", "x"])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("error:"))
    }

    @Test func batchWritesSummaryAndFeedbackInsideTheOutputFolder() throws {
        let submissions = folder + "/in", out = folder + "/out"
        try FileManager.default.createDirectory(atPath: submissions, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "answers:\n  q2: {q: 1}\n".write(toFile: submissions + "/bob.yaml", atomically: true, encoding: .utf8)
        try "answers: [".write(toFile: submissions + "/..evil.yaml", atomically: true, encoding: .utf8)
        try "{\"student\": \"../../escape\", \"answers\": {}}".write(toFile: submissions + "/carol.json", atomically: true, encoding: .utf8)
        let result = try NNSimBinary.run(["check", assignment, submissions, "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Graded 2 of 2 submissions"))
        let csv = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8)
        #expect(csv.hasPrefix("student,status,q1,q2,q3,q4,q5,total,max,copying\n") && csv.contains("\nbob,graded,") && csv.contains("\ncarol,empty,"))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out + "/feedback")) == ["bob.txt", "carol.txt"])
        let grades = try String(contentsOfFile: out + "/grades.csv", encoding: .utf8)
        #expect(grades.hasPrefix("student,points,max\n") && grades.contains("\nbob,") && grades.hasSuffix(",25\n"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/escape.txt"))
        // --pdf: each student's feedback also as a PDF, the student's own graph in it (read back with pdftotext).
        let withPDF = try NNSimBinary.run(["check", assignment, submissions, "--out", out, "--pdf"])
        #expect(withPDF.status == 0 && withPDF.stdout.contains("feedback files (text and PDF)"), "\(withPDF.stderr)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out + "/feedback")) == ["bob.txt", "bob.pdf", "carol.txt", "carol.pdf"])
        let text = try NNSimBinary.run(executable: URL(fileURLWithPath: "/usr/bin/pdftotext"), ["-layout", out + "/feedback/bob.pdf", "-"])
        #expect(text.stdout.contains("feedback") && text.stdout.contains("Your graph with your numbers"), "\(text.stdout.prefix(400))")
        // One submission: OUT/ID-feedback.pdf.
        let one = try NNSimBinary.run(["check", assignment, submissions + "/bob.yaml", "--student", "bob", "--out", folder + "/one", "--pdf"])
        #expect(one.status == 0 && FileManager.default.fileExists(atPath: folder + "/one/bob-feedback.pdf"), "\(one.stderr)")
    }

    /// Gradescope unpacks a submission into a folder and expects results.json whatever happened (issue 15,
    /// items 2, 3 and 7).
    @Test func gradescopeGetsResultsForAFolderAMissingFileAndLookalikes() throws {
        try FileManager.default.createDirectory(atPath: folder + "/submission", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "answers:\n  q1: {d: -8, e: -9, L: -45}\n".write(toFile: folder + "/submission/answers.yaml", atomically: true, encoding: .utf8)
        let results = folder + "/results/results.json"
        let graded = try NNSimBinary.run(["check", assignment, folder + "/submission", "--student", "alice", "--gradescope", results])
        #expect(graded.status == 0, "\(graded.stderr)")
        #expect(graded.stdout.contains("Student alice: 3 of 25 points"))
        #expect(try String(contentsOfFile: results, encoding: .utf8).contains("\"score\": 3.0"))
        // Missing: 0 points with the reason, and results.json all the same.
        try FileManager.default.removeItem(atPath: results)
        let missing = try NNSimBinary.run(["check", assignment, folder + "/none.yaml", "--student", "alice", "--gradescope", results])
        #expect(missing.status == 0, "\(missing.stderr)")
        let json = try String(contentsOfFile: results, encoding: .utf8)
        #expect(json.contains("\"score\": 0") && json.contains("No such file or directory"))
        // Two candidates and no answers file: the first graded, and the feedback says which.
        try FileManager.default.removeItem(atPath: folder + "/submission/answers.yaml")
        for name in ["a.yaml", "b.json"] { try "answers: {}\n".write(toFile: folder + "/submission/" + name, atomically: true, encoding: .utf8) }
        let several = try NNSimBinary.run(["check", assignment, folder + "/submission", "--student", "alice"])
        #expect(several.status == 0 && several.stdout.contains("graded the answers in a.yaml; not graded: b.json"), "\(several.stdout)")
        // Answers that mention nnsim-trace near the top are answers, not a run.
        try "# my notes: nnsim-trace \"nnsim-trace\" format\nanswers:\n  q1: {d: -8, e: -9, L: -45}\n".write(toFile: folder + "/mention.yaml", atomically: true, encoding: .utf8)
        let mention = try NNSimBinary.run(["check", assignment, folder + "/mention.yaml", "--student", "alice"])
        #expect(mention.status == 0 && mention.stdout.contains("Student alice: 3 of 25 points"), "\(mention.stdout) \(mention.stderr)")
        // Against an assignment with replay questions, where a run would be replayed instead.
        let ownCode = (assignment as NSString).deletingLastPathComponent + "/own-code.yaml"
        let replayed = try NNSimBinary.run(["check", ownCode, folder + "/mention.yaml", "--student", "alice"])
        #expect(replayed.status == 0 && !replayed.stdout.contains("the run could not be read"), "\(replayed.stdout) \(replayed.stderr)")
    }
}

/// A student ID in any script gets its sheet (the PDF writes a character its font lacks as its code
/// point); `_` and `^` in an ID stay as written (issue 15, item 5).
/// Every student of a class list gets a sheet in one call.
@Suite struct RosterCommandTests {
    @Test func aRosterWritesEveryStudentsSheet() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-roster-cmd-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "student\nann\nbob\ncid\n".write(toFile: folder + "/class.csv", atomically: false, encoding: .utf8)
        let assignment = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("assignments/backprop.yaml").path
        let result = try NNSimBinary.run(["assignment", "sheet", assignment, "--roster", folder + "/class.csv", "--out", folder + "/sheets"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Wrote 6 files for 3 students in \(folder)/sheets/\n")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder + "/sheets")) ==
                ["ann-sheet.md", "ann-sheet.pdf", "bob-sheet.md", "bob-sheet.pdf", "cid-sheet.md", "cid-sheet.pdf"])
        let both = try NNSimBinary.run(["assignment", "sheet", assignment, "--roster", folder + "/class.csv", "--student", "ann"])
        #expect(both.status != 0 && both.stderr.contains("not both"))
    }
}

@Suite struct StudentIDSheetTests {
    @Test func anyStudentIDGetsItsSheet() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-ids-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let assignment = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("assignments/backprop.yaml").path
        for (id, shown) in [("李", "Student U+674E"), ("a_b^c", "Student a_b^c")] {
            let result = try NNSimBinary.run(["assignment", "sheet", assignment, "--student", id, "--out", folder])
            #expect(result.status == 0, "\(result.stderr)")
            let pdf = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".pdf") })
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
            process.arguments = [folder + "/" + pdf, "-"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(text.contains(shown), "\(text.prefix(200))")
            let markdown = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".md") })
            #expect(try String(contentsOfFile: folder + "/" + markdown, encoding: .utf8).contains("Student: \(id)"))
            try FileManager.default.removeItem(atPath: folder)
        }
    }
}

/// The PrairieLearn export, checked as PrairieLearn would use it: server.py's generate run by Python for
/// several variant seeds gives nnsim's own draws and answers, info.json and question.html have the fields
/// and elements PrairieLearn's format asks for, and PrairieLearn's relabs test passes every answer rounded
/// to the digits the sheet asks for (issue 15).
@Suite struct PrairieLearnExportTests {
    @Test func serverPyGivesNnsimsDrawsAndTheFilesFollowTheFormat() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-pl-\(UUID().uuidString)").path
        let folder = work + "/questions"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let assignment = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("assignments/backprop.yaml").path
        let export = try NNSimBinary.run(["assignment", "prairielearn", assignment, "--out", folder, "--variants", "7"])
        #expect(export.status == 0, "\(export.stderr)")
        let questions = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        #expect(questions.count == 5)
        let script = """
        import importlib.util, json, re, sys
        folder, answers = sys.argv[1], json.load(open(sys.argv[2]))
        checked = 0
        for q in sorted(__import__("os").listdir(folder)):
            if q.startswith("."): continue
            path = folder + "/" + q
            info = json.load(open(path + "/info.json"))
            assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", info["uuid"]), info
            assert info["type"] == "v3" and info["title"] and info["topic"], info
            html = open(path + "/question.html").read()
            spec = importlib.util.spec_from_file_location("server_" + q.replace("-", "_"), path + "/server.py")
            server = importlib.util.module_from_spec(spec); spec.loader.exec_module(server)
            qid = q.rsplit("-", 1)[1]
            for seed in range(7):
                data = {"params": {}, "correct_answers": {}, "variant_seed": seed}
                server.generate(data)
                expected = answers["students"]["variant-%d" % (seed + 1)][qid]
                assert list(data["correct_answers"].values()) == list(expected.values()), (q, seed, data, expected)
                for name, value in data["correct_answers"].items():
                    assert 'answers-name="%s"' % name in html, (q, name)
                    # PrairieLearn's relabs: |a - b| <= atol + rtol*|b|; the sheet asks for 4 significant digits.
                    if isinstance(value, float):
                        rtol = float(re.search('answers-name="%s"[^>]*rtol="([^"]+)"' % name, html).group(1))
                        atol = float(re.search('answers-name="%s"[^>]*atol="([^"]+)"' % name, html).group(1))
                        rounded = float("%.3e" % value)
                        assert abs(rounded - value) <= atol + rtol * abs(value), (q, name, value)
                    checked += 1
        print(checked)
        """
        try script.write(toFile: work + "/check.py", atomically: false, encoding: .utf8)
        var answers = try NNSimBinary.run(["assignment", "answers", assignment, "--roster", "/dev/null"])
        #expect(answers.status != 0)
        try (["student"] + (1...7).map { "variant-\($0)" }).joined(separator: "\n").write(toFile: work + "/roster.csv", atomically: false, encoding: .utf8)
        answers = try NNSimBinary.run(["assignment", "answers", assignment, "--roster", work + "/roster.csv"])
        #expect(answers.status == 0, "\(answers.stderr)")
        try answers.stdout.write(toFile: work + "/answers.json", atomically: false, encoding: .utf8)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", work + "/check.py", folder, work + "/answers.json"]
        let out = Pipe(), err = Pipe()
        python.standardOutput = out
        python.standardError = err
        try python.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        #expect(python.terminationStatus == 0, "\(errors)")
        #expect((Int(printed.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 100, "\(printed)")
    }
}
