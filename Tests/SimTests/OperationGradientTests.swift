import Foundation
import Testing
@testable import Sim

/// A small seeded generator for test inputs (SplitMix64), independent of nnsim's own generator.
struct TestNumbers {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
    }
    /// Magnitudes in [0.2, 2] with a random sign: away from the kinks at 0.
    mutating func signed(_ shape: [Int]) -> Tensor {
        try! Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in
            (0.2 + 1.8 * next()) * (next() < 0.5 ? -1 : 1)
        })
    }
    /// Values in (lower, upper).
    mutating func within(_ shape: [Int], _ lower: Double, _ upper: Double) -> Tensor {
        try! Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in lower + (upper - lower) * next() })
    }
}

@Suite struct OperationGradientTests {
    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let inputs: [Tensor]
        let operation: @Sendable () throws -> any Sim.Operation
    }

    static let cases: [Case] = {
        var r = TestNumbers(seed: 2024)
        var cases: [Case] = []
        func add(_ name: String, _ inputs: [Tensor], _ op: @escaping @Sendable () throws -> any Sim.Operation) {
            cases.append(Case(description: name, inputs: inputs, operation: op))
        }
        let m = [3, 4]
        for (name, op) in [("neg", Negate()), ("scale", Scale(-2.5)), ("exp", Exp()), ("sigmoid", Sigmoid()),
                           ("tanh", Tanh()), ("relu", ReLU()), ("abs", Abs()), ("softplus", Softplus()),
                           ("step", Step()), ("sign", Sign()), ("pow3", PowerByConstant(3)),
                           ("leaky_relu", LeakyReLU(alpha: 0.1)), ("elu", ELU(alpha: 0.7))] as [(String, any Sim.Operation)] {
            add(name, [r.signed(m)]) { op }
        }
        add("log", [r.within(m, 0.2, 3)]) { Log() }
        add("sqrt", [r.within(m, 0.2, 3)]) { Sqrt() }
        add("pow2.5", [r.within(m, 0.2, 3)]) { PowerByConstant(2.5) }
        for (name, op) in [("add", Add()), ("sub", Subtract()), ("mul", Multiply()), ("div", Divide()),
                           ("max", Maximum()), ("min", Minimum())] as [(String, any Sim.Operation)] {
            add("\(name) 3×4 3×4", [r.signed(m), r.signed(m)]) { op }
            add("\(name) 3×4 4 (row broadcast)", [r.signed(m), r.signed([4])]) { op }
            add("\(name) scalar 3×4", [r.signed([]), r.signed(m)]) { op }
            add("\(name) 3×1 1×4", [r.signed([3, 1]), r.signed([1, 4])]) { op }
        }
        add("power", [r.within(m, 0.3, 2), r.signed(m)]) { Power() }
        add("matmul 2×3 3×4", [r.signed([2, 3]), r.signed([3, 4])]) { MatMul() }
        add("matmul 3 3×4", [r.signed([3]), r.signed([3, 4])]) { MatMul() }
        add("matmul 2×3 3", [r.signed([2, 3]), r.signed([3])]) { MatMul() }
        add("matmul 3 3", [r.signed([3]), r.signed([3])]) { MatMul() }
        add("transpose", [r.signed([2, 3])]) { Transpose() }
        add("sum", [r.signed(m)]) { Sum() }
        add("mean", [r.signed(m)]) { Mean() }
        add("softmax vector", [r.signed([5])]) { Softmax() }
        add("softmax rows", [r.signed(m)]) { Softmax() }
        add("logsumexp vector", [r.signed([5])]) { LogSumExp() }
        add("logsumexp rows", [r.signed(m)]) { LogSumExp() }
        let mask = try! Tensor(shape: m, scalars: (0..<12).map { $0 % 3 == 0 ? 0 : 1 })
        add("dropout", [r.signed(m)]) { try Dropout(mask: mask, keepProbability: 0.75) }
        add("squared_error", [r.signed(m), r.signed(m)]) { SquaredError() }
        add("mse", [r.signed(m), r.signed(m)]) { MeanSquaredError() }
        add("binary_cross_entropy", [r.within(m, 0.1, 0.9), r.within(m, 0, 1)]) { BinaryCrossEntropy() }
        add("binary_cross_entropy_logits", [r.signed(m), r.within(m, 0, 1)]) { BinaryCrossEntropyWithLogits() }
        let oneHot = try! Tensor(rows: [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]])
        add("softmax_cross_entropy", [r.signed(m), oneHot]) { SoftmaxCrossEntropy() }
        add("softmax_cross_entropy soft targets", [r.signed([4]), try! Tensor(shape: [4], scalars: [0.1, 0.2, 0.3, 0.4])]) { SoftmaxCrossEntropy() }
        add("multiclass_hinge", [r.signed(m), oneHot]) { MulticlassHinge(margin: 1) }
        add("l1", [r.signed(m)]) { L1Penalty() }
        add("l2", [r.signed(m)]) { L2Penalty() }
        add("batch_norm 5×3", [r.signed([5, 3]), r.signed([3]), r.signed([3])]) { BatchNorm() }
        add("batch_norm 2×4, ε = 0.1", [r.signed([2, 4]), r.signed([4]), r.signed([4])]) { BatchNorm(epsilon: 0.1) }
        return cases
    }()

    /// Each operation's messages to every input agree with central differences. The output is reduced to
    /// a scalar with fixed random weights, so every entry of the upstream gradient differs.
    @Test(arguments: cases)
    func messagesMatchCentralDifferences(_ testCase: Case) throws {
        let operation = try testCase.operation()
        let names = testCase.inputs.indices.map { "x\($0)" }
        let outputShape = try operation.forward(testCase.inputs).shape
        var r = TestNumbers(seed: 7)
        let weights = r.signed(outputShape)
        let report = try GradientCheck.run(at: NamedTensors(zip(names, testCase.inputs).map { ($0, $1) })) { graph, inputs in
            let y = try graph.apply(operation, names.compactMap { inputs[$0] })
            let w = try graph.constant(weights)
            return try graph.apply(Sum(), [try graph.apply(Multiply(), [y, w])])
        }
        #expect(report.passed, "max relative error \(report.maxRelativeError)")
        #expect(report.entries.count == testCase.inputs.map(\.count).reduce(0, +))
    }

    /// Where an edge records its local derivative, message = upstream ⊙ local (summed over broadcast axes).
    @Test func recordedLocalDerivativesAreClosedForms() throws {
        let graph = Graph()
        let x = try graph.input("x", Tensor(vector: [-1.5, 0.5, 2]))
        let s = x.sigmoid, t = x.tanh
        let y = try graph.apply(Add(), [s, t]).sum
        let grads = try graph.backward(from: y)
        let sigmoidLocal = try #require(grads.edge(from: s.id, input: 0)?.local)
        let tanhLocal = try #require(grads.edge(from: t.id, input: 0)?.local)
        for (i, v) in [-1.5, 0.5, 2].enumerated() {
            let sv = 1 / (1 + exp(-v))
            #expect(abs(sigmoidLocal.scalars[i] - sv * (1 - sv)) < 1e-15)
            #expect(abs(tanhLocal.scalars[i] - (1 - tanh(v) * tanh(v))) < 1e-15)
        }
    }
}

@Suite struct GradientCheckTests {
    /// A deliberately wrong derivative (sin with derivative −cos) must fail the check.
    struct WrongSine: ElementwiseFunction {
        var name: String { "wrong_sine" }
        func value(_ x: Double) -> Double { sin(x) }
        func derivative(_ x: Double, _ y: Double) -> Double { -cos(x) }
    }

    struct RightSine: ElementwiseFunction {
        var name: String { "sine" }
        func value(_ x: Double) -> Double { sin(x) }
        func derivative(_ x: Double, _ y: Double) -> Double { cos(x) }
    }

    @Test func catchesAWrongDerivative() throws {
        let at: NamedTensors = ["x": Tensor(vector: [0.3, 1.1, -0.7])]
        let wrong = try GradientCheck.run(at: at) { g, v in try g.apply(Sum(), [try g.apply(WrongSine(), [v["x"]!])]) }
        #expect(!wrong.passed)
        #expect(wrong.maxRelativeError > 1)
        let right = try GradientCheck.run(at: at) { g, v in try g.apply(Sum(), [try g.apply(RightSine(), [v["x"]!])]) }
        #expect(right.passed)
        #expect(right.maxRelativeError < 1e-8)
        // Numeric entries are the central differences of sin: cos(x) to O(h²).
        for entry in right.entries {
            #expect(abs(entry.numeric - cos([0.3, 1.1, -0.7][entry.index])) < 1e-9)
        }
    }
}

/// Inputs like ±1000, where a naive formula overflows, give the finite closed-form values.
@Suite struct StabilityTests {
    func value(_ op: any Sim.Operation, _ inputs: [Tensor]) throws -> Tensor { try op.forward(inputs) }

    @Test func sigmoidAndSoftplusAtExtremes() throws {
        #expect(try value(Sigmoid(), [Tensor(vector: [1000, -1000])]) == Tensor(vector: [1, 0]))
        #expect(try value(Softplus(), [Tensor(vector: [1000, -1000])]).scalars[0] == 1000)
        // softplus(−1000) = ln(1 + e^−1000) ≈ e^−1000, which underflows to 0: finite, not nan.
        #expect(try value(Softplus(), [Tensor(vector: [1000, -1000])]).scalars[1] == 0)
        #expect(try value(Softplus(), [Tensor(-30)]).scalar.map { abs($0 - exp(-30)) < 1e-25 } == true)
    }

    @Test func logSumExpAndSoftmax() throws {
        let lse = try #require(try value(LogSumExp(), [Tensor(vector: [1000, 1000])]).scalar)
        #expect(abs(lse - (1000 + log(2))) < 1e-12)
        #expect(try value(Softmax(), [Tensor(vector: [1000, 1000])]) == Tensor(vector: [0.5, 0.5]))
        let ce = try #require(try value(SoftmaxCrossEntropy(), [Tensor(vector: [1000, 0]), Tensor(vector: [0, 1])]).scalar)
        #expect(ce == 1000)                      // −ln softmax(z)₂ = lse(z) − 0 = 1000 + ln(1 + e^−1000)
        #expect(try value(SoftmaxCrossEntropy(), [Tensor(vector: [1000, 0]), Tensor(vector: [1, 0])]).scalar == 0)
    }

    @Test func crossEntropyWithLogitsAtExtremes() throws {
        // BCE(σ(z), t) = softplus(z) − t·z.
        #expect(try value(BinaryCrossEntropyWithLogits(), [Tensor(1000), Tensor(1)]).scalar == 0)
        #expect(try value(BinaryCrossEntropyWithLogits(), [Tensor(1000), Tensor(0)]).scalar == 1000)
        #expect(try value(BinaryCrossEntropyWithLogits(), [Tensor(-1000), Tensor(1)]).scalar == 1000)
        #expect(try value(BinaryCrossEntropyWithLogits(), [Tensor(-1000), Tensor(0)]).scalar == 0)
        let g = Graph()
        let z = try g.input("z", Tensor(-1000)), t = try g.constant(Tensor(1))
        let loss = try g.apply(BinaryCrossEntropyWithLogits(), [z, t])
        #expect(try g.backward(from: loss)[z.id] == Tensor(-1))      // σ(−1000) − 1
    }

    /// Note 001's saturation question: σ′(±10) = e^−10/(1 + e^−10)² ≈ 4.54e−5 and σ′(0) = 1/4.
    @Test func sigmoidDerivativeAtTenAndZero() throws {
        let e10: Double = exp(-10)
        let expected = e10 / ((1 + e10) * (1 + e10))
        for x in [-10.0, 10, 0] {
            let g = Graph()
            let v = try g.input("x", Tensor(x))
            let grad = try #require(try g.backward(from: v.sigmoid)[v.id]?.scalar)
            if x == 0 { #expect(grad == 0.25) } else { #expect(abs(grad - expected) <= 1e-12 * expected) }
        }
        #expect(NumberFormat.display(expected) == "4.54e−5")
    }

    /// A wide sum of 5,000 products and a 3,000-deep chain of mixed operations against closed forms.
    @Test func wideAndDeepGraphs() throws {
        let g = Graph()
        let x = try g.input("x", Tensor(0.3))
        var total = try g.constant(Tensor(0))
        for k in 1...5_000 { total = total + Double(k) * x }
        #expect(try g.backward(from: total)[x.id] == Tensor(Double(5_000 * 5_001 / 2)))

        // y ← tanh(y)·0.5 + 0.5·x repeated: the derivative follows the recurrence d ← (1 − tanh²)·0.5·d + 0.5.
        var y = x, value = 0.3, derivative = 1.0
        for _ in 0..<3_000 {
            let t = Foundation.tanh(value)
            derivative = (1 - t * t) * 0.5 * derivative + 0.5
            value = 0.5 * t + 0.5 * 0.3
            y = 0.5 * y.tanh + 0.5 * x
        }
        let got = try #require(try g.backward(from: y)[x.id]?.scalar)
        #expect(abs((y.value.scalar ?? .nan) - value) < 1e-12)
        #expect(abs(got - derivative) < 1e-12)
    }
}
