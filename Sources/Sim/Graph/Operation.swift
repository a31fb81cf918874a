/// One kind of graph operation: its forward computation and its local backward, side by side.
///
/// Every operation follows the same beats (as in micrograd): compute the output from the inputs, and,
/// given the upstream gradient ∂L/∂output, say for each input edge the local derivative and the message
/// ∂L/∂input it sends back. The graph records both.
public protocol Operation: Sendable {
    /// Stable identifier written to traces: `add`, `mul`, `tanh`, `leaky_relu`.
    var name: String { get }
    /// How many inputs the operation takes.
    var arity: Int { get }
    /// Settings of the operation (α of leaky ReLU, the exponent of pow, a dropout mask), in a fixed order.
    var attributes: [OperationAttribute] { get }

    /// The output for these inputs; throws when their shapes do not fit.
    func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor

    /// For each input, in order: the local derivative (where it is a tensor of the output's shape, as for
    /// elementwise operations; nil otherwise) and the message ∂L/∂input (of the input's shape).
    func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient]

    /// The operation applied to argument texts, as a formula: `a + d`, `2·b`, `tanh(x)`.
    func notation(_ arguments: [String]) -> String

    /// What a graph figure draws in the operation's circle: `+`, `σ`, `·`, `×2`.
    var symbol: String { get }

    /// The local derivative ∂output/∂input for input `input`, written as mathematics of the argument
    /// texts (`σ′(z) = σ(z)(1 − σ(z))`, `1/b`), or, where it is a Jacobian better written as a product,
    /// the whole message in terms of `upstream` (`hᵀ·∂L/∂z2`). `.none` when the operation has no written rule.
    func rule(input: Int, arguments: [String], upstream: String) -> OperationRule
}

/// An operation's local derivative as the walkthrough and the stepper write it.
public enum OperationRule: Sendable, Hashable {
    /// The local derivative, a formula of the arguments: `σ′(z) = σ(z)(1 − σ(z))`.
    case local(String)
    /// The whole message sent back, upstream included: `∂L/∂z·Wᵀ`.
    case message(String)
    case none
}

extension Operation {
    public var attributes: [OperationAttribute] { [] }

    /// The trace name by default.
    public var symbol: String { name }

    public func rule(input: Int, arguments: [String], upstream: String) -> OperationRule { .none }

    /// Function notation by default: `softmax(x)`, `max(a, b)`.
    public func notation(_ arguments: [String]) -> String { "\(name)(\(arguments.joined(separator: ", ")))" }
}

/// A named setting of an operation.
public struct OperationAttribute: Sendable, Hashable {
    public let name: String
    public let value: Tensor

    public init(_ name: String, _ value: Tensor) {
        self.name = name
        self.value = value
    }
}

/// What flows back along one edge (consumer → input) in the backward pass.
public struct EdgeGradient: Sendable, Hashable {
    /// ∂output/∂input entry by entry, where that is a tensor of the output's shape (elementwise and scalar
    /// operations); nil where the local derivative is a Jacobian better described by its rule (matmul).
    public let local: Tensor?
    /// ∂L/∂input contributed by this edge: upstream times local, reduced to the input's shape.
    public let message: Tensor

    public init(local: Tensor?, message: Tensor) {
        self.local = local
        self.message = message
    }
}
