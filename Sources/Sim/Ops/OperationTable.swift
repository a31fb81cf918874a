/// Every operation by the name a trace records it under (`add`, `scale`, `matmul`), with its settings
/// from the trace's `attributes`: what turns a recorded graph back into one the engine can walk (the
/// viewer's `nnsim view TRACE.json`). Adding an operation is adding its row here.
public enum OperationTable {
    /// The operation `name` with `attributes`, or nil for a name nnsim does not know or a setting that is
    /// missing or out of range.
    public static func operation(_ name: String, attributes: NamedTensors = [:]) -> (any Operation)? {
        func scalar(_ key: String) -> Double? { attributes[key]?.scalar }
        switch name {
        case "add": return Add()
        case "sub": return Subtract()
        case "mul": return Multiply()
        case "div": return Divide()
        case "neg": return Negate()
        case "scale": return scalar("factor").map(Scale.init)
        case "exp": return Exp()
        case "log": return Log()
        case "sqrt": return Sqrt()
        case "abs": return Abs()
        case "pow": return scalar("exponent").map(PowerByConstant.init)
        case "power": return Power()
        case "max": return Maximum()
        case "min": return Minimum()
        case "sigmoid": return Sigmoid()
        case "tanh": return Tanh()
        case "relu": return ReLU()
        case "leaky_relu": return scalar("alpha").map { LeakyReLU(alpha: $0) }
        case "elu": return scalar("alpha").map { ELU(alpha: $0) }
        case "step": return Step()
        case "sign": return Sign()
        case "softplus": return Softplus()
        case "squared_error": return SquaredError()
        case "mse": return MeanSquaredError()
        case "binary_cross_entropy": return BinaryCrossEntropy()
        case "binary_cross_entropy_logits": return BinaryCrossEntropyWithLogits()
        case "softmax_cross_entropy": return SoftmaxCrossEntropy()
        case "multiclass_hinge": return scalar("margin").map { MulticlassHinge(margin: $0) }
        case "l1": return L1Penalty()
        case "l2": return L2Penalty()
        case "matmul": return MatMul()
        case "sum": return Sum()
        case "norm": return Norm()
        case "mean": return Mean()
        case "transpose": return Transpose()
        case "softmax": return Softmax()
        case "logsumexp": return LogSumExp()
        case "dropout":
            guard let p = scalar("keep_probability"), let mask = attributes["mask"] else { return nil }
            return try? Dropout(mask: mask, keepProbability: p)
        default: return nil
        }
    }
}
