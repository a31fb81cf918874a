import Foundation

/// The digamma function ψ(x) = Γ′(x)/Γ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x lifts x to 10 or more,
/// then the asymptotic series ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) (Abramowitz & Stegun 6.3.18) gives ~1e−15.
public func digamma(_ x: Double) -> Double {
    guard x > 0, x.isFinite else { return .nan }
    var x = x, shift = 0.0
    while x < 10 {
        shift -= 1 / x
        x += 1
    }
    let inverse2 = 1 / (x * x)
    // B₂/2, B₄/4, B₆/6, B₈/8, B₁₀/10, B₁₂/12 with alternating signs folded in.
    let series = inverse2 * (1.0 / 12 - inverse2 * (1.0 / 120 - inverse2 * (1.0 / 252 - inverse2 * (1.0 / 240 - inverse2 * (1.0 / 132 - inverse2 * 691.0 / 32760)))))
    return shift + log(x) - 0.5 / x - series
}
