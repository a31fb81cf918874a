import Foundation
import Lessons
import Render

/// The step-through mode (`--step`, docs/stepping.md). When standard input and output are both terminals,
/// an interactive stepper: raw keys, the alternate screen redrawn in place at each key and when the
/// window's size changes, and the title page first. Otherwise every step is printed, one per line (with
/// its detail lines), after the title and settings, and nothing waits.
struct StepThrough {
    let title: String
    /// The inputs and settings, one per line.
    let preamble: [String]
    let steps: [LessonStep]
    var showDataGradients = false
    /// `--theme` when given: the colours of values and gradients (TerminalColours).
    var scheme: ColorScheme.Name? = nil

    /// The steps shown: a gradient with respect to data or targets only when asked for.
    var visibleSteps: [LessonStep] {
        showDataGradients ? steps : steps.filter { $0.detail?.isDataGradient != true }
    }

    func show() {
        if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
            interactive()
        } else {
            Terminal.print(printed().joined(separator: "\n"))
        }
    }

    /// Every step as text, for a pipe or a file.
    func printed() -> [String] {
        let steps = visibleSteps
        var lines = [title] + preamble + [""]
        let width = String(steps.count).count
        for (index, step) in steps.enumerated() {
            let number = String(index + 1).leftPadded(to: width)
            let iteration = step.iteration.map { "iteration \($0)" + (step.run.map { " (\($0.text))" } ?? "") + ": " } ?? ""
            lines.append("[\(number)/\(steps.count)] \(step.phase.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(iteration)\(step.text)")
            for line in step.details { lines.append(String(repeating: " ", count: 2 * width + 13) + line) }
        }
        return lines
    }

    private func interactive() {
        guard RawTerminal.enter() else {
            Terminal.print(printed().joined(separator: "\n"))
            return
        }
        defer { RawTerminal.restore() }
        var model = StepperModel(steps: visibleSteps)
        let screen = StepScreen(title: title, preamble: preamble + ["", "Keys: " + (model.hasIterations ? StepScreen.keysLine : StepScreen.keysLineSteps)],
                                showDataGradients: showDataGradients)
        let colours = TerminalColours(mode: ColourMode.from(environment: ProcessInfo.processInfo.environment), scheme: scheme)
        var drawnSize = (columns: 0, rows: 0)
        func draw() {
            let size = RawTerminal.size()
            drawnSize = size
            let lines = screen.lines(model, width: size.columns, height: size.rows)
            // Home, then each line cleared to its end: no flicker, nothing left from a wider screen.
            RawTerminal.write("\u{1B}[H" + lines.map { colours.write($0) + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J")
        }
        draw()
        while !model.finished {
            guard let bytes = RawTerminal.read(waiting: 200) else { break }
            if bytes.isEmpty {
                let size = RawTerminal.size()
                if size != drawnSize { draw() }
                continue
            }
            for key in KeyDecoder.keys(bytes) where !model.finished { model.handle(key) }
            draw()
        }
        RawTerminal.restore()
        let at = model.current.map { step in
            "stopped at step \(model.position) of \(model.steps.count)" + (step.iteration.map { " (iteration \($0))" } ?? "")
        } ?? "stopped before the first step"
        Terminal.print(at)
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
