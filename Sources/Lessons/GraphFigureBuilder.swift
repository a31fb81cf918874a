import Foundation
import Render
import Sim

/// Turns a recorded graph into the annotated computational-graph figure: inputs as squares, operations
/// as circles with their symbol and the result's name under them, a final square for the output, and on
/// every edge the forward value (above) and the gradient sent back (below), formatted by NumberFormat.
public enum GraphFigureBuilder {
    /// The most nodes a graph may have for frames: every frame is a figure of the whole graph, and there
    /// is one per forward step and per backward message, so frames cost the square of the nodes.
    public static let maxFrameNodes = 40

    /// Why the figure of `graph` up to `output` (and its frames, when asked) cannot be drawn, or nil: the
    /// figure is over `ComputationalGraphFigure.maxNodes` or `maxBends` or, for frames, `maxFrameNodes`.
    /// Checked before anything is laid out; the derivation and the trace work at any size.
    public static func sizeProblem(of graph: Graph, output: NodeID, frames: Bool) -> String? {
        let figure = figure(of: graph, gradients: nil, output: output)
        do {
            try figure.checkSize()
        } catch {
            return "\(error)"
        }
        if frames && figure.nodes.count > maxFrameNodes {
            return "the graph has \(figure.nodes.count) nodes; frames are drawn for at most \(maxFrameNodes)"
        }
        return nil
    }

    /// The figure of `graph`, with gradients from `gradients` when given. For step-by-step frames,
    /// `highlight` marks one node or edge, `showsValue` says which nodes' values are known yet and
    /// `showsGradient` which edges (consumer, input index) have sent their message yet: the others are
    /// laid out but not drawn, so every frame of a sequence has one canvas and one placement.
    ///
    /// A tensor leaf shows its shape and, when small, its entries as a table in its box (its edge then
    /// carries no copy of them); a parameter's gradient is a table under it, named on its edge
    /// (`← ∂L/∂W1`). In a graph with parameters, the gradients of data and targets (X, Y) are left out
    /// unless `dataGradients`: training does not use them.
    ///
    /// With `resultsAsVariables` every operation's result is a square of its own after its circle, as d2l
    /// draws (Fig. 5.3.1: squares for all variables, circles only for operators), holding its value and,
    /// under it, its gradient as a table when small; the output is then its own last square.
    public static func figure(of graph: Graph, gradients: Gradients?, output: NodeID, title: String? = nil,
                              highlight: ComputationalGraphFigure.Highlight? = nil, formula: String? = nil,
                              dataGradients: Bool = false, resultsAsVariables: Bool = false,
                              showsValue: (NodeID) -> Bool = { _ in true },
                              showsGradient: (NodeID, Int) -> Bool = { _, _ in true }) -> ComputationalGraphFigure {
        var nodes: [ComputationalGraphFigure.Node] = []
        var edges: [ComputationalGraphFigure.Edge] = []
        let used = Set(graph.nodes.prefix(output.index + 1).flatMap(\.inputs)).union([output])
        let hasParameters = graph.nodes.contains { $0.kind == .parameter }
        let loss = graph[output].name
        /// Whose gradient is a table under its box: parameters, or in a graph without any (`nnsim graph`)
        /// the inputs, whose gradients are what the graph is drawn for.
        func tablesGradient(_ node: Node) -> Bool { node.kind == .parameter || (!hasParameters && node.kind == .input) }
        var uses = [Int](repeating: 0, count: output.index + 1)
        for node in graph.nodes.prefix(output.index + 1) where used.contains(node.id) { for input in node.inputs { uses[input.index] += 1 } }
        /// Whether a leaf's entries fit in its box as a table (at most 16, at most 4 columns).
        func isSmall(_ value: Tensor) -> Bool { value.rank > 0 && value.count <= 16 && (value.shape.last ?? 0) <= 4 }
        for node in graph.nodes.prefix(output.index + 1) where used.contains(node.id) {
            if let operation = node.operation {
                // The output's name is on its final square, so its circle needs no caption.
                let circle = resultsAsVariables ? "op:" + node.name : node.name
                nodes.append(.init(id: circle, kind: .operator, label: operation.symbol,
                                   caption: node.id == output || resultsAsVariables ? nil : node.name))
                if resultsAsVariables {
                    let small = isSmall(node.value)
                    let g = gradients?[node.id]
                    let gradientTable = small && node.value.count > 1 ? g.map { $0.rows.map { $0.map { NumberFormat.display($0) } } } : nil
                    nodes.append(.init(id: node.name, kind: .variable, label: node.name, shape: node.value.rank > 0 ? node.value.shapeDescription : nil,
                                       matrix: small ? node.value.rows.map { $0.map { NumberFormat.display($0) } } : nil,
                                       gradientName: gradientTable == nil ? nil : "∂\(loss)/∂\(node.name)", gradientMatrix: gradientTable))
                    edges.append(.init(from: circle, to: node.name, value: small ? nil : text(node.value),
                                       gradient: gradientTable != nil ? "∂\(loss)/∂\(node.name)" : g.map(text),
                                       gradientName: node.value.count > 1 ? "∂\(loss)/∂\(node.name)" : nil,
                                       showsValue: showsValue(node.id), showsGradient: showsGradient(node.id, -1)))
                }
                for (i, input) in node.inputs.enumerated() {
                    let source = graph[input]
                    let isData = hasParameters && source.kind == .input && !dataGradients
                    let tabled = (source.operation == nil || resultsAsVariables) && source.kind != .constant && isSmall(source.value)
                    var message = isData ? nil : (gradients?.edge(from: node.id, input: i)).map { text($0.message) }
                    // A parameter's tensor gradient is the table under it; the edge names it, or, where the
                    // parameter has several uses, names its part (the table is the sum of the parts). An
                    // input of `nnsim graph` used several times keeps its share written out on each edge.
                    if tablesGradient(source), tabled, message != nil, source.value.count > 1 {
                        if uses[input.index] == 1 {
                            message = "∂\(loss)/∂\(source.name)"
                        } else if source.kind == .parameter {
                            message = "∂\(loss)/∂\(source.name) via \(node.name)"
                        }
                    }
                    // On a slide a tensor's message is named (its source's only use: the source's gradient).
                    let name = source.value.count > 1 ? "∂\(loss)/∂\(source.name)" + (uses[input.index] > 1 ? " via \(node.name)" : "") : nil
                    edges.append(.init(from: source.name, to: circle, value: tabled ? nil : text(source.value), gradient: message,
                                       gradientName: name, showsValue: showsValue(input), showsGradient: showsGradient(node.id, i)))
                }
            } else {
                let label = node.kind == .constant ? text(node.value) : node.name
                let small = isSmall(node.value)
                var gradientTable: [[String]]?
                if tablesGradient(node), small, node.value.count > 1, let g = gradients?[node.id] {
                    gradientTable = g.rows.map { $0.map { NumberFormat.display($0) } }
                }
                var figureNode = ComputationalGraphFigure.Node(id: node.name, kind: .variable, label: label,
                                   shape: node.value.rank > 0 ? node.value.shapeDescription : nil,
                                   matrix: small ? node.value.rows.map { $0.map { NumberFormat.display($0) } } : nil,
                                   gradientName: gradientTable == nil ? nil : "∂\(loss)/∂\(node.name)", gradientMatrix: gradientTable)
                if gradientTable != nil {
                    // Complete once every edge out of it has sent its message back.
                    figureNode.showsGradient = graph.nodes.prefix(output.index + 1).dropFirst(node.id.index + 1).allSatisfy { consumer in
                        consumer.inputs.indices.allSatisfy { consumer.inputs[$0] != node.id || showsGradient(consumer.id, $0) }
                    }
                }
                nodes.append(figureNode)
            }
        }
        // The output as a final square, so its value and ∂L/∂L = 1 have an edge to sit on.
        let result = graph[output]
        if result.operation != nil, !resultsAsVariables {
            let id = "\(result.name) "
            nodes.append(.init(id: id, kind: .variable, label: result.name))
            edges.append(.init(from: result.name, to: id, value: text(result.value),
                               gradient: gradients == nil ? nil : text(result.value.map { _ in 1 }),
                               showsValue: showsValue(output), showsGradient: showsGradient(output, -1)))
        }
        return ComputationalGraphFigure(nodes: nodes, edges: edges, title: title, highlight: highlight, formula: formula)
    }

    /// One figure per forward step (values appear node by node) and per backward message (gradients
    /// appear edge by edge), each highlighting what the step computes and writing it under the graph with
    /// its numbers (`d = 2·b = 2·1 = 2`, `∂L/∂b = ∂L/∂d · ∂d/∂b = −2 · 2 = −4`: upstream · local =
    /// message). Every frame is laid out with every label, so all share one page size and node placement.
    public static func frames(of graph: Graph, gradients: Gradients) -> [(String, ComputationalGraphFigure)] {
        let output = gradients.output
        let walkthrough = GraphWalkthrough(graph: graph, gradients: gradients)
        var result: [(String, ComputationalGraphFigure)] = []
        let operations = graph.nodes.prefix(output.index + 1).filter { $0.operation != nil }
        for (k, node) in operations.enumerated() {
            let step = walkthrough.forward.first { $0.node == node.name }
            let figure = GraphFigureBuilder.figure(of: graph, gradients: gradients, output: output, title: "Forward: \(node.name)",
                                                   highlight: .node(node.name), formula: step?.text,
                                                   showsValue: { id in graph[id].operation == nil || id <= node.id },
                                                   showsGradient: { _, _ in false })
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
                let derivation = walkthrough.backward.first { $0.kind == .edge && $0.node == graph[input].name && $0.consumer == node.name }
                let figure = GraphFigureBuilder.figure(
                    of: graph, gradients: gradients, output: output, title: "Backward: ∂\(graph[output].name)/∂\(graph[input].name) via \(node.name)",
                    highlight: .edge(from: graph[input].name, to: node.name, index: figureIndex["\(id.index):\(i)"] ?? 0),
                    formula: derivation?.text,
                    showsGradient: { c, j in shown.contains { $0.0 == c && $0.1 == j } })
                result.append((String(format: "%02d-backward-%@-from-%@", step, graph[input].name, node.name), figure))
            }
        }
        return result
    }

    /// A value on an edge: the number, a small tensor's entries, or a larger tensor's shape.
    static func text(_ value: Tensor) -> String {
        if let x = value.scalar, value.isScalar { return NumberFormat.display(x) }
        if value.count <= 4 { return GraphWalkthrough.show(value) }
        return value.shapeDescription
    }
}
