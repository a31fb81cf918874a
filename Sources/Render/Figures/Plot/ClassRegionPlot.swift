import Dispatch
import Foundation

/// A K-class classifier's decision regions: at every pixel the class of largest probability, in that
/// class's colour (Okabe–Ito, colour-blind safe), paler where the classifier is less sure (the page's
/// colour where all K are 1/K); the boundaries where the two largest probabilities are equal; the data points by class, each
/// class with its own colour and marker, misclassified ones ringed. DecisionRegionPlot is the two-class
/// figure with a probability colour bar.
public struct ClassRegionPlot: Sendable {
    public typealias Sample = DecisionRegionPlot.Sample

    public let title: String?
    public let xAxis: Axis
    public let yAxis: Axis
    public let xRange: ClosedRange<Double>
    public let yRange: ClosedRange<Double>
    public let classes: Int
    public let samples: [Sample]
    public let resolution: Int
    public let probabilities: @Sendable (Double, Double) -> [Double]

    /// At each pixel centre, row by row from the top: the most probable class and how sure (its probability
    /// from 1/K to 1, scaled to 0…1; nil where a probability is not finite); sampled once, since the slide
    /// and the paper layout draw the same field.
    private let winners: [(class: Int, sure: Double)?]
    /// For each class, p_k minus the largest other probability at each pixel (its border is level 0).
    private let margins: [[Double]]

    public init(title: String? = nil, xAxis: Axis, yAxis: Axis, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, classes: Int,
                samples: [Sample], resolution: Int = 160, probabilities: @escaping @Sendable (Double, Double) -> [Double]) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.xRange = xRange
        self.yRange = yRange
        let k = max(2, classes)
        self.classes = k
        self.samples = samples
        self.resolution = resolution
        self.probabilities = probabilities
        let (xs, ys) = DecisionRegionPlot.pixelCentres(resolution: resolution, xRange: xRange, yRange: yRange)
        // Row by row on all cores, K numbers per pixel; a pixel whose function gives another count is NaN.
        var field = [Double](repeating: .nan, count: xs.count * ys.count * k)
        field.withUnsafeMutableBufferPointer { buffer in
            let rows = FieldRows(base: buffer.baseAddress, width: xs.count * k)
            DispatchQueue.concurrentPerform(iterations: ys.count) { row in
                for (column, x) in xs.enumerated() {
                    let p = probabilities(x, ys[row])
                    guard p.count == k else { continue }
                    for c in 0..<k { rows.base?[row * rows.width + column * k + c] = p[c] }
                }
            }
        }
        let pixels = xs.count * ys.count
        var winners = [(class: Int, sure: Double)?](repeating: nil, count: pixels)
        var margins = [[Double]](repeating: [Double](repeating: -1, count: pixels), count: k)
        let uniform = 1 / Double(k)
        for i in 0..<pixels {
            let p = field[(i * k)..<(i * k + k)]
            guard p.allSatisfy(\.isFinite) else { continue }
            var best = 0
            for c in 1..<k where p[i * k + c] > p[i * k + best] { best = c }
            winners[i] = (best, min(1, max(0, (p[i * k + best] - uniform) / (1 - uniform))))
            for c in 0..<k {
                var other = -Double.infinity
                for j in 0..<k where j != c { other = max(other, p[i * k + j]) }
                margins[c][i] = p[i * k + c] - other
            }
        }
        self.winners = winners
        self.margins = margins
    }

    /// Where the concurrent rows of the field are written; each job writes only its own row.
    private struct FieldRows: @unchecked Sendable {
        let base: UnsafeMutablePointer<Double>?
        let width: Int
    }

    /// The class of largest probability (the first of equals).
    public static func argmax(_ p: [Double]) -> Int {
        p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) } ?? 0
    }

    /// Samples whose class is not the one of largest probability.
    public var misclassified: [Sample] {
        samples.filter { Self.argmax(probabilities($0.x, $0.y)) != $0.label }
    }

    /// A shape per class (the same as DecisionRegionPlot's two), so that classes differ on a black-and-white
    /// page; the star is left to marked points.
    static let markers: [Marker] = [.circle, .triangle, .square, .diamond, .down, .cross, .plus]

    public func layout(theme: Theme, measurer: any TextMeasurer) -> DisplayList {
        let colors = (0..<classes).map { theme.seriesColor($0) }
        let wrong = Set(misclassified)
        var entries = (0..<classes).map { Legend.Entry(name: "class \($0)", color: colors[$0], dash: nil, marker: Self.markers[$0 % Self.markers.count]) }
        entries.append(Legend.Entry(name: "boundary", color: theme.foreground, dash: [], marker: nil))
        if !wrong.isEmpty { entries.append(Legend.Entry(name: "misclassified", color: theme.gradient, dash: nil, marker: .circle, ring: true)) }
        let legend = Legend(entries: entries, theme: theme, measurer: measurer)
        let frame = PlotFrame(theme: theme, measurer: measurer, title: title,
                              xAxis: Axis(xAxis.title, range: xRange), yAxis: Axis(yAxis.title, range: yRange),
                              xData: [xRange.lowerBound, xRange.upperBound], yData: [yRange.lowerBound, yRange.upperBound],
                              rightMargin: legend.size.width + Legend.gap, equalAspect: true)
        var page = DisplayList(size: theme.pageSize, background: theme.pageBackground)
        let (xs, ys) = DecisionRegionPlot.pixelCentres(resolution: resolution, xRange: xRange, yRange: yRange)
        let n = xs.count
        let pixels = winners.map { w -> Color in
            guard let w else { return theme.grid }
            return theme.background.mixed(with: colors[w.class], 0.5 * w.sure)
        }
        page.append(contentsOf: frame.background())
        page.append(.raster(RasterImage(columns: n, rows: n, pixels: pixels, frame: frame.area, smooth: true, tag: "regions")))
        // Each class's border: level 0 of its margin, on the pixel-centre grid, bottom row first.
        var boundary: [PathElement] = []
        for margin in margins {
            let values = (0..<n).reversed().map { row in Array(margin[(row * n)..<((row + 1) * n)]) }
            for (a, b) in MarchingSquares.segments(level: 0, xs: xs, ys: Array(ys.reversed()), values: values) {
                if let p = frame.point(a.x, a.y), let q = frame.point(b.x, b.y) { boundary += [.move(p), .line(q)] }
            }
        }
        page.append(.path(PathShape(boundary, stroke: Stroke(theme.foreground, width: theme.lineWidth * 1.2), tag: "boundary")))
        page.append(contentsOf: frame.background().filter { $0.tag == "frame" })
        let r = theme.lineWidth * 3.5
        for sample in samples {
            guard let p = frame.point(sample.x, sample.y) else { continue }
            let k = min(max(sample.label, 0), classes - 1)
            let marker = Self.markers[k % Self.markers.count]
            page.append(.path(marker.shape(at: p, radius: r, fill: colors[k], stroke: Stroke(theme.foreground, width: 0.75), tag: "sample:\(sample.label)")))
            if wrong.contains(sample) {
                page.append(.path(Marker.circle.shape(at: p, radius: r * 2, fill: nil, stroke: Stroke(theme.gradient, width: theme.lineWidth * 1.5),
                                                      tag: "misclassified")))
            }
        }
        page.append(contentsOf: legend.primitives(in: legend.outside(of: frame.area)))
        return page
    }
}

extension ClassRegionPlot: Figure {}
