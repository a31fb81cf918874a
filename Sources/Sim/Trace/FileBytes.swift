#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads with a size cap, and atomic writes: the small amount of file handling traces need.
enum FileBytes {
    /// Writes `bytes` to `path` atomically: into a new file beside it, flushed, then renamed over `path`.
    /// A reader sees the old file or the whole new one, never a part.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(TraceError) {
        let (folder, file) = split(path)
        var temporary = ""
        var descriptor: Int32 = -1
        // O_EXCL makes each attempt claim a name no one else holds (another writer, a leftover file).
        for attempt in 0..<100 {
            temporary = "\(folder)/.\(file).\(getpid()).\(attempt).tmp"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else { throw failure(path, "cannot create a file beside it") }
        var written = 0
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let n = write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += n
            }
            return true
        }
        let failed = !ok ? failure(path, "cannot write") : nil
        let flushed = fsync(descriptor) == 0
        close(descriptor)
        if let failed {
            unlink(temporary)
            throw failed
        }
        guard flushed, rename(temporary, path) == 0 else {
            let error = failure(path, "cannot save")
            unlink(temporary)
            throw error
        }
    }

    /// The whole file, or an error when it is longer than `limit` bytes (read no further than that).
    static func contents(of path: String, limit: Int) throws(TraceError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "cannot open") }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(path, "cannot read")
            }
            if n == 0 { return bytes }
            guard bytes.count + n <= limit else {
                throw .json(JSONError(reason: .tooLarge(bytes: bytes.count + n, limit: limit), line: 1, column: 1))
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    private static func split(_ path: String) -> (folder: String, file: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    private static func failure(_ path: String, _ what: String) -> TraceError {
        .file(path: path, reason: "\(what) (\(String(cString: strerror(errno))))")
    }
}
