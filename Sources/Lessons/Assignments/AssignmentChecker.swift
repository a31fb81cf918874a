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
    /// `pastDue` lets `show-expected: after-due-date` show the key.
    public func check(fileAt path: String, student: String?, question: String? = nil, pastDue: Bool = false) throws(LessonError) -> GradeResult {
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
        return Grader.grade(submission, variant: try StudentVariant(assignment, student: id), problems: problems, pastDue: pastDue)
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

    /// Grades the one student's submission in a folder (Gradescope's /autograder/submission), whatever the
    /// student named its files and however deep a zip put them: the answers (JSON or YAML: any `.json`,
    /// `.yaml`, `.yml`, or a `.txt` or extension-less file that reads as answers) and, for the replay
    /// questions, runs (a `.csv`, or a trace); answers and runs are graded into one result. With several
    /// answer files, `answers.*` wins, else the first by path, and the feedback says which was graded. A run
    /// goes to the replay question its file name names (`xor.csv` for `xor`), to `question`, or to the only
    /// replay question there is. A folder with neither answers nor a run is graded 0 with the reason.
    /// `pastDue` lets `show-expected: after-due-date` show the key.
    public func check(folderAt folder: String, student: String, question: String? = nil, pastDue: Bool = false) throws(LessonError) -> GradeResult {
        let variant = try StudentVariant(assignment, student: student)
        var notes: [String] = []
        var answers: [(path: String, submission: Submission)] = []
        var unreadable: [(path: String, reason: String)] = []
        var runs: [(path: String, bytes: [UInt8])] = []
        let replays = assignment.questions.filter(\.subject.isReplay)
        for path in Self.files(under: folder) {
            let shown = Self.relative(path, to: folder)
            let ext = (path as NSString).pathExtension.lowercased()
            let usual = ["json", "yaml", "yml", "csv"].contains(ext)
            let bytes: [UInt8]
            do {
                bytes = try Self.read(path)
            } catch {
                if usual { unreadable.append((shown, "\(error.message)")) }
                continue
            }
            if StudentRun.isRun(bytes, name: path) {
                if replays.isEmpty { notes.append("\(shown) is a run, and the assignment asks for none: ignored") } else { runs.append((path, bytes)) }
                continue
            }
            do {
                let submission = try Submission.parse(bytes, name: shown)
                // A text file that is not answers (a README in a zip) is not taken for empty answers.
                if usual || !submission.answers.isEmpty { answers.append((shown, submission)) }
            } catch {
                if usual { unreadable.append((shown, error.message)) }
            }
        }
        // The answers: answers.* first, then files that answer something, then by path.
        answers.sort { a, b in
            let key = { (x: (path: String, submission: Submission)) in
                (((x.path as NSString).lastPathComponent as NSString).deletingPathExtension.lowercased() == "answers" ? 0 : 1, x.submission.answers.isEmpty ? 1 : 0) }
            return key(a) != key(b) ? key(a) < key(b) : a.path < b.path
        }
        var problems: [String] = []
        var submission: Submission?
        if let chosen = answers.first {
            submission = chosen.submission
            if answers.count > 1 || !unreadable.isEmpty {
                notes.append("graded the answers in \(chosen.path); not graded: \((answers.dropFirst().map(\.path) + unreadable.map(\.path)).joined(separator: ", "))")
            }
            if let inside = chosen.submission.student, !inside.isEmpty, inside != student {
                notes.append("the submission says student '\(inside)'; graded as '\(student)'")
            }
        } else if let first = unreadable.first {
            problems.append("the submission could not be read: \(first.path): \(first.reason)")
        }
        // Runs to replay questions: by file name, then --question, then the only one left.
        var runFor: [String: (path: String, bytes: [UInt8])] = [:]
        var unassigned: [(path: String, bytes: [UInt8])] = []
        for run in runs {
            let stem = ((run.path as NSString).lastPathComponent as NSString).deletingPathExtension.lowercased()
            if let q = replays.first(where: { stem == $0.id.lowercased() }) ?? replays.first(where: { stem.contains($0.id.lowercased()) }), runFor[q.id] == nil {
                runFor[q.id] = run
            } else {
                unassigned.append(run)
            }
        }
        let open = replays.filter { runFor[$0.id] == nil }
        if let question, unassigned.count == 1, open.contains(where: { $0.id == question }) {
            runFor[question] = unassigned.removeFirst()
        } else if open.count == 1, unassigned.count == 1 {
            runFor[open[0].id] = unassigned.removeFirst()
        }
        for run in unassigned {
            notes.append("\(Self.relative(run.path, to: folder)) is a run, but of which question? Name it after one (\(open.map { $0.id + ".csv" }.joined(separator: ", "))): not graded")
        }
        if submission == nil && problems.isEmpty && runFor.isEmpty {
            let wanted = replays.isEmpty ? "no answers (a .json or .yaml file)" : "no answers (a .json or .yaml file) and no run (a .csv or a trace)"
            problems.append("the submission folder holds \(wanted): upload answers.yaml (nnsim assignment template writes one)")
        } else if submission == nil && problems.isEmpty && assignment.questions.contains(where: { !$0.subject.isReplay }) {
            notes.append("no answers file (a .json or .yaml file): only the run\(runFor.count == 1 ? "" : "s") could be graded")
        }
        let graded = Grader.grade(submission, variant: variant, problems: problems + notes, pastDue: pastDue)
        var questions = graded.questions
        for (id, run) in runFor {
            guard let index = questions.firstIndex(where: { $0.question.id == id }) else { continue }
            let result = try checkRun(run.bytes, name: run.path, student: student, question: id)
            if let replayed = result.questions.first { questions[index] = replayed }
        }
        return GradeResult(student: student, questions: questions, problems: graded.problems)
    }

    /// Regular, non-hidden files under `folder` (not `__MACOSX`, which macOS adds to zips), at most 8
    /// folders deep and 1,000 files, in path order; symbolic links are not followed.
    static func files(under folder: String) -> [String] {
        var found: [String] = []
        func walk(_ dir: String, depth: Int) {
            guard depth <= 8, let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            for name in names.sorted() where !name.hasPrefix(".") && name != "__MACOSX" && found.count < 1000 {
                let path = dir + "/" + name
                let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
                if type == .typeDirectory { walk(path, depth: depth + 1) } else if type == .typeRegular { found.append(path) }
            }
        }
        walk(folder, depth: 0)
        return found
    }

    static func relative(_ path: String, to folder: String) -> String {
        path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : (path as NSString).lastPathComponent
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
