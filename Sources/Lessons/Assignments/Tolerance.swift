import Sim

/// When a numeric answer counts as right: |given − expected| ≤ max(absolute, relative·|expected|). The
/// default passes a value worked by hand to 3–4 significant digits (relative 10⁻³) and answers of 0 within
/// 10⁻⁶.
public struct Tolerance: Sendable, Hashable {
    public var relative: Double
    public var absolute: Double

    public init(relative: Double = 1e-3, absolute: Double = 1e-6) {
        self.relative = relative
        self.absolute = absolute
    }

    public static let standard = Tolerance()

    public func accepts(_ given: Double, _ expected: Double) -> Bool {
        guard given.isFinite, expected.isFinite else { return false }
        return abs(given - expected) <= max(absolute, relative * abs(expected))
    }

    /// "relative 0.001, absolute 1e−6 near 0", as feedback states it.
    public var description: String {
        "relative \(NumberFormat.display(relative)), absolute \(NumberFormat.display(absolute)) near 0"
    }
}
