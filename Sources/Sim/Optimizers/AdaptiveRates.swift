import Foundation

/// Adagrad and RMSProp (notes 000, 002, 004): per-entry rates from accumulated squared gradients,
/// θ ← θ − η/√(G + ε) · g, with G ← G + g² (Adagrad) or G ← γG + (1 − γ)g² (RMSProp).
public struct AdaptiveRate: Optimizer {
    public enum Kind: Sendable, Hashable {
        case adagrad
        /// γ is the decay of the moving average (0.9 in the notes).
        case rmsprop(gamma: Double)
    }

    public var settings: OptimizerSettings
    public let kind: Kind
    public let epsilon: Double
    private var sums = ParameterState()
    private var t = 0

    public init(_ settings: OptimizerSettings, kind: Kind, epsilon: Double = 1e-8) {
        self.settings = settings
        self.kind = kind
        self.epsilon = epsilon
    }

    public var name: String { kind == .adagrad ? "adagrad" : "rmsprop" }

    public mutating func resume(from state: TraceOptimizerState) {
        sums = ParameterState(state.tensors)
        t = state.stepCount
    }

    public mutating func step(_ parameters: NamedTensors, gradients raw: NamedTensors) -> OptimizerStep {
        let eta = settings.rate(at: t)
        let gradients = settings.decayed(raw, parameters)
        var state = sums
        let next = updateEach(parameters, gradients) { name, theta, g in
            let G = zip(state.value("G.\(name)", like: theta), g).map { previous, gi in
                switch kind {
                case .adagrad: return previous + gi * gi
                case .rmsprop(let gamma): return gamma * previous + (1 - gamma) * gi * gi
                }
            }
            state.set("G.\(name)", G, like: theta)
            return (0..<G.count).map { theta.scalars[$0] - eta / (G[$0] + epsilon).squareRoot() * g[$0] }
        }
        sums = state
        t += 1
        return OptimizerStep(parameters: next, learningRate: eta, gradients: gradients,
                             state: TraceOptimizerState(tensors: state.tensors,
                                                        scalars: ["learning_rate": eta, "t": Double(t)]))
    }
}

/// Adam (Kingma & Ba 2014; note 000): m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ),
/// v̂ = v/(1 − β₂ᵗ), θ ← θ − η·m̂/(√v̂ + ε). Defaults β₁ = 0.9, β₂ = 0.999, ε = 1e−8. (Note 002's slide
/// garbles the bias correction; this is the paper's form.)
public struct Adam: Optimizer {
    public var settings: OptimizerSettings
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    private var moments = ParameterState()
    private var t = 0

    public init(_ settings: OptimizerSettings, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.settings = settings
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public var name: String { "adam" }

    public mutating func resume(from state: TraceOptimizerState) {
        moments = ParameterState(state.tensors)
        t = state.stepCount
    }

    public mutating func step(_ parameters: NamedTensors, gradients raw: NamedTensors) -> OptimizerStep {
        let eta = settings.rate(at: t)
        t += 1
        let correction1 = 1 - pow(beta1, Double(t)), correction2 = 1 - pow(beta2, Double(t))
        let gradients = settings.decayed(raw, parameters)
        var state = moments
        let next = updateEach(parameters, gradients) { name, theta, g in
            let m = zip(state.value("m.\(name)", like: theta), g).map { beta1 * $0 + (1 - beta1) * $1 }
            let v = zip(state.value("v.\(name)", like: theta), g).map { beta2 * $0 + (1 - beta2) * $1 * $1 }
            let mHat = m.map { $0 / correction1 }, vHat = v.map { $0 / correction2 }
            for (key, value) in [("m", m), ("v", v), ("mHat", mHat), ("vHat", vHat)] {
                state.set("\(key).\(name)", value, like: theta)
            }
            return (0..<m.count).map { theta.scalars[$0] - eta * mHat[$0] / (vHat[$0].squareRoot() + epsilon) }
        }
        moments = state
        return OptimizerStep(parameters: next, learningRate: eta, gradients: gradients,
                             state: TraceOptimizerState(tensors: state.tensors, scalars: [
                                 "learning_rate": eta, "t": Double(t),
                                 "bias_correction1": correction1, "bias_correction2": correction2,
                             ]))
    }
}
