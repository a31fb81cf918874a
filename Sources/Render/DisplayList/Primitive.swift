/// A display list: what a page shows, as absolute drawing primitives. Figures lay themselves out into
/// one; a backend draws it. Tests read it without rasterizing anything.
public struct DisplayList: Sendable {
    /// The page size in points.
    public var size: Size
    /// Painted over the whole page first; nil leaves it transparent (PNG) or white (PDF).
    public var background: Color?
    public var items: [Primitive]

    public init(size: Size, background: Color? = .white, items: [Primitive] = []) {
        self.size = size
        self.background = background
        self.items = items
    }

    public mutating func append(_ item: Primitive) { items.append(item) }
    public mutating func append(contentsOf other: [Primitive]) { items.append(contentsOf: other) }

    /// Every text run, in drawing order (what a test or a PDF text check looks for).
    public var texts: [TextRun] {
        items.compactMap { if case .text(let run) = $0 { return run } else { return nil } }
    }
}

/// One drawing primitive. `tag` names what it depicts (`node:a`, `edge-value:d→e`, `axis-tick`), so
/// tests can find the label of a node or check that two things do not overlap.
public enum Primitive: Sendable {
    case path(PathShape)
    case text(TextRun)
    case raster(RasterImage)

    public var tag: String? {
        switch self {
        case .path(let p): return p.tag
        case .text(let t): return t.tag
        case .raster(let r): return r.tag
        }
    }
}

/// A path, filled and/or stroked.
public struct PathShape: Sendable {
    public var elements: [PathElement]
    public var fill: Color?
    public var stroke: Stroke?
    public var tag: String?

    public init(_ elements: [PathElement], fill: Color? = nil, stroke: Stroke? = nil, tag: String? = nil) {
        self.elements = elements
        self.fill = fill
        self.stroke = stroke
        self.tag = tag
    }

    /// The bounding box of the path's points (control points included), widened by half the stroke.
    public var bounds: Rect {
        var xs: [Double] = [], ys: [Double] = []
        for element in elements {
            switch element {
            case .move(let p), .line(let p): xs.append(p.x); ys.append(p.y)
            case .curve(let a, let b, let c): xs += [a.x, b.x, c.x]; ys += [a.y, b.y, c.y]
            case .arc(let c, let r, _, _): xs += [c.x - r, c.x + r]; ys += [c.y - r, c.y + r]
            case .close: break
            }
        }
        let half = (stroke?.width ?? 0) / 2
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else {
            return Rect(x: 0, y: 0, width: 0, height: 0)
        }
        return Rect(x: x0 - half, y: y0 - half, width: x1 - x0 + 2 * half, height: y1 - y0 + 2 * half)
    }
}

public enum PathElement: Sendable, Hashable {
    case move(Point)
    case line(Point)
    /// A cubic Bézier segment with two control points and an end point.
    case curve(Point, Point, Point)
    /// A circular arc around a centre, angles in radians, clockwise on the page (Cairo's `arc`).
    case arc(center: Point, radius: Double, start: Double, end: Double)
    case close
}

public struct Stroke: Sendable, Hashable {
    public var color: Color
    public var width: Double
    /// Dash lengths in points; empty for a solid line.
    public var dash: [Double]

    public init(_ color: Color, width: Double = 1, dash: [Double] = []) {
        self.color = color
        self.width = width
        self.dash = dash
    }
}

/// A run of text in one font, placed by its baseline origin (the left end of its baseline) after
/// layout has measured it. `bounds` is the box layout measured, used for overlap and page checks.
public struct TextRun: Sendable {
    public var text: String
    public var origin: Point
    public var font: FontStyle
    public var color: Color
    /// Rotation in radians about `origin`, counter-clockwise on the page (a y-axis title is π/2).
    public var angle: Double
    public var bounds: Rect
    public var tag: String?

    public init(text: String, origin: Point, font: FontStyle, color: Color, angle: Double = 0,
                bounds: Rect, tag: String? = nil) {
        self.text = text
        self.origin = origin
        self.font = font
        self.color = color
        self.angle = angle
        self.bounds = bounds
        self.tag = tag
    }
}

/// A grid of colours drawn into a rectangle (the colour field of a decision-region plot), row 0 at top.
public struct RasterImage: Sendable {
    public var columns: Int
    public var rows: Int
    /// `columns × rows` colours, row-major.
    public var pixels: [Color]
    public var frame: Rect
    /// Blend neighbouring cells (true) or show each as a sharp block (false).
    public var smooth: Bool
    public var tag: String?

    public init(columns: Int, rows: Int, pixels: [Color], frame: Rect, smooth: Bool = true, tag: String? = nil) {
        self.columns = columns
        self.rows = rows
        self.pixels = pixels
        self.frame = frame
        self.smooth = smooth
        self.tag = tag
    }
}
