/// The registry of optimizers: each by the name scripts, traces and assignments use, how it is built
/// from the shared settings, what it keeps between steps and how it moves a parameter, written as the
/// notes write them. Lessons, assignments and replays read it instead of their own lists.
/// Adding an optimizer is its type (beside GradientDescent.swift), its entry here and its tests.
public struct OptimizerKind: Sendable {
    /// `gd`, `momentum`, …
    public let name: String
    /// What the rate setting means for it: η, or Rprop's initial step Δ₀.
    public let rateSymbol: String
    /// The optimizer from the shared settings and momentum's μ (ignored by the others).
    public let make: @Sendable (OptimizerSettings, _ mu: Double) -> any Optimizer
    /// The state tensors it keeps (as its trace state names them, before `.parameter`; plain ASCII), each
    /// with its update.
    public let state: [(name: String, rule: String)]
    /// How a parameter x moves, given the gradient g and the state.
    public let update: String
}

extension OptimizerKind {
    public static let gd = OptimizerKind(name: "gd", rateSymbol: "η", make: { settings, _ in GradientDescent(settings) }, state: [], update: "x − η·g")
    public static let momentum = OptimizerKind(name: "momentum", rateSymbol: "η", make: { settings, mu in Momentum(settings, mu: mu) },
                                               state: [("velocity", "μ·velocity − η·g")], update: "x + velocity (after its update)")
    public static let nesterov = OptimizerKind(name: "nesterov", rateSymbol: "η", make: { settings, mu in Momentum(settings, mu: mu, nesterov: true) },
                                               state: [("velocity", "μ·velocity − η·g")], update: "x + velocity (after its update)")
    public static let adagrad = OptimizerKind(name: "adagrad", rateSymbol: "η", make: { settings, _ in AdaptiveRate(settings, kind: .adagrad) },
                                              state: [("G", "G + g²")], update: "x − η·g/√(G + ε)")
    public static let rmsprop = OptimizerKind(name: "rmsprop", rateSymbol: "η", make: { settings, _ in AdaptiveRate(settings, kind: .rmsprop(gamma: 0.9)) },
                                              state: [("G", "γG + (1 − γ)g² with γ = 0.9")], update: "x − η·g/√(G + ε)")
    public static let adam = OptimizerKind(name: "adam", rateSymbol: "η", make: { settings, _ in Adam(settings) },
                                           state: [("m", "β₁m + (1 − β₁)g"), ("v", "β₂v + (1 − β₂)g²"), ("mHat", "m/(1 − β₁ᵗ)"), ("vHat", "v/(1 − β₂ᵗ)")],
                                           update: "x − η·m̂/(√v̂ + ε)")
    // Rprop uses only the gradient's sign: the rate is its initial step Δ₀; weight decay applies, η's schedule does not.
    public static let rprop = OptimizerKind(name: "rprop", rateSymbol: "Δ₀", make: { settings, _ in Rprop(settings, initialStep: settings.learningRate) },
                                            state: [("stepSize", "Δ·1.2 if g keeps its sign, Δ·0.5 if it flips (within [10⁻⁶, 50])")], update: "x − sign(g)·Δ")
}

public enum Optimizers {
    /// In the order lessons show them.
    public static let all: [OptimizerKind] = [.gd, .momentum, .nesterov, .adagrad, .rmsprop, .adam, .rprop]

    /// Every optimizer's name, in the order lessons show them.
    public static var names: [String] { all.map(\.name) }

    public static func named(_ name: String) -> OptimizerKind? { all.first { $0.name == name } }

    /// A state tensor's name as the notes write it, for reports and tables: the trace's plain-ASCII `mHat`
    /// is m̂, Rprop's `stepSize` is Δ; `velocity`, `G`, `m` and `v` are written as they are.
    public static func symbol(ofState name: String) -> String {
        switch name {
        case "mHat": return "m̂"
        case "vHat": return "v̂"
        case "stepSize": return "Δ"
        default: return name
        }
    }
}

/// An optimizer kind is known by its name: a lesson setting of this type (`@Setting("optimizer")`) accepts
/// exactly the registry's names, and compares by name.
extension OptimizerKind: RawRepresentable, CaseIterable, Equatable {
    public init?(rawValue: String) {
        guard let kind = Optimizers.named(rawValue) else { return nil }
        self = kind
    }

    public var rawValue: String { name }
    public static var allCases: [OptimizerKind] { Optimizers.all }
    public static func == (a: OptimizerKind, b: OptimizerKind) -> Bool { a.name == b.name }
}
