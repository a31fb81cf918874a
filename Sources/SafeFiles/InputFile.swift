#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading an input file whole (a script, a data set, a submission, a trace), within a size limit: only
/// a regular file is read (a FIFO or a device such as /dev/zero could make a read wait or run forever),
/// and no more than `limit` bytes are ever held.
public enum InputFile {
    public static func bytes(_ path: String, limit: Int) throws(FileError) -> [UInt8] {
        guard !path.isEmpty, !path.utf8.contains(0) else { throw FileError(path, "not a file name") }
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system(path, "cannot open") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .system(path, "cannot read") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw FileError(path, "is a folder, not a regular file")
        default: throw FileError(path, "is not a regular file (a device, FIFO or socket)")
        }
        guard Int(info.st_size) <= limit else { throw FileError(path, "is larger than \(describe(limit)) (\(describe(Int(info.st_size))))") }
        return try readAll(descriptor, limit: limit, name: path, capacity: Int(info.st_size))
    }

    /// Standard input, whole, within `limit` bytes (`nnsim graph -f -`).
    public static func standardInput(limit: Int) throws(FileError) -> [UInt8] {
        try readAll(STDIN_FILENO, limit: limit, name: "standard input")
    }

    /// Reads an open descriptor to its end, holding no more than `limit` bytes.
    static func readAll(_ descriptor: Int32, limit: Int, name: String, capacity: Int = 0) throws(FileError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(capacity, limit))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(name, "cannot read")
            }
            if n == 0 { return bytes }
            guard bytes.count + n <= limit else { throw FileError(name, "is larger than \(describe(limit))") }
            bytes += chunk[0..<n]
        }
    }

    /// "1 MiB", "64 MiB", "1,000 bytes".
    static func describe(_ count: Int) -> String {
        if count >= 1 << 20 && count % (1 << 20) == 0 { return "\(count >> 20) MiB" }
        if count >= 1 << 20 { return "\(count / (1 << 20)).\(count % (1 << 20) * 10 / (1 << 20)) MiB" }
        if count >= 1 << 10 && count % (1 << 10) == 0 { return "\(count >> 10) KiB" }
        return "\(count) bytes"
    }
}
