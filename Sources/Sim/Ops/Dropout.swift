/// Inverted dropout with a given mask: y = x ⊙ mask / p. The mask (1 = kept, 0 = dropped, drawn by the
/// caller from nnsim's generator) and the keep probability p are recorded with the node.
public struct Dropout: Operation {
    public let keepProbability: Double
    public let mask: Tensor

    /// The mask holds only 0 and 1; p must be in (0, 1].
    public init(mask: Tensor, keepProbability: Double) throws(ShapeError) {
        guard keepProbability > 0, keepProbability <= 1, mask.scalars.allSatisfy({ $0 == 0 || $0 == 1 }) else {
            throw .incompatible(operation: "dropout", shapes: [mask.shape])
        }
        self.mask = mask
        self.keepProbability = keepProbability
    }

    /// Dropout that keeps the one unit of a scalar: the registry's example (Operations).
    static let keepAll = Dropout(checkedMask: Tensor(1), keepProbability: 1)

    private init(checkedMask mask: Tensor, keepProbability: Double) {
        self.mask = mask
        self.keepProbability = keepProbability
    }

    public var name: String { "dropout" }
    public var arity: Int { 1 }
    public var attributes: [OperationAttribute] {
        [OperationAttribute("keep_probability", Tensor(keepProbability)), OperationAttribute("mask", mask)]
    }

    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        guard inputs[0].shape == mask.shape else {
            throw .incompatible(operation: name, shapes: [inputs[0].shape, mask.shape])
        }
        return Tensor(checkedShape: mask.shape,
                      scalars: zip(inputs[0].scalars, mask.scalars).map { $0 * $1 / keepProbability })
    }

    /// The local derivative is mask/p: dropped units pass no gradient back.
    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let local = mask.map { $0 / keepProbability }
        return [EdgeGradient(local: local, message: Tensor(checkedShape: local.shape,
                                                          scalars: zip(upstream.scalars, local.scalars).map(*)))]
    }

    public func notation(_ x: [String]) -> String { "dropout(\(x[0]))" }
}
