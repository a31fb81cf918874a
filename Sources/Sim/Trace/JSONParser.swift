/// How much a JSON document may ask of the reader; a document beyond a limit is refused, not read.
public struct JSONLimits: Sendable, Hashable {
    /// The largest document accepted, in bytes (64 MiB by default). Parsed values take up to about twelve
    /// times the text's size in memory, so this also bounds the memory a document can claim.
    public var maxBytes: Int
    /// The deepest nesting of arrays and objects accepted (64 by default; a trace needs 8).
    public var maxDepth: Int

    public init(maxBytes: Int = 64 << 20, maxDepth: Int = 64) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }
}

/// Reads JSON text (RFC 8259) into a `JSONValue`, safely on any input.
///
/// The parser is a loop over an explicit stack of open containers, not a recursion, so deep nesting cannot
/// overflow the call stack; nesting beyond `JSONLimits.maxDepth` and documents beyond `maxBytes` are
/// refused before any work. Every failure is a `JSONError` with its line and column. It is strict: no
/// comments, no trailing commas, no leading zeros, no text after the value, valid UTF-8 only. Two more
/// rules keep documents unambiguous: an object may not repeat a key, and a number too large for a Double
/// (`1e999`) is an error, not infinity.
public enum JSONParser {
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(JSONError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw JSONError(reason: .tooLarge(bytes: bytes.count, limit: limits.maxBytes), line: 1, column: 1)
        }
        var scanner = JSONScanner(bytes: bytes)
        return try scanner.document(maxDepth: limits.maxDepth)
    }

    public static func parse(_ text: String, limits: JSONLimits = JSONLimits()) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }
}

/// Why a JSON document could not be read, and where.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        case tooLarge(bytes: Int, limit: Int)
        case tooDeep(limit: Int)
        case unexpectedEnd
        /// Found `found` (a character, quoted) where `expected` was needed.
        case unexpected(found: String, expected: String)
        case invalidString(String)
        case numberOutOfRange(String)
        case duplicateKey(String)
    }

    public let reason: Reason
    /// 1-based line and column (in characters) of the offending text.
    public let line: Int
    public let column: Int

    public var description: String {
        let message: String
        switch reason {
        case .tooLarge(let bytes, let limit):
            return "the document has \(bytes) bytes, more than the limit of \(limit)"
        case .tooDeep(let limit): message = "arrays and objects nest deeper than the limit of \(limit)"
        case .unexpectedEnd: message = "the document ends too early"
        case .unexpected(let found, let expected): message = "found \(found) where \(expected) was expected"
        case .invalidString(let why): message = "invalid string: \(why)"
        case .numberOutOfRange(let text): message = "the number \(text) is too large for a Double"
        case .duplicateKey(let key): message = "the key \"\(key)\" appears twice in one object"
        }
        return "line \(line), column \(column): \(message)"
    }
}

/// The parser's cursor over the bytes, with the container stack kept in flat arrays so every append is
/// in place.
private struct JSONScanner {
    let bytes: [UInt8]
    var offset = 0

    /// Open containers, innermost last: whether each is an array, and the elements gathered so far.
    private var isArray: [Bool] = []
    private var arrays: [[JSONValue]] = []
    private var objects: [[JSONMember]] = []
    private var objectKeys: [Set<String>] = []
    /// For each open object, the key whose value is being read.
    private var pendingKeys: [String] = []

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document(maxDepth: Int) throws(JSONError) -> JSONValue {
        while true {
            skipSpace()
            guard offset < bytes.count else { throw failure(.unexpectedEnd) }
            var value: JSONValue
            switch bytes[offset] {
            case UInt8(ascii: "["):
                guard isArray.count < maxDepth else { throw failure(.tooDeep(limit: maxDepth)) }
                offset += 1
                skipSpace()
                if peek == UInt8(ascii: "]") {
                    offset += 1
                    value = .array([])
                } else {
                    isArray.append(true)
                    arrays.append([])
                    continue
                }
            case UInt8(ascii: "{"):
                guard isArray.count < maxDepth else { throw failure(.tooDeep(limit: maxDepth)) }
                offset += 1
                skipSpace()
                if peek == UInt8(ascii: "}") {
                    offset += 1
                    value = .object([])
                } else {
                    isArray.append(false)
                    objects.append([])
                    objectKeys.append([])
                    try readKey()
                    continue
                }
            case UInt8(ascii: "\""): value = .string(try readString())
            case UInt8(ascii: "t"): try readLiteral("true"); value = .bool(true)
            case UInt8(ascii: "f"): try readLiteral("false"); value = .bool(false)
            case UInt8(ascii: "n"): try readLiteral("null"); value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): value = try readNumber()
            default: throw failure(.unexpected(found: foundDescription, expected: "a value"))
            }

            // Hand the value to its container; close every container that ends here.
            closing: while true {
                skipSpace()
                guard let inArray = isArray.last else {
                    guard offset == bytes.count else {
                        throw failure(.unexpected(found: foundDescription, expected: "the end of the document"))
                    }
                    return value
                }
                if inArray {
                    arrays[arrays.count - 1].append(value)
                } else {
                    objects[objects.count - 1].append(JSONMember(pendingKeys.removeLast(), value))
                }
                guard offset < bytes.count else { throw failure(.unexpectedEnd) }
                let closer = inArray ? UInt8(ascii: "]") : UInt8(ascii: "}")
                switch bytes[offset] {
                case UInt8(ascii: ","):
                    offset += 1
                    if !inArray {
                        skipSpace()
                        try readKey()
                    }
                    break closing
                case closer:
                    offset += 1
                    isArray.removeLast()
                    if inArray {
                        value = .array(arrays.removeLast())
                    } else {
                        value = .object(objects.removeLast())
                        objectKeys.removeLast()
                    }
                default:
                    let expected = inArray ? "',' or ']'" : "',' or '}'"
                    throw failure(.unexpected(found: foundDescription, expected: expected))
                }
            }
        }
    }

    private var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func skipSpace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): offset += 1
            default: return
            }
        }
    }

    /// Reads `"key" :` for the innermost object, refusing a key it already has.
    private mutating func readKey() throws(JSONError) {
        let start = offset
        guard peek == UInt8(ascii: "\"") else {
            throw failure(.unexpected(found: foundDescription, expected: "a key in double quotes"))
        }
        let key = try readString()
        guard objectKeys[objectKeys.count - 1].insert(key).inserted else {
            throw failure(.duplicateKey(key), at: start)
        }
        skipSpace()
        guard peek == UInt8(ascii: ":") else { throw failure(.unexpected(found: foundDescription, expected: "':'")) }
        offset += 1
        pendingKeys.append(key)
    }

    private mutating func readLiteral(_ word: String) throws(JSONError) {
        let start = offset
        for expected in word.utf8 {
            guard peek == expected else {
                throw failure(.unexpected(found: foundDescription, expected: "'\(word)'"), at: start)
            }
            offset += 1
        }
    }

    /// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    private mutating func readNumber() throws(JSONError) -> JSONValue {
        let start = offset
        if peek == UInt8(ascii: "-") { offset += 1 }
        if peek == UInt8(ascii: "0") {
            offset += 1
        } else {
            try readDigits()
        }
        var isInteger = true
        if peek == UInt8(ascii: ".") {
            isInteger = false
            offset += 1
            try readDigits()
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            isInteger = false
            offset += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { offset += 1 }
            try readDigits()
        }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        // `-0` is an integer literal, but only a Double keeps its sign.
        if isInteger, text != "-0", let n = Int(text) { return .integer(n) }
        guard let x = Double(text), x.isFinite else {
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            throw failure(.numberOutOfRange(shown), at: start)
        }
        return .number(x)
    }

    private mutating func readDigits() throws(JSONError) {
        guard let first = peek, isDigit(first) else {
            throw failure(.unexpected(found: foundDescription, expected: "a digit"))
        }
        while let byte = peek, isDigit(byte) { offset += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Reads a string from its opening quote to its closing one, escapes resolved, UTF-8 checked.
    private mutating func readString() throws(JSONError) -> String {
        offset += 1
        var text: [UInt8] = []
        while true {
            guard offset < bytes.count else { throw failure(.unexpectedEnd) }
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                let string = String(decoding: text, as: UTF8.self)
                // Decoding replaces invalid UTF-8, so the bytes differ exactly when the input was invalid.
                guard string.utf8.elementsEqual(text) else { throw failure(.invalidString("not valid UTF-8")) }
                return string
            case UInt8(ascii: "\\"):
                offset += 1
                try readEscape(into: &text)
            case 0..<0x20:
                throw failure(.invalidString("a control character must be escaped"))
            default:
                text.append(byte)
                offset += 1
            }
        }
    }

    private mutating func readEscape(into text: inout [UInt8]) throws(JSONError) {
        guard let byte = peek else { throw failure(.unexpectedEnd) }
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            var code = try readHex4()
            if (0xD800...0xDBFF).contains(code) {
                guard bytes[offset...].starts(with: "\\u".utf8) else {
                    throw failure(.invalidString("a lone UTF-16 surrogate"))
                }
                offset += 2
                let low = try readHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw failure(.invalidString("a lone UTF-16 surrogate")) }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { throw failure(.invalidString("a lone UTF-16 surrogate")) }
            text.append(contentsOf: String(Character(scalar)).utf8)
        default:
            offset -= 1
            throw failure(.invalidString("unknown escape \\\(String(decoding: [byte], as: UTF8.self))"))
        }
    }

    private mutating func readHex4() throws(JSONError) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek else { throw failure(.unexpectedEnd) }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure(.invalidString("\\u needs four hexadecimal digits"))
            }
            code = code << 4 | UInt32(digit)
            offset += 1
        }
        return code
    }

    /// The character at the cursor, as an error message shows it.
    private var foundDescription: String {
        guard let byte = peek else { return "the end of the document" }
        if byte >= 0x20 && byte < 0x7F { return "'\(String(decoding: [byte], as: UTF8.self))'" }
        return "the byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private func failure(_ reason: JSONError.Reason, at position: Int? = nil) -> JSONError {
        let end = min(position ?? offset, bytes.count)
        var line = 1, column = 1
        for byte in bytes[..<end] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return JSONError(reason: reason, line: line, column: column)
    }
}
