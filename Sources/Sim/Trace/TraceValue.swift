/// A plain value of a setting or a summary entry: text, an integer, a number or a flag.
///
/// In JSON these are strings, integer literals, numbers with a fraction or exponent, and booleans, so each
/// reads back as the case it was written from (`.number(3)` is written `3.0`, `.integer(3)` is `3`). A
/// non-finite number is written as the string `"inf"`, `"-inf"` or `"nan"` and read back as a number;
/// those three words are therefore not allowed as text.
public enum TraceValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral
{
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
