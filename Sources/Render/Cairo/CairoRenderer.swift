import CCairo
import Foundation

/// Writes display lists as PNG, SVG or PDF through Cairo, with the same bytes for the same input
/// (SVG ids renumbered, no PDF timestamp), after checking every label's glyphs.
public enum CairoRenderer {
    /// PNG pixels per point by default: a 960×540 pt slide becomes 1920×1080 px.
    public static let defaultPNGScale = 2.0

    /// One page in one format, as bytes.
    public static func render(_ page: DisplayList, as format: OutputFormat,
                              pngScale: Double = defaultPNGScale) throws(RenderError) -> [UInt8] {
        try CairoLock.run { () throws(RenderError) -> [UInt8] in try unlockedRender(page, as: format, pngScale: pngScale) }
    }

    private static func unlockedRender(_ page: DisplayList, as format: OutputFormat, pngScale: Double) throws(RenderError) -> [UInt8] {
        switch format {
        case .png: return try png(page, scale: pngScale)
        case .svg: return try svg(page)
        case .pdf: return try pdf([page])
        case .html: throw .unknownFormat("html (a figure alone is png, svg or pdf; html is the viewer page)")
        case .mp4: throw .unknownFormat("mp4 (a figure alone is png, svg or pdf; mp4 is an animation's video)")
        }
    }

    /// The page with every stroked line thinned as the painter thins it (`CairoPainter.simplified`), for a
    /// page drawn in several formats: it is thinned once, and the painter's own thinning then keeps every
    /// point (Douglas–Peucker on the points it kept splits at the same points and keeps them all), so the
    /// bytes are those of the page itself. The 3,000-point paths were thinned three times.
    public static func thinned(_ page: DisplayList) -> DisplayList {
        var thin = page
        thin.items = page.items.map { item in
            guard case .path(var shape) = item, shape.fill == nil else { return item }
            shape.elements = CairoPainter.simplified(shape.elements)
            return .path(shape)
        }
        return thin
    }

    /// A multi-page PDF document (each page keeps its own size), as bytes.
    public static func render(document pages: [DisplayList]) throws(RenderError) -> [UInt8] {
        try CairoLock.run { () throws(RenderError) -> [UInt8] in try pdf(pages) }
    }

    /// Every text run's glyphs exist in its font; otherwise the figure would show boxes.
    public static func checkGlyphs(_ page: DisplayList, measurer: CairoTextMeasurer = CairoTextMeasurer()) throws(RenderError) {
        var checked = Set<String>()
        for run in page.texts where checked.insert(run.font.family + "\u{0}" + run.text).inserted {
            let missing = measurer.missingGlyphs(in: run.text, font: run.font)
            if !missing.isEmpty { throw .missingGlyphs(text: run.text, characters: missing, font: run.font.family) }
        }
    }

    /// Cairo's largest image side, in pixels.
    public static let maxPNGSide = 32_767.0
    /// The most pixels a PNG gets (256 MB of ARGB while drawing).
    public static let maxPNGPixels = 64_000_000.0

    /// The scale a page is rasterized at: the requested one, lowered where the page is so large (a graph of
    /// a thousand layers) that the image would exceed Cairo's side limit or the pixel budget.
    public static func pngScale(for size: Size, requested: Double) -> Double {
        let side = maxPNGSide / max(size.width, size.height, 1)
        let area = (maxPNGPixels / max(size.width * size.height, 1)).squareRoot()
        return min(requested, side, area)
    }

    static func png(_ page: DisplayList, scale requested: Double) throws(RenderError) -> [UInt8] {
        try rasterized(page, scale: requested).png()
    }

    /// The page drawn into pixels at `pngScale` (under CairoLock), to be encoded as PNG by `Raster.png()`
    /// on any thread: a lesson encodes one figure's PNG on the other core while Cairo draws the next.
    public static func raster(_ page: DisplayList, pngScale: Double = defaultPNGScale) throws(RenderError) -> Raster {
        try CairoLock.run { () throws(RenderError) -> Raster in try rasterized(page, scale: pngScale) }
    }

    /// A page's pixels, drawn; encoding them needs no Cairo.
    public final class Raster: @unchecked Sendable {
        // Written once while drawing, then only read: safe to hand to another thread.
        fileprivate let memory: UnsafeMutableRawBufferPointer
        fileprivate let width: Int, height: Int, stride: Int, opaque: Bool

        fileprivate init(memory: UnsafeMutableRawBufferPointer, width: Int, height: Int, stride: Int, opaque: Bool) {
            (self.memory, self.width, self.height, self.stride, self.opaque) = (memory, width, height, stride, opaque)
        }

        deinit { memory.deallocate() }

        /// The PNG file's bytes.
        public func png() throws(RenderError) -> [UInt8] {
            try PNGEncoder.encode(pixels: UnsafeRawBufferPointer(rebasing: memory[..<(stride * height)]),
                                  width: width, height: height, stride: stride, opaque: opaque)
        }
    }

    private static func rasterized(_ page: DisplayList, scale requested: Double) throws(RenderError) -> Raster {
        try checkGlyphs(page)
        let scale = pngScale(for: page.size, requested: requested)
        let width = Int32(max(1, (page.size.width * scale).rounded())), height = Int32(max(1, (page.size.height * scale).rounded()))
        // An opaque page needs no alpha channel.
        let format = page.background.map { $0.alpha >= 1 } == true ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32
        let stride = cairo_format_stride_for_width(format, width)
        guard stride > 0 else { throw .cairo(status: "invalid size", context: "creating a \(width)×\(height) image") }
        let raster = Raster(memory: imageMemory(byteCount: Int(stride) * Int(height)), width: Int(width), height: Int(height),
                            stride: Int(stride), opaque: format == CAIRO_FORMAT_RGB24)
        guard let surface = cairo_image_surface_create_for_data(raster.memory.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                                                format, width, height, stride) else {
            throw .cairo(status: "no surface", context: "creating a \(width)×\(height) image")
        }
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), "creating a \(width)×\(height) image")
        try draw(page, on: surface, scale: scale)
        cairo_surface_flush(surface)
        return raster
    }

    /// Zeroed memory for an image. Where Linux gives transparent huge pages on request, a large image is
    /// asked for in 2 MB pages: the 8 MB of a 1920×1080 slide is then mapped in by 4 page faults instead of
    /// 2,000 (15 ms of CPU over the XOR lesson's PNGs). Elsewhere, or without them, it gets ordinary pages.
    private static func imageMemory(byteCount: Int) -> UnsafeMutableRawBufferPointer {
        let hugePage = 2 << 20
        let large = byteCount >= hugePage
        let memory = large
            ? UnsafeMutableRawBufferPointer.allocate(byteCount: (byteCount + hugePage - 1) / hugePage * hugePage, alignment: hugePage)
            : UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: 64)
        #if os(Linux)
        if large { _ = madvise(memory.baseAddress, memory.count, MADV_HUGEPAGE) }
        #endif
        memory.initializeMemory(as: UInt8.self, repeating: 0)
        return memory
    }

    static func svg(_ page: DisplayList) throws(RenderError) -> [UInt8] {
        try checkGlyphs(page)
        let sink = ByteSink()
        guard let surface = cairo_svg_surface_create_for_stream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(),
                                                                page.size.width, page.size.height) else {
            throw .cairo(status: "no surface", context: "creating the SVG")
        }
        cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1)
        try draw(page, on: surface, scale: 1)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        try check(status, "finishing the SVG")
        return SVGIdentifiers.renumbered(sink.bytes)
    }

    static func pdf(_ pages: [DisplayList]) throws(RenderError) -> [UInt8] {
        guard let first = pages.first else { throw .noPages }
        for page in pages { try checkGlyphs(page) }
        let sink = ByteSink()
        guard let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(),
                                                                first.size.width, first.size.height) else {
            throw .cairo(status: "no surface", context: "creating the PDF")
        }
        // No timestamp: the same report gives the same bytes.
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, "")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "nnsim")
        guard let context = cairo_create(surface) else { throw .cairo(status: "no context", context: "drawing the PDF") }
        for page in pages {
            cairo_pdf_surface_set_size(surface, page.size.width, page.size.height)
            CairoPainter(context: context).paint(page)
            cairo_show_page(context)
        }
        let drawn = cairo_status(context)
        cairo_destroy(context)
        cairo_surface_finish(surface)
        let finished = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        try check(drawn, "drawing the PDF")
        try check(finished, "finishing the PDF")
        return sink.bytes
    }

    private static func draw(_ page: DisplayList, on surface: OpaquePointer, scale: Double) throws(RenderError) {
        guard let context = cairo_create(surface) else { throw .cairo(status: "no context", context: "drawing") }
        defer { cairo_destroy(context) }
        cairo_scale(context, scale, scale)
        CairoPainter(context: context).paint(page)
        try check(cairo_status(context), "drawing")
    }

    private static func check(_ status: cairo_status_t, _ context: String) throws(RenderError) {
        guard status == CAIRO_STATUS_SUCCESS else {
            throw .cairo(status: String(cString: cairo_status_to_string(status)), context: context)
        }
    }
}

/// Collects what a Cairo stream writer hands over. Passed to the C callback through `Unmanaged`.
final class ByteSink {
    var bytes: [UInt8] = []

    static let write: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }
}

/// Cairo 1.16 numbers SVG `surfaceN` and `imageN` ids from process-wide counters, so the same figure
/// written twice in one process differs. Each kind is renumbered by first appearance: surface1, surface2, …
/// The work is on bytes (the SVG is UTF-8, the ids ASCII).
enum SVGIdentifiers {
    static let prefixes = ["surface", "image"]

    static func renumbered(_ bytes: [UInt8]) -> [UInt8] {
        var text = bytes
        for prefix in prefixes { text = renumber(Array(prefix.utf8), in: text) }
        return text
    }

    private static func renumber(_ prefix: [UInt8], in text: [UInt8]) -> [UInt8] {
        var mapping: [ArraySlice<UInt8>: Int] = [:]
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var rest = 0
        while let start = firstIndex(of: prefix, in: text, from: rest) {
            result += text[rest..<start]
            let digits = start + prefix.count
            var end = digits
            while end < text.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[end]) { end += 1 }
            result += prefix
            if end > digits {
                let number = text[digits..<end]
                let id = mapping[number] ?? (mapping.count + 1)
                mapping[number] = id
                result += String(id).utf8
            }
            rest = end
        }
        result += text[rest...]
        return result
    }

    private static func firstIndex(of pattern: [UInt8], in text: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, text.count >= pattern.count else { return nil }
        var i = start
        while i <= text.count - pattern.count {
            if text[i] == first && text[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }
}
