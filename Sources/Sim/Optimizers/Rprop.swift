/// Rprop (Riedmiller & Braun 1992) exactly as note 002's listing: each entry has its own step Δ, which
/// grows by η⁺ (up to Δmax) while the gradient keeps its sign and shrinks by η⁻ (down to Δmin) when the
/// sign changes; then θ ← θ − sign(g)·Δ. Only signs are used, so the learning rate plays no part.
public struct Rprop: Optimizer {
    public var settings: OptimizerSettings
    public let increase: Double
    public let decrease: Double
    public let initialStep: Double
    public let minStep: Double
    public let maxStep: Double
    private var memory = ParameterState()
    private var t = 0

    public init(_ settings: OptimizerSettings = OptimizerSettings(learningRate: 0), increase: Double = 1.2,
                decrease: Double = 0.5, initialStep: Double = 0.1, minStep: Double = 1e-6, maxStep: Double = 50) {
        self.settings = settings
        self.increase = increase
        self.decrease = decrease
        self.initialStep = initialStep
        self.minStep = minStep
        self.maxStep = maxStep
    }

    public var name: String { "rprop" }

    public mutating func resume(from state: TraceOptimizerState) {
        memory = ParameterState(state.tensors)
        t = state.stepCount
    }

    public mutating func step(_ parameters: NamedTensors, gradients raw: NamedTensors) -> OptimizerStep {
        let gradients = settings.decayed(raw, parameters)
        var state = memory
        let next = updateEach(parameters, gradients) { name, theta, g in
            let previous = state.value("previousGradient.\(name)", like: theta)
            let steps = state.tensors["stepSize.\(name)"]?.scalars ?? Array(repeating: initialStep, count: theta.count)
            let newSteps = (0..<g.count).map { i -> Double in
                let product = previous[i] * g[i]
                if product > 0 { return min(steps[i] * increase, maxStep) }
                if product < 0 { return max(steps[i] * decrease, minStep) }
                return steps[i]
            }
            state.set("stepSize.\(name)", newSteps, like: theta)
            state.set("previousGradient.\(name)", g, like: theta)
            return (0..<g.count).map { (i: Int) -> Double in
                let sign: Double = g[i] > 0 ? 1 : (g[i] < 0 ? -1 : 0)
                return theta.scalars[i] - sign * newSteps[i]
            }
        }
        memory = state
        t += 1
        return OptimizerStep(parameters: next, learningRate: 0, gradients: gradients,
                             state: TraceOptimizerState(tensors: state.tensors, scalars: ["t": Double(t)]))
    }
}
