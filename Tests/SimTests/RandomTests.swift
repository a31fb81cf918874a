import Testing
@testable import Sim

/// Expected numbers come from the independent Python implementation in docs/reference_random.py
/// (`python3 docs/reference_random.py`), written from the specification in docs/random-numbers.md.
@Suite struct RandomTests {
    @Test func rawBits() {
        var g = SeededGenerator(seed: 42)
        #expect((0..<4).map { _ in g.next() } ==
                [1546998764402558742, 6990951692964543102, 12544586762248559009, 17057574109182124193])
        var zero = SeededGenerator(seed: 0)
        #expect([zero.next(), zero.next()] == [11091344671253066420, 13793997310169335082])
    }

    @Test func uniformDoubles() {
        var g = SeededGenerator(seed: 42)
        #expect((0..<3).map { _ in g.uniform() } == [0.08386297105988216, 0.3789802506626686, 0.6800434110281394])
    }

    @Test func gaussiansUseBothBoxMullerValues() {
        var g = SeededGenerator(seed: 7)
        #expect((0..<4).map { _ in g.gaussian() } ==
                [-0.2790239910251981, 1.5277231859624536, 1.8997685786889567, -0.2266957459968598])
    }

    @Test func integersAndShuffle() {
        var g = SeededGenerator(seed: 2024)
        #expect((0..<8).map { _ in g.integer(below: 10) } == [8, 3, 1, 1, 3, 7, 2, 6])
        var h = SeededGenerator(seed: 1)
        #expect(h.permutation(10) == [3, 8, 0, 9, 2, 5, 6, 4, 1, 7])
    }

    /// Sample moments of 200,000 draws: uniform mean 1/2 and variance 1/12, Gaussian mean 0 and
    /// variance 1, each within about five standard errors.
    @Test func moments() {
        var g = SeededGenerator(seed: 99)
        let n = 200_000
        let u = (0..<n).map { _ in g.uniform() }
        let z = (0..<n).map { _ in g.gaussian() }
        func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
        func variance(_ x: [Double]) -> Double { let m = mean(x); return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count) }
        #expect(abs(mean(u) - 0.5) < 0.0035)
        #expect(abs(variance(u) - 1.0 / 12) < 0.0008)
        #expect(abs(mean(z)) < 0.012)
        #expect(abs(variance(z) - 1) < 0.016)
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
    }
}
