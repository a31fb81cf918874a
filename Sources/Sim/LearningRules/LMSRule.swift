/// The Widrow–Hoff (Adaline, LMS) batch rule of note 001: a linear unit y = w·x with the bias as w₀ on a
/// constant input x₀ = 1, loss ½Σ(d − y)², and the update w ← w + μ Σᵢ (dᵢ − yᵢ) xᵢ over all samples,
/// which is gradient descent on that loss with rate μ.
public struct LMSRule: Sendable {
    public let rate: Double

    public init(rate: Double) { self.rate = rate }

    /// One batch update.
    public struct Step: Sendable, Hashable {
        public let step: Int
        public let weightsBefore: [Double]
        /// The outputs w·x before the update.
        public let outputs: [Double]
        /// ½Σ(d − y)² before the update.
        public let loss: Double
        public let weightsAfter: [Double]
    }

    /// Runs `steps` batch updates from `initial` (bias first).
    public func train(inputs: [[Double]], targets: [Double], initial: [Double], steps: Int) -> [Step] {
        let rows = inputs.map { [1] + $0 }
        var w = initial
        var record: [Step] = []
        for step in 1...max(1, steps) {
            let y = rows.map { row in zip(w, row).reduce(0) { $0 + $1.0 * $1.1 } }
            let residual = zip(targets, y).map { $0 - $1 }
            let loss = 0.5 * residual.reduce(0) { $0 + $1 * $1 }
            var next = w
            for (row, r) in zip(rows, residual) {
                for j in next.indices { next[j] += rate * r * row[j] }
            }
            record.append(Step(step: step, weightsBefore: w, outputs: y, loss: loss, weightsAfter: next))
            w = next
        }
        return record
    }
}
