import Foundation

/// Row-wise helpers: a vector is one row, a matrix's rows are its samples.
extension Tensor {
    /// The entries split into rows along the last axis.
    var lastAxisRows: [[Double]] { rank == 2 ? rows : [scalars] }

    /// ln Σ exp over one row, stable: m + ln Σ exp(x − m) with m the row's maximum.
    static func logSumExp(_ row: [Double]) -> Double {
        guard let m = row.max(), m.isFinite else { return row.max() ?? -.infinity }
        return m + log(row.reduce(0) { $0 + exp($1 - m) })
    }

    /// Softmax of one row, stable: e^{x − m} / Σ e^{x − m} with m the row's maximum.
    static func softmax(_ row: [Double]) -> [Double] {
        guard let m = row.max(), m.isFinite else { return row.map { _ in .nan } }
        let e = row.map { exp($0 - m) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }
}

/// softmax over the last axis (the vector, or each row of a matrix): yᵢ = e^{xᵢ} / Σⱼ e^{xⱼ}, computed
/// without overflow. The message back is y ⊙ (g − Σ g⊙y) per row; the local derivative is a Jacobian.
public struct Softmax: Operation {
    public init() {}
    public var name: String { "softmax" }
    public var arity: Int { 1 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        guard inputs[0].rank >= 1 else { throw .incompatible(operation: name, shapes: [inputs[0].shape]) }
        return Tensor(checkedShape: inputs[0].shape, scalars: inputs[0].lastAxisRows.flatMap(Tensor.softmax))
    }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let message = zip(output.lastAxisRows, upstream.lastAxisRows).flatMap { y, g in
            let dot = zip(y, g).reduce(0) { $0 + $1.0 * $1.1 }
            return zip(y, g).map { $0 * ($1 - dot) }
        }
        return [EdgeGradient(local: nil, message: Tensor(checkedShape: inputs[0].shape, scalars: message))]
    }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule {
        .message("ŷ ⊙ (\(upstream) − Σ \(upstream) ⊙ ŷ), ŷ = softmax(\(x[0]))")
    }
}

/// ln Σ exp over the last axis: a scalar for a vector, one value per row for a matrix; stable at
/// inputs like 1000. The message back is the upstream gradient times softmax.
public struct LogSumExp: Operation {
    public init() {}
    public var name: String { "logsumexp" }
    public var arity: Int { 1 }
    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        let x = inputs[0]
        guard x.rank >= 1 else { throw .incompatible(operation: name, shapes: [x.shape]) }
        let values = x.lastAxisRows.map(Tensor.logSumExp)
        return x.rank == 2 ? Tensor(vector: values) : Tensor(values[0])
    }
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let message = zip(inputs[0].lastAxisRows, upstream.scalars).flatMap { row, g in
            Tensor.softmax(row).map { $0 * g }
        }
        return [EdgeGradient(local: nil, message: Tensor(checkedShape: inputs[0].shape, scalars: message))]
    }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule {
        .message("\(upstream) · softmax(\(x[0]))")
    }
}
