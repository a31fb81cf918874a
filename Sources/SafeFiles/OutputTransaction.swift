#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFileSystem

/// Every file a command writes goes through one transaction, in three phases (docs/guarantees.md):
///
/// 1. `check…` before anything is computed: each destination is one nnsim may write (a folder it can
///    create or one holding only its own earlier output; a regular file or none, never a link, a device
///    or a folder), so a bad `--out`, `--trace` or `--gradescope` fails at once, with nothing printed or written.
/// 2. `stage…` once the run has succeeded: a folder's files go into a new private folder beside it, a
///    file's bytes into a new private file beside it, created exclusively under random names, never
///    through a link, flushed to the disk.
/// 3. `commit()`: each staged folder is swapped with the destination in one atomic exchange (the old set
///    of files is then removed, by its manifest), each staged file renamed over its target.
///
/// A reader sees the old complete set or the new one, never a mix; a run that fails or is killed leaves
/// only hidden `.NAME.nnsim-…` entries beside the destination, which the next run into it removes
/// (after checking, with a lock, that their writer is gone). A transaction that is not committed rolls
/// back when it ends: the staged entries and any folders it created are removed.
public final class OutputTransaction {
    private enum Item {
        case folder(target: String, staging: String, lock: Int32)
        case file(target: String, temporary: String, descriptor: Int32)
        case standardOutput([UInt8])
    }

    private var items: [Item] = []
    /// The files staged for each folder, by the folder's path.
    private var files: [String: [String]] = [:]
    private var committedItems = 0
    private var createdFolders: [String] = []
    /// What `commit` could not tidy (an old folder kept because someone added a file to it meanwhile).
    public private(set) var warnings: [String] = []

    public init() {}

    deinit { rollback() }

    /// `-` names standard output where a command documents it (`--trace -`).
    public static let standardOutput = "-"

    // MARK: Checks, before computing

    /// Checks a folder nnsim will replace as a whole (a lesson's `DIR/NAME`, `graph --out DIR`,
    /// `check --out DIR`): missing (its parent creatable), empty, or holding only the files its manifest lists.
    ///
    /// A folder without a manifest (written by an nnsim from before manifests) may be replaced when it
    /// holds only files this run writes anew (`writing`), so that nothing in it is lost; before the run,
    /// when the names are not known yet, that part waits for the staging.
    public static func checkFolder(_ path: String, writing names: [String]? = nil) throws(FileError) {
        let path = try normalized(path, what: "folder")
        let (parent, name) = FileSystem.split(path)
        guard name != ".", name != "..", path != "/", !isCurrentFolderOrAbove(path) else {
            throw FileError(path, "names no folder of its own: nnsim replaces the folder it writes as a whole, so name a new one (such as \(path == "/" ? "" : path + "/")out)")
        }
        switch FileSystem.kind(path) {
        case .missing:
            try checkCreatable(parent)
        case .folder:
            // Read the manifest and the entries through one open descriptor, so that a concurrent run
            // swapping the folder in between cannot pair one folder's manifest with another's entries.
            let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else { throw .system(path, "cannot open the folder") }
            defer { close(descriptor) }
            let view = FileSystem.path(of: descriptor) ?? path
            let manifest = Manifest.read(in: view)
            if manifest == nil && names == nil && FileSystem.kind(view + "/" + Manifest.fileName) == .missing {
                try checkWritable(parent)
                return
            }
            if let foreign = Manifest.firstForeignEntry(in: view, listed: manifest ?? names ?? []) {
                let what = foreign.isEmpty ? "cannot be read" : "holds \(FileError.printable(foreign)), which nnsim did not write"
                throw FileError(path, "\(what): nnsim replaces this folder as a whole, so move that away or write elsewhere")
            }
            try checkWritable(parent)
        case .symbolicLink:
            throw FileError(path, "is a symbolic link: nnsim replaces this folder as a whole and does not follow links (name the real folder)")
        case let other:
            throw FileError(path, "is \(other.phrase), not a folder")
        }
    }

    /// Checks a file nnsim will replace (`--trace FILE`, `--gradescope FILE`, a sheet): `-` (standard
    /// output), a regular file, or none, in a folder that exists or can be created.
    public static func checkFile(_ path: String) throws(FileError) {
        if path == standardOutput { return }
        guard !path.isEmpty else { throw FileError(path, "an empty file name") }
        guard !path.hasSuffix("/") else { throw FileError(path, "names a folder; give a file name") }
        let (parent, name) = FileSystem.split(path)
        guard name != ".", name != ".." else { throw FileError(path, "names a folder; give a file name") }
        switch FileSystem.kind(path) {
        case .missing, .regularFile: break
        case .folder: throw FileError(path, "is a folder; give a file name")
        case .symbolicLink:
            throw FileError(path, "is a symbolic link: nnsim replaces files and does not write through links (give the real path)")
        case .special(let what):
            throw FileError(path, "is \(what), not a regular file: nnsim writes only regular files (- writes to standard output)")
        case .unreadable(let code):
            throw .system(path, "cannot be checked", errno: code)
        }
        try checkCreatable(parent)
    }

    // MARK: Staging, after the run succeeded

    /// Stages `files` (paths relative to the folder, such as `frames/01-forward-d.png`) as the new content
    /// of the folder at `path`, with a manifest listing them.
    public func stageFolder(_ path: String, files: [(name: String, bytes: [UInt8])]) throws(FileError) {
        let path = try Self.normalized(path, what: "folder")
        try Self.checkFolder(path, writing: files.map(\.name))
        var names = Set<String>()
        for file in files {
            guard Manifest.isSafeRelativePath(file.name), names.insert(file.name).inserted else {
                throw FileError(path, "nnsim made a bad or repeated file name '\(FileError.printable(file.name))' (a bug: please report it)")
            }
        }
        let (parent, name) = FileSystem.split(path)
        createdFolders += try FileSystem.createFolders(parent)
        Self.removeLeftovers(in: parent, of: name)
        // Created and locked under a shared lock on the parent, so that another run's clean-up (which
        // takes it exclusively) never sees the new folder before its lock is held.
        let parentLock = FileSystem.lockFolder(parent, exclusive: false)
        let staging: String
        do {
            staging = try FileSystem.createUniqueFolder(in: parent, prefix: ".\(name).nnsim-")
        } catch {
            FileSystem.unlockFolder(parentLock)
            throw error
        }
        let lock = open(staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if lock >= 0 { _ = flock(lock, LOCK_EX) }
        FileSystem.unlockFolder(parentLock)
        guard lock >= 0 else { throw .system(staging, "cannot open the new folder") }
        items.append(.folder(target: path, staging: staging, lock: lock))
        self.files[path] = files.map(\.name)
        // The manifest first: a staging folder left by a killed run is then removed by its list.
        try Self.writeNew(staging + "/" + Manifest.fileName, Manifest.bytes(listing: files.map(\.name)))
        var madeFolders = Set<String>()
        for file in files {
            var parts = file.name.split(separator: "/").dropLast()
            var subfolders: [String] = []
            while !parts.isEmpty { subfolders.append(parts.joined(separator: "/")); parts = parts.dropLast() }
            for sub in subfolders.reversed() where madeFolders.insert(sub).inserted {
                Fault.point()
                guard mkdir(staging + "/" + sub, 0o777) == 0 else { throw .system(path + "/" + sub, "cannot create the folder") }
            }
            try Self.writeNew(staging + "/" + file.name, file.bytes, flush: false)
        }
        // Every file on the disk before the folder is swapped in: one syncfs for all of them, as a thousand
        // fsyncs (one per student's feedback) were most of the time grading a class took.
        guard nnsim_syncfs(lock) == 0 || errno == ENOSYS else { throw .system(staging, "cannot save the folder's files") }
        guard chmod(staging, 0o777 & ~FileSystem.umaskBits) == 0 else { throw .system(staging, "cannot set the folder's permissions") }
    }

    /// Stages `bytes` as the new content of the file at `path` (`-`: standard output, at commit); missing
    /// folders above it are created (and removed again on rollback).
    public func stageFile(_ path: String, bytes: [UInt8]) throws(FileError) {
        if path == Self.standardOutput {
            items.append(.standardOutput(bytes))
            return
        }
        try Self.checkFile(path)
        let (parent, name) = FileSystem.split(path)
        createdFolders += try FileSystem.createFolders(parent)
        Self.removeLeftovers(in: parent, of: name)
        let parentLock = FileSystem.lockFolder(parent, exclusive: false)
        let created: (descriptor: Int32, path: String)
        do {
            created = try FileSystem.createUniqueFile(in: parent, prefix: ".\(name).nnsim-", suffix: ".tmp")
        } catch {
            FileSystem.unlockFolder(parentLock)
            throw error
        }
        let (descriptor, temporary) = created
        _ = flock(descriptor, LOCK_EX)
        FileSystem.unlockFolder(parentLock)
        items.append(.file(target: path, temporary: temporary, descriptor: descriptor))
        try FileSystem.writeAll(bytes, to: descriptor, path: path)
        guard fchmod(descriptor, 0o666 & ~FileSystem.umaskBits) == 0 else { throw .system(path, "cannot set the file's permissions") }
    }

    // MARK: Commit

    /// Moves everything staged into place, in the order staged; returns the destinations.
    @discardableResult
    public func commit() throws(FileError) -> [String] {
        var done: [String] = []
        var parents = Set<String>()
        while committedItems < items.count {
            switch items[committedItems] {
            case .folder(let target, let staging, let lock):
                try Self.swapIn(staging, over: target, files: files[target] ?? [], warnings: &warnings)
                close(lock)
                done.append(target)
                parents.insert(FileSystem.split(target).folder)
            case .file(let target, let temporary, let descriptor):
                try FileSystem.rename(temporary, target)
                close(descriptor)
                done.append(target)
                parents.insert(FileSystem.split(target).folder)
            case .standardOutput(let bytes):
                try FileSystem.writeAll(bytes, to: STDOUT_FILENO, path: "standard output")
                done.append(Self.standardOutput)
            }
            committedItems += 1
        }
        for parent in parents.sorted() { FileSystem.syncFolder(parent) }
        createdFolders = []
        return done
    }

    /// Removes what was staged and not committed, and the folders this transaction created (when empty).
    public func rollback() {
        for item in items[committedItems...].reversed() {
            switch item {
            case .folder(_, let staging, let lock):
                Manifest.removeListed(staging)
                close(lock)
            case .file(_, let temporary, let descriptor):
                unlink(temporary)
                close(descriptor)
            case .standardOutput: break
            }
        }
        items.removeSubrange(committedItems...)
        for folder in createdFolders.reversed() { rmdir(folder) }
        createdFolders = []
    }

    // MARK: Pieces

    private static func swapIn(_ staging: String, over target: String, files: [String], warnings: inout [String]) throws(FileError) {
        if FileSystem.kind(target) == .missing, try FileSystem.renameUnlessTaken(staging, target) { return }
        // Someone may have added to the folder since the check: look again right before the swap.
        try checkFolder(target, writing: files)
        if Manifest.read(in: target) == nil {
            // A folder from before manifests, holding only files this run writes anew: list them, so that
            // the old set is removed by its manifest like any other (also by a later run, if this one is
            // killed after the swap).
            let present = files.filter { FileSystem.kind(target + "/" + $0) == .regularFile }
            try writeNew(target + "/" + Manifest.fileName, Manifest.bytes(listing: present))
        }
        let old: String
        if try FileSystem.exchange(staging, target) {
            old = staging
        } else {
            // A file system that cannot swap: move the old folder aside, then the new one in.
            old = staging + "-old"
            try FileSystem.rename(target, old)
            try FileSystem.rename(staging, target)
        }
        if !Manifest.removeListed(old) {
            warnings.append("\(FileError.printable(old)) keeps files added to \(FileError.printable(target)) while nnsim was writing it")
        }
    }

    /// Creates a file that must not exist yet, writes and flushes it.
    private static func writeNew(_ path: String, _ bytes: [UInt8], flush: Bool = true) throws(FileError) {
        Fault.point()
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw .system(path, "cannot create the file") }
        defer { close(descriptor) }
        try FileSystem.writeAll(bytes, to: descriptor, path: path, flush: flush)
    }

    /// Removes what earlier runs into `parent/name` left behind when they were killed: hidden
    /// `.NAME.nnsim-…` folders and files whose writer no longer holds its lock. Folders go by their manifest.
    static func removeLeftovers(in parent: String, of name: String) {
        let prefix = ".\(name).nnsim-"
        let parentLock = FileSystem.lockFolder(parent, exclusive: true)
        defer { FileSystem.unlockFolder(parentLock) }
        for entry in FileSystem.entries(of: parent) ?? [] where entry.hasPrefix(prefix) {
            let path = parent + "/" + entry
            let kind = FileSystem.kind(path)
            guard kind == .folder || (kind == .regularFile && entry.hasSuffix(".tmp")) else { continue }
            let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | (kind == .folder ? O_DIRECTORY : 0))
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }  // its writer is still at work
            if kind == .folder { Manifest.removeListed(path) } else { unlink(path) }
        }
    }

    private static func normalized(_ path: String, what: String) throws(FileError) -> String {
        guard !path.isEmpty else { throw FileError(path, "an empty \(what) name") }
        guard !path.utf8.contains(0) else { throw FileError(path, "a \(what) name with a NUL character") }
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// Whether `path` is the current folder or a folder above it (replacing it would pull the floor away).
    private static func isCurrentFolderOrAbove(_ path: String) -> Bool {
        guard let target = realpath(path, nil) else { return false }
        defer { free(target) }
        guard let current = getcwd(nil, 0) else { return false }
        defer { free(current) }
        let t = String(cString: target), c = String(cString: current)
        return c == t || c.hasPrefix(t == "/" ? "/" : t + "/")
    }

    /// The nearest existing folder at or above `folder` must be a folder nnsim can write in.
    private static func checkCreatable(_ folder: String) throws(FileError) {
        var current = folder
        while true {
            switch FileSystem.kind(current, followingLinks: true) {
            case .folder:
                try checkWritable(current)
                return
            case .missing:
                let parent = FileSystem.split(current).folder
                guard parent != current else { return }
                current = parent
            case let other:
                throw FileError(current, "is \(other.phrase), not a folder")
            }
        }
    }

    private static func checkWritable(_ folder: String) throws(FileError) {
        guard access(folder, W_OK | X_OK) == 0 else { throw .system(folder, "cannot write in this folder") }
    }
}
