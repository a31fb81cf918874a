/// The parser of the expression language (grammar in docs/expressions.md): operator precedence over an
/// explicit stack, not recursion, so no input can overflow the call stack, whatever the thread's stack size.
///
/// Precedence, loosest first: `+ −`, `* / @`, unary minus, `^` (right-associative), so `-x^2` is −(x²)
/// and `2^-1` is 2⁻¹; `X^T` is the transpose of X. Nodes are added in the order a recursive descent would add them (operands first,
/// each operation when its last operand is complete), so node numbering and generated names do not depend
/// on how the parser is written. Nesting is still limited to `ExpressionLimits.maxNesting` levels, counted
/// as open parentheses, open calls, pending unary signs and pending `^` (`a^a^…^a` nests like parentheses):
/// the syntax is kept readable and the graph figures drawable.
struct Parser {
    /// An operator waiting for its right operand: `left op …`, or a unary sign.
    private enum Pending {
        case binary(Character, left: Int, location: SourceLocation)
        case sign(Character, location: SourceLocation)

        var precedence: Int {
            switch self {
            case .binary("+", _, _), .binary("-", _, _): return 1
            case .binary("^", _, _): return 4
            case .binary: return 2
            case .sign: return 3
            }
        }

        /// Signs and `^` are levels of nesting; `+ − * /` are not (their chains are left-associative loops).
        var nests: Bool {
            switch self {
            case .binary("^", _, _), .sign: return true
            case .binary: return false
            }
        }
    }

    /// An open parenthesis or function call, and how many pending operators lie outside it.
    private struct Open {
        /// The function's name token, or the `(` of a parenthesis.
        let token: Token
        let function: String?
        var arguments: [Int]
        let outside: Int
    }

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
        return Statement(target: name, targetLocation: token.location, root: try expression())
    }

    private mutating func nest(_ token: Token) throws(ExpressionError) {
        depth += 1
        if depth > ExpressionLimits.maxNesting {
            throw error("expression nested deeper than \(ExpressionLimits.maxNesting) levels", at: token)
        }
    }

    /// One expression, up to the first token that cannot continue it.
    private mutating func expression() throws(ExpressionError) -> Int {
        var pending: [Pending] = [], open: [Open] = []
        while true {
            // An operand: signs and openings, then a number, a name, or a call without arguments.
            var operand: Int
            operand: while true {
                let token = advance()
                switch token.kind {
                case .symbol("-"), .symbol("+"):
                    try nest(token)
                    if case .symbol(let sign) = token.kind { pending.append(.sign(sign, location: token.location)) }
                case .number(let value):
                    operand = tree.add(.number(value), at: token.location)
                    break operand
                case .identifier(let name):
                    guard current.kind == .symbol("(") else {
                        operand = tree.add(.variable(name), at: token.location)
                        break operand
                    }
                    try nest(current)
                    _ = advance()
                    open.append(Open(token: token, function: name, arguments: [], outside: pending.count))
                    if current.kind == .symbol(")") {
                        _ = advance()
                        open.removeLast()
                        depth -= 1
                        operand = tree.add(.call(name, []), at: token.location)
                        break operand
                    }
                case .symbol("("):
                    try nest(token)
                    open.append(Open(token: token, function: nil, arguments: [], outside: pending.count))
                default:
                    throw error("expected a number, a name or '(', found \(describe(token))", at: token)
                }
            }
            // Operators after it: a binary operator waits for its right operand; a `)` or `,` closes what is
            // open; anything else ends the expression.
            while true {
                // `X^T` is the transpose (as the notes write wᵀx), applied at once to the operand before it:
                // `^` binds tightest, so nothing pending can claim that operand first.
                if current.kind == .symbol("^"), position + 1 < tokens.count, tokens[position + 1].kind == .identifier("T"),
                   position + 2 >= tokens.count || tokens[position + 2].kind != .symbol("(") {
                    let op = advance()
                    _ = advance()
                    operand = tree.add(.call("transpose", [operand]), at: op.location)
                    continue
                }
                if case .symbol(let s) = current.kind, "+-*/^@".contains(s) {
                    let precedence = Pending.binary(s, left: 0, location: current.location).precedence
                    // `^` is right-associative: only tighter operators finish first.
                    operand = reduce(operand, &pending, above: open.last?.outside ?? 0) {
                        $0.precedence > precedence || ($0.precedence == precedence && s != "^")
                    }
                    let op = advance()
                    if s == "^" { try nest(op) }
                    pending.append(.binary(s, left: operand, location: op.location))
                    break
                }
                operand = reduce(operand, &pending, above: open.last?.outside ?? 0) { _ in true }
                guard var inner = open.popLast() else { return operand }
                guard let function = inner.function else {
                    try expect(")", "')'")
                    depth -= 1
                    continue
                }
                inner.arguments.append(operand)
                if current.kind == .symbol(",") {
                    _ = advance()
                    open.append(inner)
                    break
                }
                try expect(")", "',' or ')' in the arguments of '\(function)'")
                depth -= 1
                operand = tree.add(.call(function, inner.arguments), at: inner.token.location)
            }
        }
    }

    /// Applies pending operators (the innermost first) to `operand` while `applies` says so, stopping at
    /// index `floor` (the operators outside an open parenthesis or call); returns the resulting node.
    private mutating func reduce(_ operand: Int, _ pending: inout [Pending], above floor: Int,
                                 while applies: (Pending) -> Bool) -> Int {
        var result = operand
        while pending.count > floor, let top = pending.last, applies(top) {
            pending.removeLast()
            if top.nests { depth -= 1 }
            switch top {
            case .binary(let s, let left, let location):
                result = tree.add(.binary(s, left, result), at: location)
            case .sign("+", _):
                break
            case .sign(_, let location):
                if let value = tree.number(result) {
                    result = tree.add(.number(-value), at: location)
                } else {
                    result = tree.add(.negate(result), at: location)
                }
            }
        }
        return result
    }
}
