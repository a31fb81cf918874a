import Foundation
import Render
import Sim

/// The files `nnsim graph --out DIR` writes (names documented in docs/output-files.md):
/// `graph.png|svg|pdf` (the annotated graph, slide size), `report.pdf` (title page, forward and backward
/// tables, gradients, the figure) and with frames `frames/NN-forward-NODE.EXT` and
/// `frames/NN-backward-NODE-from-CONSUMER.EXT`, one per forward step and per backward message, and
/// `frames/slides.pdf` with all of them as pages; with html the viewer page `viewer.html` (docs/viewer.md).
public struct GraphOutput {
    public let run: ExpressionRun
    public let formats: [OutputFormat]
    public let frames: Bool
    /// How the figures look (the report's: FigureStyle.paper).
    public let style: FigureStyle
    let measurer = CairoTextMeasurer()

    public init(run: ExpressionRun, formats: [OutputFormat], frames: Bool, style: FigureStyle = .standard) {
        self.run = run
        self.formats = formats
        self.frames = frames
        self.style = style
    }

    var output: NodeID { run.gradients.output }
    var title: String { run.program.source.replacingOccurrences(of: "\n", with: "; ") }

    /// Every file, drawn by Publication: (path relative to the folder, bytes). The command writes them
    /// with an OutputTransaction, which replaces the folder as a whole (docs/guarantees.md).
    public func files() throws -> [(name: String, bytes: [UInt8])] {
        if let problem = GraphFigureBuilder.sizeProblem(of: run.graph, output: output, frames: frames) {
            throw LessonError("\(problem): leave out --out\(frames ? " or --frames" : "") (the derivation and --trace work at any size)")
        }
        let figure = GraphFigureBuilder.figure(of: run.graph, gradients: run.gradients, output: output, title: title)
        var publication = Publication()
        publication.style = style
        publication.figures = [LessonFigure("graph", figure)]
        if formats.contains(.pdf) {
            publication.reports = [("report.pdf", report(figure: try figure.layout(theme: style.paper, measurer: measurer)))]
            publication.slides = "frames/slides.pdf"
        }
        if frames {
            publication.frames = GraphFigureBuilder.frames(of: run.graph, gradients: run.gradients).map { LessonFigure("frames/\($0.0)", $0.1) }
        }
        if formats.contains(.html) {
            publication.viewer = ("viewer.html", run.trace, "Computational graph of \(run.walkthrough.output)")
        }
        return try publication.render(figureFormats: formats)
    }

    /// The report: the derivation as tables, then the figure.
    func report(figure: DisplayList) -> Report {
        let w = run.walkthrough
        var metadata = run.values.map { (key: $0.name, value: GraphWalkthrough.brief($0.value)) }
        metadata.append((key: "output", value: w.output))
        metadata.append((key: "nnsim version", value: NNSimVersion.current))
        metadata.append((key: "seed", value: "none (no random numbers)"))
        return Report(title: "Computational graph of \(w.output)", subtitle: title, metadata: metadata, blocks: [
            .heading("Forward pass"),
            .paragraph("Each node computes its value from its inputs, in the order the graph was built (note 000: computational graphs)."),
            .table(w.forwardTable),
            .heading("Backward pass"),
            .paragraph(w.backwardExplanation),
            .table(w.backwardTable),
            .heading("Gradients of \(w.output)"),
            .table(w.gradientTable),
            .figure(figure, caption: "The graph with forward values above each edge and the gradients flowing back below it."),
        ])
    }
}
