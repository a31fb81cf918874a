/// Turning a computed graph (and its backward record) into trace data.
extension TraceNode {
    /// Every node of `graph` in creation order, with gradients and edge messages from `gradients` when
    /// given (which must come from the same graph).
    public static func nodes(of graph: Graph, gradients: Gradients? = nil) -> [TraceNode] {
        nodes(tape: graph.nodes, gradients: gradients)
    }

    /// The same from the graph's nodes (a value, which another thread may read).
    public static func nodes(tape: [Node], gradients: Gradients? = nil) -> [TraceNode] {
        tape.map { node in
            let gradient = gradients?[node.id]
            var edges: [EdgeGradient]?
            if node.operation != nil, gradient != nil, let gradients, node.id.index < gradients.edges.count,
               gradients.edges[node.id.index].count == node.inputs.count {
                edges = gradients.edges[node.id.index]
            }
            let attributes = node.operation?.attributes ?? []
            return TraceNode(name: node.name, kind: node.kind, operation: node.operation?.name,
                             attributes: NamedTensors(attributes.map { ($0.name, $0.value) }),
                             inputs: node.inputs.map { tape[$0.index].name }, value: node.value,
                             gradient: gradient, edges: edges)
        }
    }
}

extension TraceStep {
    /// A step recording every node of `graph`, and, given the backward record, every gradient and message;
    /// with `detailed` false only the loss, samples and parameters.
    public init(step: Int, graph: Graph, gradients: Gradients? = nil, samples: [Int]? = nil, loss: Double? = nil,
                params: NamedTensors = [:], grads: NamedTensors = [:], optimizer: TraceOptimizerState? = nil, detailed: Bool = true) {
        self.init(step: step, tape: graph.nodes, gradients: gradients, samples: samples, loss: loss, params: params, grads: grads,
                  optimizer: optimizer, detailed: detailed)
    }

    /// The same from the graph's nodes (a value, which another thread may read).
    public init(step: Int, tape: [Node], gradients: Gradients? = nil, samples: [Int]? = nil, loss: Double? = nil,
                params: NamedTensors = [:], grads: NamedTensors = [:], optimizer: TraceOptimizerState? = nil, detailed: Bool = true) {
        guard detailed else {
            self.init(step: step, samples: samples, loss: loss, nodes: nil, params: params)
            return
        }
        let output = gradients.flatMap { $0.output.index < tape.count ? tape[$0.output.index].name : nil }
        self.init(step: step, samples: samples, loss: loss, output: output, nodes: TraceNode.nodes(tape: tape, gradients: gradients),
                  params: params, grads: grads, optimizer: optimizer)
    }
}
