import Foundation
import Sim

/// Numbers as students write them: integers, decimals (`.5`, `3.`), fractions (`1/4`, `-3/8`),
/// scientific notation (`1e-3`, `2.5E4`), with `−` (U+2212) or `-` and spaces around: a number, or each
/// side of a fraction, as NumberText reads it. Nothing that is not a finite Double is a number here:
/// `nan`, `inf`, `0x10`, `1e999` and `1/0` are refused.
public enum AnswerNumber {
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 64 else { return nil }
        if let slash = trimmed.firstIndex(of: "/") {
            guard let p = decimal(String(trimmed[..<slash])), let q = decimal(String(trimmed[trimmed.index(after: slash)...])), q != 0 else { return nil }
            let x = p / q
            return x.isFinite ? x : nil
        }
        return decimal(trimmed)
    }

    /// A decimal or scientific number, as every input reads one (NumberText).
    private static func decimal(_ text: String) -> Double? {
        NumberText.parse(text.trimmingCharacters(in: .whitespaces))
    }
}
