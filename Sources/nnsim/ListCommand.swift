import ArgumentParser
import Lessons

/// `nnsim list`: every lesson with its one-line summary.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the lessons with their one-line summaries.")

    func run() throws {
        guard let folder = LessonCatalog.directory() else { Terminal.fail("cannot find the lessons folder (set NNSIM_LESSONS)") }
        let names = LessonCatalog.names(in: folder)
        let width = names.map(\.count).max() ?? 0
        for name in names {
            let padded = name.padding(toLength: width, withPad: " ", startingAt: 0)
            do {
                let script = try LessonScript(contentsOfFile: folder + "/" + name + ".yaml")
                Terminal.print("\(padded)  \(script.summary)")
            } catch {
                Terminal.print("\(padded)  (cannot be read: \(error))")
            }
        }
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
