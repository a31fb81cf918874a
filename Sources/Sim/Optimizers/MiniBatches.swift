/// Mini-batches for SGD: each epoch is a fresh Fisher–Yates permutation of the sample indices from
/// nnsim's generator, cut in order into batches of `batchSize` (the last one smaller when the count does
/// not divide). Batch size 1 is plain SGD, batch size = count is full-batch gradient descent (shuffled).
public struct MiniBatches: Sendable {
    public let count: Int
    public let batchSize: Int
    private var generator: SeededGenerator

    public init(count: Int, batchSize: Int, seed: UInt64) {
        self.count = count
        self.batchSize = max(1, batchSize)
        generator = SeededGenerator(seed: seed)
    }

    /// The next epoch's batches of sample indices.
    public mutating func nextEpoch() -> [[Int]] {
        let order = generator.permutation(count)
        return stride(from: 0, to: count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, count)]) }
    }
}
