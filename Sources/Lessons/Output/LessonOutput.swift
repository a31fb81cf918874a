import Foundation
import Render
import Sim

/// Renders a lesson's files for `DIR/NAME/` (docs/output-files.md): `report.pdf` when PDF is among the
/// formats, every figure as `FIGURE.EXT` in each format, frames under `frames/` with all of them as the
/// pages of `frames/slides.pdf`, ready to present, and with html the viewer page `viewer.html`
/// (docs/viewer.md, from the run's trace, which must then record its steps). The command writes them
/// with an OutputTransaction, which replaces the folder as a whole (docs/guarantees.md).
public struct LessonOutput {
    public let result: LessonResult
    public let formats: [OutputFormat]
    /// The viewer page's title (the run's: LessonContext.title).
    public let title: String?

    public init(result: LessonResult, formats: [OutputFormat], title: String? = nil) {
        self.result = result
        self.formats = formats
        self.title = title
    }

    /// The files, rendered: (relative path, bytes). Figures are independent, so they are drawn on all cores.
    public func render() throws(LessonError) -> [(String, [UInt8])] {
        let figures = result.figures + result.frames
        let formats = self.formats.filter(\.isFigureFormat)
        let results = RenderResults(count: figures.count + 3)
        let report = result.report, frames = result.frames
        let (html, trace, title) = (self.formats.contains(.html), result.trace, self.title)
        DispatchQueue.concurrentPerform(iterations: figures.count + 3) { index in
            let measurer = CairoTextMeasurer()
            do {
                if index == figures.count + 1 {
                    guard html else { return }
                    let page = try ViewerPage(model: try ViewerModel(trace: trace, title: title)).html()
                    results.set(index, .success([("viewer.html", page)]))
                } else if index == figures.count {
                    guard formats.contains(.pdf) else { return }
                    let pages = ReportLayout(measurer: measurer).pages(report)
                    results.set(index, .success([("report.pdf", try CairoRenderer.render(document: pages))]))
                } else if index == figures.count + 2 {
                    guard formats.contains(.pdf), !frames.isEmpty else { return }
                    let pages = try frames.map { try $0.figure.layout(theme: .slides, measurer: measurer) }
                    results.set(index, .success([("frames/slides.pdf", try CairoRenderer.render(document: pages))]))
                } else {
                    let figure = figures[index]
                    let page = try figure.figure.layout(theme: .slides, measurer: measurer)
                    var files: [(String, [UInt8])] = []
                    for format in formats { files.append(("\(figure.name).\(format.fileExtension)", try CairoRenderer.render(page, as: format))) }
                    results.set(index, .success(files))
                }
            } catch let error as LessonError {
                results.set(index, .failure(error))
            } catch {
                results.set(index, .failure(LessonError("could not draw the report: \(error)")))
            }
        }
        // The report first, then the figures in order, the viewer page and the slides, whatever order they
        // were drawn in.
        var files: [(String, [UInt8])] = []
        for index in [figures.count] + Array(figures.indices) + [figures.count + 1, figures.count + 2] {
            switch results.get(index) {
            case .success(let rendered): files += rendered
            case .failure(let error): throw error
            case nil: continue
            }
        }
        return files
    }
}

/// The outcome of each concurrent rendering job, behind a lock.
final class RenderResults: @unchecked Sendable {
    private var results: [Result<[(String, [UInt8])], LessonError>?]
    private let lock = NSLock()

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<[(String, [UInt8])], LessonError>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    func get(_ index: Int) -> Result<[(String, [UInt8])], LessonError>? {
        lock.lock()
        defer { lock.unlock() }
        return results[index]
    }
}
