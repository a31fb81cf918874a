import Foundation
import Testing

/// Issue 11, item 9: bad input gets one printable `error:` line naming what and where, and a non-zero exit.
@Suite struct MessageTests {
    /// Exactly one line on standard error, starting `error: `, with no raw control character.
    static func expectOneErrorLine(_ result: NNSimBinary.Result, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("error: "), sourceLocation: sourceLocation)
        #expect(result.stderr.hasSuffix("\n"), sourceLocation: sourceLocation)
        let body = result.stderr.dropLast()
        #expect(!body.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(result.stderr.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test func crlfInAnExpressionIsOneLine() throws {
        let result = try NNSimBinary.run(["graph", "L = a\r\n+ b", "--at", "a=1,b=2"])
        Self.expectOneErrorLine(result)
        #expect(result.stderr.hasSuffix(" at line 2, column 1\n"))
    }

    @Test func controlCharactersInAnExpressionAreEscaped() throws {
        let result = try NNSimBinary.run(["graph", "L = a \u{1B}[2J", "--at", "a=1"])
        Self.expectOneErrorLine(result)
        #expect(result.stderr == "error: unexpected character '\\u{1B}' at column 7\n")
    }

    @Test func libyamlErrorsAreOneLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-messages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("esc.yaml").path
        try Data("kind: graph\ntitle: x\u{1B}[2J\u{0}\nsummary: s\n".utf8).write(to: URL(fileURLWithPath: script))
        for command in [["show", script], ["lesson", script]] {
            let result = try NNSimBinary.run(command)
            Self.expectOneErrorLine(result)
            #expect(result.stderr == "error: \(script):2:9: not valid YAML: control characters are not allowed (U+001B)\n")
        }
    }
}

/// Usage errors print one `error:` line with where to look, not the whole usage text (issue 11, item 9).
@Suite struct UsageErrorTests {
    @Test(arguments: [
        (["lesson", "xor", "--seed", "-1"], "error: the value '-1' is invalid for '--seed <N>': give a whole number from 0 to 18446744073709551615 (see nnsim lesson --help)\n"),
        (["lesson", "xor", "--seed", "abc"], "error: the value 'abc' is invalid for '--seed <N>': give a whole number from 0 to 18446744073709551615 (see nnsim lesson --help)\n"),
        (["lesson", "xor", "--seed", "0x10"], "error: the value '0x10' is invalid for '--seed <N>': give a whole number from 0 to 18446744073709551615 (see nnsim lesson --help)\n"),
        (["lesson"], "error: name a lesson from nnsim list, or a script's path (see nnsim lesson --help)\n"),
        (["graph", "L = a", "--at", "a=1", "--frames"], "error: --frames needs --out DIR (see nnsim graph --help)\n"),
        (["graph"], "error: give the program, as an argument or with -f FILE (see nnsim graph --help)\n"),
        (["nonsense"], "error: unexpected argument 'nonsense' (see nnsim --help)\n"),
        (["list", "extra"], "error: unexpected argument 'extra' (see nnsim list --help)\n"),
        (["show"], "error: missing expected argument '<lesson>' (see nnsim show --help)\n"),
        (["check", "a.yaml"], "error: missing expected argument '<submission>' (see nnsim check --help)\n"),
        (["assignment", "sheet", "a.yaml"], "error: give --student ID or --roster students.csv (see nnsim assignment sheet --help)\n"),
        (["assignment", "key"], "error: missing expected argument '<assignment>' (see nnsim assignment key --help)\n"),
        (["assignment", "template"], "error: missing expected argument '<assignment>' (see nnsim assignment template --help)\n"),
    ])
    func oneLine(arguments: [String], message: String) throws {
        let result = try NNSimBinary.run(arguments)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == message)
    }

    @Test(arguments: [["--help"], ["graph", "--help"], ["lesson", "--help"], ["assignment", "sheet", "--help"], ["help", "check"], ["lesson", "xor", "--help"]])
    func helpStillPrints(arguments: [String]) throws {
        let result = try NNSimBinary.run(arguments)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.count > 100)
    }

    @Test func seedStillReads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-seed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try NNSimBinary.run(["lesson", "backprop", "--seed", "18446744073709551615", "--quiet", "--format", "svg", "--out", folder.path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
    }
}

@Suite struct WarningMessageTests {
    @Test func aNegativeBaseToAFractionalPowerIsNotOverflow() throws {
        let result = try NNSimBinary.run(["graph", "L = x^0.5", "--at", "x=-1"])
        #expect(result.status == 0)
        #expect(result.stderr == "warning: L = x^0.5 is nan (a negative base to a fractional power)\n")
    }
}

@Suite struct NumberInputTests {
    @Test(arguments: ["0x10", "nan", "inf", "Infinity"])
    func atRefusesAnythingButDecimal(value: String) throws {
        let result = try NNSimBinary.run(["graph", "L = x", "--at", "x=\(value)"])
        MessageTests.expectOneErrorLine(result)
        #expect(result.stderr == "error: --at value '\(value)' for 'x' is not a finite decimal number (such as 3, -2.5 or 1e-3)\n")
    }

    @Test func setRefusesHex() throws {
        let result = try NNSimBinary.run(["lesson", "xor", "--set", "learning-rate=0x10"])
        MessageTests.expectOneErrorLine(result)
        #expect(result.stderr.contains("must be a decimal number (such as 3, -2.5 or 1e-3), not '0x10'"))
    }
}

@Suite struct TextFileCommandTests {
    @Test func aWindowsCSVIsReadAndANulIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("or.csv").path
        try Data([0xEF, 0xBB, 0xBF] + Array("x1,x2,y\r\n0,0,0\r\n0,1,1\r\n1,0,1\r\n1,1,1\r\n".utf8)).write(to: URL(fileURLWithPath: good))
        let run = try NNSimBinary.run(["lesson", "perceptron", "--set", "data=\(good)", "--quiet", "--format", "svg", "--out", folder.path])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let bad = folder.appendingPathComponent("nul.csv").path
        try Data("x1,x2,y\n0,0,0\u{0}\n".utf8).write(to: URL(fileURLWithPath: bad))
        let refused = try NNSimBinary.run(["lesson", "perceptron", "--set", "data=\(bad)", "--out", folder.path])
        MessageTests.expectOneErrorLine(refused)
        #expect(refused.stderr == "error: \(bad):2:5: '0\\0' in column 'y' is not a finite number\n")
    }
}

@Suite struct CheckEscapingTests {
    @Test func aStudentIDWithControlCharactersPrintsEscaped() throws {
        let assignment = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("assignments/backprop.yaml").path
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-check-\(UUID().uuidString).yaml")
        try Data("answers: {}\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let quiet = try NNSimBinary.run(["check", assignment, file.path, "--student", "x\u{1B}[2J", "--quiet"])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.hasPrefix("x\\u{1B}[2J: 0 / "))
        let full = try NNSimBinary.run(["check", assignment, file.path, "--student", "x\r\u{1B}"])
        #expect(full.stdout.hasPrefix("Student x\\r\\u{1B}: 0 of "))
        #expect(!full.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }
}
