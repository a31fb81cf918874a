import Foundation
import Testing

@Suite struct LessonCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-lesson-\(UUID().uuidString)").path

    @Test func listsEveryLesson() throws {
        let result = try NNSimBinary.run(["list"])
        #expect(result.status == 0)
        for name in ["adaline", "backprop", "backprop-cs231n", "perceptron", "xor"] {
            #expect(result.stdout.contains("\n\(name) ") || result.stdout.hasPrefix("\(name) "), "\(name)")
        }
    }

    @Test func showAndHelpListSettings() throws {
        for arguments in [["show", "xor"], ["lesson", "xor", "--help"]] {
            let result = try NNSimBinary.run(arguments)
            #expect(result.status == 0)
            #expect(result.stdout.contains("learning-rate") && result.stdout.contains("hidden units"))
        }
    }

    @Test func runsALessonAndWritesItsFiles() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let trace = folder + "/t.json"
        let result = try NNSimBinary.run(["lesson", "backprop", "--out", folder, "--format", "png,pdf", "--trace", trace, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("L = −10"))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/backprop")
        #expect(Set(["report.pdf", "graph.png", "graph.pdf", "frames"]).isSubset(of: Set(files)))
        #expect(FileManager.default.fileExists(atPath: trace))
    }

    /// `--trace-detail` chooses the iterations recorded in full; a bad value or one without --trace is a usage error.
    @Test func traceDetailChoosesTheIterations() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try NNSimBinary.run(["lesson", "xor", "--set", "steps=30", "--out", folder, "--format", "svg", "--trace", "-", "--trace-detail", "every:10"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"detail\": \"every:10\""))
        #expect(result.stdout.components(separatedBy: "\"nodes\": [").count - 1 == 4)   // iterations 1, 10, 20 and 30
        let bad = try NNSimBinary.run(["lesson", "xor", "--trace", "-", "--trace-detail", "every:0"])
        #expect(bad.status == 64 && bad.stderr.contains("--trace-detail \"every:0\" is not chosen, all, every:N"))
        let alone = try NNSimBinary.run(["lesson", "xor", "--trace-detail", "all"])
        #expect(alone.status == 64 && alone.stderr.contains("--trace-detail goes with --trace"))
    }

    @Test func stepModePrintsEveryStepWithoutATerminal() throws {
        let result = try NNSimBinary.run(["lesson", "backprop", "--step", "--out", folder, "--format", "svg"], stdin: "")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(result.status == 0)
        #expect(result.stdout.contains("[ 1/12] forward  d = 2·b = 2·1 = 2"))
        #expect(result.stdout.contains("backward ∂L/∂b = ∂L/∂d · ∂d/∂b = −2 · 2 = −4"))
    }

    @Test(arguments: [
        (["lesson", "nosuch"], "no lesson 'nosuch'"),
        (["lesson", "xor", "--set", "hidden=lots"], "'--set hidden': must be an integer, not 'lots'"),
        (["lesson", "xor", "--set", "colour=red"], "'--set colour': unknown setting"),
        (["lesson", "perceptron", "--set", "data=missing.csv"], "missing.csv: 'data': cannot open: No such file or directory"),
        (["lesson", "xor", "--format", "gif"], "gif"),
        // A graph lesson's expression reaches the same parser: 22,700 levels of `^` overflowed the stack (issue 11).
        (["lesson", "backprop", "--set", "expression=L = " + Array(repeating: "a", count: 22_700).joined(separator: "^")],
         "expression nested deeper than 256 levels at column 518"),
    ])
    func badInputFailsWithOneLine(arguments: [String], message: String) throws {
        let result = try NNSimBinary.run(arguments + ["--out", folder])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    /// A run over the memory budget is refused from its settings, before computing: nothing is written.
    @Test func overTheMemoryBudgetIsRefusedUpFront() throws {
        let trace = folder + "-t.json"
        let result = try NNSimBinary.run(["lesson", "xor", "--set", "steps=1000000", "--trace", trace, "--out", folder])
        #expect(result.status == 1)
        #expect(result.stderr == "error: steps=1000000, hidden=4 with --trace would take about 48.1 GB of memory; the limit is 1 GB: lower steps or hidden, or leave out --trace\n")
        #expect(!FileManager.default.fileExists(atPath: folder) && !FileManager.default.fileExists(atPath: trace))
    }

    @Test func aBrokenScriptNamesFileAndLine() throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).yaml").path
        try "kind: network\ntitle: T\nsummary: S\nsettings:\n  steps: -3\n".write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let result = try NNSimBinary.run(["lesson", script, "--out", folder])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(script):5:10: 'settings.steps': -3 is out of range"), "\(result.stderr)")
    }
}
