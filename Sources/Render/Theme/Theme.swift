/// Fonts, sizes and colours shared by every figure, so all of nnsim's figures look alike.
///
/// The palette is Okabe and Ito's colour-blind-safe set. Forward values are always bluish green and
/// gradients always vermillion (the green/red of CS231n's graphs, told apart by colour-blind readers too).
public struct Theme: Sendable, Hashable {
    /// The one font family, installed by the set-up (fonts-dejavu-core): it has Greek, ∂, −, · and ².
    public var fontFamily: String
    /// Default page size for a figure.
    public var pageSize: Size
    /// Font sizes in points.
    public var titleSize: Double
    public var labelSize: Double
    public var smallSize: Double
    /// Line width for edges, axes and series.
    public var lineWidth: Double
    /// Margin around a figure's content.
    public var margin: Double

    public var foreground = Color(hex: 0x000000)
    public var background = Color.white
    public var muted = Color(hex: 0x6E6E6E)
    public var grid = Color(hex: 0xE3E3E3)
    /// Forward values.
    public var forward = Color(hex: 0x009E73)
    /// Gradients flowing back.
    public var gradient = Color(hex: 0xD55E00)
    /// Highlight of the current node or edge in step-by-step frames.
    public var highlight = Color(hex: 0xF0E442)
    /// A student's right and wrong answers in feedback (Okabe–Ito blue and vermillion: told apart with
    /// any colour vision; the marks also say ✓ and ✗).
    public var right = Color(hex: 0x0072B2)
    public var wrong = Color(hex: 0xD55E00)
    /// Series colours, in order (Okabe–Ito without the highlight yellow; black last, for a seventh series).
    public var series: [Color] = [0x0072B2, 0xE69F00, 0x009E73, 0xD55E00, 0xCC79A7, 0x56B4E9, 0x000000]
        .map { Color(hex: $0) }
    /// Fill of variable nodes (squares) and operator nodes (circles).
    public var variableFill = Color(hex: 0xEAF2FB)
    public var operatorFill = Color(hex: 0xFFF4E0)

    public init(fontFamily: String, pageSize: Size, titleSize: Double, labelSize: Double, smallSize: Double,
                lineWidth: Double, margin: Double) {
        self.fontFamily = fontFamily
        self.pageSize = pageSize
        self.titleSize = titleSize
        self.labelSize = labelSize
        self.smallSize = smallSize
        self.lineWidth = lineWidth
        self.margin = margin
    }

    /// 16:9 slides: large type readable from the back of a lecture hall.
    public static let slides = Theme(fontFamily: "DejaVu Sans", pageSize: Size(960, 540), titleSize: 26,
                                     labelSize: 18, smallSize: 14, lineWidth: 2, margin: 36)
    /// Paper (A4 handouts and reports): figures about a text column wide.
    public static let paper = Theme(fontFamily: "DejaVu Sans", pageSize: Size(480, 320), titleSize: 13,
                                    labelSize: 10, smallSize: 8, lineWidth: 1, margin: 18)

    public func font(_ size: Double, bold: Bool = false, italic: Bool = false) -> FontStyle {
        FontStyle(family: fontFamily, size: size, bold: bold, italic: italic)
    }

    /// The i-th series colour, cycling.
    public func seriesColor(_ index: Int) -> Color { series[index % series.count] }
}
