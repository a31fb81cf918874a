import Foundation
import Render
import Sim

/// What a command publishes, and the one place it is drawn. A lesson (LessonOutput), `nnsim graph`
/// (GraphOutput) and the assignments (sheets, keys, feedback, the class report) each describe their
/// files as a Publication; `render` draws every figure, frame, report and viewer page and returns the
/// files in a fixed order for one OutputTransaction to write (docs/guarantees.md).
public struct Publication: Sendable {
    /// Figures at slide size, each written as `NAME.EXT` in every figure format (a name may hold a folder).
    public var figures: [LessonFigure] = []
    /// Frames of a step-through: written as figures are (`frames/NN-…`), and, with `slides`, all of them
    /// as the pages of one PDF of that name, ready to present.
    public var frames: [LessonFigure] = []
    public var slides: String?
    /// Multi-page reports, each as a PDF of its name (`report.pdf`, `alice-sheet.pdf`).
    public var reports: [(name: String, report: Report)] = []
    /// The viewer page of a trace (docs/viewer.md), under its name.
    public var viewer: (name: String, trace: Trace, title: String?)?
    /// Files already made: text, CSV, Markdown.
    public var files: [(name: String, bytes: [UInt8])] = []
    /// Sequences of figures also written as one animated PNG (`NAME.png`, AnimatedPNG) when PNG is among the
    /// formats, and as a video (`NAME.mp4`, VideoEncoder) when MP4 is: each a name and the names of its
    /// figures, in order. The frames are one by themselves (`frames/animation`).
    public var animations: [(name: String, figures: [String])] = []
    /// How the figures look (`--theme`, `--aspect`, `--transparent`): figures, frames and slides take it all,
    /// reports only its report scheme (FigureStyle.paper).
    public var style = FigureStyle.standard

    public init() {}

    /// Refuses, before anything is computed, formats this machine cannot write (mp4 without ffmpeg).
    public static func check(_ formats: [OutputFormat]) throws(LessonError) {
        try VideoEncoder.check(formats)
    }

    /// Every file, drawn: the reports, the figures, the frames, the slides, the viewer page, then the
    /// files already made. `figureFormats` are the formats each figure and frame is written in.
    ///
    /// One file after another. Drawn on both cores at once, Cairo 1.16 (Debian 12's) aborted now and then
    /// in cairo_scaled_font_destroy (`! scaled_font->cache_frozen`) when two threads used fonts of one
    /// face: 2 batches of 1,000 feedback PDFs in about 20. Cairo is now used one thread at a time anyway
    /// (CairoLock).
    public func render(figureFormats: [OutputFormat]) throws(LessonError) -> [(name: String, bytes: [UInt8])] {
        let sequences = animations + (frames.count > 1 ? [("frames/animation", frames.map(\.name))] : [])
        let videos = figureFormats.contains(.mp4) && sequences.contains { $0.figures.count > 1 }
        let formats = figureFormats.filter(\.isFigureFormat)
        // A video is made from its frames' PNGs, so those are drawn for it even when PNG is not written.
        let stillsOnly = videos && !formats.contains(.png) ? Set(sequences.flatMap(\.figures)) : []
        let measurer = CairoTextMeasurer()
        var rendered: [(name: String, bytes: [UInt8])] = []
        do {
            for (name, report) in reports {
                rendered.append((name, try CairoRenderer.render(document: ReportLayout(theme: style.paper, measurer: measurer).pages(report))))
            }
            /// Lays a figure out once and writes it in every format; its page, for the slides. A PNG is
            /// encoded on the other core while Cairo draws on (the encoding needs no Cairo; it was about a
            /// seventh of the optimizers lesson); one at a time, so that at most two images are in memory.
            let theme = style.slides
            var encoding: (index: Int, png: Background<[UInt8], RenderError>)?
            func finishEncoding() throws {
                if let (index, png) = encoding { rendered[index].bytes = try png.value() }
                encoding = nil
            }
            /// One page in one format, as `name`.
            func write(_ page: DisplayList, _ name: String, as format: OutputFormat) throws {
                if format == .png {
                    let raster = try CairoRenderer.raster(page)
                    try finishEncoding()
                    rendered.append((name, []))
                    encoding = (rendered.count - 1, Background { () throws(RenderError) in try raster.png() })
                } else {
                    rendered.append((name, try CairoRenderer.render(page, as: format)))
                }
            }
            func draw(_ figure: LessonFigure, laidOut: DisplayList? = nil) throws -> DisplayList {
                let chosen = formats + (stillsOnly.contains(figure.name) ? [.png] : [])
                let laid = try laidOut ?? figure.figure.layout(theme: theme, measurer: measurer)
                let page = chosen.count > 1 ? CairoRenderer.thinned(laid) : laid
                for format in chosen { try write(page, "\(figure.name).\(format.fileExtension)", as: format) }
                return page
            }
            /// A figure shown over several slides (a wide graph, band by band): its pages as one PDF and as
            /// `NAME-1.png`, `NAME-2.png`, … in the other formats.
            func drawPages(_ figure: LessonFigure) throws {
                let laid = try figure.figure.pages(theme: theme, measurer: measurer)
                guard laid.count > 1 else { return _ = try draw(figure, laidOut: laid.first) }
                let pages = formats.count > 1 ? laid.map(CairoRenderer.thinned) : laid
                for format in formats {
                    if format == .pdf {
                        rendered.append(("\(figure.name).pdf", try CairoRenderer.render(document: pages)))
                    } else {
                        for (k, page) in pages.enumerated() { try write(page, "\(figure.name)-\(k + 1).\(format.fileExtension)", as: format) }
                    }
                }
            }
            for figure in figures { try drawPages(figure) }
            let framePages = try frames.map { try draw($0) }
            try finishEncoding()
            if let slides, !framePages.isEmpty { rendered.append((slides, try CairoRenderer.render(document: framePages))) }
            if let viewer {
                rendered.append((viewer.name, try ViewerPage(model: try ViewerModel(trace: viewer.trace, title: viewer.title), scheme: .named(style.scheme)).html()))
            }
        } catch let error as LessonError {
            throw error
        } catch {
            throw LessonError("could not draw the files: \(error)")
        }
        // The animations, from the PNGs just drawn (their image data moved over unchanged), and their videos.
        if formats.contains(.png) || videos {
            let pngs = Dictionary(rendered.filter { $0.name.hasSuffix(".png") }.map { ($0.name, $0.bytes) }, uniquingKeysWith: { a, _ in a })
            if !formats.contains(.png) { rendered.removeAll { $0.name.hasSuffix(".png") } }
            for (name, members) in sequences where members.count > 1 {
                let stills = members.compactMap { pngs["\($0).png"] }
                if formats.contains(.png) {
                    do {
                        rendered.append(("\(name).png", try AnimatedPNG.assemble(stills)))
                    } catch {
                        throw LessonError("could not put \(name).png together: \(error)")
                    }
                }
                if videos { rendered.append(("\(name).mp4", try VideoEncoder.encode(stills, name: "\(name).mp4", background: style.slides.background))) }
            }
        }
        return rendered + files
    }
}
