/// A define-by-run computational graph: a tape of nodes, each recorded as it is computed.
///
/// Build it through `Var` handles (`let d = 2 * b`), then call `backward(from:)` for the gradients of a
/// scalar output with every intermediate message recorded.
public final class Graph {
    public private(set) var nodes: [Node] = []
    private var ids: [String: NodeID] = [:]
    private var generated = (operations: 0, constants: 0)

    public init() {}

    /// The node with this name, if any.
    public func node(named name: String) -> Node? {
        ids[name].map { nodes[$0.index] }
    }

    /// Whether a node has this name (without copying the node, as `node(named:)` does).
    public func hasNode(named name: String) -> Bool { ids[name] != nil }

    /// Inlinable: a caller in another module reads one field (`graph[id].kind`) without copying the
    /// whole node (a 10,000-node walkthrough spent a tenth of its time copying nodes).
    @inlinable public subscript(id: NodeID) -> Node { nodes[id.index] }

    /// A leaf given from outside (differentiated against, not trained).
    public func input(_ name: String, _ value: Tensor) throws(GraphError) -> Var {
        try add(name: name, kind: .input, operation: nil, inputs: [], value: value)
    }

    /// A trainable leaf.
    public func parameter(_ name: String, _ value: Tensor) throws(GraphError) -> Var {
        try add(name: name, kind: .parameter, operation: nil, inputs: [], value: value)
    }

    /// A fixed value; unnamed constants are called `k1`, `k2`, … in creation order.
    public func constant(_ value: Tensor, name: String? = nil) throws(GraphError) -> Var {
        try add(name: name ?? nextName(prefix: "k", counter: &generated.constants),
                kind: .constant, operation: nil, inputs: [], value: value)
    }

    /// Applies an operation; unnamed results are called `t1`, `t2`, … in creation order.
    public func apply(_ operation: any Operation, _ inputs: [Var], name: String? = nil) throws(GraphError) -> Var {
        guard inputs.count == operation.arity else {
            throw .wrongArity(operation: operation.name, expected: operation.arity, got: inputs.count)
        }
        guard inputs.allSatisfy({ $0.graph === self }) else { throw .foreignNode(operation: operation.name) }
        let value: Tensor
        do {
            value = try operation.forward(inputs.map { nodes[$0.id.index].value })
        } catch {
            throw .shape(error)
        }
        return try add(name: name ?? nextName(prefix: "t", counter: &generated.operations),
                       kind: .operation, operation: operation, inputs: inputs.map(\.id), value: value)
    }

    private func nextName(prefix: String, counter: inout Int) -> String {
        repeat { counter += 1 } while ids["\(prefix)\(counter)"] != nil
        return "\(prefix)\(counter)"
    }

    private func add(name: String, kind: NodeKind, operation: (any Operation)?, inputs: [NodeID],
                     value: Tensor) throws(GraphError) -> Var {
        guard !name.isEmpty else { throw .emptyName }
        let id = NodeID(nodes.count)
        // One hash of the name: insert, and put the old id back if the name was taken.
        if let taken = ids.updateValue(id, forKey: name) {
            ids[name] = taken
            throw .duplicateName(name)
        }
        nodes.append(Node(id: id, name: name, kind: kind, operation: operation, inputs: inputs, value: value))
        return Var(graph: self, id: id)
    }
}

/// Why a node could not be added to a graph or differentiated.
public enum GraphError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyName
    case duplicateName(String)
    case wrongArity(operation: String, expected: Int, got: Int)
    case foreignNode(operation: String)
    case shape(ShapeError)
    case nonScalarOutput(name: String, shape: [Int])

    public var description: String {
        switch self {
        case .emptyName: return "a node needs a non-empty name"
        case .duplicateName(let n): return "the name '\(n)' is used twice"
        case .wrongArity(let op, let e, let g): return "\(op) takes \(e) input\(e == 1 ? "" : "s"), got \(g)"
        case .foreignNode(let op): return "\(op) was given a node from another graph"
        case .shape(let e): return e.description
        case .nonScalarOutput(let n, let s):
            return "backward needs a scalar output, '\(n)' has shape \(s.map(String.init).joined(separator: "×"))"
        }
    }
}
