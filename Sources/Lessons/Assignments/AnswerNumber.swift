import Foundation
import Sim

/// Numbers as students write them: integers, decimals (`.5`, `3.`), fractions (`1/4`, `-3/8`),
/// scientific notation (`1e-3`, `2.5E4`), with `−` (U+2212) or `-` and spaces around: a number, or each
/// side of a fraction, as NumberText reads it. Nothing that is not a finite Double is a number here:
/// `nan`, `inf`, `0x10`, `1e999` and `1/0` are refused.
public enum AnswerNumber {
    public static func parse(_ text: String) -> Double? {
        let trimmed = trim(text[...])
        guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= 64 else { return nil }
        if let slash = trimmed.firstIndex(of: "/") {
            guard let p = NumberText.parse(trim(trimmed[..<slash])), let q = NumberText.parse(trim(trimmed[trimmed.index(after: slash)...])), q != 0 else { return nil }
            let x = p / q
            return x.isFinite ? x : nil
        }
        return NumberText.parse(trimmed)
    }

    /// Without the spaces and tabs around it (Foundation's trimmingCharacters took a fifth of grading a
    /// batch's time, through NSString).
    private static func trim(_ text: Substring) -> Substring {
        var s = text
        while let c = s.unicodeScalars.first, c.properties.isWhitespace, c != "\n", c != "\r" { s = s.dropFirst() }
        while let c = s.unicodeScalars.last, c.properties.isWhitespace, c != "\n", c != "\r" { s = s.dropLast() }
        return s
    }
}
