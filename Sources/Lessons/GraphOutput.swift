import Foundation
import Render
import Sim

/// The files `nnsim graph --out DIR` writes (names documented in docs/output-files.md):
/// `graph.png|svg|pdf` (the annotated graph, slide size), `report.pdf` (title page, forward and backward
/// tables, gradients, the figure) and with frames `frames/NN-forward-NODE.EXT` and
/// `frames/NN-backward-NODE-from-CONSUMER.EXT`, one per forward step and per backward message.
public struct GraphOutput {
    public let run: ExpressionRun
    public let formats: [OutputFormat]
    public let frames: Bool
    let measurer = CairoTextMeasurer()

    public init(run: ExpressionRun, formats: [OutputFormat], frames: Bool) {
        self.run = run
        self.formats = formats
        self.frames = frames
    }

    var output: NodeID { run.gradients.output }
    var title: String { run.program.source.replacingOccurrences(of: "\n", with: "; ") }

    /// Writes every file into `folder` (created if needed) and returns their paths. Nothing is left
    /// half-written: each file is replaced atomically, and all are rendered before the first is written.
    public func write(to folder: String) throws -> [String] {
        var files: [(String, [UInt8])] = []
        let figure = GraphFigureBuilder.figure(of: run.graph, gradients: run.gradients, output: output, title: title)
        let page = try figure.layout(theme: .slides, measurer: measurer)
        for format in formats { files.append(("graph.\(format.fileExtension)", try CairoRenderer.render(page, as: format))) }
        if formats.contains(.pdf) {
            let paperFigure = try figure.layout(theme: .paper, measurer: measurer)
            let pages = ReportLayout(measurer: measurer).pages(report(figure: paperFigure))
            files.append(("report.pdf", try CairoRenderer.render(document: pages)))
        }
        if frames {
            for (name, frame) in try frameFigures() {
                let framePage = try frame.layout(theme: .slides, measurer: measurer)
                for format in formats {
                    files.append(("frames/\(name).\(format.fileExtension)", try CairoRenderer.render(framePage, as: format)))
                }
            }
        }
        return try AtomicFile.write(files, into: folder)
    }

    /// The report: the derivation as tables, then the figure.
    func report(figure: DisplayList) -> Report {
        let w = run.walkthrough
        var metadata = run.values.map { (key: $0.name, value: NumberFormat.display($0.value)) }
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

    /// One figure per forward step (values appear node by node) and per backward message (gradients
    /// appear edge by edge), each highlighting what the step computes.
    func frameFigures() throws -> [(String, ComputationalGraphFigure)] {
        let graph = run.graph, gradients = run.gradients
        var result: [(String, ComputationalGraphFigure)] = []
        let operations = graph.nodes.prefix(output.index + 1).filter { $0.operation != nil }
        for (k, node) in operations.enumerated() {
            let figure = GraphFigureBuilder.figure(of: graph, gradients: nil, output: output, title: "Forward: \(node.name)",
                                                   highlight: .node(node.name),
                                                   showsValue: { id in graph[id].operation == nil || id <= node.id })
            result.append((String(format: "%02d-forward-%@", k + 1, node.name), figure))
        }
        // Backward: edges in the order the pass sent their messages.
        var sent: [(NodeID, Int)] = [(output, -1)]
        var figureIndex: [String: Int] = [:]
        var index = 0
        for node in graph.nodes.prefix(output.index + 1) where node.operation != nil {
            for i in node.inputs.indices { figureIndex["\(node.id.index):\(i)"] = index; index += 1 }
        }
        var step = operations.count
        for id in gradients.order {
            let node = graph[id]
            for (i, input) in node.inputs.enumerated() {
                sent.append((id, i))
                step += 1
                let shown = sent
                let figure = GraphFigureBuilder.figure(
                    of: graph, gradients: gradients, output: output, title: "Backward: ∂\(graph[output].name)/∂\(graph[input].name) via \(node.name)",
                    highlight: .edge(from: graph[input].name, to: node.name, index: figureIndex["\(id.index):\(i)"] ?? 0),
                    showsGradient: { c, j in shown.contains { $0.0 == c && $0.1 == j } })
                result.append((String(format: "%02d-backward-%@-from-%@", step, graph[input].name, node.name), figure))
            }
        }
        return result
    }
}
