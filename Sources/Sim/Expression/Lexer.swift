/// A token of the expression language.
struct Token: Equatable {
    enum Kind: Equatable {
        case number(Double)
        case identifier(String)
        case symbol(Character)   // + - * / ^ @ ( ) , =
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
        // Plain ASCII without CR (every program typed or generated in practice): one byte is one Character,
        // so the bytes give the same tokens and columns without building an array of Characters.
        if let tokens = try asciiTokens(source) { return tokens }
        return try characterTokens(source)
    }

    /// `tokens` on the UTF-8 bytes, nil when the source holds a non-ASCII byte or a CR (where a byte is not
    /// a Character: `−`, `·`, `×`, letters beyond ASCII, CRLF).
    private static func asciiTokens(_ source: String) throws(ExpressionError) -> [Token]? {
        var copy = source
        let result: Result<[Token]?, ExpressionError> = copy.withUTF8 { bytes in
            if bytes.contains(where: { $0 >= 0x80 || $0 == UInt8(ascii: "\r") }) { return .success(nil) }
            do throws(ExpressionError) {
                return .success(try asciiTokens(bytes, multiline: bytes.contains(UInt8(ascii: "\n"))))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func asciiTokens(_ bytes: UnsafeBufferPointer<UInt8>, multiline: Bool) throws(ExpressionError)
        -> [Token] {
        var result: [Token] = []
        result.reserveCapacity(bytes.count / 2)
        var i = 0, line = 1, lineStart = 0
        func location(_ index: Int) -> SourceLocation { SourceLocation(line: line, column: index - lineStart + 1) }
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        func isLetter(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
        }
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }

        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                i += 1
            case UInt8(ascii: "\n"), UInt8(ascii: ";"):
                result.append(Token(kind: .separator, location: location(i), text: b == UInt8(ascii: ";") ? ";" : "\n"))
                i += 1
                if b != UInt8(ascii: ";") { line += 1; lineStart = i }
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "^"), UInt8(ascii: "@"),
                 UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "="):
                let symbol = Character(Unicode.Scalar(b))
                result.append(Token(kind: .symbol(symbol), location: location(i), text: String(symbol)))
                i += 1
            case _ where isDigit(b) || b == UInt8(ascii: "."):
                let start = i
                while i < bytes.count, isDigit(bytes[i]) || bytes[i] == UInt8(ascii: ".") { i += 1 }
                // Exponent: e or E, optional sign, digits.
                if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                    var j = i + 1
                    if j < bytes.count, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") { j += 1 }
                    if j < bytes.count, isDigit(bytes[j]) {
                        i = j
                        while i < bytes.count, isDigit(bytes[i]) { i += 1 }
                    }
                }
                let text = text(start..<i)
                guard let value = NumberText.parse(text) else {
                    throw ExpressionError("malformed number '\(text)'", at: location(start), multiline: multiline)
                }
                result.append(Token(kind: .number(value), location: location(start), text: text))
            case _ where isLetter(b) || b == UInt8(ascii: "_"):
                let start = i
                while i < bytes.count, isLetter(bytes[i]) || isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_") { i += 1 }
                let name = text(start..<i)
                result.append(Token(kind: .identifier(name), location: location(start), text: name))
            default:
                throw ExpressionError("unexpected character '\(Character(Unicode.Scalar(b)))'", at: location(i),
                                      multiline: multiline)
            }
        }
        result.append(Token(kind: .end, location: location(i), text: "end of input"))
        return result
    }

    private static func characterTokens(_ source: String) throws(ExpressionError) -> [Token] {
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
            case "+", "-", "−", "*", "·", "×", "/", "^", "@", "(", ")", ",", "=":
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
