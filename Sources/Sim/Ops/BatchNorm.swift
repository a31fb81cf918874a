import Foundation

/// Batch normalization of a mini-batch (note 001; Ioffe and Szegedy, 2015): the inputs are the batch X
/// (m samples × n features, one row per sample), γ and β (n each); for each feature (column),
///
///     μ = (1/m) Σᵢ xᵢ                     mini-batch mean
///     σ² = (1/m) Σᵢ (xᵢ − μ)²             mini-batch variance
///     x̂ᵢ = (xᵢ − μ) / √(σ² + ε)           normalize
///     yᵢ = γ x̂ᵢ + β                       scale and shift
///
/// Backward, per feature with g = ∂L/∂y: ∂L/∂β = Σ gᵢ, ∂L/∂γ = Σ gᵢ x̂ᵢ and, since μ and σ² depend on every
/// xᵢ of the batch, ∂L/∂xᵢ = γ / (m √(σ² + ε)) · (m gᵢ − Σⱼ gⱼ − x̂ᵢ Σⱼ gⱼ x̂ⱼ). This is the training-time
/// layer; at test time the notes use a fixed mean and variance instead, which is an affine map.
public struct BatchNorm: Operation {
    public let epsilon: Double
    public init(epsilon: Double = 1e-5) { self.epsilon = epsilon }
    public var name: String { "batch_norm" }
    public var arity: Int { 3 }
    public var attributes: [OperationAttribute] { [OperationAttribute("epsilon", Tensor(epsilon))] }
    public var symbol: String { "BN" }
    public func notation(_ x: [String]) -> String { "BN(\(x[0]); \(x[1]), \(x[2]))" }
    public func rule(input: Int, arguments x: [String], upstream g: String) -> OperationRule {
        switch input {
        case 0: return .message("γ/(m√(σ² + ε))·(m·\(g) − Σ\(g) − x̂·Σ\(g)⊙x̂)")
        case 1: return .message("Σ \(g)⊙x̂ over the batch")
        default: return .message("Σ \(g) over the batch")
        }
    }

    /// Each feature's μ, σ² and the normalized batch x̂, as the forward pass computes them.
    public struct Statistics: Sendable, Hashable {
        public let mean: [Double]
        public let variance: [Double]
        public let normalized: Tensor
    }

    /// The batch's statistics; X must be a matrix of at least one row.
    public func statistics(_ x: Tensor) throws(ShapeError) -> Statistics {
        guard x.rank == 2, x.shape[0] >= 1 else { throw .incompatible(operation: name, shapes: [x.shape]) }
        let (m, n) = (x.shape[0], x.shape[1])
        let rows = x.rows
        var mean = [Double](repeating: 0, count: n), variance = [Double](repeating: 0, count: n)
        for k in 0..<n {
            mean[k] = rows.reduce(0) { $0 + $1[k] } / Double(m)
            variance[k] = rows.reduce(0) { $0 + ($1[k] - mean[k]) * ($1[k] - mean[k]) } / Double(m)
        }
        let normalized = rows.flatMap { row in (0..<n).map { k in (row[k] - mean[k]) / (variance[k] + epsilon).squareRoot() } }
        return Statistics(mean: mean, variance: variance, normalized: Tensor(checkedShape: x.shape, scalars: normalized))
    }

    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        let (x, gamma, beta) = (inputs[0], inputs[1], inputs[2])
        guard x.rank == 2, gamma.count == x.shape[1], beta.count == x.shape[1], gamma.rank <= 2, beta.rank <= 2 else {
            throw .incompatible(operation: name, shapes: inputs.map(\.shape))
        }
        let s = try statistics(x)
        let n = x.shape[1]
        let y = s.normalized.scalars.enumerated().map { i, v in gamma.scalars[i % n] * v + beta.scalars[i % n] }
        return Tensor(checkedShape: x.shape, scalars: y)
    }

    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let (x, gamma, beta) = (inputs[0], inputs[1], inputs[2])
        let (m, n) = (x.shape[0], x.shape[1])
        guard let s = try? statistics(x) else { return inputs.map { EdgeGradient(local: nil, message: $0.map { _ in .nan }) } }
        let xhat = s.normalized.scalars, g = upstream.scalars
        var dx = [Double](repeating: 0, count: x.count), dgamma = [Double](repeating: 0, count: n), dbeta = [Double](repeating: 0, count: n)
        for k in 0..<n {
            let column = (0..<m).map { $0 * n + k }
            let sumG = column.reduce(0) { $0 + g[$1] }
            let sumGX = column.reduce(0) { $0 + g[$1] * xhat[$1] }
            dbeta[k] = sumG
            dgamma[k] = sumGX
            let factor = gamma.scalars[k] / (Double(m) * (s.variance[k] + epsilon).squareRoot())
            for i in column { dx[i] = factor * (Double(m) * g[i] - sumG - xhat[i] * sumGX) }
        }
        return [EdgeGradient(local: nil, message: Tensor(checkedShape: x.shape, scalars: dx)),
                EdgeGradient(local: nil, message: Tensor(checkedShape: gamma.shape, scalars: dgamma)),
                EdgeGradient(local: nil, message: Tensor(checkedShape: beta.shape, scalars: dbeta))]
    }
}
