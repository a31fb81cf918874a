import Foundation

/// Where a label's anchor point sits on its box: `.center` centres it, `.left` puts the anchor at the
/// middle of the left edge (text runs to the right), `.baselineLeft` puts it on the baseline.
public enum LabelAnchor: Sendable, Hashable {
    case center, left, right, top, bottom, topLeft, topRight, bottomLeft, bottomRight, baselineLeft
}

extension TextRun {
    /// A measured text run whose box sits at `point` by `anchor`; the one way figures place text.
    ///
    /// With an angle (radians, counter-clockwise), the box is placed unrotated and turned about `point`:
    /// `angle: .pi / 2` with `.center` gives a y-axis title centred on `point`.
    public static func placed(_ text: String, font: FontStyle, color: Color, at point: Point,
                              anchor: LabelAnchor = .center, angle: Double = 0, tag: String? = nil,
                              measurer: any TextMeasurer) -> TextRun {
        let e = measurer.measure(text, font: font)
        // The box's top-left relative to the anchor point, before rotation.
        let dx: Double, dy: Double
        switch anchor {
        case .center: (dx, dy) = (-e.width / 2, -e.height / 2)
        case .left: (dx, dy) = (0, -e.height / 2)
        case .right: (dx, dy) = (-e.width, -e.height / 2)
        case .top: (dx, dy) = (-e.width / 2, 0)
        case .bottom: (dx, dy) = (-e.width / 2, -e.height)
        case .topLeft: (dx, dy) = (0, 0)
        case .topRight: (dx, dy) = (-e.width, 0)
        case .bottomLeft: (dx, dy) = (0, -e.height)
        case .bottomRight: (dx, dy) = (-e.width, -e.height)
        case .baselineLeft: (dx, dy) = (0, -e.ascent)
        }
        // Baseline origin in the unrotated frame, then both it and the box turned about `point`.
        let local = Point(dx, dy + e.ascent)
        let (c, s) = (cos(angle), sin(angle))
        // Page y grows downwards, so a counter-clockwise turn maps (x, y) to (x·c + y·s, −x·s + y·c).
        func turn(_ p: Point) -> Point { Point(point.x + p.x * c + p.y * s, point.y - p.x * s + p.y * c) }
        let corners = [Point(dx, dy), Point(dx + e.width, dy), Point(dx, dy + e.height),
                       Point(dx + e.width, dy + e.height)].map(turn)
        let xs = corners.map(\.x), ys = corners.map(\.y)
        let bounds = Rect(x: xs.min() ?? point.x, y: ys.min() ?? point.y,
                          width: (xs.max() ?? point.x) - (xs.min() ?? point.x),
                          height: (ys.max() ?? point.y) - (ys.min() ?? point.y))
        return TextRun(text: text, origin: turn(local), font: font, color: color, angle: angle,
                       bounds: bounds, tag: tag)
    }
}
