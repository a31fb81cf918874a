import ArgumentParser
import Foundation
import Lessons
import Render
import SafeFiles
import Sim

/// `nnsim graph`: evaluate an expression, differentiate it, and print every step.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Build the computational graph of an expression and print its forward and backward pass.",
        discussion: """
        Statements `name = expression` are separated by ';' or new lines; the last statement's target is
        differentiated. Operators + - * / ^ and the functions exp, log, sqrt, abs, sigmoid, tanh, relu,
        max, min (see docs/expressions.md). Vectors and matrices: --at x=[1,-1],W=[[1,2],[3,4]] (or
        W=@w.csv), A@B, W^T, sum, mean, softmax, logsumexp, cross_entropy(s, y), broadcasting entry by entry.

        Examples:
          nnsim graph "L = c*(a + 2*b)" --at a=3,b=1,c=-2
          nnsim graph "z = W@x + b; y = sigmoid(z); L = sum((y - t)^2)" --at "W=[[1,2],[3,4]],x=[1,-1],b=[0,1],t=[0,1]"
          nnsim graph "d = 2*b; e = a + d; L = c*e" --at a=3,b=1,c=-2
          nnsim graph "f = (x + y)*z" --at x=-2,y=5,z=-4 --trace f.json
          nnsim graph -f program.txt --at x=0.5          (a long program, from a file; - reads standard input)
          nnsim graph "L = c*(a + 2*b)" --at a=3,b=1,c=-2 --out g --frames --theme dark --aspect 4:3
        """
    )

    @Argument(help: "The expression program, e.g. \"L = c*(a + 2*b)\" (or give -f FILE).")
    var expression: String?

    @Option(name: [.customShort("f"), .long], help: ArgumentHelp("Read the program from this file (- for standard input), for programs longer than a command-line argument may be (128 KiB).", valueName: "file"))
    var file: String?

    @Option(name: .long, help: ArgumentHelp("Values of the inputs: name=value pairs separated by commas; a value may be a vector [1,-1], a matrix [[1,2],[3,4]] or @FILE (CSV rows).",
                                            valueName: "a=3,b=1,..."))
    var at: [String] = []

    @Option(name: .long, help: ArgumentHelp("Also write the trace (docs/trace-format.md) to this file (- for standard output).",
                                            valueName: "file"))
    var trace: String?

    @Flag(name: .long, help: "Print the trace as JSON on standard output instead of the derivation.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Write the graph figure and a report (report.pdf) into this folder.",
                                            valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Formats of the figures, separated by commas (html: the viewer page viewer.html, docs/viewer.md; mp4: the frames as a video, with ffmpeg).", valueName: "png,svg,pdf,html,mp4"))
    var format = "png,svg,pdf"

    @Flag(name: .long, help: "With --out, also write one figure per forward and backward step (frames/), for slides.")
    var frames = false

    @OptionGroup(title: "Figures (with --out)") var figureStyle: FigureStyleOptions

    @Flag(name: .long, help: "Step through the forward steps and backward messages one at a time in a terminal (docs/stepping.md); elsewhere print each on its own line.")
    var step = false

    func validate() throws {
        if step && (json || trace == "-") { throw ValidationError("--step prints to standard output, so it goes with neither --json nor --trace -") }
        if step && file == "-" { throw ValidationError("--step reads keys from standard input, so the program cannot come from -f -") }
        if frames && out == nil { throw ValidationError("--frames needs --out DIR") }
        // With --step, --theme also chooses the stepper's colours; otherwise the style is the figures'.
        var style = try figureStyle.style()
        if step { style.scheme = .light }
        if style != .standard && out == nil {
            throw ValidationError(step ? "--aspect and --transparent need --out DIR (they change the figures)"
                                       : "--theme, --aspect and --transparent need --out DIR (they change the figures)")
        }
        switch (expression, file) {
        case (nil, nil): throw ValidationError("give the program, as an argument or with -f FILE")
        case (.some, .some): throw ValidationError("give the program either as an argument or with -f FILE, not both")
        default: break
        }
        if file == "-" && trace == "-" { throw ValidationError("-f - and --trace - both use standard input/output; write the trace to a file") }
    }

    /// The program's text: the argument, or the file's. The program's own limit (ExpressionLimits.maxLength
    /// characters) is checked by the parser; a file is read no further than 4 bytes a character.
    func source() throws -> String {
        if let expression { return expression }
        let path = file ?? "-"
        let limit = 4 * ExpressionLimits.maxLength + 3
        let bytes = path == "-" ? try InputFile.standardInput(limit: limit) : try InputFile.bytes(path, limit: limit)
        do {
            return try TextInput.decode(bytes)
        } catch {
            throw ExpressionError(error.message(path == "-" ? "standard input" : path))
        }
    }

    func run() throws {
        // Destinations are checked before computing, files staged and moved into place together after
        // (docs/guarantees.md).
        let run: ExpressionRun
        var encoded: [UInt8]?
        var written = 0
        var derivation: Background<String, Never>?
        let output = OutputTransaction()
        do {
            let formats = try OutputFormat.list(format)
            try Publication.check(formats)
            if let out { try OutputTransaction.checkFolder(out) }
            if let path = self.trace { try OutputTransaction.checkFile(path) }
            let values = try ExpressionRun.values(of: at)
            let evaluation = try ExpressionRun.Evaluation(source: try source(), at: values)
            // The trace is built and encoded on the other core while this one writes the derivation: for
            // a 10,000-node program each is about a fifth to a third of the whole run
            // (benchmarks/graph-vs-micrograd).
            let record = evaluation.record
            let bytes = self.trace != nil || json ? Background { () throws(TraceError) in try record.trace.encoded() } : nil
            run = ExpressionRun(evaluation)
            // The derivation's text is joined on another core while this one stages and saves the files.
            if self.trace != OutputTransaction.standardOutput && !json && !step {
                derivation = Background { [walkthrough = run.walkthrough] () throws(Never) in walkthrough.text }
            }
            if let out {
                let files = try GraphOutput(run: run, formats: formats, frames: frames, style: try figureStyle.style()).files()
                try output.stageFolder(out, files: files)
                written = files.count
            }
            if let path = self.trace, let bytes { try output.stageFile(path, bytes: try bytes.value()) }
            encoded = try bytes?.value()
            try output.commit()
        } catch {
            output.rollback()   // Terminal.fail exits at once: no deinit would roll back
            Terminal.fail("\(error)")
        }
        for warning in run.warnings + output.warnings { Terminal.warn(warning) }
        if self.trace == OutputTransaction.standardOutput {
            // The trace went to standard output (`--trace -`); the rest would corrupt it.
            if let folder = out { Terminal.note("Wrote \(Terminal.count(written, "file")) to \(folder)/") }
        } else if json, let encoded {
            Terminal.print(String(decoding: encoded, as: UTF8.self), terminator: "")
        } else if step {
            let w = run.walkthrough
            StepThrough(title: "nnsim graph: " + run.program.source.replacingOccurrences(of: "\n", with: "; "),
                        preamble: ["Inputs (--at):"] + w.inputs.map { "  \($0.name) = \(GraphWalkthrough.text(of: $0.value))" },
                        steps: w.lessonSteps(graph: run.graph), scheme: figureStyle.scheme).show()
            Terminal.print("gradients: " + w.gradients.map { "∂\(w.output)/∂\($0.name) = \(GraphWalkthrough.text(of: $0.value))" }.joined(separator: ", "))
            if let folder = out { Terminal.print("Wrote \(Terminal.count(written, "file")) to \(folder)/") }
        } else {
            Terminal.print(derivation?.value() ?? run.walkthrough.text, terminator: "")
            if let folder = out { Terminal.print("\nWrote \(Terminal.count(written, "file")) to \(folder)/") }
        }
        // Everything is written: the process ends here rather than free the graph, its derivation and
        // its trace object by object on the way out (for a 10,000-node program that was a twentieth of the
        // run; benchmarks/graph-vs-micrograd). The operating system takes the memory back at once.
        Foundation.exit(0)
    }
}

