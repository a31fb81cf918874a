import Foundation

/// Writes a file so that readers see the old content or the new, never half of it: the bytes go to a
/// temporary file in the same folder, which is flushed and then renamed over the target.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(RenderError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
        // Plain system calls: FileManager.createFile would write a temporary file of its own, flush it and
        // rename it first, two flushes and two renames per file.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw .file(path: path, reason: "cannot create a file in \(folder.path)") }
        let written = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
        _ = fsync(descriptor)  // flushed before the rename; best effort, as before
        close(descriptor)
        guard written else {
            unlink(temporary)
            throw .file(path: path, reason: "cannot create a file in \(folder.path)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .file(path: path, reason: reason)
        }
    }

    /// Writes files named relative to `folder` (subfolders such as `frames/` are created), each
    /// atomically, in order; returns their paths.
    public static func write(_ files: [(String, [UInt8])], into folder: String) throws(RenderError) -> [String] {
        var written: [String] = []
        for (name, bytes) in files {
            let path = folder + "/" + name
            let parent = (path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw .file(path: parent, reason: "cannot create the folder")
            }
            try write(bytes, to: path)
            written.append(path)
        }
        return written
    }
}
