import Foundation
import Testing
@testable import SafeFiles

/// The guarantees of docs/guarantees.md, one by one, on real folders.
@Suite struct OutputTransactionTests {
    let root: String
    let fm = FileManager.default

    init() throws {
        root = fm.temporaryDirectory.appendingPathComponent("nnsim-safe-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// Every entry below `folder`, hidden ones included, sorted.
    func tree(_ folder: String) -> [String] {
        ((fm.enumerator(atPath: folder)?.allObjects as? [String]) ?? []).sorted()
    }

    func text(_ path: String) -> String? { fm.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } }

    func write(_ folder: String, _ files: [(String, String)]) throws {
        let output = OutputTransaction()
        try output.stageFolder(folder, files: files.map { (name: $0.0, bytes: Array($0.1.utf8)) })
        try output.commit()
    }

    @Test func aFolderIsReplacedAsAWhole() throws {
        let out = root + "/deep/er/out"
        try write(out, [("a.png", "one"), ("frames/01.png", "f1"), ("frames/02.png", "f2")])
        #expect(tree(out) == [".nnsim-manifest", "a.png", "frames", "frames/01.png", "frames/02.png"])
        #expect(text(out + "/.nnsim-manifest") == Manifest.header + "\na.png\nframes/01.png\nframes/02.png\n")
        try write(out, [("a.png", "two"), ("b.svg", "b")])
        #expect(tree(out) == [".nnsim-manifest", "a.png", "b.svg"])
        #expect(text(out + "/a.png") == "two")
        // Nothing else is left beside it.
        #expect(tree(root + "/deep/er") == ["out", "out/.nnsim-manifest", "out/a.png", "out/b.svg"])
    }

    @Test func aFolderWithTheUsersFilesIsNeverReplaced() throws {
        let out = root + "/slides"
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "my thesis".write(toFile: out + "/thesis.pdf", atomically: false, encoding: .utf8)
        #expect(throws: FileError(out, "holds thesis.pdf, which nnsim did not write: nnsim replaces this folder as a whole, so move that away or write elsewhere")) {
            try write(out, [("graph.png", "x"), ("report.pdf", "y")])
        }
        #expect(tree(out) == ["thesis.pdf"])
        // Added to nnsim's own folder later, it is protected the same way.
        let own = root + "/own"
        try write(own, [("graph.png", "x")])
        try "notes".write(toFile: own + "/notes.txt", atomically: false, encoding: .utf8)
        #expect(throws: FileError.self) { try write(own, [("graph.png", "y")]) }
        #expect(text(own + "/notes.txt") == "notes" && text(own + "/graph.png") == "x")
        // A subfolder nnsim did not make, a file in nnsim's subfolder, a link: all the user's.
        try fm.removeItem(atPath: own + "/notes.txt")
        for planted in ["mine/photo.png", "frames/photo.png"] {
            try write(own, [("graph.png", "x"), ("frames/01.png", "f")])
            try fm.createDirectory(atPath: own + "/" + (planted as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "photo".write(toFile: own + "/" + planted, atomically: false, encoding: .utf8)
            #expect(throws: FileError.self) { try write(own, [("graph.png", "y")]) }
            #expect(text(own + "/" + planted) == "photo")
            try fm.removeItem(atPath: own + "/" + planted)
            if planted.hasPrefix("mine") { try fm.removeItem(atPath: own + "/mine") }
        }
        try fm.createSymbolicLink(atPath: own + "/link.png", withDestinationPath: "/etc/passwd")
        #expect(throws: FileError(own, "holds link.png (a symbolic link), which nnsim did not write: nnsim replaces this folder as a whole, so move that away or write elsewhere")) {
            try write(own, [("graph.png", "y")])
        }
    }

    @Test func aForgedManifestCannotReachOutside() throws {
        let out = root + "/out"
        try write(out, [("a.png", "x")])
        try "keep".write(toFile: root + "/precious.txt", atomically: false, encoding: .utf8)
        try (Manifest.header + "\na.png\n../precious.txt\n/etc/passwd\n").write(toFile: out + "/.nnsim-manifest", atomically: false, encoding: .utf8)
        try write(out, [("b.png", "y")])
        #expect(text(root + "/precious.txt") == "keep")
        #expect(tree(out) == [".nnsim-manifest", "b.png"])
    }

    @Test func foldersThatAreNotFoldersOfTheirOwnAreRefused() throws {
        try "x".write(toFile: root + "/file", atomically: false, encoding: .utf8)
        try fm.createSymbolicLink(atPath: root + "/link", withDestinationPath: root)
        for (path, message) in [(root + "/sub/..", "names no folder of its own"), (root + "/.", "names no folder of its own"),
                                ("/", "names no folder of its own"), (root + "/file", "is a file, not a folder"),
                                (root + "/link", "is a symbolic link"), (root + "/file/sub", "is a file, not a folder"),
                                (fm.currentDirectoryPath, "names no folder of its own"), ("", "an empty folder name")] {
            do {
                try OutputTransaction.checkFolder(path)
                Issue.record("\(path) was accepted")
            } catch {
                #expect(error.message.contains(message), "\(path): \(error)")
            }
        }
    }

    @Test func filesThatAreNotRegularFilesAreRefused() throws {
        #expect(mkfifo(root + "/fifo", 0o600) == 0)
        try fm.createDirectory(atPath: root + "/folder", withIntermediateDirectories: true)
        try "secret".write(toFile: root + "/target", atomically: false, encoding: .utf8)
        try fm.createSymbolicLink(atPath: root + "/link.json", withDestinationPath: root + "/target")
        for (path, message) in [("/dev/full", "is a character device, not a regular file"), ("/dev/null", "is a character device"),
                                (root + "/fifo", "is a FIFO (named pipe), not a regular file"), (root + "/folder", "is a folder"),
                                (root + "/link.json", "is a symbolic link"), (root + "/target/t.json", "is a file, not a folder"),
                                (root + "/t/", "names a folder")] {
            do {
                let output = OutputTransaction()
                try output.stageFile(path, bytes: Array("{}".utf8))
                try output.commit()
                Issue.record("\(path) was accepted")
            } catch {
                #expect(error.message.contains(message), "\(path): \(error)")
            }
        }
        #expect(text(root + "/target") == "secret")
        #expect(FileSystem.kind(root + "/link.json") == .symbolicLink)
        #expect(FileSystem.kind("/dev/full") == .special("a character device"))
        #expect(tree(root).sorted() == ["fifo", "folder", "link.json", "target"])
    }

    @Test func aFileIsReplacedThroughAPrivateTemporaryWithARandomName() throws {
        let path = root + "/t.json"
        for content in ["old", "new"] {
            let output = OutputTransaction()
            try output.stageFile(path, bytes: Array(content.utf8))
            let temporaries = tree(root).filter { $0.hasPrefix(".t.json.nnsim-") }
            #expect(temporaries.count == 1 && temporaries[0].count == ".t.json.nnsim-".count + 16 + 4)
            #expect(text(path) == (content == "old" ? nil : "old"))
            try output.commit()
        }
        #expect(text(path) == "new" && tree(root) == ["t.json"])
        let attributes = try fm.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o666 & ~Int(FileSystem.umaskBits))
    }

    @Test func anUncommittedTransactionLeavesNothing() throws {
        do {
            let output = OutputTransaction()
            try output.stageFolder(root + "/a/b/out", files: [(name: "x.png", bytes: [1, 2, 3])])
            try output.stageFile(root + "/t.json", bytes: [1])
            #expect(tree(root).count > 1)
        }
        #expect(tree(root).isEmpty)
    }

    @Test func leftoversOfAKilledRunGoAndThoseOfARunningOneStay() throws {
        let out = root + "/out"
        try write(out, [("a.png", "x")])
        // A staging folder and a temporary file whose writer died, and one whose writer still runs.
        for name in [".out.nnsim-deadwriter000000", ".out.nnsim-livewriter000000"] {
            try fm.createDirectory(atPath: root + "/" + name + "/frames", withIntermediateDirectories: true)
            try (Manifest.header + "\na.png\nframes/1.png\n").write(toFile: root + "/" + name + "/.nnsim-manifest", atomically: false, encoding: .utf8)
            try "half".write(toFile: root + "/" + name + "/frames/1.png", atomically: false, encoding: .utf8)
        }
        try "half".write(toFile: root + "/.t.json.nnsim-deadwriter000000.tmp", atomically: false, encoding: .utf8)
        let live = open(root + "/.out.nnsim-livewriter000000", O_RDONLY | O_DIRECTORY)
        #expect(live >= 0 && flock(live, LOCK_EX) == 0)
        defer { close(live) }
        try write(out, [("b.png", "y")])
        let output = OutputTransaction()
        try output.stageFile(root + "/t.json", bytes: [1])
        try output.commit()
        #expect(tree(root).filter { !$0.contains("/") } == [".out.nnsim-livewriter000000", "out", "t.json"])
    }

    @Test func manifestNamesAreChecked() {
        for bad in ["", ".", "..", "../x", "a/../b", "/etc/passwd", "a//b", "a\nb", ".nnsim-manifest", String(repeating: "x", count: 256)] {
            #expect(!Manifest.isSafeRelativePath(bad), "\(bad)")
        }
        for good in ["graph.png", "frames/01-forward-d.png", ".hidden", "a b"] { #expect(Manifest.isSafeRelativePath(good)) }
    }

    @Test func inputFilesAreRegularAndBounded() throws {
        #expect(mkfifo(root + "/fifo", 0o600) == 0)
        try "0123456789".write(toFile: root + "/ten", atomically: false, encoding: .utf8)
        #expect(try InputFile.bytes(root + "/ten", limit: 10) == Array("0123456789".utf8))
        #expect(throws: FileError(root + "/ten", "is larger than 9 bytes (10 bytes)")) { try InputFile.bytes(root + "/ten", limit: 9) }
        #expect(throws: FileError(root + "/fifo", "is not a regular file (a device, FIFO or socket)")) { try InputFile.bytes(root + "/fifo", limit: 9) }
        #expect(throws: FileError("/dev/zero", "is not a regular file (a device, FIFO or socket)")) { try InputFile.bytes("/dev/zero", limit: 9) }
        #expect(throws: FileError(root, "is a folder, not a regular file")) { try InputFile.bytes(root, limit: 9) }
        #expect(throws: FileError(root + "/none", "cannot open: No such file or directory")) { try InputFile.bytes(root + "/none", limit: 9) }
    }
}

/// A full disk and a read-only folder, on small tmpfs mounts of their own (needs root, as CI runs).
@Suite(.serialized, .enabled(if: geteuid() == 0, "mounting a tmpfs needs root"))
struct OutputFaultTests {
    func mount(_ options: String) throws -> String {
        let point = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-mount-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
        try run("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", point])
        return point
    }

    func unmount(_ point: String) {
        try? run("/bin/umount", [point])
        try? FileManager.default.removeItem(atPath: point)
    }

    func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FileError(tool, "failed: \(arguments)") }
    }

    @Test func aFullDiskSaysSoAndKeepsTheOldSet() throws {
        let point = try mount("size=64k")
        defer { unmount(point) }
        let old = OutputTransaction()
        try old.stageFolder(point + "/out", files: [(name: "a.png", bytes: Array(repeating: 1, count: 1000))])
        try old.commit()
        let output = OutputTransaction()
        do {
            try output.stageFolder(point + "/out", files: [(name: "a.png", bytes: Array(repeating: 2, count: 200_000))])
            Issue.record("a full disk was not noticed")
        } catch {
            #expect(error.message.contains("No space left on device"), "\(error)")
        }
        output.rollback()
        #expect(FileManager.default.contents(atPath: point + "/out/a.png") == Data(repeating: 1, count: 1000))
        #expect(try FileManager.default.contentsOfDirectory(atPath: point) == ["out"])
    }

    @Test func aReadOnlyFolderIsRefusedBeforeAnythingHappens() throws {
        let point = try mount("size=64k,ro")
        defer { unmount(point) }
        let expected = "\(point): cannot write in this folder: Read-only file system"
        #expect(throws: FileError(point, "cannot write in this folder: Read-only file system"), "\(expected)") {
            try OutputTransaction.checkFolder(point + "/out")
        }
        #expect(throws: FileError(point, "cannot write in this folder: Read-only file system")) {
            try OutputTransaction.checkFile(point + "/t.json")
        }
    }
}

/// A folder written before manifests existed (an upgrade): replaced when this run writes every file in it
/// anew, refused when it holds anything else.
@Suite struct LegacyFolderTests {
    @Test func aFolderFromBeforeManifestsIsReplacedWhenNothingInItWouldBeLost() throws {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("nnsim-legacy-\(UUID().uuidString)").path
        defer { try? fm.removeItem(atPath: root) }
        let out = root + "/xor"
        try fm.createDirectory(atPath: out + "/frames", withIntermediateDirectories: true)
        for name in ["graph.png", "frames/01.png"] { try "old".write(toFile: out + "/" + name, atomically: false, encoding: .utf8) }
        try OutputTransaction.checkFolder(out)  // before the run: the names are not known yet
        let output = OutputTransaction()
        try output.stageFolder(out, files: [(name: "graph.png", bytes: [1]), (name: "frames/01.png", bytes: [2]), (name: "loss.png", bytes: [3])])
        try output.commit()
        #expect(fm.contents(atPath: out + "/graph.png") == Data([1]))
        #expect(try fm.contentsOfDirectory(atPath: root) == ["xor"])
        // An old folder with a file this run would not write again is kept, and says which.
        try fm.removeItem(atPath: out + "/.nnsim-manifest")
        try "mine".write(toFile: out + "/extra.pdf", atomically: false, encoding: .utf8)
        let again = OutputTransaction()
        #expect(throws: FileError(out, "holds extra.pdf, which nnsim did not write: nnsim replaces this folder as a whole, so move that away or write elsewhere")) {
            try again.stageFolder(out, files: [(name: "graph.png", bytes: [1])])
        }
        #expect(fm.contents(atPath: out + "/extra.pdf") == Data("mine".utf8))
    }
}
