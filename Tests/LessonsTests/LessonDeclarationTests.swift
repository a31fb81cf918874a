import Foundation
import Sim
import Testing
@testable import Lessons

/// The kinds' typed declarations (Kinds/README.md): the schema that scripts, `--set`, `nnsim show` and
/// docs/lesson-format.md read, and the typed values the kinds read.
@Suite struct LessonDeclarationTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/lesson-format.md").path

    /// A Markdown table's rows under a heading: cells split on unescaped `|`, unescaped and trimmed.
    static func table(after heading: String, in text: String) -> [[String]] {
        guard let start = text.range(of: "\n" + heading + "\n") else { return [] }
        var rows: [[String]] = []
        var inTable = false
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("|") {
                inTable = true
                rows.append(cells(String(line)))
            } else if inTable || line.hasPrefix("#") {
                break
            }
        }
        return rows.count > 2 ? Array(rows.dropFirst(2)) : []
    }

    static func cells(_ line: String) -> [String] {
        var cells: [String] = [], cell = "", escaped = false
        for c in line.dropFirst() {
            if escaped { cell.append(c); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "|" { cells.append(cell.trimmingCharacters(in: .whitespaces)); cell = ""; continue }
            cell.append(c)
        }
        return cells
    }

    static func escaped(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

    /// The table docs/lesson-format.md should hold for a kind, from its declarations.
    static func expectedTable(_ kind: any LessonKind.Type) -> String {
        (["| setting | default | accepts | meaning |", "| --- | --- | --- | --- |"] + kind.settings.map { s in
            "| `\(s.name)` | \(escaped(s.defaultValue.description.isEmpty ? "(empty)" : s.defaultValue.description)) | \(escaped(s.accepts)) | \(escaped(s.meaning)) |"
        }).joined(separator: "\n")
    }

    @Test(arguments: LessonKinds.all.map { $0.name })
    func theDocsSettingsTableIsTheDeclaration(_ name: String) throws {
        let kind = try #require(LessonKinds.named(name))
        let text = try String(contentsOfFile: Self.docs, encoding: .utf8)
        let rows = Self.table(after: "### `\(name)`", in: text)
        let documented = rows.map { row in [row[0].replacingOccurrences(of: "`", with: "")] + row.dropFirst() }
        let declared = kind.settings.map { s in
            [s.name, s.defaultValue.description.isEmpty ? "(empty)" : s.defaultValue.description, s.accepts, s.meaning]
        }
        #expect(documented == declared, "docs/lesson-format.md's table for \(name) differs from its declarations; it should read:\n\(Self.expectedTable(kind))")
    }

    @Test func theDocsKindTableListsEachKindsSectionsAndReportItems() throws {
        let text = try String(contentsOfFile: Self.docs, encoding: .utf8)
        let rows = Self.table(after: "## Kinds", in: text)
        #expect(rows.map { $0[0].replacingOccurrences(of: "`", with: "") } == LessonKinds.all.map { $0.name })
        for (row, kind) in zip(rows, LessonKinds.all) {
            #expect(row[2].components(separatedBy: ", ") == kind.sections, "sections of \(kind.name)")
            #expect(row[3].components(separatedBy: ", ") == kind.reportItems.map(\.name), "report items of \(kind.name)")
        }
    }

    @Test(arguments: LessonKinds.all.map { $0.name })
    func declarationsAreWellFormed(_ name: String) throws {
        let kind = try #require(LessonKinds.named(name))
        let names = kind.settings.map(\.name)
        #expect(Set(names).count == names.count, "a setting declared twice")
        #expect(Set(kind.sections).count == kind.sections.count)
        #expect(Set(kind.reportItems.map(\.name)).count == kind.reportItems.count)
        for setting in kind.settings {
            #expect(LessonSettings.isIdentifier(setting.name), "\(setting.name) cannot be written after --set")
            #expect(!setting.meaning.isEmpty, "\(setting.name) has no help")
            // The default reads back through the setting's own type and range (an empty view is allowed).
            if case .text = setting.type, setting.defaultValue.description.isEmpty { continue }
            #expect(try setting.parse(setting.defaultValue.description) == setting.defaultValue, "\(name).\(setting.name)'s default")
        }
        for item in kind.reportItems { #expect(!item.meaning.isEmpty) }
    }

    @Test func aKindReadsTheRunsValuesTyped() throws {
        let script = try LessonScript(named: "perceptron")
        var settings = script.settings
        try settings.apply(LessonSettings.overrides("learning-rate=0.25,max-epochs=7,data=or"))
        let typed = try PerceptronLesson.Settings(settings)
        #expect(typed.learningRate == 0.25)
        #expect(typed.maxEpochs == 7)
        #expect(typed.data == "or")
        #expect(typed.$learningRate.name == "learning-rate")
        // The defaults are the declaration's.
        #expect(PerceptronLesson.Settings().learningRate == 1)
        #expect(PerceptronLesson.settings.map(\.name) == ["data", "learning-rate", "w0", "w1", "w2", "max-epochs"])
    }

    @Test func aValueMissingOrOfAnotherTypeIsAnErrorNotADefault() throws {
        let wrongKind = LessonSettings(kind: AdalineLesson.self)
        #expect(throws: LessonError.self) { try PerceptronLesson.Settings(wrongKind) }
    }

    @Test func narrativeSettingsComeFromTheDeclarations() {
        #expect(NetworkLesson.narrativeSettings == ["data"])
        #expect(GraphLesson.narrativeSettings == ["expression"])
        #expect(SymmetryLesson.narrativeSettings == ["hidden"])
        // The script describes ½(x² + 100y²) and Rosenbrock's function: another surface is not told with its words.
        #expect(OptimizersLesson.narrativeSettings == ["ravine", "rosenbrock"])
    }
}
