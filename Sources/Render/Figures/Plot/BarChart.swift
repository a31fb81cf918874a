/// Bars for labelled values (gradient magnitude per layer), on a linear or log value axis. Values that
/// cannot be shown (inf, nan, ≤ 0 on a log axis) get no bar and are marked with their value as text.
public struct BarChart: Sendable {
    public var title: String?
    public var categoryTitle: String
    public var valueAxis: Axis
    public var labels: [String]
    public var values: [Double]

    public init(title: String? = nil, categoryTitle: String, valueAxis: Axis, labels: [String], values: [Double]) {
        self.title = title
        self.categoryTitle = categoryTitle
        self.valueAxis = valueAxis
        self.labels = labels
        self.values = values
    }

    public func layout(theme: Theme, measurer: any TextMeasurer) -> DisplayList {
        let n = Double(max(values.count, 1))
        var data = values
        if valueAxis.scale == .linear { data.append(0) }
        let frame = PlotFrame(theme: theme, measurer: measurer, title: title, xAxis: Axis(categoryTitle, range: 0...n),
                              yAxis: valueAxis, xData: [0, n], yData: data)
        var page = DisplayList(size: theme.pageSize, background: theme.pageBackground)
        page.append(contentsOf: frame.background(xGrid: false))
        let base = valueAxis.scale == .log ? frame.area.maxY : (frame.y.map(0) ?? frame.area.maxY)
        for (i, (label, value)) in zip(labels, values).enumerated() {
            guard let left = frame.x.map(Double(i) + 0.15), let right = frame.x.map(Double(i) + 0.85),
                  let center = frame.x.map(Double(i) + 0.5) else { continue }
            if let top = frame.y.map(value) {
                let y0 = min(top, base), y1 = max(top, base)
                page.append(.path(PathShape([.move(Point(left, y0)), .line(Point(right, y0)), .line(Point(right, y1)), .line(Point(left, y1)), .close],
                                            fill: theme.seriesColor(0), stroke: Stroke(theme.foreground, width: 0.5), tag: "bar:\(label)")))
            } else {
                page.append(.text(.placed(Ticks.special(value), font: theme.font(theme.smallSize), color: theme.gradient,
                                          at: Point(center, frame.area.maxY - 4), anchor: .bottom, tag: "bar-off-scale:\(label)", measurer: measurer)))
            }
            page.append(.text(.placed(label, font: theme.font(theme.smallSize), color: theme.foreground,
                                      at: Point(center, frame.area.maxY + 6), anchor: .top, tag: "category", measurer: measurer)))
        }
        return page
    }
}

/// A histogram of values in equal-width bins over their range (or a given one), as a bar chart of counts.
public struct Histogram: Sendable {
    public var title: String?
    public var valueTitle: String
    public var values: [Double]
    public var bins: Int
    public var range: ClosedRange<Double>?

    public init(title: String? = nil, valueTitle: String, values: [Double], bins: Int = 20, range: ClosedRange<Double>? = nil) {
        self.title = title
        self.valueTitle = valueTitle
        self.values = values
        self.bins = bins
        self.range = range
    }

    /// Counts per bin; values outside the range or non-finite are not counted. The last bin includes its
    /// upper edge.
    public func counts() -> (edges: [Double], counts: [Int]) {
        let finite = values.filter(\.isFinite)
        let lo = range?.lowerBound ?? finite.min() ?? 0, hi = range?.upperBound ?? finite.max() ?? 1
        let n = max(bins, 1)
        let width = hi > lo ? (hi - lo) / Double(n) : 1
        // Values ±10³⁰⁸ apart have an infinite width: their edges and bins come from `Interval`.
        let edges = (0...n).map { width.isFinite ? lo + width * Double($0) : Interval.step(lo, hi, Double($0), of: Double(n)) }
        var counts = Array(repeating: 0, count: n)
        for v in finite where v >= lo && v <= hi {
            let position = (v - lo) / width
            let bin = position.isFinite ? position : Interval.fraction(v, lo, hi) * Double(n)
            counts[max(0, min(Int(bin), n - 1))] += 1
        }
        return (edges, counts)
    }

    public func layout(theme: Theme, measurer: any TextMeasurer) -> DisplayList {
        let (edges, counts) = counts()
        let frame = PlotFrame(theme: theme, measurer: measurer, title: title, xAxis: Axis(valueTitle, range: (edges.first ?? 0)...(edges.last ?? 1)),
                              yAxis: Axis("count"), xData: edges, yData: counts.map(Double.init) + [0])
        var page = DisplayList(size: theme.pageSize, background: theme.pageBackground)
        page.append(contentsOf: frame.background())
        for (k, count) in counts.enumerated() where count > 0 {
            guard let a = frame.x.map(edges[k]), let b = frame.x.map(edges[k + 1]), let top = frame.y.map(Double(count)),
                  let base = frame.y.map(0) else { continue }
            page.append(.path(PathShape([.move(Point(a, top)), .line(Point(b, top)), .line(Point(b, base)), .line(Point(a, base)), .close],
                                        fill: theme.seriesColor(0).withAlpha(0.8), stroke: Stroke(theme.background, width: 0.75), tag: "bin:\(k)")))
        }
        return page
    }
}
