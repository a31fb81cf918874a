import ArgumentParser
import Foundation
import Lessons
import Render
import SafeFiles
import Sim

/// `nnsim view TRACE.json`: the viewer page of a recorded run (docs/viewer.md).
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Write the viewer page of a trace: one HTML file to step through the run offline.",
        discussion: """
        TRACE is a trace written by --trace (docs/trace-format.md). The page shows the computational graph
        with the current node or edge highlighted, each step's formula with its numbers, and for training
        runs an iteration slider with the loss curve and the parameters (docs/viewer.md). It needs no
        network: open it from a USB stick.

        Examples:
          nnsim lesson xor --trace xor.json && nnsim view xor.json          (writes xor.html)
          nnsim graph "L = c*(a + 2*b)" --at a=3,b=1,c=-2 --trace l.json && nnsim view l.json --out l.html
          nnsim view xor.json --theme dark                                     (a dark page, for a dark room)
        """
    )

    @Argument(help: "The trace file.")
    var trace: String

    @Option(name: .long, help: ArgumentHelp("The page to write (default: the trace's name with .html, beside it).", valueName: "file"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("The page's and its figures' colours: light, dark (off-white on near-black) or print (light, every series also dashed and marked).",
                                            valueName: FigureStyleOptions.choices(ColorScheme.Name.allCases.map(\.rawValue))))
    var theme = ColorScheme.Name.light.rawValue

    /// `run.json` → `run.html`; a name without `.json` gets `.html` added.
    static func defaultPage(for trace: String) -> String {
        trace.lowercased().hasSuffix(".json") ? String(trace.dropLast(5)) + ".html" : trace + ".html"
    }

    func validate() throws {
        _ = try FigureStyleOptions.scheme(named: theme)
        if trace == "-" { throw ValidationError("give the trace as a file (the page is written beside it, or to --out)") }
        if out == nil && Self.defaultPage(for: trace) == trace { throw ValidationError("give --out FILE") }
    }

    func run() throws {
        let page = out ?? Self.defaultPage(for: trace)
        let output = OutputTransaction()
        do {
            try OutputTransaction.checkFile(page)
            let recorded: Trace
            do {
                recorded = try Trace.read(fromFile: trace)
            } catch {
                throw LessonError("\(trace): \(error)")
            }
            let model: ViewerModel
            do {
                model = try ViewerModel(trace: recorded)
            } catch {
                throw LessonError("\(trace): \(error)")
            }
            try output.stageFile(page, bytes: try ViewerPage(model: model, scheme: .named(try FigureStyleOptions.scheme(named: theme))).html())
            try output.commit()
        } catch {
            output.rollback()   // Terminal.fail exits at once: no deinit would roll back
            Terminal.fail("\(error)")
        }
        for warning in output.warnings { Terminal.warn(warning) }
        if page != OutputTransaction.standardOutput { Terminal.print("Wrote \(page)") }
    }
}
