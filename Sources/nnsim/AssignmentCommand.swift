import ArgumentParser
import Foundation
import Lessons
import Render
import Sim

/// `nnsim assignment sheet|key|template`: the documents of an assignment (docs/assignments.md).
struct AssignmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assignment",
        abstract: "Write a student's question sheet, the answer key, or the submission template.",
        subcommands: [Sheet.self, Key.self, Template.self]
    )

    struct Options: ParsableArguments {
        @Argument(help: "The assignment (YAML, docs/assignments.md).")
        var assignment: String

        @Option(name: .long, help: "The student's ID: their numbers follow from it and the assignment's secret seed.")
        var student: String

        @Option(name: .long, help: ArgumentHelp("The folder the files go into.", valueName: "dir"))
        var out = "output"

        /// Writes NAME.md and NAME.pdf for the student into the output folder.
        func write(withAnswers: Bool) {
            do {
                let assignment = try Assignment(contentsOfFile: self.assignment)
                let variant = try StudentVariant(assignment, student: student)
                let documents = AssignmentDocuments(assignment, variant: variant)
                let measurer = CairoTextMeasurer()
                let pages = ReportLayout(measurer: measurer).pages(documents.report(withAnswers: withAnswers, measurer: measurer))
                let pdf = try CairoRenderer.render(document: pages)
                let base = AssignmentChecker.fileName(for: student) + (withAnswers ? "-key" : "-sheet")
                let written = try AtomicFile.write([(base + ".md", Array(documents.markdown(withAnswers: withAnswers).utf8)), (base + ".pdf", pdf)], into: out)
                Terminal.print("Wrote \(written.joined(separator: " and "))")
            } catch {
                Terminal.fail("\(error)")
            }
        }
    }

    struct Sheet: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sheet", abstract: "Write the student's question sheet (Markdown and PDF), with their numbers.")
        @OptionGroup var options: Options
        func run() { options.write(withAnswers: false) }
    }

    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "key", abstract: "Write the student's sheet with every answer and the worked steps, for TAs.")
        @OptionGroup var options: Options
        func run() { options.write(withAnswers: true) }
    }

    struct Template: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "template", abstract: "Print a submission template (YAML) with every question's keys.")
        @Argument(help: "The assignment (YAML).")
        var assignment: String
        func run() {
            do {
                Terminal.print(AssignmentDocuments.template(try Assignment(contentsOfFile: assignment)), terminator: "")
            } catch {
                Terminal.fail("\(error)")
            }
        }
    }
}
