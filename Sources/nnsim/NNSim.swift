import ArgumentParser
import Foundation
import Lessons
import Sim

/// The `nnsim` command: a step-through neural-network simulator for teaching.
@main
struct NNSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnsim",
        abstract: "A step-through neural-network simulator for teaching.",
        version: NNSimVersion.current,
        subcommands: [LessonCommand.self, ListCommand.self, ShowCommand.self, GraphCommand.self, ViewCommand.self, AssignmentCommand.self, CheckCommand.self]
    )

    /// Parses and runs like ArgumentParser's own `main`, except that a usage error (a bad `--seed`, a
    /// missing argument, `--frames` without `--out`) prints one `error:` line naming what is wrong and where
    /// to look, not the whole usage text. `--help`, `--version` and `nnsim help` print as before.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let message = self.message(for: error)
            guard exitCode(for: error) != .success, !message.isEmpty else { exit(withError: error) }
            FileHandle.standardError.write(Data("error: \(line(message, arguments: arguments))\n".utf8))
            Foundation.exit(exitCode(for: error).rawValue)
        }
    }

    /// The one printable line for a usage error: ArgumentParser's message, lower-cased like nnsim's own
    /// messages, and where the accepted forms are listed: `(see nnsim lesson --help)`.
    static func line(_ message: String, arguments: [String]) -> String {
        var text = PrintableText.escaped(message.split(whereSeparator: \.isNewline).joined(separator: " "))
        if let first = text.first, first.isUppercase, text.dropFirst().first?.isLowercase == true {
            text = first.lowercased() + text.dropFirst()
        }
        return text + " (see \((["nnsim"] + commandPath(arguments)).joined(separator: " ")) --help)"
    }

    /// The subcommand names at the start of `arguments` (`["assignment", "sheet"]`), as far as they name one.
    static func commandPath(_ arguments: [String]) -> [String] {
        var path: [String] = []
        var commands = configuration.subcommands
        for argument in arguments {
            guard let next = commands.first(where: { $0.configuration.commandName == argument }) else { break }
            path.append(argument)
            commands = next.configuration.subcommands
        }
        return path
    }
}
