/// An annotated computational graph as the notes draw it: variables as squares, operators as circles
/// (d2l), each edge with the forward value above it and the gradient flowing back below it (CS231n's
/// green and red numbers), laid out left to right with the inputs on the left in the given order.
///
/// Render knows nothing of the engine: all numbers arrive as text, formatted by the caller.
public struct ComputationalGraphFigure: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case variable, `operator` }
    /// How a node is marked in a student's feedback: a halo in the theme's `right` or `wrong` colour.
    public enum Mark: Sendable, Hashable { case right, wrong }

    public struct Node: Sendable, Hashable {
        /// Stable identifier, unique in the figure.
        public var id: String
        public var kind: Kind
        /// Whether the gradient table is drawn; hidden, it keeps its place (as an edge's hidden labels do).
        public var showsGradient = true
        /// For variables the name in the box (`a`, `W1`); for operators the symbol in the circle (`+`, `×2`, `σ`).
        public var label: String
        /// For operators, the name of their result, written under the circle (`d`).
        public var caption: String?
        /// A tensor's shape (`3×4`), shown under the label.
        public var shape: String?
        /// A small tensor's entries as text (at most 4×4), shown as a matrix in the box.
        public var matrix: [[String]]?
        /// A parameter's gradient, named (`∂L/∂W1`) and as a small table under its value in the gradient
        /// colour: a matrix's gradient does not fit on its edge.
        public var gradientName: String?
        public var gradientMatrix: [[String]]?
        /// A student's feedback on the node: a halo marking it right or wrong, and lines under it (under
        /// its caption) in the mark's colour (`d = 5 ✗ (key: −8)`).
        public var mark: Mark?
        public var notes: [String]
        /// A node drawn again at the start of a later band of a wrapped graph (`BandedGraph`), where an
        /// edge from it continues: its name and shape in a dashed box, its values where it was first drawn.
        var isContinuation = false

        public init(id: String, kind: Kind, label: String, caption: String? = nil, shape: String? = nil,
                    matrix: [[String]]? = nil, gradientName: String? = nil, gradientMatrix: [[String]]? = nil,
                    mark: Mark? = nil, notes: [String] = []) {
            self.id = id; self.kind = kind; self.label = label; self.caption = caption
            self.shape = shape; self.matrix = matrix
            self.gradientName = gradientName; self.gradientMatrix = gradientMatrix
            self.mark = mark; self.notes = notes
        }

        /// The largest table a slide writes out: a lecturer shows a vector of a few entries or a 2×2
        /// matrix, and names a larger tensor by its name and shape (its gradient named on its edge,
        /// `← ∂L/∂W1`); a 3×4 matrix with its gradient under it makes a box 11 lines high, and the graph
        /// shown small enough to hold it puts its text under 24 px (issue 14). The report's column
        /// writes out every table.
        public static let slideTableEntries = 4, slideTableRows = 2

        /// Whether the node's value and gradient are drawn as tables (`node-matrix:`, `node-gradient:`) on a
        /// page of this theme: always on paper, on a slide when small.
        public func showsTables(on theme: Theme) -> Bool {
            guard theme.isSlide else { return true }
            return [matrix, gradientMatrix].compactMap { $0 }
                .allSatisfy { $0.count <= Self.slideTableRows && $0.reduce(0) { $0 + $1.count } <= Self.slideTableEntries }
        }
    }

    public struct Edge: Sendable, Hashable {
        public var from: String
        public var to: String
        /// The forward value carried along the edge, drawn above it.
        public var value: String?
        /// The gradient sent back along the edge, drawn below it.
        public var gradient: String?
        /// The gradient's name (`∂J/∂h`), written on a slide instead of a tensor's entries: as a large
        /// tensor is named by its shape there, its gradient is named on its edge (the report writes it out).
        public var gradientName: String?
        /// Whether the value and the gradient are drawn. A hidden label keeps its place: the frames of a
        /// step-through are laid out with every label and reveal them one by one, so nothing moves.
        public var showsValue: Bool
        public var showsGradient: Bool

        public init(from: String, to: String, value: String? = nil, gradient: String? = nil, gradientName: String? = nil,
                    showsValue: Bool = true, showsGradient: Bool = true) {
            self.from = from; self.to = to; self.value = value; self.gradient = gradient; self.gradientName = gradientName
            self.showsValue = showsValue; self.showsGradient = showsGradient
        }

        /// The gradient as written on a page of this theme: its name on a slide where it has one; nothing
        /// where there is no gradient (a name alone says nothing was sent back).
        func gradientText(on theme: Theme) -> String? {
            gradient.map { "← \(theme.isSlide ? gradientName ?? $0 : $0)" }
        }
    }

    /// What a step-by-step frame points at.
    public enum Highlight: Sendable, Hashable {
        case node(String)
        case edge(from: String, to: String, index: Int)
    }

    /// The most nodes and edge bends a figure lays out. An edge bends once in every column it crosses, so
    /// a sum of n inputs added one by one needs about n²/2 bends: 10,000 terms took 7.9 GB and aborted.
    /// A chain or a balanced tree of 1,000 nodes has few and lays out in a tenth of a second; 20,000
    /// bends (a sum of 200 inputs) take about a second.
    public static let maxNodes = 1_000
    public static let maxBends = 20_000

    /// Throws when the figure is over `maxNodes` or `maxBends`, before anything is laid out.
    public func checkSize() throws(GraphFigureError) {
        guard nodes.count <= Self.maxNodes else { throw .tooLarge(nodes: nodes.count, limit: Self.maxNodes) }
        let (layer, endpoints) = try GraphStructure.layering(self)
        let bends = endpoints.reduce(0) { $0 + max(0, layer[$1.1] - layer[$1.0] - 1) }
        guard bends <= Self.maxBends else { throw .tooManyBends(bends: bends, limit: Self.maxBends) }
    }

    public var nodes: [Node]
    public var edges: [Edge]
    public var title: String?
    public var highlight: Highlight?
    /// Draws the highlight of every node and every edge (tagged `highlight:ID`, `highlight:FROM→TO#E`, as
    /// the one of `highlight`), for a viewer that lays the figure out once and shows one at a time.
    public var highlightsAll = false
    /// Whether a graph too large to read at its size is laid out compactly, wrapped onto bands (see
    /// `layout`); a viewer that scrolls a wide graph to the current step turns it off.
    public var compactsWhenLarge = true
    /// A line under the graph: a frame's step with its numbers (`∂L/∂b = ∂L/∂d · ∂d/∂b = −2 · 2 = −4`).
    public var formula: String?

    public init(nodes: [Node], edges: [Edge], title: String? = nil, highlight: Highlight? = nil, formula: String? = nil) {
        self.nodes = nodes
        self.edges = edges
        self.title = title
        self.highlight = highlight
        self.formula = formula
    }
}

/// Why a graph figure cannot be laid out.
public enum GraphFigureError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateNode(String)
    case unknownNode(String)
    case cycle
    case tooLarge(nodes: Int, limit: Int)
    case tooManyBends(bends: Int, limit: Int)

    public var description: String {
        switch self {
        case .tooLarge(let nodes, let limit): return "the graph has \(nodes) nodes; a graph figure draws at most \(limit)"
        case .tooManyBends(let bends, let limit):
            return "the graph's edges would bend at \(bends) points (once in every column an edge crosses); a graph figure draws at most \(limit)"
        case .duplicateNode(let id): return "the graph figure has two nodes with id '\(id)'"
        case .unknownNode(let id): return "an edge of the graph figure names an unknown node '\(id)'"
        case .cycle: return "the graph figure has a cycle; computational graphs are acyclic"
        }
    }
}
