import Render

/// The derivation of a graph as report tables: forward steps, backward messages, input gradients.
extension GraphWalkthrough {
    public var forwardTable: Report.Table {
        Report.Table(header: ["step", "node", "formula", "with numbers", "value"], rows: forward.enumerated().map { i, s in
            ["\(i + 1)", s.node, s.formula, s.substituted, GraphWalkthrough.brief(s.value) + (s.shapes.map { " \($0)" } ?? "")]
        })
    }

    public var backwardTable: Report.Table {
        Report.Table(header: ["step", "backward (upstream · local = message)"], rows: backward.enumerated().map { i, s in
            ["\(i + 1)", s.text]
        })
    }

    public var gradientTable: Report.Table {
        Report.Table(header: ["input", "value", "gradient"], rows: zip(inputs, gradients).map { input, g in
            [input.name, GraphWalkthrough.brief(input.value) + GraphWalkthrough.shapeNote(input.value),
             GraphWalkthrough.brief(g.value) + note(for: g.name)]
        })
    }

    /// The paragraph that explains the backward pass, for any graph.
    public var backwardExplanation: String {
        "Starting from ∂\(output)/∂\(output) = 1, every node multiplies the gradient arriving from above (upstream) by its local derivative and sends the product (the message) to each input; where a node is used more than once, its messages add up (the sum rule of the chain rule)."
    }
}
