import Foundation

/// Writes a display list as SVG text to put inside an HTML page: the second backend beside Cairo, in pure
/// Swift, for the viewer (docs/viewer.md). The page and the PNG/SVG/PDF figures share one layout; this
/// writer only spells it differently:
///
/// - text stays text (`<text>`, searchable and copyable), in the theme's font family with generic
///   fallbacks, placed by the same baseline origin Cairo draws it at;
/// - every tagged primitive gets `data-tag` (its tag) and a stable `id` (the prefix, then the tag with
///   spaces as `_`, then `~2`, `~3`, … for repeats), so the page's script and its tests find a node, an
///   edge's value or a highlight by name;
/// - numbers are written with at most two decimals (1/100 pt), so the same display list gives the same
///   bytes on every machine.
///
/// Cairo's SVG is not used for the page: it draws text as glyph outlines (not searchable), numbers its ids
/// from a process-wide counter and gives no handle on a primitive's tag.
public enum SVGWriter {
    /// The `<svg>` element of `page`, `width: 100%` of its container with the page's aspect ratio kept.
    /// `prefix` starts every id (unique in the page that holds several figures); `label` is the figure's
    /// accessible name.
    public static func svg(_ page: DisplayList, prefix: String, label: String? = nil) -> String {
        var out = ""
        out.reserveCapacity(page.items.count * 120 + 256)
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(attribute(prefix))\" viewBox=\"0 0 \(number(page.size.width)) \(number(page.size.height))\""
        // What every primitive shares is said once, on the root, and inherited.
        let family = page.texts.first?.font.family ?? "DejaVu Sans"
        out += " font-family=\"\(attribute(fontList(family)))\" stroke-linejoin=\"round\" stroke-linecap=\"round\" role=\"img\""
        if let label { out += " aria-label=\"\(attribute(label))\"" }
        out += ">"
        if let background = page.background {
            out += "<rect width=\"\(number(page.size.width))\" height=\"\(number(page.size.height))\"\(paint("fill", background))/>"
        }
        var seen: [String: Int] = [:]
        for item in page.items {
            var identity = ""
            if let tag = item.tag {
                let count = (seen[tag] ?? 0) + 1
                seen[tag] = count
                let id = prefix + ":" + identifier(tag) + (count > 1 ? "~\(count)" : "")
                identity = " id=\"\(attribute(id))\" data-tag=\"\(attribute(tag))\""
            }
            switch item {
            case .path(let shape): path(shape, identity: identity, into: &out)
            case .text(let run): text(run, identity: identity, family: family, into: &out)
            case .raster(let image): raster(image, identity: identity, into: &out)
            }
        }
        out += "</svg>"
        return out
    }

    /// A tag as it appears in ids: spaces (not allowed in an id) as `_`. The element of tag T in the
    /// figure of prefix P has the id `P:identifier(T)`.
    public static func identifier(_ tag: String) -> String {
        tag.contains(" ") ? tag.replacingOccurrences(of: " ", with: "_") : tag
    }

    private static func path(_ shape: PathShape, identity: String, into out: inout String) {
        var d = ""
        var current: Point?
        var start: Point?
        for element in shape.elements {
            switch element {
            case .move(let p):
                d += "M\(number(p.x)) \(number(p.y))"
                current = p; start = p
            case .line(let p):
                d += current == nil ? "M" : "L"
                d += "\(number(p.x)) \(number(p.y))"
                if current == nil { start = p }
                current = p
            case .curve(let a, let b, let c):
                if current == nil { d += "M\(number(a.x)) \(number(a.y))"; start = a }
                d += "C\(number(a.x)) \(number(a.y)) \(number(b.x)) \(number(b.y)) \(number(c.x)) \(number(c.y))"
                current = c
            case .arc(let center, let radius, let startAngle, var endAngle):
                // Cairo's arc: a line from the current point to the arc's start (a move when there is none),
                // then clockwise on the page from start to end, which Cairo raises by 2π until end ≥ start.
                while endAngle < startAngle { endAngle += 2 * .pi }
                func at(_ angle: Double) -> Point { Point(center.x + radius * cos(angle), center.y + radius * sin(angle)) }
                let from = at(startAngle)
                d += (current == nil ? "M" : "L") + "\(number(from.x)) \(number(from.y))"
                if current == nil { start = from }
                // An SVG arc cannot close on itself: a whole circle is drawn as two halves.
                var angle = startAngle
                while endAngle - angle > 1e-9 {
                    let step = min(endAngle - angle, .pi)
                    let to = at(angle + step)
                    d += "A\(number(radius)) \(number(radius)) 0 0 1 \(number(to.x)) \(number(to.y))"
                    angle += step
                }
                current = at(endAngle)
            case .close:
                d += "Z"
                current = start
            }
        }
        out += "<path\(identity) d=\"\(d)\""
        out += shape.fill.map { paint("fill", $0) } ?? " fill=\"none\""
        if let stroke = shape.stroke {
            out += paint("stroke", stroke.color)
            out += " stroke-width=\"\(number(stroke.width))\""
            if !stroke.dash.isEmpty {
                out += " stroke-linecap=\"butt\" stroke-dasharray=\"\(stroke.dash.map(number).joined(separator: " "))\""
            }
        }
        out += "/>"
    }

    /// The theme's family, then look-alikes a machine without it may have (no font travels in the page).
    static func fontList(_ family: String) -> String { (family == "DejaVu Sans" ? "" : "\(family), ") + "DejaVu Sans, Verdana, sans-serif" }

    private static func text(_ run: TextRun, identity: String, family: String, into out: inout String) {
        out += "<text\(identity) x=\"\(number(run.origin.x))\" y=\"\(number(run.origin.y))\""
        if run.font.family != family { out += " font-family=\"\(attribute(fontList(run.font.family)))\"" }
        out += " font-size=\"\(number(run.font.size))\""
        if run.font.bold { out += " font-weight=\"bold\"" }
        if run.font.italic { out += " font-style=\"italic\"" }
        out += paint("fill", run.color)
        if run.angle != 0 {
            out += " transform=\"rotate(\(number(-run.angle * 180 / .pi)) \(number(run.origin.x)) \(number(run.origin.y)))\""
        }
        out += ">\(escaped(run.text))</text>"
    }

    /// A colour grid as a PNG inside the page (a `data:` address, no file and no network), stretched over
    /// its frame; sharp blocks stay sharp.
    private static func raster(_ image: RasterImage, identity: String, into out: inout String) {
        guard image.columns > 0, image.rows > 0, image.pixels.count == image.columns * image.rows else { return }
        var pixels = [UInt32](repeating: 0, count: image.pixels.count)
        func unit(_ v: Double) -> Double { v.isNaN ? 0 : max(0, min(1, v)) }
        for (i, c) in image.pixels.enumerated() {
            func channel(_ v: Double) -> UInt32 { UInt32((unit(v) * unit(c.alpha) * 255).rounded()) }
            pixels[i] = UInt32((unit(c.alpha) * 255).rounded()) << 24 | channel(c.red) << 16 | channel(c.green) << 8 | channel(c.blue)
        }
        let opaque = image.pixels.allSatisfy { $0.alpha >= 1 }
        guard let png = try? pixels.withUnsafeBytes({ bytes throws(RenderError) in
            try PNGEncoder.encode(pixels: bytes, width: image.columns, height: image.rows, stride: image.columns * 4, opaque: opaque)
        }) else { return }
        let f = image.frame
        out += "<image\(identity) x=\"\(number(f.x))\" y=\"\(number(f.y))\" width=\"\(number(f.width))\" height=\"\(number(f.height))\""
        out += " preserveAspectRatio=\"none\"" + (image.smooth ? "" : " style=\"image-rendering:pixelated\"")
        out += " href=\"data:image/png;base64,\(Data(png).base64EncodedString())\"/>"
    }

    /// ` fill="#009e73"` (with ` fill-opacity` when not opaque).
    static func paint(_ name: String, _ color: Color) -> String {
        func hex(_ v: Double) -> String {
            let byte = Int((max(0, min(1, v.isNaN ? 0 : v)) * 255).rounded())
            let digits = Array("0123456789abcdef")
            return String([digits[byte / 16], digits[byte % 16]])
        }
        var text = " \(name)=\"#\(hex(color.red))\(hex(color.green))\(hex(color.blue))\""
        if color.alpha < 1 { text += " \(name)-opacity=\"\(number(max(0, color.alpha)))\"" }
        return text
    }

    /// A coordinate with at most two decimals, no trailing zeros, no `-0`: the same text on every machine.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let hundredths = (value * 100).rounded()
        guard abs(hundredths) < 1e15 else { return String(Int64(value.rounded())) }
        let n = Int64(hundredths)
        if n == 0 { return "0" }
        let sign = n < 0 ? "-" : ""
        let whole = abs(n) / 100, fraction = abs(n) % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        return fraction % 10 == 0 ? "\(sign)\(whole).\(fraction / 10)" : "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Text content: `&`, `<`, `>` escaped.
    public static func escaped(_ text: String) -> String {
        guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" }) else { return text }
        var out = ""
        out.reserveCapacity(text.count + 16)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// An attribute's value (in double quotes): the same escapes.
    public static func attribute(_ text: String) -> String { escaped(text) }
}
