import Foundation

/// How nnsim writes numbers for people (terminal, tables, figures): one rule everywhere.
///
/// `display`: up to 4 significant digits, trailing zeros dropped, a true minus sign (−, U+2212);
/// scientific notation `4.54e−5` below 1e−3 or from 1e6 in magnitude; `inf`, `−inf`, `nan` as words.
/// Exact integers below 1e6 print without a decimal point (`−10`, `5`).
public enum NumberFormat {
    public static func display(_ x: Double, significantDigits: Int = 4) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "−inf" : "inf" }
        if x == 0 { return "0" }
        let magnitude = abs(x)
        if x == x.rounded(), magnitude < 1e6 { return minus(String(Int(x))) }
        if magnitude < 1e-3 || magnitude >= 1e6 {
            let text = String(format: "%.\(significantDigits - 1)e", x)
            guard let e = text.firstIndex(of: "e") else { return minus(text) }
            let mantissa = trimZeros(String(text[..<e]))
            let exponent = Int(text[text.index(after: e)...]) ?? 0
            return minus("\(mantissa)e\(exponent)")
        }
        let decimals = max(0, significantDigits - 1 - Int(floor(log10(magnitude))))
        let rounded = String(format: "%.\(decimals)f", x)
        // Rounding can carry into a new digit (9.9996 → 10.000); trimming handles the extra zeros.
        return minus(trimZeros(rounded))
    }

    /// A point or weight vector as `(1, −0.5, 2)`, each entry by `display`.
    public static func tuple(_ values: [Double]) -> String {
        "(" + values.map { display($0) }.joined(separator: ", ") + ")"
    }

    /// The shortest text that reads back as the same Double, with − for minus (constants in formulas).
    public static func plain(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return minus(String(Int(x))) }
        return minus("\(x)")
    }

    private static func trimZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var t = text
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    private static func minus(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "-")) else { return text }
        return String(text.map { $0 == "-" ? "−" : $0 })
    }
}
