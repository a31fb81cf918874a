import Foundation
import Sim
import Testing

/// The autograder zip as Gradescope uses it, without Gradescope: the zip of the static nnsim that
/// scripts/test builds (NNSIM_STATIC_BINARY) is unpacked into a throwaway root laid out as /autograder,
/// holding nothing else but bash, coreutils' env, mkdir, chmod and timeout, and the system libraries `ldd`
/// names (glibc, libstdc++, Cairo and what Cairo links; the fonts setup.sh installs). setup.sh (with a stand-in
/// apt-get) and run_autograder run there
/// under chroot, with /proc mounted in a mount namespace of its own (as Docker has it) and an empty
/// environment: no Swift toolchain on any path. Every results.json is checked against Gradescope's
/// specification (GradescopeResultsSpec).
@Suite(.serialized, .enabled(if: geteuid() == 0 && ProcessInfo.processInfo.environment["NNSIM_STATIC_BINARY"] != nil,
                             "needs root (chroot, unshare) and NNSIM_STATIC_BINARY (scripts/test builds it)"))
struct GradescopeRootTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-gradescope-root-\(UUID().uuidString)").path
    let binary = ProcessInfo.processInfo.environment["NNSIM_STATIC_BINARY"] ?? ""

    typealias Output = NNSimBinary.Result

    /// A system tool with only the base system on its PATH.
    static func run(_ tool: String, _ arguments: [String]) throws -> Output {
        try NNSimBinary.run(executable: URL(fileURLWithPath: tool), arguments, environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
    }

    /// The libraries `ldd` resolves for a file, as absolute paths.
    static func libraries(_ file: String) throws -> [String] {
        try run("/usr/bin/ldd", [file]).stdout.split(separator: "\n").compactMap { line in
            line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first { $0.hasPrefix("/") }.map(String.init)
        }
    }

    func copy(_ path: String) throws {
        let target = root + path
        guard !FileManager.default.fileExists(atPath: target) else { return }
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path, toPath: target)
    }

    @Test func runAutograderInABareRootWithoutTheToolchain() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let work = root + "-work"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let assignments = GradescopeAutograderTests.repository.appendingPathComponent("assignments").path

        // ldd: the binary needs nothing from a Swift toolchain, only base-system libraries and Cairo's.
        let needed = try Self.libraries(binary)
        let report = try Self.run("/usr/bin/ldd", [binary])
        #expect(!report.stdout.contains("not found") && !report.stdout.lowercased().contains("swift") && !report.stdout.contains("Foundation"), "\(report.stdout)")
        #expect(needed.allSatisfy { $0.hasPrefix("/lib/") || $0.hasPrefix("/usr/lib/") || $0.hasPrefix("/lib64/") }, "\(needed)")
        #expect(needed.contains { $0.contains("libcairo.so") })

        // The zip, as an instructor makes it (with a roster), unpacked as Gradescope does into /autograder/source.
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try "student,email\nalice,alice@example.edu\n".write(toFile: work + "/roster.csv", atomically: true, encoding: .utf8)
        let made = try Self.run(binary, ["assignment", "autograder", assignments + "/backprop.yaml", "--roster", work + "/roster.csv", "--out", work])
        #expect(made.status == 0, "\(made.stderr)")
        let source = root + "/autograder/source"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        let unzip = try Self.run("/usr/bin/env", ["python3", "-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", work + "/autograder.zip", source])
        #expect(unzip.status == 0, "\(unzip.stderr)")
        // The base system: the tools run_autograder and setup.sh use, the libraries they and nnsim link (what
        // setup.sh's apt-get installs on Gradescope), the fonts.
        let tools = ["/bin/bash", "/usr/bin/env", "/bin/mkdir", "/bin/chmod", "/usr/bin/timeout"]
        for tool in tools { try copy(tool) }
        for library in Set(try (tools + [source + "/nnsim"]).flatMap(Self.libraries)) { try copy(library) }
        for fonts in ["/etc/fonts", "/usr/share/fonts/truetype/dejavu"] where FileManager.default.fileExists(atPath: fonts) { try copy(fonts) }
        try FileManager.default.createDirectory(atPath: root + "/proc", withIntermediateDirectories: true)
        func inRoot(_ command: [String]) throws -> Output {
            try Self.run("/usr/bin/unshare", ["--mount", "--pid", "--fork", "--mount-proc=\(root)/proc", "chroot", root, "/usr/bin/env", "-i", "PATH=/usr/bin:/bin"] + command)
        }
        // What Gradescope's image build does: run setup.sh as root (here apt-get only notes what it was asked
        // for: the libraries are there already), then copy run_autograder up and make it executable. The zip
        // was unpacked without file modes: setup.sh's chmod makes nnsim runnable, and its `nnsim --version`
        // proves it runs.
        try "#!/bin/bash\necho \"apt-get $*\" >> /autograder/apt.log\n".write(toFile: root + "/usr/bin/apt-get", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + "/usr/bin/apt-get")
        let setup = try inRoot(["/bin/bash", "/autograder/source/setup.sh"])
        #expect(setup.status == 0 && setup.stdout.hasPrefix("0."), "\(setup.stdout) \(setup.stderr)")
        let apt = (try? String(contentsOfFile: root + "/autograder/apt.log", encoding: .utf8)) ?? ""
        #expect(apt.contains("apt-get install -y -qq --no-install-recommends libcairo2 zlib1g fonts-dejavu-core"), "\(apt)")
        try FileManager.default.removeItem(atPath: root + "/usr/bin/apt-get")
        try FileManager.default.copyItem(atPath: source + "/run_autograder", toPath: root + "/autograder/run_autograder")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + "/autograder/run_autograder")
        let everything = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
        #expect(!everything.contains { $0.lowercased().contains("swift") || $0.contains("Foundation") }, "the root holds a toolchain file")

        // One submission: the folder, the metadata, then run_autograder with an empty environment.
        func grade(_ files: [String: [UInt8]], metadata: String = GradescopeAutograderTests.metadata()) throws -> JSONValue {
            let submission = root + "/autograder/submission"
            try? FileManager.default.removeItem(atPath: submission)
            try? FileManager.default.removeItem(atPath: root + "/autograder/results")
            try FileManager.default.createDirectory(atPath: submission, withIntermediateDirectories: true)
            for (name, bytes) in files {
                try FileManager.default.createDirectory(atPath: ((submission + "/" + name) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(bytes).write(to: URL(fileURLWithPath: submission + "/" + name))
            }
            try metadata.write(toFile: root + "/autograder/submission_metadata.json", atomically: true, encoding: .utf8)
            let run = try inRoot(["/autograder/run_autograder"])
            #expect(run.status == 0, "\(run.stderr)")
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: root + "/autograder/results/results.json")))
            #expect(GradescopeResultsSpec.violations(bytes) == [], "\(String(decoding: bytes, as: UTF8.self))\n\(run.stderr)")
            return try JSONParser.parse(bytes)
        }
        func output(_ json: JSONValue) -> String { if case .string(let s)? = json["output"] { s } else { "" } }

        let perfect = Array(try GradescopeAutograderTests.perfectAnswers(assignments + "/backprop.yaml", student: "alice", binary: URL(fileURLWithPath: binary)).utf8)
        // Right answers, in a folder from a zip, under a name of the student's choosing.
        var json = try grade(["hw/final/mine.json": perfect, "__MACOSX/hw/final/._mine.json": [0, 5, 22, 7]])
        #expect(json["score"] == .number(25) && json["extra_data"]?["student"] == .string("alice"), "\(json)")
        // Wrong answers, in YAML.
        json = try grade(["answers.yaml": Array("answers:\n  q1: {d: 1000, e: 1000}\n".utf8)])
        guard case .array(let tests)? = json["tests"], case .string(let q1)? = tests.first?["output"] else { Issue.record("no tests"); return }
        #expect(json["score"] == .number(0) && q1.contains("d: got 1000: wrong") && tests.count == 5)
        // Garbage.
        json = try grade(["answers.json": [0xFF, 0xFE, 0, 0x41, 0x7B]])
        #expect(json["score"] == .number(0) && output(json).contains("could not be read"))
        // Nothing submitted.
        json = try grade([:])
        #expect(json["score"] == .number(0) && output(json).contains("holds no answers"))
        // A student who is not on the roster.
        json = try grade(["answers.json": perfect], metadata: GradescopeAutograderTests.metadata(email: "eve@example.edu"))
        #expect(json["score"] == .number(0) && output(json).contains("not on this assignment's class list"))

        // A run trace, for the assignment of the student's own programs: its zip differs from this one in
        // assignment.yaml only.
        let trace = work + "/trace.json"
        let lesson = try Self.run(binary, ["lesson", "xor", "--set", "steps=20", "--trace", trace, "--out", work + "/lesson", "--quiet", "--format", "svg"])
        #expect(lesson.status == 0, "\(lesson.stderr)")
        try FileManager.default.removeItem(atPath: source + "/assignment.yaml")
        try FileManager.default.copyItem(atPath: assignments + "/own-code.yaml", toPath: source + "/assignment.yaml")
        json = try grade(["run/xor.json": try [UInt8](Data(contentsOf: URL(fileURLWithPath: trace)))])
        #expect(json["score"] == .number(10), "\(json)")

        // nnsim itself crashing (here: a stand-in that dies of a segmentation fault): run_autograder still
        // writes a zero with the reason.
        try "#!/bin/bash\nkill -SEGV $$\n".write(toFile: source + "/nnsim", atomically: false, encoding: .utf8)
        json = try grade(["answers.json": perfect])
        #expect(json["score"] == .number(0) && output(json).contains("could not grade this submission") && output(json).contains("139"), "\(json)")
    }
}
