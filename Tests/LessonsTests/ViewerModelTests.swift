import Foundation
import Lessons
import Render
import Sim
import Testing

/// The viewer's model and page, built from traces: the stepper's own text for every step, the right
/// highlight and the labels not yet known, the iterations of a training run, the same bytes twice.
@Suite struct ViewerModelTests {
    static func graphRun() throws -> ExpressionRun {
        try ExpressionRun(source: "L = c*(a + 2*b)", at: [("a", 3), ("b", 1), ("c", -2)])
    }

    /// Note 000's graph: its forward steps and backward messages, as the terminal stepper shows them.
    @Test func graphTraceGivesTheStepperSteps() throws {
        let run = try Self.graphRun()
        let model = try ViewerModel(trace: run.trace)
        let stepper = run.walkthrough.lessonSteps(graph: run.graph)
        #expect(model.steps.map(\.text) == stepper.map(\.text))
        #expect(model.steps.map(\.formula) == stepper.map { $0.detail?.formula ?? "" })
        #expect(model.iterations.isEmpty && model.lossPlot == nil && model.graphs.count == 1)
        #expect(model.title == "Computational graph of L" && model.subtitle == "L = c*(a + 2*b)")
        // Forward: t1 = 2·b first; t2's and L's values are not known yet, and no gradient is.
        let first = model.steps[0]
        #expect(first.text == "t1 = 2·b = 2·1 = 2" && first.highlight == "highlight:t1")
        #expect(first.hidden.contains { $0.hasPrefix("edge-value:t2→") } && first.hidden.contains { $0.hasPrefix("edge-value:L→") })
        #expect(!first.hidden.contains { $0.hasPrefix("edge-value:t1→") })
        #expect(first.hidden.filter { $0.hasPrefix("edge-gradient:") }.count == 6)
        // Backward: the seed on the output's edge, then c's message, …, b's last.
        let seed = model.steps[3]
        #expect(seed.text == "∂L/∂L = 1" && seed.highlight == "highlight:L→L #5")
        #expect(seed.hidden.count == 5 && !seed.hidden.contains("edge-gradient:L→L #5"))
        let c = model.steps[4]
        #expect(c.text.hasPrefix("∂L/∂c = ∂L/∂L · ∂L/∂c = 1 · 5 = 5") && c.highlight == "highlight:c→L#3")
        #expect(c.values.map(\.label) == ["upstream ∂L/∂L", "local ∂L/∂c = t2", "message ∂L/∂c = 1 · 5"])
        #expect(c.values.map(\.isGradient) == [true, false, true])
        #expect(model.steps.last?.hidden == [] && model.steps.last?.highlight == "highlight:b→t1#0")
    }

    /// A lesson of several runs: each run's iterations on the slider under its name, its chosen iterations in full.
    @Test func symmetryRunsAreNamed() throws {
        let run = try LessonRun(script: try LessonScript(named: "symmetry"), overrides: ["steps=100"], recordsSteps: true)
        let model = try ViewerModel(trace: run.result.trace)
        let names = run.result.trace.runs.map(\.name)
        #expect(names.count == 4 && model.iterations.count == 400)
        #expect(model.iterations.map { $0.run ?? "" }.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } } == names)
        #expect(model.iterations.filter { $0.firstStep != nil }.map(\.number) == Array(repeating: [1, 2, 10, 50, 100], count: 4).flatMap { $0 })
        #expect(model.lossPlot?.series.map(\.name) == names)
    }

    /// A training run: the stepper's chosen iterations in full with the stepper's text, every iteration's
    /// loss and parameters, a cursor each.
    @Test func xorTraceGivesIterationsAndTheDetailedSteps() throws {
        let script = try LessonScript(named: "xor")
        let run = try LessonRun(script: script, overrides: ["steps=300"], recordsSteps: true, stepsInDetail: true)
        let model = try ViewerModel(trace: run.result.trace)
        #expect(model.title == "XOR and the hidden layer")
        #expect(model.iterations.count == 300 && model.iterationCount == 300)
        #expect(model.iterations.compactMap { $0.firstStep == nil ? nil : $0.number } == [1, 2, 10, 100, 150, 300])
        #expect(model.graphs.count == 6)
        // The same text as the stepper, for every forward step, backward message and update of those iterations.
        let stepper = run.result.steps.filter { $0.detail?.isDataGradient != true && $0.phase != .update || $0.detail?.node != nil && $0.phase == .update }
        #expect(model.steps.map(\.text) == stepper.map(\.text))
        let last = try #require(run.result.trace.runs.first?.steps.last)
        #expect(run.result.trace.runs.count == 1 && model.iterations.allSatisfy { $0.run == nil && $0.of == 300 })
        #expect(model.iterations.last?.loss == last.loss && last.loss != nil)
        #expect(model.iterations.last?.params == last.params)
        #expect(model.lossPlot?.cursors.count == 300)
        #expect(model.iterations.map(\.cursor) == Array(0..<300))
    }

    /// The page: every step's text in it, nothing fetched, the same bytes twice.
    @Test func pageIsSelfContainedAndRepeatable() throws {
        let model = try ViewerModel(trace: try Self.graphRun().trace)
        let bytes = try ViewerPage(model: model).html()
        #expect(bytes == (try ViewerPage(model: try ViewerModel(trace: try Self.graphRun().trace)).html()))
        let page = String(decoding: bytes, as: UTF8.self)
        for step in model.steps { #expect(page.contains(SVGWriter.escaped(step.text))) }
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        for fetching in ["src=", "http:", "https:", "@import", "url(", "<link", "fetch("] where fetching != "http:" {
            #expect(!page.contains(fetching), "\(fetching)")
        }
        // The only address is SVG's namespace, which is a name, never fetched.
        #expect(page.components(separatedBy: "http:").count - 1 == page.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1)
        #expect(page.contains("<section class=\"step forward\" id=\"s0\" data-graph=\"0\" data-hl=\"highlight:t1\""))
        #expect(page.contains("data-hl=\"highlight:L→L_#5\""))
    }

    /// The page follows the theme: its colours are the scheme's and nothing else (one home, checked for
    /// contrast in ThemeTests), its figures are drawn on the scheme's page, and the buttons' text reads
    /// on the buttons (4.5:1). Light's page keeps its white.
    @Test(arguments: ColorScheme.Name.allCases)
    func pageFollowsTheTheme(name: ColorScheme.Name) throws {
        let scheme = ColorScheme.named(name)
        let model = try ViewerModel(trace: try Self.graphRun().trace)
        let page = String(decoding: try ViewerPage(model: model, scheme: scheme).html(), as: UTF8.self)
        let style = try #require(page.components(separatedBy: "<style>\n").dropFirst().first?.components(separatedBy: "</style>").first)
        let root = try #require(style.split(separator: "\n").first.map(String.init))
        #expect(root.hasPrefix(":root {") && root.contains("--bg: \(scheme.background.hexString);") && root.contains("--fg: \(scheme.foreground.hexString);"))
        #expect(root.contains("color-scheme: \(name == .dark ? "dark" : "light");"))
        // No colour written into the style sheet but the scheme's, on its first line.
        let rest = style.split(separator: "\n").dropFirst().joined(separator: "\n")
        #expect(rest.range(of: "#[0-9A-Fa-f]{3,6}\\b", options: .regularExpression) == nil, "a colour outside the scheme in the viewer's style")
        #expect(!rest.contains("rgb("))
        // The graph's page is the page's colour.
        let fill = " fill=\"\(scheme.background.hexString.lowercased())\"/>"
        let background = try #require(page.components(separatedBy: "<svg").dropFirst().first?.components(separatedBy: "<rect width=").dropFirst().first)
        #expect(background.prefix(60).contains(fill), "the figure is not drawn on \(scheme.background.hexString): \(background.prefix(60))")
        let control = scheme.background.mixed(with: scheme.foreground, 0.04)
        #expect(scheme.foreground.contrastRatio(with: control) >= 4.5 && scheme.muted.contrastRatio(with: control) >= 3)
    }

    @Test func tracesWithoutStepsAreRefused() throws {
        var trace = try Self.graphRun().trace
        trace.runs = []
        #expect(throws: LessonError.self) { try ViewerModel(trace: trace) }
    }
}
