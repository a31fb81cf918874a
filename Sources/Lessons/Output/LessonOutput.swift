import Foundation
import Render
import Sim

/// Writes a lesson's files into `DIR/NAME/` (docs/output-files.md): `report.pdf` when PDF is among the
/// formats, every figure as `FIGURE.EXT` in each format, frames under `frames/`, and the trace where asked.
/// Everything is rendered before the first file is written, and each file is replaced atomically, so a
/// failed run leaves the previous good files in place.
public struct LessonOutput {
    public let result: LessonResult
    public let formats: [OutputFormat]
    let measurer = CairoTextMeasurer()

    public init(result: LessonResult, formats: [OutputFormat]) {
        self.result = result
        self.formats = formats
    }

    /// The files, rendered: (relative path, bytes).
    public func render() throws(LessonError) -> [(String, [UInt8])] {
        var files: [(String, [UInt8])] = []
        do {
            if formats.contains(.pdf) {
                let pages = ReportLayout(measurer: measurer).pages(result.report)
                files.append(("report.pdf", try CairoRenderer.render(document: pages)))
            }
            for figure in result.figures + result.frames {
                let page = try figure.figure.layout(theme: .slides, measurer: measurer)
                for format in formats {
                    files.append(("\(figure.name).\(format.fileExtension)", try CairoRenderer.render(page, as: format)))
                }
            }
        } catch {
            throw LessonError("could not draw the report: \(error)")
        }
        return files
    }

    /// Removes figures an earlier run left in the lesson's folder that this run did not write (fewer
    /// perceptron updates, no frames), so the folder always shows one run. Only PNG, SVG and PDF files in
    /// the folder and its `frames/` are touched.
    static func removeStale(in folder: String, keeping written: Set<String>) {
        let fm = FileManager.default
        for sub in ["", "/frames"] {
            let dir = folder + sub
            for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] where ["png", "svg", "pdf"].contains((name as NSString).pathExtension) {
                let path = dir + "/" + name
                if !written.contains(path) { try? fm.removeItem(atPath: path) }
            }
        }
    }

    /// Writes rendered files into `folder`; returns the paths written.
    public static func write(_ files: [(String, [UInt8])], to folder: String) throws(LessonError) -> [String] {
        var written: [String] = []
        do {
            for (name, bytes) in files {
                let path = folder + "/" + name
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try AtomicFile.write(bytes, to: path)
                written.append(path)
            }
        } catch {
            throw LessonError("could not write the output: \(error)", file: folder)
        }
        removeStale(in: folder, keeping: Set(written))
        return written
    }
}
