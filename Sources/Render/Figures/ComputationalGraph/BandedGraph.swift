import Foundation

/// A graph too wide to read, wrapped onto bands one under another, each band a graph of its own: an edge
/// into a later band starts there from a continuation of its source (its name and shape in a dashed box
/// at the band's left), as a long diagram continues on the next line, instead of running back across the
/// page in a lane between the bands. Each band is laid out compactly by `GraphPlacement`, and the bands
/// are stacked, left-aligned, under the figure's title and over its formula.
///
/// Tags are the whole figure's: an edge keeps its number in the figure (`edge:h→op:o#7`), and a
/// continuation is tagged `node-continued:h` (its label `node-label:h`), so a check or a viewer finds
/// every edge once and every node's values once.
struct BandedGraph {
    let figure: ComputationalGraphFigure
    let theme: Theme
    let measurer: any TextMeasurer
    /// Each band's placement, from the top.
    let parts: [GraphPlacement]
    /// The band of each layer of the whole graph's compact structure, and the width edge labels are broken at.
    var bandOfLayer: [Int] = [], splitWidth = 0.0

    /// Bands already placed (a page of some of another's bands).
    init(figure: ComputationalGraphFigure, theme: Theme, measurer: any TextMeasurer, parts: [GraphPlacement]) {
        self.figure = figure
        self.theme = theme
        self.measurer = measurer
        self.parts = parts
    }

    /// The bands of `figure` cut by `bandOfLayer` (each layer of `structure`'s, from 0), each laid out with
    /// its rows spread until nothing overlaps (`GraphPlacement.spread`); nil when a band cannot be laid out
    /// clear of its nodes and labels.
    init?(figure: ComputationalGraphFigure, structure: GraphStructure, bandOfLayer: [Int], theme: Theme,
          measurer: any TextMeasurer, splitWidth: Double) {
        self.figure = figure
        self.theme = theme
        self.measurer = measurer
        self.bandOfLayer = bandOfLayer
        self.splitWidth = splitWidth
        var band = structure.layerOfNode.map { bandOfLayer[$0] }
        let index = Dictionary(figure.nodes.indices.map { (figure.nodes[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        // An input goes into the band of its first use (a target beside its loss), not before it.
        var hasInput = Array(repeating: false, count: band.count), firstUse = Array(repeating: Int.max, count: band.count)
        for edge in figure.edges {
            guard let a = index[edge.from], let c = index[edge.to] else { continue }
            hasInput[c] = true
            firstUse[a] = min(firstUse[a], band[c])
        }
        for n in band.indices where !hasInput[n] && firstUse[n] != .max { band[n] = firstUse[n] }
        var parts: [GraphPlacement] = []
        for b in 0...(bandOfLayer.max() ?? 0) {
            // The edges into this band; their sources from earlier bands come first, as continuations.
            let edges = figure.edges.indices.filter { e in index[figure.edges[e].to].map { band[$0] == b } ?? false }
            var continued: [Int] = []
            for e in edges {
                if let a = index[figure.edges[e].from], band[a] < b, !continued.contains(a) { continued.append(a) }
            }
            var nodes = continued.sorted().map { a -> ComputationalGraphFigure.Node in
                var node = figure.nodes[a]
                node.isContinuation = true
                node.mark = nil
                node.notes = []
                return node
            }
            nodes += figure.nodes.indices.filter { band[$0] == b }.map { figure.nodes[$0] }
            guard !nodes.isEmpty else { continue }
            var part = ComputationalGraphFigure(nodes: nodes, edges: edges.map { figure.edges[$0] })
            part.compactsWhenLarge = false
            part.highlightsAll = figure.highlightsAll
            switch figure.highlight {
            case .node(let id)?: part.highlight = .node(id)
            case .edge(let from, let to, let e)?:
                if let k = edges.firstIndex(of: e) { part.highlight = .edge(from: from, to: to, index: k) }
            case nil: break
            }
            guard let structure = try? GraphStructure(part, leavesLate: true) else { return nil }
            let placement = GraphPlacement.spread(from: theme.labelSize * 1.2) { spacing in
                GraphPlacement(figure: part, structure: structure, theme: theme, measurer: measurer, spacing: spacing,
                               compact: true, splitWidth: splitWidth, edgeNumbers: edges)
            }
            if placement.overlapsNodesOrLabels { return nil }
            parts.append(placement)
        }
        self.parts = parts
    }

    /// Room between two bands (the labels above and below each band's edges are inside its bounds).
    private var gap: Double { theme.labelSize }

    /// The stacked bands' size.
    var contentSize: Size {
        let sizes = parts.map(\.contentBounds)
        return Size(sizes.map(\.width).max() ?? 0, sizes.map(\.height).reduce(0, +) + gap * Double(max(parts.count - 1, 0)))
    }

    var pageSize: Size { GraphPlacement.pageSize(holding: contentSize, figure: figure, theme: theme, measurer: measurer) }

    /// Whether a band starts from a continued operator's circle rather than a variable's box.
    var continuesOperators: Bool { parts.contains { $0.figure.nodes.contains { $0.isContinuation && $0.kind == .operator } } }

    /// How many edges' labels found no place clear of the other edges, in all bands.
    var crowdedLabels: Int { parts.map(\.crowdedLabels).reduce(0, +) }

    /// Each band on a page of its own, titled with its place (`… (1 of 2)`): a graph too wide for one
    /// slide shown over two or more, each band as large as its own page allows.
    var pages: [BandedGraph] { pages(grouping: { _ in false }) }

    /// The bands on pages, each page holding the next band too while `together` says the bands so far and
    /// it still read on one page (told with a title of the longest place, `(9 of 9)`).
    func pages(grouping together: (BandedGraph) -> Bool) -> [BandedGraph] {
        func titled(_ place: String) -> ComputationalGraphFigure {
            var titled = figure
            if let title = figure.title { titled.title = "\(title) (\(place))" }
            return titled
        }
        var groups: [[GraphPlacement]] = []
        for part in parts {
            if let last = groups.last, together(BandedGraph(figure: titled("\(parts.count) of \(parts.count)"), theme: theme, measurer: measurer, parts: last + [part])) {
                groups[groups.count - 1].append(part)
            } else {
                groups.append([part])
            }
        }
        return groups.enumerated().map { k, group in
            BandedGraph(figure: titled("\(k + 1) of \(groups.count)"), theme: theme, measurer: measurer, parts: group)
        }
    }

    func displayList() -> DisplayList {
        let content = contentSize
        var page = GraphPlacement.page(figure, size: pageSize, theme: theme, measurer: measurer)
        let (title, formula) = GraphPlacement.bands(figure, theme: theme, measurer: measurer)
        let x = (page.size.width - content.width) / 2
        let room: Double = page.size.height - 2 * theme.margin - title - formula
        var y: Double = theme.margin + title + (room - content.height) / 2
        for part in parts {
            let bounds = part.contentBounds
            part.draw(into: &page, offset: Point(x - bounds.minX, y - bounds.minY))
            y += bounds.height + gap
        }
        return page
    }
}
