import Foundation

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
    public static func linear(_ lo: Double, _ hi: Double, target: Int = 6) -> [Double] {
        guard lo.isFinite, hi.isFinite else { return [] }
        if lo == hi { return linear(lo - 1, hi + 1, target: target) }
        let step = niceStep((hi - lo) / Double(max(1, target - 1)))
        guard step.isFinite, step > 0 else { return [lo, hi] }
        let first = (lo / step).rounded(.down), last = (hi / step).rounded(.up)
        guard last - first < 1000 else { return [] }
        // k·step rounded to the step's decimals, so 3 × 0.2 is 0.6, not 0.6000000000000001.
        let scale = pow(10, max(0, 1 - log10(step).rounded(.down)))
        return stride(from: first, through: last, by: 1).map { k in
            let v = (k * step * scale).rounded() / scale
            return abs(v) < step * 1e-9 ? 0 : v
        }
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
        let decimals = max(0, -Int(log10(step).rounded(.down)))
        if abs(value) >= 1e6 || (abs(value) < 1e-4 && value != 0) { return logStyle(value) }
        let text = String(format: "%.\(decimals)f", value)
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
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
        let mantissa = value / pow(10, Double(exponent))
        let m = String(format: "%.3g", mantissa).replacingOccurrences(of: "-", with: "−")
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
        case .linear: return start + (value - lo) / (hi - lo) * (end - start)
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
            var lo = axis.range?.lowerBound ?? finite.min() ?? 0, hi = axis.range?.upperBound ?? finite.max() ?? 1
            if lo == hi { lo -= 1; hi += 1 }
            let ticks = Ticks.linear(lo, hi, target: target)
            if axis.range == nil, let first = ticks.first, let last = ticks.last { (lo, hi) = (first, last) }
            return (lo, hi, ticks.filter { $0 >= lo - 1e-12 * abs(hi - lo) && $0 <= hi + 1e-12 * abs(hi - lo) })
        case .log:
            let positive = data.filter { $0.isFinite && $0 > 0 }
            var lo = axis.range?.lowerBound ?? positive.min() ?? 1, hi = axis.range?.upperBound ?? positive.max() ?? 10
            if lo == hi { lo /= 10; hi *= 10 }
            let ticks = Ticks.log(lo, hi)
            if axis.range == nil, let first = ticks.first, let last = ticks.last { (lo, hi) = (min(first, lo), max(last, hi)) }
            return (lo, hi, ticks.filter { $0 >= lo * (1 - 1e-9) && $0 <= hi * (1 + 1e-9) })
        }
    }
}
