import ArgumentParser
import Foundation
import Lessons
import Render
import SafeFiles
import Sim

/// `nnsim lesson NAME|FILE`: runs a lesson, prints what happens and writes its report and figures.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Run a lesson: print what happens and write its report and figures.",
        discussion: """
        NAME is a lesson from `nnsim list` (lessons/NAME.yaml) or the path of your own script
        (docs/lesson-format.md). Files go to DIR/NAME/: report.pdf and every figure in each format.
        `nnsim lesson NAME --help` lists that lesson's settings.

        Examples:
          nnsim lesson xor
          nnsim lesson perceptron --set data=or
          nnsim lesson backprop --set a=1,b=2,c=3 --step
          nnsim lesson my-lesson.yaml --out slides --format png
          nnsim lesson optimizers --theme dark --aspect 4:3 --transparent --format png
        """,
        // --help is handled here, so that `nnsim lesson NAME --help` can list the lesson's settings.
        helpNames: []
    )

    @Argument(help: "The lesson's name or a script's path.")
    var lesson: String?

    @Option(name: .long, help: ArgumentHelp("Change settings: name=value pairs separated by commas.", valueName: "key=value,..."))
    var set: [String] = []

    // Unconditional, so that `--seed -1` reaches the check below instead of reading as an unknown option.
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("The seed of the random numbers (default: the script's).", valueName: "N"),
            transform: LessonCommand.seed)
    var seed: UInt64?

    /// A seed is a whole number from 0 to 2⁶⁴ − 1, written in decimal.
    static func seed(_ text: String) throws -> UInt64 {
        guard let seed = UInt64(text) else { throw ValidationError("give a whole number from 0 to \(UInt64.max)") }
        return seed
    }

    @Option(name: .long, help: ArgumentHelp("The folder the lesson's folder goes into.", valueName: "dir"))
    var out = "output"

    @Option(name: .long, help: ArgumentHelp("Formats of the figures, separated by commas (report.pdf comes with pdf; html writes the viewer page viewer.html, docs/viewer.md; mp4 each animation as a video, with ffmpeg).", valueName: "png,svg,pdf,html,mp4"))
    var format = "png,svg,pdf"

    @OptionGroup(title: "Figures") var figureStyle: FigureStyleOptions

    @Option(name: .long, help: ArgumentHelp("Also write the trace (docs/trace-format.md) to this file (- for standard output).", valueName: "file"))
    var trace: String?

    @Option(name: .long, help: ArgumentHelp("Which iterations the trace records with every node: chosen (the first, the last and those the report shows; the default), all, every:N, or a list 1,5,20. Every iteration keeps its loss and parameters.", valueName: "detail"))
    var traceDetail: String?

    @Flag(name: .long, help: "Step through every forward operation, backward message and update; in a terminal, one step at a time (→ ← steps, ↓ ↑ iterations, a number jumps to that iteration, g a step, q quits; docs/stepping.md).")
    var step = false

    @Flag(name: .long, help: "With --step, also show the gradients with respect to the data and targets (X, Y).")
    var showDataGradients = false

    @Flag(name: .long, help: "Print only the summary and where the files are.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Show this help, or with a lesson, the lesson's settings.")
    var help = false

    func validate() throws {
        if step && trace == OutputTransaction.standardOutput {
            throw ValidationError("--step prints to standard output, so --trace needs a file name, not -")
        }
        if showDataGradients && !step { throw ValidationError("--show-data-gradients goes with --step") }
        if let traceDetail {
            guard TraceDetail(traceDetail) != nil else {
                throw ValidationError("--trace-detail \"\(PrintableText.escaped(traceDetail))\" is not chosen, all, every:N (N ≥ 1) or a list of iterations such as 1,5,20")
            }
            if trace == nil { throw ValidationError("--trace-detail goes with --trace") }
        }
        if lesson == nil && !help { throw ValidationError("name a lesson from nnsim list, or a script's path") }
    }

    func run() throws {
        guard let lesson else {
            Terminal.print(LessonCommand.helpMessage())
            return
        }
        if help {
            do {
                Terminal.print(LessonRun.description(of: try LessonScript(named: lesson)))
            } catch {
                Terminal.fail("\(error)")
            }
            return
        }
        // Where the files go is checked before anything is computed; they are staged once the run has
        // succeeded and moved into place together (docs/guarantees.md), before anything is printed.
        let run: LessonRun
        let files: [(String, [UInt8])]
        let folder: String
        let output = OutputTransaction()
        do {
            let formats = try OutputFormat.list(format)
            try Publication.check(formats)
            let script = try LessonScript(named: lesson)
            if script.origin == .overridingBuiltIn { Terminal.warn("using \(script.path) instead of the built-in lesson \(script.name)") }
            let style = try figureStyle.style()
            var context = try LessonRun.context(script: script, overrides: set, seed: seed, recordsSteps: trace != nil || formats.contains(.html),
                                                stepsInDetail: step, traceDetail: traceDetail.flatMap(TraceDetail.init) ?? .chosen,
                                                tracedFor: [trace.map { _ in "--trace" }, formats.contains(.html) ? "--format html" : nil]
                                                    .compactMap { $0 }.joined(separator: " and "))
            context.figureStyle = style
            folder = out + "/" + context.folderName
            try OutputTransaction.checkFolder(folder)
            if let trace { try OutputTransaction.checkFile(trace) }
            run = try LessonRun(context: context)
            files = try LessonOutput(result: run.result, formats: formats, title: context.title, style: style).render()
            try output.stageFolder(folder, files: files.map { (name: $0.0, bytes: $0.1) })
            if let trace { try output.stageFile(trace, bytes: try run.result.trace.encoded()) }
            try output.commit()
        } catch {
            output.rollback()   // Terminal.fail exits at once: no deinit would roll back
            Terminal.fail("\(error)")
        }
        for warning in output.warnings { Terminal.warn(warning) }
        // With `--trace -` the trace went to standard output, so the narration goes to standard error.
        let say: (String) -> Void = trace == OutputTransaction.standardOutput ? { Terminal.note($0) } : { Terminal.print($0) }
        if step {
            let settings = run.context.metadata.filter { !["script", "lecture notes", "nnsim version"].contains($0.key) }
            StepThrough(title: run.context.title, preamble: ["Settings (--set name=value):"] + settings.map { "  \($0.key) = \($0.value)" },
                        steps: run.result.steps, showDataGradients: showDataGradients, scheme: figureStyle.scheme).show()
        } else if !quiet {
            for line in run.result.narration { say(line) }
            say("")
        }
        for line in run.result.summary { say(line) }
        let traceNote = trace.map { $0 == OutputTransaction.standardOutput ? " and the trace to standard output" : " and the trace to \($0)" }
        say("Wrote \(Terminal.count(files.count, "file")) to \(folder)/" + (traceNote ?? ""))
    }
}
