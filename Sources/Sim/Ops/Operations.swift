/// The registry of the engine's operations: every operation by the name traces write, built from the
/// attributes a trace records, and the functions the expression language can call.
///
/// An operation's name, arity, symbol, forward, local derivative and written rule live on its own type
/// (Arithmetic.swift, Activations.swift, …); this table is what everything that starts from a name reads —
/// the expression language (`sigmoid(z)`), traces read back, the viewer and the tests that check every
/// recorded node is one the engine computes. Adding an operation is its type, its line here and its tests.
public enum Operations {
    /// Every operation, by trace name: given a node's recorded attributes, the operation (nil when an
    /// attribute it needs is missing or invalid).
    public static let all: [String: @Sendable (NamedTensors) -> (any Operation)?] = {
        /// An operation with no settings is its own factory.
        func plain(_ operation: any Operation) -> (any Operation, @Sendable (NamedTensors) -> (any Operation)?) {
            (operation, { _ in operation })
        }
        // Each entry is keyed by its example's own name, so the table cannot disagree with the types.
        let list: [(any Operation, @Sendable (NamedTensors) -> (any Operation)?)] = [
            plain(Add()), plain(Subtract()), plain(Multiply()), plain(Divide()), plain(Negate()),
            (Scale(1), { @Sendable a in scalar(a, "factor").map(Scale.init) }),
            plain(Exp()), plain(Log()), plain(Sqrt()), plain(Abs()),
            (PowerByConstant(2), { @Sendable a in scalar(a, "exponent").map(PowerByConstant.init) }),
            plain(Power()), plain(Maximum()), plain(Minimum()),
            plain(Sigmoid()), plain(Tanh()), plain(ReLU()),
            (LeakyReLU(), { @Sendable a in scalar(a, "alpha").map { LeakyReLU(alpha: $0) } }),
            (ELU(), { @Sendable a in scalar(a, "alpha").map { ELU(alpha: $0) } }),
            plain(Step()), plain(Sign()), plain(Softplus()),
            (Dropout.keepAll, { @Sendable a in
                guard let mask = a["mask"], let keep = scalar(a, "keep_probability") else { return nil }
                return try? Dropout(mask: mask, keepProbability: keep)
            }),
            plain(MatMul()), plain(Transpose()), plain(Sum()), plain(Mean()), plain(Norm()),
            plain(Softmax()), plain(LogSumExp()),
            plain(SquaredError()), plain(MeanSquaredError()), plain(BinaryCrossEntropy()), plain(BinaryCrossEntropyWithLogits()),
            plain(SoftmaxCrossEntropy()),
            (MulticlassHinge(), { @Sendable a in scalar(a, "margin").map { MulticlassHinge(margin: $0) } }),
            plain(L1Penalty()), plain(L2Penalty()),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.0.name, $0.1) })
    }()

    @Sendable private static func scalar(_ attributes: NamedTensors, _ name: String) -> Double? { attributes[name]?.scalar }

    /// The operation a trace node names, with its recorded attributes.
    public static func named(_ name: String, attributes: NamedTensors = [:]) -> (any Operation)? {
        all[name]?(attributes)
    }

    /// The functions the expression language calls by name (`exp(x)`, `max(a, b)`, `softmax(z)`), with no
    /// settings: by the operation's own name, and a few by the name the notes give them.
    public static let functions: [String: any Operation] = {
        let list: [any Operation] = [Exp(), Log(), Sqrt(), Abs(), Sigmoid(), Tanh(), ReLU(), Maximum(), Minimum()]
        let tensors: [any Operation] = [MatMul(), Transpose(), Sum(), Mean(), Softmax(), LogSumExp()]
        let aliases: [(String, any Operation)] = [("cross_entropy", SoftmaxCrossEntropy())]
        return Dictionary(uniqueKeysWithValues: (list + tensors).map { ($0.name, $0) } + aliases)
    }()
}
