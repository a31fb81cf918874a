import Foundation

/// Limits that keep hostile or accidental input from exhausting time or stack.
public enum ExpressionLimits {
    /// Longest accepted source, in characters.
    public static let maxLength = 100_000
    /// Deepest accepted nesting of parentheses, function calls, unary signs and `^` chains, counted
    /// together. The parser keeps its own stack, so this bounds what a program may ask of a reader (and of
    /// a figure), not of the call stack.
    public static let maxNesting = 256
}

/// A parsed expression program: statements `name = expression`, the last one's target being the output.
///
/// The inputs are the names used without being assigned first; they need values to build the graph.
public struct ExpressionProgram: Sendable {
    /// The source as given.
    public let source: String
    /// Statement targets in order; the last is the output.
    public let targets: [String]
    /// Input names in order of first use.
    public let inputs: [String]
    let statements: [Statement]
    let tree: SyntaxTree
    private let inputLocations: [String: SourceLocation]

    /// The functions the language knows, with their argument counts (Operations.functions).
    public static let functions: [String: Int] = Operations.functions.mapValues(\.arity)

    public init(_ source: String) throws(ExpressionError) {
        guard source.count <= ExpressionLimits.maxLength else {
            throw ExpressionError("the expression is \(source.count) characters long; the limit is \(ExpressionLimits.maxLength)")
        }
        guard !source.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            throw ExpressionError("the expression is empty")
        }
        let multiline = Lexer.isMultiline(source)
        var parser = Parser(tokens: try Lexer.tokens(source), multiline: multiline)
        let statements = try parser.program()

        // Names, statement by statement in source order: an input is used before any assignment; a target
        // is assigned once, and never after being used as an input.
        let tree = parser.tree
        var assigned = Set<String>(), inputs: [String] = [], inputLocations: [String: SourceLocation] = [:]
        func error(_ message: String, _ location: SourceLocation) -> ExpressionError {
            ExpressionError(message, at: location, multiline: multiline)
        }
        for statement in statements {
            for index in Self.reachable(from: statement.root, in: tree) {
                let node = tree[index]
                switch node.kind {
                case .variable(let name):
                    if !assigned.contains(name), inputLocations[name] == nil {
                        inputs.append(name)
                        inputLocations[name] = node.location
                    }
                case .call(let name, let arguments):
                    guard let arity = Self.functions[name] else {
                        throw error("unknown function '\(name)'", node.location)
                    }
                    guard arguments.count == arity else {
                        throw error("'\(name)' takes \(arity) argument\(arity == 1 ? "" : "s"), got \(arguments.count)",
                                    node.location)
                    }
                default: break
                }
            }
            if assigned.contains(statement.target) {
                throw error("'\(statement.target)' is assigned twice", statement.targetLocation)
            }
            if inputLocations[statement.target] != nil {
                throw error("'\(statement.target)' is assigned after being used as an input", statement.targetLocation)
            }
            assigned.insert(statement.target)
        }
        self.tree = tree
        self.source = source
        self.statements = statements
        self.targets = statements.map(\.target)
        self.inputs = inputs
        self.inputLocations = inputLocations
    }

    /// The output's name: the last statement's target.
    public var output: String { targets[targets.count - 1] }

    /// Builds the graph at the given input values (every input needs one; no extra names allowed),
    /// runs forward, and returns the graph with its output. Input nodes are created in the order the
    /// values are given (`--at a=…,b=…`), so a lecturer controls the order they are listed and drawn in.
    public func build(at assignments: [(name: String, value: Double)]) throws(ExpressionError) -> (graph: Graph, output: Var) {
        try build(at: assignments.map { (name: $0.name, value: Tensor($0.value)) })
    }

    /// `build(at:)` with vectors and matrices among the values (`--at x=[1,-1]`).
    public func build(at assignments: [(name: String, value: Tensor)]) throws(ExpressionError) -> (graph: Graph, output: Var) {
        var values: [String: Tensor] = [:]
        for (name, value) in assignments {
            guard values[name] == nil else { throw ExpressionError("--at gives '\(name)' twice") }
            values[name] = value
        }
        for name in inputs where values[name] == nil {
            throw ExpressionError("no value for '\(name)': give it with --at \(name)=…")
        }
        let known = Set(inputs)
        if let extra = values.keys.sorted().first(where: { !known.contains($0) }) {
            // `x^T` is a transpose, so a T meant as an exponent is not an input.
            let hint = extra == "T" ? " (x^T is the transpose of x; write x^(T) for a power)" : ""
            throw ExpressionError("--at gives '\(extra)', which the expression does not use as an input" + hint)
        }
        let graph = Graph()
        var variables: [String: Var] = [:]
        do {
            for (name, value) in assignments { variables[name] = try graph.input(name, value) }
        } catch {
            throw ExpressionError("could not build the graph: \(error)")
        }
        return (graph, try build(on: graph, inputs: variables))
    }

    /// Adds the program's statements to `graph`, reading each input from `inputs` (nodes the caller made,
    /// as a gradient check does), and returns the last statement's node.
    public func build(on graph: Graph, inputs: [String: Var]) throws(ExpressionError) -> Var {
        var variables = inputs
        do {
            // Reserve the statements' names so generated names (t1, k1) never take one of them.
            var builder = GraphBuilder(graph: graph, tree: tree, reserved: Set(targets).union(self.inputs),
                                       multiline: Lexer.isMultiline(source))
            var last: Var?
            for statement in statements {
                let result = try builder.build(statement.root, name: statement.target, variables: variables)
                variables[statement.target] = result
                last = result
            }
            guard let last else { throw ExpressionError("the expression is empty") }
            return last
        } catch let error as ExpressionError {
            throw error
        } catch {
            throw ExpressionError("could not build the graph: \(error)")
        }
    }

    /// Parses `a=3,b=1,c=-2` (values as NumberText reads them: decimal or scientific, `−` for minus).
    public static func parseValues(_ text: String) throws(ExpressionError) -> [(name: String, value: Double)] {
        var values: [(name: String, value: Double)] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw ExpressionError("--at has an empty item in '\(text)'") }
            let parts = trimmed.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ExpressionError("--at item '\(trimmed)' is not name=value") }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard let value = NumberText.parse(parts[1].trimmingCharacters(in: .whitespaces)) else {
                throw ExpressionError("--at value '\(parts[1])' for '\(name)' is not a finite decimal number (such as 3, -2.5 or 1e-3)")
            }
            guard !name.isEmpty else { throw ExpressionError("--at item '\(trimmed)' has no name") }
            values.append((name, value))
        }
        return values
    }
}

extension ExpressionProgram {
    /// The nodes under `root` that become graph nodes, in ascending order (children first). A literal
    /// factor of `k·x` or exponent of `x^k` is folded into its operation and not listed.
    static func reachable(from root: Int, in tree: SyntaxTree) -> [Int] {
        // A walk down from the root with a stack, then sorted: a statement's nodes are few, and a set of
        // them (hashing every index) was a sixth of building a 10,000-node program.
        var found: [Int] = []
        var pending = [root]
        while let index = pending.popLast() {
            found.append(index)
            switch tree[index].kind {
            case .number, .variable: break
            case .negate(let inner): pending.append(inner)
            case .binary("*", let a, let b) where tree.number(a) != nil || tree.number(b) != nil:
                pending.append(tree.number(a) != nil ? b : a)
            case .binary("^", let a, let b) where tree.number(b) != nil:
                pending.append(a)
            case .binary(_, let a, let b): pending.append(a); pending.append(b)
            case .call(_, let arguments): pending.append(contentsOf: arguments)
            }
        }
        found.sort()
        // A syntax tree shares no node, but a node reached twice is still listed once.
        var unique: [Int] = []
        unique.reserveCapacity(found.count)
        for index in found where unique.last != index { unique.append(index) }
        return unique
    }
}

/// Turns syntax into graph nodes: `k·expr` becomes one Scale node, `expr^k` one PowerByConstant node,
/// other literals constant nodes. The statement's root node takes the statement's name.
private struct GraphBuilder {
    let graph: Graph
    let tree: SyntaxTree
    let reserved: Set<String>
    /// Whether locations in messages name the line too.
    let multiline: Bool
    private var generated = (operations: 0, constants: 0)

    init(graph: Graph, tree: SyntaxTree, reserved: Set<String>, multiline: Bool) {
        self.graph = graph
        self.tree = tree
        self.reserved = reserved
        self.multiline = multiline
    }

    private mutating func fresh(_ prefix: String) -> String {
        var name: String
        repeat {
            if prefix == "t" { generated.operations += 1 } else { generated.constants += 1 }
            name = "\(prefix)\(prefix == "t" ? generated.operations : generated.constants)"
        } while reserved.contains(name) || graph.hasNode(named: name)
        return name
    }

    /// Builds every node under `root` in a loop, children first; the root gets `name`.
    mutating func build(_ root: Int, name: String, variables: [String: Var]) throws -> Var {
        let reachable = ExpressionProgram.reachable(from: root, in: tree)
        var built = [Int: Var](minimumCapacity: reachable.count)
        for index in reachable {
            let nodeName = index == root ? name : nil
            func apply(_ operation: any Operation, _ inputs: [Int]) throws -> Var {
                let arguments = inputs.compactMap { built[$0] }
                do {
                    return try graph.apply(operation, arguments, name: nodeName ?? fresh("t"))
                } catch {
                    // (A `catch .shape(let problem)` clause crashed the Swift 6.3.1 compiler.)
                    guard case .shape(let problem) = error else { throw error }
                    throw shapeError(problem, operation, inputs, arguments.map(\.value), at: index)
                }
            }
            let result: Var
            switch tree[index].kind {
            case .number(let value):
                result = try graph.constant(Tensor(value), name: nodeName ?? fresh("k"))
            case .variable(let variable):
                guard let node = variables[variable] else { throw ExpressionError("unknown name '\(variable)'") }
                // `y = x` still makes a node named y, so every statement has its own node.
                result = nodeName == nil ? node : try graph.apply(Scale(1), [node], name: name)
            case .negate(let inner):
                result = try apply(Negate(), [inner])
            case .binary("*", let a, let b) where tree.number(a) != nil || tree.number(b) != nil:
                let (factor, other) = tree.number(a).map { ($0, b) } ?? (tree.number(b) ?? 1, a)
                result = try apply(Scale(factor), [other])
            case .binary("^", let a, let b) where tree.number(b) != nil:
                result = try apply(PowerByConstant(tree.number(b) ?? 1), [a])
            case .binary(let symbol, let a, let b):
                let operation: any Operation
                switch symbol {
                case "+": operation = Add()
                case "-": operation = Subtract()
                case "*": operation = Multiply()
                case "/": operation = Divide()
                case "@": operation = MatMul()
                default: operation = Power()
                }
                result = try apply(operation, [a, b])
            case .call(let function, let arguments):
                // The parser checked the name and the argument count against the same table.
                guard let operation = Operations.functions[function] else { throw ExpressionError("unknown function '\(function)'") }
                result = try apply(operation, arguments)
            }
            built[index] = result
        }
        guard let result = built[root] else { throw ExpressionError("could not build '\(name)'") }
        return result
    }

    /// Shapes that do not fit, said with both shapes, what the operation needs, and where in the program:
    /// `'@' cannot combine shapes 2×3 (W) and 2 (x): W has 3 columns, x has 2 rows at column 7`.
    private func shapeError(_ problem: ShapeError, _ operation: any Operation, _ syntax: [Int], _ values: [Tensor],
                            at index: Int) -> ExpressionError {
        let node = tree[index]
        let names = syntax.enumerated().map { i, child -> String in
            if case .variable(let name) = tree[child].kind { return name }
            if syntax.count == 1 { return "its argument" }
            if case .call = node.kind { return i == 0 ? "the first argument" : "the second argument" }
            return i == 0 ? "the left side" : "the right side"
        }
        let written: String
        switch node.kind {
        case .binary(let symbol, _, _): written = "'\(symbol)'"
        case .call(let function, _): written = "'\(function)'"
        default: written = "'\(operation.name)'"
        }
        let shapes = zip(values, names).map { "\($0.shapeDescription) (\($1))" }
        let message: String
        switch operation.name {
        case _ where values.count == 1:
            message = values[0].rank == 0 ? "\(written) needs a vector or matrix; \(names[0]) is a scalar" : "\(written): \(problem)"
        case "matmul":
            let (a, b) = (values[0], values[1])
            let why = a.rank == 0 || b.rank == 0
                ? "a matrix product needs a vector or matrix on both sides (use * to scale)"
                : "\(names[0]) has \(a.shape[a.rank - 1]) column\(a.shape[a.rank - 1] == 1 ? "" : "s"), \(names[1]) has \(b.shape[0]) row\(b.shape[0] == 1 ? "" : "s")"
            message = "\(written) cannot combine shapes \(shapes[0]) and \(shapes[1]): \(why)"
        case "softmax_cross_entropy":
            message = "\(written) cannot combine shapes \(shapes[0]) and \(shapes[1]): the target is one-hot (or a distribution), the same shape as the scores"
        default:
            message = "\(written) cannot combine shapes \(shapes[0]) and \(shapes[1]): they do not broadcast (aligned on the right, each extent must be equal or 1)"
        }
        return ExpressionError(message, at: node.location, multiline: multiline)
    }
}
