import Foundation
import Testing
@testable import Sim

@Suite struct DigammaTests {
    /// Closed forms: ψ(1) = −γ, ψ(½) = −γ − 2 ln 2, ψ(n + 1) = ψ(n) + 1/n, ψ(x + ½) from ψ(½) likewise.
    @Test func matchesClosedForms() {
        let gamma = 0.57721566490153286
        #expect(abs(digamma(1) + gamma) < 1e-14)
        #expect(abs(digamma(0.5) - (-gamma - 2 * log(2.0))) < 1e-14)
        var psi = -gamma
        for n in 1..<40 {
            psi += 1 / Double(n)
            #expect(abs(digamma(Double(n + 1)) - psi) < 1e-13 * max(1, abs(psi)))
        }
        var half = -gamma - 2 * log(2.0)
        for k in 0..<20 {
            half += 1 / (Double(k) + 0.5)
            #expect(abs(digamma(Double(k) + 1.5) - half) < 1e-13 * max(1, abs(half)))
        }
        #expect(digamma(0).isNaN && digamma(-1).isNaN)
    }

    @Test func newmansRateForFourByFour() {
        // ½(ln 2 + ψ(2)) with ψ(2) = 1 − γ.
        let expected = 0.5 * (log(2.0) + 1 - 0.57721566490153286)
        #expect(abs(RandomMatrixProduct.gaussianGrowthRate(n: 4, sigma: 1) - expected) < 1e-14)
        #expect(abs(expected - 0.558) < 0.001)
        #expect(abs(RandomMatrixProduct.gaussianGrowthRate(n: 4, sigma: 0.5) - (expected - log(2.0))) < 1e-14)
    }
}

@Suite struct RandomMatrixProductTests {
    /// The plain product written again on arrays, from the recorded matrices.
    static func product(_ matrices: [Tensor], n: Int) -> [Double] {
        var p = matrices[0].scalars
        for g in matrices.dropFirst() {
            var next = Array(repeating: 0.0, count: n * n)
            for i in 0..<n { for j in 0..<n { for k in 0..<n { next[i * n + j] += p[i * n + k] * g.scalars[k * n + j] } } }
            p = next
        }
        return p
    }

    @Test func normsFollowTheProduct() {
        var generator = SeededGenerator(seed: 7)
        let run = RandomMatrixProduct(n: 3, count: 30, entries: .gaussian(sigma: 1), using: &generator)
        #expect(run.matrices.count == 31 && run.rawNorms.count == 31 && run.logNorms.count == 31)
        for k in [0, 1, 10, 30] {
            let p = Self.product(Array(run.matrices.prefix(k + 1)), n: 3)
            let norm = p.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(run.rawNorms[k] / norm - 1) < 1e-12)
            #expect(abs(run.logNorms[k] - log(norm)) < 1e-10)
        }
        #expect(zip(run.product.scalars, Self.product(run.matrices, n: 3)).allSatisfy { abs($0 - $1) <= 1e-12 * abs($1) })
    }

    @Test func overflowIsRecordedNotFatal() {
        var generator = SeededGenerator(seed: 1)
        let run = RandomMatrixProduct(n: 4, count: 3000, entries: .gaussian(sigma: 1), using: &generator)
        let at = run.firstOutOfRange
        #expect(at != nil)
        if let at {
            // Leaves Double's range when the true norm passes ~1.8e308 (log-space norm near 709.8).
            #expect(abs(run.logNorms[at] - log(Double.greatestFiniteMagnitude)) < 3)
            #expect(run.rawNorms[at - 1].isFinite)
            #expect(run.logNorms.allSatisfy { $0.isFinite })
            #expect(run.rawNorms.last?.isNaN == true)
        }
        // A shrinking product underflows to 0 instead.
        var small = SeededGenerator(seed: 1)
        let vanishing = RandomMatrixProduct(n: 2, count: 3000, entries: .gaussian(sigma: 0.1), using: &small)
        #expect(vanishing.firstOutOfRange.map { vanishing.rawNorms[$0] == 0 } == true)
    }

    @Test func frobeniusDoesNotOverflowEarly() throws {
        let big = try Tensor(shape: [2], scalars: [1e200, 1e200])
        #expect(abs(RandomMatrixProduct.frobenius(big) / (1e200 * 2.0.squareRoot()) - 1) < 1e-15)
        #expect(RandomMatrixProduct.frobenius(try Tensor(shape: [2], scalars: [.nan, 1])).isNaN)
        #expect(RandomMatrixProduct.frobenius(try Tensor(shape: [2], scalars: [.infinity, 1])) == .infinity)
    }
}
