import Foundation
import Testing
@testable import Lessons

/// The checked-in lessons folder, found from this file so tests do not depend on the working directory.
let lessonsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("lessons").path

func lessonPath(_ name: String) -> String { lessonsFolder + "/" + name + ".yaml" }

@Suite struct LessonScriptTests {
    let valid = """
    kind: graph
    title: T
    summary: S
    settings:
      expression: "L = a*b"
      a: 2
      b: {default: 3, meaning: the second}
    """

    func failure(_ yaml: String) -> LessonError? {
        do {
            _ = try LessonScript(yaml: yaml, path: "mine.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func readsAValidScript() throws {
        let script = try LessonScript(yaml: valid, path: "dir/mine.yaml")
        #expect(script.name == "mine")
        #expect(script.kind.name == "graph")
        #expect(script.settings.variables.map(\.name) == ["a", "b"])
        #expect(script.settings["b"] == .number(3))
        #expect(script.report == GraphLesson.reportItems.map(\.name))
    }

    @Test(arguments: [
        ("kind: grpah\ntitle: T\nsummary: S", 1, "kind", "unknown kind 'grpah'"),
        ("kind: network\ntitle: T\nsummary: S\nsettings:\n  hiden: 4", 5, "settings.hiden", "unknown setting"),
        ("kind: network\ntitle: T\nsummary: S\nsettings:\n  hidden: four", 5, "settings.hidden", "must be an integer"),
        ("kind: network\ntitle: T\nsummary: S\nsettings:\n  hidden: 1000", 5, "settings.hidden", "out of range"),
        ("kind: network\ntitle: T\nsummary: S\nsettings:\n  activation: softsign", 5, "settings.activation", "must be one of"),
        ("kind: network\ntitle: T\nsummary: S\nsections:\n  outro: hi", 5, "sections.outro", "unknown key"),
        ("kind: network\ntitle: T\nsummary: S\nreport: [loss-curve, pie]", 4, "report", "unknown figure or table 'pie'"),
        ("kind: network\ntitle: T\nsummary: S\ntitle: U", 2, "title", "given twice"),
        ("kind: network\ntitle: T\nsumary: S", 3, "sumary", "unknown key"),
        ("kind: network\ntitle: T\nsummary: S\nseed: -1", 4, "seed", "whole number"),
        ("kind: network\ntitle: T\nsummary: [S", 4, nil, "not valid YAML"),
        ("kind: graph\ntitle: T\nsummary: S\nsettings:\n  expression: \"L = a*q\"\n  a: 1", nil, "settings", "uses 'q', which has no value"),
        ("kind: graph\ntitle: T\nsummary: S\nsettings:\n  expression: \"L = sigmod(a)\"\n  a: 1", nil, "settings.expression", "unknown function 'sigmod'"),
    ] as [(String, Int?, String?, String)])
    func badScriptsNameFileLineAndKey(yaml: String, line: Int?, key: String?, message: String) throws {
        let error = try #require(failure(yaml))
        #expect(error.file == "mine.yaml")
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func hostileScriptsFailCleanly() throws {
        #expect(failure(String(repeating: "[", count: 100_000))?.message.contains("nesting") == true)
        // Block nesting too (issue 11): `- - - … x` and ever deeper indented keys overflowed the stack in the
        // YAML composer; they are refused before it runs, at the line and column of the 33rd level.
        let dashes = try #require(failure(String(repeating: "- ", count: 60_000) + "x"))
        #expect(dashes.message == "nesting deeper than 32 levels" && dashes.line == 1 && dashes.column == 63)
        let keys = (0..<1_400).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
        let indented = try #require(failure(keys))
        #expect(indented.message == "nesting deeper than 32 levels" && indented.line == 33 && indented.column == 33)
        #expect(failure("")?.message == "the script is empty")
        #expect(failure("- a\n- b")?.message.contains("mapping") == true)
        #expect(failure(String(repeating: "x", count: (1 << 20) + 1))?.message.contains("1 MiB") == true)
    }

    @Test func overridesSplitOnlyWhereAKeyFollows() throws {
        let pairs = try LessonSettings.overrides("a=1,expression=max(a, b),b=2")
        #expect(pairs.map(\.key) == ["a", "expression", "b"])
        #expect(pairs[1].value == "max(a, b)")
        #expect(throws: LessonError.self) { try LessonSettings.overrides("=3") }
    }

    @Test func acceptedValuesReadAsALecturerWritesThem() {
        #expect(LessonSetting("r", .number(.positive), default: .number(1), "").accepts == "a number > 0")
        #expect(LessonSetting("r", .number(.anyNumber), default: .number(1), "").accepts == "a number")
        #expect(LessonSetting("n", .integer(1...64), default: .integer(4), "").accepts == "an integer in [1, 64]")
    }

    @Test func setRefusesUnknownNamesAndBadValues() throws {
        var settings = try LessonScript(yaml: valid, path: "mine.yaml").settings
        #expect(throws: LessonError.self) { try settings.apply([("q", "1")]) }
        #expect(throws: LessonError.self) { try settings.apply([("a", "x")]) }
        try settings.apply([("a", "−4")])
        #expect(settings["a"] == .number(-4))
    }

    @Test func everyCheckedInLessonReads() throws {
        let names = LessonCatalog.names(in: lessonsFolder)
        #expect(Set(["perceptron", "adaline", "xor", "backprop", "backprop-cs231n"]).isSubset(of: Set(names)))
        for name in names { _ = try LessonScript(contentsOfFile: lessonPath(name)) }
    }

    @Test func csvDataIsReadAndCheckedByLine() throws {
        let set = try DataSet.csv("# points\nx1,x2,y\n0,0,0\n1,1,1\n", path: "p.csv")
        #expect(set.inputs == [[0, 0], [1, 1]] && set.targets == [0, 1] && set.inputNames == ["x1", "x2"])
        #expect(throws: LessonError("'a' in column 'x2' is not a finite number", file: "p.csv", line: 3, column: 3)) {
            try DataSet.csv("x1,x2,y\n0,0,0\n1,a,1\n", path: "p.csv")
        }
        #expect(throws: LessonError("2 values where the header has 3 columns", file: "p.csv", line: 2)) {
            try DataSet.csv("x1,x2,y\n0,0\n", path: "p.csv")
        }
    }

    /// Data files beyond the limits are refused with the line that passes them.
    @Test func csvLimits() {
        let rows = "x,y\n" + String(repeating: "1,2\n", count: DataSet.maximumRows + 1)
        #expect(throws: LessonError("more than 2000 rows", file: "big.csv", line: 2_002)) { try DataSet.csv(rows, path: "big.csv") }
        let columns = (0...DataSet.maximumColumns).map { "x\($0)" }.joined(separator: ",") + "\n"
        #expect(throws: LessonError("101 columns; the limit is 100", file: "wide.csv", line: 1)) { try DataSet.csv(columns, path: "wide.csv") }
    }
}
