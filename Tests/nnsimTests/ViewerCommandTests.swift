import Foundation
import Testing

/// `--format html` and `nnsim view`: one page, through the safe writer, the same bytes for the same run
/// whichever command wrote it, and one clear message for bad input.
@Suite struct ViewerCommandTests {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-view-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// `nnsim graph --format html` alone writes only the page; with the trace, `nnsim view` writes the same page.
    @Test func graphPageAndViewAgree() throws {
        let work = try folder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let graph = try NNSimBinary.run(["graph", "L = c*(a + 2*b)", "--at", "a=3,b=1,c=-2", "--out", work + "/g", "--format", "html",
                                         "--trace", work + "/g.json"])
        #expect(graph.status == 0, "\(graph.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/g").filter { !$0.hasPrefix(".") } == ["viewer.html"])
        let view = try NNSimBinary.run(["view", work + "/g.json"])
        #expect(view.status == 0, "\(view.stderr)")
        #expect(view.stdout == "Wrote \(work)/g.html\n")
        let page = try #require(bytes(work + "/g/viewer.html"))
        #expect(page == bytes(work + "/g.html"))
        #expect(String(decoding: page, as: UTF8.self).contains("∂L/∂b = ∂L/∂t1 · ∂t1/∂b = −2 · 2 = −4"))
        // --theme dark: `nnsim graph --format html` and `nnsim view --theme dark` write the same dark page.
        let dark = try NNSimBinary.run(["graph", "L = c*(a + 2*b)", "--at", "a=3,b=1,c=-2", "--out", work + "/d", "--format", "html", "--theme", "dark"])
        #expect(dark.status == 0, "\(dark.stderr)")
        let darkView = try NNSimBinary.run(["view", work + "/g.json", "--theme", "dark", "--out", work + "/d.html"])
        #expect(darkView.status == 0, "\(darkView.stderr)")
        let darkPage = try #require(bytes(work + "/d/viewer.html"))
        #expect(darkPage == bytes(work + "/d.html") && darkPage != page)
        #expect(String(decoding: darkPage, as: UTF8.self).contains("--bg: #1E1E1E;"))
        let wrong = try NNSimBinary.run(["view", work + "/g.json", "--theme", "sepia"])
        #expect(wrong.status == 64 && wrong.stderr.hasPrefix("error: --theme \"sepia\" is not light, dark or print"), "\(wrong.stderr)")
    }

    /// A lesson's page beside its figures; two runs give the same bytes; `nnsim view` of its trace the same page.
    @Test func lessonPageRepeatsAndMatchesView() throws {
        let work = try folder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        for out in ["a", "b"] {
            let run = try NNSimBinary.run(["lesson", "xor", "--set", "steps=200", "--out", work + "/" + out, "--format", "svg,html",
                                           "--trace", work + "/\(out).json", "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: work + "/a/xor").filter { !$0.hasPrefix(".") }
        #expect(names.contains("viewer.html") && names.contains("loss.svg") && !names.contains("report.pdf"))
        let page = try #require(bytes(work + "/a/xor/viewer.html"))
        #expect(page == bytes(work + "/b/xor/viewer.html"))
        let view = try NNSimBinary.run(["view", work + "/a.json", "--out", work + "/view.html"])
        #expect(view.status == 0, "\(view.stderr)")
        #expect(page == bytes(work + "/view.html"))
    }

    @Test func badInputIsOneMessage() throws {
        let work = try folder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let missing = try NNSimBinary.run(["view", work + "/none.json"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: \(work)/none.json: ") && missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
        try "{\"format\": \"nnsim-trace\"".write(toFile: work + "/bad.json", atomically: false, encoding: .utf8)
        let bad = try NNSimBinary.run(["view", work + "/bad.json"])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("error: \(work)/bad.json: not a readable JSON document"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/bad.html"))
        let usage = try NNSimBinary.run(["view", "-"])
        #expect(usage.status == 64 && usage.stderr.hasPrefix("error: give the trace as a file"))
        // The page is drawn from the trace, so a run too large to trace is refused naming --format html.
        let large = try NNSimBinary.run(["lesson", "xor", "--set", "steps=1000000", "--format", "html", "--out", work])
        #expect(large.status == 1)
        #expect(large.stderr.hasPrefix("error: steps=1000000, hidden=4 with --format html would take about "), "\(large.stderr)")
        #expect(large.stderr.hasSuffix(": lower steps or hidden, or leave out --format html\n"), "\(large.stderr)")
        let noFolder = try NNSimBinary.run(["view", work + "/bad.json", "--out", work + "/missing/page.html"])
        #expect(noFolder.status != 0 && noFolder.stderr.hasPrefix("error: "))
    }
}
