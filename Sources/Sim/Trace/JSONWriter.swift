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
        var stream = JSONStream()
        stream.value(value)
        return stream.finish()
    }

    /// The document as text.
    public static func text(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }
}

/// Writes a JSON document as it is produced, in JSONWriter's layout, without building a `JSONValue`
/// first: a trace of 10,000 nodes is written this way (building the tree, then walking it, took a third
/// of `nnsim graph`'s time on it). The caller says which arrays hold objects (`beginArray(ofObjects:)`),
/// which is what decides their layout. The one place that knows the layout: JSONWriter writes through it.
public struct JSONStream {
    private var out: [UInt8] = []
    /// For each open container: whether it is written one element per line, and how many elements it has so far.
    private var open: [(lines: Bool, count: Int)] = []

    public init(capacity: Int = 4096) { out.reserveCapacity(capacity) }

    /// The document's bytes, with the final newline.
    public mutating func finish() -> [UInt8] {
        out.append(UInt8(ascii: "\n"))
        return out
    }

    public mutating func beginObject() {
        prefix()
        out.append(UInt8(ascii: "{"))
        open.append((true, 0))
    }

    public mutating func endObject() { close(UInt8(ascii: "}")) }

    /// An array of objects is written one element per line; any other array on one line.
    public mutating func beginArray(ofObjects: Bool) {
        prefix()
        out.append(UInt8(ascii: "["))
        open.append((ofObjects, 0))
    }

    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// An object's member name; its value follows.
    public mutating func key(_ name: String) {
        separate()
        JSONWriter.writeString(name, into: &out)
        JSONWriter.put(": ", into: &out)
        keyed = true
    }

    public mutating func number(_ x: Double) {
        prefix()
        JSONWriter.writeNumber(x, into: &out)
    }

    public mutating func integer(_ n: Int) {
        prefix()
        JSONWriter.putText(String(n), into: &out)
    }

    public mutating func string(_ text: String) {
        prefix()
        JSONWriter.writeString(text, into: &out)
    }

    public mutating func bool(_ b: Bool) {
        prefix()
        JSONWriter.put(b ? "true" : "false", into: &out)
    }

    public mutating func null() {
        prefix()
        JSONWriter.put("null", into: &out)
    }

    /// A whole value, in the same layout.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .integer(let n): integer(n)
        case .number(let x): number(x)
        case .string(let s): string(s)
        case .array(let elements):
            beginArray(ofObjects: elements.contains(where: Self.containsObject))
            for element in elements { self.value(element) }
            endArray()
        case .object(let members):
            beginObject()
            for member in members {
                key(member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    private static func containsObject(_ value: JSONValue) -> Bool {
        switch value {
        case .object: return true
        case .array(let elements): return elements.contains(where: containsObject)
        default: return false
        }
    }

    /// Whether a key was just written (then the value follows it directly).
    private var keyed = false

    /// Before a value: after a key nothing; in an array, the separator and (one per line) the indentation.
    private mutating func prefix() {
        if keyed {
            keyed = false
            return
        }
        if !open.isEmpty { separate() }
    }

    /// The separator before the next member or element of the innermost open container.
    private mutating func separate() {
        let index = open.count - 1
        let (lines, count) = open[index]
        if lines {
            JSONWriter.put(count == 0 ? "\n" : ",\n", into: &out)
            JSONWriter.pad(open.count, into: &out)
        } else if count > 0 {
            JSONWriter.put(", ", into: &out)
        }
        open[index].count = count + 1
    }

    private mutating func close(_ bracket: UInt8) {
        let (lines, count) = open.removeLast()
        if lines && count > 0 {
            out.append(UInt8(ascii: "\n"))
            JSONWriter.pad(open.count, into: &out)
        }
        out.append(bracket)
    }
}

extension JSONWriter {
    /// A literal's bytes, copied whole (appending a String's UTF8View went byte by byte through generic code).
    static func put(_ literal: StaticString, into out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// A string's UTF-8, copied whole.
    static func putText(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    static func pad(_ level: Int, into out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }

    static func writeNumber(_ x: Double, into out: inout [UInt8]) {
        if let name = JSONValue.nonFiniteName(x) {
            writeString(name, into: &out)
        } else {
            putText(x.description, into: &out)
        }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
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
