/// A recursive-descent parser for the expression language (grammar in docs/expressions.md).
///
/// Precedence, loosest first: `+ −`, `* /`, unary minus, `^` (right-associative), so `-x^2` is −(x²)
/// and `2^-1` is 2⁻¹. Nesting is counted and refused past `ExpressionLimits.maxNesting`, so no input
/// can overflow the stack. A level is a parenthesis, a function call or a unary sign.
struct Parser {
    private let tokens: [Token]
    private var position = 0
    private var depth = 0
    private let multiline: Bool
    private(set) var tree = SyntaxTree()

    init(tokens: [Token], multiline: Bool) {
        self.tokens = tokens
        self.multiline = multiline
    }

    private var current: Token { tokens[position] }

    private func error(_ message: String, at token: Token) -> ExpressionError {
        ExpressionError(message, at: token.location, multiline: multiline)
    }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func describe(_ token: Token) -> String {
        token.kind == .end ? "end of input" : (token.kind == .separator ? "end of statement" : "'\(token.text)'")
    }

    private mutating func expect(_ symbol: Character, _ what: String) throws(ExpressionError) {
        guard current.kind == .symbol(symbol) else {
            throw error("expected \(what), found \(describe(current))", at: current)
        }
        _ = advance()
    }

    mutating func program() throws(ExpressionError) -> [Statement] {
        var statements: [Statement] = []
        while true {
            while current.kind == .separator { _ = advance() }
            if current.kind == .end { break }
            statements.append(try statement())
            guard current.kind == .separator || current.kind == .end else {
                throw error("expected ';' or a new line, found \(describe(current))", at: current)
            }
        }
        return statements
    }

    private mutating func statement() throws(ExpressionError) -> Statement {
        let token = advance()
        guard case .identifier(let name) = token.kind else {
            throw error("expected a statement 'name = expression', found \(describe(token))", at: token)
        }
        guard current.kind == .symbol("=") else {
            throw error("expected '=' after '\(name)', found \(describe(current))", at: current)
        }
        _ = advance()
        return Statement(target: name, targetLocation: token.location, root: try sum())
    }

    private mutating func nest(_ token: Token) throws(ExpressionError) {
        depth += 1
        if depth > ExpressionLimits.maxNesting {
            throw error("expression nested deeper than \(ExpressionLimits.maxNesting) levels", at: token)
        }
    }

    private mutating func sum() throws(ExpressionError) -> Int {
        var left = try product()
        while case .symbol(let s) = current.kind, s == "+" || s == "-" {
            let op = advance()
            let right = try product()
            left = tree.add(.binary(s, left, right), at: op.location)
        }
        return left
    }

    private mutating func product() throws(ExpressionError) -> Int {
        var left = try unary()
        while case .symbol(let s) = current.kind, s == "*" || s == "/" {
            let op = advance()
            let right = try unary()
            left = tree.add(.binary(s, left, right), at: op.location)
        }
        return left
    }

    private mutating func unary() throws(ExpressionError) -> Int {
        guard current.kind == .symbol("-") || current.kind == .symbol("+") else { return try power() }
        let op = advance()
        try nest(op)
        defer { depth -= 1 }
        let operand = try unary()
        if op.kind == .symbol("+") { return operand }
        if let value = tree.number(operand) { return tree.add(.number(-value), at: op.location) }
        return tree.add(.negate(operand), at: op.location)
    }

    private mutating func power() throws(ExpressionError) -> Int {
        let base = try primary()
        guard current.kind == .symbol("^") else { return base }
        let op = advance()
        let exponent = try unary()
        return tree.add(.binary("^", base, exponent), at: op.location)
    }

    private mutating func primary() throws(ExpressionError) -> Int {
        let token = advance()
        switch token.kind {
        case .number(let value):
            return tree.add(.number(value), at: token.location)
        case .identifier(let name):
            guard current.kind == .symbol("(") else { return tree.add(.variable(name), at: token.location) }
            try nest(current)
            defer { depth -= 1 }
            _ = advance()
            var arguments: [Int] = []
            if current.kind != .symbol(")") {
                arguments.append(try sum())
                while current.kind == .symbol(",") {
                    _ = advance()
                    arguments.append(try sum())
                }
            }
            try expect(")", "',' or ')' in the arguments of '\(name)'")
            return tree.add(.call(name, arguments), at: token.location)
        case .symbol("("):
            try nest(token)
            defer { depth -= 1 }
            let inner = try sum()
            try expect(")", "')'")
            return inner
        default:
            throw error("expected a number, a name or '(', found \(describe(token))", at: token)
        }
    }
}
