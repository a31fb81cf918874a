import SafeFiles

/// Whole-file reads with a size cap, for traces (SafeFiles.InputFile; writes go through OutputTransaction).
enum FileBytes {
    /// The whole file, or an error when it is longer than `limit` bytes (read no further than that).
    static func contents(of path: String, limit: Int) throws(TraceError) -> [UInt8] {
        do {
            return try InputFile.bytes(path, limit: limit)
        } catch {
            throw .file(path: error.path, reason: error.message)
        }
    }
}
