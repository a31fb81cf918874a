import Dispatch
import Foundation

/// A 2-D classifier's decision regions: its output p(x, y) ∈ [0, 1] as a colour field (class-0 colour
/// where p is near 0, class-1 colour near 1, the background at 0.5), the p = 0.5 boundary as a line, and the data
/// points by class, misclassified ones ringed.
public struct DecisionRegionPlot: Sendable {
    public struct Sample: Sendable, Hashable {
        public var x: Double
        public var y: Double
        /// 0 or 1.
        public var label: Int
        /// Written beside the point when given (the input a point of h space comes from).
        public var name: String?

        public init(x: Double, y: Double, label: Int, name: String? = nil) {
            self.x = x
            self.y = y
            self.label = label
            self.name = name
        }
    }

    public let title: String?
    public let xAxis: Axis
    public let yAxis: Axis
    public let xRange: ClosedRange<Double>
    public let yRange: ClosedRange<Double>
    public let samples: [Sample]
    public let resolution: Int
    public let probability: @Sendable (Double, Double) -> Double
    /// A boundary known exactly as the line a·x + b·y + c = 0 (a perceptron's w·x = 0), drawn straight and
    /// named `boundaryName`, instead of traced from the sampled field (a staircase at the field's pixels).
    public var line: (a: Double, b: Double, c: Double)?
    /// The boundary's name in the legend: "p = 0.5" for a probability, "w·x = 0" for a perceptron's line.
    public var boundaryName = "p = 0.5"
    /// p at the centres of the grid's pixels, row by row from the top (largest y). Sampled once here: the
    /// slide and the paper layout draw the same field, and a network's output costs 25,600 evaluations.
    private let field: [Double]

    public init(title: String? = nil, xAxis: Axis, yAxis: Axis, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                samples: [Sample], resolution: Int = 160, probability: @escaping @Sendable (Double, Double) -> Double) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.xRange = xRange
        self.yRange = yRange
        self.samples = samples
        self.resolution = resolution
        self.probability = probability
        let (xs, ys) = Self.pixelCentres(resolution: resolution, xRange: xRange, yRange: yRange)
        // Row by row on all cores: each entry is computed on its own, so the numbers do not depend on the order.
        var field = [Double](repeating: 0, count: xs.count * ys.count)
        field.withUnsafeMutableBufferPointer { buffer in
            let rows = FieldRows(base: buffer.baseAddress, width: xs.count)
            DispatchQueue.concurrentPerform(iterations: ys.count) { row in
                for (column, x) in xs.enumerated() { rows.base?[row * rows.width + column] = probability(x, ys[row]) }
            }
        }
        self.field = field
    }

    /// Where the boundary misses the window: 1 when the whole window is on its upper side (p > 0.5 at every
    /// pixel, or a·x + b·y + c > 0 at every corner for a `line`), 0 when on its lower side; nil when the
    /// boundary crosses the window and is drawn. Captions say so instead of naming a line that is not there.
    public var sideOfWholeWindow: Int? {
        if let line {
            let sums = [(xRange.lowerBound, yRange.lowerBound), (xRange.lowerBound, yRange.upperBound),
                        (xRange.upperBound, yRange.lowerBound), (xRange.upperBound, yRange.upperBound)].map { line.a * $0.0 + line.b * $0.1 + line.c }
            return sums.allSatisfy { $0 > 0 } ? 1 : sums.allSatisfy { $0 < 0 } ? 0 : nil
        }
        return field.allSatisfy { $0 > 0.5 } ? 1 : field.allSatisfy { $0 < 0.5 } ? 0 : nil
    }

    /// Where the concurrent rows of the field are written; each job writes only its own row.
    private struct FieldRows: @unchecked Sendable {
        let base: UnsafeMutablePointer<Double>?
        let width: Int
    }

    /// The segment of a·x + b·y + c = 0 inside the rectangle x × y, or nil when the line misses it (or is
    /// no line: a = b = 0).
    static func clip(_ line: (a: Double, b: Double, c: Double), x: ClosedRange<Double>, y: ClosedRange<Double>) -> ((x: Double, y: Double), (x: Double, y: Double))? {
        let (a, b, c) = line
        guard a != 0 || b != 0, a.isFinite, b.isFinite, c.isFinite else { return nil }
        var points: [(x: Double, y: Double)] = []
        if b != 0 {
            for px in [x.lowerBound, x.upperBound] {
                let py = -(a * px + c) / b
                if py.isFinite, y.contains(py) { points.append((px, py)) }
            }
        }
        if a != 0 {
            for py in [y.lowerBound, y.upperBound] {
                let px = -(b * py + c) / a
                if px.isFinite, x.contains(px) { points.append((px, py)) }
            }
        }
        guard let first = points.first, let last = points.max(by: { hypot($0.x - first.x, $0.y - first.y) < hypot($1.x - first.x, $1.y - first.y) }),
              hypot(last.x - first.x, last.y - first.y) > 0 else { return nil }
        return (first, last)
    }

    /// The grid's pixel centres: x from left to right, y from the top (largest y) down.
    static func pixelCentres(resolution: Int, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>) -> (xs: [Double], ys: [Double]) {
        let n = max(resolution, 4)
        let xs = (0..<n).map { Interval.step(xRange.lowerBound, xRange.upperBound, Double($0) + 0.5, of: Double(n)) }
        let ys = (0..<n).map { Interval.step(yRange.upperBound, yRange.lowerBound, Double($0) + 0.5, of: Double(n)) }
        return (xs, ys)
    }

    /// The axes of the input space, a unit as long on both (square for a square range), leaving room on
    /// the right for the legend.
    func frame(theme: Theme, measurer: any TextMeasurer, legend: Legend) -> PlotFrame {
        PlotFrame(theme: theme, measurer: measurer, title: title,
                  xAxis: Axis(xAxis.title, range: xRange), yAxis: Axis(yAxis.title, range: yRange),
                  xData: [xRange.lowerBound, xRange.upperBound], yData: [yRange.lowerBound, yRange.upperBound],
                  rightMargin: legend.size.width + Legend.gap, equalAspect: true)
    }

    /// Samples on the wrong side of p = 0.5.
    public var misclassified: [Sample] {
        samples.filter { (probability($0.x, $0.y) >= 0.5 ? 1 : 0) != $0.label }
    }

    public func layout(theme: Theme, measurer: any TextMeasurer) -> DisplayList {
        // The field fills the axes, so the legend goes beside them, on the right, where it hides no sample.
        let legend = Legend(entries: legendEntries(theme: theme), theme: theme, measurer: measurer)
        let frame = self.frame(theme: theme, measurer: measurer, legend: legend)
        var page = DisplayList(size: theme.pageSize, background: theme.pageBackground)
        page.append(contentsOf: frame.background())
        page.append(contentsOf: data(in: frame, theme: theme, measurer: measurer))
        let legendBox = legend.outside(of: frame.area)
        page.append(contentsOf: legend.primitives(in: legendBox))
        let shade = self.shade(theme: theme)
        // A field with values between the classes (a network's output, not a perceptron's 0 or 1) gets a
        // colour bar under the legend, so the shades can be read as numbers.
        if field.contains(where: { $0 > 0.05 && $0 < 0.95 }) {
            let font = theme.font(theme.smallSize)
            let name = TextRun.placed(boundaryName.components(separatedBy: " =").first ?? "p", font: theme.font(theme.labelSize),
                                      color: theme.foreground, at: Point(legendBox.minX + 6, legendBox.maxY + theme.labelSize),
                                      anchor: .topLeft, tag: "colour-bar-title", measurer: measurer)
            let top = name.bounds.maxY + 6, bottom = frame.area.maxY
            if bottom - top > theme.labelSize * 4 {
                let steps = 64
                let bar = Rect(x: legendBox.minX + 6, y: top, width: theme.labelSize * 0.9, height: bottom - top)
                page.append(.text(name))
                page.append(.raster(RasterImage(columns: 1, rows: steps, pixels: (0..<steps).map { shade(1 - (Double($0) + 0.5) / Double(steps)) },
                                                frame: bar, smooth: true, tag: "colour-bar")))
                page.append(.path(PathShape([.move(Point(bar.minX, bar.minY)), .line(Point(bar.maxX, bar.minY)), .line(Point(bar.maxX, bar.maxY)),
                                              .line(Point(bar.minX, bar.maxY)), .close], stroke: Stroke(theme.muted, width: 0.5), tag: "colour-bar-frame")))
                for (value, label) in [(1.0, "1"), (0.5, "0.5"), (0.0, "0")] {
                    let y = bar.maxY - value * bar.height
                    page.append(.path(PathShape([.move(Point(bar.maxX, y)), .line(Point(bar.maxX + 4, y))], stroke: Stroke(theme.foreground, width: 0.75),
                                                tag: "colour-bar-tick")))
                    page.append(.text(.placed(label, font: font, color: theme.foreground, at: Point(bar.maxX + 7, y), anchor: .left,
                                              tag: "colour-bar-label", measurer: measurer)))
                }
            }
        }
        return page
    }

    /// The classes' markers, the boundary, and the misclassified ring when a sample is on the wrong side.
    func legendEntries(theme: Theme) -> [Legend.Entry] {
        var entries = [Legend.Entry(name: "class 0", color: theme.seriesColor(0), dash: nil, marker: .circle),
                       Legend.Entry(name: "class 1", color: theme.seriesColor(1), dash: nil, marker: .triangle),
                       Legend.Entry(name: boundaryName, color: theme.foreground, dash: [], marker: nil)]
        if !misclassified.isEmpty { entries.append(Legend.Entry(name: "misclassified", color: theme.gradient, dash: nil, marker: .circle, ring: true)) }
        return entries
    }

    /// The colour of p: class 0's near 0, class 1's near 1, the page's colour at 0.5.
    func shade(theme: Theme) -> (Double) -> Color {
        let class0 = theme.seriesColor(0), class1 = theme.seriesColor(1), grid = theme.grid, background = theme.background
        return { p in
            guard p.isFinite else { return grid }
            let t = min(1, abs(p - 0.5) * 2)
            return background.mixed(with: p >= 0.5 ? class1 : class0, 0.45 * t)
        }
    }

    /// The field, the boundary, the frame drawn again over the field, the samples with their rings, and
    /// what is written beside them (names, and how many samples share a spot), inside `frame`.
    func data(in frame: PlotFrame, theme: Theme, measurer: any TextMeasurer) -> [Primitive] {
        let class0 = theme.seriesColor(0), class1 = theme.seriesColor(1)
        let wrong = Set(misclassified)
        var page: [Primitive] = []
        let (xs, ys) = Self.pixelCentres(resolution: resolution, xRange: xRange, yRange: yRange)
        let n = xs.count
        let pixels = field.map(shade(theme: theme))
        // The field covers its own ranges (in a grid of panels sharing wider ranges, less than the axes).
        var fieldFrame = frame.area
        if let a = frame.point(xRange.lowerBound, yRange.upperBound), let b = frame.point(xRange.upperBound, yRange.lowerBound) {
            fieldFrame = Rect(x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y)
        }
        page.append(.raster(RasterImage(columns: n, rows: n, pixels: pixels, frame: fieldFrame, smooth: true, tag: "regions")))
        var boundary: [PathElement] = []
        if let line {
            // The exact line, clipped to the plot's ranges (none when a = b = 0: one class everywhere).
            if let (p, q) = Self.clip(line, x: xRange, y: yRange), let from = frame.point(p.x, p.y), let to = frame.point(q.x, q.y) {
                boundary = [.move(from), .line(to)]
            }
        } else {
            // The boundary p = 0.5 (on the same pixel-centre grid, bottom row first).
            let bottomUp = Array(ys.reversed())
            let values = (0..<n).reversed().map { row in Array(field[(row * n)..<((row + 1) * n)]) }
            for (a, b) in MarchingSquares.segments(level: 0.5, xs: xs, ys: bottomUp, values: values) {
                if let p = frame.point(a.x, a.y), let q = frame.point(b.x, b.y) { boundary += [.move(p), .line(q)] }
            }
        }
        page.append(.path(PathShape(boundary, stroke: Stroke(theme.foreground, width: theme.lineWidth * 1.5), tag: "boundary")))
        // Frame again on top of the field, then the points.
        page.append(contentsOf: frame.background().filter { $0.tag == "frame" })
        let r = theme.lineWidth * 3.5
        for sample in samples {
            guard let p = frame.point(sample.x, sample.y) else { continue }
            let color = sample.label == 1 ? class1 : class0
            let marker: Marker = sample.label == 1 ? .triangle : .circle
            page.append(.path(marker.shape(at: p, radius: r, fill: color, stroke: Stroke(theme.foreground, width: 0.75), tag: "sample:\(sample.label)")))
            if wrong.contains(sample) {
                page.append(.path(Marker.circle.shape(at: p, radius: r * 2, fill: nil, stroke: Stroke(theme.gradient, width: theme.lineWidth * 1.5),
                                                      tag: "misclassified")))
            }
        }
        page.append(contentsOf: sampleNotes(in: frame, marks: DataMarks(page), theme: theme, measurer: measurer))
        return page
    }

    /// Samples drawn on one spot are counted there ("×2"), so that none hides another unsaid (XOR's (0,1)
    /// and (1,0) are one point in h space); named samples are named ("×2: (0,1), (1,0)"). Each note goes
    /// right of its spot (clear of a misclassified ring), or left, above or below, wherever it stays
    /// inside the axes and covers no mark and no other note; on two lines where one is too long for that,
    /// and beside the axes (inside the page) where neither fits inside them.
    func sampleNotes(in frame: PlotFrame, marks: DataMarks, theme: Theme, measurer: any TextMeasurer) -> [Primitive] {
        var spots: [Point: [Sample]] = [:]
        for sample in samples { if let p = frame.point(sample.x, sample.y) { spots[p, default: []].append(sample) } }
        let r = theme.lineWidth * 3.5, gap = r * 2 + theme.lineWidth * 2 + 2
        var notes: [Primitive] = [], taken: [Rect] = []
        for (p, here) in spots.sorted(by: { ($0.key.x, $0.key.y) < ($1.key.x, $1.key.y) }) {
            let names = here.compactMap(\.name)
            guard here.count > 1 || !names.isEmpty else { continue }
            let text = (here.count > 1 ? "×\(here.count)" : "") + (here.count > 1 && !names.isEmpty ? ": " : "") + names.joined(separator: ", ")
            let font = theme.font(theme.smallSize, bold: here.count > 1)
            // The note on one line, or on two broken after the comma nearest its middle outside parentheses
            // (a long note beside a point near the page's edge).
            var depth = 0
            let commas = text.indices.filter { i in
                depth += text[i] == "(" ? 1 : text[i] == ")" ? -1 : 0
                return text[i] == "," && depth == 0
            }
            let middle = commas.min { abs(text.distance(from: text.startIndex, to: $0) - text.count / 2) < abs(text.distance(from: text.startIndex, to: $1) - text.count / 2) }
            let forms: [[String]] = [[text]] + (middle.map { [[String(text[..<text.index(after: $0)]), String(text[text.index($0, offsetBy: 2)...])]] } ?? [])
            let line = measurer.measure("X", font: font).height * 1.2
            let d = gap * 0.7
            func runs(_ lines: [String]) -> [[TextRun]] {
                let high = Double(lines.count - 1) * line
                let placements: [(Point, LabelAnchor)] = [(Point(p.x + gap, p.y - high / 2), .left), (Point(p.x - gap, p.y - high / 2), .right),
                                                         (Point(p.x, p.y - gap - high), .bottom), (Point(p.x, p.y + gap), .top),
                                                         (Point(p.x + d, p.y - d - high), .bottomLeft), (Point(p.x + d, p.y + d), .topLeft),
                                                         (Point(p.x - d, p.y - d - high), .bottomRight), (Point(p.x - d, p.y + d), .topRight)]
                return placements.map { at, anchor in
                    lines.enumerated().map { k, text in
                        TextRun.placed(text, font: font, color: theme.foreground, at: Point(at.x, at.y + Double(k) * line), anchor: anchor,
                                       tag: "coincide", measurer: measurer)
                    }
                }
            }
            let page = Rect(x: 0, y: 0, width: theme.pageSize.width, height: theme.pageSize.height)
            // Left of the axes and under them are the tick labels (drawn with the frame, not among the
            // marks): a note there ran into them ("x =0(0, 0)" over the 0.0 of h space's y axis).
            let area = frame.area
            func free(_ note: [TextRun], inside: Bool, clearOfTicks: Bool = true) -> Bool {
                note.allSatisfy { run in
                    let box = run.bounds.insetBy(dx: -1, dy: -1)
                    let placed = inside ? area.contains(box)
                        : page.contains(box) && (!clearOfTicks || (box.minX >= area.minX && box.maxY <= area.maxY))
                    return placed && marks.isClear(box) && !taken.contains { $0.overlaps(box) }
                }
            }
            // Inside the axes where there is room, on one line or two, else beside them above or to the right
            // (small axes), else anywhere on the page clear of the data; where no place is free the note goes
            // right, rather than be left out.
            let candidates = forms.map(runs)
            let note = candidates.lazy.compactMap { $0.first { free($0, inside: true) } }.first
                ?? candidates.lazy.compactMap { $0.first { free($0, inside: false) } }.first
                ?? candidates.lazy.compactMap { $0.first { free($0, inside: false, clearOfTicks: false) } }.first
                ?? candidates[0][0]
            for run in note {
                taken.append(run.bounds)
                notes.append(.text(run))
            }
        }
        return notes
    }
}
