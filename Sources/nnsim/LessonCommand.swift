import ArgumentParser
import Foundation
import Lessons
import Render
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

    @Option(name: .long, help: ArgumentHelp("Formats of the figures, separated by commas (report.pdf comes with pdf).", valueName: "png,svg,pdf"))
    var format = "png,svg,pdf"

    @Option(name: .long, help: ArgumentHelp("Also write the trace (docs/trace-format.md) to this file.", valueName: "file"))
    var trace: String?

    @Flag(name: .long, help: "Step through every forward operation, backward message and update; in a terminal, wait for Enter after each (q quits, a number jumps to that step).")
    var step = false

    @Flag(name: .long, help: "Print only the summary and where the files are.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Show this help, or with a lesson, the lesson's settings.")
    var help = false

    func validate() throws {
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
        let run: LessonRun
        let files: [(String, [UInt8])]
        let formats: [OutputFormat]
        do {
            formats = try OutputFormat.list(format)
        } catch {
            Terminal.fail("\(error)")
        }
        do {
            run = try LessonRun(lesson, overrides: set, seed: seed, recordsSteps: trace != nil)
            files = try LessonOutput(result: run.result, formats: formats).render()
        } catch {
            Terminal.fail("\(error)")
        }
        if step {
            StepThrough(steps: run.result.steps).show()
        } else if !quiet {
            for line in run.result.narration { Terminal.print(line) }
            Terminal.print("")
        }
        let folder = out + "/" + run.script.name
        do {
            _ = try LessonOutput.write(files, to: folder)
            if let trace { try run.result.trace.write(toFile: trace) }
        } catch {
            Terminal.fail("\(error)")
        }
        for line in run.result.summary { Terminal.print(line) }
        Terminal.print("Wrote \(files.count) files to \(folder)/" + (trace.map { " and the trace to \($0)" } ?? ""))
    }
}
