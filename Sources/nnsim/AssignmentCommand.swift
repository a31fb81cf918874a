import ArgumentParser
import Foundation
import Lessons
import Render
import SafeFiles
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

        /// Writes NAME.md and NAME.pdf for the student into the output folder (which other students'
        /// files share: each file is replaced on its own, both moved into place together at the end).
        func write(withAnswers: Bool) {
            let output = OutputTransaction()
            do {
                let base = out + "/" + AssignmentChecker.fileName(for: student) + (withAnswers ? "-key" : "-sheet")
                for path in [base + ".md", base + ".pdf"] { try OutputTransaction.checkFile(path) }
                let assignment = try Assignment(contentsOfFile: self.assignment)
                let variant = try StudentVariant(assignment, student: student)
                let documents = AssignmentDocuments(assignment, variant: variant)
                let measurer = CairoTextMeasurer()
                let pages = ReportLayout(measurer: measurer).pages(documents.report(withAnswers: withAnswers, measurer: measurer))
                let pdf = try CairoRenderer.render(document: pages)
                try output.stageFile(base + ".md", bytes: Array(documents.markdown(withAnswers: withAnswers).utf8))
                try output.stageFile(base + ".pdf", bytes: pdf)
                let written = try output.commit()
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
