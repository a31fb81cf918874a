#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFileSystem

/// The system calls nnsim's writes are made of, each with the checks that keep it inside its folder:
/// files are created exclusively (`O_EXCL`) and never through a link (`O_NOFOLLOW`), under names no one
/// can guess, and nothing is removed through a link.
enum FileSystem {
    /// What a path is, as `lstat` (or `stat`, following links) sees it.
    enum Kind: Equatable {
        case missing, regularFile, folder, symbolicLink
        /// A device, FIFO or socket, with its name ("a character device").
        case special(String)
        /// `lstat` failed for another reason (a path component that is not a folder, no permission).
        case unreadable(Int32)

        var phrase: String {
            switch self {
            case .missing: "missing"
            case .regularFile: "a file"
            case .folder: "a folder"
            case .symbolicLink: "a symbolic link"
            case .special(let name): name
            case .unreadable(let code): "unreadable (\(String(cString: strerror(code))))"
            }
        }
    }

    static func kind(_ path: String, followingLinks: Bool = false) -> Kind {
        var info = stat()
        let status = followingLinks ? stat(path, &info) : lstat(path, &info)
        // ENOTDIR: a component above is a file; the check walking up names that file.
        guard status == 0 else { return errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable(errno) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .folder
        case S_IFLNK: return .symbolicLink
        case S_IFCHR: return .special("a character device")
        case S_IFBLK: return .special("a block device")
        case S_IFIFO: return .special("a FIFO (named pipe)")
        case S_IFSOCK: return .special("a socket")
        default: return .special("not a regular file")
        }
    }

    /// The folder part and the last component of a path ("a/b/c" → ("a/b", "c"), "c" → (".", "c")).
    static func split(_ path: String) -> (folder: String, name: String) {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return (".", String(trimmed)) }
        let folder = trimmed[..<slash]
        return (folder.isEmpty ? "/" : String(folder), String(trimmed[trimmed.index(after: slash)...]))
    }

    /// 16 random letters and digits from the system's generator: names another user cannot plant first.
    static func randomName() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<16).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] }, as: UTF8.self)
    }

    /// The permission bits of a new file or folder after the process's umask (files get 0666 & ~umask as
    /// with any program; temporary names start private and get these when they are moved into place).
    static let umaskBits: mode_t = {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }()

    /// Creates a file under a new random name `prefix + random + suffix` in `folder`, exclusively and not
    /// through a link, readable by the owner only until it is moved into place.
    static func createUniqueFile(in folder: String, prefix: String, suffix: String) throws(FileError) -> (descriptor: Int32, path: String) {
        for _ in 0..<64 {
            let path = "\(folder)/\(prefix)\(randomName())\(suffix)"
            Fault.point()
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 { return (descriptor, path) }
            if errno != EEXIST { throw .system(folder, "cannot create a file in this folder") }
        }
        throw FileError(folder, "cannot create a file with a new name in this folder")
    }

    /// Creates a folder under a new random name in `folder`, private to the owner.
    static func createUniqueFolder(in folder: String, prefix: String) throws(FileError) -> String {
        for _ in 0..<64 {
            let path = "\(folder)/\(prefix)\(randomName())"
            Fault.point()
            if mkdir(path, 0o700) == 0 { return path }
            if errno != EEXIST { throw .system(folder, "cannot create a folder in this folder") }
        }
        throw FileError(folder, "cannot create a folder with a new name in this folder")
    }

    /// Writes every byte to an open file and, with `flush`, flushes it to the disk (a folder's files are
    /// flushed together instead, by one syncfs: OutputTransaction.stageFolder).
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String, flush: Bool = true) throws(FileError) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(descriptor, buffer.baseAddress.map { $0 + offset }, min(buffer.count - offset, 1 << 24))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { failure = n == 0 ? EIO : errno; return }
                offset += n
            }
        }
        if failure != 0 { throw .system(path, "cannot write", errno: failure) }
        Fault.point()
        if flush && fsync(descriptor) != 0 && errno != EINVAL { throw .system(path, "cannot save") }
    }

    /// Creates `path` and any missing folders above it (mode 0777 less the umask); returns the folders it
    /// created, deepest last, so that a rollback can remove them again.
    static func createFolders(_ path: String) throws(FileError) -> [String] {
        switch kind(path, followingLinks: true) {
        case .folder: return []
        case .missing:
            let (parent, _) = split(path)
            var created = parent == path ? [] : try createFolders(parent)
            Fault.point()
            if mkdir(path, 0o777) != 0 && errno != EEXIST { throw .system(path, "cannot create the folder") }
            created.append(path)
            return created
        case let other:
            throw FileError(path, "is \(other.phrase), not a folder")
        }
    }

    /// Swaps two existing paths atomically; false where the file system cannot (the caller falls back).
    static func exchange(_ first: String, _ second: String) throws(FileError) -> Bool {
        Fault.point()
        if nnsim_exchange(first, second) == 0 { return true }
        if errno == EINVAL || errno == ENOSYS || errno == ENOTSUP { return false }
        throw .system(second, "cannot replace the folder")
    }

    static func rename(_ from: String, _ to: String) throws(FileError) {
        guard try renameUnlessTaken(from, to) else { throw .system(to, "cannot move the new output into place") }
    }

    /// Renames `from` to `to`; false, with nothing changed, when `to` is a folder that is not empty
    /// (someone else's run made it meanwhile), an error for any other failure.
    static func renameUnlessTaken(_ from: String, _ to: String) throws(FileError) -> Bool {
        Fault.point()
        if Glibc.rename(from, to) == 0 { return true }
        guard errno == EEXIST || errno == ENOTEMPTY else { throw .system(to, "cannot move the new output into place") }
        return false
    }

    /// A path that names the open folder `descriptor` itself, whatever is renamed meanwhile
    /// (`/proc/self/fd/N` on Linux, `/dev/fd/N` elsewhere), or nil where there is none.
    static func path(of descriptor: Int32) -> String? {
        for prefix in ["/proc/self/fd/", "/dev/fd/"] where kind(prefix + String(descriptor), followingLinks: true) == .folder {
            return prefix + String(descriptor)
        }
        return nil
    }

    /// Takes an advisory lock on a folder (waiting for it): shared while a run creates and locks its
    /// staging entry there, exclusive while a run looks for leftovers. Returns the descriptor, or -1 where
    /// the folder cannot be opened (then nothing is locked).
    static func lockFolder(_ folder: String, exclusive: Bool) -> Int32 {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return -1 }
        while flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) != 0 && errno == EINTR {}
        return descriptor
    }

    static func unlockFolder(_ descriptor: Int32) {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Flushes a folder's entries (the renames in it) to the disk; best effort.
    static func syncFolder(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// The names in a folder (without "." and ".."), or nil when it cannot be read.
    static func entries(of folder: String) -> [String]? {
        guard let directory = opendir(folder) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Removes a file or an empty folder, never following a link; a missing path is not an error.
    static func remove(_ path: String, isFolder: Bool) throws(FileError) {
        Fault.point()
        let status = isFolder ? rmdir(path) : unlink(path)
        if status != 0 && errno != ENOENT { throw .system(path, "cannot remove") }
    }
}

#if canImport(Darwin)
private enum Glibc {
    static func rename(_ a: String, _ b: String) -> Int32 { Darwin.rename(a, b) }
}
#endif
