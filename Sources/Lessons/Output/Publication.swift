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
    /// formats: each a name and the names of its figures, in order. The frames are one by themselves
    /// (`frames/animation.png`).
    public var animations: [(name: String, figures: [String])] = []

    public init() {}

    /// One drawing job and what it gives.
    private enum Job: Sendable {
        case report(Int), figure(Int), frame(Int), slides, viewer
    }

    /// Every file, drawn: the reports, the figures, the frames, the slides, the viewer page, then the
    /// files already made. `figureFormats` are the formats each figure and frame is written in.
    public func render(figureFormats: [OutputFormat]) throws(LessonError) -> [(name: String, bytes: [UInt8])] {
        let formats = figureFormats.filter(\.isFigureFormat)
        let jobs = reports.indices.map(Job.report) + figures.indices.map(Job.figure) + frames.indices.map(Job.frame)
            + (slides != nil && !frames.isEmpty ? [.slides] : []) + (viewer != nil ? [.viewer] : [])
        // One job after another. Drawn on both cores at once, Cairo 1.16 (Debian 12's) aborts now and then
        // in cairo_scaled_font_destroy (`! scaled_font->cache_frozen`) when two threads use fonts of one
        // face: reproduced by 1,000 feedback PDFs after 4 batches out of 5. A lock around every Cairo call
        // would serialize the same work, so the files are drawn in turn.
        var drawn = [Result<[(name: String, bytes: [UInt8])], LessonError>?](repeating: nil, count: jobs.count)
        let measurer = CairoTextMeasurer()
        for index in jobs.indices {
            func figure(_ figure: LessonFigure) throws -> [(name: String, bytes: [UInt8])] {
                let page = try figure.figure.layout(theme: .slides, measurer: measurer)
                return try formats.map { ("\(figure.name).\($0.fileExtension)", try CairoRenderer.render(page, as: $0)) }
            }
            let result: Result<[(name: String, bytes: [UInt8])], LessonError>
            do {
                switch jobs[index] {
                case .report(let i):
                    let pages = ReportLayout(measurer: measurer).pages(reports[i].report)
                    result = .success([(reports[i].name, try CairoRenderer.render(document: pages))])
                case .figure(let i): result = .success(try figure(figures[i]))
                case .frame(let i): result = .success(try figure(frames[i]))
                case .slides:
                    let pages = try frames.map { try $0.figure.layout(theme: .slides, measurer: measurer) }
                    result = .success([(slides ?? "slides.pdf", try CairoRenderer.render(document: pages))])
                case .viewer:
                    guard let viewer else { continue }
                    result = .success([(viewer.name, try ViewerPage(model: try ViewerModel(trace: viewer.trace, title: viewer.title)).html())])
                }
            } catch let error as LessonError {
                result = .failure(error)
            } catch {
                result = .failure(LessonError("could not draw the files: \(error)"))
            }
            drawn[index] = result
        }
        var rendered: [(name: String, bytes: [UInt8])] = []
        for case let result? in drawn { rendered += try result.get() }
        // The animations, from the PNGs just drawn (their image data moved over unchanged).
        if formats.contains(.png) {
            let pngs = Dictionary(rendered.filter { $0.name.hasSuffix(".png") }.map { ($0.name, $0.bytes) }, uniquingKeysWith: { a, _ in a })
            let sequences = animations + (frames.count > 1 ? [("frames/animation", frames.map(\.name))] : [])
            for (name, members) in sequences where members.count > 1 {
                do {
                    rendered.append(("\(name).png", try AnimatedPNG.assemble(members.compactMap { pngs["\($0).png"] })))
                } catch {
                    throw LessonError("could not put \(name).png together: \(error)")
                }
            }
        }
        return rendered + files
    }
}
