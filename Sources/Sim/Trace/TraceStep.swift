/// One step of a run: its loss and parameters always; in full detail also the graph as it was computed,
/// its backward pass and the optimizer's state.
public struct TraceStep: Sendable, Hashable {
    /// The iteration's number within its run (lessons count from 1; `nnsim graph`'s one pass is 0).
    public var step: Int
    /// The indices of the data set's samples this step used, where it used some.
    public var samples: [Int]?
    /// The loss the update followed (the samples' loss), when the step trained something.
    public var loss: Double?
    /// The name of the node that was differentiated, when backward ran and the step is in full detail.
    public var output: String?
    /// Every node of the graph in creation order (a topological order); nil when the step is recorded
    /// without detail (TraceDetail).
    public var nodes: [TraceNode]?
    /// Every parameter after this step's update.
    public var params: NamedTensors
    /// The gradients the update used (steps in full detail).
    public var grads: NamedTensors
    /// The optimizer's state after the update, when there is an optimizer (steps in full detail).
    public var optimizer: TraceOptimizerState?

    public init(step: Int, samples: [Int]? = nil, loss: Double? = nil, output: String? = nil, nodes: [TraceNode]?,
                params: NamedTensors = [:], grads: NamedTensors = [:], optimizer: TraceOptimizerState? = nil) {
        self.step = step
        self.samples = samples
        self.loss = loss
        self.output = output
        self.nodes = nodes
        self.params = params
        self.grads = grads
        self.optimizer = optimizer
    }

    /// Whether the step carries the graph.
    public var isDetailed: Bool { nodes != nil }
}

/// One node of a recorded graph.
public struct TraceNode: Sendable, Hashable {
    public var name: String
    public var kind: NodeKind
    /// The operation's trace name (`add`, `scale`, `matmul`); nil for leaves.
    public var operation: String?
    /// The operation's settings (`factor` of scale, `alpha`, a dropout `mask`), in its order.
    public var attributes: NamedTensors
    /// The names of the input nodes, in order.
    public var inputs: [String]
    public var value: Tensor
    /// ∂output/∂node; nil before backward or when the output does not depend on the node.
    public var gradient: Tensor?
    /// What the node sent back along each input edge, aligned with `inputs`; nil for leaves and for
    /// operations the backward pass did not reach.
    public var edges: [EdgeGradient]?

    public init(name: String, kind: NodeKind, operation: String? = nil, attributes: NamedTensors = [:],
                inputs: [String] = [], value: Tensor, gradient: Tensor? = nil, edges: [EdgeGradient]? = nil) {
        self.name = name
        self.kind = kind
        self.operation = operation
        self.attributes = attributes
        self.inputs = inputs
        self.value = value
        self.gradient = gradient
        self.edges = edges
    }
}

/// An optimizer's state, as the optimizer names it: tensors (velocities, moment estimates) and scalars
/// (the step count t, running products).
public struct TraceOptimizerState: Sendable, Hashable {
    public var tensors: NamedTensors
    public var scalars: NamedValues<Double>

    public init(tensors: NamedTensors = [:], scalars: NamedValues<Double> = [:]) {
        self.tensors = tensors
        self.scalars = scalars
    }
}
