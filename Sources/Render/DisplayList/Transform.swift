/// Moving and scaling a display list, to place a figure on a report page.
extension DisplayList {
    /// Every primitive scaled uniformly by `scale` about the origin, then moved by `offset`. Font sizes,
    /// stroke widths and text boxes scale too, so the figure looks the same, only smaller or larger.
    public func transformed(scale: Double, offset: Point) -> [Primitive] {
        func map(_ p: Point) -> Point { Point(p.x * scale + offset.x, p.y * scale + offset.y) }
        func map(_ r: Rect) -> Rect {
            Rect(x: r.x * scale + offset.x, y: r.y * scale + offset.y, width: r.width * scale, height: r.height * scale)
        }
        return items.map { item in
            switch item {
            case .path(var shape):
                shape.elements = shape.elements.map { element in
                    switch element {
                    case .move(let p): return .move(map(p))
                    case .line(let p): return .line(map(p))
                    case .curve(let a, let b, let c): return .curve(map(a), map(b), map(c))
                    case .arc(let center, let radius, let start, let end):
                        return .arc(center: map(center), radius: radius * scale, start: start, end: end)
                    case .close: return .close
                    }
                }
                if var stroke = shape.stroke {
                    stroke.width *= scale
                    stroke.dash = stroke.dash.map { $0 * scale }
                    shape.stroke = stroke
                }
                return .path(shape)
            case .text(var run):
                run.origin = map(run.origin)
                run.bounds = map(run.bounds)
                run.font.size *= scale
                return .text(run)
            case .raster(var image):
                image.frame = map(image.frame)
                return .raster(image)
            }
        }
    }
}
