/// Trace files on disk.
extension Trace {
    /// Writes the trace to `path` atomically (a file beside it, then renamed), after `validate()`.
    public func write(toFile path: String) throws(TraceError) {
        try FileBytes.writeAtomically(try encoded(), to: path)
    }

    /// Reads and checks the trace file at `path`; files beyond `limits` are refused unread.
    public static func read(fromFile path: String, limits: JSONLimits = JSONLimits()) throws(TraceError) -> Trace {
        try Trace(bytes: try FileBytes.contents(of: path, limit: limits.maxBytes), limits: limits)
    }
}
