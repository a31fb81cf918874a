import Foundation
import Testing

@Suite struct GraphOutputTests {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-out-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func files(_ root: String) throws -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { !$0.hasSuffix("frames") && $0 != ".nnsim-manifest" }.sorted()
    }

    /// Two separate processes write byte-identical files: figure, report and frames.
    @Test func sameRunSameBytesAcrossProcesses() throws {
        let a = try folder(), b = try folder()
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let arguments = ["graph", "d = 2*b; e = a + d; L = c*e", "--at", "a=3,b=1,c=-2", "--frames"]
        #expect(try NNSimBinary.run(arguments + ["--out", a]).status == 0)
        #expect(try NNSimBinary.run(arguments + ["--out", b]).status == 0)
        let names = try files(a)
        #expect(names.contains("graph.png") && names.contains("graph.svg") && names.contains("graph.pdf") && names.contains("report.pdf"))
        #expect(names.contains("frames/01-forward-d.png") && names.contains("frames/08-backward-b-from-d.svg"))
        #expect(names == (try files(b)))
        for name in names {
            #expect(FileManager.default.contentsEqual(atPath: a + "/" + name, andPath: b + "/" + name), "\(name) differs")
        }
    }

    /// A graph over the figure's limit is not drawn: --out is refused before any layout, and the same
    /// program without it prints its derivation.
    @Test func aGraphTooLargeToDrawIsRefused() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-big-\(UUID().uuidString)").path
        let program = "L = " + Array(repeating: "a", count: 1_000).joined(separator: " + ")
        let refused = try NNSimBinary.run(["graph", program, "--at", "a=1", "--out", out])
        #expect(refused.status == 1)
        #expect(refused.stderr == "error: the graph has 1001 nodes; a graph figure draws at most 1000: leave out --out (the derivation and --trace work at any size)\n")
        #expect(!FileManager.default.fileExists(atPath: out))
        let frames = try NNSimBinary.run(["graph", "L = " + Array(repeating: "a", count: 50).joined(separator: " + "), "--at", "a=1", "--out", out, "--frames"])
        #expect(frames.stderr.contains("the graph has 51 nodes; frames are drawn for at most 40: leave out --out or --frames"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let derivation = try NNSimBinary.run(["graph", program, "--at", "a=1"])
        #expect(derivation.status == 0 && derivation.stdout.contains("∂L/∂a = 1000"), "\(derivation.stderr)")
    }

    /// The report's text is text: pdftotext finds the lecture's numbers.
    @Test func reportHoldsTheDerivation() throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try NNSimBinary.run(["graph", "f = (x + y)*z", "--at", "x=-2,y=5,z=-4", "--out", out, "--format", "pdf"])
        #expect(result.status == 0)
        #expect(try files(out) == ["graph.pdf", "report.pdf"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = ["-layout", out + "/report.pdf", "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains("Computational graph of f"))
        #expect(text.contains("∂f/∂x = ∂f/∂t1 · ∂t1/∂x = −4 · 1 = −4"))
        #expect(text.contains("−12"))
    }

    @Test func badOptionsFailCleanly() throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let unknown = try NNSimBinary.run(["graph", "f = x", "--at", "x=1", "--out", out, "--format", "png,gif"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "error: unknown format 'gif' (use png, svg, pdf, html or mp4, separated by commas)\n")
        #expect(try files(out).isEmpty)
        let frames = try NNSimBinary.run(["graph", "f = x", "--at", "x=1", "--frames"])
        #expect(frames.status != 0)
        #expect(frames.stderr.contains("--frames needs --out DIR"))
    }
}
