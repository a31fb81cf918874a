import Testing
@testable import Sim

/// Every operation is found again by the name and settings a trace records it with.
@Suite struct OperationTableTests {
    static let operations: [any Sim.Operation] = [
        Add(), Subtract(), Multiply(), Divide(), Negate(), Scale(2), Exp(), Log(), Sqrt(), Abs(), PowerByConstant(3), Power(),
        Maximum(), Minimum(), Sigmoid(), Tanh(), ReLU(), LeakyReLU(alpha: 0.1), ELU(alpha: 0.5), Step(), Sign(), Softplus(),
        SquaredError(), MeanSquaredError(), BinaryCrossEntropy(), BinaryCrossEntropyWithLogits(), SoftmaxCrossEntropy(),
        MulticlassHinge(margin: 2), L1Penalty(), L2Penalty(), MatMul(), Sum(), Norm(), Mean(), Transpose(), Softmax(), LogSumExp(),
    ]

    @Test func everyOperationByItsName() throws {
        var all = Self.operations
        all.append(try Dropout(mask: Tensor(vector: [1, 0, 1]), keepProbability: 0.5))
        for operation in all {
            let attributes = NamedTensors(operation.attributes.map { ($0.name, $0.value) })
            let found = try #require(OperationTable.operation(operation.name, attributes: attributes), "\(operation.name)")
            #expect(found.name == operation.name)
            #expect(found.attributes == operation.attributes, "\(operation.name)")
            #expect(found.arity == operation.arity)
        }
    }

    @Test func unknownNamesAndMissingSettings() {
        #expect(OperationTable.operation("conv2d") == nil)
        #expect(OperationTable.operation("scale") == nil)
        #expect(OperationTable.operation("dropout", attributes: NamedTensors([("keep_probability", Tensor(2))])) == nil)
    }
}
