import CCairo
import Foundation

/// Draws display-list primitives on a Cairo context: the one place that turns a figure into ink.
struct CairoPainter {
    let context: OpaquePointer

    func paint(_ page: DisplayList) {
        if let background = page.background {
            setColor(background)
            cairo_paint(context)
        }
        for item in page.items {
            switch item {
            case .path(let shape): draw(shape)
            case .text(let run): draw(run)
            case .raster(let image): draw(image)
            }
        }
    }

    private func setColor(_ c: Color) {
        cairo_set_source_rgba(context, c.red, c.green, c.blue, c.alpha)
    }

    private func draw(_ shape: PathShape) {
        cairo_new_path(context)
        let elements = shape.fill == nil ? Self.simplified(shape.elements) : shape.elements
        for element in elements {
            switch element {
            case .move(let p): cairo_move_to(context, p.x, p.y)
            case .line(let p): cairo_line_to(context, p.x, p.y)
            case .curve(let a, let b, let c): cairo_curve_to(context, a.x, a.y, b.x, b.y, c.x, c.y)
            case .arc(let center, let radius, let start, let end):
                cairo_arc(context, center.x, center.y, radius, start, end)
            case .close: cairo_close_path(context)
            }
        }
        if let fill = shape.fill {
            setColor(fill)
            if shape.stroke != nil { cairo_fill_preserve(context) } else { cairo_fill(context) }
        }
        if let stroke = shape.stroke {
            setColor(stroke.color)
            cairo_set_line_width(context, stroke.width)
            cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
            cairo_set_line_cap(context, stroke.dash.isEmpty ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
            cairo_set_dash(context, stroke.dash, Int32(stroke.dash.count), 0)
            cairo_stroke(context)
        }
        cairo_new_path(context)
    }

    /// A stroked polyline without the points that would not move its ink: every run of straight segments
    /// longer than `minimumRun` points is thinned by Douglas–Peucker to within `tolerance` pt of the
    /// original (a twentieth of a pixel on a 1080p slide). A loss curve of 3,000 iterations is 3 to 4 points
    /// to every point of width; written out in SVG and PDF and compressed, such curves were most of the
    /// symmetry lesson's drawing time. Fills keep every point (their area is the data).
    static func simplified(_ elements: [PathElement], tolerance: Double = 0.025, minimumRun: Int = 64) -> [PathElement] {
        guard elements.count > minimumRun else { return elements }
        var result: [PathElement] = []
        result.reserveCapacity(elements.count)
        var pen: Point?   // where the path is, where known (after a move, a line or a curve)
        var index = 0
        while index < elements.count {
            guard case .line = elements[index], let start = pen else {
                let element = elements[index]
                result.append(element)
                switch element {
                case .move(let p), .line(let p): pen = p
                case .curve(_, _, let end): pen = end
                case .arc, .close: pen = nil
                }
                index += 1
                continue
            }
            // A run of straight segments from the pen.
            var points = [start]
            while index < elements.count, case .line(let p) = elements[index] {
                points.append(p)
                index += 1
            }
            let kept = points.count > minimumRun ? douglasPeucker(points, tolerance: tolerance) : Array(points.indices)
            for i in kept.dropFirst() { result.append(.line(points[i])) }
            pen = points.last
        }
        return result
    }

    /// The indices of the points Douglas–Peucker keeps: the ends, and recursively the point farthest from
    /// the chord between kept ones while it is more than `tolerance` away, so that every dropped point lies
    /// within `tolerance` of the thinned line.
    static func douglasPeucker(_ points: [Point], tolerance: Double) -> [Int] {
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var stack = [(first: 0, last: points.count - 1)]
        while let (first, last) = stack.popLast() {
            guard last > first + 1 else { continue }
            let a = points[first], b = points[last]
            let dx = b.x - a.x, dy = b.y - a.y, squared = dx * dx + dy * dy
            var farthest = first, distance = -1.0
            for i in (first + 1)..<last {
                let p = points[i]
                // Distance to the chord as a segment (a path that turns back beyond an end keeps its turn).
                let t = squared > 0 ? max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / squared)) : 0
                let ex = p.x - (a.x + t * dx), ey = p.y - (a.y + t * dy)
                let d = (ex * ex + ey * ey).squareRoot()
                if d > distance { distance = d; farthest = i }
            }
            if distance > tolerance {
                keep[farthest] = true
                stack.append((first, farthest))
                stack.append((farthest, last))
            }
        }
        return keep.indices.filter { keep[$0] }
    }

    /// Text at its baseline origin, turned counter-clockwise by its angle (Cairo's y points down, hence −).
    private func draw(_ run: TextRun) {
        cairo_save(context)
        CairoText.select(run.font, on: context)
        setColor(run.color)
        cairo_translate(context, run.origin.x, run.origin.y)
        cairo_rotate(context, -run.angle)
        cairo_move_to(context, 0, 0)
        cairo_show_text(context, run.text)
        cairo_restore(context)
    }

    /// A colour grid stretched over its frame; premultiplied ARGB32 as Cairo stores it.
    private func draw(_ image: RasterImage) {
        guard image.columns > 0, image.rows > 0, image.pixels.count == image.columns * image.rows else { return }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(image.columns), Int32(image.rows))
        else { return }
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return }
        for row in 0..<image.rows {
            let line = UnsafeMutableRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in 0..<image.columns {
                let c = image.pixels[row * image.columns + column]
                // Clamped to 0…1, NaN as 0: UInt32(nan) would trap.
                func unit(_ v: Double) -> Double { v.isNaN ? 0 : max(0, min(1, v)) }
                func channel(_ v: Double) -> UInt32 { UInt32((unit(v) * unit(c.alpha) * 255).rounded()) }
                let alpha = UInt32((unit(c.alpha) * 255).rounded())
                line[column] = alpha << 24 | channel(c.red) << 16 | channel(c.green) << 8 | channel(c.blue)
            }
        }
        cairo_surface_mark_dirty(surface)
        cairo_save(context)
        cairo_rectangle(context, image.frame.x, image.frame.y, image.frame.width, image.frame.height)
        cairo_clip(context)
        cairo_translate(context, image.frame.x, image.frame.y)
        cairo_scale(context, image.frame.width / Double(image.columns), image.frame.height / Double(image.rows))
        cairo_set_source_surface(context, surface, 0, 0)
        let pattern = cairo_get_source(context)
        cairo_pattern_set_filter(pattern, image.smooth ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST)
        cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD)
        cairo_paint(context)
        cairo_restore(context)
    }
}
