/// The syntax of an expression program, kept flat: nodes live in one array and refer to their children
/// by index. Children always come before their parent, so the tree is walked and freed in loops, never
/// by recursion, however long a chain like `a+a+…+a` is.
struct SyntaxTree: Sendable {
    enum Kind: Sendable {
        case number(Double)
        case variable(String)
        case negate(Int)
        case binary(Character, Int, Int)
        case call(String, [Int])
    }

    struct Node: Sendable {
        let kind: Kind
        let location: SourceLocation
    }

    private(set) var nodes: [Node] = []

    mutating func add(_ kind: Kind, at location: SourceLocation) -> Int {
        nodes.append(Node(kind: kind, location: location))
        return nodes.count - 1
    }

    subscript(index: Int) -> Node { nodes[index] }

    /// The literal value of node `index`, if it is a number.
    func number(_ index: Int) -> Double? {
        if case .number(let value) = nodes[index].kind { return value }
        return nil
    }
}

/// One `name = expression` statement; `root` indexes the tree.
struct Statement: Sendable {
    let target: String
    let targetLocation: SourceLocation
    let root: Int
}
