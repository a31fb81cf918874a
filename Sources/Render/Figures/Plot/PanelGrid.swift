import Foundation

/// Small multiples: existing plots side by side in a grid, one panel each, under one title with one
/// legend, where one crowded figure would hide its series behind each other. Where every panel has the
/// same x axis (its title and scale), the panels share one x range (the union of theirs), its tick labels
/// are written under the lowest panel of each column only and its title once under the grid; the same for
/// y, along the left column. Panels with different axes (x space beside h space) keep their own, labelled
/// in their cells. Each panel is titled by its plot's title; the legend has each row once (a contour
/// panel's trajectory that its title names is left out), in a free cell of the grid or right of it.
public struct PanelGrid: Sendable {
    /// One panel: an existing plot, drawn without its own title and legend.
    public struct Panel: Sendable {
        let content: any PanelContent

        public init(_ plot: LinePlot) { content = plot }
        public init(_ plot: ContourPlot) { content = plot }
        public init(_ plot: DecisionRegionPlot) { content = plot }
    }

    public var title: String?
    public var panels: [Panel]
    /// The grid's columns; nil chooses the number that gives the largest panels on the page.
    public var columns: Int?

    public init(title: String? = nil, panels: [Panel], columns: Int? = nil) {
        self.title = title
        self.panels = panels
        self.columns = columns
    }

    /// A panel's place on the page: its cell, its data rectangle and the frame drawn in it.
    struct Placed {
        let row: Int, column: Int
        let frame: PlotFrame
        let labels: PlotFrame.Labels
    }

    public func layout(theme: Theme, measurer: any TextMeasurer) -> DisplayList {
        let (items, _, size) = placed(theme: theme, measurer: measurer)
        var page = DisplayList(size: size, background: theme.pageBackground)
        page.append(contentsOf: items)
        return page
    }

    /// Columns that give the largest panels (the smaller side of a cell), the fewer empty cells on a tie.
    static func columns(for count: Int, in size: Size) -> Int {
        guard count > 1 else { return 1 }
        func side(_ c: Int) -> Double {
            let rows = (count + c - 1) / c
            return min(size.width / Double(c), size.height / Double(rows))
        }
        return (1...count).max { a, b in side(a) < side(b) || side(a) == side(b) && a > b } ?? 1
    }

    /// The page's primitives and each panel's frame (what tests read to check a panel's data against its axes).
    /// The page is the theme's, higher where the panels' rows need it.
    func placed(theme: Theme, measurer: any TextMeasurer) -> (items: [Primitive], panels: [Placed], size: Size) {
        var items: [Primitive] = []
        let m = theme.margin
        var page = theme.pageSize
        let small = theme.font(theme.smallSize), label = theme.font(theme.labelSize)
        let titleHeight = title == nil ? 0 : measurer.measure("X", font: theme.font(theme.titleSize, bold: true)).height * 1.4
        if let title {
            items.append(.text(.placed(MathText.figureText(title), font: theme.font(theme.titleSize, bold: true), color: theme.foreground,
                                       at: Point(page.width / 2, m), anchor: .top, tag: "title", measurer: measurer)))
        }
        let contents = panels.map(\.content)
        guard !contents.isEmpty else { return (items, [], page) }

        // The axes: shared where every panel has the same title and scale, with the union of the ranges.
        let own = contents.map { $0.axes() }
        let sharesX = Set(own.map { [$0.x.title, "\($0.x.scale)"] }).count == 1
        let sharesY = Set(own.map { [$0.y.title, "\($0.y.scale)"] }).count == 1
        func shared(_ axes: [(axis: Axis, data: [Double])]) -> (axis: Axis, data: [Double]) {
            let data = axes.flatMap { $0.axis.range.map { [$0.lowerBound, $0.upperBound] } ?? $0.data }
            var axis = axes[0].axis
            axis.range = axes.allSatisfy { $0.axis.range != nil } ? (data.min() ?? 0)...(data.max() ?? 1) : nil
            return (axis, data)
        }
        let commonX = sharesX ? shared(own.map { ($0.x, $0.xData) }) : nil
        let commonY = sharesY ? shared(own.map { ($0.y, $0.yData) }) : nil
        let axes = own.map { a in
            (x: commonX?.axis ?? a.x, y: commonY?.axis ?? a.y, xData: commonX?.data ?? a.xData, yData: commonY?.data ?? a.yData)
        }

        // Bands for the shared axes' labels: on the left the y title and tick labels, below the x ticks and title.
        let insets = axes.map { a in PlotFrame.insets(theme: theme, measurer: measurer, yAxis: a.y, yTicks: AxisMapping.range(a.y, data: a.yData).ticks) }
        let leftBand = sharesY ? insets.map(\.left).max() ?? 0 : 0
        let bottomBand = sharesX ? insets[0].bottom : 0
        let tickHeight = measurer.measure("0", font: small).height
        let tickBand = 6 + tickHeight + 6
        let panelTitleHeight = contents.contains { $0.title != nil } ? measurer.measure("X", font: theme.font(theme.labelSize * 0.85)).height * 1.5 : 0
        let gap = theme.labelSize
        // Panel titles a little smaller than axis titles, so that seven fit side by side on a slide.
        let panelFont = theme.font(theme.labelSize * 0.85)
        // The legend, each row once, in the grid's last cell when it is free and large enough, else right of the grid.
        var entries: [Legend.Entry] = []
        for entry in contents.flatMap({ $0.legendEntries(theme: theme) }) where !entries.contains(where: { $0.name == entry.name }) {
            entries.append(entry)
        }
        let legend = Legend(entries: entries, theme: theme, measurer: measurer)
        // Chosen: the columns that give the largest panels, fewer while a panel's title would be wider than its cell.
        let titleWidth = contents.compactMap(\.title).map { measurer.measure(MathText.figureText($0), font: panelFont).width }.max() ?? 0
        var columns = max(1, min(self.columns ?? Self.columns(for: contents.count, in: Size(page.width - 2 * m, page.height - 2 * m - titleHeight)),
                                 contents.count))
        // (Without a free cell the legend takes room on the right.)
        func cellWidth(_ c: Int) -> Double {
            let legendRoom = entries.isEmpty || (contents.count + c - 1) / c * c > contents.count ? 0 : legend.size.width + Legend.gap
            return (page.width - 2 * m - leftBand - legendRoom - 12 - Double(c - 1) * gap) / Double(c)
        }
        while self.columns == nil, columns > 1, cellWidth(columns) + gap - 4 < titleWidth {
            columns -= 1
        }
        let rows = (contents.count + columns - 1) / columns

        func grid(rightMargin: Double) -> (cell: Size, origin: Point) {
            let width = page.width - 2 * m - leftBand - rightMargin - 12, height = page.height - 2 * m - titleHeight - bottomBand
            return (Size((width - Double(columns - 1) * gap) / Double(columns), (height - Double(rows - 1) * gap) / Double(rows)),
                    Point(m + leftBand, m + titleHeight))
        }
        func cell(_ row: Int, _ column: Int, in g: (cell: Size, origin: Point)) -> Rect {
            Rect(x: g.origin.x + Double(column) * (g.cell.width + gap), y: g.origin.y + Double(row) * (g.cell.height + gap),
                 width: g.cell.width, height: g.cell.height)
        }
        // A page too low for its rows grows, so that each panel's axes are at least 0.55 times as high as wide;
        // not a 16:9 slide, which keeps the frame of the projector (a taller one would be shown smaller).
        let flat = grid(rightMargin: 0).cell
        let lowest = panelTitleHeight + (sharesX ? 0 : insets.map(\.bottom).max() ?? 0) + 0.55 * (flat.width - (sharesY ? 0 : insets.map(\.left).max() ?? 0))
        // (Not for axes of equal units, whose height follows from their width.)
        if flat.height < lowest, !contents.contains(where: \.equalAspect), page.width / page.height < 1.7 { page.height += Double(rows) * (lowest - flat.height) }
        let freeCell = rows * columns > contents.count
        var layout = grid(rightMargin: 0)
        var legendBox: Rect?
        if !entries.isEmpty {
            let free = cell(rows - 1, columns - 1, in: layout)
            // Under the tick labels of the panel above it, when the x axis is shared.
            let room = Rect(x: free.minX + 8, y: free.minY + (sharesX ? tickBand : 0) + 8, width: free.width - 8, height: free.height - (sharesX ? tickBand : 0) - 8)
            if freeCell, room.width >= legend.size.width, room.height >= legend.size.height {
                legendBox = Rect(x: room.minX, y: room.minY, width: legend.size.width, height: legend.size.height)
            } else {
                layout = grid(rightMargin: legend.size.width + Legend.gap)
            }
        }

        var placed: [Placed] = []
        for (i, content) in contents.enumerated() {
            let (row, column) = (i / columns, i % columns)
            let box = cell(row, column, in: layout)
            let a = axes[i]
            let left = sharesY ? 0 : insets[i].left, bottom = sharesX ? 0 : insets[i].bottom
            var area = Rect(x: box.minX + left, y: box.minY + panelTitleHeight, width: box.width - left, height: box.height - panelTitleHeight - bottom)
            if content.equalAspect {
                let xr = AxisMapping.range(a.x, data: a.xData), yr = AxisMapping.range(a.y, data: a.yData)
                if let (w, h) = PlotFrame.equalAspectSize(area, xAxis: a.x, yAxis: a.y, xr: (xr.lo, xr.hi), yr: (yr.lo, yr.hi)) {
                    // Centred across, at the top of the cell, so that the panels' titles stay on one line.
                    area = Rect(x: area.minX + (area.width - w) / 2, y: area.minY, width: w, height: h)
                }
            }
            let frame = PlotFrame(theme: theme, measurer: measurer, area: area, xAxis: a.x, yAxis: a.y, xData: a.xData, yData: a.yData)
            // Shared x: tick labels under the lowest panel of each column only; shared y: along the left column.
            let lowest = i + columns >= contents.count
            let labels = PlotFrame.Labels(xTicks: !sharesX || lowest, yTicks: !sharesY || column == 0, xTitle: !sharesX, yTitle: !sharesY)
            items.append(contentsOf: frame.background(labels: labels))
            items.append(contentsOf: content.data(in: frame, theme: theme, measurer: measurer))
            if let name = content.title {
                items.append(.text(.placed(MathText.figureText(name), font: panelFont, color: theme.foreground,
                                           at: Point(area.center.x, area.minY - 4), anchor: .bottom, tag: "panel-title:\(i)", measurer: measurer)))
            }
            placed.append(Placed(row: row, column: column, frame: frame, labels: labels))
        }
        // The shared axes' titles, once for the grid.
        let areas = placed.map(\.frame.area)
        if sharesX, let first = own.first, let lowest = areas.map(\.maxY).max(), let l = areas.map(\.minX).min(), let r = areas.map(\.maxX).max() {
            items.append(.text(.placed(MathText.figureText(first.x.title), font: label, color: theme.foreground,
                                       at: Point((l + r) / 2, lowest + 12 + tickHeight), anchor: .top, tag: "x-title", measurer: measurer)))
        }
        if sharesY, let first = own.first, let top = areas.map(\.minY).min(), let bottom = areas.map(\.maxY).max(), let l = areas.map(\.minX).min() {
            items.append(.text(.placed(MathText.figureText(first.y.title), font: label, color: theme.foreground,
                                       at: Point(l - leftBand, (top + bottom) / 2), anchor: .top, angle: .pi / 2, tag: "y-title", measurer: measurer)))
        }
        if !entries.isEmpty {
            // Right of the grid's cells (a panel's title may be wider than its axes), level with the first row's titles.
            let right = cell(0, columns - 1, in: layout)
            let box = legendBox ?? legend.outside(of: Rect(x: right.minX, y: right.minY, width: right.width, height: 0))
            items.append(contentsOf: legend.primitives(in: box))
        }
        return (Self.withoutTouchingTicks(items), placed, page)
    }

    /// The items without a tick label that would touch one already kept: where two panels' axes meet
    /// side by side, the left panel's last label and the right one's first ran together ("2−2").
    static func withoutTouchingTicks(_ items: [Primitive]) -> [Primitive] {
        var kept: [Rect] = []
        return items.filter { item in
            guard case .text(let run) = item, run.tag == "x-tick" || run.tag == "y-tick" else { return true }
            let box = run.bounds.insetBy(dx: -3, dy: -1)
            if kept.contains(where: { $0.overlaps(box) }) { return false }
            kept.append(box)
            return true
        }
    }
}

/// A plot that can be a panel of a `PanelGrid`: its axes and the data their ranges must hold, its legend's
/// rows, and its data drawn into a frame the grid lays out.
protocol PanelContent: Sendable {
    var title: String? { get }
    /// The axes (each with the range it shows when it has one) and the values an axis without a range must hold.
    func axes() -> (x: Axis, y: Axis, xData: [Double], yData: [Double])
    /// A unit as long on both axes (an input space).
    var equalAspect: Bool { get }
    func legendEntries(theme: Theme) -> [Legend.Entry]
    func data(in frame: PlotFrame, theme: Theme, measurer: any TextMeasurer) -> [Primitive]
}

extension LinePlot: PanelContent {
    func axes() -> (x: Axis, y: Axis, xData: [Double], yData: [Double]) { (xAxis, yAxis, series.flatMap(\.x), series.flatMap(\.y)) }
    var equalAspect: Bool { false }
    func legendEntries(theme: Theme) -> [Legend.Entry] {
        // Off scale: a point at a finite x (positive on a log x axis) whose y cannot be shown.
        let offScale = series.contains { s in
            zip(s.x, s.y).contains { x, y in
                x.isFinite && (xAxis.scale == .linear || x > 0) && (!y.isFinite || yAxis.scale == .log && y <= 0)
            }
        }
        return legendEntries(theme: theme, offScale: offScale)
    }
    func data(in frame: PlotFrame, theme: Theme, measurer: any TextMeasurer) -> [Primitive] { data(in: frame, theme: theme).items }
}

extension ContourPlot: PanelContent {
    func axes() -> (x: Axis, y: Axis, xData: [Double], yData: [Double]) {
        (Axis(xAxis.title, range: xRange), Axis(yAxis.title, range: yRange), [xRange.lowerBound, xRange.upperBound], [yRange.lowerBound, yRange.upperBound])
    }
    var equalAspect: Bool { false }
    func legendEntries(theme: Theme) -> [Legend.Entry] { legendEntries(theme: theme, naming: trajectories.filter { $0.name != title }) }
}

extension DecisionRegionPlot: PanelContent {
    func axes() -> (x: Axis, y: Axis, xData: [Double], yData: [Double]) {
        (Axis(xAxis.title, range: xRange), Axis(yAxis.title, range: yRange), [xRange.lowerBound, xRange.upperBound], [yRange.lowerBound, yRange.upperBound])
    }
    var equalAspect: Bool { true }
}
