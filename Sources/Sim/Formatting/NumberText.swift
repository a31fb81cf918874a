/// The one reader of numbers written as text, for every input: `--at` and `--set` values, the expression
/// language's literals, lesson scripts, CSV data, assignments, submissions and run CSVs.
///
/// A number is decimal or scientific with an optional sign: `3`, `-2`, `−2` (U+2212), `+0.5`, `.5`,
/// `3.`, `2.5e-1`, `1E+3`. Nothing else: no spaces inside (callers trim around), no hexadecimal (`0x10`),
/// no `inf`, `infinity` or `nan`, no digit separators, and nothing after the number (a NUL byte, which
/// Swift's `Double(_:)` stops at, is refused). The value must be finite: `1e999` is refused too.
public enum NumberText {
    public static func parse(_ text: some StringProtocol) -> Double? {
        // Checked byte by byte on the UTF-8 (no copy): sign, digits, point, digits, exponent. Only then is
        // the text converted, with − (E2 88 92) written as - where there is one.
        let bytes = text.utf8
        var i = bytes.startIndex
        var sawMinusSign = false
        func sign() {
            guard i < bytes.endIndex else { return }
            let b = bytes[i]
            if b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
                i = bytes.index(after: i)
            } else if b == 0xE2 {
                let j = bytes.index(after: i)
                guard j < bytes.endIndex, bytes[j] == 0x88 else { return }
                let k = bytes.index(after: j)
                guard k < bytes.endIndex, bytes[k] == 0x92 else { return }
                i = bytes.index(after: k)
                sawMinusSign = true
            }
        }
        func digits() -> Int {
            var count = 0
            while i < bytes.endIndex, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
                i = bytes.index(after: i)
                count += 1
            }
            return count
        }
        sign()
        var mantissa = digits()
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
            i = bytes.index(after: i)
            mantissa += digits()
        }
        guard mantissa > 0 else { return nil }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i = bytes.index(after: i)
            sign()
            guard digits() > 0 else { return nil }
        }
        guard i == bytes.endIndex else { return nil }
        let value = sawMinusSign ? Double(String(text).replacingOccurrences(of: "−", with: "-")) : Double(text)
        guard let value, value.isFinite else { return nil }
        return value
    }
}
