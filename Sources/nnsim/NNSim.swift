import ArgumentParser
import Lessons

/// The `nnsim` command: a step-through neural-network simulator for teaching.
@main
struct NNSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnsim",
        abstract: "A step-through neural-network simulator for teaching.",
        version: NNSimVersion.current,
        subcommands: [LessonCommand.self, ListCommand.self, ShowCommand.self, GraphCommand.self, AssignmentCommand.self, CheckCommand.self]
    )
}
