import Sim

/// Full-batch training of a one-hidden-layer network in note 001's layout: H = act(X·W1), Ŷ = σ(H·W2),
/// L = ½Σ(Ŷ − Y)², where X carries a constant-1 column for the bias. Every iteration builds the graph,
/// runs backward, and lets the optimizer update W1 and W2; all of it is recorded.
///
/// With `dropout`, every iteration draws a fresh mask over the hidden activations (one entry per sample
/// and unit, kept with that probability, row-major from a generator seeded with `dropoutSeed`) and
/// applies inverted dropout to H (note 003); evaluation afterwards uses no dropout.
struct NetworkTraining {
    let inputs: Tensor
    let targets: Tensor
    let activation: Activation
    var dropout: Double? = nil
    var dropoutSeed: UInt64 = 0
    /// Samples per update: 0 (or the sample count) is full batch; fewer are mini-batches, each epoch a
    /// fresh permutation from a generator seeded with `batchSeed`, cut in order (docs/optimizers.md).
    var batchSize = 0
    var batchSeed: UInt64 = 0

    /// One iteration's record.
    struct Iteration {
        let graph: Graph
        let gradients: Gradients
        /// The loss of the samples the update used (all of them, or the mini-batch).
        let loss: Double
        let update: OptimizerStep
        /// The samples' indices the update used.
        var samples: [Int] = []
    }

    /// The graph at parameters `w` (W1 and W2): nodes X, W1, z1, h, W2, z2, yhat, Y, L.
    func graph(_ w: NamedTensors, inputs x: Tensor? = nil, targets y: Tensor? = nil, mask: Tensor? = nil) throws -> (Graph, Var) {
        let g = Graph()
        let X = try g.input("X", x ?? inputs)
        let W1 = try g.parameter("W1", try w.required("W1", in: "the network's parameters"))
        let W2 = try g.parameter("W2", try w.required("W2", in: "the network's parameters"))
        let Y = try g.input("Y", y ?? targets)
        let z1 = try g.apply(MatMul(), [X, W1], name: "z1")
        var h = try g.apply(activation.function, [z1], name: "h")
        if let mask, let keep = dropout { h = try g.apply(try Dropout(mask: mask, keepProbability: keep), [h], name: "h_dropped") }
        let z2 = try g.apply(MatMul(), [h, W2], name: "z2")
        let yhat = try g.apply(Sigmoid(), [z2], name: "yhat")
        return (g, try g.apply(SquaredError(), [yhat, Y], name: "L"))
    }

    /// Runs `steps` iterations from `initial`, calling `record` with each (so callers keep what they need).
    func train(from initial: NamedTensors, optimizer: any Optimizer, steps: Int,
               record: (Int, Iteration) throws -> Void) throws -> NamedTensors {
        var optimizer = optimizer
        var w = initial
        var masks = SeededGenerator(seed: dropoutSeed)
        var order = UpdateSamples(count: inputs.shape[0], batchSize: batchSize, seed: batchSeed)
        let batching = order.batching
        for step in 1...max(1, steps) {
            let samples = order.next()
            var mask: Tensor?
            if let keep = dropout, let hidden = w["W1"]?.shape.last {
                mask = try Tensor(shape: [samples.count, hidden], scalars: (0..<samples.count * hidden).map { _ in masks.uniform() < keep ? 1 : 0 })
            }
            var iteration = batching
                ? try self.iteration(from: w, optimizer: &optimizer, mask: mask, inputs: try Self.rows(samples, of: inputs), targets: try Self.rows(samples, of: targets))
                : try self.iteration(from: w, optimizer: &optimizer, mask: mask)
            iteration.samples = samples
            try record(step, iteration)
            w = iteration.update.parameters
        }
        return w
    }

    /// One iteration from parameters `w`: the graph at the optimizer's evaluation point, backward, and the
    /// optimizer's update of W1 and W2.
    func iteration(from w: NamedTensors, optimizer: inout any Optimizer, mask: Tensor? = nil,
                   inputs x: Tensor? = nil, targets y: Tensor? = nil) throws -> Iteration {
        let (g, loss) = try graph(optimizer.evaluationPoint(for: w), inputs: x, targets: y, mask: mask)
        let gradients = try g.backward(from: loss)
        var grads = NamedTensors()
        for name in ["W1", "W2"] {
            // A parameter that does not reach L has gradient 0 (of its shape); one missing is an error.
            if let node = g.node(named: name) { grads.append(name, try gradients[node.id] ?? w.required(name, in: "the network's parameters").map { _ in 0 }) }
        }
        return Iteration(graph: g, gradients: gradients, loss: loss.value.scalar ?? .nan, update: optimizer.step(w, gradients: grads))
    }

    /// The rows `indices` of a matrix, in that order.
    static func rows(_ indices: [Int], of matrix: Tensor) throws -> Tensor {
        let width = matrix.shape[1]
        return try Tensor(shape: [indices.count, width], scalars: indices.flatMap { matrix.scalars[($0 * width)..<($0 * width + width)] })
    }

    /// The network's outputs on `data`'s inputs (without the bias column), their loss ½Σ(ŷ − y)² and how
    /// many are on the right side of ½, at parameters `w`.
    static func evaluate(_ w: NamedTensors, on data: DataSet, activation: Activation, biasColumn: Bool) throws(LessonError) -> (outputs: [Double], loss: Double, correct: Int) {
        let outputs = data.inputs.map(try function(w, activation: activation, biasColumn: biasColumn))
        let loss = 0.5 * zip(outputs, data.targets).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let correct = zip(outputs, data.targets).filter { ($0.0 >= 0.5 ? 1.0 : 0.0) == $0.1 }.count
        return (outputs, loss, correct)
    }

    /// The network's output as a function of one input row (without the bias column), on plain numbers,
    /// with the engine's activations, for drawing: the weights are unpacked once, since a decision-region figure calls it 25,600 times.
    static func function(_ w: NamedTensors, activation: Activation, biasColumn: Bool) throws(LessonError) -> @Sendable ([Double]) -> Double {
        let W1 = try w.required("W1", in: "the network's weights"), W2 = try w.required("W2", in: "the network's weights")
        return PointForward.sigmoidOutput(w1: W1.scalars, w2: W2.scalars, rows: W1.shape[0], hidden: W1.shape[1],
                                          activation: activation.function, biasColumn: biasColumn)
    }
}
