import Render
import Sim

/// Training a model whose graph the lesson builds (logistic regression, the softmax classifier): every
/// iteration builds the graph at the optimizer's evaluation point on the iteration's samples, runs
/// backward and lets the optimizer update every named parameter. Full batch, or mini-batches of
/// `batchSize` in a fresh order each epoch from a generator seeded with `batchSeed` (MiniBatches,
/// docs/optimizers.md).
struct GraphTraining {
    /// The graph at the parameters, on the iteration's inputs and targets, and its loss.
    typealias Builder = (_ parameters: NamedTensors, _ inputs: Tensor, _ targets: Tensor) throws -> (Graph, Var)

    let inputs: Tensor
    let targets: Tensor
    /// The parameters the optimizer updates, by their names in the graph.
    let parameters: [String]
    let build: Builder
    var batchSize = 0
    var batchSeed: UInt64 = 0

    typealias Iteration = NetworkTraining.Iteration

    /// Runs `steps` iterations from `initial`, calling `record` with each.
    func train(from initial: NamedTensors, optimizer: any Optimizer, steps: Int,
               record: (Int, Iteration) throws -> Void) throws -> NamedTensors {
        try train(from: initial, optimizer: optimizer, steps: steps) { step, iteration, _ in try record(step, iteration) }
    }

    /// As `train`, and `record` may change the optimizer's settings for the updates after this one (a rate
    /// lowered when the loss plateaus).
    func train(from initial: NamedTensors, optimizer: any Optimizer, steps: Int,
               record: (Int, Iteration, inout OptimizerSettings) throws -> Void) throws -> NamedTensors {
        var optimizer = optimizer
        var w = initial
        var order = UpdateSamples(count: inputs.shape[0], batchSize: batchSize, seed: batchSeed)
        for step in 1...max(1, steps) {
            let samples = order.next()
            var (x, y) = (inputs, targets)
            if order.batching { (x, y) = (try NetworkTraining.rows(samples, of: inputs), try NetworkTraining.rows(samples, of: targets)) }
            let (g, loss) = try build(optimizer.evaluationPoint(for: w), x, y)
            let gradients = try g.backward(from: loss)
            var grads = NamedTensors()
            for name in parameters {
                // Every parameter reaches the loss in these models: one without a gradient is an error, not a 0.
                guard let node = g.node(named: name), let gradient = gradients[node.id] else {
                    throw LessonError("backward gave \(name) no gradient")
                }
                grads.append(name, gradient)
            }
            let iteration = Iteration(graph: g, gradients: gradients, loss: loss.value.scalar ?? .nan,
                                      update: optimizer.step(w, gradients: grads), samples: samples)
            try record(step, iteration, &optimizer.settings)
            w = iteration.update.parameters
        }
        return w
    }

    /// The steps of a run without `--step`'s recording: the first iteration's forward steps, backward
    /// messages and updates in full, then one line per iteration with its loss.
    static func plainSteps(first: Iteration?, losses: [Double], updated: String) throws(LessonError) -> [LessonStep] {
        var steps: [LessonStep] = []
        if let first {
            let walk = GraphWalkthrough(graph: first.graph, gradients: first.gradients)
            steps += walk.forward.map { LessonStep(.forward, "\($0.node) = \($0.formula)", details: [GraphWalkthrough.show($0.value)]) }
            steps += walk.backward.map { LessonStep(.backward, $0.text) }
            for (name, g) in first.update.gradients.entries {
                let parameter = try first.update.parameters.required(name, in: "the first update")
                steps.append(LessonStep(.update, "\(name) ← \(name) − η·∂L/∂\(name), η = \(NumberFormat.display(first.update.learningRate))",
                                        details: ["∂L/∂\(name) = \(GraphWalkthrough.show(g))", "\(name) = \(GraphWalkthrough.show(parameter))"]))
            }
        }
        for (i, loss) in losses.enumerated().dropFirst() {
            steps.append(LessonStep(.update, "iteration \(i + 1): L = \(NumberFormat.display(loss)), then \(updated) updated"))
        }
        return steps
    }

    /// The report's tables of the first iteration: its forward steps and its backward messages.
    static func firstIterationBlocks(_ first: Iteration) -> [Report.Block] {
        let walk = GraphWalkthrough(graph: first.graph, gradients: first.gradients)
        return [.heading("The first iteration, step by step"), .table(walk.forwardTable), .table(walk.backwardTable)]
    }
}

/// The samples of each update: all of them (full batch), or with `batchSize` between 1 and the count the
/// next mini-batch of a fresh order each epoch, from a generator seeded with `seed` (MiniBatches).
struct UpdateSamples {
    let count: Int
    let batching: Bool
    private var batches: MiniBatches
    private var pending: [[Int]] = []

    init(count: Int, batchSize: Int, seed: UInt64) {
        self.count = count
        batching = batchSize > 0 && batchSize < count
        batches = MiniBatches(count: count, batchSize: batching ? batchSize : count, seed: seed)
    }

    /// The next update's sample indices.
    mutating func next() -> [Int] {
        guard batching else { return Array(0..<count) }
        if pending.isEmpty { pending = batches.nextEpoch() }
        return pending.removeFirst()
    }
}
