import Foundation
import Sim
import Testing
@testable import Lessons

/// Issue 11, item 9: errors about input files are one printable line naming the file, line and column.
@Suite struct YAMLMessageTests {
    func scriptError(_ yaml: String) -> String? {
        do { _ = try LessonScript(yaml: yaml, path: "s.yaml"); return nil } catch { return error.description }
    }

    @Test func libyamlReaderErrorsAreOneLineWithFileLineColumn() {
        #expect(scriptError("kind: graph\ntitle: x\u{1B}[2J\nsummary: s\n")
                == "s.yaml:2:9: not valid YAML: control characters are not allowed (U+001B)")
        #expect(scriptError("kind: graph\r\ntitle: x\u{0}y\r\n")
                == "s.yaml:2:9: not valid YAML: control characters are not allowed (U+0000)")
        do {
            _ = try Assignment(yaml: "title: t\nseed: 1\u{7}\n", path: "a.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "a.yaml:2:8: not valid YAML: control characters are not allowed (U+0007)")
        }
        do {
            _ = try Submission.parse(Array("student: a\nanswers: {q1: {L: 1\u{1B}}}\n".utf8), name: "a.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "a.yaml:2:20: not valid YAML: control characters are not allowed (U+001B)")
        }
    }

    @Test func nestingErrorsCountCRLFLines() {
        let deep = "kind: graph\r\ntitle: t\r\nsummary: " + String(repeating: "[", count: 40) + "\r\n"
        #expect(scriptError(deep) == "s.yaml:3:42: nesting deeper than 32 levels")
    }

    @Test func aTraceWithAByteOrderMarkIsARun() throws {
        let trace = try ExpressionRun(source: "L = a*b", at: [("a", 2), ("b", 3)]).trace.encoded()
        let run = try StudentRun.parse([0xEF, 0xBB, 0xBF] + trace, name: "run.json")
        #expect(run.steps.first?.nodes["L"] == Tensor(6))
    }

    @Test func scannerErrorsStayOneLine() throws {
        let message = try #require(scriptError("kind: graph\ntitle: \"x\n"))
        #expect(message.hasPrefix("s.yaml:"))
        #expect(!message.contains { $0.isNewline })
    }
}

/// Issue 11, item 9: a warning says what happened, not "overflow" for every non-finite result.
@Suite struct ExpressionWarningTests {
    @Test(arguments: [
        ("L = x^0.5", "x=-1", "L = x^0.5 is nan (a negative base to a fractional power)"),
        ("L = x^y", "x=-8,y=0.3333", "L = x^y is nan (a negative base to a fractional power)"),
        ("L = x^-1", "x=0", "L = x^−1 is inf (zero to a negative power)"),
        ("L = x^y", "x=0,y=-2", "L = x^y is inf (zero to a negative power)"),
        ("L = x^2", "x=1e200", "L = x^2 is inf (overflow)"),
        ("L = x^y", "x=10,y=400", "L = x^y is inf (overflow)"),
        ("L = log(x)", "x=-1", "L = log(x) is nan (log of a negative number)"),
        ("L = log(x)", "x=0", "L = log(x) is −inf (log of zero)"),
        ("L = sqrt(x)", "x=-1", "L = √(x) is nan (square root of a negative number)"),
        ("L = x/y", "x=0,y=0", "L = x / y is nan (zero divided by zero)"),
        ("L = x/y", "x=-1,y=0", "L = x / y is −inf (division by zero)"),
        ("L = x/y", "x=1e300,y=1e-300", "L = x / y is inf (overflow)"),
        ("L = exp(x)", "x=1000", "L = exp(x) is inf (overflow)"),
        ("L = x*y", "x=1e300,y=1e300", "L = x·y is inf (overflow)"),
    ])
    func namesTheCause(source: String, values: String, warning: String) throws {
        let run = try ExpressionRun(source: source, at: try ExpressionProgram.parseValues(values))
        #expect(run.warnings == [warning])
    }
}

/// Issue 11, item 9: settings, data, assignments and answers read numbers with NumberText only.
@Suite struct StrictNumberTests {
    @Test func settingsRefuseHexAndNonFinite() throws {
        for bad in ["0x10", "nan", "inf", "Infinity", "1e999"] {
            #expect(throws: LessonError.self) { _ = try LessonRun("xor", overrides: ["learning-rate=\(bad)"]) }
            do {
                _ = try LessonRun("xor", overrides: ["learning-rate=\(bad)"])
            } catch {
                #expect(error.description.contains("must be a decimal number (such as 3, -2.5 or 1e-3), not '\(bad)'"))
            }
        }
    }

    @Test func csvDataRefusesHexAndNonFinite() throws {
        for bad in ["0x10", "nan", "inf", "infinity"] {
            #expect(throws: LessonError("'\(bad)' in column 'y' is not a finite number", file: "d.csv", line: 2, column: 4)) {
                try DataSet.csv("x,y\n1, \(bad)\n", path: "d.csv")
            }
        }
    }

    @Test func answersRefuseHex() {
        #expect(AnswerNumber.parse("0x10") == nil)
        #expect(AnswerNumber.parse("0x1/2") == nil)
        #expect(AnswerNumber.parse("infinity") == nil)
        #expect(AnswerNumber.parse(" −3/8 ") == -0.375)
        #expect(AnswerNumber.parse("2.5E-1") == 0.25)
    }

    @Test func assignmentNumbersRefuseHex() throws {
        let yaml = "title: t\nseed: 5\ncarried-credit: 0.5\nquestions:\n  - graph: \"L = a - b\"\n    at: {a: {integers: [1, 2]}, b: 3}\n    ask: [{value: L}]\n"
        _ = try Assignment(yaml: yaml, path: "a.yaml")
        do {
            _ = try Assignment(yaml: yaml.replacingOccurrences(of: "0.5", with: "0x1"), path: "a.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "a.yaml:3:17: 'carried-credit': must be a number in [0, 1]")
        }
        #expect(throws: LessonError.self) { try Assignment(yaml: yaml.replacingOccurrences(of: "[1, 2]", with: "[0x1, 2]"), path: "a.yaml") }
        #expect(throws: LessonError.self) { try StudentVariant(try Assignment(yaml: yaml.replacingOccurrences(of: "b: 3", with: "b: 0x3"), path: "a.yaml"), student: "s") }
    }
}

/// Issue 11, item 9, and issue 12, item 8: every text input takes a UTF-8 byte-order mark and CRLF line
/// ends; a NUL in a CSV field is refused with its line and column.
@Suite struct TextInputFileTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-text-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// Writes `text` as a Windows editor would: a byte-order mark, then CRLF line ends.
    func windowsFile(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        try Data([0xEF, 0xBB, 0xBF] + Array(crlf.utf8)).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func csvDataWithCRLFAndAByteOrderMark() throws {
        let crlf = try DataSet.csv("x1,x2,y\r\n0,0,0\r\n# a comment\r\n1,1,1\r\n", path: "d.csv")
        #expect(crlf.inputs == [[0, 0], [1, 1]] && crlf.targets == [0, 1] && crlf.inputNames == ["x1", "x2"])
        let file = try DataSet.named(try windowsFile("points.csv", "x1,x2,y\n0,0,0\n1,1,1\n"))
        #expect(file.inputs == [[0, 0], [1, 1]] && file.targetName == "y")
        #expect(throws: LessonError("the data file is UTF-16 text; save it as UTF-8", file: folder + "/u16.csv", key: "data")) {
            try Data([0xFF, 0xFE, 0x78, 0x00]).write(to: URL(fileURLWithPath: folder + "/u16.csv"))
            return try DataSet.named(folder + "/u16.csv")
        }
    }

    @Test func aNulInACSVFieldIsRefusedWithLineAndColumn() throws {
        let error = LessonError("'0\u{0}' in column 'y' is not a finite number", file: "d.csv", line: 3, column: 7)
        #expect(throws: error) { try DataSet.csv("x1,x2,y\n0,0,0\n1,  1,0\u{0}\n", path: "d.csv") }
        #expect(error.description == "d.csv:3:7: '0\\0' in column 'y' is not a finite number")
    }

    @Test func scriptsAndAssignmentsWithCRLFAndAByteOrderMark() throws {
        let script = try LessonScript(contentsOfFile: try windowsFile("mine.yaml", "kind: graph\ntitle: t\nsummary: s\nsettings:\n  expression: \"L = a*b\"\n  a: 1\n  b: -2\n"))
        #expect(script.title == "t" && script.settings["b"] == .number(-2))
        let original = try String(contentsOfFile: assignmentPath("backprop"), encoding: .utf8)
        let assignment = try Assignment(contentsOfFile: try windowsFile("backprop.yaml", original))
        #expect(assignment.questions.map(\.id) == (try Assignment(contentsOfFile: assignmentPath("backprop"))).questions.map(\.id))
    }

    @Test func submissionsWithCRLFAndAByteOrderMark() throws {
        let yaml = try Submission.parse(Array("\u{FEFF}student: a\r\nanswers:\r\n  q1: {L: 2}\r\n".utf8), name: "a.yaml")
        #expect(yaml.student == "a" && yaml.answers["q1"]?["L"] == .text("2"))
        let json = try Submission.parse(Array("\u{FEFF}{\"student\": \"a\",\r\n \"answers\": {\"q1\": {\"L\": 2}}}\r\n".utf8), name: "a.json")
        #expect(json.student == "a" && json.answers["q1"]?["L"] == .number(2))
    }

    @Test func aRunCSVWithAByteOrderMarkAndCRLFIsGraded() throws {
        let checker = AssignmentChecker(try Assignment(contentsOfFile: assignmentPath("own-code")))
        let csv = StudentXOR().csv(steps: 5)
        for bytes in [[0xEF, 0xBB, 0xBF] + Array(csv.utf8), Array(csv.replacingOccurrences(of: "\n", with: "\r\n").utf8),
                      [0xEF, 0xBB, 0xBF] + Array(csv.replacingOccurrences(of: "\n", with: "\r\n").utf8)] {
            let result = try checker.checkRun(bytes, name: "run.csv", student: "alice", question: "xor")
            let ask = try #require(result.questions.first?.asks.first)
            #expect(ask.status == .correct, "\(ask.message)")
        }
    }
}

/// Issue 11, item 10: summary.csv defuses every text field a spreadsheet could run as a formula (OWASP),
/// and leaves nnsim's own numbers numbers.
@Suite struct SummaryCSVTests {
    @Test(arguments: [
        ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1.5", "'-1.5"), ("@sum", "'@sum"),
        ("\t=1+1", "'\t=1+1"), ("\tx", "'\tx"), ("\r=1", "\"'\r=1\""), ("\r\n@x", "\"'\r\n@x\""),
        ("  =1+1", "'  =1+1"), (" +cmd", "' +cmd"), ("\u{A0}-2", "'\u{A0}-2"), (" \t @x", "' \t @x"),
        ("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""),
        ("alice", "alice"), ("a-b", "a-b"), ("a=b", "a=b"), ("a,b", "\"a,b\""), ("", ""), ("  ", "  "),
    ])
    func textFieldsAreDefused(field: String, written: String) {
        #expect(AssignmentChecker.csv(text: field) == written)
    }

    @Test func numbersStayNumbers() {
        for number in ["-1.5", "10", "0", "+2"] { #expect(AssignmentChecker.csv(number: number) == number) }
    }

    @Test func summaryDefusesStudentsFromFileNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-summary-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in [" =1+1", "\t@x", "-2", "alice"] {
            try "answers: {}\n".write(toFile: folder + "/" + name + ".yaml", atomically: true, encoding: .utf8)
        }
        let checker = AssignmentChecker(try Assignment(contentsOfFile: assignmentPath("backprop")))
        let graded = try checker.checkFolder(folder).compactMap { try? $0.result.get() }
        let rows = checker.summaryCSV(graded).split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
        #expect(rows.sorted() == ["' =1+1", "'-2", "'\t@x", "alice"].sorted())
        // The points after the student stay plain numbers.
        #expect(checker.summaryCSV(graded).split(separator: "\n").dropFirst().allSatisfy { !$0.contains(",'") })
    }
}

/// Issue 11, item 9: feedback quotes what a student wrote escaped, one printable line per note and answer.
@Suite struct FeedbackEscapingTests {
    @Test func answersKeysAndIDsAreEscaped() throws {
        let assignment = try Assignment(contentsOfFile: assignmentPath("backprop"))
        let variant = try StudentVariant(assignment, student: "eve\u{1B}[2J")
        let id = try #require(assignment.questions.first?.id)
        let sub = try Submission.parse(Array("student: x\nanswers:\n  \(id): {\"k\\e\": 1}\n  \"q\\r9\": {}\nextra\\u0007: 1\n".utf8), name: "s.yaml")
        let answered = Submission(student: nil, answers: [id: [variant.questions[0].question.asks[0].key: .text("\u{1B}[31mred")]], problems: sub.problems)
        for text in [Grader.grade(answered, variant: variant, problems: []).text, Grader.grade(sub, variant: variant, problems: []).text] {
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(text.debugDescription)")
        }
        #expect(Grader.grade(answered, variant: variant, problems: []).text.contains("\\u{1B}[31mred is not a number"))
        #expect(Grader.grade(answered, variant: variant, problems: []).text.hasPrefix("Student eve\\u{1B}[2J: "))
        #expect(SubmissionValue.text("a\nb").display == "a\\nb")
    }
}
