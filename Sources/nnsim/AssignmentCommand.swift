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
        abstract: "Write a student's question sheet, the answer key, the submission template, or the Gradescope autograder.",
        subcommands: [Sheet.self, Key.self, Template.self, Answers.self, PrairieLearn.self, Autograder.self, Class.self]
    )

    /// Whose documents: one student, or every student of a class list.
    struct Students: ParsableArguments {
        @Option(name: .long, help: "The student's ID: their numbers follow from it and the assignment's secret seed.")
        var student: String?

        @Option(name: .long, help: ArgumentHelp("A class list (CSV with a header row; the column student, id, login or email, else the first): every student in one call.", valueName: "students.csv"))
        var roster: String?

        func validate() throws {
            switch (student, roster) {
            case (nil, nil): throw ValidationError("give --student ID or --roster students.csv")
            case (.some, .some): throw ValidationError("give --student or --roster, not both")
            default: break
            }
        }

        /// The student IDs: the one given, or the roster's.
        func ids() throws(LessonError) -> [String] {
            try roster.map { path throws(LessonError) in try Roster.read(path) } ?? [student ?? ""]
        }
    }

    struct Options: ParsableArguments {
        @Argument(help: "The assignment (YAML, docs/assignments.md).")
        var assignment: String

        @OptionGroup var students: Students

        @Option(name: .long, help: ArgumentHelp("The folder the files go into.", valueName: "dir"))
        var out = "output"

        /// Writes NAME.md and NAME.pdf for each student (one, or the roster's) into the output folder, which
        /// other students' files share: every destination is checked and every document rendered before
        /// the first file is written; then each student's two files are replaced together (a transaction
        /// per student keeps two open files at a time, however long the roster).
        func write(withAnswers: Bool) {
            do {
                let students = try self.students.ids()
                let bases = students.map { out + "/" + AssignmentChecker.fileName(for: $0) + (withAnswers ? "-key" : "-sheet") }
                for base in bases { for path in [base + ".md", base + ".pdf"] { try OutputTransaction.checkFile(path) } }
                let assignment = try Assignment(contentsOfFile: self.assignment)
                let rendered = try zip(bases, Self.documents(assignment, students: students, withAnswers: withAnswers)).map { base, files in
                    (base: base, markdown: files.markdown, pdf: files.pdf)
                }
                var written: [String] = []
                for files in rendered {
                    let output = OutputTransaction()
                    try output.stageFile(files.base + ".md", bytes: files.markdown)
                    try output.stageFile(files.base + ".pdf", bytes: files.pdf)
                    written += try output.commit()
                }
                Terminal.print(students.count == 1 ? "Wrote \(written.joined(separator: " and "))" : "Wrote \(written.count) files for \(students.count) students in \(out)/")
            } catch {
                Terminal.fail("\(error)")
            }
        }

        /// Each student's sheet or key: Markdown and PDF bytes, all drawn (by Publication)
        /// before anything is written.
        static func documents(_ assignment: Assignment, students: [String], withAnswers: Bool) throws -> [(markdown: [UInt8], pdf: [UInt8])] {
            let measurer = CairoTextMeasurer()
            var publication = Publication()
            var markdown: [[UInt8]] = []
            for (i, student) in students.enumerated() {
                let documents = AssignmentDocuments(assignment, variant: try StudentVariant(assignment, student: student))
                publication.reports.append(("\(i)", documents.report(withAnswers: withAnswers, measurer: measurer)))
                markdown.append(Array(documents.markdown(withAnswers: withAnswers).utf8))
            }
            return zip(markdown, try publication.render(figureFormats: [])).map { ($0, $1.bytes) }
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

    struct Answers: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "answers",
            abstract: "Print every answer of one student, or of a roster, as JSON: the key for any other system.")
        @Argument(help: "The assignment (YAML).")
        var assignment: String
        @OptionGroup var students: Students

        func run() {
            do {
                let assignment = try Assignment(contentsOfFile: self.assignment)
                let keys = try students.ids().map { id throws(LessonError) in JSONMember(id, AssignmentDocuments.answersJSON(try StudentVariant(assignment, student: id))) }
                Terminal.print(JSONWriter.text(.object([JSONMember("assignment", .string(assignment.title)), JSONMember("students", .object(keys))])), terminator: "")
            } catch {
                Terminal.fail("\(error)")
            }
        }
    }

    struct PrairieLearn: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "prairielearn",
            abstract: "Export the assignment as PrairieLearn questions (info.json, question.html, server.py, variants.json per question).")
        @Argument(help: "The assignment (YAML).")
        var assignment: String
        @Option(name: .long, help: ArgumentHelp("The folder the questions go into (replaced as a whole).", valueName: "dir"))
        var out = "output/prairielearn"
        @Option(name: .long, help: "How many of nnsim's draws to precompute as variants.")
        var variants = 100

        func validate() throws {
            guard (1...10_000).contains(variants) else { throw ValidationError("--variants takes a whole number from 1 to 10000") }
        }

        func run() {
            let output = OutputTransaction()
            do {
                try OutputTransaction.checkFolder(out)
                let (files, notes) = try PrairieLearnExport(try Assignment(contentsOfFile: assignment), variants: variants).files()
                try output.stageFolder(out, files: files)
                try output.commit()
                for note in notes { Terminal.warn(note) }
                Terminal.print("Wrote \(files.count / 4) questions with \(variants) variants each to \(out)/")
            } catch {
                output.rollback()
                Terminal.fail("\(error)")
            }
        }
    }

    struct Autograder: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "autograder",
            abstract: "Write the Gradescope autograder zip (setup.sh, run_autograder, nnsim, the assignment): docs/assignments.md, Deploying on Gradescope.",
            discussion: """
            The zip holds this nnsim binary (or --binary's), which must run without a Swift toolchain: \
            scripts/autograder builds one (swift build -c release --static-swift-stdlib) and then runs this command.
            """)
        @Argument(help: "The assignment (YAML).")
        var assignment: String
        @Option(name: .long, help: ArgumentHelp("The class list: Gradescope's email (or user ID) of a student, found in a row, gives the student ID of that row (else the email is the ID).", valueName: "students.csv"))
        var roster: String?
        @Option(name: .long, help: ArgumentHelp("The folder autograder.zip goes into.", valueName: "dir"))
        var out = "output/autograder"
        @Option(name: .long, help: ArgumentHelp("The nnsim binary to put in the zip (default: this one).", valueName: "path"))
        var binary: String?

        func run() {
            let output = OutputTransaction()
            do {
                let destination = out + "/autograder.zip"
                try OutputTransaction.checkFile(destination)
                let bundle = try Self.bundle(assignment: assignment, roster: roster, binary: binary)
                try output.stageFile(destination, bytes: bundle.zip)
                try output.commit()
                for warning in bundle.warnings { Terminal.warn(warning) }
                Terminal.print("Wrote \(destination) (\(bundle.zip.count / 1_000_000) MB\(bundle.note))")
            } catch {
                output.rollback()
                Terminal.fail("\(error)")
            }
        }

        /// The autograder zip of an assignment (and roster), with the binary checked for Gradescope: what it
        /// links and the oldest Ubuntu base image it runs on (`note`), and what the instructor should know.
        static func bundle(assignment: String, roster: String?, binary: String?) throws -> (zip: [UInt8], note: String, warnings: [String]) {
            let assignmentBytes = try InputFile.bytes(assignment, limit: LessonScript.maximumBytes)
            let parsed = try Assignment(contentsOfFile: assignment)
            let scripts = GradescopeBundle.scriptFileLessons(parsed)
            guard scripts.isEmpty else {
                throw LessonError("the autograder holds the assignment only, not lesson scripts it names: \(scripts.joined(separator: ", ")); use built-in lessons", file: assignment)
            }
            // Every student's numbers must be computable before the zip goes to Gradescope.
            _ = try StudentVariant(parsed, student: "autograder-check")
            var rosterBytes: [UInt8]?
            if let roster {
                _ = try Roster.entries(roster)
                _ = try Roster.deadlines(roster)
                rosterBytes = try InputFile.bytes(roster, limit: Roster.maximumBytes)
            }
            let binaryPath = binary ?? ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
            let nnsim = try InputFile.bytes(binaryPath, limit: 1 << 30)
            guard let needed = GradescopeBundle.neededLibraries(nnsim) else {
                throw LessonError("not a 64-bit Linux executable: Gradescope runs Ubuntu on x86-64", file: binaryPath)
            }
            let toolchain = GradescopeBundle.toolchainLibraries(needed)
            guard toolchain.isEmpty else {
                throw LessonError("this nnsim needs the Swift toolchain's \(toolchain.joined(separator: ", ")), which Gradescope's image does not have: build one with scripts/autograder (swift build -c release --static-swift-stdlib) or give it with --binary", file: binaryPath)
            }
            let zip = try ZipArchive.bytes(GradescopeBundle.entries(assignment: assignmentBytes, roster: rosterBytes, nnsim: nnsim))
            // On Gradescope one garbage submission would show such a question's key (issue 15, item 9).
            var warnings = parsed.questions.filter { $0.showExpected == .always }.map {
                "\($0.id) shows its expected values on every submission (show-expected: true); after-due-date shows them only after the due date"
            }
            // The oldest Ubuntu whose glibc has every symbol version the binary asks for.
            let glibc = GradescopeBundle.newestGlibc(nnsim)
            let ubuntu = glibc.map { needs in GradescopeBundle.ubuntuGlibc.first { !$0.glibc.lexicographicallyPrecedes(needs) }?.ubuntu } ?? GradescopeBundle.ubuntuGlibc.first?.ubuntu
            let glibcText = glibc.map { "glibc " + $0.map(String.init).joined(separator: ".") } ?? "no glibc version"
            guard let ubuntu else {
                warnings.append("this nnsim needs \(glibcText), newer than any Ubuntu base image Gradescope offers (24.04 has 2.39): build it on an older system, such as in an ubuntu:22.04 container")
                return (zip, "", warnings)
            }
            return (zip, "; nnsim links \(needed.joined(separator: ", ")) and needs \(glibcText)): upload it on Gradescope's Configure Autograder page, base image Ubuntu \(ubuntu) or later", warnings)
        }
    }

    /// Everything a course needs for one assignment, for a whole class list, in one call.
    struct Class: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "class",
            abstract: "Write everything for a class list in one call: every student's sheet, key and submission template, the answers as JSON and the Gradescope autograder.",
            discussion: """
            DIR/sheets/ID-sheet.md and .pdf, DIR/keys/ID-key.md and .pdf (for TAs), DIR/templates/ID.yaml (the \
            submission template with the student's ID filled in), DIR/answers.json (every student's key, for any \
            other system) and DIR/autograder.zip (docs/assignments.md, Deploying on Gradescope; it needs an nnsim \
            that runs without a Swift toolchain: this one when scripts/autograder built it, or --binary; \
            --no-autograder leaves it out). Everything is computed and checked before the first file is written, \
            and DIR is replaced as a whole.
            """)
        @Argument(help: "The assignment (YAML).")
        var assignment: String
        @Option(name: .long, help: ArgumentHelp("The class list (CSV with a header row; the column student, id, login or email, else the first; an optional due column for extensions).", valueName: "students.csv"))
        var roster: String
        @Option(name: .long, help: ArgumentHelp("The folder everything goes into (replaced as a whole).", valueName: "dir"))
        var out = "output/class"
        @Option(name: .long, help: ArgumentHelp("The nnsim binary to put in the autograder (default: this one).", valueName: "path"))
        var binary: String?
        @Flag(name: .long, help: "Leave the Gradescope autograder out.")
        var noAutograder = false

        func run() {
            let output = OutputTransaction()
            do {
                try OutputTransaction.checkFolder(out)
                let parsed = try Assignment(contentsOfFile: assignment)
                let students = try Roster.read(roster)
                var names = Set<String>()
                let bases = students.map { student in
                    var name = AssignmentChecker.fileName(for: student)
                    while !names.insert(name).inserted { name += "_" }
                    return name
                }
                var files: [(name: String, bytes: [UInt8])] = []
                for (withAnswers, folder, suffix) in [(false, "sheets", "-sheet"), (true, "keys", "-key")] {
                    for (base, documents) in zip(bases, try Options.documents(parsed, students: students, withAnswers: withAnswers)) {
                        files.append(("\(folder)/\(base)\(suffix).md", documents.markdown))
                        files.append(("\(folder)/\(base)\(suffix).pdf", documents.pdf))
                    }
                }
                for (student, base) in zip(students, bases) {
                    files.append(("templates/\(base).yaml", Array(AssignmentDocuments.template(parsed, student: student).utf8)))
                }
                let keys = try students.map { id throws(LessonError) in JSONMember(id, AssignmentDocuments.answersJSON(try StudentVariant(parsed, student: id))) }
                files.append(("answers.json", JSONWriter.bytes(.object([JSONMember("assignment", .string(parsed.title)), JSONMember("students", .object(keys))]))))
                var warnings: [String] = []
                if !noAutograder {
                    let bundle: (zip: [UInt8], note: String, warnings: [String])
                    do {
                        bundle = try Autograder.bundle(assignment: assignment, roster: roster, binary: binary)
                    } catch {
                        throw LessonError("\(error) (or leave the autograder out with --no-autograder)")
                    }
                    files.append(("autograder.zip", bundle.zip))
                    warnings = bundle.warnings
                }
                try output.stageFolder(out, files: files)
                try output.commit()
                for warning in warnings { Terminal.warn(warning) }
                Terminal.print("Wrote \(out)/ for \(students.count) students: sheets/, keys/, templates/, answers.json\(noAutograder ? "" : " and autograder.zip")")
            } catch {
                output.rollback()
                Terminal.fail("\(error)")
            }
        }
    }
}
