import Foundation

/// The frame shared by every plot: title, data rectangle, grid, ticks with labels, axis titles, and the
/// data→page transform. Plots compute their data ranges, make a frame, then draw inside `area`.
struct PlotFrame {
    let theme: Theme
    let measurer: any TextMeasurer
    let area: Rect
    let x: AxisMapping, y: AxisMapping
    let xTicks: [Double], yTicks: [Double]
    let xAxis: Axis, yAxis: Axis
    let title: String?
    /// From the y axis title's left edge to the data area: the tick labels and the title's height.
    let leftInset: Double

    /// Lays out a frame on a page of the theme's size, leaving `rightMargin` (or `bottomMargin`, under the x
    /// axis's title) for an outside legend. With
    /// `equalAspect` (an input space: x₁ and x₂ are the same kind of quantity) a unit is as long on both
    /// axes, so [−0.5, 1.5]² is square, not stretched to 16:9; the axes with their labels and the right
    /// margin are then centred on the page.
    init(theme: Theme, measurer: any TextMeasurer, title: String?, xAxis: Axis, yAxis: Axis,
         xData: [Double], yData: [Double], rightMargin: Double = 0, bottomMargin: Double = 0, equalAspect: Bool = false) {
        let xr = AxisMapping.range(xAxis, data: xData), yr = AxisMapping.range(yAxis, data: yData)
        let insets = Self.insets(theme: theme, measurer: measurer, yAxis: yAxis, yTicks: yr.ticks)
        let titleHeight = title == nil ? 0 : measurer.measure("X", font: theme.font(theme.titleSize, bold: true)).height * 1.4
        let left = theme.margin + insets.left
        let bottom = theme.margin + insets.bottom + bottomMargin
        let top = theme.margin + titleHeight
        let right = theme.margin + rightMargin + 12
        var area = Rect(x: left, y: top, width: theme.pageSize.width - left - right, height: theme.pageSize.height - top - bottom)
        if equalAspect, let (width, height) = Self.equalAspectSize(area, xAxis: xAxis, yAxis: yAxis, xr: (xr.lo, xr.hi), yr: (yr.lo, yr.hi)) {
            let block = (left - theme.margin) + width + (right - theme.margin)
            area = Rect(x: (theme.pageSize.width - block) / 2 + (left - theme.margin), y: top + (area.height - height) / 2,
                        width: width, height: height)
        }
        self.init(theme: theme, measurer: measurer, title: title, area: area, xAxis: xAxis, yAxis: yAxis, xr: xr, yr: yr, leftInset: insets.left)
    }

    /// A frame whose data rectangle is `area` (a panel of a `PanelGrid`), untitled: the grid writes the titles.
    init(theme: Theme, measurer: any TextMeasurer, area: Rect, xAxis: Axis, yAxis: Axis, xData: [Double], yData: [Double]) {
        let xr = AxisMapping.range(xAxis, data: xData), yr = AxisMapping.range(yAxis, data: yData)
        let insets = Self.insets(theme: theme, measurer: measurer, yAxis: yAxis, yTicks: yr.ticks)
        self.init(theme: theme, measurer: measurer, title: nil, area: area, xAxis: xAxis, yAxis: yAxis, xr: xr, yr: yr, leftInset: insets.left)
    }

    private init(theme: Theme, measurer: any TextMeasurer, title: String?, area: Rect, xAxis: Axis, yAxis: Axis,
                 xr: (lo: Double, hi: Double, ticks: [Double]), yr: (lo: Double, hi: Double, ticks: [Double]), leftInset: Double) {
        self.theme = theme
        self.measurer = measurer
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.area = area
        self.leftInset = leftInset
        xTicks = xr.ticks
        yTicks = yr.ticks
        x = AxisMapping(scale: xAxis.scale, lo: xr.lo, hi: xr.hi, start: area.minX, end: area.maxX)
        y = AxisMapping(scale: yAxis.scale, lo: yr.lo, hi: yr.hi, start: area.maxY, end: area.minY)
    }

    /// Room the labels need beside the data rectangle: on the left, the y axis title and tick labels; below,
    /// the x tick labels and axis title.
    static func insets(theme: Theme, measurer: any TextMeasurer, yAxis: Axis, yTicks: [Double]) -> (left: Double, bottom: Double) {
        let small = theme.font(theme.smallSize), label = theme.font(theme.labelSize)
        let tickHeight = measurer.measure("0", font: small).height
        let yLabelWidth = yTicks.map { measurer.measure(Self.label($0, yAxis.scale, yTicks), font: small).width }.max() ?? 0
        let axisTitle = measurer.measure("X", font: label).height
        return (axisTitle + 8 + yLabelWidth + 6, axisTitle + 6 + tickHeight + 6)
    }

    /// The width and height of the largest rectangle inside `area` in which a unit is as long on both
    /// (linear) axes, or nil when the axes cannot be drawn so.
    static func equalAspectSize(_ area: Rect, xAxis: Axis, yAxis: Axis, xr: (lo: Double, hi: Double), yr: (lo: Double, hi: Double)) -> (Double, Double)? {
        let xSpan = xr.hi - xr.lo, ySpan = yr.hi - yr.lo
        guard xAxis.scale == .linear, yAxis.scale == .linear, xSpan > 0, ySpan > 0, xSpan.isFinite, ySpan.isFinite else { return nil }
        let unit = min(area.width / xSpan, area.height / ySpan)
        // Spans of subnormal size give an infinite unit: those axes keep the whole area.
        return unit.isFinite ? (xSpan * unit, ySpan * unit) : (area.width, area.height)
    }

    static func label(_ value: Double, _ scale: Axis.Scale, _ ticks: [Double]) -> String {
        switch scale {
        case .log: return Ticks.logLabel(value)
        case .linear: return Ticks.label(value, step: ticks.count > 1 ? abs(ticks[1] - ticks[0]) : 1)
        }
    }

    /// Page point of a data point, or nil when either coordinate cannot be shown.
    func point(_ px: Double, _ py: Double) -> Point? {
        guard let a = x.map(px), let b = y.map(py) else { return nil }
        return Point(a, b)
    }

    /// Grid, frame, ticks, tick labels, axis titles and title, as primitives (drawn before the data).
    /// Without `xGrid` the x axis has no ticks or vertical lines (a bar chart's categories label it).
    func background(xGrid: Bool = true) -> [Primitive] {
        background(xGrid: xGrid, labels: .all)
    }

    /// What of its labels a frame writes: a panel of a grid that shares an axis leaves its tick labels to
    /// the panels on the grid's edge and its title to the grid.
    struct Labels {
        var xTicks = true, yTicks = true, xTitle = true, yTitle = true
        static let all = Labels()
    }

    func background(xGrid: Bool = true, labels: Labels) -> [Primitive] {
        var items: [Primitive] = []
        let small = theme.font(theme.smallSize), label = theme.font(theme.labelSize)
        var grid: [PathElement] = []
        for t in xTicks where xGrid { if let px = x.map(t) { grid += [.move(Point(px, area.minY)), .line(Point(px, area.maxY))] } }
        for t in yTicks { if let py = y.map(t) { grid += [.move(Point(area.minX, py)), .line(Point(area.maxX, py))] } }
        var minor: [PathElement] = []
        // Minor lines at 2…9 × 10ⁿ only where every decade has its major line.
        func everyDecade(_ ticks: [Double]) -> Bool { ticks.count < 2 || abs(ticks[1] / ticks[0] - 10) < 1e-6 }
        if yAxis.scale == .log, everyDecade(yTicks) { minor += minorLogLines(y, vertical: false) }
        if xAxis.scale == .log, everyDecade(xTicks) { minor += minorLogLines(x, vertical: true) }
        if !minor.isEmpty { items.append(.path(PathShape(minor, stroke: Stroke(theme.grid, width: 0.4), tag: "minor-grid"))) }
        items.append(.path(PathShape(grid, stroke: Stroke(theme.grid, width: 0.9), tag: "grid")))
        items.append(.path(PathShape([.move(Point(area.minX, area.minY)), .line(Point(area.maxX, area.minY)),
                                      .line(Point(area.maxX, area.maxY)), .line(Point(area.minX, area.maxY)), .close],
                                     stroke: Stroke(theme.foreground, width: theme.lineWidth * 0.75), tag: "frame")))
        // Tick labels, thinned so none overlaps its neighbour.
        var lastRight = -Double.infinity
        var xLabels: [Rect] = []
        for t in xTicks where xGrid && labels.xTicks {
            guard let px = x.map(t) else { continue }
            let run = TextRun.placed(Self.label(t, xAxis.scale, xTicks), font: small, color: theme.foreground,
                                     at: Point(px, area.maxY + 6), anchor: .top, tag: "x-tick", measurer: measurer)
            if run.bounds.minX > lastRight + 4 {
                items.append(.text(run))
                lastRight = run.bounds.maxX
                xLabels.append(run.bounds)
            }
        }
        // In the corner the lowest y label gives way to the first x label.
        var lastTop = Double.infinity
        for t in yTicks where labels.yTicks {
            guard let py = y.map(t) else { continue }
            let run = TextRun.placed(Self.label(t, yAxis.scale, yTicks), font: small, color: theme.foreground,
                                     at: Point(area.minX - 6, py), anchor: .right, tag: "y-tick", measurer: measurer)
            if run.bounds.maxY < lastTop - 2, !xLabels.contains(where: { $0.overlaps(run.bounds) }) {
                items.append(.text(run))
                lastTop = run.bounds.minY
            }
        }
        let tickHeight = measurer.measure("0", font: small).height
        if labels.xTitle {
            items.append(.text(.placed(MathText.figureText(xAxis.title), font: label, color: theme.foreground,
                                       at: Point(area.center.x, area.maxY + 12 + tickHeight), anchor: .top, tag: "x-title", measurer: measurer)))
        }
        if labels.yTitle {
            items.append(.text(.placed(MathText.figureText(yAxis.title), font: label, color: theme.foreground,
                                       at: Point(area.minX - leftInset, area.center.y), anchor: .top, angle: .pi / 2, tag: "y-title", measurer: measurer)))
        }
        if let title {
            let text = MathText.figureText(title)
            items.append(.text(.placed(text, font: theme.titleFont(text, within: theme.pageSize.width - 2 * theme.margin, measurer: measurer), color: theme.foreground,
                                       at: Point(theme.pageSize.width / 2, theme.margin), anchor: .top, tag: "title", measurer: measurer)))
        }
        return items
    }

    private func minorLogLines(_ m: AxisMapping, vertical: Bool) -> [PathElement] {
        var lines: [PathElement] = []
        // From the decade of lo, but not below 10⁻³²³ (10⁻³²⁴ is 0 as a Double, and 0 × 10 never reaches hi);
        // at most the 632 decades a Double spans.
        var decade = pow(10, max(-323, log10(m.lo).rounded(.down)))
        for _ in 0..<640 where decade > 0 && decade < m.hi {
            for k in 2...9 {
                let v = decade * Double(k)
                guard v > m.lo, v < m.hi, let p = m.map(v) else { continue }
                lines += vertical ? [.move(Point(p, area.minY)), .line(Point(p, area.maxY))]
                                  : [.move(Point(area.minX, p)), .line(Point(area.maxX, p))]
            }
            decade *= 10
        }
        return lines
    }

    /// Clips the segment a→b to the data area (Liang–Barsky); nil when it lies outside.
    func clip(_ a: Point, _ b: Point) -> (Point, Point)? {
        var t0 = 0.0, t1 = 1.0
        let dx = b.x - a.x, dy = b.y - a.y
        for (p, q) in [(-dx, a.x - area.minX), (dx, area.maxX - a.x), (-dy, a.y - area.minY), (dy, area.maxY - a.y)] {
            if p == 0 { if q < 0 { return nil } else { continue } }
            let r = q / p
            if p < 0 { if r > t1 { return nil }; t0 = max(t0, r) } else { if r < t0 { return nil }; t1 = min(t1, r) }
        }
        return (Point(a.x + t0 * dx, a.y + t0 * dy), Point(a.x + t1 * dx, a.y + t1 * dy))
    }
}
