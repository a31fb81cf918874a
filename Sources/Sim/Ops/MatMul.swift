/// The matrix product A·B (a layer's W·x). Its local derivative is a Jacobian, so the edges record only
/// the messages: ∂L/∂A = ∂L/∂Y · Bᵀ and ∂L/∂B = Aᵀ · ∂L/∂Y.
public struct MatMul: Operation {
    public init() {}
    public var name: String { "matmul" }
    public var arity: Int { 2 }

    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        try inputs[0].matmul(inputs[1])
    }

    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        // Work on matrices: a vector on the left is a 1×k row, on the right a k×1 column.
        let a = Self.matrix(inputs[0], asRow: true), b = Self.matrix(inputs[1], asRow: false)
        let g = Tensor(checkedShape: [a.shape[0], b.shape[1]], scalars: upstream.scalars)
        // Shapes agree by construction: forward succeeded with these inputs. Were they not to, the gradient
        // would be wrong, so stop rather than send a made-up message.
        guard let gradA = try? g.matmul(b.transposed), let gradB = try? a.transposed.matmul(g) else {
            preconditionFailure("matmul backward: upstream \(upstream.shape) does not fit inputs \(inputs[0].shape) and \(inputs[1].shape)")
        }
        return [
            EdgeGradient(local: nil, message: Tensor(checkedShape: inputs[0].shape, scalars: gradA.scalars)),
            EdgeGradient(local: nil, message: Tensor(checkedShape: inputs[1].shape, scalars: gradB.scalars)),
        ]
    }

    public func notation(_ x: [String]) -> String { "\(x[0])·\(x[1])" }
    public var symbol: String { "·" }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule {
        .message(input == 0 ? "\(upstream)·\(x[1])ᵀ" : "\(x[0])ᵀ·\(upstream)")
    }

    private static func matrix(_ t: Tensor, asRow: Bool) -> Tensor {
        guard t.rank == 1 else { return t }
        return Tensor(checkedShape: asRow ? [1, t.count] : [t.count, 1], scalars: t.scalars)
    }
}
