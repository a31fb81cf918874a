import Foundation
import Numbers

/// What a lecturer and a student would object to in a laid-out figure, found on its display list: text
/// outside the page, text too small where the figure is used, text under 4.5:1 contrast with the page
/// (WCAG 2.1), and a legend, label or colour bar over a mark of data (`DataMarks`). Tests run it on every
/// lesson figure in every size, colour scheme and aspect.
public enum FigureCheck {
    /// How a figure is seen: projected on a 1080p slide, or printed on a report page.
    public enum Use: Sendable {
        /// Fitted into a slide's frame in pixels (1920×1080 for 16:9, 1440×1080 for 4:3, 1080×1080 for a
        /// square slide); text must be at least `minimumPixels` high (about 24 px reads from the back row).
        case slide(minimumPixels: Double, frame: Size)
        /// Placed on an A4 report page at the scale the report gives it; text at least `minimumPoints`.
        case report(minimumPoints: Double)

        /// On a 16:9 slide.
        public static let projected = Use.slide(minimumPixels: FigureCheck.minimumSlidePixels, frame: FigureCheck.slidePixels)
        /// On a slide of the theme's aspect: a page wider than a square slide is shown smaller on it.
        public static func projected(on theme: Theme) -> Use {
            let height = FigureCheck.slidePixels.height
            return .slide(minimumPixels: FigureCheck.minimumSlidePixels, frame: Size(height * theme.pageSize.width / theme.pageSize.height, height))
        }
        public static let printed = Use.report(minimumPoints: ReportLayout.minimumTextSize)
    }

    /// The smallest text on a projected slide, in pixels of `slidePixels`: about 24 px reads from the back row.
    public static let minimumSlidePixels = 24.0
    /// The frame a slide is projected in.
    public static let slidePixels = Size(1920, 1080)

    /// Tags of paths that cover what lies under them (a legend's box, the white patch under a level label).
    public static let coveringPathTags = ["legend", "contour-label-patch", "colour-bar"]

    /// Text drawn on something of its own rather than on the page: a heatmap cell's number (black or white,
    /// whichever contrasts more with the cell).
    public static let textOnOwnFillTags = ["cell-text:"]

    /// Every problem found, as sentences naming the text or box at fault; empty when the figure is fit.
    public static func problems(_ page: DisplayList, use: Use, measurer: any TextMeasurer) -> [String] {
        var problems: [String] = []
        let pageRect = Rect(x: 0, y: 0, width: page.size.width, height: page.size.height)
        let (scale, minimum, unit): (Double, Double, String)
        switch use {
        case .slide(let pixels, let frame):
            scale = min(frame.width / page.size.width, frame.height / page.size.height)
            (minimum, unit) = (pixels, "px on a 1080p slide")
        case .report(let points):
            scale = ReportLayout(measurer: measurer).figureScale(page.size)
            (minimum, unit) = (points, "pt on the report page")
        }
        for run in page.texts {
            if !pageRect.insetBy(dx: -0.5, dy: -0.5).contains(run.bounds) {
                problems.append("\"\(run.text)\" (\(run.tag ?? "text")) leaves the \(Int(page.size.width))×\(Int(page.size.height)) page")
            }
            if let background = page.background, !textOnOwnFillTags.contains(where: { (run.tag ?? "").hasPrefix($0) }) {
                let ratio = run.color.contrastRatio(with: background)
                if ratio < 4.5 {
                    problems.append("\"\(run.text)\" (\(run.tag ?? "text")) has contrast \(NumberFormat.display(ratio)):1 with the page, under 4.5")
                }
            }
            let size = run.font.size * scale
            if size < minimum - 1e-9 {
                problems.append("\"\(run.text)\" (\(run.tag ?? "text")) is \(NumberFormat.display(size)) \(unit), under \(NumberFormat.display(minimum))")
            }
        }
        let marks = DataMarks(page.items)
        var covers: [(String, Rect)] = page.texts.compactMap { run in
            guard !DataMarks.ownTextPrefixes.contains(where: { (run.tag ?? "").hasPrefix($0) }) else { return nil }
            return ("\"\(run.text)\" (\(run.tag ?? "text"))", run.bounds)
        }
        for item in page.items {
            switch item {
            case .path(let shape) where coveringPathTags.contains(shape.tag ?? ""):
                covers.append((shape.tag ?? "", shape.bounds))
            case .raster(let image) where coveringPathTags.contains(image.tag ?? ""):
                covers.append((image.tag ?? "", image.frame))
            default: continue
            }
        }
        for (name, box) in covers {
            // A label may touch its own edge's line at a corner; a hair's inset keeps touching apart from covering.
            let covered = Set(marks.covered(by: box.insetBy(dx: 0.25, dy: 0.25)))
            if !covered.isEmpty { problems.append("\(name) covers \(covered.sorted().joined(separator: ", "))") }
        }
        return problems
    }
}
