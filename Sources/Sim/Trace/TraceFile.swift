import SafeFiles

/// Trace files on disk.
extension Trace {
    /// Writes the trace to `path` (`-`: standard output) after `validate()`: checked, staged beside it and
    /// renamed into place (OutputTransaction), so a reader sees the old file or the whole new one.
    public func write(toFile path: String) throws(TraceError) {
        let bytes = try encoded()
        let output = OutputTransaction()
        do {
            try output.stageFile(path, bytes: bytes)
            try output.commit()
        } catch {
            throw .file(path: error.path, reason: error.message)
        }
    }

    /// Reads and checks the trace file at `path`; files beyond `limits` are refused unread.
    public static func read(fromFile path: String, limits: JSONLimits = JSONLimits()) throws(TraceError) -> Trace {
        try Trace(bytes: try FileBytes.contents(of: path, limit: limits.maxBytes), limits: limits)
    }
}
