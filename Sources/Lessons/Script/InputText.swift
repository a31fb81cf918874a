import SafeFiles

/// Reading the files a user gives nnsim (scripts, assignments, data sets, submissions), in one place:
/// only regular files, within a size limit (SafeFiles.InputFile), as UTF-8 text with a leading byte-order
/// mark dropped. Errors name the file and, for a setting, its key.
enum InputText {
    static func bytes(_ path: String, limit: Int, key: String? = nil) throws(LessonError) -> [UInt8] {
        do {
            return try InputFile.bytes(path, limit: limit)
        } catch {
            throw LessonError(error.message, file: path, key: key)
        }
    }

    /// The file as text; `what` names it in errors ("the data file").
    static func read(_ path: String, limit: Int, what: String, key: String? = nil) throws(LessonError) -> String {
        var bytes = try bytes(path, limit: limit, key: key)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw LessonError("\(what) is not UTF-8 text", file: path, key: key) }
        return text
    }
}
