import Foundation
import Sim

/// The built-in data sets drawn from nnsim's own generator (docs/random-numbers.md, "Data sets"): each from
/// `SeededGenerator(seed: 1)`, the points class by class, and for each point its x noise before its y
/// noise, so that docs/reference_random.py draws the same numbers bit for bit. A class column holds the
/// class's number 0, 1, …, K − 1 (docs/lesson-format.md, "Classes").
extension DataSet {
    /// The generator every built-in generated set starts from, whatever the lesson's seed: the data are
    /// fixed, the lesson's seed only draws its weights and orders.
    static let dataSeed: UInt64 = 1

    /// Three Gaussian blobs of 30 points each, σ = 1, around (0, 2), (−1.75, −1) and (1.75, −1).
    public static let blobs: DataSet = {
        var g = SeededGenerator(seed: dataSeed)
        let centres: [(Double, Double)] = [(0, 2), (-1.75, -1), (1.75, -1)]
        var inputs: [[Double]] = [], targets: [Double] = []
        for (k, c) in centres.enumerated() {
            for _ in 0..<30 {
                let x = c.0 + g.gaussian()
                let y = c.1 + g.gaussian()
                inputs.append([x, y])
                targets.append(Double(k))
            }
        }
        return DataSet(name: "blobs", inputNames: ["x1", "x2"], inputs: inputs, targets: targets)
    }()

    /// Two interleaved half circles of 50 points each (scikit-learn's make_moons): class 0 on
    /// (cos t, sin t), class 1 on (1 − cos t, 0.5 − sin t), t = π·i/49, each coordinate plus 0.15·N(0, 1).
    public static let moons: DataSet = {
        var g = SeededGenerator(seed: dataSeed)
        var inputs: [[Double]] = [], targets: [Double] = []
        for k in 0..<2 {
            for i in 0..<50 {
                let t = Double.pi * Double(i) / 49
                let (cx, cy) = k == 0 ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
                let x = cx + 0.15 * g.gaussian()
                let y = cy + 0.15 * g.gaussian()
                inputs.append([x, y])
                targets.append(Double(k))
            }
        }
        return DataSet(name: "moons", inputNames: ["x1", "x2"], inputs: inputs, targets: targets)
    }()

    /// CS231n's spiral: three arms of 50 points, for arm j and i = 0…49 radius r = i/49 and angle
    /// t = 4j + i·(4/49) + 0.2·N(0, 1), the point (r·sin t, r·cos t). No line separates the arms.
    public static let spiral: DataSet = {
        var g = SeededGenerator(seed: dataSeed)
        var inputs: [[Double]] = [], targets: [Double] = []
        for j in 0..<3 {
            for i in 0..<50 {
                let r = Double(i) / 49
                let t = Double(4 * j) + Double(i) * (4.0 / 49) + 0.2 * g.gaussian()
                inputs.append([r * sin(t), r * cos(t)])
                targets.append(Double(j))
            }
        }
        return DataSet(name: "spiral", inputNames: ["x1", "x2"], inputs: inputs, targets: targets)
    }()

    /// Two rings of 50 points each (scikit-learn's make_circles): class 0 on the circle of radius 1,
    /// class 1 on radius 0.5, at t = 2π·i/50, each coordinate plus 0.08·N(0, 1).
    public static let circles: DataSet = {
        var g = SeededGenerator(seed: dataSeed)
        var inputs: [[Double]] = [], targets: [Double] = []
        for (k, radius) in [1.0, 0.5].enumerated() {
            for i in 0..<50 {
                let t = 2 * Double.pi * Double(i) / 50
                let x = radius * cos(t) + 0.08 * g.gaussian()
                let y = radius * sin(t) + 0.08 * g.gaussian()
                inputs.append([x, y])
                targets.append(Double(k))
            }
        }
        return DataSet(name: "circles", inputNames: ["x1", "x2"], inputs: inputs, targets: targets)
    }()

    /// A linear regression line of 30 points (the target d, one input x): x = 5·i/29 for i = 0…29, and
    /// d = 2x + 1 + 0.5·N(0, 1), the line of the hand-written `line` with more, noisier points. The
    /// least-squares line through them is not exactly 2x + 1: the noise moves it (the adaline lesson computes it).
    public static let lineNoisy: DataSet = {
        var g = SeededGenerator(seed: dataSeed)
        var inputs: [[Double]] = [], targets: [Double] = []
        for i in 0..<30 {
            let x = 5 * Double(i) / 29
            inputs.append([x])
            targets.append(2 * x + 1 + 0.5 * g.gaussian())
        }
        return DataSet(name: "line-noisy", inputNames: ["x"], targetName: "d", inputs: inputs, targets: targets)
    }()

    /// The generated sets, in the order docs/reference_random.py prints them.
    public static let generated = [blobs, moons, spiral, circles, lineNoisy]

    /// The most classes a lesson draws: one colour and marker each (Theme's series colours).
    public static let maximumClasses = 6

    /// The targets as class numbers 0…K−1 with K, checked: every target a whole number from 0, at least
    /// two classes, at most `maximumClasses`.
    public func classLabels() throws(LessonError) -> (labels: [Int], count: Int) {
        if let bad = targets.firstIndex(where: { $0 < 0 || $0 != $0.rounded() || $0 >= Double(Self.maximumClasses) }) {
            throw LessonError("a class column holds the class numbers 0, 1, …, \(Self.maximumClasses - 1); row \(bad + 1) has \(NumberFormat.display(targets[bad]))", key: "data")
        }
        let labels = targets.map { Int($0) }
        let count = (labels.max() ?? 0) + 1
        guard count >= 2 else { throw LessonError("the data have one class only; a classifier needs at least two", key: "data") }
        return (labels, count)
    }

    /// The targets as one-hot rows (row i has 1 in column yᵢ): the softmax's target matrix.
    public func oneHot(classes: Int) throws(LessonError) -> Tensor {
        let (labels, _) = try classLabels()
        do {
            return try Tensor(rows: labels.map { y in (0..<classes).map { $0 == y ? 1 : 0 } })
        } catch {
            throw LessonError("could not make the one-hot targets: \(error)", key: "data")
        }
    }
}
