import Sim

/// The settings that lessons which train share, and how their values become engine objects: the
/// initializer (with its scale), the optimizer (with its learning rate), the activation.
enum TrainingChoices {
    static let initializers = ["uniform", "normal", "constant", "zero", "xavier_uniform", "xavier_normal", "he"]
    static let optimizers = ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "rprop"]
    static let activations = ["sigmoid", "tanh", "relu"]

    /// `uniform` is U[−s, s), `normal` N(0, s²), `constant` s; the others ignore the scale.
    static func initializer(_ name: String, scale: Double) -> Initializer {
        switch name {
        case "normal": return .normal(scale)
        case "constant": return .constant(scale)
        case "zero": return .zero
        case "xavier_uniform": return .xavierUniform
        case "xavier_normal": return .xavierNormal
        case "he": return .he
        default: return .uniform(-scale, scale)
        }
    }

    /// The optimizer by its script name; `rate` is the learning rate η, or for Rprop (which uses only
    /// the gradient's sign) its initial step Δ₀; `mu` is momentum's and Nesterov's μ.
    static func optimizer(_ name: String, rate: Double, mu: Double = 0.9) -> any Optimizer {
        let settings = OptimizerSettings(learningRate: rate)
        switch name {
        case "momentum": return Momentum(settings, mu: mu)
        case "nesterov": return Momentum(settings, mu: mu, nesterov: true)
        case "adagrad": return AdaptiveRate(settings, kind: .adagrad)
        case "rmsprop": return AdaptiveRate(settings, kind: .rmsprop(gamma: 0.9))
        case "adam": return Adam(settings)
        case "rprop": return Rprop(initialStep: rate)
        default: return GradientDescent(settings)
        }
    }

    static func activation(_ name: String) -> any ElementwiseFunction {
        switch name {
        case "tanh": return Tanh()
        case "relu": return ReLU()
        default: return Sigmoid()
        }
    }
}
