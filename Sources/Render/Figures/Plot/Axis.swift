import Foundation
import Numbers

/// One axis of a plot: its title, linear or logarithmic scale, and an optional fixed range (otherwise
/// the data's, widened to nice tick values).
public struct Axis: Sendable, Hashable {
    public enum Scale: Sendable, Hashable { case linear, log }

    public var title: String
    public var scale: Scale
    public var range: ClosedRange<Double>?

    public init(_ title: String, scale: Scale = .linear, range: ClosedRange<Double>? = nil) {
        self.title = title
        self.scale = scale
        self.range = range
    }
}

/// Tick values and their labels. Linear axes step by 1, 2 or 5 times a power of ten; log axes put
/// major ticks at powers of ten (every k-th when the range is wide) and minor ticks at 2…9 times them.
/// Labels use the true minus sign; log labels are written 10⁻⁵, 10⁰, 10³.
public enum Ticks {
    /// About `target` nice ticks covering [lo, hi]; the first and last ticks enclose the range.
    /// Any finite range gives at most about 1000 ticks, in increasing order, none repeated.
    public static func linear(_ lo: Double, _ hi: Double, target: Int = 6) -> [Double] {
        guard lo.isFinite, hi.isFinite else { return [] }
        if lo == hi {
            let (a, b) = Interval.widened(lo)
            return a < b ? linear(a, b, target: target) : [lo]
        }
        let parts = Double(max(1, target - 1))
        var raw = (hi - lo) / parts
        // Ends beyond ±9·10³⁰⁷ have a width that overflows; each end divided first does not.
        if !raw.isFinite { raw = hi / parts - lo / parts }
        let step = niceStep(raw)
        guard step.isFinite, step > 0 else { return [lo, hi] }
        let first = (lo / step).rounded(.down), last = (hi / step).rounded(.up)
        guard last - first >= 0, last - first < 1000 else { return [] }
        // k·step rounded to the step's decimals, so 3 × 0.2 is 0.6, not 0.6000000000000001 (only where
        // that scaling is finite: not for subnormal steps).
        let scale = pow(10, max(0, 1 - log10(step).rounded(.down)))
        // Counted in integers: past 2⁵³, k + 1 == k, and a loop stepping k by 1 would never end.
        var ticks: [Double] = []
        for i in 0...Int(last - first) {
            let k = first + Double(i)
            let scaled = k * step * scale
            var v = scale.isFinite && scaled.isFinite ? scaled.rounded() / scale : k * step
            if !v.isFinite { continue }
            if abs(v) < step * 1e-9 { v = 0 }
            if let previous = ticks.last, v <= previous { continue }
            ticks.append(v)
        }
        return ticks
    }

    /// 1, 2 or 5 × 10ⁿ, the smallest not below `raw`.
    public static func niceStep(_ raw: Double) -> Double {
        let power = pow(10, (log10(raw)).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * power >= raw * (1 - 1e-12) { return m * power }
        return 10 * power
    }

    /// Powers of ten covering [lo, hi] (both > 0), thinned to at most about 8.
    public static func log(_ lo: Double, _ hi: Double) -> [Double] {
        guard lo > 0, hi > 0, lo.isFinite, hi.isFinite else { return [] }
        // Powers of ten a Double can hold: 10⁻³²³ … 10³⁰⁸.
        let a = max(-323, Int(log10(lo).rounded(.down))), b = min(308, Int(log10(hi).rounded(.up)))
        // Every decade, or every 2, 5, 10, 20, 50, 100 decades, on multiples of the step.
        let every = max(1, Int(niceStep(max(1, Double(b - a) / 8))))
        let first = Int((Double(a) / Double(every)).rounded(.down)) * every
        let last = min(Int((Double(b) / Double(every)).rounded(.up)) * every, 308 / every * every)
        return stride(from: max(first, -323), through: last, by: every).map { pow(10, Double($0)) }
    }

    /// Label for a linear tick, with as many decimals as the step needs.
    public static func label(_ value: Double, step: Double) -> String {
        // A step that is 0, infinite or NaN (ticks ±10³⁰⁸ apart) asks for no decimals; at most 17 are meaningful.
        let decimals = step.isFinite && step > 0 ? min(17, max(0, -Int(log10(step).rounded(.down)))) : 0
        if abs(value) >= 1e6 || (abs(value) < 1e-4 && value != 0) { return logStyle(value) }
        return NumberFormat.fixed(value, decimals: decimals)
    }

    /// 10ⁿ for a power of ten; m·10ⁿ otherwise.
    public static func logLabel(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return special(value) }
        let exponent = Int(log10(value).rounded())
        if abs(value - pow(10, Double(exponent))) <= 1e-9 * value { return "10" + superscript(exponent) }
        return logStyle(value)
    }

    private static func logStyle(_ value: Double) -> String {
        guard value.isFinite, value != 0 else { return special(value) }
        let exponent = Int(log10(abs(value)).rounded(.down))
        // 10ⁿ underflows to 0 below 10⁻³²³: scale a subnormal value up first.
        let mantissa = exponent < -300 ? value * 1e300 / pow(10, Double(exponent + 300)) : value / pow(10, Double(exponent))
        let m = NumberFormat.significant(mantissa, digits: 3)
        return (m == "1" ? "" : m + "·") + "10" + superscript(exponent)
    }

    /// Zero and the non-finite values as words.
    static func special(_ value: Double) -> String {
        value.isNaN ? "nan" : (value == 0 ? "0" : (value > 0 ? "inf" : "−inf"))
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(abs(n)).compactMap { $0.wholeNumberValue.map { digits[$0] } }
    }
}

/// Maps data values to page coordinates along one axis.
struct AxisMapping {
    let scale: Axis.Scale
    let lo: Double, hi: Double
    let start: Double, end: Double

    /// Page coordinate of `value`, or nil when it cannot be shown (non-finite, or ≤ 0 on a log axis).
    func map(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        switch scale {
        case .linear: return start + Interval.fraction(value, lo, hi) * (end - start)
        case .log:
            guard value > 0 else { return nil }
            return start + (log10(value) - log10(lo)) / (log10(hi) - log10(lo)) * (end - start)
        }
    }

    /// The range an axis shows for these data, widened to ticks; with the ticks.
    static func range(_ axis: Axis, data: [Double], target: Int = 6) -> (lo: Double, hi: Double, ticks: [Double]) {
        switch axis.scale {
        case .linear:
            let finite = data.filter(\.isFinite)
            let range = axis.range.flatMap { $0.lowerBound.isFinite && $0.upperBound.isFinite ? $0 : nil }
            var lo = range?.lowerBound ?? finite.min() ?? 0, hi = range?.upperBound ?? finite.max() ?? 1
            if lo == hi { (lo, hi) = Interval.widened(lo) }
            let ticks = Ticks.linear(lo, hi, target: target)
            // The ticks enclose the data, unless the outer ones would have overflowed (data near ±1.8·10³⁰⁸).
            if range == nil, let first = ticks.first, let last = ticks.last, first < last { (lo, hi) = (min(first, lo), max(last, hi)) }
            let span = hi - lo, slack = span.isFinite ? 1e-12 * abs(span) : abs(1e-12 * hi - 1e-12 * lo)
            return (lo, hi, ticks.filter { $0 >= lo - slack && $0 <= hi + slack })
        case .log:
            let positive = data.filter { $0.isFinite && $0 > 0 }
            let range = axis.range.flatMap { $0.lowerBound > 0 && $0.upperBound.isFinite ? $0 : nil }
            var lo = range?.lowerBound ?? positive.min() ?? 1, hi = range?.upperBound ?? positive.max() ?? 10
            if lo == hi { (lo, hi) = (max(lo / 10, .leastNonzeroMagnitude), min(hi * 10, .greatestFiniteMagnitude)) }
            let ticks = Ticks.log(lo, hi)
            if range == nil, let first = ticks.first, let last = ticks.last { (lo, hi) = (min(first, lo), max(last, hi)) }
            return (lo, hi, ticks.filter { $0 >= lo * (1 - 1e-9) && $0 <= hi * (1 + 1e-9) })
        }
    }
}

/// Arithmetic on an interval [lo, hi] of finite ends that stays finite however far apart they are: the
/// width of [−10³⁰⁸, 10³⁰⁸] overflows to infinity. Where nothing overflows, the plain formulas are used,
/// so ordinary figures keep their exact numbers.
public enum Interval {
    /// A window around the finite `values` (`empty` when there are none), widened on each side by
    /// max(`minimum`, (max − min)·`fraction`) and kept within the finite Doubles: the window a lesson's
    /// figure shows around its data or paths, even data of ±1.8·10³⁰⁸.
    public static func padded(_ values: [Double], fraction: Double, minimum: Double, empty: ClosedRange<Double>) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite)
        let lo = finite.min() ?? empty.lowerBound, hi = finite.max() ?? empty.upperBound
        var spread = (hi - lo) * fraction
        if !spread.isFinite { spread = hi * fraction - lo * fraction }
        let pad = max(minimum, spread)
        return max(lo - pad, -.greatestFiniteMagnitude)...min(hi + pad, .greatestFiniteMagnitude)
    }

    /// The position of `value` in [lo, hi]: 0 at lo, 1 at hi.
    static func fraction(_ value: Double, _ lo: Double, _ hi: Double) -> Double {
        let offset = value - lo, span = hi - lo
        if offset.isFinite, span.isFinite { return offset / span }
        return (value / 2 - lo / 2) / (hi / 2 - lo / 2)
    }

    /// a + (b − a)·k/d, the k-th of d steps from a to b (0 ≤ k ≤ d).
    static func step(_ a: Double, _ b: Double, _ k: Double, of d: Double) -> Double {
        let scaled = (b - a) * k
        if scaled.isFinite { return a + scaled / d }
        return a * ((d - k) / d) + b * (k / d)
    }

    /// A flat range [v, v] widened to show v: by ±1 where that changes v, else by half its size (past 2⁵³
    /// adding 1 does nothing), kept finite.
    static func widened(_ v: Double) -> (lo: Double, hi: Double) {
        if v - 1 < v, v + 1 > v { return (v - 1, v + 1) }
        let pad = abs(v) / 2
        return (max(v - pad, -.greatestFiniteMagnitude), min(v + pad, .greatestFiniteMagnitude))
    }
}
