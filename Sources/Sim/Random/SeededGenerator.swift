import Foundation

/// nnsim's own random numbers, specified in docs/random-numbers.md so the same seed gives the same
/// numbers on every machine and in the Python reference (docs/reference_random.py).
///
/// SplitMix64 expands the 64-bit seed into the 256-bit state of xoshiro256** (Blackman and Vigna).
/// Every draw nnsim makes (initial weights, shuffles, dropout masks, student variants) comes from here;
/// the system random source is never used.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64
    /// The second value of the last Box–Muller pair, returned by the next `gaussian()`.
    private var spareGaussian: Double?

    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1): the top 53 bits of `next()` times 2⁻⁵³.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in [a, b): a + (b − a)·u.
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// Uniform integer in 0..<n without bias: draws at or above the largest multiple of n below 2⁶⁴
    /// are rejected, then the remainder is taken.
    public mutating func integer(below n: Int) -> Int {
        precondition(n > 0, "integer(below:) needs a positive bound")
        let bound = UInt64(n)
        let remainder = (UInt64.max % bound &+ 1) % bound      // 2⁶⁴ mod n
        while true {
            let r = next()
            if remainder == 0 || r < 0 &- remainder { return Int(r % bound) }
        }
    }

    /// A standard normal draw by Box–Muller: u₁ = 1 − uniform() ∈ (0, 1], u₂ = uniform(),
    /// r = √(−2 ln u₁); returns r·cos(2πu₂) and, on the next call, r·sin(2πu₂).
    public mutating func gaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        let u1 = 1 - uniform(), u2 = uniform()
        let r = (-2 * log(u1)).squareRoot()
        spareGaussian = r * sin(2 * Double.pi * u2)
        return r * cos(2 * Double.pi * u2)
    }

    /// Normal with mean μ and standard deviation σ.
    public mutating func gaussian(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * gaussian()
    }

    /// Fisher–Yates from the end: for i = n−1 down to 1, swap item i with item integer(below: i + 1).
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, through: 1, by: -1) {
            items.swapAt(i, integer(below: i + 1))
        }
    }

    /// A permutation of 0..<n.
    public mutating func permutation(_ n: Int) -> [Int] {
        var items = Array(0..<n)
        shuffle(&items)
        return items
    }
}
