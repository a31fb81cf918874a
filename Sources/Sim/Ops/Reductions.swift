/// Σ of all entries, a scalar; every entry's local derivative is 1.
public struct Sum: Operation {
    public init() {}
    public var name: String { "sum" }
    public var arity: Int { 1 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor { Tensor(inputs[0].sum) }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let g = upstream.scalar ?? 0
        return [EdgeGradient(local: nil, message: inputs[0].map { _ in g })]
    }
    public func notation(_ x: [String]) -> String { "Σ\(x[0])" }
}

/// The mean of all entries, a scalar; every entry's local derivative is 1/N.
public struct Mean: Operation {
    public init() {}
    public var name: String { "mean" }
    public var arity: Int { 1 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        Tensor(inputs[0].sum / Double(max(inputs[0].count, 1)))
    }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let g = (upstream.scalar ?? 0) / Double(max(inputs[0].count, 1))
        return [EdgeGradient(local: nil, message: inputs[0].map { _ in g })]
    }
    public func notation(_ x: [String]) -> String { "mean(\(x[0]))" }
}

/// Xᵀ; the message back is the upstream gradient transposed.
public struct Transpose: Operation {
    public init() {}
    public var name: String { "transpose" }
    public var arity: Int { 1 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor { inputs[0].transposed }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        [EdgeGradient(local: nil, message: Tensor(checkedShape: inputs[0].shape, scalars: upstream.transposed.scalars))]
    }
    public func notation(_ x: [String]) -> String { "\(x[0])ᵀ" }
}
