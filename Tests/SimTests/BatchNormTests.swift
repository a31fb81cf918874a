import Foundation
import Testing
@testable import Sim

/// Batch normalization against note 001's algorithm worked by hand (its gradients against central
/// differences are in OperationGradientTests).
@Suite struct BatchNormTests {
    /// The column (1, 2, 3, 6): μ = 3, σ² = (4 + 1 + 0 + 9)/4 = 3.5, x̂ = (x − 3)/√3.5; with γ = 2 and
    /// β = −1, y = 2x̂ − 1. A constant column has σ² = 0 and x̂ = 0 (ε keeps the division finite).
    @Test func theNotesAlgorithmByHand() throws {
        let x = try Tensor(rows: [[1, 5], [2, 5], [3, 5], [6, 5]])
        let bn = BatchNorm(epsilon: 0)
        let s = try bn.statistics(x)
        #expect(s.mean == [3, 5] && s.variance == [3.5, 0])
        let y = try BatchNorm(epsilon: 1e-5).forward([x, Tensor(vector: [2, 1]), Tensor(vector: [-1, 0.5])])
        for (i, v) in [1.0, 2, 3, 6].enumerated() {
            #expect(abs(y.rows[i][0] - (2 * (v - 3) / (3.5 + 1e-5).squareRoot() - 1)) < 1e-14)
            #expect(y.rows[i][1] == 0.5)
        }
    }

    /// With L = Σ yᵢ (upstream all ones), ∂L/∂β = m, ∂L/∂γ = Σ x̂ᵢ = 0 and ∂L/∂x = 0: shifting every
    /// sample's output by the same amount is undone by the normalization.
    @Test func aUniformUpstreamReachesOnlyBeta() throws {
        let x = try Tensor(rows: [[1, -2], [2, 0.5], [4, 3]])
        let gamma = Tensor(vector: [1.5, -0.5]), beta = Tensor(vector: [0, 0])
        let bn = BatchNorm()
        let y = try bn.forward([x, gamma, beta])
        let messages = bn.backward(inputs: [x, gamma, beta], output: y, upstream: y.map { _ in 1 })
        #expect(messages[2].message.scalars == [3, 3])
        #expect(messages[1].message.scalars.allSatisfy { abs($0) < 1e-14 })
        #expect(messages[0].message.scalars.allSatisfy { abs($0) < 1e-14 })
    }

    @Test func shapesThatDoNotFitAreRefused() {
        #expect(throws: ShapeError.self) { try BatchNorm().forward([Tensor(vector: [1, 2]), Tensor(vector: [1]), Tensor(vector: [0])]) }
        #expect(throws: ShapeError.self) { try BatchNorm().forward([try Tensor(rows: [[1, 2]]), Tensor(vector: [1]), Tensor(vector: [0, 0])]) }
    }
}
