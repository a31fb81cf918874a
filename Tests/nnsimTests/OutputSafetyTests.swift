import Foundation
import Testing

/// Issue 11's findings, each as it was found, run through the built binary: nnsim never creates,
/// changes or deletes anything outside the destination it was given, and a destination always holds one
/// run's complete set of files (docs/guarantees.md).
@Suite final class OutputSafetyTests {
    let root: String
    let fm = FileManager.default
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let assignment = repository.appendingPathComponent("assignments/backprop.yaml").path

    init() throws {
        root = fm.temporaryDirectory.appendingPathComponent("nnsim-safety-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// Each test's folder goes with it (760 were left in the temporary folder), made writable first where
    /// a test took the permission away.
    deinit {
        chmod(root, 0o755)
        for name in (fm.enumerator(atPath: root)?.allObjects as? [String]) ?? [] {
            chmod(root + "/" + name, 0o755)
        }
        try? fm.removeItem(atPath: root)
    }

    /// Every entry below `folder` (hidden ones too) with its content: a file's bytes, a link's target.
    func snapshot(_ folder: String) -> [String: Data] {
        var result: [String: Data] = [:]
        for name in (fm.enumerator(atPath: folder)?.allObjects as? [String]) ?? [] {
            let path = folder + "/" + name
            if let target = try? fm.destinationOfSymbolicLink(atPath: path) {
                result[name] = Data(("→" + target).utf8)
            } else {
                var isFolder: ObjCBool = false
                _ = fm.fileExists(atPath: path, isDirectory: &isFolder)
                result[name] = isFolder.boolValue ? Data("folder".utf8) : (fm.contents(atPath: path) ?? Data("unreadable".utf8))
            }
        }
        return result
    }

    func write(_ text: String, _ path: String) throws {
        try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func expectOneLineError(_ result: NNSimBinary.Result, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "printed before failing: \(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(message) && result.stderr.split(separator: "\n").count == 1,
                "\(result.stderr)", sourceLocation: sourceLocation)
    }

    // 1. A script called `...yaml` took the lesson name `..`, wrote into the parent of --out and deleted
    //    the user's PDF, PNG and SVG files there.
    @Test(arguments: ["...yaml", "..yaml", ".hidden.yaml"])
    func aLessonNameIsNeverAPath(script: String) throws {
        try write("my thesis", root + "/thesis.pdf")
        try write("photo", root + "/photo.png")
        try write("figure", root + "/sub/figure.png")
        try write(try String(contentsOfFile: Self.repository.appendingPathComponent("lessons/backprop.yaml").path, encoding: .utf8), root + "/scripts/" + script)
        let before = snapshot(root)
        let result = try NNSimBinary.run(["lesson", root + "/scripts/" + script, "--out", root + "/slides"])
        expectOneLineError(result, "names its output folder, so it must start with a letter or digit")
        #expect(snapshot(root) == before)
    }

    /// A lesson's folder that holds the user's own files is left alone, whatever their extension.
    @Test func aLessonNeverDeletesFilesItDidNotWrite() throws {
        try write("my thesis", root + "/out/backprop/thesis.pdf")
        let before = snapshot(root)
        let result = try NNSimBinary.run(["lesson", "backprop", "--out", root + "/out"])
        expectOneLineError(result, "backprop: holds thesis.pdf, which nnsim did not write")
        #expect(snapshot(root) == before)
        // Its own earlier output is replaced as a whole: fewer files this time, none left over.
        try fm.removeItem(atPath: root + "/out/backprop/thesis.pdf")
        #expect(try NNSimBinary.run(["lesson", "backprop", "--out", root + "/out", "--quiet"]).status == 0)
        #expect(try fm.contentsOfDirectory(atPath: root + "/out/backprop/frames").contains("01-forward-d.svg"))
        #expect(try NNSimBinary.run(["lesson", "backprop", "--out", root + "/out", "--format", "png", "--quiet"]).status == 0)
        let files = snapshot(root + "/out/backprop").keys
        #expect(!files.contains { $0.hasSuffix(".svg") || $0.hasSuffix(".pdf") } && files.contains("graph.png"))
        #expect(try fm.contentsOfDirectory(atPath: root + "/out") == ["backprop"])
    }

    // 2. Symlinks planted in a shared output folder turned an unrelated file into a PDF.
    @Test func plantedLinksAreNeverWrittenThrough() throws {
        try write("do not touch", root + "/victim")
        let shared = root + "/shared"
        try fm.createDirectory(atPath: shared, withIntermediateDirectories: true)
        for name in ["graph.png", "graph.pdf", "report.pdf", ".graph.pdf.\(getpid() + 1).tmp", "frames"] {
            try fm.createSymbolicLink(atPath: shared + "/" + name, withDestinationPath: root + "/victim")
        }
        try fm.createSymbolicLink(atPath: root + "/t.json", withDestinationPath: root + "/victim")
        let before = snapshot(root)
        expectOneLineError(try NNSimBinary.run(["graph", "L = a*b", "--at", "a=1,b=2", "--out", shared, "--frames"]),
                           "(a symbolic link), which nnsim did not write")
        expectOneLineError(try NNSimBinary.run(["graph", "L = a*b", "--at", "a=1,b=2", "--trace", root + "/t.json"]),
                           "t.json: is a symbolic link: nnsim replaces files and does not write through links")
        #expect(snapshot(root) == before)
    }

    // 3. `--trace /dev/full` replaced the device with a regular file; likewise `check --gradescope`.
    @Test func devicesAndPipesAreNeverReplaced() throws {
        #expect(mkfifo(root + "/fifo", 0o600) == 0)
        try write("answers:\n  q1: {d: -8, e: -9, L: -45}\n", root + "/a.yaml")
        for target in ["/dev/full", root + "/fifo"] {
            let kind = "\(target == "/dev/full" ? "a character device" : "a FIFO (named pipe)"), not a regular file"
            expectOneLineError(try NNSimBinary.run(["graph", "L = a*b", "--at", "a=1,b=2", "--trace", target]), kind)
            expectOneLineError(try NNSimBinary.run(["lesson", "backprop", "--out", root + "/out", "--trace", target]), kind)
            expectOneLineError(try NNSimBinary.run(["check", Self.assignment, root + "/a.yaml", "--student", "alice", "--gradescope", target]), kind)
        }
        var info = stat()
        #expect(lstat("/dev/full", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
        #expect(lstat(root + "/fifo", &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(!fm.fileExists(atPath: root + "/out"))
        // `-` is standard output, as documented.
        let printed = try NNSimBinary.run(["graph", "L = a*b", "--at", "a=1,b=2", "--trace", "-"])
        #expect(printed.status == 0 && printed.stdout.hasPrefix("{") && printed.stdout.contains("\"nnsim-trace\""))
    }

    // 8. A bad destination failed only after figures were written and the narration or feedback printed.
    @Test func destinationsAreCheckedBeforeAnythingIsComputed() throws {
        try write("x", root + "/file")
        try write("answers:\n  q1: {d: -8, e: -9, L: -45}\n", root + "/a.yaml")
        let before = snapshot(root)
        expectOneLineError(try NNSimBinary.run(["lesson", "perceptron", "--out", root + "/d", "--trace", root + "/file/t.json"]),
                           "\(root)/file: is a file, not a folder")
        expectOneLineError(try NNSimBinary.run(["graph", "L = a*b", "--at", "a=1,b=2", "--out", root + "/d", "--trace", root + "/file/t.json"]),
                           "is a file, not a folder")
        expectOneLineError(try NNSimBinary.run(["lesson", "backprop", "--out", root + "/file"]), "is a file, not a folder")
        expectOneLineError(try NNSimBinary.run(["check", Self.assignment, root + "/a.yaml", "--student", "alice", "--gradescope", root + "/file/r.json"]),
                           "is a file, not a folder")
        expectOneLineError(try NNSimBinary.run(["assignment", "sheet", Self.assignment, "--student", "alice", "--out", root + "/file"]),
                           "is a file, not a folder")
        #expect(snapshot(root) == before)
    }

    // 10. An existing symlink OUT/feedback was followed by the batch checker.
    @Test func theBatchCheckerNeverFollowsALinkInItsFolder() throws {
        try write("answers:\n  q1: {d: -8, e: -9, L: -45}\n", root + "/submissions/alice.yaml")
        try fm.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/grades", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/grades/feedback", withDestinationPath: root + "/elsewhere")
        let before = snapshot(root)
        expectOneLineError(try NNSimBinary.run(["check", Self.assignment, root + "/submissions", "--out", root + "/grades"]),
                           "holds feedback (a symbolic link), which nnsim did not write")
        #expect(snapshot(root) == before)
        // Into a folder of its own it writes, and again over its own output.
        for _ in 0..<2 {
            let result = try NNSimBinary.run(["check", Self.assignment, root + "/submissions", "--out", root + "/grades2"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(Set(snapshot(root + "/grades2").keys) == [".nnsim-manifest", "summary.csv", "grades.csv", "class.csv", "class.pdf", "feedback", "feedback/alice.txt"])
    }

    /// Killed at every step of writing (a file created, written, renamed, removed), a run leaves the folder
    /// and the trace with the old complete set or the new one, never a mix; the next run tidies what the
    /// killed one left beside them.
    @Test func killedAtAnyStepTheOutputIsTheOldSetOrTheNew() throws {
        let out = root + "/out", trace = root + "/t.json"
        func run(_ a: Int, faultAfter: Int? = nil) throws -> NNSimBinary.Result {
            try NNSimBinary.run(["graph", "L = a*b + b", "--at", "a=\(a),b=2", "--out", out, "--format", "svg", "--frames", "--trace", trace],
                                environment: faultAfter.map { ["NNSIM_FAULT_AFTER": String($0)] } ?? [:])
        }
        #expect(try run(1).status == 0)
        let old = snapshot(out), oldTrace = fm.contents(atPath: trace)
        #expect(try run(2).status == 0)
        let new = snapshot(out), newTrace = fm.contents(atPath: trace)
        #expect(old != new && oldTrace != newTrace && old.count == new.count)
        var step = 1, killed = 0
        while step < 500 {
            let result = try run(step % 2 == 0 ? 1 : 2, faultAfter: step)
            let now = snapshot(out)
            #expect(now == old || now == new, "killed at step \(step): a mixed folder")
            #expect([oldTrace, newTrace].contains(fm.contents(atPath: trace)), "killed at step \(step): a mixed trace")
            // What a killed run leaves beside the destination goes with the next run: never more than one
            // staging folder (with the old folder it swapped out) and one temporary trace.
            let hidden = try fm.contentsOfDirectory(atPath: root).filter { $0.hasPrefix(".") }
            #expect(hidden.count <= 2, "killed at step \(step): \(hidden)")
            if result.status == 0 { break }
            #expect(result.status == 9 || result.status == -9 || result.status == 137, "step \(step): \(result.status) \(result.stderr)")
            killed += 1
            step += 1
        }
        #expect(killed > 20, "the fault points cover the writing (\(killed))")
        #expect(try run(1).status == 0)
        #expect(try fm.contentsOfDirectory(atPath: root).sorted() == ["out", "t.json"], "\(snapshot(root).keys.sorted())")
        #expect(snapshot(out) == old)
    }

    /// Several runs writing one folder at once: each finishes, and the folder holds one whole set.
    @Test func concurrentWritersLeaveOneWholeSet() throws {
        let out = root + "/out"
        var sets: [[String: Data]] = []
        for a in 1...4 {
            #expect(try NNSimBinary.run(["graph", "L = a*b", "--at", "a=\(a),b=2", "--out", out, "--format", "svg", "--frames"]).status == 0)
            sets.append(snapshot(out))
        }
        for _ in 0..<3 {
            let statuses = Statuses()
            DispatchQueue.concurrentPerform(iterations: 4) { index in
                let result = try? NNSimBinary.run(["graph", "L = a*b", "--at", "a=\(index + 1),b=2", "--out", out, "--format", "svg", "--frames"])
                statuses.append(result?.status ?? -1, result?.stderr ?? "")
            }
            #expect(statuses.all.allSatisfy { $0.0 == 0 }, "\(statuses.all)")
            #expect(sets.contains(snapshot(out)))
            #expect(try fm.contentsOfDirectory(atPath: root) == ["out"])
        }
    }
}

final class Statuses: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(Int32, String)] = []
    func append(_ status: Int32, _ message: String) { lock.lock(); items.append((status, message)); lock.unlock() }
    var all: [(Int32, String)] { lock.lock(); defer { lock.unlock() }; return items }
}

/// A full disk through the binary: one line with the system's reason, and nothing left behind, not even
/// the folders the run created (they are removed again before it exits).
@Suite(.enabled(if: geteuid() == 0, "mounting a tmpfs needs root"))
struct FullDiskCommandTests {
    @Test func aFullDiskLeavesNothingBehind() throws {
        let point = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=96k", "tmpfs", point]
        try mount.run()
        mount.waitUntilExit()
        #expect(mount.terminationStatus == 0)
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [point]
            try? umount.run()
            umount.waitUntilExit()
            try? FileManager.default.removeItem(atPath: point)
        }
        let result = try NNSimBinary.run(["lesson", "backprop", "--out", point + "/deep/out", "--format", "png,pdf"])
        #expect(result.status == 1 && result.stdout.isEmpty)
        #expect(result.stderr.contains("No space left on device") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: point) == [])
    }
}
