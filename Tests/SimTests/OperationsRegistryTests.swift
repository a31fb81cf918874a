import Testing
@testable import Sim

/// The registry of operations (Operations) agrees with the operation types it names.
@Suite struct OperationsRegistryTests {
    /// Every entry rebuilds its operation from the attributes a trace records, with the same name,
    /// arity and attributes, so a node read back from a trace is the operation that computed it.
    @Test func everyOperationRebuildsFromItsAttributes() throws {
        let examples: [any Operation] = [Scale(-2.5), PowerByConstant(3), LeakyReLU(alpha: 0.2), ELU(alpha: 0.5), MulticlassHinge(margin: 2),
                                         try Dropout(mask: Tensor(vector: [1, 0, 1]), keepProbability: 0.5), Add(), Sigmoid(), MatMul(), Norm()]
        for example in examples {
            let attributes = NamedTensors(example.attributes.map { ($0.name, $0.value) })
            let rebuilt = try #require(Operations.named(example.name, attributes: attributes), "\(example.name)")
            #expect(rebuilt.name == example.name && rebuilt.arity == example.arity && rebuilt.attributes == example.attributes)
        }
        for (name, make) in Operations.all {
            // With no attributes, an operation that needs one is refused, never built with a made-up value.
            if let operation = make([:]) { #expect(operation.name == name && operation.attributes.isEmpty, "\(name)") }
        }
        #expect(Operations.named("scale") == nil && Operations.named("frobenius_of_product") == nil)
    }

    /// The expression language's functions are operations of the registry, with their arities.
    @Test func expressionFunctionsAreRegistered() {
        #expect(ExpressionProgram.functions == ["exp": 1, "log": 1, "sqrt": 1, "abs": 1, "sigmoid": 1, "tanh": 1, "relu": 1, "max": 2, "min": 2,
                                                "matmul": 2, "transpose": 1, "sum": 1, "mean": 1, "softmax": 1, "logsumexp": 1,
                                                "cross_entropy": 2])
        for operation in Operations.functions.values { #expect(Operations.all[operation.name] != nil) }
    }

    /// The written rules agree with the numbers: σ′ at 0 is ¼ as the rule's formula says, and a Jacobian
    /// operation writes its message, not a local derivative.
    @Test func rulesAreWrittenByEachOperation() {
        #expect(Sigmoid().rule(input: 0, arguments: ["z"], upstream: "∂L/∂h") == .local("σ′(z) = σ(z)(1 − σ(z))"))
        #expect(MatMul().rule(input: 1, arguments: ["h", "W2"], upstream: "∂L/∂z2") == .message("hᵀ·∂L/∂z2"))
        #expect(Divide().rule(input: 1, arguments: ["a", "b"], upstream: "") == .local("−a/b²"))
        #expect(Softplus().rule(input: 0, arguments: ["x"], upstream: "") == .none)
        #expect(Scale(2).symbol == "×2" && Add().symbol == "+" && Tanh().symbol == "tanh")
    }
}

/// The registry of optimizers (Optimizers) agrees with the optimizer types it builds.
@Suite struct OptimizersRegistryTests {
    @Test func everyOptimizerIsBuiltUnderItsName() {
        #expect(Optimizers.names == ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "rprop"])
        for kind in Optimizers.all {
            var optimizer = kind.make(OptimizerSettings(learningRate: 0.1), 0.9)
            #expect(optimizer.name == kind.name)
            // The state it records after a step is the state the registry lists (per parameter, `name.θ`).
            let step = optimizer.step(["θ": Tensor(vector: [1, -2])], gradients: ["θ": Tensor(vector: [0.5, 0.25])])
            let recorded = Set(step.state.tensors.names.filter { !$0.hasPrefix("previousGradient") }.map { $0.replacingOccurrences(of: ".θ", with: "") })
            #expect(recorded == Set(kind.state.map(\.name)), "\(kind.name): \(recorded)")
        }
        #expect(Optimizers.named("sgd") == nil && Optimizers.named("rprop")?.rateSymbol == "Δ₀")
    }
}
