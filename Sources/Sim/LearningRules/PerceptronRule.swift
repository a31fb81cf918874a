/// Rosenblatt's perceptron rule (notes 001, 002): samples are presented one at a time in order, the
/// output is y = step(w·x) with the bias as w₀ on a constant input x₀ = 1 (step(s) = 1 for s > 0, else 0,
/// as note 001 writes it), and every presentation updates w ← w + α(d − y)x.
public struct PerceptronRule: Sendable {
    public let learningRate: Double

    public init(learningRate: Double = 1) { self.learningRate = learningRate }

    /// One presented sample and what it did to the weights.
    public struct Presentation: Sendable, Hashable {
        public let epoch: Int
        public let sample: Int
        /// The input with the constant 1 first.
        public let input: [Double]
        public let target: Double
        public let netInput: Double
        public let output: Double
        /// d − y.
        public var error: Double { target - output }
        public let weightsBefore: [Double]
        public let weightsAfter: [Double]
    }

    public enum Outcome: Sendable, Hashable {
        /// An epoch with no errors: `epochs` counts it, `updates` the presentations that changed w.
        case converged(epochs: Int, updates: Int)
        /// The weights at the end of epoch `repeatsAt` equal those at the end of epoch `firstEpoch`: the
        /// rule is deterministic, so it would cycle forever (no line separates the data, as for XOR).
        case cycle(firstEpoch: Int, repeatsAt: Int)
        case stopped(epochs: Int)
    }

    public struct Run: Sendable {
        public let presentations: [Presentation]
        /// Misclassified samples in each epoch.
        public let errorsPerEpoch: [Int]
        public let outcome: Outcome
        public var finalWeights: [Double] { presentations.last?.weightsAfter ?? [] }
    }

    /// Trains from `initial` weights (w₀ is the bias, so it has one entry more than each input).
    public func train(inputs: [[Double]], targets: [Double], initial: [Double], maxEpochs: Int = 1000) -> Run {
        var w = initial
        var presentations: [Presentation] = []
        var errorsPerEpoch: [Int] = []
        var epochEnds: [[Double]] = [initial]
        var updates = 0
        for epoch in 1...max(1, maxEpochs) {
            var errors = 0
            for (index, (x, d)) in zip(inputs, targets).enumerated() {
                let presentation = present(x, target: d, weights: w, epoch: epoch, sample: index)
                if presentation.output != d {
                    errors += 1
                    updates += 1
                }
                w = presentation.weightsAfter
                presentations.append(presentation)
            }
            errorsPerEpoch.append(errors)
            if errors == 0 {
                return Run(presentations: presentations, errorsPerEpoch: errorsPerEpoch,
                           outcome: .converged(epochs: epoch, updates: updates))
            }
            // Equal up to rounding: with a learning rate like 0.1 the sums can differ in the last bits.
            if let earlier = epochEnds.firstIndex(where: { Self.same($0, w) }) {
                return Run(presentations: presentations, errorsPerEpoch: errorsPerEpoch,
                           outcome: .cycle(firstEpoch: earlier, repeatsAt: epoch))
            }
            epochEnds.append(w)
        }
        return Run(presentations: presentations, errorsPerEpoch: errorsPerEpoch, outcome: .stopped(epochs: maxEpochs))
    }

    /// One presentation of input `x` (without the constant 1) with target `d` to weights `w`.
    public func present(_ x: [Double], target d: Double, weights w: [Double], epoch: Int = 1, sample: Int = 0) -> Presentation {
        let input = [1] + x
        let net = zip(w, input).reduce(0) { $0 + $1.0 * $1.1 }
        let y: Double = net > 0 ? 1 : 0
        let after = y == d ? w : zip(w, input).map { $0 + learningRate * (d - y) * $1 }
        return Presentation(epoch: epoch, sample: sample, input: input, target: d, netInput: net, output: y, weightsBefore: w, weightsAfter: after)
    }

    private static func same(_ a: [Double], _ b: [Double]) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($0), abs($1)) }
    }
}
