/// The colours of a figure, apart from its sizes (Theme): `--theme light|dark|print`. Every colour is
/// chosen for its contrast with the background (4.5:1 where it is text, 3:1 where it is a line or mark,
/// WCAG 2.1) and the series stay apart under the three kinds of colour blindness; the measured ratios and
/// the reasons are in README.md beside this file, and ThemeContrastTests checks them.
public struct ColorScheme: Sendable, Hashable {
    /// The schemes by name, as `--theme` takes them.
    public enum Name: String, CaseIterable, Sendable, Hashable {
        /// Black on white, Okabe–Ito's hues darkened where they were too light to read.
        case light
        /// Light on near-black, for dark lecture halls and dark slide decks.
        case dark
        /// Light's colours, every series also told apart by its dash and its marker, for a black-and-white printer.
        case print
    }

    public let name: Name

    /// Text, axes, outlines.
    public var foreground: Color
    /// The page, and what covers data with the page's colour (a legend's box, a level label's patch).
    public var background: Color
    /// Secondary text: captions, shapes of tensors, page numbers.
    public var muted: Color
    /// Grid lines: context only, kept faint on purpose.
    public var grid: Color
    /// Forward values (text on edges and in node boxes).
    public var forward: Color
    /// Gradients flowing back (text), misclassified rings, negative weights.
    public var gradient: Color
    /// Highlight of the current node or edge in step-by-step frames: a thick band around it.
    public var highlight: Color
    /// A student's right and wrong answers in feedback (the marks also say ✓ and ✗).
    public var right: Color
    public var wrong: Color
    /// Series colours, in order: Okabe–Ito's hues without the yellow, the foreground last, for a seventh series.
    public var series: [Color]
    /// Fill of variable nodes (squares) and operator nodes (circles): text is drawn on them.
    public var variableFill: Color
    public var operatorFill: Color
    /// A surface's level lines run from `contourLow` (the lowest level, faint) to `contourHigh` (the highest);
    /// their numbers are written in `contourLabel`.
    public var contourLow: Color
    public var contourHigh: Color
    public var contourLabel: Color
    /// A diverging colour scale (a heatmap's cells and colour bar): `scaleMiddle` at 0, the page's own
    /// colour, so that a dark slide has no glaring white band; `scaleNegative` and `scalePositive` at the
    /// ends. `scaleMissing` fills a cell whose value is not finite (its text says so).
    public var scaleNegative: Color
    public var scalePositive: Color
    public var scaleMiddle: Color
    public var scaleMissing: Color
    /// Dash patterns cycled with the series, in units of the line width (empty: solid).
    public var dashes: [[Double]]
    /// The dash of a negative weight's connection in a network diagram (empty: told by colour alone).
    public var negativeDash: [Double]
    /// Every series also carries its own marker shape (circle, square, triangle, …): on a line at a few
    /// points, at a path's end, and in the legend. Where a segment is short or a series is points, a dash
    /// has no room to show, and a black-and-white page has no colour.
    public var seriesMarkers = false

    /// Okabe and Ito's colour-blind-safe set on white, with orange, sky blue and reddish purple darkened to
    /// 3:1 and bluish green and vermillion to 4.5:1 (hue kept, CIELAB lightness lowered), README.md.
    public static let light = ColorScheme(
        name: .light, foreground: Color(hex: 0x000000), background: .white, muted: Color(hex: 0x6E6E6E), grid: Color(hex: 0xE3E3E3),
        forward: Color(hex: 0x017A59), gradient: Color(hex: 0xB04D00), highlight: Color(hex: 0xB57E00),
        right: Color(hex: 0x016097), wrong: Color(hex: 0xB04D00),
        series: [0x016097, 0xC68904, 0x018661, 0xB04D00, 0xB86794, 0x399ED1, 0x000000].map { Color(hex: $0) },
        variableFill: Color(hex: 0xEAF2FB), operatorFill: Color(hex: 0xFFF4E0),
        contourLow: Color(hex: 0xC6DBEF), contourHigh: Color(hex: 0x08306B), contourLabel: Color(hex: 0x08306B),
        scaleNegative: Color(hex: 0x0072B2), scalePositive: Color(hex: 0xD55E00), scaleMiddle: .white, scaleMissing: Color(hex: 0xBBBBBB),
        dashes: [[], [6, 3], [2, 2.5], [8, 3, 2, 3]], negativeDash: [])

    /// Near-black (#1E1E1E) with off-white text; the hues lightened until each reads on it.
    public static let dark = ColorScheme(
        name: .dark, foreground: Color(hex: 0xF2F2F2), background: Color(hex: 0x1E1E1E), muted: Color(hex: 0xA6A6A6), grid: Color(hex: 0x3A3A3A),
        forward: Color(hex: 0x1DA87D), gradient: Color(hex: 0xE8711A), highlight: Color(hex: 0xB8860B),
        right: Color(hex: 0x58B6EB), wrong: Color(hex: 0xE8711A),
        series: [0x388ACC, 0xEFA713, 0x1DA87D, 0xE8711A, 0xCD7AA8, 0x58B6EB, 0xF2F2F2].map { Color(hex: $0) },
        variableFill: Color(hex: 0x1A2430), operatorFill: Color(hex: 0x2A2419),
        contourLow: Color(hex: 0x35506E), contourHigh: Color(hex: 0x86A6C6), contourLabel: Color(hex: 0xC6DBEF),
        scaleNegative: Color(hex: 0x388ACC), scalePositive: Color(hex: 0xE8711A), scaleMiddle: Color(hex: 0x1E1E1E), scaleMissing: Color(hex: 0x5A5A5A),
        dashes: [[], [6, 3], [2, 2.5], [8, 3, 2, 3]], negativeDash: [])

    /// Light's colours for a black-and-white printer: seven different dashes and seven marker shapes, so no
    /// two series are told apart by colour alone, negative weights dashed, grid lines dark enough not to
    /// vanish in toner.
    public static let print: ColorScheme = {
        var scheme = light.renamed(.print)
        scheme.grid = Color(hex: 0xC8C8C8)
        scheme.dashes = [[], [6, 3], [2, 2.5], [8, 3, 2, 3], [14, 4], [6, 2, 2, 2, 2, 2], [2, 6]]
        scheme.negativeDash = [5, 3]
        scheme.seriesMarkers = true
        return scheme
    }()

    /// Values and gradients as text on a page of unknown colour (the stepper in a terminal without
    /// `--theme`, light or dark): the forward and gradient hues at a relative luminance near 0.18, where
    /// text reaches 4.5:1 on white and on black alike (no colour reaches it on both white and #1E1E1E).
    public static let unknownPage = (forward: Color(hex: 0x00875F), gradient: Color(hex: 0xC25500))

    /// The scheme of this name.
    public static func named(_ name: Name) -> ColorScheme {
        switch name {
        case .light: return light
        case .dark: return dark
        case .print: return print
        }
    }

    /// The i-th series colour, cycling.
    public func seriesColor(_ index: Int) -> Color { series[index % series.count] }

    /// The i-th series' dash pattern, cycling, scaled to the line width.
    public func dash(_ index: Int, width: Double) -> [Double] {
        dashes[index % dashes.count].map { $0 * max(1, width) }
    }

    private func renamed(_ name: Name) -> ColorScheme {
        ColorScheme(name: name, foreground: foreground, background: background, muted: muted, grid: grid, forward: forward,
                    gradient: gradient, highlight: highlight, right: right, wrong: wrong, series: series, variableFill: variableFill,
                    operatorFill: operatorFill, contourLow: contourLow, contourHigh: contourHigh, contourLabel: contourLabel,
                    scaleNegative: scaleNegative, scalePositive: scalePositive, scaleMiddle: scaleMiddle, scaleMissing: scaleMissing,
                    dashes: dashes, negativeDash: negativeDash)
    }
}
