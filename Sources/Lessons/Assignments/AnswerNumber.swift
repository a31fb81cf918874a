import Foundation

/// Numbers as students write them: integers, decimals (`.5`, `3.`), fractions (`1/4`, `-3/8`),
/// scientific notation (`1e-3`, `2.5E4`), with `−` (U+2212) or `-` and spaces around. Nothing that is not
/// a finite Double is a number here: `nan`, `inf`, `1e999` and `1/0` are refused.
public enum AnswerNumber {
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")
        guard !trimmed.isEmpty, trimmed.count <= 64 else { return nil }
        if let slash = trimmed.firstIndex(of: "/") {
            guard let p = decimal(String(trimmed[..<slash])), let q = decimal(String(trimmed[trimmed.index(after: slash)...])), q != 0 else { return nil }
            let x = p / q
            return x.isFinite ? x : nil
        }
        return decimal(trimmed)
    }

    /// A decimal or scientific number: only digits, one point, a sign, an exponent.
    private static func decimal(_ text: String) -> Double? {
        let s = text.trimmingCharacters(in: .whitespaces)
        let allowed = Set("0123456789.eE+-")
        guard !s.isEmpty, s.allSatisfy({ allowed.contains($0) }), s.contains(where: \.isNumber), let x = Double(s), x.isFinite else { return nil }
        return x
    }
}
