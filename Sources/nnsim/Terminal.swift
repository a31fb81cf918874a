import Foundation
import Sim

/// Output for the command line: results on standard output, `error:` and `warning:` lines on standard error.
/// Errors and warnings are one printable line each: control characters in them are escaped (PrintableText).
enum Terminal {
    static func print(_ text: String, terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((text + terminator).utf8))
    }

    /// A line for the person at the terminal when standard output carries data (`--trace -`).
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// "1 file", "3 files": a count with its noun.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(PrintableText.escaped(message))\n".utf8))
    }

    /// Prints one `error:` line and exits with status 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(PrintableText.escaped(message))\n".utf8))
        exit(1)
    }
}
