/// Text as nnsim shows it inside a one-line message: every character that a terminal would act on
/// instead of print (control characters such as CR, LF, ESC and NUL, the line and paragraph separators,
/// the byte-order mark and the bidirectional overrides) is written as an escape: `\r`, `\n`, `\t`, `\0`
/// or `\u{1B}`. Everything else, backslashes too, is kept as given, so escaping twice changes nothing.
/// The one sanitizer for user text echoed in errors and warnings.
public enum PrintableText {
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\0": result += "\\0"
            default: result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result
    }

    /// Control characters (C0, DEL, C1), U+2028/U+2029, U+FEFF and the bidirectional embeddings,
    /// overrides and isolates (U+202A–U+202E, U+2066–U+2069).
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
