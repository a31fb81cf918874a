import Foundation
import Render
import Sim
import Testing
@testable import Lessons

/// The softmax lesson's numbers against a plain re-implementation written here (numpy-style loops on
/// Doubles, CS231n's two-layer network for the hidden layer), central differences and the closed forms.
@Suite struct SoftmaxLessonTests {
    static func outcome(_ overrides: [String] = [], seed: UInt64? = nil) throws -> (SoftmaxLesson.Outcome, Lesson<SoftmaxLesson>) {
        let context = try LessonRun.context(script: try LessonScript(named: "softmax"), overrides: overrides, seed: seed, recordsSteps: false)
        let lesson = try Lesson<SoftmaxLesson>(context)
        return (try SoftmaxLesson.compute(lesson), lesson)
    }

    typealias Matrix = [[Double]]
    static func multiply(_ a: Matrix, _ b: Matrix) -> Matrix {
        a.map { row in (0..<b[0].count).map { j in row.indices.reduce(0) { $0 + row[$1] * b[$1][j] } } }
    }
    static func transpose(_ a: Matrix) -> Matrix { (0..<a[0].count).map { j in a.map { $0[j] } } }
    /// Softmax of a row as the textbook writes it, shifted by the maximum only to stay finite.
    static func probabilities(_ s: [Double]) -> [Double] {
        let e = s.map { exp($0 - s.max()!) }
        return e.map { $0 / e.reduce(0, +) }
    }
    static func matrix(_ t: Tensor) -> Matrix { t.rows }

    /// Gradient descent on the mean cross-entropy of softmax(X·W), or of CS231n's
    /// softmax(ReLU(X·W1)·W2 + b2), on plain arrays; returns the losses and the final parameters.
    static func descend(_ data: DataSet, _ start: NamedTensors, hidden: Bool, rate: Double, steps: Int) throws -> ([Double], [Matrix]) {
        let X = data.inputs.map { [1] + $0 }, labels = data.targets.map { Int($0) }, n = Double(X.count)
        var W1 = matrix(try #require(start[hidden ? "W1" : "W"]))
        var W2 = hidden ? matrix(try #require(start["W2"])) : [], b2 = hidden ? matrix(try #require(start["b2"])) : []
        var losses: [Double] = []
        for _ in 0..<steps {
            let H = hidden ? multiply(X, W1).map { $0.map { max(0, $0) } } : X
            var S = multiply(H, hidden ? W2 : W1)
            if hidden { S = S.map { zip($0, b2[0]).map { $0 + $1 } } }
            let P = S.map(probabilities)
            losses.append(zip(P, labels).reduce(0) { $0 - log($1.0[$1.1]) } / n)
            let dS = zip(P, labels).map { p, y in p.indices.map { (p[$0] - ($0 == y ? 1 : 0)) / n } }
            if hidden {
                let dW2 = multiply(transpose(H), dS)
                let db2 = [dS.reduce([Double](repeating: 0, count: dS[0].count)) { zip($0, $1).map { $0 + $1 } }]
                let dH = zip(multiply(dS, transpose(W2)), H).map { zip($0, $1).map { $1 > 0 ? $0 : 0 } }
                let dW1 = multiply(transpose(X), dH)
                W1 = zip(W1, dW1).map { zip($0, $1).map { $0 - rate * $1 } }
                W2 = zip(W2, dW2).map { zip($0, $1).map { $0 - rate * $1 } }
                b2 = zip(b2, db2).map { zip($0, $1).map { $0 - rate * $1 } }
            } else {
                let dW = multiply(transpose(X), dS)
                W1 = zip(W1, dW).map { zip($0, $1).map { $0 - rate * $1 } }
            }
        }
        return (losses, hidden ? [W1, W2, b2] : [W1])
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }

    @Test(arguments: [(["iterations=40"], false), (["iterations=40", "data=moons", "learning-rate=0.5"], false),
                      (["iterations=25", "data=spiral", "hidden=16", "initializer=he"], true)])
    func trainingAgreesWithAPlainReimplementation(overrides: [String], hidden: Bool) throws {
        let (outcome, lesson) = try Self.outcome(overrides)
        let (losses, final) = try Self.descend(outcome.data, outcome.initial, hidden: hidden, rate: lesson.settings.learningRate, steps: lesson.settings.iterations)
        #expect(outcome.losses.count == losses.count)
        for (a, b) in zip(outcome.losses, losses) { #expect(Self.close(a, b), "\(a) against \(b)") }
        for (name, expected) in zip(SoftmaxLesson.parameterNames(hidden: lesson.settings.hidden), final) {
            let got = try #require(outcome.final[name]).rows
            for (a, b) in zip(got.joined(), expected.joined()) { #expect(Self.close(a, b), "\(name): \(a) against \(b)") }
        }
        // The start is the seed's: N(0, 0.01²) row by row without a hidden layer.
        if !hidden {
            var g = SeededGenerator(seed: lesson.seed)
            let expected = (0..<(3 * outcome.classes)).map { _ in 0.01 * g.gaussian() }
            if lesson.settings.initScale == 0.01 { #expect(try #require(outcome.initial["W"]).scalars == expected) }
        }
    }

    /// CS231n's Lᵢ = −ln(e^{s_y}/Σe^{s}) for one sample, computed here from X and W, is the lesson's, and
    /// equals lse(s) − s_y; ∂L/∂S = (P − Y)/N and ∂L/∂W = Xᵀ(P − Y)/N by formula equal backward's, which
    /// equals central differences of L(W).
    @Test func workedExampleAndGradient() throws {
        let (outcome, _) = try Self.outcome(["sample=50", "iterations=1", "init-scale=0.7"])
        let W = Self.matrix(try #require(outcome.initial["W"]))
        let x = [1] + outcome.data.inputs[49], y = Int(outcome.data.targets[49])
        let s = (0..<3).map { j in x.indices.reduce(0) { $0 + x[$1] * W[$1][j] } }
        let loss = -log(exp(s[y]) / s.map(exp).reduce(0, +))
        let example = try SoftmaxLesson.workedExample(outcome, sample: 49, hidden: 0)
        for (a, b) in zip(example.scores, s) { #expect(Self.close(a, b, 1e-14)) }
        #expect(Self.close(example.naiveLoss, loss, 1e-14) && Self.close(example.stableLoss, loss, 1e-13))
        #expect(Self.close(example.probabilities.reduce(0, +), 1, 1e-15))
        let sentence = SoftmaxLesson.stability(example)
        #expect(sentence.contains("Lᵢ = lse(s) − s_y = \(NumberFormat.display(loss))"))
        // Scores raised by 1000 overflow e^s as written (e^1000 > 1.8·10³⁰⁸), the log-sum-exp keeps the loss.
        #expect(exp(1000.0 + s.min()!).isInfinite)
        #expect(sentence.contains("overflows to ∞") && sentence.contains("NaN") && sentence.contains("the log-sum-exp gives \(NumberFormat.display(loss))"))

        let first = try #require(outcome.first)
        let check = try SoftmaxLesson.gradientCheck(outcome, first: first, hidden: 0)
        #expect(check.scores < 1e-15)
        let weights = try #require(check.weights)
        #expect(weights.difference < 1e-14)
        // Central differences of L(W) on plain numbers.
        let X = outcome.data.inputs.map { [1] + $0 }, labels = outcome.data.targets.map { Int($0) }
        func L(_ W: Matrix) -> Double {
            zip(Self.multiply(X, W), labels).reduce(0) { $0 - log(Self.probabilities($1.0)[$1.1]) } / Double(X.count)
        }
        for i in 0..<3 { for j in 0..<3 {
            var up = W, down = W
            up[i][j] += 1e-6; down[i][j] -= 1e-6
            let numeric = (L(up) - L(down)) / 2e-6
            #expect(abs(weights.backward[i * 3 + j] - numeric) < 1e-7, "W[\(i)][\(j)]: \(weights.backward[i * 3 + j]) against \(numeric)")
        } }
    }

    /// Note 001's check: small weights start at L ≈ ln K; large ones do not, and the sentence says which.
    @Test func sanityCheckFollowsTheStart() throws {
        let (small, _) = try Self.outcome(["iterations=1"])
        #expect(abs(small.losses[0] - log(3.0)) < 0.05 * log(3.0))
        #expect(SoftmaxLesson.sanityCheck(small).contains("L ≈ ln K"))
        let (large, _) = try Self.outcome(["iterations=1", "init-scale=5"])
        #expect(abs(large.losses[0] - log(3.0)) >= 0.05 * log(3.0))
        #expect(SoftmaxLesson.sanityCheck(large).contains("differ by more than 5%"))
    }

    /// The figure's regions are the classifier's: the class of largest probability at each sample, and
    /// the misclassified count in the summary is the number counted here.
    @Test func regionsAndCountsAreTheClassifiers() throws {
        let run = try LessonRun(lessonPath("softmax"), overrides: ["iterations=30"], recordsSteps: false)
        let (outcome, _) = try Self.outcome(["iterations=30"])
        let W = Self.matrix(try #require(outcome.final["W"]))
        let right = zip(outcome.data.inputs, outcome.labels).filter { x, y in
            let s = Self.multiply([[1] + x], W)[0]
            return s.indices.max { s[$0] < s[$1] } == y
        }.count
        #expect(run.result.summary.joined().contains("\(right) of 90 samples classified correctly"))
        let figure = try #require(run.result.figures.last?.figure as? ClassRegionPlot)
        #expect(figure.misclassified.count == 90 - right)
    }

    @Test func refusesWhatIsNotAClass() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("classes-\(UUID().uuidString).csv").path
        try "x1,x2,class\n0,0,0\n1,1,1.5\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: LessonError.self) { try LessonRun(lessonPath("softmax"), overrides: ["data=\(path)"]) }
        #expect(throws: LessonError.self) { try LessonRun(lessonPath("softmax"), overrides: ["data=and"]) }
    }
}
