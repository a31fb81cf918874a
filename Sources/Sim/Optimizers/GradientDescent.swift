/// Gradient descent, θ ← θ − η·g. Full-batch gradient descent and (mini-batch) SGD are the same update;
/// they differ in which samples the caller's gradient averages over (see `MiniBatches`).
public struct GradientDescent: Optimizer {
    public var settings: OptimizerSettings
    private var t = 0

    public init(_ settings: OptimizerSettings) { self.settings = settings }
    public var name: String { "gd" }

    public mutating func resume(from state: TraceOptimizerState) { t = state.stepCount }

    public mutating func step(_ parameters: NamedTensors, gradients raw: NamedTensors) -> OptimizerStep {
        let eta = settings.rate(at: t)
        let gradients = settings.decayed(raw, parameters)
        let next = updateEach(parameters, gradients) { _, theta, g in zip(theta.scalars, g).map { $0 - eta * $1 } }
        t += 1
        return OptimizerStep(parameters: next, learningRate: eta, gradients: gradients,
                             state: TraceOptimizerState(scalars: ["learning_rate": eta, "t": Double(t)]))
    }
}
