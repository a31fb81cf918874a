/// Several series against a shared x axis, linear or log y, with a legend. Points that cannot be shown
/// (inf, nan, or ≤ 0 on a log axis, as when the exploding-gradients lesson overflows a Double) break the
/// line and are marked by a ▲ at the top edge (or ▼ at the bottom for ≤ 0), never a crash.
public struct LinePlot: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// Draw a marker at every point (for short series).
        public var markers: Bool
        /// Series with the same style (the same run over several seeds) share colour and dash, and only
        /// the first of them appears in the legend. Nil: the series' own position.
        public var style: Int?
        /// Drawn thin and translucent, so that where many runs of one kind (ten seeds) cross, each line and
        /// their density stay visible; the legend shows the full colour.
        public var faint = false

        public init(name: String, x: [Double], y: [Double], markers: Bool = false, style: Int? = nil, faint: Bool = false) {
            self.name = name
            self.x = x
            self.y = y
            self.markers = markers
            self.style = style
            self.faint = faint
        }
    }

    public var title: String?
    public var xAxis: Axis
    public var yAxis: Axis
    public var series: [Series]
    /// x values at which to draw a vertical line across the plot, tagged `cursor:K` (K from 0), each
    /// shown on its own by a viewer (the iteration its slider is at); none in files.
    public var cursors: [Double] = []

    public init(title: String? = nil, xAxis: Axis, yAxis: Axis, series: [Series]) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
    }

    public func layout(theme: Theme, measurer: any TextMeasurer) -> DisplayList {
        placed(theme: theme, measurer: measurer).page
    }

    /// The page and the frame its data were drawn in. The legend goes into a corner of the axes where it
    /// covers no line or marker, or, when every corner has data, beside the axes on the right.
    func placed(theme: Theme, measurer: any TextMeasurer) -> (page: DisplayList, frame: PlotFrame) {
        func frame(rightMargin: Double) -> PlotFrame {
            PlotFrame(theme: theme, measurer: measurer, title: title, xAxis: xAxis, yAxis: yAxis,
                      xData: series.flatMap(\.x), yData: series.flatMap(\.y), rightMargin: rightMargin)
        }
        let inner = frame(rightMargin: 0)
        var (page, offScale) = draw(in: inner, theme: theme)
        let entries = legendEntries(theme: theme, offScale: offScale)
        guard !entries.isEmpty else { return (page, inner) }
        let legend = Legend(entries: entries, theme: theme, measurer: measurer)
        if let box = legend.freeCorner(in: inner.area, marks: DataMarks(page.items)) {
            page.append(contentsOf: legend.primitives(in: box))
            return (page, inner)
        }
        let outer = frame(rightMargin: legend.size.width + Legend.gap)
        page = draw(in: outer, theme: theme).page
        page.append(contentsOf: legend.primitives(in: legend.outside(of: outer.area)))
        return (page, outer)
    }

    /// One row per style (the first series of it names it), and the off-scale marker's when one was drawn.
    func legendEntries(theme: Theme, offScale: Bool) -> [Legend.Entry] {
        var styles = Set<Int>()
        var entries = series.enumerated().compactMap { position, s -> Legend.Entry? in
            let i = s.style ?? position
            guard styles.insert(i).inserted else { return nil }
            return Legend.Entry(name: s.name, color: theme.seriesColor(i), dash: theme.dash(i),
                                marker: s.markers || theme.colors.seriesMarkers ? Marker.cycled(i) : nil)
        }
        if offScale { entries.append(Legend.Entry(name: "off scale (inf, nan or ≤ 0)", color: theme.muted, dash: nil, marker: .triangle)) }
        return entries
    }

    /// The frame and every series, and whether a point could not be shown (inf, nan, ≤ 0 on a log axis).
    private func draw(in frame: PlotFrame, theme: Theme) -> (page: DisplayList, offScale: Bool) {
        var page = DisplayList(size: theme.pageSize, background: theme.pageBackground)
        page.append(contentsOf: frame.background())
        let (items, offScale) = data(in: frame, theme: theme)
        page.append(contentsOf: items)
        return (page, offScale)
    }

    /// Every series and the cursors inside `frame`, and whether a point could not be shown.
    func data(in frame: PlotFrame, theme: Theme) -> (items: [Primitive], offScale: Bool) {
        var page: [Primitive] = []
        var offScale = false
        for (position, s) in series.enumerated() {
            let i = s.style ?? position
            let color = theme.seriesColor(i)
            let stroke = Stroke(s.faint ? color.withAlpha(0.45) : color, width: theme.lineWidth * (s.faint ? 0.9 : 1.5), dash: theme.dash(i))
            var path: [PathElement] = []
            var previous: Point?, lastEnd: Point?
            var marks: [PathShape] = []
            let marked: (Int) -> Bool = s.markers ? { _ in true } : theme.colors.seriesMarkers ? Self.markedPoints(count: s.x.count, style: i) : { _ in false }
            for (k, (px, py)) in zip(s.x, s.y).enumerated() {
                guard let p = frame.point(px, py) else {
                    previous = nil
                    if let mx = frame.x.map(px) {
                        offScale = true
                        let below = py.isFinite && yAxis.scale == .log && py <= 0 || py == -.infinity
                        let edge = Point(mx, below ? frame.area.maxY - 5 : frame.area.minY + 5)
                        marks.append((below ? Marker.down : Marker.triangle).shape(at: edge, radius: theme.lineWidth * 2.5, fill: color,
                                                                                stroke: nil, tag: "off-scale:\(s.name)"))
                    }
                    continue
                }
                // Contiguous segments continue one line, so dash patterns run on across points.
                if let a = previous, let (c, d) = frame.clip(a, p) {
                    if lastEnd != c { path.append(.move(c)) }
                    path.append(.line(d))
                    lastEnd = d
                }
                previous = p
                if marked(k), frame.area.insetBy(dx: -0.5, dy: -0.5).contains(Rect(x: p.x, y: p.y, width: 0, height: 0)) {
                    marks.append(Marker.cycled(i).shape(at: p, radius: theme.lineWidth * 2.2, fill: color, stroke: nil, tag: "marker:\(s.name)"))
                }
            }
            if !path.isEmpty { page.append(.path(PathShape(path, stroke: stroke, tag: "series:\(s.name)"))) }
            page.append(contentsOf: marks.map { .path($0) })
        }
        for (k, x) in cursors.enumerated() {
            guard let mx = frame.x.map(x) else { continue }
            page.append(.path(PathShape([.move(Point(mx, frame.area.minY)), .line(Point(mx, frame.area.maxY))],
                                        stroke: Stroke(theme.foreground, width: theme.lineWidth), tag: "cursor:\(k)")))
        }
        return (page, offScale)
    }

    /// Where a series without markers of its own carries its marker in the print scheme: at every point of
    /// a short one (up to 12), else at about six points evenly spaced, shifted by a seventh of the spacing
    /// per style, so that the markers of series drawn over each other do not fall on one x.
    static func markedPoints(count n: Int, style i: Int) -> (Int) -> Bool {
        guard n > 12 else { return { _ in true } }
        let every = n / 6, offset = (i % 7) * every / 7
        return { k in k % every == offset }
    }
}
