/// A function and its derivative over an interval (σ and σ′), with the saturated regions, where the
/// derivative's magnitude is below a threshold, shaded and labelled.
public struct FunctionPlot: Sendable {
    public var title: String?
    public var xAxis: Axis
    public var yAxis: Axis
    public var range: ClosedRange<Double>
    public var functionName: String
    public var derivativeName: String
    public var function: @Sendable (Double) -> Double
    public var derivative: @Sendable (Double) -> Double
    /// Shade where |f′(x)| < this (nil: no shading).
    public var saturationThreshold: Double?
    public var samples: Int

    public init(title: String? = nil, xAxis: Axis, yAxis: Axis, range: ClosedRange<Double>, functionName: String,
                derivativeName: String, saturationThreshold: Double? = nil, samples: Int = 400,
                function: @escaping @Sendable (Double) -> Double, derivative: @escaping @Sendable (Double) -> Double) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.range = range
        self.functionName = functionName
        self.derivativeName = derivativeName
        self.saturationThreshold = saturationThreshold
        self.samples = samples
        self.function = function
        self.derivative = derivative
    }

    /// The x-intervals (within the range, at the sampling resolution) where |f′| < threshold.
    public func saturatedIntervals() -> [ClosedRange<Double>] {
        guard let threshold = saturationThreshold else { return [] }
        let xs = grid()
        var intervals: [ClosedRange<Double>] = []
        var start: Double?
        for x in xs {
            let saturated = abs(derivative(x)) < threshold
            if saturated, start == nil { start = x }
            if !saturated, let s = start { intervals.append(s...x); start = nil }
        }
        if let s = start, let last = xs.last { intervals.append(s...last) }
        return intervals
    }

    private func grid() -> [Double] {
        let n = max(samples, 2)
        return (0..<n).map { Interval.step(range.lowerBound, range.upperBound, Double($0), of: Double(n - 1)) }
    }

    public func layout(theme: Theme, measurer: any TextMeasurer) -> DisplayList {
        let xs = grid()
        let plot = LinePlot(title: title, xAxis: Axis(xAxis.title, scale: .linear, range: range), yAxis: yAxis, series: [
            .init(name: functionName, x: xs, y: xs.map(function)),
            .init(name: derivativeName, x: xs, y: xs.map(derivative)),
        ])
        let placed = plot.placed(theme: theme, measurer: measurer)
        var page = placed.page
        let frame = placed.frame, marks = DataMarks(page.items)
        let legends = page.items.compactMap { item -> Rect? in
            if case .path(let shape) = item, shape.tag == "legend" { return shape.bounds }
            return nil
        }
        // Shading goes under the curves: after the frame's background, before the series.
        var shading: [Primitive] = []
        for interval in saturatedIntervals() {
            guard let a = frame.x.map(interval.lowerBound), let b = frame.x.map(interval.upperBound), b > a else { continue }
            let r = frame.area
            shading.append(.path(PathShape([.move(Point(a, r.minY)), .line(Point(b, r.minY)), .line(Point(b, r.maxY)),
                                            .line(Point(a, r.maxY)), .close], fill: theme.muted.withAlpha(0.15), tag: "saturated")))
            // Named at the bottom, the top or the middle of the band, wherever no curve runs.
            let candidates = [(r.maxY - 6, LabelAnchor.bottom), (r.minY + 6, .top), (r.center.y, .center)].map { y, anchor in
                TextRun.placed("saturated", font: theme.font(theme.smallSize, italic: true), color: theme.muted,
                               at: Point((a + b) / 2, y), anchor: anchor, tag: "saturated-label", measurer: measurer)
            }
            if let label = candidates.first(where: { label in
                label.bounds.width < b - a && marks.isClear(label.bounds) && !legends.contains { $0.overlaps(label.bounds) }
            }) { shading.append(.text(label)) }
        }
        let firstSeries = page.items.firstIndex { ($0.tag ?? "").hasPrefix("series:") } ?? page.items.count
        page.items.insert(contentsOf: shading, at: firstSeries)
        return page
    }
}
