/// Simple math from Unicode and a tiny markup: `x_1` and `W_{ij}` are subscripts, `x^2`, `e^55.8`,
/// `e^{−x}`, `e^(−x)` (set without its parentheses) and `W^{[1]}` superscripts; everything else (σ, ∂,
/// −, ·, √, Σ, η, ∇) is already Unicode and passes through.
/// A `_` or `^` not followed by a letter, digit or `{` is kept as written, and `\_`, `\^`, `\\` are a
/// literal underscore, caret and backslash: `literal(_:)` writes text from outside (a student ID) so.
public enum MathText {
    /// `text` as markup that shows it exactly as written.
    public static func literal(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "_" || c == "^" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Normal text, a subscript (lowered) or a superscript (raised).
    public enum Position: Sendable, Hashable { case normal, lowered, raised }

    public struct Span: Sendable, Hashable {
        public var text: String
        public var position: Position
    }

    public static func spans(_ source: String) -> [Span] {
        var result: [Span] = []
        func add(_ text: String, _ position: Position) {
            guard !text.isEmpty else { return }
            if let last = result.last, last.position == position {
                result[result.count - 1].text += text
            } else {
                result.append(Span(text: text, position: position))
            }
        }
        let chars = Array(source)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, chars[i + 1] == "_" || chars[i + 1] == "^" || chars[i + 1] == "\\" {
                add(String(chars[i + 1]), .normal)
                i += 2
                continue
            }
            if (c == "_" || c == "^"), i + 1 < chars.count {
                let position: Position = c == "_" ? .lowered : .raised
                if chars[i + 1] == "{", let close = chars[(i + 2)...].firstIndex(of: "}") {
                    add(String(chars[(i + 2)..<close]), position)
                    i = close + 1
                    continue
                }
                // A parenthesized group, raised or lowered without its parentheses: e^(−x) is e⁻ˣ.
                if chars[i + 1] == "(", let close = Self.closing(chars, from: i + 1) {
                    add(String(chars[(i + 2)..<close]), position)
                    i = close + 1
                    continue
                }
                if chars[i + 1].isLetter || chars[i + 1].isNumber || chars[i + 1] == "−" || chars[i + 1] == "-" {
                    // A single token: a sign and the letters/digits after it, with a decimal point between
                    // digits (e^55.8 keeps its .8 up, not on the baseline).
                    var j = i + 1
                    if chars[j] == "−" || chars[j] == "-" { j += 1 }
                    while j < chars.count, chars[j].isLetter || chars[j].isNumber
                            || (chars[j] == "." && j > i + 1 && chars[j - 1].isNumber && j + 1 < chars.count && chars[j + 1].isNumber) { j += 1 }
                    add(String(chars[(i + 1)..<j]), position)
                    i = j
                    continue
                }
            }
            add(String(c), .normal)
            i += 1
        }
        return result
    }

    /// The index of the parenthesis closing the one at `open`, or nil when it is not closed.
    static func closing(_ chars: [Character], from open: Int) -> Int? {
        var depth = 0
        for k in open..<chars.count {
            if chars[k] == "(" { depth += 1 }
            if chars[k] == ")" { depth -= 1; if depth == 0 { return k } }
        }
        return nil
    }

    /// A formula written as code (`0.5*(x^2 + 100*y^2)`, `(1 - x)^2`), as figures set it in one run of
    /// text: `*` between operands becomes `·`, a minus between spaces or as a sign (after `(`, `=`, `,`)
    /// the true minus −, and a whole-number exponent `^2`, `^-1`, `^{10}` superscript digits. Anything
    /// else (`^x`, `^55.8`) is kept as written.
    public static func figureText(_ source: String) -> String {
        let superscripts: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷",
                                                    "8": "⁸", "9": "⁹", "-": "⁻", "−": "⁻"]
        let chars = Array(source)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "^", i + 1 < chars.count {
                // The exponent: an optional sign and digits, or the same in braces, not followed by a decimal point.
                let braced = chars[i + 1] == "{"
                var j = i + (braced ? 2 : 1)
                let start = j
                if j < chars.count, chars[j] == "-" || chars[j] == "−" { j += 1 }
                while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
                let digits = j > start && chars[j - 1].isNumber
                let decimal = j + 1 < chars.count && chars[j] == "." && chars[j + 1].isNumber
                let closed = !braced || (j < chars.count && chars[j] == "}")
                if digits, !decimal, closed {
                    out += String(chars[start..<j].compactMap { superscripts[$0] })
                    i = j + (braced ? 1 : 0)
                    continue
                }
            }
            if c == "*" { out += "·"; i += 1; continue }
            if c == "-" {
                let before = i > 0 ? chars[i - 1] : " ", after = i + 1 < chars.count ? chars[i + 1] : " "
                // A sign: after "(", "=", "," or ":" (spaces between allowed), or at the start.
                let previous = chars[..<i].last { $0 != " " }
                let isSign = after != " " && (previous.map { "(=,:".contains($0) } ?? true)
                if (before == " " && after == " ") || isSign { out += "−"; i += 1; continue }
            }
            out.append(c)
            i += 1
        }
        return out
    }
}
