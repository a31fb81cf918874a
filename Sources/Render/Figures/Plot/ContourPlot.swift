import Foundation
import Numbers

/// A 2-D function (a loss surface) as labelled level lines, with optimizer trajectories on top: each a
/// coloured polyline, its start a circle, its end a square (in print the series' own marker), and arrows
/// along it showing the direction. A path is clipped at the frame; where it first leaves the window a
/// larger outlined arrowhead on the frame can say so (`marksExit`).
public struct ContourPlot: Sendable {
    public struct Trajectory: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        /// The colour and dash of the style-th series (a panel of one trajectory keeps the colour it has
        /// among all of them). Nil: the trajectory's own position.
        public var style: Int?
        /// A dot at every point, so that each step can be counted (a few long steps that cross each other).
        public var markers = false
        /// Where the path first leaves the window, a larger outlined arrowhead with its tip on the frame (for
        /// a figure whose caption says when it leaves).
        public var marksExit = false

        public init(name: String, points: [(x: Double, y: Double)], style: Int? = nil, markers: Bool = false, marksExit: Bool = false) {
            self.name = name
            self.points = points
            self.style = style
            self.markers = markers
            self.marksExit = marksExit
        }
    }

    public var title: String?
    public var xAxis: Axis
    public var yAxis: Axis
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    /// f(x, y) sampled on a `resolution × resolution` grid.
    public var function: @Sendable (Double, Double) -> Double
    /// f already computed on that grid (rows by y, columns by x, at `ContourPlot.grid` points), as a caller
    /// does that evaluates the whole grid at once; `function` is then not called.
    public var sampled: [[Double]]?
    public var resolution: Int
    /// The levels drawn; nil chooses about ten (see `autoLevels`).
    public var levels: [Double]?
    public var trajectories: [Trajectory]
    /// Each level line labelled with its value (off in a small panel, where the labels crowd the paths).
    public var levelLabels = true
    /// Points the text speaks of (the minimum), each drawn as a star and named in the legend.
    public var marks: [(x: Double, y: Double, name: String)] = []
    /// The level lines, computed once for plots that share their grid and levels (one surface's panels);
    /// nil computes them from the grid.
    public var levelLines: LevelLines?

    /// The levels and their lines as polylines in data coordinates (`MarchingSquares.lines`).
    public struct LevelLines: Sendable {
        public let levels: [Double]
        let lines: [[[Point]]]
    }

    /// This plot's level lines: its levels (or about ten chosen from the grid) traced on its grid.
    public func lines() -> LevelLines {
        let n = sampled?.count ?? max(resolution, 4)
        let xs = Self.grid(xRange, n), ys = Self.grid(yRange, n)
        let values = sampled ?? ys.map { y in xs.map { x in function(x, y) } }
        let chosen = levels ?? Self.autoLevels(values.flatMap { $0 })
        return LevelLines(levels: chosen, lines: chosen.map { MarchingSquares.lines(level: $0, xs: xs, ys: ys, values: values) })
    }

    public init(title: String? = nil, xAxis: Axis, yAxis: Axis, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                resolution: Int = 120, levels: [Double]? = nil, trajectories: [Trajectory] = [],
                function: @escaping @Sendable (Double, Double) -> Double) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.xRange = xRange
        self.yRange = yRange
        self.resolution = resolution
        self.levels = levels
        self.trajectories = trajectories
        self.function = function
    }

    /// A plot of values already computed on the grid `grid(xRange, resolution)` × `grid(yRange, resolution)`.
    public init(title: String? = nil, xAxis: Axis, yAxis: Axis, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                levels: [Double]? = nil, trajectories: [Trajectory] = [], sampled: [[Double]]) {
        self.init(title: title, xAxis: xAxis, yAxis: yAxis, xRange: xRange, yRange: yRange, resolution: sampled.count,
                  levels: levels, trajectories: trajectories) { _, _ in .nan }
        self.sampled = sampled
    }

    /// The n sampling points spanning `range`, ends included.
    public static func grid(_ range: ClosedRange<Double>, _ n: Int) -> [Double] {
        (0..<n).map { Interval.step(range.lowerBound, range.upperBound, Double($0), of: Double(n - 1)) }
    }

    /// About `count` levels between the grid's minimum and maximum. When most of the surface lies far
    /// below its maximum (max − min more than 8 times median − min, as in Rosenbrock's valley), the levels
    /// are min + 10ᵏ for k evenly spaced over four decades below max − min; otherwise nice linear steps.
    static func autoLevels(_ values: [Double], count: Int = 10) -> [Double] {
        let finite = values.filter(\.isFinite).sorted()
        guard let lo = finite.first, let hi = finite.last, hi > lo else { return [] }
        let median = finite[finite.count / 2]
        // A surface spanning more than a Double's range (max − min = inf) gets the linear levels.
        if hi - lo > 8 * (median - lo), (hi - lo).isFinite {
            let a = log10((hi - lo) * 1e-4), b = log10(hi - lo)
            return (0..<count).map { lo + pow(10, a + (b - a) * Double($0) / Double(count)) }
        }
        return Ticks.linear(lo, hi, target: count + 2).filter { $0 > lo && $0 < hi }
    }

    public func layout(theme: Theme, measurer: any TextMeasurer) -> DisplayList {
        let entries = legendEntries(theme: theme, naming: trajectories)
        let legend = Legend(entries: entries, theme: theme, measurer: measurer)
        // The surface fills the axes, so the legend goes outside them, where it hides nothing: on the right,
        // or under the axes where that leaves larger axes for the window's shape (a wide window on a square page).
        func frame(below: Bool) -> PlotFrame {
            PlotFrame(theme: theme, measurer: measurer, title: title,
                      xAxis: Axis(xAxis.title, range: xRange), yAxis: Axis(yAxis.title, range: yRange),
                      xData: [xRange.lowerBound, xRange.upperBound], yData: [yRange.lowerBound, yRange.upperBound],
                      rightMargin: entries.isEmpty || below ? 0 : legend.size.width + Legend.gap,
                      bottomMargin: entries.isEmpty || !below ? 0 : legend.size.height + Legend.gap)
        }
        // The size of the largest rectangle of the window's shape (between 0.4 and 1.2 times as high as wide) in the axes.
        let shape = min(1.2, max(0.4, (yRange.upperBound - yRange.lowerBound) / (xRange.upperBound - xRange.lowerBound)))
        func size(_ f: PlotFrame) -> Double { min(f.area.width, f.area.height / shape) }
        let right = frame(below: false), under = entries.isEmpty ? right : frame(below: true)
        let below = size(under) > size(right)
        let chosen = below ? under : right
        var page = DisplayList(size: theme.pageSize, background: theme.pageBackground)
        page.append(contentsOf: chosen.background())
        page.append(contentsOf: data(in: chosen, theme: theme, measurer: measurer))
        if !entries.isEmpty {
            let box = below ? Rect(x: (theme.pageSize.width - legend.size.width) / 2, y: theme.pageSize.height - theme.margin - legend.size.height,
                                   width: legend.size.width, height: legend.size.height)
                : legend.outside(of: chosen.area)
            page.append(contentsOf: legend.primitives(in: box))
        }
        return page
    }

    /// The legend's rows: the trajectories `named` (a panel titled by its one trajectory names none), what
    /// the start and end markers mean, and the marked points.
    func legendEntries(theme: Theme, naming named: [Trajectory]) -> [Legend.Entry] {
        var entries = named.enumerated().map { position, trajectory in
            let i = trajectory.style ?? position
            return Legend.Entry(name: trajectory.name, color: theme.seriesColor(i), dash: theme.dash(i),
                                marker: theme.colors.seriesMarkers ? Marker.cycled(i) : nil)
        }
        // In print each path ends in its own marker (the legend's), elsewhere in a square.
        if !trajectories.isEmpty {
            entries.append(Legend.Entry(name: theme.colors.seriesMarkers ? "start ○   end: the path's marker" : "start ○   end ■",
                                        color: theme.muted, dash: nil, marker: nil))
        }
        for mark in marks { entries.append(Legend.Entry(name: mark.name, color: theme.foreground, dash: nil, marker: .star)) }
        return entries
    }

    /// The level lines with their labels, the marked points and the trajectories, inside `frame`.
    func data(in frame: PlotFrame, theme: Theme, measurer: any TextMeasurer) -> [Primitive] {
        let contours = levelLines ?? self.lines()
        let chosen = contours.levels
        var page: [Primitive] = []
        // The paths and marked points are drawn first into their own list, so that level labels keep clear of them.
        let data = dataShapes(frame: frame, theme: theme)
        let dataMarks = DataMarks(shapes: data.marks + data.paths)

        // Level lines, faint to strong with the level, each labelled once on a patch of the background.
        let light = theme.colors.contourLow, dark = theme.colors.contourHigh
        // Labels keep clear of the marked points' stars and of the paths.
        let markRadius = theme.lineWidth * 5 * 1.3
        var labelBoxes: [Rect] = marks.compactMap { frame.point($0.x, $0.y) }.map {
            Rect(x: $0.x - markRadius - 2, y: $0.y - markRadius - 2, width: 2 * markRadius + 4, height: 2 * markRadius + 4)
        }
        for (k, level) in chosen.enumerated() {
            let color = light.mixed(with: dark, chosen.count > 1 ? Double(k) / Double(chosen.count - 1) : 1)
            // Each polyline on the page, broken where a point has no place on it.
            var path: [PathElement] = [], segments: [(Point, Point)] = []
            for line in contours.lines[k] {
                var last: Point?
                for point in line {
                    guard let p = frame.point(point.x, point.y) else { last = nil; continue }
                    if let last {
                        if path.isEmpty || segments.last?.1 != last { path.append(.move(last)) }
                        path.append(.line(p))
                        segments.append((last, p))
                    }
                    last = p
                }
            }
            guard !segments.isEmpty else { continue }
            page.append(.path(PathShape(path, stroke: Stroke(color, width: theme.lineWidth), tag: "contour:\(k)")))
            guard levelLabels else { continue }
            let text = Self.levelLabel(level, chosen)
            for candidate in stride(from: segments.count / 2, to: segments.count, by: max(1, segments.count / 12)) {
                let (a, b) = segments[candidate]
                let run = TextRun.placed(text, font: theme.font(theme.smallSize * 0.9), color: theme.colors.contourLabel,
                                         at: Point((a.x + b.x) / 2, (a.y + b.y) / 2), tag: "contour-label:\(k)", measurer: measurer)
                let box = run.bounds.insetBy(dx: -2, dy: -1)
                guard frame.area.contains(box), !labelBoxes.contains(where: { $0.overlaps(box) }), dataMarks.isClear(box) else { continue }
                labelBoxes.append(box)
                page.append(.path(PathShape(rectangle(box), fill: theme.background.withAlpha(0.85), tag: "contour-label-patch")))
                page.append(.text(run))
                break
            }
        }
        page.append(contentsOf: (data.marks + data.paths).map { .path($0) })
        return page
    }

    /// The marked points (outlined stars, under the paths: a path that ends at the minimum stays visible)
    /// and every trajectory with its arrows, start and end.
    private func dataShapes(frame: PlotFrame, theme: Theme) -> (marks: [PathShape], paths: [PathShape]) {
        let markRadius = theme.lineWidth * 5 * 1.3
        var stars: [PathShape] = [], paths: [PathShape] = []
        for mark in marks {
            guard let p = frame.point(mark.x, mark.y) else { continue }
            stars.append(Marker.star.shape(at: p, radius: markRadius / 1.3, fill: nil,
                                           stroke: Stroke(theme.foreground, width: theme.lineWidth * 1.2), tag: "mark:\(mark.name)"))
        }
        for (position, trajectory) in trajectories.enumerated() {
            let i = trajectory.style ?? position
            let color = theme.seriesColor(i)
            let points = trajectory.points.compactMap { frame.point($0.x, $0.y) }
            var path: [PathElement] = [], lastEnd: Point?
            var arrows: [PathElement] = [], exits: [PathElement] = []
            let arrowEvery = max(1, points.count / 8)
            let size = 4 + 2 * theme.lineWidth
            for (k, (a, b)) in zip(points, points.dropFirst()).enumerated() {
                guard let (c, d) = frame.clip(a, b) else { continue }
                if lastEnd != c { path.append(.move(c)) }
                path.append(.line(d))
                lastEnd = d
                let length = hypot(d.x - c.x, d.y - c.y)
                if k % arrowEvery == 0, length > 8 { arrows += arrowhead(at: Point((c.x + d.x) / 2, (c.y + d.y) / 2), direction: (d.x - c.x, d.y - c.y), size: size) }
                // Where the path first leaves the window: a larger arrowhead with its tip on the frame, pointing out.
                if trajectory.marksExit, exits.isEmpty, d != b, length > 0 {
                    let (ux, uy) = ((d.x - c.x) / length, (d.y - c.y) / length), exit = 1.5 * size
                    exits += arrowhead(at: Point(d.x - ux * exit / 2, d.y - uy * exit / 2), direction: (ux, uy), size: exit)
                }
            }
            paths.append(PathShape(path, stroke: Stroke(color, width: theme.lineWidth * 1.5, dash: theme.dash(i)),
                                        tag: "trajectory:\(trajectory.name)"))
            if !arrows.isEmpty { paths.append(PathShape(arrows, fill: color, tag: "arrows:\(trajectory.name)")) }
            if !exits.isEmpty {
                paths.append(PathShape(exits, fill: color, stroke: Stroke(theme.foreground, width: 0.75), tag: "exit:\(trajectory.name)"))
            }
            let inside = { (p: Point) in frame.area.contains(Rect(x: p.x, y: p.y, width: 0, height: 0)) }
            if trajectory.markers {
                for p in points.dropFirst().dropLast() where inside(p) {
                    paths.append(Marker.circle.shape(at: p, radius: theme.lineWidth * 1.8, fill: color, stroke: nil, tag: "marker:\(trajectory.name)"))
                }
            }
            if let start = points.first, inside(start) {
                paths.append(Marker.circle.shape(at: start, radius: theme.lineWidth * 3, fill: theme.background,
                                                      stroke: Stroke(color, width: theme.lineWidth * 1.5), tag: "start:\(trajectory.name)"))
            }
            if let end = points.last, inside(end) {
                paths.append((theme.colors.seriesMarkers ? Marker.cycled(i) : .square).shape(at: end, radius: theme.lineWidth * 3, fill: color, stroke: Stroke(theme.foreground, width: 0.75),
                                                      tag: "end:\(trajectory.name)"))
            }
        }
        return (stars, paths)
    }

    static func levelLabel(_ level: Double, _ levels: [Double]) -> String {
        let spread = (levels.max() ?? 1) - (levels.min() ?? 0)
        let magnitude = log10(max(abs(level), spread * 1e-3, 1e-12)).rounded(.down)
        // Levels ±10³⁰⁸ apart have an infinite spread: no decimals then.
        let digits = magnitude.isFinite ? max(0, min(4, 2 - Int(magnitude))) : 0
        return NumberFormat.fixed(level, decimals: digits)
    }

    private func rectangle(_ r: Rect) -> [PathElement] {
        [.move(Point(r.minX, r.minY)), .line(Point(r.maxX, r.minY)), .line(Point(r.maxX, r.maxY)), .line(Point(r.minX, r.maxY)), .close]
    }

    private func arrowhead(at p: Point, direction: (Double, Double), size: Double) -> [PathElement] {
        let length = max(hypot(direction.0, direction.1), 1e-9)
        let (ux, uy) = (direction.0 / length, direction.1 / length)
        let tip = Point(p.x + ux * size / 2, p.y + uy * size / 2), base = Point(p.x - ux * size / 2, p.y - uy * size / 2)
        return [.move(tip), .line(Point(base.x - uy * size * 0.5, base.y + ux * size * 0.5)),
                .line(Point(base.x + uy * size * 0.5, base.y - ux * size * 0.5)), .close]
    }
}
