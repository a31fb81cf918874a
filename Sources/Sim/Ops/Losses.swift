import Foundation

/// Losses take (prediction, target) of the same shape and return a scalar. Targets are usually
/// constants, but they get their true gradient too (except the hinge's, whose target only selects a class).
private func sameShape(_ name: String, _ inputs: [Tensor]) throws(ShapeError) {
    guard inputs[0].shape == inputs[1].shape else {
        throw .incompatible(operation: name, shapes: [inputs[0].shape, inputs[1].shape])
    }
}

/// Scales a per-entry derivative by the scalar upstream gradient.
private func message(_ shape: [Int], _ upstream: Tensor, _ values: [Double]) -> Tensor {
    let g = upstream.onlyScalar
    return Tensor(checkedShape: shape, scalars: values.map { $0 * g })
}

/// ½ Σ (y − t)², the loss of notes 001 and 004 ("target output − network output"): ∂/∂y = y − t.
public struct SquaredError: Operation {
    public init() {}
    public var name: String { "squared_error" }
    public var arity: Int { 2 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        try sameShape(name, inputs)
        return Tensor(0.5 * zip(inputs[0].scalars, inputs[1].scalars).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) })
    }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let residual = zip(inputs[0].scalars, inputs[1].scalars).map { $0 - $1 }
        return [EdgeGradient(local: nil, message: message(inputs[0].shape, upstream, residual)),
                EdgeGradient(local: nil, message: message(inputs[1].shape, upstream, residual.map { -$0 }))]
    }
    public func notation(_ x: [String]) -> String { "½Σ(\(x[0]) − \(x[1]))²" }
    public var symbol: String { "½Σ(·)²" }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule {
        .message(input == 0 ? "\(upstream) · (\(x[0]) − \(x[1]))" : "\(upstream) · (−(\(x[0]) − \(x[1])))")
    }
}

/// (1/N) Σ (y − t)² over all N entries: ∂/∂y = 2(y − t)/N.
public struct MeanSquaredError: Operation {
    public init() {}
    public var name: String { "mse" }
    public var arity: Int { 2 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        try sameShape(name, inputs)
        let n = Double(max(inputs[0].count, 1))
        return Tensor(zip(inputs[0].scalars, inputs[1].scalars).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / n)
    }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let n = Double(max(inputs[0].count, 1))
        let d = zip(inputs[0].scalars, inputs[1].scalars).map { 2 * ($0 - $1) / n }
        return [EdgeGradient(local: nil, message: message(inputs[0].shape, upstream, d)),
                EdgeGradient(local: nil, message: message(inputs[1].shape, upstream, d.map { -$0 }))]
    }
    public func notation(_ x: [String]) -> String { "mean((\(x[0]) − \(x[1]))²)" }
    public var symbol: String { "MSE" }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule {
        .message(input == 0 ? "\(upstream) · 2(\(x[0]) − \(x[1]))/n" : "\(upstream) · (−2(\(x[0]) − \(x[1]))/n)")
    }
}

/// Binary cross-entropy on probabilities, summed over entries: −Σ [t ln p + (1 − t) ln(1 − p)].
/// p = 0 or 1 with the wrong target gives inf, as the formula does; use the logits form for stability.
public struct BinaryCrossEntropy: Operation {
    public init() {}
    public var name: String { "binary_cross_entropy" }
    public var arity: Int { 2 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        try sameShape(name, inputs)
        return Tensor(-zip(inputs[0].scalars, inputs[1].scalars).reduce(0) { sum, pt in
            let (p, t) = pt
            return sum + (t == 0 ? 0 : t * log(p)) + (t == 1 ? 0 : (1 - t) * log1p(-p))
        })
    }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let pt = Array(zip(inputs[0].scalars, inputs[1].scalars))
        return [EdgeGradient(local: nil, message: message(inputs[0].shape, upstream, pt.map { p, t in -t / p + (1 - t) / (1 - p) })),
                EdgeGradient(local: nil, message: message(inputs[1].shape, upstream, pt.map { p, _ in log1p(-p) - log(p) }))]
    }
    public func notation(_ x: [String]) -> String { "BCE(\(x[0]), \(x[1]))" }
    public var symbol: String { "BCE" }
}

/// Binary cross-entropy on logits z (p = σ(z)), summed: Σ [softplus(z) − t·z], finite at z = ±1000.
/// ∂/∂z = σ(z) − t, ∂/∂t = −z.
public struct BinaryCrossEntropyWithLogits: Operation {
    public init() {}
    public var name: String { "binary_cross_entropy_logits" }
    public var arity: Int { 2 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        try sameShape(name, inputs)
        return Tensor(zip(inputs[0].scalars, inputs[1].scalars).reduce(0) { $0 + Softplus.of($1.0) - $1.1 * $1.0 })
    }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let sigmoid = Sigmoid()
        return [EdgeGradient(local: nil, message: message(inputs[0].shape, upstream,
                                                          zip(inputs[0].scalars, inputs[1].scalars).map { sigmoid.value($0) - $1 })),
                EdgeGradient(local: nil, message: message(inputs[1].shape, upstream, inputs[0].scalars.map { -$0 }))]
    }
    public func notation(_ x: [String]) -> String { "BCE(σ(\(x[0])), \(x[1]))" }
    public var symbol: String { "BCE" }
}

/// Softmax cross-entropy on logits with one-hot (or probability) targets, over the last axis:
/// per row −Σⱼ tⱼ ln softmax(z)ⱼ = Σⱼ tⱼ (lse(z) − zⱼ), averaged over rows. Stable (log-sum-exp).
/// ∂/∂z = (softmax(z)·Σt − t)/R, ∂/∂t = (lse(z) − z)/R for R rows.
public struct SoftmaxCrossEntropy: Operation {
    public init() {}
    public var name: String { "softmax_cross_entropy" }
    public var arity: Int { 2 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        try sameShape(name, inputs)
        guard inputs[0].rank >= 1 else { throw .incompatible(operation: name, shapes: [inputs[0].shape]) }
        let rows = zip(inputs[0].lastAxisRows, inputs[1].lastAxisRows)
        let total = rows.reduce(0.0) { sum, row in
            let lse = Tensor.logSumExp(row.0)
            return sum + zip(row.0, row.1).reduce(0) { $0 + ($1.1 == 0 ? 0 : $1.1 * (lse - $1.0)) }
        }
        return Tensor(total / Double(inputs[0].lastAxisRows.count))
    }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let rows = Array(zip(inputs[0].lastAxisRows, inputs[1].lastAxisRows))
        let r = Double(rows.count)
        let dz = rows.flatMap { z, t in
            let mass = t.reduce(0, +)
            return zip(Tensor.softmax(z), t).map { ($0 * mass - $1) / r }
        }
        let dt = rows.flatMap { z, _ in
            let lse = Tensor.logSumExp(z)
            return z.map { (lse - $0) / r }
        }
        return [EdgeGradient(local: nil, message: message(inputs[0].shape, upstream, dz)),
                EdgeGradient(local: nil, message: message(inputs[1].shape, upstream, dt))]
    }
    public func notation(_ x: [String]) -> String { "CE(softmax(\(x[0])), \(x[1]))" }
    public var symbol: String { "CE" }
    /// N is the number of rows (1 for a vector): the loss is their mean. Σt is 1 for a one-hot row.
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule {
        .message(input == 0 ? "\(upstream) · (softmax(\(x[0]))·Σ\(x[1]) − \(x[1]))/N" : "\(upstream) · (logsumexp(\(x[0])) − \(x[0]))/N")
    }
}

/// The multiclass SVM (hinge) loss of CS231n (note 001): per row Σ_{j≠y} max(0, sⱼ − s_y + Δ) with y the
/// target row's one-hot class, averaged over rows. The target only selects the class: it gets no gradient.
public struct MulticlassHinge: Operation {
    public let margin: Double
    public init(margin: Double = 1) { self.margin = margin }
    public var name: String { "multiclass_hinge" }
    public var arity: Int { 2 }
    public var attributes: [OperationAttribute] { [OperationAttribute("margin", Tensor(margin))] }

    private func classIndex(_ target: [Double]) -> Int {
        target.indices.max { target[$0] < target[$1] } ?? 0
    }

    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        try sameShape(name, inputs)
        guard inputs[0].rank >= 1 else { throw .incompatible(operation: name, shapes: [inputs[0].shape]) }
        let rows = zip(inputs[0].lastAxisRows, inputs[1].lastAxisRows)
        let total = rows.reduce(0.0) { sum, row in
            let y = classIndex(row.1)
            return sum + row.0.indices.reduce(0) { $0 + ($1 == y ? 0 : max(0, row.0[$1] - row.0[y] + margin)) }
        }
        return Tensor(total / Double(inputs[0].lastAxisRows.count))
    }

    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let rows = Array(zip(inputs[0].lastAxisRows, inputs[1].lastAxisRows))
        let r = Double(rows.count)
        let ds = rows.flatMap { s, t -> [Double] in
            let y = classIndex(t)
            var d = s.indices.map { j in j != y && s[j] - s[y] + margin > 0 ? 1 / r : 0 }
            d[y] = -d.reduce(0, +)
            return d
        }
        return [EdgeGradient(local: nil, message: message(inputs[0].shape, upstream, ds)),
                EdgeGradient(local: nil, message: inputs[1].map { _ in 0 })]
    }
    public func notation(_ x: [String]) -> String { "hinge(\(x[0]), \(x[1]))" }
}

/// The L1 penalty Σ|w| (note 000); the derivative sign(w), 0 at 0.
public struct L1Penalty: Operation {
    public init() {}
    public var name: String { "l1" }
    public var arity: Int { 1 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor { Tensor(inputs[0].scalars.reduce(0) { $0 + abs($1) }) }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        [EdgeGradient(local: nil, message: message(inputs[0].shape, upstream,
                                                   inputs[0].scalars.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }))]
    }
    public func notation(_ x: [String]) -> String { "‖\(x[0])‖₁" }
}

/// The L2 penalty ½Σw² (note 000, weight decay); the derivative w.
public struct L2Penalty: Operation {
    public init() {}
    public var name: String { "l2" }
    public var arity: Int { 1 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor { Tensor(0.5 * inputs[0].scalars.reduce(0) { $0 + $1 * $1 }) }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        [EdgeGradient(local: nil, message: message(inputs[0].shape, upstream, inputs[0].scalars))]
    }
    public func notation(_ x: [String]) -> String { "½‖\(x[0])‖²" }
}
