import Foundation
import Sim

/// When a numeric answer counts as right: |given − expected| ≤ max(absolute, relative·|expected|). The
/// default (relative 10⁻³) passes a value rounded to 4 significant digits, not always one rounded to 3
/// (0.1235 → 0.124 is 0.4% off), and answers of 0 within 10⁻⁶.
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

    /// How many significant digits an answer needs so that rounding alone never fails it: rounding to d
    /// digits is off by at most ½·10^(1−d) relative, which must be within `relative` (4 for the default).
    public var significantDigits: Int {
        guard relative > 0 else { return 17 }
        return min(17, max(1, Int((1 - log10(2 * relative)).rounded(.up))))
    }

    /// "relative 0.001, absolute 1e−6 near 0", as feedback states it.
    public var description: String {
        "relative \(NumberFormat.display(relative)), absolute \(NumberFormat.display(absolute)) near 0"
    }
}
