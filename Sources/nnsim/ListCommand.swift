import ArgumentParser
import Lessons

/// `nnsim list`: every lesson with its one-line summary.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the lessons with their one-line summaries.",
        discussion: "Built-in lessons travel inside nnsim. Your own scripts (.yaml) in lessons/ of the current folder, and in the folders listed in $NNSIM_LESSONS (separated by ':'), add to them; one with a built-in lesson's name is used instead of it, and marked so.")

    func run() throws {
        let entries = LessonCatalog.all()
        let width = entries.map(\.name.count).max() ?? 0
        for entry in entries {
            let padded = entry.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let origin = entry.origin == .builtIn ? "" : "  [\(entry.origin.phrase): \(entry.path)]"
            do {
                let script = try LessonScript(named: entry.name)
                Terminal.print("\(padded)  \(script.summary)\(origin)")
            } catch {
                Terminal.print("\(padded)  (cannot be read: \(error))\(origin)")
            }
        }
        let folders = LessonCatalog.userFolders()
        Terminal.print("\nBuilt-in lessons travel inside nnsim; your own scripts are read from " +
                       (folders.isEmpty ? "lessons/ in the current folder and the folders in $NNSIM_LESSONS (none here)." : folders.joined(separator: ", ") + "."))
    }
}

/// `nnsim show NAME`: a lesson's settings with their defaults and meaning.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a lesson's settings, defaults and report contents.")

    @Argument(help: "A lesson name (see nnsim list) or a script's path.")
    var lesson: String

    func run() throws {
        do {
            Terminal.print(LessonRun.description(of: try LessonScript(named: lesson)))
        } catch {
            Terminal.fail("\(error)")
        }
    }
}
