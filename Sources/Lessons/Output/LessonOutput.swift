import Foundation
import Render
import Sim

/// A lesson's files for `DIR/NAME/` (docs/output-files.md): `report.pdf` when PDF is among the formats,
/// every figure as `FIGURE.EXT` in each format, frames under `frames/` with all of them as the pages of
/// `frames/slides.pdf`, ready to present, and with html the viewer page `viewer.html` (docs/viewer.md,
/// from the run's trace, which must then record its steps). Drawn by Publication; the command writes
/// them with an OutputTransaction, which replaces the folder as a whole (docs/guarantees.md).
public struct LessonOutput {
    public let result: LessonResult
    public let formats: [OutputFormat]
    /// The viewer page's title (the run's: LessonContext.title).
    public let title: String?
    /// How the figures look; the report's figures were laid out by the run (LessonContext.figureStyle).
    public let style: FigureStyle

    public init(result: LessonResult, formats: [OutputFormat], title: String? = nil, style: FigureStyle = .standard) {
        self.result = result
        self.formats = formats
        self.title = title
        self.style = style
    }

    /// What the lesson publishes in these formats.
    public var publication: Publication {
        var publication = Publication()
        publication.style = style
        if formats.contains(.pdf) {
            publication.reports = [("report.pdf", result.report)]
            publication.slides = "frames/slides.pdf"
        }
        publication.figures = result.figures
        publication.frames = result.frames
        publication.animations = result.animations
        if formats.contains(.html) { publication.viewer = ("viewer.html", result.trace, title) }
        return publication
    }

    /// The files, drawn: (relative path, bytes).
    public func render() throws(LessonError) -> [(String, [UInt8])] {
        try publication.render(figureFormats: formats).map { ($0.name, $0.bytes) }
    }
}
