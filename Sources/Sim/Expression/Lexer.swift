/// A token of the expression language.
struct Token: Equatable {
    enum Kind: Equatable {
        case number(Double)
        case identifier(String)
        case symbol(Character)   // + - * / ^ ( ) , =
        case separator           // ; or newline
        case end
    }
    let kind: Kind
    let location: SourceLocation
    /// The source text of the token, for messages.
    let text: String
}

/// Splits expression source into tokens. `−` (U+2212) reads as minus, `·` and `×` as times. A line ends
/// with LF or CRLF (one Character in Swift, so it is matched as such); a lone CR is space.
enum Lexer {
    /// Whether `source` has more than one line, so that locations name the line.
    static func isMultiline(_ source: String) -> Bool {
        source.contains { $0 == "\n" || $0 == "\r\n" }
    }

    static func tokens(_ source: String) throws(ExpressionError) -> [Token] {
        let multiline = isMultiline(source)
        var result: [Token] = []
        let chars = Array(source)
        var i = 0, line = 1, lineStart = 0
        func location(_ index: Int) -> SourceLocation { SourceLocation(line: line, column: index - lineStart + 1) }

        while i < chars.count {
            let c = chars[i]
            switch c {
            case " ", "\t", "\r":
                i += 1
            case "\n", "\r\n", ";":
                result.append(Token(kind: .separator, location: location(i), text: String(c)))
                i += 1
                if c != ";" { line += 1; lineStart = i }
            case "+", "-", "−", "*", "·", "×", "/", "^", "(", ")", ",", "=":
                let symbol: Character = c == "−" ? "-" : (c == "·" || c == "×" ? "*" : c)
                result.append(Token(kind: .symbol(symbol), location: location(i), text: String(c)))
                i += 1
            case "0"..."9", ".":
                let start = i
                while i < chars.count, chars[i].isASCII, chars[i].isNumber || chars[i] == "." { i += 1 }
                // Exponent: e or E, optional sign, digits.
                if i < chars.count, chars[i] == "e" || chars[i] == "E" {
                    var j = i + 1
                    if j < chars.count, chars[j] == "+" || chars[j] == "-" || chars[j] == "−" { j += 1 }
                    if j < chars.count, chars[j].isASCII, chars[j].isNumber {
                        i = j
                        while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
                    }
                }
                let text = String(chars[start..<i])
                guard let value = NumberText.parse(text) else {
                    throw ExpressionError("malformed number '\(text)'", at: location(start), multiline: multiline)
                }
                result.append(Token(kind: .number(value), location: location(start), text: text))
            case _ where c.isLetter || c == "_":
                let start = i
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
                let name = String(chars[start..<i])
                result.append(Token(kind: .identifier(name), location: location(start), text: name))
            default:
                throw ExpressionError("unexpected character '\(c)'", at: location(i), multiline: multiline)
            }
        }
        result.append(Token(kind: .end, location: location(i), text: "end of input"))
        return result
    }
}
