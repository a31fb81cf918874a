/// The one reader of numbers written as text, for every input: `--at` and `--set` values, the expression
/// language's literals, lesson scripts, CSV data, assignments, submissions and run CSVs.
///
/// A number is decimal or scientific with an optional sign: `3`, `-2`, `−2` (U+2212), `+0.5`, `.5`,
/// `3.`, `2.5e-1`, `1E+3`. Nothing else: no spaces inside (callers trim around), no hexadecimal (`0x10`),
/// no `inf`, `infinity` or `nan`, no digit separators, and nothing after the number (a NUL byte, which
/// Swift's `Double(_:)` stops at, is refused). The value must be finite: `1e999` is refused too.
public enum NumberText {
    public static func parse(_ text: some StringProtocol) -> Double? {
        var ascii: [UInt8] = []
        ascii.reserveCapacity(text.utf8.count)
        var scalars = text.unicodeScalars[...]
        func sign() {
            guard let first = scalars.first, first == "+" || first == "-" || first == "−" else { return }
            ascii.append(first == "+" ? UInt8(ascii: "+") : UInt8(ascii: "-"))
            scalars.removeFirst()
        }
        func digits() -> Int {
            var count = 0
            while let first = scalars.first, ("0"..."9").contains(first) {
                ascii.append(UInt8(first.value))
                scalars.removeFirst()
                count += 1
            }
            return count
        }
        sign()
        var mantissa = digits()
        if scalars.first == "." {
            ascii.append(UInt8(ascii: "."))
            scalars.removeFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return nil }
        if let first = scalars.first, first == "e" || first == "E" {
            ascii.append(UInt8(ascii: "e"))
            scalars.removeFirst()
            sign()
            guard digits() > 0 else { return nil }
        }
        guard scalars.isEmpty, let value = Double(String(decoding: ascii, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }
}
