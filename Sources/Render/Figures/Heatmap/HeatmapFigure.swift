import Foundation

/// A matrix as coloured cells with its numbers printed in them: a diverging blue–page–vermillion map
/// centred on 0 when the values have both signs (white in the middle on a light page, the dark page's
/// colour on a dark one), a page-to-blue map otherwise (ColorScheme's scale colours); each number is written in
/// black or white, whichever contrasts more with its cell; a colour bar shows the scale.
public struct HeatmapFigure: Sendable {
    public var title: String?
    public var values: [[Double]]
    /// The numbers printed in the cells (same shape as `values`; formatted by the caller).
    public var texts: [[String]]
    public var rowLabels: [String]
    public var columnLabels: [String]

    public init(title: String? = nil, values: [[Double]], texts: [[String]], rowLabels: [String] = [], columnLabels: [String] = []) {
        self.title = title
        self.values = values
        self.texts = texts
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
    }

    /// The colour of a value given the data's range, on the scheme's scale (ColorScheme.scaleMiddle at 0).
    public func color(_ v: Double, scheme: ColorScheme) -> Color {
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 0
        guard v.isFinite else { return scheme.scaleMissing }
        if lo < 0, hi > 0 {
            let m = max(abs(lo), abs(hi))
            return v >= 0 ? scheme.scaleMiddle.mixed(with: scheme.scalePositive, v / m) : scheme.scaleMiddle.mixed(with: scheme.scaleNegative, -v / m)
        }
        let span = hi - lo
        let t = span > 0 ? (lo >= 0 ? (v - lo) / span : (hi - v) / span) : 1
        return scheme.scaleMiddle.mixed(with: lo >= 0 ? scheme.scaleNegative : scheme.scalePositive, t)
    }

    /// Black or white, whichever has the higher contrast ratio with the cell: the one pair of which one
    /// reaches 4.5:1 on any colour (at least 4.58), where the scheme's own text and page colours, closer
    /// together, would fall under it on a mid-grey cell.
    public static func textColor(on cell: Color) -> Color {
        cell.contrastRatio(with: .black) >= cell.contrastRatio(with: .white) ? .black : .white
    }

    public func layout(theme: Theme, measurer: any TextMeasurer) -> DisplayList {
        var page = DisplayList(size: theme.pageSize, background: theme.pageBackground)
        let rows = values.count, columns = values.map(\.count).max() ?? 0
        guard rows > 0, columns > 0 else { return page }
        let font = theme.font(theme.smallSize)
        let titleHeight = title == nil ? 0 : theme.titleSize * 1.8
        let labelWidth = (rowLabels.map { measurer.measure($0, font: font).width }.max() ?? 0) + 8
        let barWidth = theme.labelSize * 4
        let available = Size(theme.pageSize.width - 2 * theme.margin - labelWidth - barWidth,
                             theme.pageSize.height - 2 * theme.margin - titleHeight - theme.labelSize * 1.5)
        let textWidth = (texts.flatMap { $0 }.map { measurer.measure($0, font: font).width }.max() ?? 0) + 10
        let cell = min(available.width / Double(columns), available.height / Double(rows), max(textWidth, theme.labelSize * 2.5) * 1.6)
        let x0 = theme.margin + labelWidth + (available.width - cell * Double(columns)) / 2
        let y0 = theme.margin + titleHeight + theme.labelSize * 1.5
        for r in 0..<rows {
            for c in 0..<values[r].count {
                let v = values[r][c], fill = color(v, scheme: theme.colors)
                let x = x0 + Double(c) * cell, y = y0 + Double(r) * cell
                page.append(.path(PathShape([.move(Point(x, y)), .line(Point(x + cell, y)), .line(Point(x + cell, y + cell)),
                                             .line(Point(x, y + cell)), .close], fill: fill, stroke: Stroke(theme.background, width: 1),
                                            tag: "cell:\(r):\(c)")))
                if r < texts.count, c < texts[r].count {
                    page.append(.text(.placed(texts[r][c], font: font, color: Self.textColor(on: fill), at: Point(x + cell / 2, y + cell / 2),
                                              tag: "cell-text:\(r):\(c)", measurer: measurer)))
                }
            }
            if r < rowLabels.count {
                page.append(.text(.placed(rowLabels[r], font: font, color: theme.foreground, at: Point(x0 - 6, y0 + (Double(r) + 0.5) * cell),
                                          anchor: .right, tag: "row-label", measurer: measurer)))
            }
        }
        for (c, label) in columnLabels.prefix(columns).enumerated() {
            page.append(.text(.placed(label, font: font, color: theme.foreground, at: Point(x0 + (Double(c) + 0.5) * cell, y0 - 4),
                                      anchor: .bottom, tag: "column-label", measurer: measurer)))
        }
        // Colour bar: 32 steps from the largest value (top) to the smallest.
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        if let lo = finite.min(), let hi = finite.max() {
            let bx = x0 + cell * Double(columns) + theme.labelSize, height = cell * Double(rows), steps = 32
            page.append(.raster(RasterImage(columns: 1, rows: steps, pixels: (0..<steps).map { color(Interval.step(hi, lo, Double($0), of: Double(steps - 1)), scheme: theme.colors) },
                                            frame: Rect(x: bx, y: y0, width: theme.labelSize * 0.8, height: height), smooth: true, tag: "colour-bar")))
            for (v, y) in [(hi, y0), (lo, y0 + height)] {
                page.append(.text(.placed(Ticks.label(v, step: max(abs(hi - lo), 1e-12) / 10), font: font, color: theme.foreground,
                                          at: Point(bx + theme.labelSize, y), anchor: .left, tag: "colour-bar-label", measurer: measurer)))
            }
        }
        if let title {
            page.append(.text(.placed(title, font: theme.font(theme.titleSize, bold: true), color: theme.foreground,
                                      at: Point(theme.pageSize.width / 2, theme.margin), anchor: .top, tag: "title", measurer: measurer)))
        }
        return page
    }
}
