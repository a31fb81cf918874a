import Testing
@testable import Sim

@Suite struct InitializerTests {
    func draw(_ initializer: Initializer, _ shape: [Int], seed: UInt64 = 5) throws -> Tensor {
        var g = SeededGenerator(seed: seed)
        return try initializer.tensor(shape: shape, using: &g)
    }

    func standardDeviation(_ t: Tensor) -> Double {
        let m = t.sum / Double(t.count)
        return (t.scalars.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(t.count)).squareRoot()
    }

    @Test func constantsAndBounds() throws {
        #expect(try draw(.zero, [2, 3]) == Tensor(repeating: 0, shape: [2, 3]))
        #expect(try draw(.constant(0.5), [4]) == Tensor(repeating: 0.5, shape: [4]))
        let u = try draw(.uniform(-1, 1), [3, 4])
        #expect(u.scalars.allSatisfy { $0 >= -1 && $0 < 1 })
        // Row-major draw order: the same entries as drawing 12 uniforms in a row.
        var g = SeededGenerator(seed: 5)
        #expect(u.scalars == (0..<12).map { _ in g.uniform(-1, 1) })
        // Xavier uniform on 200×300: bound √(6/500).
        let x = try draw(.xavierUniform, [200, 300])
        let bound = (6.0 / 500).squareRoot()
        #expect(x.scalars.allSatisfy { abs($0) <= bound })
        #expect(x.scalars.max()! > 0.99 * bound)
    }

    /// Sample standard deviations of 60,000 draws within 2% of the formulas.
    @Test func scales() throws {
        #expect(abs(standardDeviation(try draw(.normal(0.01), [200, 300])) / 0.01 - 1) < 0.02)
        #expect(abs(standardDeviation(try draw(.xavierNormal, [200, 300])) / (2.0 / 500).squareRoot() - 1) < 0.02)
        #expect(abs(standardDeviation(try draw(.he, [200, 300])) / (2.0 / 200).squareRoot() - 1) < 0.02)
        let xu = try draw(.xavierUniform, [200, 300])        // uniform on [−r, r): σ = r/√3
        #expect(abs(standardDeviation(xu) / ((6.0 / 500).squareRoot() / 3.0.squareRoot()) - 1) < 0.02)
    }

    @Test func sameSeedSameWeights() throws {
        #expect(try draw(.xavierNormal, [3, 4], seed: 11) == draw(.xavierNormal, [3, 4], seed: 11))
        #expect(try draw(.xavierNormal, [3, 4], seed: 11) != draw(.xavierNormal, [3, 4], seed: 12))
    }
}
