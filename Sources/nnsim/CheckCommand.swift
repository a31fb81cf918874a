import ArgumentParser
import Foundation
import Lessons
import Render
import SafeFiles
import Sim

/// `nnsim check A.yaml SUBMISSION|FOLDER`: grades submissions against every student's own numbers.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Grade a submission, or every submission in a folder, with feedback.",
        discussion: """
        A run of the student's own program (a trace, or a CSV of step,quantity,value) is replayed against the
        assignment's replay question (--question picks one): every step from the student's own state.

        A file: prints a per-question report (points, what was expected where the assignment shows it, what
        was given, the first wrong step) and exits 0 whatever the score. With --gradescope, also writes
        Gradescope's results.json.

        One student's folder (with --student or --gradescope, as Gradescope unpacks a submission): grades
        answers.json (.yaml, .yml) in it, or its only submission file. A missing or unreadable submission
        is graded 0 with the reason, and --gradescope's results are still written.

        A folder: grades every .json, .yaml and .yml file in it, the student ID being the file name
        without its extension, and writes OUT/summary.csv, OUT/grades.csv (student,points,max, for an LMS),
        OUT/class.csv and OUT/class.pdf (each question's difficulty and discrimination, the most common
        first wrong step) and one OUT/feedback/ID.txt per student. OUT is
        replaced as a whole, so it must be new or hold only an earlier check's files.

        Examples:
          nnsim check assignments/backprop.yaml alice.yaml --student alice
          nnsim check assignments/backprop.yaml /autograder/submission/answers.json --student "$ID" --gradescope /autograder/results/results.json
          nnsim check assignments/backprop.yaml submissions/ --out grades
        """
    )

    @Argument(help: "The assignment (YAML, docs/assignments.md).")
    var assignment: String

    @Argument(help: "A submission file (JSON or YAML) or a folder of them.")
    var submission: String

    @Option(name: .long, help: "The student's ID (default: the 'student' in the submission; for a folder, each file's name).")
    var student: String?

    @Option(name: .long, help: "For a run file (a trace or a CSV): the replay question it answers, when the assignment has several.")
    var question: String?

    @Option(name: .long, help: ArgumentHelp("Also write Gradescope's autograder results to this file.", valueName: "results.json"))
    var gradescope: String?

    @Option(name: .long, help: ArgumentHelp("Gradescope's submission metadata: the student is its first user (their email, found in --roster if given), and show-expected: after-due-date shows the key to a submission made after the due date.", valueName: "submission_metadata.json"))
    var metadata: String?

    @Option(name: .long, help: ArgumentHelp("With --metadata: the class list whose row holds the student's Gradescope email (or user ID) gives their student ID.", valueName: "students.csv"))
    var roster: String?

    @Option(name: .long, help: ArgumentHelp("For a folder: where summary.csv and feedback/ go.", valueName: "dir"))
    var out = "output/grades"

    @Flag(name: .long, help: ArgumentHelp("Also write the feedback as a PDF, with each graph question's graph drawn with the student's numbers and answers: for a folder OUT/feedback/ID.pdf beside ID.txt, for one submission OUT/ID-feedback.pdf."))
    var pdf = false

    @Flag(name: .long, help: "Print only the total.")
    var quiet = false

    func validate() throws {
        if roster != nil && metadata == nil { throw ValidationError("--roster needs --metadata (Gradescope's submission_metadata.json)") }
        if metadata != nil && gradescope == nil { throw ValidationError("--metadata needs --gradescope results.json") }
        if pdf && metadata != nil { throw ValidationError("--pdf writes files for the instructor to hand out; Gradescope shows results.json (leave --pdf out with --metadata)") }
    }

    func run() {
        let assignment: Assignment
        do {
            assignment = try Assignment(contentsOfFile: self.assignment)
        } catch {
            failGradescope("The autograder is misconfigured (its assignment cannot be read); your instructor can see why. Resubmitting will not help until they fix it.")
            Terminal.fail("\(error)")
        }
        if metadata != nil {
            checkGradescopeSubmission(AssignmentChecker(assignment))
            return
        }
        let checker = AssignmentChecker(assignment)
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: submission, isDirectory: &isFolder)
        // One student's submission: a file, or with --student or --gradescope a folder holding it (what
        // Gradescope unpacks into /autograder/submission). A missing or unreadable one is graded 0 with the
        // reason, so Gradescope shows the student a result, not "autograder failed".
        let oneFolder = exists && isFolder.boolValue
        if oneFolder && student == nil && gradescope == nil {
            checkFolder(checker)
            return
        } else if !exists && gradescope == nil {
            Terminal.fail("\(submission): no such file or folder")
        }
        // The results file is checked before grading and written before the feedback is printed.
        let result: GradeResult
        let output = OutputTransaction()
        do {
            if let gradescope { try OutputTransaction.checkFile(gradescope) }
            if oneFolder {
                guard let student else { throw LessonError("give --student to grade one student's folder", file: submission) }
                result = try checker.check(folderAt: submission, student: student, question: question)
            } else {
                result = try checker.check(fileAt: submission, student: student, question: question)
            }
            if let gradescope { try output.stageFile(gradescope, bytes: JSONWriter.bytes(result.gradescope)) }
            if pdf {
                let path = (out as NSString).appendingPathComponent(AssignmentChecker.fileName(for: result.student) + "-feedback.pdf")
                try OutputTransaction.checkFile(path)
                try output.stageFile(path, bytes: try FeedbackDocument.pdf(result, assignment: assignment))
            }
            try output.commit()
        } catch {
            output.rollback()   // Terminal.fail exits at once: no deinit would roll back
            Terminal.fail("\(error)")
        }
        Terminal.print(quiet ? "\(PrintableText.escaped(result.student)): \(GradeResult.points(result.score)) / \(GradeResult.points(result.maxScore))" : result.text, terminator: quiet ? "\n" : "")
    }

    /// Writes Gradescope's results for a submission that cannot be graded (0 and the reason), when asked
    /// for them: the student sees why instead of "autograder failed".
    func failGradescope(_ reason: String) {
        guard let gradescope else { return }
        let output = OutputTransaction()
        do {
            try output.stageFile(gradescope, bytes: JSONWriter.bytes(GradeResult.gradescopeFailure(reason)))
            try output.commit()
        } catch {
            output.rollback()
            Terminal.warn("could not write \(gradescope): \(error)")
        }
    }

    /// One Gradescope submission (what run_autograder does): the student from the metadata (through the
    /// roster when given), every answer and run in the submission folder graded into one results.json.
    func checkGradescopeSubmission(_ checker: AssignmentChecker) {
        guard let gradescope, let metadata else { return }
        let info: GradescopeMetadata
        do {
            info = try GradescopeMetadata(contentsOfFile: metadata)
        } catch {
            failGradescope("The autograder could not read Gradescope's submission metadata; your instructor can see why.")
            Terminal.fail("\(error)")
        }
        var notes: [String] = []
        var deadline: Double?
        let id: String
        if let student {
            id = student
        } else if let roster {
            let entries: [(id: String, fields: [String])]
            do {
                entries = try Roster.entries(roster)
            } catch {
                failGradescope("The autograder is misconfigured (its class list cannot be read); your instructor can see why.")
                Terminal.fail("\(error)")
            }
            guard let found = info.users.lazy.compactMap({ Roster.student(in: entries, named: [$0.email, $0.id].compactMap { $0 }) }).first else {
                let who = info.users.map { $0.email ?? $0.id ?? "?" }.joined(separator: ", ")
                failGradescope("Your Gradescope account (\(who.isEmpty ? "no email given" : who)) is not on this assignment's class list, so there are no numbers of yours to grade against. Ask your instructor to add you; then resubmit.")
                Terminal.print("not on the roster: \(who)")
                return
            }
            id = found
            do {
                deadline = try Roster.deadlines(roster)[found]
            } catch {
                failGradescope("The autograder is misconfigured (its class list's due dates cannot be read); your instructor can see why.")
                Terminal.fail("\(error)")
            }
        } else if let user = info.users.first, let name = user.email ?? user.id {
            id = name
        } else {
            failGradescope("Gradescope's submission metadata names no student, so there are no numbers to grade against; your instructor can see why.")
            Terminal.fail("\(metadata): no users with an email or ID")
        }
        if info.users.count > 1 { notes.append("a group submission: graded with the numbers of \(id)") }
        let result: GradeResult
        let output = OutputTransaction()
        do {
            try OutputTransaction.checkFile(gradescope)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: submission, isDirectory: &isFolder), isFolder.boolValue {
                result = try checker.check(folderAt: submission, student: id, question: question, pastDue: info.isPastDue(extendedTo: deadline))
            } else {
                result = try checker.check(fileAt: submission, student: id, question: question, pastDue: info.isPastDue(extendedTo: deadline))
            }
            let noted = result.noting(notes)
            try output.stageFile(gradescope, bytes: JSONWriter.bytes(noted.gradescope))
            try output.commit()
            Terminal.print(quiet ? "\(PrintableText.escaped(noted.student)): \(GradeResult.points(noted.score)) / \(GradeResult.points(noted.maxScore))" : noted.text, terminator: quiet ? "\n" : "")
        } catch {
            output.rollback()
            failGradescope("The autograder could not grade this submission; your instructor can see why.")
            Terminal.fail("\(error)")
        }
    }

    func checkFolder(_ checker: AssignmentChecker) {
        let showProgress = isatty(STDERR_FILENO) == 1
        let results: [(file: String, result: Result<GradeResult, LessonError>)]
        do {
            try OutputTransaction.checkFolder(out)
            results = try checker.checkFolder(submission, question: question) { done, total in
                if showProgress { FileHandle.standardError.write(Data("\rgraded \(done) of \(total)".utf8)) }
            }
        } catch {
            Terminal.fail("\(error)")
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        var graded: [GradeResult] = []
        var files: [(name: String, bytes: [UInt8])] = []
        var names = Set<String>()
        var pdfNames: [String] = []
        for (file, result) in results {
            switch result {
            case .success(let grade):
                graded.append(grade)
                var name = AssignmentChecker.fileName(for: grade.student)
                while !names.insert(name).inserted { name += "_" }
                files.append(("feedback/\(name).txt", Array(grade.text.utf8)))
                pdfNames.append("feedback/\(name).pdf")
            case .failure(let error):
                Terminal.warn("\((file as NSString).lastPathComponent): not graded: \(error.message)")
            }
        }
        let flags = checker.copyingFlags(results)
        for flag in flags { Terminal.warn("\(PrintableText.escaped(flag.student)): \(PrintableText.escaped(flag.reason)) (check by hand)") }
        files.append((name: "summary.csv", bytes: Array(checker.summaryCSV(graded, flags: flags).utf8)))
        files.append((name: "grades.csv", bytes: Array(checker.gradesCSV(graded).utf8)))
        let classReport = ClassReport(assignment: checker.assignment, results: graded)
        files.append((name: "class.csv", bytes: Array(classReport.csv.utf8)))
        // The class report and, with --pdf, every student's feedback, drawn by Publication.
        var publication = Publication()
        publication.reports = [("class.pdf", classReport.report(title: checker.assignment.title, students: graded.count))]
        if pdf {
            let measurer = CairoTextMeasurer()
            publication.reports += zip(pdfNames, graded).map { ($0, FeedbackDocument.report($1, assignment: checker.assignment, measurer: measurer)) }
        }
        do {
            files += try publication.render(figureFormats: [])
        } catch {
            Terminal.fail("could not draw the class report or the feedback: \(error)")
        }
        let output = OutputTransaction()
        do {
            try output.stageFolder(out, files: files)
            try output.commit()
        } catch {
            output.rollback()   // Terminal.fail exits at once: no deinit would roll back
            Terminal.fail("\(error)")
        }
        if !quiet {
            for grade in graded { Terminal.print("\(PrintableText.escaped(grade.student)): \(GradeResult.points(grade.score)) / \(GradeResult.points(grade.maxScore))") }
        }
        Terminal.print("Graded \(graded.count) of \(results.count) submissions; wrote \(out)/summary.csv and \(graded.count) feedback files\(pdf ? " (text and PDF)" : "") in \(out)/feedback/")
        // A file that could not be graded at all (not a 0: the assignment could not grade it, such as a run
        // when it has several replay questions and no --question) makes the batch fail, after its summary.
        if graded.count < results.count { Terminal.fail("\(results.count - graded.count) of \(results.count) submissions could not be graded (see the warnings above)") }
    }
}
