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

    /// How high a panel's axes would like to be for their width where their units are free (a 4:3 panel):
    /// columns are chosen for the largest panels of this shape the page holds.
    static let panelAspect = 0.75

    /// A title broken into lines no wider than `width`: between words only, never inside a formula
    /// ("μ = 0.0017" stays whole) or inside parentheses ("(η = 0.001)"); nil when one part is still wider.
    static func wrapped(_ text: String, width: Double, font: FontStyle, measurer: any TextMeasurer) -> [String]? {
        func fits(_ line: String) -> Bool { measurer.measure(line, font: font).width <= width }
        if fits(text) { return [text] }
        // The unbreakable parts: a word, "=" binds its neighbours, and whatever lies inside parentheses.
        var parts: [String] = []
        var depth = 0, joinNext = false
        for word in text.split(separator: " ").map(String.init) {
            let opens = word.filter { $0 == "(" }.count, closes = word.filter { $0 == ")" }.count
            if let last = parts.last, depth > 0 || joinNext || word == "=" {
                parts[parts.count - 1] = last + " " + word
            } else {
                parts.append(word)
            }
            depth = max(0, depth + opens - closes)
            joinNext = word == "="
        }
        var lines: [String] = []
        for part in parts {
            if let last = lines.last, fits(last + " " + part) { lines[lines.count - 1] = last + " " + part } else { lines.append(part) }
        }
        return lines.allSatisfy(fits) ? lines : nil
    }

    /// The grid for a number of columns: each cell's size, where the cells start, the panels' titles as
    /// lines and the band they take above the axes, and whether the legend lies in the last row's free
    /// cells, else right of the grid or under it (`legendBelow`), each taking room from the cells.
    struct Geometry {
        let columns: Int, rows: Int
        let cell: Size
        let origin: Point
        let titles: [[String]]
        let titleBand: Double
        let legendBox: Rect?
        let legendBelow: Bool
        /// Every panel title fits its cell (broken into lines where needed).
        let titlesFit: Bool
    }

    /// The page's primitives and each panel's frame (what tests read to check a panel's data against its axes).
    /// A slide keeps its page (the projector's frame); a paper page grows where its rows need it.
    func placed(theme: Theme, measurer: any TextMeasurer) -> (items: [Primitive], panels: [Placed], size: Size) {
        var items: [Primitive] = []
        let m = theme.margin
        var page = theme.pageSize
        let small = theme.font(theme.smallSize), label = theme.font(theme.labelSize)
        // The grid's title, smaller where it would be wider than the page (a 4:3 or square slide).
        let titleText = title.map(MathText.figureText)
        let titleFont = titleText.map { theme.titleFont($0, within: page.width - 2 * m, measurer: measurer) } ?? theme.font(theme.titleSize, bold: true)
        let titleHeight = title == nil ? 0 : measurer.measure("X", font: titleFont).height * 1.4
        if let titleText {
            items.append(.text(.placed(titleText, font: titleFont, color: theme.foreground,
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
        let ownLeft = sharesY ? 0 : insets.map(\.left).max() ?? 0, ownBottom = sharesX ? 0 : insets.map(\.bottom).max() ?? 0
        let tickHeight = measurer.measure("0", font: small).height
        let tickBand = 6 + tickHeight + 6
        let gap = theme.labelSize
        // Panel titles a little smaller than axis titles, so that seven fit side by side on a slide.
        let panelFont = theme.font(theme.labelSize * 0.85)
        let panelLine = measurer.measure("X", font: panelFont).height
        // The legend, each row once, in the last row's free cells when they are large enough, else right of the grid.
        var entries: [Legend.Entry] = []
        for entry in contents.flatMap({ $0.legendEntries(theme: theme) }) where !entries.contains(where: { $0.name == entry.name }) {
            entries.append(entry)
        }
        let legend = Legend(entries: entries, theme: theme, measurer: measurer)
        let names = contents.map { $0.title.map(MathText.figureText) }

        func geometry(_ columns: Int, pageHeight: Double, legendBelow: Bool = false) -> Geometry {
            let rows = (contents.count + columns - 1) / columns
            let free = rows * columns - contents.count
            let below = legendBelow && !entries.isEmpty ? legend.size.height + Legend.gap : 0
            func cell(rightMargin: Double) -> Size {
                let width = page.width - 2 * m - leftBand - rightMargin - 12, height = pageHeight - 2 * m - titleHeight - bottomBand - below
                return Size((width - Double(columns - 1) * gap) / Double(columns), (height - Double(rows - 1) * gap) / Double(rows))
            }
            let origin = Point(m + leftBand, m + titleHeight)
            // A title may reach a little into the gaps beside its axes.
            func titles(_ cell: Size) -> ([[String]], Bool) {
                let width = cell.width - ownLeft + gap - 4
                var fit = true
                let lines = names.map { name -> [String] in
                    guard let name else { return [] }
                    guard let lines = Self.wrapped(name, width: width, font: panelFont, measurer: measurer) else {
                        fit = false
                        return [name]
                    }
                    return lines
                }
                return (lines, fit)
            }
            func band(_ titles: [[String]]) -> Double {
                let most = titles.map(\.count).max() ?? 0
                return most == 0 ? 0 : panelLine * 1.5 + Double(most - 1) * panelLine * 1.2
            }
            var size = cell(rightMargin: 0)
            var legendBox: Rect?
            if !entries.isEmpty {
                // The free cells of the last row, under the tick labels of the panels above them when x is shared.
                let first = columns - free
                let x = origin.x + Double(first) * (size.width + gap), y = origin.y + Double(rows - 1) * (size.height + gap)
                let room = Rect(x: x + 8, y: y + (sharesX ? tickBand : 0) + 8, width: Double(free) * (size.width + gap) - gap - 8,
                                height: size.height - (sharesX ? tickBand : 0) - 8)
                if free > 0, room.width >= legend.size.width, room.height >= legend.size.height {
                    legendBox = Rect(x: room.minX, y: room.minY, width: legend.size.width, height: legend.size.height)
                } else if legendBelow {
                    // Centred under the grid, at the foot of the page.
                    legendBox = Rect(x: (page.width - legend.size.width) / 2, y: pageHeight - m - legend.size.height,
                                     width: legend.size.width, height: legend.size.height)
                } else {
                    size = cell(rightMargin: legend.size.width + Legend.gap)
                }
            }
            let (lines, fit) = titles(size)
            return Geometry(columns: columns, rows: rows, cell: size, origin: origin, titles: lines, titleBand: band(lines), legendBox: legendBox,
                            legendBelow: legendBelow, titlesFit: fit)
        }
        /// The size of the panels a grid gives, as the side of a square of their area: the axes' own shape
        /// where a unit is as long on both, else the largest 4:3 (`panelAspect`) rectangle in the axes.
        func panelSize(_ g: Geometry) -> Double {
            let width = g.cell.width - ownLeft, height = g.cell.height - g.titleBand - ownBottom
            guard width > 0, height > 0 else { return 0 }
            return zip(contents, axes).map { content, a in
                if content.equalAspect {
                    let xr = AxisMapping.range(a.x, data: a.xData), yr = AxisMapping.range(a.y, data: a.yData)
                    let (dx, dy) = (xr.hi - xr.lo, yr.hi - yr.lo)
                    guard dx > 0, dy > 0 else { return 0 }
                    let scale = min(width / dx, height / dy)
                    return (scale * dx * scale * dy).squareRoot()
                }
                let w = min(width, height / Self.panelAspect)
                return (w * w * Self.panelAspect).squareRoot()
            }.min() ?? 0
        }
        // Chosen: the columns and the legend's place (right of the grid or under it, where no free cell holds
        // it) that give the largest panels on this page, among those whose panel titles fit.
        func best(_ options: [Geometry]) -> Geometry? {
            options.max { a, b in panelSize(a) < panelSize(b) || panelSize(a) == panelSize(b) && a.legendBelow && !b.legendBelow }
        }
        func placings(_ columns: Int) -> [Geometry] {
            let right = geometry(columns, pageHeight: page.height)
            return entries.isEmpty || right.legendBox != nil ? [right] : [right, geometry(columns, pageHeight: page.height, legendBelow: true)]
        }
        var g: Geometry
        if let columns = self.columns {
            let placed = placings(max(1, min(columns, contents.count)))
            g = best(placed) ?? placed[0]
        } else {
            let candidates = (1...contents.count).flatMap(placings)
            let fitting = candidates.filter(\.titlesFit)
            g = best(fitting.isEmpty ? candidates : fitting) ?? candidates[0]
        }
        // A paper page too low for its rows grows, so that each panel's axes are at least 0.55 times as high
        // as wide (not a slide, which keeps the frame of the projector; not axes of equal units, whose
        // height follows from their width).
        let lowest = g.titleBand + ownBottom + 0.55 * (g.cell.width - ownLeft)
        if !theme.isSlide, g.cell.height < lowest, !contents.contains(where: \.equalAspect) {
            page.height += Double(g.rows) * (lowest - g.cell.height)
            g = geometry(g.columns, pageHeight: page.height, legendBelow: g.legendBelow)
        }
        let columns = g.columns
        func cell(_ row: Int, _ column: Int) -> Rect {
            Rect(x: g.origin.x + Double(column) * (g.cell.width + gap), y: g.origin.y + Double(row) * (g.cell.height + gap),
                 width: g.cell.width, height: g.cell.height)
        }

        var placed: [Placed] = []
        for (i, content) in contents.enumerated() {
            let (row, column) = (i / columns, i % columns)
            let box = cell(row, column)
            let a = axes[i]
            let left = sharesY ? 0 : insets[i].left, bottom = sharesX ? 0 : insets[i].bottom
            var area = Rect(x: box.minX + left, y: box.minY + g.titleBand, width: box.width - left, height: box.height - g.titleBand - bottom)
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
            // The title's lines above the axes, the last one just over them.
            let lines = g.titles[i]
            for (k, line) in lines.enumerated() {
                let y = area.minY - 4 - Double(lines.count - 1 - k) * panelLine * 1.2
                items.append(.text(.placed(line, font: panelFont, color: theme.foreground,
                                           at: Point(area.center.x, y), anchor: .bottom, tag: "panel-title:\(i)", measurer: measurer)))
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
            let right = cell(0, columns - 1)
            let box = g.legendBox ?? legend.outside(of: Rect(x: right.minX, y: right.minY, width: right.width, height: 0))
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
