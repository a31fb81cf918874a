import Foundation

/// An update rule for named parameters, recording its state at every step so a lesson or trace can
/// show it (velocity, Adagrad sums, Adam's moments and bias corrections, Rprop step sizes).
///
/// The caller asks where to evaluate the gradient (`evaluationPoint`: Nesterov looks ahead, the
/// others use θ itself), computes the gradient there, and passes it to `step`.
public protocol Optimizer: Sendable {
    /// The name lesson scripts use: `gd`, `momentum`, `nesterov`, `adagrad`, `rmsprop`, `adam`, `rprop`.
    var name: String { get }
    /// Settable, so that a rate reduced while training (`PlateauReduction`) applies to the next update.
    var settings: OptimizerSettings { get set }
    /// Where the gradient for the next step is to be evaluated.
    func evaluationPoint(for parameters: NamedTensors) -> NamedTensors
    /// One update from the gradient at `evaluationPoint(for: parameters)`.
    mutating func step(_ parameters: NamedTensors, gradients: NamedTensors) -> OptimizerStep
    /// Continues from a recorded state (a step's `state`, as traces keep it): its tensors and its step
    /// count `t`, so that the next step is the one that followed it. Replaying a student's run uses it.
    mutating func resume(from state: TraceOptimizerState)
}

extension Optimizer {
    public func evaluationPoint(for parameters: NamedTensors) -> NamedTensors { parameters }
}

/// What every optimizer shares: the base learning rate η₀, its schedule, and weight decay λ.
public struct OptimizerSettings: Sendable, Hashable {
    public var learningRate: Double
    public var schedule: LearningRateSchedule
    /// L2 weight decay: the gradient used is g + λθ (note 002).
    public var weightDecay: Double

    public init(learningRate: Double, schedule: LearningRateSchedule = .constant, weightDecay: Double = 0) {
        self.learningRate = learningRate
        self.schedule = schedule
        self.weightDecay = weightDecay
    }

    /// η at step t (t = 0 for the first update).
    public func rate(at t: Int) -> Double { schedule.rate(learningRate, at: t) }

    /// g + λθ, entry by entry.
    func decayed(_ gradients: NamedTensors, _ parameters: NamedTensors) -> NamedTensors {
        guard weightDecay != 0 else { return gradients }
        return gradients.mapValues { name, g in
            guard let theta = parameters[name] else { return g }
            return Tensor(checkedShape: g.shape, scalars: zip(g.scalars, theta.scalars).map { $0 + weightDecay * $1 })
        }
    }
}

/// One recorded update: the parameters after it, the learning rate used, and the optimizer's state.
public struct OptimizerStep: Sendable, Hashable {
    public let parameters: NamedTensors
    public let learningRate: Double
    /// The gradient the update used (after weight decay).
    public let gradients: NamedTensors
    public let state: TraceOptimizerState
}

/// Annealing the learning rate (note 002): η_t for update t = 0, 1, 2, …
public enum LearningRateSchedule: Sendable, Hashable {
    case constant
    /// η₀ · factor^⌊t / every⌋ (e.g. halve every 100 steps).
    case step(every: Int, factor: Double)
    /// η₀ · e^(−kt).
    case exponential(k: Double)
    /// η₀ / (1 + kt), the hyperbolic (1/t) decay.
    case hyperbolic(k: Double)

    public func rate(_ base: Double, at t: Int) -> Double {
        switch self {
        case .constant: return base
        case .step(let every, let factor): return base * pow(factor, Double(t / max(every, 1)))
        case .exponential(let k): return base * exp(-k * Double(t))
        case .hyperbolic(let k): return base / (1 + k * Double(t))
        }
    }
}

/// Lowering the rate when the loss plateaus (note 000, "Learning curves"): after each epoch the caller
/// hands over the epoch's loss; when `patience` epochs in a row have not brought it below the best so far
/// by more than the fraction `threshold` of the best, the rate is multiplied by `factor` and the count
/// starts again. Unlike `LearningRateSchedule`, the rate depends on the losses, so it is kept here and the
/// caller sets the optimizer's `settings.learningRate` to `rate`.
public struct PlateauReduction: Sendable, Hashable {
    public let patience: Int
    public let factor: Double
    public let threshold: Double
    /// The current rate: the initial one times `factor` per reduction so far.
    public private(set) var rate: Double
    /// The lowest loss seen so far, and the epochs since it was last lowered enough.
    public private(set) var best = Double.infinity
    public private(set) var waited = 0

    public init(rate: Double, patience: Int, factor: Double, threshold: Double) {
        self.rate = rate
        self.patience = max(1, patience)
        self.factor = factor
        self.threshold = threshold
    }

    /// Takes one epoch's loss; true when it lowered the rate.
    public mutating func observe(_ loss: Double) -> Bool {
        if loss < best - threshold * abs(best) || best == .infinity {
            best = loss
            waited = 0
            return false
        }
        waited += 1
        guard waited >= patience else { return false }
        rate *= factor
        waited = 0
        return true
    }
}

/// Per-parameter state tensors (velocity, sums, moments), zero until first used.
struct ParameterState: Sendable, Hashable {
    private(set) var tensors = NamedTensors()

    init(_ tensors: NamedTensors = NamedTensors()) { self.tensors = tensors }

    func value(_ name: String, like parameter: Tensor) -> [Double] {
        tensors[name]?.scalars ?? Array(repeating: 0, count: parameter.count)
    }

    mutating func set(_ name: String, _ scalars: [Double], like parameter: Tensor) {
        tensors[name] = Tensor(checkedShape: parameter.shape, scalars: scalars)
    }
}

extension TraceOptimizerState {
    /// The step count a state records (its scalar `t`), 0 when absent.
    var stepCount: Int { Int(scalars["t"] ?? 0) }
}

/// Applies `update` to every named parameter with its gradient, entry arrays in, new entries out.
func updateEach(_ parameters: NamedTensors, _ gradients: NamedTensors,
                _ update: (String, Tensor, [Double]) -> [Double]) -> NamedTensors {
    parameters.mapValues { name, theta in
        let g = gradients[name]?.scalars ?? Array(repeating: 0, count: theta.count)
        return Tensor(checkedShape: theta.shape, scalars: update(name, theta, g))
    }
}
