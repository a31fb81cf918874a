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
        // Vectors and matrices (issue 16): ragged rows, a product that does not fit, a missing file.
        (["graph", "L = sum(W)", "--at", "W=[[1,2],[3]]"],
         "error: --at value of 'W': row 2 has 1 entry, but row 1 has 2: every row of a matrix needs the same number (column 10 of --at)\n"),
        (["graph", "z = W@x; L = sum(z)", "--at", "W=[[1,2,3],[4,5,6]],x=[1,2]"],
         "error: '@' cannot combine shapes 2×3 (W) and 2 (x): W has 3 columns, x has 2 rows at column 6\n"),
        (["graph", "L = sum(W)", "--at", "W=@/nonexistent/w.csv"],
         "error: --at W=@/nonexistent/w.csv: /nonexistent/w.csv: cannot open: No such file or directory\n"),
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
        let result = try NNSimBinary.run(["graph", "f = x", "--at", "x=1", "--trace", "/etc/passwd/f.json"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "error: /etc/passwd: is a file, not a folder\n")
    }

    /// A program from a file or standard input (an argument holds at most 128 KiB): the same derivation.
    @Test func readsTheProgramFromAFileOrStandardInput() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-program-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let program = (["t0 = x"] + (1...2000).map { "t\($0) = t\($0 - 1)*0.999 + t\($0 - 1)/(1 + t\($0 - 1)^2)" }).joined(separator: "\n")
        #expect(program.utf8.count > 70_000)
        try program.write(toFile: path, atomically: false, encoding: .utf8)
        let fromFile = try NNSimBinary.run(["graph", "-f", path, "--at", "x=0.5"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.stdout.hasSuffix("Gradients of t2000\n  ∂t2000/∂x = 0.001847\n"))
        let fromInput = try NNSimBinary.run(["graph", "-f", "-", "--at", "x=0.5"], stdin: program)
        #expect(fromInput.stdout == fromFile.stdout)
        let argument = try NNSimBinary.run(["graph", "L = a*b", "--at", "a=2,b=3"])
        #expect(try NNSimBinary.run(["graph", "--file", "-", "--at", "a=2,b=3"], stdin: "L = a*b").stdout == argument.stdout)
        for (arguments, message) in [(["graph", "--at", "a=1"], "give the program, as an argument or with -f FILE"),
                                     (["graph", "L = a", "-f", path, "--at", "a=1"], "not both"),
                                     (["graph", "-f", "/dev/zero", "--at", "a=1"], "/dev/zero: is not a regular file")] {
            let result = try NNSimBinary.run(arguments)
            #expect(result.status != 0 && result.stderr.contains(message), "\(result.stderr)")
        }
    }
}
