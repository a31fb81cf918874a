import Foundation

/// Small trained networks evaluated at one input, without building a graph: a decision-region figure
/// calls them at every pixel (160 × 160) of every snapshot it draws. They are here, in Sim, because Sim is
/// compiled optimized in every build: written in the lessons' module (unoptimized in the tests' debug
/// build), these loops were about a fifth of the figure tests' time. The numbers are the graph's: the
/// lesson tests compare the figures' fields with the trained network's own forward pass.
public enum PointForward {
    /// ŷ = σ(Σⱼ φ(zⱼ)·W2[j]) with zⱼ = Σᵢ xᵢ·W1[i, j], plus W1's last row where W1 has one row more than x
    /// has entries (the bias column of note 001's network). W1 is rows × hidden, W2 hidden × 1, row-major.
    public static func sigmoidOutput(w1: [Double], w2: [Double], rows: Int, hidden: Int, activation: any ElementwiseFunction,
                                     biasColumn: Bool) -> @Sendable ([Double]) -> Double {
        { input in
            var z = 0.0
            for j in 0..<hidden {
                var s = 0.0
                for i in 0..<min(rows, input.count) { s += input[i] * w1[i * hidden + j] }
                if biasColumn && input.count < rows { s += w1[input.count * hidden + j] }
                z += activation.value(s) * w2[j]
            }
            return Sigmoid().value(z)
        }
    }

    /// The scores s = ReLU([1, x]·W1)·W2 + b2 of a softmax classifier with one hidden layer (W1's first row
    /// is the bias): W1 is d × h, W2 h × k, b2 has k entries.
    public static func reluScores(w1: [Double], w2: [Double], b2: [Double], d: Int, h: Int, k: Int) -> @Sendable ([Double]) -> [Double] {
        { x in
            var s = b2
            for j in 0..<h {
                var z = w1[j]
                for i in 1..<max(1, min(d, x.count + 1)) { z += x[i - 1] * w1[i * h + j] }
                guard z > 0 else { continue }
                for c in 0..<k { s[c] += z * w2[j * k + c] }
            }
            return s
        }
    }

    /// The scores s = [1, x]·W of a linear classifier (W's first row is the bias): W is d × k.
    public static func linearScores(w: [Double], d: Int, k: Int) -> @Sendable ([Double]) -> [Double] {
        { x in
            (0..<k).map { c in
                var total = w[c]
                for i in 1..<max(1, min(d, x.count + 1)) { total += x[i - 1] * w[i * k + c] }
                return total
            }
        }
    }

    /// The softmax of one row of scores, stable: the engine's own (`Tensor.softmax`).
    public static func softmax(_ s: [Double]) -> [Double] { Tensor.softmax(s) }
}
