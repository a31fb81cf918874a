import Foundation

/// Writes a file so that readers see the old content or the new, never half of it: the bytes go to a
/// temporary file in the same folder, which is flushed and then renamed over the target.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(RenderError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(bytes)) else {
            throw .file(path: path, reason: "cannot create a file in \(folder.path)")
        }
        if let handle = FileHandle(forWritingAtPath: temporary.path) {
            try? handle.synchronize()
            try? handle.close()
        }
        guard rename(temporary.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
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
