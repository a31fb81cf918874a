import CNumbers
import Foundation

/// How nnsim writes numbers for people (terminal, tables, figures): one rule everywhere. It is its own
/// module so that Render, which knows nothing of the engine, writes axis and contour labels with it too;
/// Sim re-exports it.
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
        if x == x.rounded(), magnitude < 1e6 { return x < 0 ? "−" + String(-Int(x)) : String(Int(x)) }
        if magnitude < 1e-3 || magnitude >= 1e6 {
            // printf writes `4.540e-05`: the mantissa loses its trailing zeros, the exponent its sign and zeros.
            let text = printf("e", significantDigits - 1, x)
            guard let e = text.firstIndex(of: UInt8(ascii: "e")) else { return minus(text) }
            let exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
            return minus(trimZeros(text[..<e]) + Array("e\(exponent)".utf8))
        }
        let decimals = max(0, significantDigits - 1 - Int(floor(log10(magnitude))))
        if let text = fixed(decimals, x) { return text }
        let rounded = printf("f", decimals, x)
        // Rounding can carry into a new digit (9.9996 → 10.000); trimming handles the extra zeros.
        return minus(trimZeros(rounded[...]))
    }

    /// A point or weight vector as `(1, −0.5, 2)`, each entry by `display`.
    public static func tuple(_ values: [Double]) -> String {
        "(" + values.map { display($0) }.joined(separator: ", ") + ")"
    }

    /// The shortest text that reads back as the same Double, with − for minus (constants in formulas).
    public static func plain(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return minus(Array(String(Int(x)).utf8)) }
        return minus(Array("\(x)".utf8))
    }

    /// `x` with exactly `decimals` decimals (C's `%.Nf`, trailing zeros kept, so a column of ticks lines
    /// up: `0.50`, `1.00`), with a true minus sign: axis and contour labels.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        minus(printf("f", max(0, min(decimals, 340)), x))
    }

    /// `x` to `digits` significant digits, trailing zeros dropped (C's `%.Ng`), with a true minus sign: a
    /// mantissa such as `2.5` in `2.5·10⁷`.
    public static func significant(_ x: Double, digits: Int) -> String {
        minus(printf("g", max(1, min(digits, 17)), x))
    }

    /// The UTF-8 of `x` formatted by C's `printf` as `%.{precision}e`, `%.{precision}f` or `%.{precision}g`
    /// (`conversion` "e", "f" or "g"): what `String(format:)` writes, without Foundation's string formatting or a CVarArg
    /// list per call (CNumbers), which cost more than the formatting where thousands of numbers are written.
    static func printf(_ conversion: StaticString, _ precision: Int, _ x: Double) -> [UInt8] {
        let letter = CChar(conversion.utf8Start.pointee)
        var capacity = 32
        while true {
            var buffer = [UInt8](repeating: 0, count: capacity)
            let length = Int(buffer.withUnsafeMutableBytes {
                nnsim_format_double($0.baseAddress?.assumingMemoryBound(to: CChar.self), capacity, letter, Int32(precision), x)
            })
            guard length >= capacity else { return Array(buffer.prefix(max(0, length))) }
            capacity = length + 1
        }
    }

    /// `minus(trimZeros(printf("f", decimals, x)))` formatted in a buffer on the stack, without the three
    /// arrays on the way (display writes every number of a derivation); nil when the text does not fit.
    private static func fixed(_ decimals: Int, _ x: Double) -> String? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer -> String? in
            guard let base = buffer.baseAddress else { return nil }
            let length = Int(base.withMemoryRebound(to: CChar.self, capacity: 64) {
                nnsim_format_double($0, 64, CChar(UInt8(ascii: "f")), Int32(decimals), x)
            })
            guard length > 0, length < 64 else { return nil }
            var end = length
            if UnsafeBufferPointer(start: base, count: length).contains(UInt8(ascii: ".")) {
                while base[end - 1] == UInt8(ascii: "0") { end -= 1 }
                if base[end - 1] == UInt8(ascii: ".") { end -= 1 }
            }
            // %f puts a hyphen-minus only in front.
            let negative = base[0] == UInt8(ascii: "-")
            let digits = String(decoding: UnsafeBufferPointer(start: base + (negative ? 1 : 0),
                                                              count: end - (negative ? 1 : 0)), as: UTF8.self)
            return negative ? "−" + digits : digits
        }
    }

    /// A decimal fraction without its trailing zeros (and without the point when nothing follows it).
    private static func trimZeros(_ text: ArraySlice<UInt8>) -> [UInt8] {
        guard text.contains(UInt8(ascii: ".")) else { return Array(text) }
        var t = text
        while t.last == UInt8(ascii: "0") { t.removeLast() }
        if t.last == UInt8(ascii: ".") { t.removeLast() }
        return Array(t)
    }

    /// The text with each hyphen-minus made a true minus sign.
    private static func minus(_ text: [UInt8]) -> String {
        guard text.contains(UInt8(ascii: "-")) else { return String(decoding: text, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count + 4)
        for byte in text {
            if byte == UInt8(ascii: "-") { bytes += "−".utf8 } else { bytes.append(byte) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
