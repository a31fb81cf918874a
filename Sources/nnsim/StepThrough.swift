import Foundation
import Lessons

/// The step-through mode: prints each step with its numbers. When standard input is a terminal it waits
/// after each for Enter; `q` stops stepping (the run still finishes and writes its files), a number jumps
/// ahead to that step. Otherwise it prints every step without waiting.
struct StepThrough {
    let steps: [LessonStep]

    func show() {
        let interactive = isatty(STDIN_FILENO) == 1
        var target = 0
        let width = String(steps.count).count
        for (index, step) in steps.enumerated() {
            let number = String(index + 1).leftPadded(to: width)
            Terminal.print("[\(number)/\(steps.count)] \(step.phase.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(step.text)")
            for line in step.details { Terminal.print(String(repeating: " ", count: 2 * width + 13) + line) }
            guard interactive, index + 1 >= target, index + 1 < steps.count else { continue }
            Terminal.print("  (Enter: next, a number: jump to that step, q: quit) ", terminator: "")
            guard let answer = readLine()?.trimmingCharacters(in: .whitespaces) else { return }
            if answer == "q" { return }
            if let n = Int(answer) { target = n }
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
