/// Σ of all entries, a scalar; every entry's local derivative is 1.
public struct Sum: Operation {
    public init() {}
    public var name: String { "sum" }
    public var arity: Int { 1 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor { Tensor(inputs[0].sum) }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let g = upstream.onlyScalar
        return [EdgeGradient(local: nil, message: inputs[0].map { _ in g })]
    }
    public func notation(_ x: [String]) -> String { "Σ\(x[0])" }
    public var symbol: String { "Σ" }
    public func rule(input: Int, arguments: [String], upstream: String) -> OperationRule { .local("1") }
}

/// The Frobenius (Euclidean) norm ‖X‖ = √Σx², a scalar; its local derivative is X/‖X‖ (0 at X = 0, where
/// the norm has no derivative and backward sends 0). The sum is scaled by the largest entry so that squaring
/// cannot overflow while the entries are finite: ‖X‖ stays exact up to Double's largest value.
public struct Norm: Operation {
    public init() {}
    public var name: String { "norm" }
    public var arity: Int { 1 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor { Tensor(Self.frobenius(inputs[0].scalars)) }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let g = upstream.onlyScalar, norm = output.onlyScalar
        return [EdgeGradient(local: nil, message: inputs[0].map { norm == 0 ? 0 : g * $0 / norm })]
    }
    public func notation(_ x: [String]) -> String { "‖\(x[0])‖" }

    /// √Σx², scaled by the largest |x|: nan when an entry is, inf when an entry is infinite.
    public static func frobenius(_ scalars: [Double]) -> Double {
        guard !scalars.contains(where: \.isNaN) else { return .nan }
        let largest = scalars.reduce(0) { max($0, abs($1)) }
        guard largest.isFinite else { return .infinity }
        guard largest > 0 else { return 0 }
        return largest * scalars.reduce(0) { $0 + ($1 / largest) * ($1 / largest) }.squareRoot()
    }
    public var symbol: String { "‖·‖" }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule { .local("\(x[0])/‖\(x[0])‖") }
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
        let g = upstream.onlyScalar / Double(max(inputs[0].count, 1))
        return [EdgeGradient(local: nil, message: inputs[0].map { _ in g })]
    }
    public func notation(_ x: [String]) -> String { "mean(\(x[0]))" }
    public func rule(input: Int, arguments: [String], upstream: String) -> OperationRule { .local("1/n") }
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
    public var symbol: String { "ᵀ" }
    public func rule(input: Int, arguments: [String], upstream: String) -> OperationRule { .message("(\(upstream))ᵀ") }
}
