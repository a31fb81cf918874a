/// A JSON document as a value: what nnsim's own writer prints and its parser returns.
///
/// Objects keep their members in order, so a value written twice gives the same bytes. Numbers come in
/// two kinds: integers (literals without a fraction or exponent that fit an `Int`: step numbers, sample
/// indices, the version, a seed) and doubles (every other literal). JSON has no infinities or NaN; the
/// writer puts a non-finite double as the string `"inf"`, `"-inf"` or `"nan"`, and `doubleValue` reads
/// those strings back as numbers.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The value as a Double: a number, an integer, or one of the strings `inf`, `-inf`, `nan`.
    public var doubleValue: Double? {
        switch self {
        case .number(let x): return x
        case .integer(let n): return Double(n)
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        case .string("nan"): return .nan
        default: return nil
        }
    }

    /// The value of member `key` of an object (the first one, should there be several); nil otherwise.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// What kind of value this is, as error messages name it: `an object`, `a string`, `a number`, ….
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The JSON text of a non-finite Double, nil for a finite one.
    static func nonFiniteName(_ x: Double) -> String? {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        return nil
    }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Sendable, Hashable {
    public let key: String
    public let value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}
