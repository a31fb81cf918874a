import Foundation
import Sim
import Testing
@testable import Lessons

/// The regularization lesson: weight decay's gradient against central differences of the regularized
/// loss, dropout's forward and backward pass against the same mask applied by hand, the three runs against
/// a network trained on plain arrays here (with the lesson's seeded masks), the split, and the sentences.
@Suite struct RegularizationLessonTests {
    static func outcome(_ overrides: [String] = [], seed: UInt64? = nil) throws -> (RegularizationLesson.Outcome, Lesson<RegularizationLesson>) {
        let context = try LessonRun.context(script: try LessonScript(named: "regularization"), overrides: overrides, seed: seed, recordsSteps: false)
        let lesson = try Lesson<RegularizationLesson>(context)
        return (try RegularizationLesson.compute(lesson), lesson)
    }

    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    /// The network on plain arrays: W1 is (d + 1) × h row-major with the bias row last, W2 h × 1; `mask`
    /// (row-major, samples × h) and `keep` apply inverted dropout to the hidden layer. Returns ŷ per sample,
    /// L = ½Σ(ŷ − y)², and ∂L/∂W1, ∂L/∂W2 by the chain rule written out.
    static func network(_ w1: [Double], _ w2: [Double], _ xs: [[Double]], _ ys: [Double], mask: [Double]? = nil, keep: Double = 1)
        -> (yhat: [Double], loss: Double, g1: [Double], g2: [Double]) {
        let h = w2.count, rows = w1.count / h
        var yhat: [Double] = [], loss = 0.0
        var g1 = [Double](repeating: 0, count: w1.count), g2 = [Double](repeating: 0, count: h)
        for (i, (x0, y)) in zip(xs, ys).enumerated() {
            let x = x0 + [1]
            let a = (0..<h).map { j in tanh((0..<rows).reduce(0) { $0 + x[$1] * w1[$1 * h + j] }) }
            let m = (0..<h).map { j in mask.map { $0[i * h + j] / keep } ?? 1 }
            let hd = zip(a, m).map(*)
            let q = sigmoid(zip(hd, w2).map(*).reduce(0, +))
            yhat.append(q)
            loss += 0.5 * (q - y) * (q - y)
            let delta = (q - y) * q * (1 - q)
            for j in 0..<h {
                g2[j] += hd[j] * delta
                let dz = delta * w2[j] * m[j] * (1 - a[j] * a[j])
                for r in 0..<rows { g1[r * h + j] += x[r] * dz }
            }
        }
        return (yhat, loss, g1, g2)
    }

    /// The update's gradient with weight decay is the gradient of J = L + (λ/2)‖θ‖² by central differences.
    @Test func weightDecaysGradientIsTheRegularizedLosss() throws {
        let (outcome, _) = try Self.outcome(["steps=1", "hidden=5"])
        let train = outcome.train, lambda = 0.3
        let training = NetworkTraining(inputs: train.matrix(biasColumn: true), targets: train.targetColumn, activation: .tanh)
        var optimizer = TrainingChoices.optimizer(.gd, rate: 0.1, weightDecay: lambda)
        let iteration = try training.iteration(from: outcome.initial, optimizer: &optimizer)
        let w1 = try outcome.initial.required("W1", in: "test").scalars, w2 = try outcome.initial.required("W2", in: "test").scalars
        func J(_ a: [Double], _ b: [Double]) -> Double {
            Self.network(a, b, train.inputs, train.targets).loss + lambda / 2 * (a + b).reduce(0) { $0 + $1 * $1 }
        }
        let eps = 1e-6
        let g1 = try iteration.update.gradients.required("W1", in: "test").scalars, g2 = try iteration.update.gradients.required("W2", in: "test").scalars
        for k in w1.indices {
            var up = w1, down = w1
            up[k] += eps; down[k] -= eps
            let numeric = (J(up, w2) - J(down, w2)) / (2 * eps)
            #expect(abs(g1[k] - numeric) < 1e-7 * max(1, abs(numeric)), "W1[\(k)]: \(g1[k]) against \(numeric)")
        }
        for k in w2.indices {
            var up = w2, down = w2
            up[k] += eps; down[k] -= eps
            let numeric = (J(w1, up) - J(w1, down)) / (2 * eps)
            #expect(abs(g2[k] - numeric) < 1e-7 * max(1, abs(numeric)), "W2[\(k)]: \(g2[k]) against \(numeric)")
        }
    }

    /// Dropout's forward pass and backward pass through the engine's graph with a given mask, against the
    /// same mask applied by hand: kept units scaled by 1/keep, dropped units pass no gradient.
    @Test func dropoutForwardAndBackwardWithTheSameMask() throws {
        let (outcome, _) = try Self.outcome(["steps=1", "hidden=6"])
        let train = outcome.train, keep = 0.6
        var generator = SeededGenerator(seed: 77)
        let mask = (0..<(train.inputs.count * 6)).map { _ in generator.uniform() < keep ? 1.0 : 0.0 }
        #expect(mask.contains(0) && mask.contains(1))
        var training = NetworkTraining(inputs: train.matrix(biasColumn: true), targets: train.targetColumn, activation: .tanh)
        training.dropout = keep
        let (graph, loss) = try training.graph(outcome.initial, mask: try Tensor(shape: [train.inputs.count, 6], scalars: mask))
        let gradients = try graph.backward(from: loss)
        let w1 = try outcome.initial.required("W1", in: "test").scalars, w2 = try outcome.initial.required("W2", in: "test").scalars
        let hand = Self.network(w1, w2, train.inputs, train.targets, mask: mask, keep: keep)
        #expect(abs((loss.value.scalar ?? .nan) - hand.loss) < 1e-12)
        let node1 = try #require(graph.node(named: "W1")), node2 = try #require(graph.node(named: "W2"))
        let engine1 = try #require(gradients[node1.id]).scalars, engine2 = try #require(gradients[node2.id]).scalars
        for (a, b) in zip(engine1, hand.g1) { #expect(abs(a - b) < 1e-12, "W1: \(a) against \(b)") }
        for (a, b) in zip(engine2, hand.g2) { #expect(abs(a - b) < 1e-12, "W2: \(a) against \(b)") }
    }

    /// The three runs against gradient descent on plain arrays: the decay run adds λθ to the gradient, the
    /// dropout run draws each update's mask from a generator seeded with seed + 1 (samples × hidden,
    /// row-major, kept when uniform() < 1 − p); losses and norms are measured without dropout.
    @Test(arguments: [(UInt64(1), ["steps=30", "hidden=8"]), (6, ["steps=25", "hidden=5", "dropout=0.3", "weight-decay=0.2", "train-size=30", "flipped=0", "learning-rate=0.3"])] as [(UInt64, [String])])
    func runsAreGradientDescentOnPlainArrays(seed: UInt64, overrides: [String]) throws {
        let (outcome, lesson) = try Self.outcome(overrides, seed: seed)
        let s = lesson.settings
        let (train, test) = (outcome.train, outcome.test)
        #expect(outcome.runs.map(\.name) == ["none", "weight-decay", "dropout"])
        for run in outcome.runs {
            var w1 = try outcome.initial.required("W1", in: "test").scalars, w2 = try outcome.initial.required("W2", in: "test").scalars
            var masks = SeededGenerator(seed: seed &+ 1)
            let lambda = run.name == "weight-decay" ? s.weightDecay : 0, keep = 1 - s.dropout
            func measure() -> (Double, Double, Double) {
                (Self.network(w1, w2, train.inputs, train.targets).loss / Double(train.inputs.count),
                 Self.network(w1, w2, test.inputs, test.targets).loss / Double(test.inputs.count),
                 (w1 + w2).reduce(0) { $0 + $1 * $1 }.squareRoot())
            }
            var expected = [measure()]
            var updateLosses: [Double] = []
            for step in 1...s.steps {
                let mask = run.name == "dropout" ? (0..<(train.inputs.count * s.hidden)).map { _ in masks.uniform() < keep ? 1.0 : 0.0 } : nil
                let pass = Self.network(w1, w2, train.inputs, train.targets, mask: mask, keep: run.name == "dropout" ? keep : 1)
                updateLosses.append(pass.loss)
                w1 = zip(w1, pass.g1).map { $0 - s.learningRate * ($1 + lambda * $0) }
                w2 = zip(w2, pass.g2).map { $0 - s.learningRate * ($1 + lambda * $0) }
                if outcome.checkpoints.contains(step) { expected.append(measure()) }
            }
            for (a, b) in zip(run.updateLosses, updateLosses) { #expect(abs(a - b) < 1e-10 * max(1, b), "\(run.name): \(a) against \(b)") }
            #expect(run.trainLosses.count == expected.count)
            for (i, e) in expected.enumerated() {
                #expect(abs(run.trainLosses[i] - e.0) < 1e-10 && abs(run.testLosses[i] - e.1) < 1e-10 && abs(run.norms[i] - e.2) < 1e-10, "\(run.name) checkpoint \(i)")
            }
        }
    }

    /// The split: train-size points of a seeded order, the first `flipped` with the other class; the rest
    /// as they are, every point once.
    @Test func theSplitFlipsTheFirstTrainingPoints() throws {
        let (outcome, _) = try Self.outcome(["steps=1", "hidden=2", "train-size=25", "flipped=4"], seed: 3)
        let data = outcome.data
        #expect(outcome.train.inputs.count == 25 && outcome.test.inputs.count == data.inputs.count - 25)
        var generator = SeededGenerator(seed: 3 &+ 2)
        let order = generator.permutation(data.inputs.count)
        for (k, i) in order.enumerated() {
            if k < 25 {
                #expect(outcome.train.inputs[k] == data.inputs[i])
                #expect(outcome.train.targets[k] == (k < 4 ? 1 - data.targets[i] : data.targets[i]))
            } else {
                #expect(outcome.test.inputs[k - 25] == data.inputs[i] && outcome.test.targets[k - 25] == data.targets[i])
            }
        }
        #expect(throws: LessonError.self) { try Self.outcome(["train-size=5", "flipped=6"]) }
        #expect(throws: LessonError.self) { try Self.outcome(["train-size=100"]) }
    }

    /// The sentences name the runs the numbers say, for other seeds and settings too; and a run repeats.
    @Test(arguments: [(UInt64(1), ["steps=200"]), (4, ["steps=150", "weight-decay=0.001"]), (8, ["steps=100", "dropout=0.1", "flipped=0"])] as [(UInt64, [String])])
    func sentencesFollowTheOutcome(seed: UInt64, overrides: [String]) throws {
        let (outcome, lesson) = try Self.outcome(overrides, seed: seed)
        let text = RegularizationLesson.comparison(outcome, in: lesson).joined(separator: " ")
        let test = try #require(outcome.runs.min { ($0.testLosses.last ?? 0) < ($1.testLosses.last ?? 0) })
        let train = try #require(outcome.runs.min { ($0.trainLosses.last ?? 0) < ($1.trainLosses.last ?? 0) })
        let norm = try #require(outcome.runs.min { ($0.norms.last ?? 0) < ($1.norms.last ?? 0) })
        #expect(text.contains("the \(test.name) network has the lowest test loss"), "\(text)")
        #expect(text.contains("the \(train.name) network the lowest train loss"), "\(text)")
        #expect(text.contains("smallest weights at the end are the \(norm.name) network's"), "\(text)")
        let (again, _) = try Self.outcome(overrides, seed: seed)
        #expect(again.runs.map(\.testLosses) == outcome.runs.map(\.testLosses) && again.runs.map(\.updateLosses) == outcome.runs.map(\.updateLosses))
    }
}
