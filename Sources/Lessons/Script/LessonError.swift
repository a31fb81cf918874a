import Sim

/// A problem with a lesson script, a setting or a lesson run, with where it is: the file, line and
/// column, and the key. Its description is the one line the command prints after `error:`.
public struct LessonError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var file: String?
    public var line: Int?
    public var column: Int?
    /// The key the problem is about (`settings.rate`, `--set steps`).
    public var key: String?

    public init(_ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil, key: String? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.key = key
    }

    public var description: String {
        var place = file ?? ""
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        let subject = key.map { "'\($0)': " } ?? ""
        // Control characters from a file's name or contents are escaped, so the message stays one line.
        return PrintableText.escaped((place.isEmpty ? "" : place + ": ") + subject + message)
    }
}
