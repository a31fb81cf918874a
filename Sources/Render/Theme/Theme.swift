/// Fonts and sizes shared by every figure, so all of nnsim's figures look alike, with the colours of one
/// scheme (ColorScheme: light, dark or print) and whether the page is left transparent.
///
/// Forward values are always bluish green and gradients always vermillion (the green/red of CS231n's
/// graphs, told apart by colour-blind readers too), in every scheme.
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
    /// The colours.
    public var colors: ColorScheme = .light
    /// Whether the figure is projected on a slide (read at its page's size, whatever the aspect) rather
    /// than printed in a report's column: a slide's text must read from the back row, so a figure may show
    /// less on it (a tensor graph names a large matrix by its shape instead of writing out its entries).
    /// A slide's page is the projector's frame, shown whole, so a figure fits into it rather than making it
    /// taller (a taller page would be shown smaller, and its text with it); a paper figure's page may grow.
    public var isSlide = false
    /// No background is painted: a PNG's pixels outside the drawing have alpha 0, an SVG or PDF has no
    /// background rectangle (for pasting onto a slide of any colour).
    public var transparent = false

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
    public static let slides: Theme = {
        var theme = Theme(fontFamily: "DejaVu Sans", pageSize: Size(960, 540), titleSize: 26, labelSize: 18, smallSize: 14, lineWidth: 2, margin: 36)
        theme.isSlide = true
        return theme
    }()
    /// Paper (A4 handouts and reports): figures about a text column wide.
    public static let paper = Theme(fontFamily: "DejaVu Sans", pageSize: Size(480, 320), titleSize: 13,
                                    labelSize: 10, smallSize: 8, lineWidth: 1, margin: 18)

    /// The same sizes in another scheme's colours.
    public func with(_ scheme: ColorScheme) -> Theme {
        var theme = self
        theme.colors = scheme
        return theme
    }

    /// The same theme on a page of another aspect, as high as before.
    public func with(_ aspect: Aspect) -> Theme {
        var theme = self
        theme.pageSize = aspect.pageSize(height: pageSize.height)
        return theme
    }

    /// What a figure's page is painted with first: the background, or nothing when transparent.
    public var pageBackground: Color? { transparent ? nil : colors.background }

    public func font(_ size: Double, bold: Bool = false, italic: Bool = false) -> FontStyle {
        FontStyle(family: fontFamily, size: size, bold: bold, italic: italic)
    }

    /// The bold title font, made smaller where the text would be wider than `width` (a long title on a 4:3
    /// or square page), but never under the small size.
    public func titleFont(_ text: String, within width: Double, measurer: any TextMeasurer) -> FontStyle {
        let full = font(titleSize, bold: true)
        let measured = measurer.measure(text, font: full).width
        guard measured > width, width > 0 else { return full }
        return font(max(smallSize, (titleSize * width / measured * 100).rounded(.down) / 100), bold: true)
    }

    public var foreground: Color { colors.foreground }
    public var background: Color { colors.background }
    public var muted: Color { colors.muted }
    public var grid: Color { colors.grid }
    public var forward: Color { colors.forward }
    public var gradient: Color { colors.gradient }
    public var highlight: Color { colors.highlight }
    public var right: Color { colors.right }
    public var wrong: Color { colors.wrong }
    public var series: [Color] { colors.series }
    public var variableFill: Color { colors.variableFill }
    public var operatorFill: Color { colors.operatorFill }

    /// The i-th series colour, cycling.
    public func seriesColor(_ index: Int) -> Color { colors.seriesColor(index) }
    /// The i-th series' dash pattern, cycling, scaled to the line width.
    public func dash(_ index: Int) -> [Double] { colors.dash(index, width: lineWidth) }
}

/// How a command's figures look (`--theme`, `--aspect`, `--transparent`): the slide figures and frames
/// take all three; a report is read on paper, so its pages and figures are light (print with
/// `--theme print`), A4, never transparent.
public struct FigureStyle: Sendable, Hashable {
    public var scheme: ColorScheme.Name
    public var aspect: Aspect
    public var transparent: Bool

    public init(scheme: ColorScheme.Name = .light, aspect: Aspect = .wide, transparent: Bool = false) {
        self.scheme = scheme
        self.aspect = aspect
        self.transparent = transparent
    }

    public static let standard = FigureStyle()

    /// The theme of figures and frames (slide size).
    public var slides: Theme {
        var theme = Theme.slides.with(.named(scheme)).with(aspect)
        theme.transparent = transparent
        return theme
    }

    /// The scheme of reports: print for print, else light (a dark page wastes toner and reads worse on paper).
    public var reportScheme: ColorScheme { scheme == .print ? .print : .light }

    /// The theme of a report's figures.
    public var paper: Theme { Theme.paper.with(reportScheme) }
}
