import Foundation

/// Note 003's exploding gradients: P₀ = G₀, Pₖ = Pₖ₋₁·Gₖ for k = 1…count, each Gₖ an n×n matrix of
/// independent entries drawn from nnsim's generator in row-major order, G₀ first.
///
/// The product is kept two ways. `raw` is the plain Double product, as the note's loop computes it: it
/// overflows to inf (then nan, from inf − inf) or underflows to 0 once ‖Pₖ‖ leaves Double's range.
/// `logNorms` works in log space (the note's trick for products of probabilities): after each
/// multiplication the running matrix is divided by its norm and the logarithm of that norm is added up,
/// so ln‖Pₖ‖ stays exact however large or small ‖Pₖ‖ gets.
public struct RandomMatrixProduct: Sendable {
    /// How entries are drawn.
    public enum Entries: Sendable, Hashable {
        /// N(0, σ²).
        case gaussian(sigma: Double)
        /// Uniform in [−r, r).
        case uniform(radius: Double)

        /// Xavier (Glorot) uniform for an n×n layer: r = √(6/(n + n)), variance 1/n.
        public static func xavierUniform(_ n: Int) -> Entries { .uniform(radius: (3.0 / Double(n)).squareRoot()) }

        /// The initializer that draws such entries (row-major, from nnsim's generator).
        var initializer: Initializer {
            switch self {
            case .gaussian(let sigma): return .normal(sigma)
            case .uniform(let r): return .uniform(-r, r)
            }
        }

        public var variance: Double {
            switch self {
            case .gaussian(let sigma): return sigma * sigma
            case .uniform(let r): return r * r / 3
            }
        }
    }

    public let n: Int
    public let entries: Entries
    /// G₀, G₁, …, G_count.
    public let matrices: [Tensor]
    /// ‖Pₖ‖ (Frobenius) of the plain Double product, k = 0…count: inf or nan once it overflowed, 0 once it
    /// underflowed.
    public let rawNorms: [Double]
    /// ln‖Pₖ‖, k = 0…count, computed in log space.
    public let logNorms: [Double]
    /// The plain product P_count.
    public let product: Tensor

    /// Draws count + 1 matrices from `generator` and multiplies them.
    public init(n: Int, count: Int, entries: Entries, using generator: inout SeededGenerator) {
        let n = max(n, 1), count = max(count, 0)
        var matrices: [Tensor] = []
        matrices.reserveCapacity(count + 1)
        for _ in 0...count {
            // An n×n shape with n ≥ 1 is always one an initializer fills.
            guard let matrix = try? entries.initializer.tensor(shape: [n, n], using: &generator) else {
                preconditionFailure("could not draw a \(n)×\(n) matrix")
            }
            matrices.append(matrix)
        }
        self.init(n: n, entries: entries, matrices: matrices)
    }

    /// The product of given matrices (all n×n), as recorded in a trace.
    public init(n: Int, entries: Entries, matrices: [Tensor]) {
        self.n = n
        self.entries = entries
        self.matrices = matrices
        guard var raw = matrices.first else {
            (rawNorms, logNorms, product) = ([], [], Tensor(0))
            return
        }
        var unit = raw
        var logNorm = 0.0
        var rawNorms: [Double] = [], logNorms: [Double] = []
        for (k, g) in matrices.enumerated() {
            if k > 0 {
                raw = (try? raw.matmul(g)) ?? raw
                unit = (try? unit.matmul(g)) ?? unit
            }
            let norm = Self.frobenius(unit)
            logNorm += log(norm)
            unit = unit.map { $0 / norm }
            rawNorms.append(Self.frobenius(raw))
            logNorms.append(logNorm)
        }
        self.rawNorms = rawNorms
        self.logNorms = logNorms
        self.product = raw
    }

    /// The Frobenius norm, scaled by the largest entry so that squaring cannot overflow while the entries
    /// themselves are finite.
    public static func frobenius(_ m: Tensor) -> Double { Norm.frobenius(m.scalars) }

    /// The least-squares slope of ln‖Pₖ‖ against k: the measured growth rate per matrix.
    public var measuredRate: Double {
        let count = Double(logNorms.count)
        guard count > 1 else { return 0 }
        let meanK = (count - 1) / 2, meanY = logNorms.reduce(0, +) / count
        var sxy = 0.0, sxx = 0.0
        for (k, y) in logNorms.enumerated() {
            sxy += (Double(k) - meanK) * (y - meanY)
            sxx += (Double(k) - meanK) * (Double(k) - meanK)
        }
        return sxy / sxx
    }

    /// The first k at which the plain product left Double's range (its norm not finite, or 0), or nil.
    public var firstOutOfRange: Int? {
        rawNorms.firstIndex { !$0.isFinite || $0 == 0 }
    }

    /// The theoretical growth rate (top Lyapunov exponent) of products of n×n matrices with independent
    /// N(0, σ²) entries: ln σ + ½(ln 2 + ψ(n/2)) per matrix (Newman 1986); ≈ 0.558 for n = 4, σ = 1.
    public static func gaussianGrowthRate(n: Int, sigma: Double) -> Double {
        log(sigma) + 0.5 * (log(2) + digamma(Double(n) / 2))
    }
}
