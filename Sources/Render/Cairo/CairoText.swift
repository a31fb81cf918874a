import CCairo
import Foundation
import Synchronization

/// Every use of Cairo's fonts, one thread at a time. Cairo 1.16 (Debian 12's) keeps scaled fonts in a
/// process-wide cache that is not safe to use from two threads: drawing or measuring text on two at once
/// aborts now and then in cairo_scaled_font_destroy (`! scaled_font->cache_frozen`), as 2 batches of 1,000
/// feedback PDFs in about 20 did, and the test suite, whose tests measure text in parallel, once in a
/// run. nnsim draws one file after another (Publication), so the lock costs it nothing; it makes the
/// measurer and the renderer safe for callers on several threads. Recursive: drawing measures.
enum CairoLock {
    static let lock = NSRecursiveLock()

    static func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

/// Font selection shared by measuring and drawing, so a label is drawn exactly as wide as measured:
/// the toy text API, with hinting off (unrounded advances, the same in PNG, SVG and PDF).
enum CairoText {
    static func select(_ font: FontStyle, on context: OpaquePointer) {
        cairo_select_font_face(context, font.family,
                               font.italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                               font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, font.size)
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_set_font_options(context, options)
        cairo_font_options_destroy(options)
    }
}

/// Measures text with Cairo, the backend that will draw it. Each call uses its own small context, so
/// one measurer is safe to share.
public struct CairoTextMeasurer: TextMeasurer {
    public init() {}

    /// Runs `body` on a fresh 1×1 context with `font` selected (`fallback` if Cairo cannot make one,
    /// which happens only when memory runs out).
    private func withContext<T>(_ font: FontStyle, fallback: T, _ body: (OpaquePointer) -> T) -> T {
        CairoLock.run { () -> T in
            guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1) else { return fallback }
            defer { cairo_surface_destroy(surface) }
            guard let context = cairo_create(surface) else { return fallback }
            defer { cairo_destroy(context) }
            CairoText.select(font, on: context)
            return body(context)
        }
    }

    public func measure(_ text: String, font: FontStyle) -> TextExtents {
        let key = MeasuredText(text: text, font: font)
        if let known = Self.measured.withLock({ $0[key] }) { return known }
        let extents = withContext(font, fallback: TextExtents(width: 0, ascent: 0, descent: 0)) { context in
            var text_ = cairo_text_extents_t(), fontExtents = cairo_font_extents_t()
            cairo_text_extents(context, text, &text_)
            cairo_font_extents(context, &fontExtents)
            return TextExtents(width: text_.x_advance, ascent: fontExtents.ascent, descent: fontExtents.descent)
        }
        Self.measured.withLock { cache in
            if cache.count >= Self.measuredLimit { cache.removeAll(keepingCapacity: true) }
            cache[key] = extents
        }
        return extents
    }

    /// Every text measured so far, with its extents: a layout measures the same label for each place it
    /// tries (a tensor graph's compact layouts, hundreds of times), and each measurement made a Cairo
    /// context and selected its font under CairoLock, one thread at a time. The same text in the same font
    /// always measures the same, so the cache changes no number.
    private static let measured = Mutex<[MeasuredText: TextExtents]>([:])
    private static let measuredLimit = 200_000
    private struct MeasuredText: Hashable {
        let text: String
        let font: FontStyle
    }

    public func missingGlyphs(in text: String, font: FontStyle) -> [Character] {
        withContext(font, fallback: Array(text)) { context in
            guard let scaled = cairo_get_scaled_font(context) else { return [] }
            var missing: [Character] = []
            for character in text where !character.isWhitespace && !missing.contains(character) {
                var glyphs: UnsafeMutablePointer<cairo_glyph_t>?
                var count: Int32 = 0
                let status = cairo_scaled_font_text_to_glyphs(scaled, 0, 0, String(character), -1, &glyphs, &count,
                                                              nil, nil, nil)
                defer { cairo_glyph_free(glyphs) }
                if status != CAIRO_STATUS_SUCCESS || count == 0 { missing.append(character); continue }
                if let glyphs, (0..<Int(count)).contains(where: { glyphs[$0].index == 0 }) { missing.append(character) }
            }
            return missing
        }
    }

    /// Fails unless `family` really resolves to DejaVu Sans: fontconfig silently substitutes another
    /// font for a missing family. DejaVu Sans's "M" advances 1767/2048 em.
    public func verify(family: String) throws(RenderError) {
        let advance = measure("M", font: FontStyle(family: family, size: 2048)).width
        guard abs(advance - 1767) < 1 else { throw .fontNotInstalled(family) }
    }
}
