import Foundation
import Testing
@testable import Render

@Suite struct TickTests {
    @Test func niceLinearTicks() {
        #expect(Ticks.linear(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(Ticks.linear(-3, 7) == [-4, -2, 0, 2, 4, 6, 8])
        #expect(Ticks.linear(0, 100, target: 5) == [0, 50, 100])
        #expect(Ticks.linear(0.001, 0.0093) == [0, 0.002, 0.004, 0.006, 0.008, 0.01])
        #expect(Ticks.niceStep(0.3) == 0.5 && Ticks.niceStep(7) == 10 && Ticks.niceStep(1.5) == 2 && Ticks.niceStep(1) == 1)
        #expect(Ticks.label(-0.5, step: 0.5) == "−0.5")
        #expect(Ticks.label(2, step: 1) == "2")
    }

    @Test func logTicks() {
        #expect(Ticks.log(0.003, 20) == [1e-3, 1e-2, 1e-1, 1, 10, 100])
        // 60 decades: every 10, on multiples of 10.
        #expect(Ticks.log(1e-5, 1e52) == stride(from: -10, through: 60, by: 10).map { (e: Int) -> Double in pow(10.0, Double(e)) })
        // Never past what a Double holds.
        #expect(Ticks.log(1, 1.7e308).last == 1e300)
        #expect(Ticks.logLabel(1e-5) == "10⁻⁵" && Ticks.logLabel(1) == "10⁰" && Ticks.logLabel(2000) == "2·10³")
        #expect(Ticks.logLabel(.infinity) == "inf")
    }
}

@Suite struct PlotTests {
    let measurer = CairoTextMeasurer()

    func coordinates(_ page: DisplayList) -> [Double] {
        page.items.flatMap { item -> [Double] in
            switch item {
            case .path(let p): return p.elements.flatMap { e -> [Double] in
                switch e {
                case .move(let q), .line(let q): return [q.x, q.y]
                case .curve(let a, let b, let c): return [a.x, a.y, b.x, b.y, c.x, c.y]
                case .arc(let c, let r, let s, let t): return [c.x, c.y, r, s, t]
                case .close: return []
                }
            }
            case .text(let t): return [t.origin.x, t.origin.y, t.bounds.x, t.bounds.y]
            case .raster(let r): return [r.frame.x, r.frame.y]
            }
        }
    }

    func expectTidy(_ page: DisplayList) {
        #expect(coordinates(page).allSatisfy { $0.isFinite })
        let pageRect = Rect(x: 0, y: 0, width: page.size.width, height: page.size.height)
        for t in page.texts { #expect(pageRect.contains(t.bounds), "\(t.text) leaves the page") }
        let ticks = page.texts.filter { $0.tag == "x-tick" || $0.tag == "y-tick" }
        for (i, a) in ticks.enumerated() { for b in ticks[(i + 1)...] { #expect(!a.bounds.overlaps(b.bounds)) } }
    }

    /// Overflowing series (inf, nan, ≤ 0 on a log axis) are clipped and marked, never a crash or a NaN coordinate.
    @Test(arguments: [Theme.slides, Theme.paper])
    func nonFinitePointsAreMarked(theme: Theme) {
        let x = (0..<40).map(Double.init)
        let y = x.map { pow(1e12, $0) }                                     // overflows to inf from x = 26
        let plot = LinePlot(title: "Overflow", xAxis: Axis("step"), yAxis: Axis("norm", scale: .log),
                            series: [.init(name: "norm", x: x, y: y), .init(name: "nan and zero", x: [0, 1, 2, 3], y: [1, .nan, 0, 2], markers: true)])
        let page = plot.layout(theme: theme, measurer: measurer)
        expectTidy(page)
        let marks = page.items.filter { ($0.tag ?? "").hasPrefix("off-scale:") }
        #expect(marks.count == (y.filter { !$0.isFinite }.count + 2))
        #expect(page.texts.contains { $0.text == "off scale (inf, nan or ≤ 0)" })
    }

    @Test func linePlotIsDeterministicAndInside() {
        let plot = LinePlot(title: "Loss", xAxis: Axis("iteration"), yAxis: Axis("loss"),
                            series: [.init(name: "a", x: [0, 1, 2, 3], y: [1, 0.5, 0.25, -0.2], markers: true)])
        let first = plot.layout(theme: .paper, measurer: measurer), second = plot.layout(theme: .paper, measurer: measurer)
        #expect(String(describing: first.items) == String(describing: second.items))
        expectTidy(first)
    }

    /// x² + y² on an 81 × 81 grid over [−2, 2]²: the grid's points and the values, one row per y.
    func circleGrid() -> (xs: [Double], values: [[Double]]) {
        let n = 81
        let xs: [Double] = (0..<n).map { (i: Int) -> Double in -2.0 + 4.0 * Double(i) / Double(n - 1) }
        return (xs, xs.map { y in xs.map { x in x * x + y * y } })
    }

    /// Marching squares on x² + y²: every contour point is within a small tolerance of radius r.
    @Test func contourOfACircle() {
        let (xs, values) = circleGrid()
        for r in [0.5, 1.0, 1.7] {
            let segments = MarchingSquares.segments(level: r * r, xs: xs, ys: xs, values: values)
            #expect(segments.count > 20)
            for (a, b) in segments {
                for p in [a, b] { #expect(abs((p.x * p.x + p.y * p.y).squareRoot() - r) < 0.01) }
            }
        }
    }

    /// The segments joined into polylines: a circle x² + y² = r² inside the grid is one closed line through
    /// every segment's ends (as many steps as segments, each step one segment), ending on its first point;
    /// a level that leaves the grid (x² + y² = 4.5 is cut at the grid's sides) is one open line per arc.
    @Test func contourSegmentsJoinIntoLines() {
        let (xs, values) = circleGrid()
        for r in [0.5, 1.0, 1.7] {
            let segments = MarchingSquares.segments(level: r * r, xs: xs, ys: xs, values: values)
            let lines = MarchingSquares.lines(level: r * r, xs: xs, ys: xs, values: values)
            #expect(lines.count == 1)
            let line = lines.first ?? []
            #expect(line.count == segments.count + 1)
            if let first = line.first, let last = line.last { #expect(abs(first.x - last.x) < 1e-12 && abs(first.y - last.y) < 1e-12) }
            for (a, b) in zip(line, line.dropFirst()) {
                #expect(segments.contains { s in (close(s.0, a) && close(s.1, b)) || (close(s.0, b) && close(s.1, a)) })
            }
        }
        // Four arcs, one in each corner, each open: its ends on the grid's border.
        let corners = MarchingSquares.lines(level: 4.5, xs: xs, ys: xs, values: values)
        #expect(corners.count == 4)
        for line in corners {
            for p in [line.first, line.last].compactMap({ $0 }) { #expect(abs(abs(p.x) - 2) < 1e-12 || abs(abs(p.y) - 2) < 1e-12) }
        }
    }

    func close(_ a: Point, _ b: Point) -> Bool { abs(a.x - b.x) < 1e-12 && abs(a.y - b.y) < 1e-12 }

    /// Level lines traced once and shared (`levelLines`, as the optimizers' panels share them) draw what the
    /// plot traces for itself.
    @Test func sharedLevelLinesDrawTheSame() {
        var plot = ContourPlot(title: "f", xAxis: Axis("x"), yAxis: Axis("y"), xRange: -2...2, yRange: -1...3, resolution: 40) { x, y in
            (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
        }
        let own = plot.layout(theme: .slides, measurer: measurer)
        plot.levelLines = plot.lines()
        #expect(String(describing: plot.layout(theme: .slides, measurer: measurer).items) == String(describing: own.items))
    }

    /// A contour figure's legend stays outside the axes: right of them on a 16:9 slide; under them on a
    /// square one when the window is wide (the ravine, 13 by 3), where a legend on the right left axes a
    /// third of the page wide; the figure is fit for the projector either way.
    @Test func wideWindowOnASquareSlidePutsTheLegendUnder() {
        let paths = (0..<7).map { k in ContourPlot.Trajectory(name: "optimizer \(k) (η = 0.01)", points: [(x: -9, y: 1), (x: -4, y: 0.1 * Double(k)), (x: 0, y: 0)]) }
        let plot = ContourPlot(title: "A ravine", xAxis: Axis("x"), yAxis: Axis("y"), xRange: -10.5...2.5, yRange: -1.5...1.5, resolution: 30,
                               trajectories: paths) { x, y in 0.5 * (x * x + 100 * y * y) }
        for aspect in [Aspect.wide, .square] {
            let theme = Theme.slides.with(aspect)
            let page = plot.layout(theme: theme, measurer: measurer)
            let legend = page.items.compactMap { item -> Rect? in if case .path(let s) = item, s.tag == "legend" { return s.bounds } else { return nil } }.first
            let frame = page.items.compactMap { item -> Rect? in if case .path(let s) = item, s.tag == "frame" { return s.bounds } else { return nil } }.first
            guard let legend, let frame else { Issue.record("no legend or frame"); continue }
            if aspect == .wide { #expect(legend.minX > frame.maxX) } else { #expect(legend.minY > frame.maxY && frame.width > theme.pageSize.width / 2) }
            #expect(FigureCheck.problems(page, use: .projected(on: theme), measurer: measurer) == [], "\(aspect.rawValue)")
        }
    }

    /// The boundary of a linear classifier σ(x + 2y − 1) lies on the line x + 2y = 1.
    @Test func decisionBoundaryOfALinearClassifier() {
        let samples = [DecisionRegionPlot.Sample(x: 0, y: 0, label: 0), .init(x: 1, y: 1, label: 1), .init(x: 0.9, y: 0, label: 1)]
        let plot = DecisionRegionPlot(xAxis: Axis("x₁"), yAxis: Axis("x₂"), xRange: -1...2, yRange: -1...2, samples: samples) { x, y in
            1 / (1 + exp(-(x + 2 * y - 1)))
        }
        #expect(plot.misclassified == [samples[2]])                        // 0.9 + 0 − 1 < 0
        let page = plot.layout(theme: .paper, measurer: measurer)
        expectTidy(page)
        // Map the boundary's page points back to data coordinates through the axes (the field fills them).
        guard case .raster(let field)? = page.items.first(where: { $0.tag == "regions" }) else {
            Issue.record("no field")
            return
        }
        let area = field.frame
        guard case .path(let boundary)? = page.items.first(where: { $0.tag == "boundary" }) else {
            Issue.record("no boundary")
            return
        }
        for element in boundary.elements {
            guard case .move(let p) = element else { continue }
            let x = -1 + 3 * (p.x - area.minX) / area.width, y = 2 - 3 * (p.y - area.minY) / area.height
            #expect(abs(x + 2 * y - 1) < 0.02)
        }
        #expect(page.items.filter { $0.tag == "misclassified" }.count == 1)
    }

    /// σ′ < 0.01 where σ(1 − σ) < 0.01, i.e. |x| > ln(s/(1 − s)) with s = (1 + √0.96)/2: |x| > 4.5848.
    @Test func sigmoidSaturation() {
        let plot = FunctionPlot(xAxis: Axis("x"), yAxis: Axis("value"), range: -10...10, functionName: "σ", derivativeName: "σ′",
                                saturationThreshold: 0.01, samples: 2001, function: { 1 / (1 + exp(-$0)) },
                                derivative: { let s = 1 / (1 + exp(-$0)); return s * (1 - s) })
        let intervals = plot.saturatedIntervals()
        let s = (1 + 0.96.squareRoot()) / 2, edge = log(s / (1 - s))
        #expect(intervals.count == 2)
        #expect(abs(intervals[0].upperBound + edge) <= 0.011 && abs(intervals[1].lowerBound - edge) <= 0.011)
        expectTidy(plot.layout(theme: .slides, measurer: measurer))
    }

    @Test func histogramCountsAndBars() {
        let h = Histogram(valueTitle: "v", values: [0, 0.1, 0.2, 0.5, 0.99, 1, .nan, 2], bins: 4, range: 0...1)
        let (edges, counts) = h.counts()
        #expect(edges == [0, 0.25, 0.5, 0.75, 1])
        #expect(counts == [3, 0, 1, 2])
        let bars = BarChart(title: "per layer", categoryTitle: "layer", valueAxis: Axis("‖g‖", scale: .log),
                            labels: ["1", "2", "3"], values: [0.1, .infinity, 1e-8])
        let page = bars.layout(theme: .paper, measurer: measurer)
        expectTidy(page)
        #expect(page.items.filter { ($0.tag ?? "").hasPrefix("bar:") }.count == 2)
        #expect(page.texts.contains { $0.tag == "bar-off-scale:2" && $0.text == "inf" })
    }

    @Test func contourPlotWithTrajectories() {
        let plot = ContourPlot(title: "ravine", xAxis: Axis("θ₁"), yAxis: Axis("θ₂"), xRange: -1...1, yRange: -1...1,
                               trajectories: [.init(name: "gd", points: [(0.9, 0.9), (0.8, -0.5), (0.5, 0.3), (5, 5)])]) { x, y in x * x + 10 * y * y }
        let page = plot.layout(theme: .slides, measurer: measurer)
        expectTidy(page)
        #expect(page.items.contains { $0.tag == "start:gd" })
        #expect(!page.items.contains { $0.tag == "end:gd" })                // the end (5, 5) is outside the plot
        #expect(page.items.contains { ($0.tag ?? "").hasPrefix("contour-label:") })
    }
}

/// Any finite range gives a bounded set of ticks and a drawable frame; non-finite data are left out (issue 11:
/// flat ranges past 2⁵³ and subnormal log ranges hung, ranges ±10³⁰⁸ trapped converting inf to Int).
@Suite struct ExtremeRangeTests {
    let measurer = CairoTextMeasurer()
    static let huge = Double.greatestFiniteMagnitude, tiny = Double.leastNonzeroMagnitude

    @Test(arguments: [
        (1e16, 1e16), (-1e300, -1e300), (huge, huge), (-huge, -huge), (-huge, huge), (-1e308, 1e308), (0, huge),
        (tiny, tiny), (0, tiny), (tiny, 2 * tiny), (1e16, 1e16 + 2), (9007199254740992, 9007199254740994),
        (-1e-160 * 1e-150, 1e-160 * 1e-150), (1, 1.0000000000000002), (0, 1),
    ] as [(Double, Double)])
    func linearTicksAreFewFiniteAndIncreasing(lo: Double, hi: Double) {
        let ticks = Ticks.linear(lo, hi)
        #expect(ticks.count <= 1001)
        #expect(ticks.allSatisfy { $0.isFinite })
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0 < $1 })
        let range = AxisMapping.range(Axis("x"), data: [lo, hi])
        #expect(range.lo.isFinite && range.hi.isFinite && range.lo < range.hi)
        #expect(range.lo <= lo && range.hi >= hi)
        for t in ticks { _ = PlotFrame.label(t, .linear, ticks) }
    }

    @Test func labelsOfExtremeStepsDoNotTrap() {
        #expect(Ticks.label(1e308, step: .infinity) == "10³⁰⁸")
        #expect(Ticks.label(0.5, step: 0) == "0")
        #expect(Ticks.label(0.5, step: .nan) == "0")
        #expect(Ticks.label(0.5, step: 1e-300) == "0.50000000000000000")
        #expect(Ticks.logLabel(Self.tiny) == "4.94·10⁻³²⁴")
        #expect(!ContourPlot.levelLabel(1e308, [-1e308, 1e308]).contains("."))
    }

    @Test func intervalArithmeticStaysFinite() {
        #expect(Interval.fraction(0, -Self.huge, Self.huge) == 0.5)
        #expect(Interval.fraction(Self.huge, -Self.huge, Self.huge) == 1)
        #expect(Interval.step(-Self.huge, Self.huge, 1, of: 2) == 0)
        #expect(Interval.step(-Self.huge, Self.huge, 2, of: 2) == Self.huge)
        #expect(Interval.step(0.5, 1, 3, of: 10) == 0.5 + (1 - 0.5) * 3 / 10)
        #expect(Interval.padded([-1e308, 1e308], fraction: 1, minimum: 0.5, empty: 0...1) == -Self.huge...Self.huge)
        #expect(Interval.padded([.nan, 2, 4], fraction: 0.25, minimum: 0.25, empty: 0...1) == 1.5...4.5)
        #expect(Interval.padded([], fraction: 0.1, minimum: 0.5, empty: -1...1) == -1.5...1.5)
    }

    /// Every plot kind over ranges a Double barely holds, flat far past 2⁵³, and subnormal on a log axis.
    @Test(arguments: [[-1e308, 1e308], [1e16, 1e16], [-1e300, -1e300], [tiny, tiny], [tiny, 1e-160 * 1e-160], [.infinity, .nan, 1]] as [[Double]])
    func everyPlotLaysOutFinitely(values: [Double]) {
        let x = values.indices.map(Double.init)
        for scale in [Axis.Scale.linear, .log] {
            let line = LinePlot(title: "t", xAxis: Axis("x"), yAxis: Axis("y", scale: scale), series: [.init(name: "s", x: x, y: values)])
            #expect(PlotTests().coordinates(line.layout(theme: .paper, measurer: measurer)).allSatisfy { $0.isFinite })
            let bars = BarChart(categoryTitle: "c", valueAxis: Axis("v", scale: scale), labels: values.map { "\($0)" }, values: values)
            #expect(PlotTests().coordinates(bars.layout(theme: .paper, measurer: measurer)).allSatisfy { $0.isFinite })
        }
        let histogram = Histogram(valueTitle: "v", values: values)
        #expect(histogram.counts().counts.reduce(0, +) == values.filter(\.isFinite).count)
        #expect(PlotTests().coordinates(histogram.layout(theme: .paper, measurer: measurer)).allSatisfy { $0.isFinite })
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max(), lo < hi else { return }
        let contour = ContourPlot(xAxis: Axis("x"), yAxis: Axis("y"), xRange: lo...hi, yRange: lo...hi, resolution: 8,
                                  trajectories: [.init(name: "p", points: [(lo, hi), (hi, lo)])]) { x, y in x / 2 + y / 2 }
        #expect(PlotTests().coordinates(contour.layout(theme: .paper, measurer: measurer)).allSatisfy { $0.isFinite })
        let regions = DecisionRegionPlot(xAxis: Axis("x"), yAxis: Axis("y"), xRange: lo...hi, yRange: lo...hi,
                                         samples: [.init(x: lo, y: hi, label: 1)], resolution: 8) { x, _ in x > 0 ? 1 : 0 }
        #expect(PlotTests().coordinates(regions.layout(theme: .paper, measurer: measurer)).allSatisfy { $0.isFinite })
    }
}

/// A perceptron's boundary is the straight line w·x = 0, named so, not a staircase traced from the grid
/// and called p = 0.5; the legend shows the ring it explains (issue 14).
@Suite struct ExactBoundaryTests {
    @Test func clippingALineToTheRanges() throws {
        // −2 + 2x + y = 0 in [−0.5, 1.5]²: from (0.25, 1.5) to (1.25, −0.5).
        let (p, q) = try #require(DecisionRegionPlot.clip((a: 2, b: 1, c: -2), x: -0.5...1.5, y: -0.5...1.5))
        let ends = [p, q].sorted { $0.x < $1.x }
        #expect(abs(ends[0].x - 0.25) < 1e-12 && abs(ends[0].y - 1.5) < 1e-12)
        #expect(abs(ends[1].x - 1.25) < 1e-12 && abs(ends[1].y + 0.5) < 1e-12)
        #expect(DecisionRegionPlot.clip((a: 0, b: 0, c: 1), x: 0...1, y: 0...1) == nil)
        #expect(DecisionRegionPlot.clip((a: 1, b: 0, c: -5), x: 0...1, y: 0...1) == nil)
        let vertical = try #require(DecisionRegionPlot.clip((a: 1, b: 0, c: -0.5), x: 0...1, y: 0...1))
        #expect(vertical.0.x == 0.5 && vertical.1.x == 0.5)
    }

    @Test func aStraightBoundaryIsOneSegment() {
        var plot = DecisionRegionPlot(xAxis: Axis("x1"), yAxis: Axis("x2"), xRange: -0.5...1.5, yRange: -0.5...1.5,
                                      samples: [.init(x: 1, y: 0, label: 1), .init(x: 0, y: 0, label: 0)]) { x, y in -2 + 2 * x + y > 0 ? 1 : 0 }
        plot.line = (a: 2, b: 1, c: -2)
        plot.boundaryName = "w·x = 0"
        let page = plot.layout(theme: .slides, measurer: CairoTextMeasurer())
        let boundary = page.items.compactMap { primitive -> PathShape? in
            if case .path(let shape) = primitive, shape.tag == "boundary" { return shape }
            return nil
        }
        #expect(boundary.count == 1 && boundary[0].elements.count == 2)
        let texts = page.texts.map(\.text)
        #expect(texts.contains("w·x = 0") && !texts.contains("p = 0.5") && texts.contains("misclassified"))
    }
}

/// The minimum a text speaks of is marked, named in the legend, and no level label covers it (issue 14:
/// Adaline's pseudo-inverse minimum and Rosenbrock's (1, 1) were not marked).
@Suite struct MarkedMinimumTests {
    @Test func theMinimumIsMarkedAndKeptClear() {
        var plot = ContourPlot(xAxis: Axis("x"), yAxis: Axis("y"), xRange: -2...2, yRange: -1...3) { x, y in (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) }
        plot.marks = [(x: 1, y: 1, name: "minimum (1, 1)")]
        let page = plot.layout(theme: .slides, measurer: CairoTextMeasurer())
        let stars = page.items.compactMap { item -> PathShape? in
            if case .path(let shape) = item, shape.tag == "mark:minimum (1, 1)" { return shape }
            return nil
        }
        #expect(stars.count == 1)
        #expect(page.texts.contains { $0.text == "minimum (1, 1)" })
        let starBox = stars[0].bounds
        for label in page.texts where label.tag?.hasPrefix("contour-label") == true {
            #expect(!label.bounds.overlaps(starBox), "\(label.text) covers the minimum")
        }
    }
}

/// Samples on one spot are counted there, so none hides another unsaid (issue 14: h space showed 3
/// markers for 4 inputs).
@Suite struct CoincidingSamplesTests {
    @Test func coincidingSamplesAreCounted() {
        let plot = DecisionRegionPlot(xAxis: Axis("h₁"), yAxis: Axis("h₂"), xRange: -0.5...2.5, yRange: -0.5...1.5,
                                      samples: [.init(x: 0, y: 0, label: 0), .init(x: 1, y: 0, label: 1), .init(x: 1, y: 0, label: 1), .init(x: 2, y: 1, label: 0)]) { x, y in
            x - 2 * y > 0.5 ? 1 : 0
        }
        let page = plot.layout(theme: .slides, measurer: CairoTextMeasurer())
        #expect(page.texts.filter { $0.tag == "coincide" }.map(\.text) == ["×2"])
    }
}

/// Legends go where no data is, or beside the axes, never over a mark (issue 14: legends at a fixed corner
/// hid the AND sample at (1, 1), the Adaline minimum, rprop's descent, Rosenbrock's left valley).
@Suite struct LegendPlacementTests {
    let measurer = CairoTextMeasurer()

    func legendBox(_ page: DisplayList) -> Rect? {
        page.items.compactMap { item -> Rect? in
            if case .path(let shape) = item, shape.tag == "legend" { return shape.bounds }
            return nil
        }.first
    }

    /// Lines through all four corners leave no room inside: the legend goes to the right of the axes.
    @Test(arguments: [Theme.slides, Theme.paper])
    func aLegendWithNoFreeCornerGoesOutside(theme: Theme) throws {
        let x = (0...100).map { Double($0) / 100 }
        let plot = LinePlot(xAxis: Axis("x"), yAxis: Axis("y"), series: [
            .init(name: "rising", x: x, y: x), .init(name: "falling", x: x, y: x.map { 1 - $0 }),
            .init(name: "top", x: x, y: x.map { _ in 1 }), .init(name: "bottom", x: x, y: x.map { _ in 0 }),
        ])
        let page = plot.layout(theme: theme, measurer: measurer)
        let box = try #require(legendBox(page))
        let frame = try #require(page.items.compactMap { item -> Rect? in
            if case .path(let shape) = item, shape.tag == "frame" { return shape.bounds }
            return nil
        }.first)
        #expect(box.minX > frame.maxX)
        #expect(FigureCheck.problems(page, use: theme == .slides ? .projected : .printed, measurer: measurer) == [])
    }

    /// With a free corner the legend stays inside the axes, in that corner.
    @Test func aFreeCornerKeepsTheLegendInside() throws {
        let x = (0...100).map { Double($0) / 100 }
        let plot = LinePlot(xAxis: Axis("x"), yAxis: Axis("y"), series: [.init(name: "falling", x: x, y: x.map { 1 - $0 })])
        let page = plot.layout(theme: .slides, measurer: measurer)
        let box = try #require(legendBox(page))
        // The falling line passes through the top-left and bottom-right corners: the legend is top-right.
        let middle = Point(page.size.width / 2, page.size.height / 2)
        #expect(box.minX > middle.x)
        #expect(box.maxY < middle.y)
        #expect(FigureCheck.problems(page, use: .projected, measurer: measurer) == [])
    }

    /// The check sees a legend drawn over a line, and text too small or off the page.
    @Test func theCheckFindsCoveredDataAndSmallText() {
        var page = DisplayList(size: Size(960, 540))
        page.append(.path(PathShape([.move(Point(100, 100)), .line(Point(800, 400))], stroke: Stroke(.black, width: 2), tag: "series:a")))
        page.append(.path(PathShape([.move(Point(400, 200)), .line(Point(600, 200)), .line(Point(600, 300)), .line(Point(400, 300)), .close],
                                    fill: .white, tag: "legend")))
        page.append(.text(.placed("tiny", font: FontStyle(family: "DejaVu Sans", size: 8), color: .black, at: Point(50, 500), measurer: measurer)))
        page.append(.text(.placed("off", font: FontStyle(family: "DejaVu Sans", size: 14), color: .black, at: Point(958, 20), measurer: measurer)))
        let problems = FigureCheck.problems(page, use: .projected, measurer: measurer)
        #expect(problems.contains { $0.hasPrefix("legend covers series:a") })
        #expect(problems.contains { $0.hasPrefix("\"tiny\"") && $0.contains("16 px") })
        #expect(problems.contains { $0.hasPrefix("\"off\"") && $0.contains("leaves") })
    }

    /// A level label never sits on a path, and a decision-region legend is beside its square field.
    @Test func levelLabelsKeepClearOfPathsAndRegionLegendsAreOutside() throws {
        let path: [(x: Double, y: Double)] = (0...40).map { (k: Int) -> (x: Double, y: Double) in
            let t = Double(k) / 40
            return (x: -1.5 + 3 * t, y: 1.5 - 3 * t)
        }
        let contour = ContourPlot(xAxis: Axis("x"), yAxis: Axis("y"), xRange: -2...2, yRange: -2...2,
                                  trajectories: [.init(name: "diagonal", points: path)]) { x, y in x * x + y * y }
        for theme in [Theme.slides, .paper] {
            let page = contour.layout(theme: theme, measurer: measurer)
            #expect(FigureCheck.problems(page, use: theme == .slides ? .projected : .printed, measurer: measurer) == [])
        }
        let regions = DecisionRegionPlot(xAxis: Axis("x"), yAxis: Axis("y"), xRange: -0.5...1.5, yRange: -0.5...1.5,
                                         samples: [.init(x: 1, y: 1, label: 1), .init(x: 0, y: 0, label: 0)]) { x, y in x + y > 1 ? 1 : 0 }
        let page = regions.layout(theme: .slides, measurer: measurer)
        guard case .raster(let field)? = page.items.first(where: { $0.tag == "regions" }) else {
            Issue.record("no field")
            return
        }
        #expect(try #require(legendBox(page)).minX > field.frame.maxX)
        // An input space has square axes for a square range, not a 16:9 stretch (issue 14).
        #expect(abs(field.frame.width - field.frame.height) < 1e-9)
    }
}

/// A field with values between the classes gets a colour bar (issue 14: no colour bar for ŷ); a
/// perceptron's 0-or-1 field does not need one.
@Suite struct ColourBarTests {
    @Test func aProbabilityFieldHasAColourBarAHardOneHasNone() {
        let samples = [DecisionRegionPlot.Sample(x: 0, y: 0, label: 0), .init(x: 1, y: 1, label: 1)]
        let soft = DecisionRegionPlot(xAxis: Axis("x₁"), yAxis: Axis("x₂"), xRange: -0.5...1.5, yRange: -0.5...1.5, samples: samples) { x, y in
            1 / (1 + exp(-4 * (x + y - 1)))
        }
        let hard = DecisionRegionPlot(xAxis: Axis("x₁"), yAxis: Axis("x₂"), xRange: -0.5...1.5, yRange: -0.5...1.5, samples: samples) { x, y in
            x + y > 1 ? 1 : 0
        }
        let measurer = CairoTextMeasurer()
        for theme in [Theme.slides, .paper] {
            let page = soft.layout(theme: theme, measurer: measurer)
            #expect(page.items.contains { $0.tag == "colour-bar" })
            #expect(page.texts.filter { $0.tag == "colour-bar-label" }.map(\.text) == ["1", "0.5", "0"])
            #expect(FigureCheck.problems(page, use: theme == .slides ? .projected : .printed, measurer: measurer) == [])
            #expect(!hard.layout(theme: theme, measurer: measurer).items.contains { $0.tag == "colour-bar" })
        }
    }
}
