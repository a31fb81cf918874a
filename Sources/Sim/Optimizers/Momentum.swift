/// Momentum (note 002): v ← μv − η∇L(θ), θ ← θ + v. With `nesterov`, the gradient is taken at the
/// look-ahead point θ + μv instead (Nesterov 1983; Sutskever et al. 2013).
public struct Momentum: Optimizer {
    public var settings: OptimizerSettings
    public let mu: Double
    public let nesterov: Bool
    private var velocity = ParameterState()
    private var t = 0

    public init(_ settings: OptimizerSettings, mu: Double = 0.9, nesterov: Bool = false) {
        self.settings = settings
        self.mu = mu
        self.nesterov = nesterov
    }

    public var name: String { nesterov ? "nesterov" : "momentum" }

    public mutating func resume(from state: TraceOptimizerState) {
        velocity = ParameterState(state.tensors)
        t = state.stepCount
    }

    public func evaluationPoint(for parameters: NamedTensors) -> NamedTensors {
        guard nesterov else { return parameters }
        return parameters.mapValues { name, theta in
            let v = velocity.value("velocity.\(name)", like: theta)
            return Tensor(checkedShape: theta.shape, scalars: zip(theta.scalars, v).map { $0 + mu * $1 })
        }
    }

    public mutating func step(_ parameters: NamedTensors, gradients raw: NamedTensors) -> OptimizerStep {
        let eta = settings.rate(at: t)
        let gradients = settings.decayed(raw, evaluationPoint(for: parameters))
        var state = velocity
        let next = updateEach(parameters, gradients) { name, theta, g in
            let v = zip(state.value("velocity.\(name)", like: theta), g).map { mu * $0 - eta * $1 }
            state.set("velocity.\(name)", v, like: theta)
            return zip(theta.scalars, v).map(+)
        }
        velocity = state
        t += 1
        return OptimizerStep(parameters: next, learningRate: eta, gradients: gradients,
                             state: TraceOptimizerState(tensors: state.tensors,
                                                        scalars: ["learning_rate": eta, "t": Double(t), "mu": mu]))
    }
}
