import Foundation
import Testing

/// The viewer page in a real browser (Debian's chromium, headless, through chromedriver and
/// python3-selenium, which scripts/setup installs): the graph page and every built-in lesson's page are
/// opened as on a laptop and on a projector, stepped through with the keys, and every number shown is
/// compared with the trace the same run wrote (scripts/viewer-browser.py). No request may leave the page
/// and nothing may be logged as an error; every kind of text reads on what it is drawn on (4.5:1) and the
/// figures' pages are the page's colour, on light pages and on dark ones (--theme dark). A browser that cannot start fails the test with the reason.
/// Screenshots go to output/viewer-screenshots/ (git-ignored), to be looked at.
@Suite(.timeLimit(.minutes(3))) struct ViewerBrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Each lesson at settings that keep the test short; the full-size XOR page is benchmarks/viewer's.
    static let lessons: [(name: String, settings: [String])] = [
        ("xor", ["steps=300"]), ("backprop", []), ("backprop-cs231n", []), ("perceptron", []), ("adaline", ["steps=100"]),
        ("saturation", ["init-steps=200"]), ("symmetry", ["steps=100"]), ("exploding", ["seeds=2"]),
        ("optimizers", ["ravine-steps=50,rosenbrock-steps=50"]),
    ]

    /// In two halves, each its own browser, so that they run beside the other tests (one browser going
    /// through every page was the suite's last test by 18 s).
    @Test(arguments: [0, 1]) func everyPageInChromium(half: Int) throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-browser-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        var pages: [String] = []
        if half == 0 {
            let graph = try NNSimBinary.run(["graph", "L = c*(a + 2*b)", "--at", "a=3,b=1,c=-2", "--out", work + "/graph", "--format", "html",
                                             "--trace", work + "/graph.json"])
            #expect(graph.status == 0, "\(graph.stderr)")
            pages += [work + "/graph/viewer.html", work + "/graph.json"]
            // A dark page (--theme dark): its text reads and its figures are dark too (the script checks both).
            let dark = try NNSimBinary.run(["graph", "L = c*(a + 2*b)", "--at", "a=3,b=1,c=-2", "--out", work + "/graph-dark", "--format", "html",
                                            "--trace", work + "/graph-dark.json", "--theme", "dark"])
            #expect(dark.status == 0, "\(dark.stderr)")
            pages += [work + "/graph-dark/viewer.html", work + "/graph-dark.json"]
        } else {
            // A dark lesson page with a training figure beside the loss curve.
            let run = try NNSimBinary.run(["lesson", "perceptron", "--out", work + "/dark", "--format", "html", "--trace", work + "/perceptron-dark.json",
                                           "--quiet", "--theme", "dark"])
            #expect(run.status == 0, "perceptron --theme dark: \(run.stderr)")
            pages += [work + "/dark/perceptron/viewer.html", work + "/perceptron-dark.json"]
        }
        let lessons = Self.lessons.enumerated().filter { $0.offset % 2 == half }.map(\.element)
        for lesson in lessons {
            let run = try NNSimBinary.run(["lesson", lesson.name, "--out", work, "--format", "html", "--trace", work + "/\(lesson.name).json", "--quiet"]
                                          + (lesson.settings.isEmpty ? [] : ["--set", lesson.settings.joined(separator: ",")]))
            #expect(run.status == 0, "\(lesson.name): \(run.stderr)")
            pages += [work + "/\(lesson.name)/viewer.html", work + "/\(lesson.name).json"]
        }
        let shots = Self.root.appendingPathComponent("output/viewer-screenshots").path
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)

        let python = Process()
        // Debian's own Python, which has python3-selenium (a pyenv or venv python3 on PATH would not).
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = [Self.root.appendingPathComponent("scripts/viewer-browser.py").path, "check", shots, "30"] + pages
        let out = Pipe(), err = Pipe()
        python.standardOutput = out
        python.standardError = err
        do {
            try python.run()
        } catch {
            Issue.record("could not run /usr/bin/python3 for the browser tests (run scripts/setup): \(error)")
            return
        }
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        #expect(python.terminationStatus == 0, "\(printed)\(errors.split(separator: "\n").suffix(5).joined(separator: "\n"))")
        let lines = printed.split(separator: "\n")
        #expect(lines.count == pages.count / 2, "\(printed)")
        // The pages that have steps had their numbers compared with the trace.
        let names = (half == 0 ? ["graph", "graph-dark"] : ["perceptron-dark"]) + lessons.map(\.name)
        for name in ["graph", "xor", "backprop", "symmetry", "adaline", "perceptron"] where names.contains(name) {
            #expect(lines.contains { $0.contains("/\(name)/viewer.html: ") && !$0.contains(": 0 numbers") }, "\(name): \(printed)")
        }
        #expect(lines.contains { $0.contains(half == 0 ? "/graph-dark/viewer.html: " : "/dark/perceptron/viewer.html: ") && !$0.contains(": 0 numbers") }, "\(printed)")
        let screenshots = try FileManager.default.contentsOfDirectory(atPath: shots)
        if half == 0 {
            #expect(screenshots.contains("xor-laptop-step.png") && screenshots.contains("graph-projector-step.png") && screenshots.contains("xor-laptop-frame.png"))
        }
    }
}
