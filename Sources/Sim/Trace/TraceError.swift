/// Why a trace could not be written or read. Paths name the offending field the way the format reference
/// does: `steps[3].nodes[2].value`.
public enum TraceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not well-formed JSON (or is beyond the reader's limits).
    case json(JSONError)
    /// A required field is absent.
    case missingField(path: String)
    /// A field holds the wrong kind of JSON value.
    case wrongType(path: String, expected: String, found: String)
    /// A field has the right kind but a value the format does not allow.
    case invalid(path: String, reason: String)
    /// The file could not be read or written.
    case file(path: String, reason: String)

    public var description: String {
        switch self {
        case .json(let error): return "not a readable JSON document: \(error)"
        case .missingField(let path): return "\(path): missing"
        case .wrongType(let path, let expected, let found): return "\(path): expected \(expected), found \(found)"
        case .invalid(let path, let reason): return "\(path.isEmpty ? "the trace" : path): \(reason)"
        case .file(let path, let reason): return "\(path): \(reason)"
        }
    }
}
