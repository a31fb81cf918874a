/// A position in expression source: 1-based line and column (in characters).
public struct SourceLocation: Sendable, Hashable {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// Why an expression program could not be read or built, with where.
public struct ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    /// Where the problem is; nil for problems of the whole input or of `--at` values.
    public let location: SourceLocation?
    /// True when the source had more than one line, so the location names the line too.
    public let multiline: Bool

    public init(_ message: String, at location: SourceLocation? = nil, multiline: Bool = false) {
        self.message = message
        self.location = location
        self.multiline = multiline
    }

    /// One printable line: `unknown function 'sigmod' at column 5` or `… at line 2, column 3`; control
    /// characters from the source are escaped (PrintableText).
    public var description: String {
        let message = PrintableText.escaped(message)
        guard let location else { return message }
        return multiline ? "\(message) at line \(location.line), column \(location.column)"
                         : "\(message) at column \(location.column)"
    }
}
