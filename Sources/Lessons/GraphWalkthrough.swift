import Sim

/// The step-by-step derivation of a graph's forward and backward pass, from recorded numbers only:
/// `d = 2·b = 2·1 = 2`, then `∂L/∂b = ∂L/∂d · ∂d/∂b = −2 · 2 = −4`. The terminal, reports and frames
/// all read it from here.
public struct GraphWalkthrough: Sendable {
    /// One forward step: a node computed from its inputs.
    public struct ForwardStep: Sendable {
        public let node: String
        /// The formula with names: `2·b`.
        public let formula: String
        /// The formula with the inputs' values: `2·1`.
        public let substituted: String
        public let value: Tensor
        /// The value as people read it.
        public let shown: String
        /// Where a vector or matrix is involved, the shapes in and out: `(shapes 2×2, 2 → 2)`.
        public var shapes: String? = nil
        public var text: String {
            "\(node) = \(formula) = \(substituted) = \(shown)" + (shapes.map { "   \($0)" } ?? "")
        }
    }

    /// One backward step: the seed ∂L/∂L = 1, a message along one edge, or the sum of a node's messages.
    public struct BackwardStep: Sendable {
        public enum Kind: Sendable { case seed, edge, sum }
        public let kind: Kind
        /// The node whose gradient this step gives (or contributes to).
        public let node: String
        /// For edges, the consumer the message comes from.
        public let consumer: String?
        public let value: Tensor
        public let text: String
        /// The local derivative written as mathematics (`σ′(z) = σ(z)(1 − σ(z))`, `hᵀ·∂L/∂z2`), for edges.
        public var rule: String? = nil
        /// For edges: the gradient arriving from above and the local derivative entry by entry (nil for a
        /// Jacobian described by its rule, such as a matrix product's).
        public var upstream: Tensor? = nil
        public var local: Tensor? = nil
        /// Whether the node is an input of kind `.input` in a graph that also has parameters: data or
        /// targets (X, Y), whose gradients a training lesson does not need.
        public var isData: Bool = false
    }

    public let output: String
    public let inputs: [(name: String, value: Tensor)]
    public let forward: [ForwardStep]
    public let backward: [BackwardStep]
    /// ∂output/∂input for every input (and parameter), in graph order: 0 for one the output does not
    /// depend on.
    public let gradients: [(name: String, value: Tensor)]
    /// The inputs the output does not depend on (no path leads from them to it).
    public let unreached: Set<String>

    public init(graph: Graph, gradients: Gradients) {
        let output = graph[gradients.output]
        self.output = output.name
        let nodes = graph.nodes
        let leaves = nodes.filter { $0.kind == .input || $0.kind == .parameter }
        inputs = leaves.map { ($0.name, $0.value) }

        // The forward steps are written on another core meanwhile (from the nodes, a value: the graph
        // itself stays on this thread): for a 10,000-node program the walkthrough was the longest part.
        let last = gradients.output
        let forwardSteps = Background { () throws(Never) in Self.forwardSteps(nodes, through: last) }

        // How many recorded edges feed each node (a node used more than once gets a sum-rule line), and
        // the messages that sum collects, in the order the backward pass sent them.
        var uses = [Int](repeating: 0, count: nodes.count)
        var arriving = [[Tensor]](repeating: [], count: nodes.count)
        for id in gradients.order {
            let node = nodes[id.index]
            for input in node.inputs { uses[input.index] += 1 }
            guard gradients[id] != nil else { continue }
            for (i, input) in node.inputs.enumerated() where nodes[input.index].kind != .constant {
                if let edge = gradients.edge(from: id, input: i) { arriving[input.index].append(edge.message) }
            }
        }
        let edges = EdgeSteps(nodes: nodes, gradients: gradients, uses: uses, arriving: arriving, loss: output.name,
                              hasParameters: nodes.contains { $0.kind == .parameter })

        // Each node's lines depend on the recorded numbers only, so a large graph's are written in two
        // halves, the second on another core (benchmarks/graph-vs-micrograd).
        let order = gradients.order
        let split = order.count >= Self.parallelThreshold ? order.count / 2 : order.count
        let later = split < order.count
            ? Background { () throws(Never) in edges.steps(for: order[split...]) } : nil
        let L = output.name
        var steps = [BackwardStep(kind: .seed, node: L, consumer: nil, value: output.value.map { _ in 1 },
                                  text: "∂\(L)/∂\(L) = 1")]
        steps += edges.steps(for: order[..<split])
        if let later { steps += later.value() }
        backward = steps
        forward = forwardSteps.value()
        self.gradients = gradients.ofLeaves(in: graph)
        unreached = Set(leaves.filter { gradients[$0.id] == nil }.map(\.name))
    }

    /// From this many backward nodes on, the edge messages are written on two cores (below it the other
    /// thread costs more than it saves).
    static let parallelThreshold = 2_000

    /// A node's backward lines, from the recorded numbers only: the sum of the messages it received where
    /// it is used more than once, then the message along each input edge (skipping constants):
    /// `∂L/∂b = ∂L/∂d · ∂d/∂b = −2 · 2 = −4`.
    struct EdgeSteps: Sendable {
        let nodes: [Node]
        let gradients: Gradients
        let uses: [Int]
        /// For each node, the messages its consumers sent it (for the sum of a node used more than once).
        let arriving: [[Tensor]]
        let loss: String
        let hasParameters: Bool

        /// The lines of each node in the order given: the sum over its uses, then its input edges.
        func steps(for order: ArraySlice<NodeID>) -> [BackwardStep] {
            // Every node's value is written several times (as an argument of each consumer): formatted
            // once each, per thread. In a 10,000-node program the number formatting was a third of the
            // walkthrough.
            var texts = NodeTexts(nodes)
            var lines: [BackwardStep] = []
            lines.reserveCapacity(2 * order.count)
            for id in order { append(id, texts: &texts, to: &lines) }
            return lines
        }

        private func append(_ id: NodeID, texts: inout NodeTexts, to steps: inout [BackwardStep]) {
            let node = nodes[id.index]
            let L = loss
            if uses[id.index] > 1, let total = gradients[id], node.kind != .constant {
                let tensor = !total.isScalar
                let parts = arriving[id.index].map { tensor ? GraphWalkthrough.brief($0) : GraphWalkthrough.show($0, parenthesized: true) }
                let shown = tensor ? GraphWalkthrough.brief(total) : GraphWalkthrough.show(total)
                steps.append(BackwardStep(kind: .sum, node: node.name, consumer: nil, value: total,
                    text: "∂\(L)/∂\(node.name) = \(parts.joined(separator: " + ")) = \(shown)"
                        + "   (sum over its \(uses[id.index]) uses\(tensor ? "; shape \(total.shapeDescription)" : ""))"))
            }
            guard let upstream = gradients[id] else { return }
            let arguments = node.inputs.map { texts.label($0) }
            var upstreamText: String?
            for (i, input) in node.inputs.enumerated() where nodes[input.index].kind != .constant {
                guard let edge = gradients.edge(from: id, input: i) else { continue }
                let target = nodes[input.index].name
                let chain = "∂\(L)/∂\(node.name) · ∂\(node.name)/∂\(target)"
                let rule = GraphWalkthrough.localRule(node.operation, input: i, arguments: arguments, output: node.name, loss: L)
                let head = uses[input.index] > 1 ? "∂\(L)/∂\(target) ⟵ via \(node.name):" : "∂\(L)/∂\(target) ="
                let text: String
                if !upstream.isScalar || node.inputs.contains(where: { !nodes[$0.index].value.isScalar }) {
                    let numbers = GraphWalkthrough.tensorMessage(node.operation, input: i, arguments: arguments,
                                                                 values: node.inputs.map { nodes[$0.index].value }, upstream: upstream,
                                                                 upstreamName: "∂\(L)/∂\(node.name)", edge: edge)
                    text = "\(head) \(chain) = \(numbers) = \(GraphWalkthrough.brief(edge.message))   (shape \(edge.message.shapeDescription))"
                } else {
                    let numbers = edge.local.map { local -> String in
                        let shown = upstreamText ?? GraphWalkthrough.show(upstream)
                        upstreamText = shown
                        return "\(shown) · \(GraphWalkthrough.show(local, parenthesized: true))"
                    } ?? rule.message ?? "\(node.operation?.name ?? "") rule"
                    text = "\(head) \(chain) = \(numbers) = \(GraphWalkthrough.show(edge.message))"
                }
                var step = BackwardStep(kind: .edge, node: target, consumer: node.name, value: edge.message, text: text)
                step.rule = rule.local ?? rule.message
                step.upstream = upstream
                step.local = edge.local
                step.isData = hasParameters && nodes[input.index].kind == .input
                steps.append(step)
            }
        }
    }

    /// Each node's value formatted once (`show`), and a node as a formula names it: a constant by its
    /// value, any other node by its name. The backward steps and the forward steps (on another thread)
    /// keep one each.
    struct NodeTexts {
        let nodes: [Node]
        private var values: [String?]

        init(_ nodes: [Node]) {
            self.nodes = nodes
            values = [String?](repeating: nil, count: nodes.count)
        }

        mutating func value(_ id: NodeID) -> String {
            if let text = values[id.index] { return text }
            let text = GraphWalkthrough.show(nodes[id.index].value)
            values[id.index] = text
            return text
        }

        mutating func label(_ id: NodeID) -> String {
            nodes[id.index].kind == .constant ? value(id) : nodes[id.index].name
        }
    }

    /// One forward step per operation node up to `last`.
    static func forwardSteps(_ nodes: [Node], through last: NodeID) -> [ForwardStep] {
        var texts = NodeTexts(nodes)
        func label(_ id: NodeID) -> String { texts.label(id) }
        func valueText(_ id: NodeID) -> String { texts.value(id) }
        return nodes.compactMap { node in
            guard let operation = node.operation, node.id <= last else { return nil }
            let names = node.inputs.map(label)
            if !node.value.isScalar || node.inputs.contains(where: { !nodes[$0.index].value.isScalar }) {
                // Tensors: small values by their entries (a matrix by rows), larger ones by their shape.
                var step = ForwardStep(node: node.name, formula: operation.notation(names),
                                       substituted: operation.notation(node.inputs.enumerated().map { i, id in
                                           Self.brief(nodes[id.index].value, parenthesized: Self.needsParentheses(operation.name, i))
                                       }),
                                       value: node.value, shown: Self.brief(node.value))
                step.shapes = Self.shapes(node.inputs.map { nodes[$0.index].value }, node.value)
                return step
            }
            let values = node.inputs.enumerated().map { i, id in
                Self.parenthesized(valueText(id), nodes[id.index].value, Self.needsParentheses(operation.name, i))
            }
            return ForwardStep(node: node.name, formula: operation.notation(names),
                               substituted: operation.notation(values), value: node.value, shown: valueText(node.id))
        }
    }

    /// An operation's local derivative written as mathematics, for the input at `input`: `local` is
    /// ∂out/∂input where that is a formula of the inputs (`σ′(z) = σ(z)(1 − σ(z))`); `message` is the
    /// whole message where the local derivative is a Jacobian better written as a product (`hᵀ·∂L/∂z2`)
    /// or a residual (`(yhat − Y)` for ½Σ(yhat − Y)²). Both nil for an operation without a written rule.
    /// Each operation writes its own (Operation.rule).
    static func localRule(_ operation: (any Sim.Operation)?, input: Int, arguments: [String], output: String, loss: String)
        -> (local: String?, message: String?) {
        switch operation?.rule(input: input, arguments: arguments, upstream: "∂\(loss)/∂\(output)") ?? .none {
        case .local(let text): return (text, nil)
        case .message(let text): return (nil, text)
        case .none: return (nil, nil)
        }
    }

    /// The numbers of a message along an edge where vectors or matrices flow: elementwise, the upstream
    /// gradient ⊙ the local derivatives (summed back to the input's shape where it was broadcast); for a
    /// Jacobian, the operation's matrix rule, then with the values (`∂L/∂z·xᵀ = [1, 2]·[1, −1]ᵀ`).
    static func tensorMessage(_ operation: (any Sim.Operation)?, input: Int, arguments: [String], values: [Tensor],
                              upstream: Tensor, upstreamName: String, edge: EdgeGradient) -> String {
        let written = operation?.rule(input: input, arguments: arguments, upstream: upstreamName) ?? .none
        if let local = edge.local {
            // `σ′(z) = σ(z)(1 − σ(z))` names the local derivative by what precedes its first ` = `.
            var text = ""
            if case .local(let rule) = written {
                let name = rule.components(separatedBy: " = ").first ?? rule
                text = "\(upstreamName) ⊙ \(name.contains(" ") || name.hasPrefix("−") ? "(\(name))" : name) = "
            }
            text += "\(brief(upstream)) ⊙ \(brief(local, parenthesized: true))"
            if local.shape != edge.message.shape {
                text += ", summed to shape \(edge.message.shapeDescription) (\(arguments[input]) was broadcast)"
            }
            return text
        }
        switch written {
        case .message(let rule):
            guard let operation, values.allSatisfy({ $0.count <= briefLimit }),
                  case .message(let numbers) = operation.rule(input: input, arguments: values.map { brief($0) }, upstream: brief(upstream)),
                  numbers.count <= 100 else { return rule }
            return "\(rule) = \(numbers)"
        case .local(let rule):
            return "\(brief(upstream)) · \(rule) in every entry"
        case .none:
            return "\(operation?.name ?? "") rule"
        }
    }

    /// The most entries a vector or matrix may have to be written out in the derivation.
    public static let briefLimit = 12

    /// A value in the derivation: a scalar or a tensor of at most `briefLimit` entries as `show` writes it
    /// (a matrix by rows, `[1, 2; 3, 4]`), a larger one by its shape: `(3×4 matrix)`.
    public static func brief(_ value: Tensor, parenthesized: Bool = false) -> String {
        if value.isScalar || value.count <= briefLimit { return show(value, parenthesized: parenthesized) }
        return "(\(value.shapeDescription) \(value.rank == 1 ? "vector" : "matrix"))"
    }

    /// `(shapes 2×2, 2 → 2)`: the inputs' shapes and the result's.
    static func shapes(_ inputs: [Tensor], _ output: Tensor) -> String {
        "(shape\(inputs.count == 1 ? "" : "s") \(inputs.map(\.shapeDescription).joined(separator: ", ")) → \(output.shapeDescription))"
    }

    /// The whole derivation as terminal text.
    public var text: String {
        // Appended line by line to one string: a list of lines joined at the end copied every line twice.
        var text = "Inputs\n"
        text.reserveCapacity(100 * (inputs.count + forward.count + backward.count + gradients.count))
        for input in inputs { text += "  \(input.name) = \(Self.brief(input.value))" + Self.shapeNote(input.value) + "\n" }
        text += "\nForward\n"
        for step in forward { text += "  "; text += step.text; text += "\n" }
        text += "\nBackward (upstream · local = message)\n"
        for step in backward { text += "  "; text += step.text; text += "\n" }
        text += "\nGradients of \(output)\n"
        for gradient in gradients {
            text += "  ∂\(output)/∂\(gradient.name) = \(Self.brief(gradient.value))" + Self.shapeNote(gradient.value)
                + note(for: gradient.name) + "\n"
        }
        return text
    }

    /// `   (shape 2×2)` after a vector or matrix, nothing after a scalar.
    static func shapeNote(_ value: Tensor) -> String {
        value.isScalar ? "" : value.count <= briefLimit ? "   (shape \(value.shapeDescription))" : "   (every entry in --trace)"
    }

    /// `   (x1 does not reach L)` for an input the output does not depend on, else nothing.
    func note(for input: String) -> String {
        unreached.contains(input) ? "   (\(input) does not reach \(output))" : ""
    }

    /// A value as people read it (`show`), for the command line.
    public static func text(of value: Tensor) -> String { show(value) }

    /// A value as people read it: numbers by NumberFormat.display, tensors as `[1, 2; 3, 4]`.
    static func show(_ value: Tensor, parenthesized: Bool = false) -> String {
        if value.isScalar, let x = value.scalar {
            let text = NumberFormat.display(x)
            return parenthesized && (x < 0 || text.hasPrefix("−")) ? "(\(text))" : text
        }
        return "[" + value.rows.map { $0.map { NumberFormat.display($0) }.joined(separator: ", ") }
            .joined(separator: "; ") + "]"
    }

    /// `show(value, parenthesized:)` from `show(value)` already written.
    private static func parenthesized(_ text: String, _ value: Tensor, _ parenthesized: Bool) -> String {
        guard parenthesized, value.isScalar, let x = value.scalar, x < 0 || text.hasPrefix("−") else { return text }
        return "(\(text))"
    }

    /// Whether a negative argument needs parentheses in an operation's notation (`3 − (−2)`, `2·(−1)`,
    /// but `σ(−2)` and a leading `−2·5` read fine without).
    private static func needsParentheses(_ operation: String, _ index: Int) -> Bool {
        switch operation {
        case "add", "sub", "mul", "div", "matmul": return index > 0
        case "power", "pow", "scale", "neg": return true
        default: return false
        }
    }
}
