/// Prints a `JSONValue` as UTF-8 text, the same bytes every time for the same value.
///
/// Layout: objects one member per line, indented by two spaces, members in their stored order; arrays that
/// hold no object (tensors, name lists) compact on one line, `[[1, 2], [3, 4]]`; arrays of objects one
/// element per line. The text ends with a newline.
///
/// Doubles are written in Swift's shortest round-trip form (`0.1`, `-0.0`, `5e-324`,
/// `1.7976931348623157e+308`), so reading the text back gives the same bits; a finite double always shows a
/// `.` or an exponent, which is how a reader tells it from an integer. Non-finite doubles are written as the
/// strings `"inf"`, `"-inf"`, `"nan"`. Strings are escaped as JSON requires (quote, backslash, control
/// characters); other characters are written as UTF-8.
///
/// The writer recurses once per nesting level: a value is as deep as the code that built it (a trace is
/// eight levels deep, a parsed document at most `JSONLimits.maxDepth`).
public enum JSONWriter {
    /// The document as UTF-8 bytes.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, indent: 0, into: &out)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// The document as text.
    public static func text(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .null: put("null", into: &out)
        case .bool(let b): put(b ? "true" : "false", into: &out)
        case .integer(let n): putText(String(n), into: &out)
        case .number(let x): writeNumber(x, into: &out)
        case .string(let s): writeString(s, into: &out)
        case .array(let elements):
            if elements.isEmpty {
                put("[]", into: &out)
            } else if elements.contains(where: containsObject) {
                out.append(UInt8(ascii: "["))
                for (i, element) in elements.enumerated() {
                    put(i == 0 ? "\n" : ",\n", into: &out)
                    pad(indent + 1, into: &out)
                    write(element, indent: indent + 1, into: &out)
                }
                out.append(UInt8(ascii: "\n"))
                pad(indent, into: &out)
                out.append(UInt8(ascii: "]"))
            } else {
                out.append(UInt8(ascii: "["))
                for (i, element) in elements.enumerated() {
                    if i > 0 { put(", ", into: &out) }
                    write(element, indent: indent, into: &out)
                }
                out.append(UInt8(ascii: "]"))
            }
        case .object(let members):
            guard !members.isEmpty else {
                put("{}", into: &out)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (i, member) in members.enumerated() {
                put(i == 0 ? "\n" : ",\n", into: &out)
                pad(indent + 1, into: &out)
                writeString(member.key, into: &out)
                put(": ", into: &out)
                write(member.value, indent: indent + 1, into: &out)
            }
            out.append(UInt8(ascii: "\n"))
            pad(indent, into: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func containsObject(_ value: JSONValue) -> Bool {
        switch value {
        case .object: return true
        case .array(let elements): return elements.contains(where: containsObject)
        default: return false
        }
    }

    /// A literal's bytes, copied whole (appending a String's UTF8View went byte by byte through generic code).
    private static func put(_ literal: StaticString, into out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// A string's UTF-8, copied whole.
    private static func putText(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    private static func pad(_ level: Int, into out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }

    private static func writeNumber(_ x: Double, into out: inout [UInt8]) {
        if let name = JSONValue.nonFiniteName(x) {
            writeString(name, into: &out)
        } else {
            putText(x.description, into: &out)
        }
    }

    private static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings (names, kinds, operations) need no escape: copied whole rather than byte by byte.
        var text = s
        let plain = text.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") })
            else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): put("\\\"", into: &out)
            case UInt8(ascii: "\\"): put("\\\\", into: &out)
            case UInt8(ascii: "\n"): put("\\n", into: &out)
            case UInt8(ascii: "\r"): put("\\r", into: &out)
            case UInt8(ascii: "\t"): put("\\t", into: &out)
            case 0x08: put("\\b", into: &out)
            case 0x0C: put("\\f", into: &out)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                put("\\u00", into: &out)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
