/// The backward pass: reverse-mode differentiation over the tape, with every message recorded.
extension Graph {
    /// Differentiates the scalar `output` with respect to every node it depends on.
    ///
    /// Each call starts from zero and returns a fresh record, so running it twice gives the same numbers
    /// (never doubled gradients). It walks the tape in reverse creation order, a topological order, in a
    /// loop: graphs of any depth work without recursion.
    ///
    /// `substituting` replaces recorded forward values in the local derivatives: the gradients that follow
    /// from someone else's forward values (an assignment checker crediting a student's backward pass that
    /// was right for their own, wrong, forward values).
    public func backward(from output: Var, substituting values: [NodeID: Tensor] = [:]) throws(GraphError) -> Gradients {
        let outputNode = self[output.id]
        guard outputNode.value.count == 1 else {
            throw .nonScalarOutput(name: outputNode.name, shape: outputNode.value.shape)
        }
        let last = output.id.index

        // 1. Which nodes the output depends on.
        var needed = Array(repeating: false, count: last + 1)
        needed[last] = true
        for index in stride(from: last, through: 0, by: -1) where needed[index] {
            for input in nodes[index].inputs { needed[input.index] = true }
        }

        // 2. Local backwards in reverse order; a node's gradient is complete when it is reached because all
        //    its consumers come later on the tape. Messages into a shared input add up (the sum rule).
        var grads = [Tensor?](repeating: nil, count: nodes.count)
        var edges = [[EdgeGradient]](repeating: [], count: nodes.count)
        var order: [NodeID] = []
        grads[last] = outputNode.value.map { _ in 1 }
        for index in stride(from: last, through: 0, by: -1) where needed[index] {
            let node = nodes[index]
            let upstream = grads[index] ?? node.value.map { _ in 0 }
            grads[index] = upstream
            order.append(node.id)
            guard let operation = node.operation else { continue }
            let inputValues = node.inputs.map { values[$0] ?? nodes[$0.index].value }
            let sent = operation.backward(inputs: inputValues, output: values[node.id] ?? node.value, upstream: upstream)
            edges[index] = sent
            for (input, edge) in zip(node.inputs, sent) {
                if let current = grads[input.index] {
                    grads[input.index] = Tensor(checkedShape: current.shape,
                                                scalars: zip(current.scalars, edge.message.scalars).map(+))
                } else {
                    grads[input.index] = edge.message
                }
            }
        }
        return Gradients(output: output.id, gradients: grads, edges: edges, order: order)
    }
}

/// The record of one backward pass.
public struct Gradients: Sendable {
    /// The node that was differentiated.
    public let output: NodeID
    /// ∂output/∂node for each node the output depends on; nil for the others. Indexed by node id.
    public let gradients: [Tensor?]
    /// For each node, what it sent back along each of its input edges, aligned with `Node.inputs`.
    public let edges: [[EdgeGradient]]
    /// The nodes in the order the backward pass handled them, the output first.
    public let order: [NodeID]

    /// ∂output/∂node, or nil when the output does not depend on the node.
    public subscript(id: NodeID) -> Tensor? {
        id.index < gradients.count ? gradients[id.index] : nil
    }

    /// ∂output/∂leaf for every input and parameter, in graph order: 0 (in the leaf's shape) for a leaf
    /// the output does not depend on, so that every leaf has its gradient.
    public func ofLeaves(in graph: Graph) -> [(name: String, value: Tensor)] { ofLeaves(tape: graph.nodes) }

    /// The same from the graph's nodes (a value, which another thread may read).
    public func ofLeaves(tape: [Node]) -> [(name: String, value: Tensor)] {
        tape.compactMap { node in
            guard node.kind == .input || node.kind == .parameter else { return nil }
            return (node.name, self[node.id] ?? node.value.map { _ in 0 })
        }
    }

    /// What `consumer` sent back along its `input`-th edge.
    public func edge(from consumer: NodeID, input: Int) -> EdgeGradient? {
        guard consumer.index < edges.count, input < edges[consumer.index].count else { return nil }
        return edges[consumer.index][input]
    }
}
