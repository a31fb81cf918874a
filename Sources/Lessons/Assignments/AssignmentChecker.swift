import Foundation
import Sim

/// Grades submission files: one, or a whole folder, never letting one bad file stop the others.
public struct AssignmentChecker: Sendable {
    public let assignment: Assignment

    public init(_ assignment: Assignment) { self.assignment = assignment }

    /// Grades the file at `path` for `student` (nil: the ID inside the file). A file that cannot be read
    /// or parsed is graded 0 with the reason; only an unknown student (no ID anywhere) or an assignment
    /// that cannot be computed for the student throws.
    /// `question` picks the replay question a run file is graded against when the assignment has several.
    public func check(fileAt path: String, student: String?, question: String? = nil) throws(LessonError) -> GradeResult {
        let name = (path as NSString).lastPathComponent
        var problems: [String] = []
        var bytes: [UInt8]?
        do {
            bytes = try Self.read(path)
        } catch {
            problems.append("the submission could not be read: \(error)")
        }
        if let bytes, StudentRun.isRun(bytes, name: name), assignment.questions.contains(where: \.subject.isReplay) {
            guard let student, !student.isEmpty else { throw LessonError("a run file has no student ID inside: give --student", file: path) }
            return try checkRun(bytes, name: name, student: student, question: question)
        }
        var submission: Submission?
        if let bytes {
            do {
                submission = try Submission.parse(bytes, name: name)
            } catch {
                problems.append("the submission could not be read: \(error)")
            }
        }
        let id = student ?? submission?.student
        guard let id, !id.isEmpty else {
            throw LessonError("no student ID: give --student or put 'student:' in the submission", file: path)
        }
        if let inside = submission?.student, !inside.isEmpty, inside != id {
            problems.append("the submission says student '\(inside)'; graded as '\(id)'")
        }
        return Grader.grade(submission, variant: try StudentVariant(assignment, student: id), problems: problems)
    }

    /// Grades a student's own run (a trace or a CSV) against the assignment's replay question: only that
    /// question is in the result.
    public func checkRun(_ bytes: [UInt8], name: String, student: String, question id: String? = nil) throws(LessonError) -> GradeResult {
        let replays = assignment.questions.filter(\.subject.isReplay)
        guard !replays.isEmpty else { throw LessonError("the assignment has no replay question to grade a run against", file: assignment.path) }
        guard id != nil || replays.count == 1 else {
            throw LessonError("the assignment has several replay questions (\(replays.map(\.id).joined(separator: ", "))): say which with --question", file: assignment.path)
        }
        guard let question = replays.first(where: { id == nil || $0.id == id }), let ask = question.asks.first, case .run(let steps) = ask.quantity else {
            throw LessonError("no replay question '\(id ?? "")' (replay questions: \(replays.map(\.id).joined(separator: ", ")))", file: assignment.path)
        }
        let variant = try StudentVariant(assignment, student: student)
        guard let questionVariant = variant.questions.first(where: { $0.question.id == question.id }) else {
            throw LessonError("no variant for \(question.id)", file: assignment.path)
        }
        let result: AskResult
        do {
            let run = try StudentRun.parse(bytes, name: name)
            let settings = questionVariant.values.map { (key: $0.name, value: $0.value) }
            let replay: RunReplay
            switch question.subject {
            case .replayOptimizer(let name, let function):
                replay = try RunReplay(optimizer: name, function: function, rate: questionVariant.numbers.first { $0.name == "rate" }?.value ?? .nan,
                                       run: run, steps: steps, tolerance: ask.tolerance)
            case .replay(let lesson):
                replay = try RunReplay(lesson: lesson, settings: settings, run: run, steps: steps, tolerance: ask.tolerance)
            default:
                throw LessonError("\(question.id) is not a replay question")
            }
            result = Grader.grade(ask, replay: replay)
        } catch {
            result = AskResult(ask: ask, status: .invalid, points: 0, expected: nil, given: nil, message: "the run could not be read: \(error)")
        }
        var grade = GradeResult(student: student, questions: [QuestionResult(variant: questionVariant, asks: [result])], problems: [])
        grade.isRun = true
        return grade
    }

    /// The file's bytes, refusing anything that is not a regular file or is larger than a run may be
    /// (answers have their own, smaller limit).
    static func read(_ path: String) throws(LessonError) -> [UInt8] {
        try InputText.bytes(path, limit: StudentRun.maximumBytes)
    }

    /// Grades the one student's submission in a folder (Gradescope's /autograder/submission):
    /// `answers.json`, `.yaml` or `.yml` if there is one, else the only submission file (JSON, YAML or a
    /// run's CSV) there; with none or several, 0 points and the reason.
    public func check(folderAt folder: String, student: String, question: String? = nil) throws(LessonError) -> GradeResult {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        if let answers = ["answers.json", "answers.yaml", "answers.yml"].first(where: names.contains) {
            return try check(fileAt: folder + "/" + answers, student: student, question: question)
        }
        let candidates = names.filter { ["json", "yaml", "yml", "csv"].contains(($0 as NSString).pathExtension.lowercased()) }
        if candidates.count == 1 { return try check(fileAt: folder + "/" + candidates[0], student: student, question: question) }
        let found = candidates.isEmpty ? "no .json, .yaml, .yml or .csv file" : "several (\(candidates.joined(separator: ", ")))"
        return Grader.grade(nil, variant: try StudentVariant(assignment, student: student),
                            problems: ["the submission folder holds \(found): name your answers answers.json or answers.yaml"])
    }

    /// Submission files in a folder: `.json`, `.yaml` and `.yml` files (answers or traces) and `.csv` runs,
    /// not hidden, sorted by name.
    public static func submissions(in folder: String) throws(LessonError) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { throw LessonError("cannot list the folder", file: folder) }
        return names.filter { name in
            !name.hasPrefix(".") && ["json", "yaml", "yml", "csv"].contains((name as NSString).pathExtension.lowercased())
        }.sorted().map { folder + "/" + $0 }
    }

    /// Grades every submission in `folder`; the student is the file name without its extension. Each
    /// result comes with its file; `progress` is told after each (done, total).
    public func checkFolder(_ folder: String, question: String? = nil, progress: (Int, Int) -> Void = { _, _ in }) throws(LessonError) -> [(file: String, result: Result<GradeResult, LessonError>)] {
        let files = try Self.submissions(in: folder)
        var results: [(file: String, result: Result<GradeResult, LessonError>)] = []
        for (i, file) in files.enumerated() {
            let student = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            do {
                results.append((file, .success(try check(fileAt: file, student: student, question: question))))
            } catch {
                results.append((file, .failure(error)))
            }
            progress(i + 1, files.count)
        }
        return results
    }

    /// The summary table: student, status (GradeResult.status), points per question (blank for a question
    /// the file does not answer, as a run answers only its replay question), total, and the assignment's
    /// maximum; one row per file. The header and the student IDs (file names in a folder) are text and
    /// defused; the points are nnsim's own numbers.
    public func summaryCSV(_ results: [GradeResult], flags: [CopyingCheck.Flag] = []) -> String {
        var lines = [(["student", "status"] + assignment.questions.map(\.id) + ["total", "max", "copying"]).map { Self.csv(text: $0) }.joined(separator: ",")]
        for r in results {
            let perQuestion = assignment.questions.map { question in
                r.questions.first { $0.question.id == question.id }.map { Self.csv(number: GradeResult.points($0.score)) } ?? ""
            }
            let totals = [r.score, assignment.maxScore].map { Self.csv(number: GradeResult.points($0)) }
            let flag = flags.filter { $0.student == r.student }.map(\.reason).joined(separator: "; ")
            lines.append(([Self.csv(text: r.student), r.status] + perQuestion + totals + [Self.csv(text: flag)]).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The grades as an LMS imports them: `student,points,max`, one row per student, the student ID as
    /// the file name gave it (defused like every text field), points with up to three decimals.
    public func gradesCSV(_ results: [GradeResult]) -> String {
        (["student,points,max"] + results.map { r in
            [Self.csv(text: r.student), Self.csv(number: GradeResult.points(r.score)), Self.csv(number: GradeResult.points(assignment.maxScore))].joined(separator: ",")
        }).joined(separator: "\n") + "\n"
    }

    /// The copying check (CopyingCheck) over a batch's results; run files are read again for their bytes.
    public func copyingFlags(_ results: [(file: String, result: Result<GradeResult, LessonError>)]) -> [CopyingCheck.Flag] {
        CopyingCheck.flags(results.compactMap { file, result in
            guard let grade = try? result.get() else { return nil }
            return CopyingCheck.Entry(student: grade.student, result: grade, runBytes: grade.isRun ? ((try? Self.read(file)) ?? []) : nil)
        })
    }

    /// A text field: defused as OWASP's CSV-injection guidance says, so that no spreadsheet runs it as a
    /// formula: a field that starts with =, +, -, @, a tab or a carriage return, or whose first character
    /// after spaces is =, +, - or @, gets a leading single quote; then quoted when it needs to be.
    static func csv(text field: String) -> String {
        let first = field.unicodeScalars.first
        let firstVisible = field.unicodeScalars.first { !$0.properties.isWhitespace }
        let dangerous = (first.map { "\t\r".unicodeScalars.contains($0) } ?? false)
            || (firstVisible.map { "=+-@".unicodeScalars.contains($0) } ?? false)
        return quoted(dangerous ? "'" + field : field)
    }

    /// A number nnsim wrote (`-1.5`, `10`): never defused, so the spreadsheet keeps it a number.
    static func csv(number field: String) -> String { quoted(field) }

    /// The field in double quotes, its quotes doubled, when it holds a comma, a quote or a line break.
    static func quoted(_ field: String) -> String {
        guard field.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A file name for a student's feedback: ASCII letters, digits, `-` and `_` kept, anything else (a dot,
    /// a slash) replaced, with a short hash of the ID when anything changed, so that no ID can name a
    /// path outside the output folder and different IDs keep different files.
    public static func fileName(for student: String) -> String {
        let kept = String(student.unicodeScalars.prefix(64).map { scalar -> Character in
            let c = Character(scalar)
            return (c.isASCII && (c.isLetter || c.isNumber)) || c == "-" || c == "_" ? c : "_"
        })
        guard kept != student || kept.isEmpty else { return kept }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in student.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return (kept.isEmpty ? "student" : kept) + "-" + String(hash % 0xFFFFFF, radix: 16)
    }
}
