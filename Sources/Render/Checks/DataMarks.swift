import Foundation

/// The marks of data a figure draws (a series' line, a sample, a path's end, a minimum, a bar, a node),
/// read back from its display list by their tags, as line segments and filled outlines: what no legend,
/// label or colour bar may cover. Plots ask it where a legend can go; `FigureCheck` asks it in tests.
public struct DataMarks: Sendable {
    /// Tag prefixes of the primitives that depict data.
    public static let tagPrefixes = ["series:", "marker:", "off-scale:", "trajectory:", "arrows:", "start:", "end:", "mark:",
                                     "sample:", "misclassified", "boundary", "bar:", "neuron:", "node:", "node-continued:", "edge:", "arrow:"]

    /// Tag prefixes of text drawn inside the mark it names (a node's label, a neuron's value): such text
    /// belongs to its mark and does not cover data.
    public static let ownTextPrefixes = ["node-label:", "node-shape:", "node-matrix:", "node-gradient:", "neuron-value:", "cell-text:"]

    public struct Mark: Sendable {
        public var tag: String
        /// The outline or line, as segments (arcs and curves flattened).
        public var segments: [(Point, Point)]
        /// For filled shapes, the closed outline (a rectangle inside a bar covers it without crossing its edge).
        public var polygon: [Point]?
        /// Half the stroke width: a segment is that thick.
        public var halfWidth: Double
        /// The box around the segments, widened by `halfWidth`: most rectangles are told apart by it alone.
        public var bounds: Rect
    }

    public private(set) var marks: [Mark] = []

    public init(_ items: [Primitive]) {
        for item in items {
            guard case .path(let shape) = item, let tag = shape.tag,
                  Self.tagPrefixes.contains(where: { tag.hasPrefix($0) }) else { continue }
            append(shape, tag: tag)
        }
    }

    /// Marks from shapes given directly (a plot's data before it is placed on the page).
    public init(shapes: [PathShape]) {
        for shape in shapes { append(shape, tag: shape.tag ?? "") }
    }

    private mutating func append(_ shape: PathShape, tag: String) {
        var segments: [(Point, Point)] = []
        var outline: [Point] = []
        var current: Point?, start: Point?
        func line(to p: Point) {
            if let c = current { segments.append((c, p)) }
            current = p
            outline.append(p)
        }
        for element in shape.elements {
            switch element {
            case .move(let p):
                current = p; start = p
                outline.append(p)
            case .line(let p): line(to: p)
            case .curve(_, _, let p): line(to: p)
            case .arc(let c, let r, let a, let b):
                let steps = 16
                for k in 0...steps {
                    let t = a + (b - a) * Double(k) / Double(steps)
                    let p = Point(c.x + r * cos(t), c.y + r * sin(t))
                    if k == 0 && current == nil { current = p; start = p; outline.append(p) } else { line(to: p) }
                }
            case .close:
                if let s = start { line(to: s) }
            }
        }
        let half = (shape.stroke?.width ?? 0) / 2
        func box(_ points: [Point]) -> Rect {
            let xs = points.map(\.x), ys = points.map(\.y)
            let x0 = xs.min() ?? 0, y0 = ys.min() ?? 0
            return Rect(x: x0 - half, y: y0 - half, width: (xs.max() ?? 0) - x0 + 2 * half, height: (ys.max() ?? 0) - y0 + 2 * half)
        }
        if shape.fill != nil {
            marks.append(Mark(tag: tag, segments: segments, polygon: outline, halfWidth: half, bounds: box(outline)))
            return
        }
        // A long line (a loss curve of 5,000 points) in pieces, each with its own box.
        for first in stride(from: 0, to: segments.count, by: 32) {
            let piece = Array(segments[first..<min(first + 32, segments.count)])
            marks.append(Mark(tag: tag, segments: piece, polygon: nil, halfWidth: half, bounds: box(piece.flatMap { [$0.0, $0.1] })))
        }
    }

    /// The tags of the marks that `rect` covers (touches, within the marks' line widths).
    public func covered(by rect: Rect) -> [String] {
        var tags: [String] = []
        for mark in marks where Self.overlaps(mark, rect) && tags.last != mark.tag { tags.append(mark.tag) }
        return tags
    }

    /// True when `rect` covers no mark.
    public func isClear(_ rect: Rect) -> Bool {
        !marks.contains { Self.overlaps($0, rect) }
    }

    static func overlaps(_ mark: Mark, _ rect: Rect) -> Bool {
        guard mark.bounds.insetBy(dx: -0.01, dy: -0.01).overlaps(rect) else { return false }
        let grown = rect.insetBy(dx: -mark.halfWidth, dy: -mark.halfWidth)
        if mark.segments.contains(where: { grown.intersects(segment: $0.0, $0.1) }) { return true }
        if let polygon = mark.polygon, polygon.count > 2 { return contains(polygon, rect.center) }
        return false
    }

    /// Even–odd point-in-polygon.
    static func contains(_ polygon: [Point], _ p: Point) -> Bool {
        var inside = false
        var j = polygon.count - 1
        for i in polygon.indices {
            let a = polygon[i], b = polygon[j]
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
            j = i
        }
        return inside
    }
}

extension Rect {
    /// True when the segment a→b passes through the rectangle or touches it (Liang–Barsky).
    public func intersects(segment a: Point, _ b: Point) -> Bool {
        var t0 = 0.0, t1 = 1.0
        let dx = b.x - a.x, dy = b.y - a.y
        for (p, q) in [(-dx, a.x - minX), (dx, maxX - a.x), (-dy, a.y - minY), (dy, maxY - a.y)] {
            if p == 0 { if q < 0 { return false } else { continue } }
            let r = q / p
            if p < 0 { if r > t1 { return false }; t0 = max(t0, r) } else { if r < t0 { return false }; t1 = min(t1, r) }
        }
        return t0 <= t1
    }
}
