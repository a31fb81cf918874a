import Foundation
import Testing
@testable import Render

/// Small multiples (`PanelGrid`): each panel's data inside its own axes, shared ranges where the axes are
/// the same, labels only where they belong, nothing outside the page or under the minimum size.
@Suite struct PanelGridTests {
    let measurer = CairoTextMeasurer()

    /// The points of every path tagged with `prefix`, as page coordinates.
    func points(_ items: [Primitive], tagged prefix: String) -> [Point] {
        items.flatMap { item -> [Point] in
            guard case .path(let shape) = item, (shape.tag ?? "").hasPrefix(prefix) else { return [] }
            return shape.elements.compactMap { element in
                switch element {
                case .move(let p), .line(let p): return p
                default: return nil
                }
            }
        }
    }

    func inside(_ p: Point, _ r: Rect, slack: Double = 0.01) -> Bool {
        p.x >= r.minX - slack && p.x <= r.maxX + slack && p.y >= r.minY - slack && p.y <= r.maxY + slack
    }

    /// Seven line plots of different data: one range for all (the union), each series inside its own panel's
    /// axes, panels apart, tick labels only along the grid's left column and under each column's lowest panel.
    @Test(arguments: [Theme.slides, Theme.paper])
    func linePanelsShareTheirRanges(theme: Theme) throws {
        let xs: [Double] = (0...10).map(Double.init)
        let plots: [LinePlot] = (0..<7).map { k in
            let ys: [Double] = xs.map { x in Double(k) * 3 - x * 0.5 * Double(k + 1) }
            return LinePlot(title: "run \(k)", xAxis: Axis("iteration"), yAxis: Axis("loss"), series: [LinePlot.Series(name: "run \(k)", x: xs, y: ys)])
        }
        let grid = PanelGrid(title: "Seven runs", panels: plots.map(PanelGrid.Panel.init))
        let (items, panels, size) = grid.placed(theme: theme, measurer: measurer)
        #expect(panels.count == 7)
        // 7 panels on a 16:9 slide: 4 columns, 2 rows, the eighth cell holds the legend. On a 3:2 paper page
        // the legend's seven rows do not fit one cell: 3 columns give larger panels, the legend in the last
        // row's two free cells.
        let columns = theme == .slides ? 4 : 3
        #expect(panels.map { $0.column } == (0..<7).map { $0 % columns } && panels.map { $0.row } == (0..<7).map { $0 / columns })
        let all: [Double] = plots.flatMap { plot in plot.series.flatMap { $0.y } }
        for placed in panels {
            #expect(placed.frame.y.lo == panels[0].frame.y.lo && placed.frame.y.hi == panels[0].frame.y.hi)
            #expect(placed.frame.x.lo == panels[0].frame.x.lo && placed.frame.x.hi == panels[0].frame.x.hi)
            #expect(placed.frame.y.lo <= all.min()! && placed.frame.y.hi >= all.max()!)
        }
        // Each series inside its own panel's data rectangle (drawn in turn, so the k-th series is panel k's).
        let series = items.compactMap { item -> PathShape? in
            if case .path(let shape) = item, (shape.tag ?? "").hasPrefix("series:") { return shape } else { return nil }
        }
        #expect(series.count == 7)
        for (shape, placed) in zip(series, panels) {
            #expect(points([.path(shape)], tagged: "series:").allSatisfy { inside($0, placed.frame.area) }, "\(shape.tag ?? "")")
        }
        for (i, a) in panels.enumerated() { for b in panels[(i + 1)...] { #expect(!a.frame.area.overlaps(b.frame.area)) } }
        // Shared axes: y tick labels in the first column only, x tick labels under each column's lowest panel.
        #expect(panels.map { $0.labels.yTicks } == (0..<7).map { $0 % columns == 0 })
        #expect(panels.map { $0.labels.xTicks } == (0..<7).map { $0 + columns >= 7 })
        var page = DisplayList(size: size, background: theme.background)
        page.append(contentsOf: items)
        #expect(page.texts.filter { $0.tag == "x-title" }.count == 1 && page.texts.filter { $0.tag == "y-title" }.count == 1)
        #expect(FigureCheck.problems(page, use: theme == .slides ? .projected : .printed, measurer: measurer) == [])
        // Every panel's title above its own axes.
        for (k, placed) in panels.enumerated() {
            let title = try #require(page.texts.first { $0.tag == "panel-title:\(k)" })
            #expect(title.text == "run \(k)" && title.bounds.maxY <= placed.frame.area.minY)
        }
        // The legend names each series once (a line plot's series are not named by the panel's title).
        #expect(page.texts.filter { $0.tag == "legend-text" }.map(\.text) == (0..<7).map { "run \($0)" })
    }

    /// Panels with different axes (x space beside h space) keep their own ranges, ticks and titles, and
    /// the samples of each lie inside their own axes; two samples on one spot are counted and named.
    @Test(arguments: [Theme.slides, Theme.paper])
    func panelsWithTheirOwnAxes(theme: Theme) throws {
        let xSpace = DecisionRegionPlot(title: "x space", xAxis: Axis("x₁"), yAxis: Axis("x₂"), xRange: -0.5...1.5, yRange: -0.5...1.5,
                                        samples: [.init(x: 0, y: 0, label: 0), .init(x: 1, y: 1, label: 1)], resolution: 20) { x, y in x + y > 1 ? 1 : 0 }
        let hSpace = DecisionRegionPlot(title: "h space", xAxis: Axis("h₁"), yAxis: Axis("h₂"), xRange: -0.5...2.5, yRange: -0.5...1.5,
                                        samples: [.init(x: 0, y: 0, label: 0, name: "(0, 0)"), .init(x: 1, y: 0, label: 1, name: "(0, 1)"),
                                                  .init(x: 1, y: 0, label: 1, name: "(1, 0)")], resolution: 20) { x, _ in x > 0.5 ? 1 : 0 }
        let grid = PanelGrid(title: "Two spaces", panels: [.init(xSpace), .init(hSpace)])
        let (items, panels, size) = grid.placed(theme: theme, measurer: measurer)
        #expect(panels.count == 2 && panels.map { $0.column } == [0, 1])
        #expect(panels[0].frame.x.hi == 1.5 && panels[1].frame.x.hi == 2.5)
        for placed in panels {
            #expect(placed.labels.xTicks && placed.labels.yTicks && placed.labels.xTitle && placed.labels.yTitle)
            // A unit as long on both axes.
            let a = placed.frame.area
            #expect(abs(a.width / (placed.frame.x.hi - placed.frame.x.lo) - a.height / (placed.frame.y.hi - placed.frame.y.lo)) < 1e-9)
        }
        let samples = items.compactMap { item -> PathShape? in
            if case .path(let shape) = item, (shape.tag ?? "").hasPrefix("sample:") { return shape } else { return nil }
        }
        #expect(samples.count == 5)
        for shape in samples.prefix(2) { #expect(inside(shape.bounds.center, panels[0].frame.area)) }
        for shape in samples.suffix(3) { #expect(inside(shape.bounds.center, panels[1].frame.area)) }
        var page = DisplayList(size: size, background: theme.background)
        page.append(contentsOf: items)
        #expect(page.texts.filter { $0.tag == "x-title" }.map(\.text) == ["x₁", "h₁"])
        // A note too long for the room beside its point is broken onto two lines after a comma.
        let notes = page.texts.filter { $0.tag == "coincide" }.map(\.text).joined(separator: " ")
        #expect(notes == "(0, 0) ×2: (0, 1), (1, 0)")
        // Each note beside its own point, in the h space panel's half of the page.
        for note in page.texts.filter({ $0.tag == "coincide" }) { #expect(note.bounds.minX > panels[0].frame.area.maxX, "\(note.text)") }
        #expect(FigureCheck.problems(page, use: theme == .slides ? .projected : .printed, measurer: measurer) == [])
    }

    /// Contour panels: the one trajectory a panel's title names stays out of the legend, keeps the colour
    /// of its position among all (its style), and the layout is the same every time.
    @Test func contourPanelsAreDeterministic() {
        let panels = (0..<3).map { k in
            var plot = ContourPlot(title: "path \(k)", xAxis: Axis("x"), yAxis: Axis("y"), xRange: -2...2, yRange: -1...1, resolution: 30,
                                   trajectories: [.init(name: "path \(k)", points: [(x: -1.5, y: 0.5), (x: 0, y: 0.1 * Double(k)), (x: 1, y: 0)], style: k)]) { x, y in x * x + 4 * y * y }
            plot.marks = [(x: 0, y: 0, name: "minimum (0, 0)")]
            plot.levelLabels = false
            return PanelGrid.Panel(plot)
        }
        let grid = PanelGrid(title: "Three paths", panels: panels)
        let first = grid.layout(theme: .slides, measurer: measurer), second = grid.layout(theme: .slides, measurer: measurer)
        #expect(String(describing: first.items) == String(describing: second.items))
        #expect(first.texts.filter { $0.tag == "legend-text" }.map(\.text) == ["start ○   end ■", "minimum (0, 0)"])
        #expect(!first.texts.contains { ($0.tag ?? "").hasPrefix("contour-label") })
        let colours = first.items.compactMap { item -> Color? in
            if case .path(let shape) = item, (shape.tag ?? "").hasPrefix("trajectory:") { return shape.stroke?.color } else { return nil }
        }
        #expect(colours == (0..<3).map { Theme.slides.seriesColor($0) })
        #expect(FigureCheck.problems(first, use: .projected, measurer: measurer) == [])
    }

    /// Seven contour panels titled as the optimizers lesson titles them, on a slide of each aspect.
    func sevenContours() -> PanelGrid {
        let names = ["gd (η = 0.001)", "momentum (η = 0.001)", "nesterov (η = 0.001)", "adagrad (η = 1)", "rmsprop (η = 0.003)",
                     "adam (η = 0.05)", "rprop (Δ₀ = 0.1)"]
        let panels = names.enumerated().map { k, name in
            var plot = ContourPlot(title: name, xAxis: Axis("x"), yAxis: Axis("y"), xRange: -2...2, yRange: -1...3, resolution: 20,
                                   trajectories: [.init(name: name, points: [(x: -1.5, y: 2), (x: 0, y: 0), (x: 1, y: 1)], style: k)]) { x, y in
                (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
            }
            plot.marks = [(x: 1, y: 1, name: "minimum (1, 1)")]
            plot.levelLabels = false
            return PanelGrid.Panel(plot)
        }
        return PanelGrid(title: "The Rosenbrock function: one optimizer per panel", panels: panels)
    }

    /// The size a layout gives its panels, read from the placed frames: the side of the square of the largest
    /// 4:3 rectangle inside the smallest panel's axes.
    func panelSide(_ panels: [PanelGrid.Placed]) -> Double {
        panels.map { p in
            let w = min(p.frame.area.width, p.frame.area.height / 0.75)
            return (w * w * 0.75).squareRoot()
        }.min() ?? 0
    }

    /// On a slide the grid reflows to the page instead of growing it: 7 panels as 4 + 3 on 16:9 and 4:3 (the
    /// titles on two lines there), in 3 rows of 3 on a square page; the page keeps its size, so every text keeps its size on the projector (24 px
    /// at least) and lies inside the page, and no panel title runs into its neighbour's. No other column
    /// count whose layout passes these checks gives larger panels.
    @Test(arguments: Aspect.allCases)
    func sevenPanelsReflowToTheSlide(aspect: Aspect) throws {
        let theme = Theme.slides.with(aspect)
        let grid = sevenContours()
        let (items, panels, size) = grid.placed(theme: theme, measurer: measurer)
        #expect(size == theme.pageSize)
        let expected = [Aspect.wide: 4, .standard: 4, .square: 3][aspect] ?? 0
        #expect(panels.map(\.column).max().map { $0 + 1 } == expected, "\(aspect.rawValue)")
        var page = DisplayList(size: size, background: theme.background)
        page.append(contentsOf: items)
        #expect(FigureCheck.problems(page, use: .projected(on: theme), measurer: measurer) == [], "\(aspect.rawValue)")
        func titlesApart(_ page: DisplayList) -> Bool {
            let titles = page.texts.filter { ($0.tag ?? "").hasPrefix("panel-title:") }
            return titles.indices.allSatisfy { i in titles[(i + 1)...].allSatisfy { !$0.bounds.overlaps(titles[i].bounds) } }
        }
        #expect(titlesApart(page), "\(aspect.rawValue)")
        let chosen = panelSide(panels)
        for columns in 1...7 {
            var forced = grid
            forced.columns = columns
            let (items, placed, size) = forced.placed(theme: theme, measurer: measurer)
            var other = DisplayList(size: size, background: theme.background)
            other.append(contentsOf: items)
            guard FigureCheck.problems(other, use: .projected(on: theme), measurer: measurer).isEmpty, titlesApart(other) else { continue }
            #expect(panelSide(placed) <= chosen + 1e-9, "\(aspect.rawValue): \(columns) columns give larger panels")
        }
    }

    /// A panel's title is broken between words where it is wider than its cell, never inside a formula or
    /// inside parentheses.
    @Test func panelTitlesWrapBetweenFormulas() {
        let font = Theme.slides.font(15.3)
        let width = measurer.measure("too small μ = 0.001688", font: font).width - 1
        #expect(PanelGrid.wrapped("too small μ = 0.001688", width: width, font: font, measurer: measurer) == ["too small", "μ = 0.001688"])
        #expect(PanelGrid.wrapped("momentum (η = 0.001)", width: 100, font: font, measurer: measurer) == ["momentum", "(η = 0.001)"])
        #expect(PanelGrid.wrapped("momentum (η = 0.001)", width: 1000, font: font, measurer: measurer) == ["momentum (η = 0.001)"])
        #expect(PanelGrid.wrapped("momentum (η = 0.001)", width: 40, font: font, measurer: measurer) == nil)
    }

    /// A path that leaves the window is clipped at the frame; with `marksExit` one arrowhead marks where
    /// it first leaves, its tip on the frame, pointing out; without it there is none.
    @Test func aPathThatLeavesTheWindowIsMarkedAtTheFrame() throws {
        for marks in [true, false] {
            let plot = ContourPlot(title: "out", xAxis: Axis("x"), yAxis: Axis("y"), xRange: -1...1, yRange: -1...1, resolution: 10,
                                   trajectories: [.init(name: "path", points: [(x: 0, y: 0), (x: 0, y: 2), (x: 0.5, y: 0), (x: 2, y: 0)], marksExit: marks)]) { x, y in x * x + y * y }
            let page = plot.layout(theme: .slides, measurer: measurer)
            let exits = page.items.compactMap { item -> PathShape? in if case .path(let s) = item, s.tag == "exit:path" { return s } else { return nil } }
            #expect(exits.count == (marks ? 1 : 0))
            guard let exit = exits.first else { continue }
            // The frame's top edge: the trajectory's highest drawn point (it is clipped there).
            let top = try #require(points(page.items, tagged: "trajectory:path").map(\.y).min())
            let tips = points([.path(exit)], tagged: "exit:")
            #expect(tips.contains { abs($0.y - top) < 1e-9 } && tips.allSatisfy { $0.y >= top - 1e-9 })
        }
    }
}
