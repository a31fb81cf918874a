import Foundation
import Testing

@Suite struct GraphCommandTests {
    @Test func printsTheDerivation() throws {
        let result = try NNSimBinary.run(["graph", "L = c*(a + 2*b)", "--at", "a=3,b=1,c=-2"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("  L = c·t2 = −2·5 = −10"))
        #expect(result.stdout.contains("  ∂L/∂b = ∂L/∂t1 · ∂t1/∂b = −2 · 2 = −4"))
        #expect(result.stdout.hasSuffix("  ∂L/∂a = −2\n  ∂L/∂b = −4\n  ∂L/∂c = 5\n"))
    }

    @Test(arguments: [
        (["graph", "L = sigmod(a)", "--at", "a=1"], "error: unknown function 'sigmod' at column 5\n"),
        (["graph", "L = a*b", "--at", "a=1"], "error: no value for 'b': give it with --at b=…\n"),
        (["graph", "L = a", "--at", "a=1,a=2"], "error: --at gives 'a' twice\n"),
        (["graph", ""], "error: the expression is empty\n"),
        // 22,700 levels of `^` (under the length limit) overflowed the stack: exit 139 (issue 11).
        (["graph", "L = " + Array(repeating: "a", count: 22_700).joined(separator: "^"), "--at", "a=1"],
         "error: expression nested deeper than 256 levels at column 518\n"),
    ])
    func badInputFailsWithOneLine(arguments: [String], message: String) throws {
        let result = try NNSimBinary.run(arguments)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == message)
    }

    @Test func nonFiniteValuesWarnButRun() throws {
        let result = try NNSimBinary.run(["graph", "L = a/b", "--at", "a=1,b=0"])
        #expect(result.status == 0)
        #expect(result.stderr == "warning: L = a / b is inf (division by zero)\n")
        #expect(result.stdout.contains("L = a / b = 1 / 0 = inf"))
    }

    @Test func writesTheTraceAndPrintsJSON() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-graph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("f.json").path
        let written = try NNSimBinary.run(["graph", "f = (x + y)*z", "--at", "x=-2,y=5,z=-4", "--trace", path])
        #expect(written.status == 0)
        let printed = try NNSimBinary.run(["graph", "f = (x + y)*z", "--at", "x=-2,y=5,z=-4", "--json"])
        #expect(printed.status == 0)
        // Same run, same bytes: the file and the printed JSON agree.
        #expect(try String(contentsOfFile: path, encoding: .utf8) == printed.stdout)
        #expect(printed.stdout.contains("\"format\": \"nnsim-trace\""))
    }

    @Test func unwritableTraceFails() throws {
        let result = try NNSimBinary.run(["graph", "f = x", "--at", "x=1", "--trace", "/nonexistent-dir/f.json"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("error: could not write the trace"))
    }
}
