import Foundation

/// Point markers cycled across series, so series differ in more than colour (their dashes: Theme.dash).
/// Seven shapes, one for each of the seven series colours: in the print scheme every series carries its
/// marker (ColorScheme.seriesMarkers), since on a black-and-white page a short segment or a point has no
/// room to show a dash.
enum Marker: CaseIterable {
    case circle, square, triangle, diamond, down
    /// × and +, as filled outlines (a bar 0.4 r wide), so that they take a fill like the others.
    case cross, plus
    /// A five-pointed star: a marked point (a minimum), never one of a series.
    case star

    static let series: [Marker] = [.circle, .square, .triangle, .diamond, .down, .cross, .plus]
    static func cycled(_ i: Int) -> Marker { series[i % series.count] }

    /// A marker of radius r at p.
    func shape(at p: Point, radius r: Double, fill: Color?, stroke: Stroke?, tag: String) -> PathShape {
        switch self {
        case .circle:
            return PathShape([.arc(center: p, radius: r, start: 0, end: 2 * .pi), .close], fill: fill, stroke: stroke, tag: tag)
        case .square:
            let s = r * 0.9
            return PathShape([.move(Point(p.x - s, p.y - s)), .line(Point(p.x + s, p.y - s)), .line(Point(p.x + s, p.y + s)),
                              .line(Point(p.x - s, p.y + s)), .close], fill: fill, stroke: stroke, tag: tag)
        case .triangle:
            return PathShape([.move(Point(p.x, p.y - r * 1.2)), .line(Point(p.x + r * 1.1, p.y + r * 0.8)),
                              .line(Point(p.x - r * 1.1, p.y + r * 0.8)), .close], fill: fill, stroke: stroke, tag: tag)
        case .diamond:
            return PathShape([.move(Point(p.x, p.y - r * 1.3)), .line(Point(p.x + r, p.y)), .line(Point(p.x, p.y + r * 1.3)),
                              .line(Point(p.x - r, p.y)), .close], fill: fill, stroke: stroke, tag: tag)
        case .down:
            return PathShape([.move(Point(p.x, p.y + r * 1.2)), .line(Point(p.x + r * 1.1, p.y - r * 0.8)),
                              .line(Point(p.x - r * 1.1, p.y - r * 0.8)), .close], fill: fill, stroke: stroke, tag: tag)
        case .cross, .plus:
            // A + of arm length 1.2 r and half-width 0.25 r (12 corners), turned 45° for ×.
            let arm = r * 1.2, half = r * 0.25
            let corners: [(Double, Double)] = [(half, half), (half, arm), (-half, arm), (-half, half), (-arm, half), (-arm, -half),
                                               (-half, -half), (-half, -arm), (half, -arm), (half, -half), (arm, -half), (arm, half)]
            let turn = self == .cross ? Double.pi / 4 : 0
            let points = corners.map { x, y in Point(p.x + x * cos(turn) - y * sin(turn), p.y + x * sin(turn) + y * cos(turn)) }
            return PathShape([.move(points[0])] + points.dropFirst().map { .line($0) } + [.close], fill: fill, stroke: stroke, tag: tag)
        case .star:
            var elements: [PathElement] = []
            for k in 0..<10 {
                let angle = -Double.pi / 2 + Double(k) * Double.pi / 5, radius = k % 2 == 0 ? r * 1.3 : r * 0.55
                let q = Point(p.x + radius * cos(angle), p.y + radius * sin(angle))
                elements.append(k == 0 ? .move(q) : .line(q))
            }
            return PathShape(elements + [.close], fill: fill, stroke: stroke, tag: tag)
        }
    }
}

/// A legend box: one row per entry with its sample (line and/or marker) and name.
struct Legend {
    struct Entry {
        let name: String
        let color: Color
        let dash: [Double]?
        let marker: Marker?
        /// The marker drawn as a ring in `color` (what the figure draws around misclassified points).
        var ring = false
    }

    let entries: [Entry]
    let theme: Theme
    let measurer: any TextMeasurer

    var rowHeight: Double { measurer.measure("Xg", font: theme.font(theme.smallSize)).height * 1.3 }
    var sampleWidth: Double { theme.labelSize * 1.6 }
    var size: Size {
        let w = entries.map { measurer.measure($0.name, font: theme.font(theme.smallSize)).width }.max() ?? 0
        return Size(w + sampleWidth + 18, Double(entries.count) * rowHeight + 8)
    }

    /// Room between the axes and a legend beside them.
    static let gap = 12.0

    /// A corner of `area` (top-right, top-left, bottom-right, bottom-left) where the legend box covers no
    /// mark of data, or nil: the legend then goes beside the axes (`outside(of:)`), never over data.
    func freeCorner(in area: Rect, marks: DataMarks) -> Rect? {
        let s = size, inset = 8.0
        let candidates = [Rect(x: area.maxX - s.width - inset, y: area.minY + inset, width: s.width, height: s.height),
                          Rect(x: area.minX + inset, y: area.minY + inset, width: s.width, height: s.height),
                          Rect(x: area.maxX - s.width - inset, y: area.maxY - s.height - inset, width: s.width, height: s.height),
                          Rect(x: area.minX + inset, y: area.maxY - s.height - inset, width: s.width, height: s.height)]
        // A few points of air between the box and the nearest mark.
        return candidates.first { area.contains($0) && marks.isClear($0.insetBy(dx: -4, dy: -4)) }
    }

    /// The legend's box to the right of `area`, top-aligned: the plot made room for it with a right margin
    /// of `size.width + gap`.
    func outside(of area: Rect) -> Rect {
        Rect(x: area.maxX + Self.gap, y: area.minY, width: size.width, height: size.height)
    }

    func primitives(in box: Rect) -> [Primitive] {
        var items: [Primitive] = [.path(PathShape([.move(Point(box.minX, box.minY)), .line(Point(box.maxX, box.minY)),
                                                   .line(Point(box.maxX, box.maxY)), .line(Point(box.minX, box.maxY)), .close],
                                                  fill: theme.background.withAlpha(0.9), stroke: Stroke(theme.grid, width: 0.75), tag: "legend"))]
        for (i, entry) in entries.enumerated() {
            let y = box.minY + 4 + rowHeight * (Double(i) + 0.5)
            let x0 = box.minX + 6
            if let dash = entry.dash {
                items.append(.path(PathShape([.move(Point(x0, y)), .line(Point(x0 + sampleWidth, y))],
                                             stroke: Stroke(entry.color, width: theme.lineWidth * 1.5, dash: dash), tag: "legend-line")))
            }
            if let marker = entry.marker {
                items.append(.path(marker.shape(at: Point(x0 + sampleWidth / 2, y), radius: theme.lineWidth * (entry.ring ? 4 : 2.5),
                                                fill: entry.ring ? nil : entry.color,
                                                stroke: entry.ring ? Stroke(entry.color, width: theme.lineWidth * 1.5) : nil, tag: "legend-marker")))
            }
            items.append(.text(.placed(entry.name, font: theme.font(theme.smallSize), color: theme.foreground,
                                       at: Point(x0 + sampleWidth + 6, y), anchor: .left, tag: "legend-text", measurer: measurer)))
        }
        return items
    }
}
