import Sim

/// The hidden layer's activation, as scripts name it, and the engine's function for it.
public enum Activation: String, SettingChoice {
    case sigmoid, tanh, relu

    public var function: any ElementwiseFunction {
        switch self {
        case .sigmoid: Sigmoid()
        case .tanh: Tanh()
        case .relu: ReLU()
        }
    }
}

/// How a network's weights start, as scripts name it (docs/lesson-format.md).
public enum InitializerChoice: String, SettingChoice {
    case uniform, normal, constant, zero
    case xavierUniform = "xavier_uniform", xavierNormal = "xavier_normal", he

    /// `uniform` is U[−s, s), `normal` N(0, s²), `constant` s; the others ignore the scale.
    public func initializer(scale: Double) -> Initializer {
        switch self {
        case .uniform: .uniform(-scale, scale)
        case .normal: .normal(scale)
        case .constant: .constant(scale)
        case .zero: .zero
        case .xavierUniform: .xavierUniform
        case .xavierNormal: .xavierNormal
        case .he: .he
        }
    }
}

extension OptimizerKind: SettingChoice {}

/// The settings that lessons which train share, and how their values become engine objects: the
/// optimizer (with its learning rate) and the learning-rate schedule.
enum TrainingChoices {
    /// The optimizer with its learning rate: `rate` is η, or for Rprop (which uses only the gradient's
    /// sign) its initial step Δ₀; `mu` is momentum's and Nesterov's μ.
    static func optimizer(_ kind: OptimizerKind, rate: Double, mu: Double = 0.9, schedule: LearningRateSchedule = .constant,
                          weightDecay: Double = 0) -> any Optimizer {
        kind.make(OptimizerSettings(learningRate: rate, schedule: schedule, weightDecay: weightDecay), mu)
    }

    /// A learning-rate schedule as scripts write it (docs/optimizers.md): `constant`, `step:K:F` (η₀·F^⌊t/K⌋,
    /// K a whole number ≥ 1, F in (0, 1]), `exponential:K` (η₀e^(−Kt)) or `hyperbolic:K` (η₀/(1 + Kt)), K ≥ 0.
    static func schedule(_ text: String) throws(LessonError) -> LearningRateSchedule {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let numbers = parts.dropFirst().map { NumberText.parse($0) }
        let usage = "a schedule is constant, step:K:F (η₀·F^⌊t/K⌋, K ≥ 1 whole, 0 < F ≤ 1), exponential:K (η₀e^(−Kt)) or hyperbolic:K (η₀/(1 + Kt)), K ≥ 0"
        switch (parts[0], numbers.count) {
        case ("constant", 0): return .constant
        case ("step", 2):
            guard let k = numbers[0], let f = numbers[1], k >= 1, k == k.rounded(), k <= 1e9, f > 0, f <= 1 else { throw LessonError("'\(text)': \(usage)") }
            return .step(every: Int(k), factor: f)
        case ("exponential", 1), ("hyperbolic", 1):
            guard let k = numbers[0], k >= 0, k <= 1e6 else { throw LessonError("'\(text)': \(usage)") }
            return parts[0] == "exponential" ? .exponential(k: k) : .hyperbolic(k: k)
        default: throw LessonError("'\(text)': \(usage)")
        }
    }

    /// How a schedule reads in a sentence: "η halved every 100 updates".
    static func describe(_ schedule: LearningRateSchedule) -> String {
        switch schedule {
        case .constant: return "constant η"
        case .step(let every, let factor): return "η times \(NumberFormat.display(factor)) every \(every) updates"
        case .exponential(let k): return "η₀e^(−\(NumberFormat.display(k))t)"
        case .hyperbolic(let k): return "η₀/(1 + \(NumberFormat.display(k))t)"
        }
    }

}
