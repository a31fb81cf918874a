/// A handle to a node while a graph is being built, with the arithmetic operators defined on it.
///
/// The operators are for code whose shapes are right by construction (the lessons); they stop the
/// program on a shape mismatch. Untrusted input goes through `Graph.apply`, which throws.
public struct Var {
    public let graph: Graph
    public let id: NodeID

    public var node: Node { graph[id] }
    public var value: Tensor { node.value }
    public var name: String { node.name }

    /// Applies `operation` to these inputs in this handle's graph, stopping on a shape mismatch.
    static func build(_ operation: any Operation, _ inputs: [Var]) -> Var {
        do {
            return try inputs[0].graph.apply(operation, inputs)
        } catch {
            preconditionFailure("\(operation.name): \(error)")
        }
    }
}
