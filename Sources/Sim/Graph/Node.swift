/// The position of a node in its graph. Nodes are numbered in creation order, which is a topological
/// order: a node's inputs always have smaller ids. Ids never depend on memory addresses.
public struct NodeID: Hashable, Comparable, Sendable {
    public let index: Int

    public init(_ index: Int) { self.index = index }

    public static func < (a: NodeID, b: NodeID) -> Bool { a.index < b.index }
}

/// What a node is: a leaf (input, parameter, constant) or the result of an operation.
public enum NodeKind: String, Sendable, Hashable {
    /// A value given from outside and differentiated against (`a` in `L = c*(a+2*b)`).
    case input
    /// A trainable value an optimizer updates (a weight matrix).
    case parameter
    /// A fixed number or tensor (the targets of a loss, a literal in an expression).
    case constant
    /// The output of an operation.
    case operation
}

/// One recorded node: its name, what produced it, its inputs and its forward value.
public struct Node: Sendable {
    public let id: NodeID
    /// Unique within the graph: the user's name, or a generated one (`t1`, `k1`).
    public let name: String
    public let kind: NodeKind
    /// The operation that produced the node; nil for leaves.
    public let operation: (any Operation)?
    public let inputs: [NodeID]
    public let value: Tensor
}
