import Foundation
import Synchronization

extension ComputationalGraphFigure {
    /// Lays the graph out into a display list.
    ///
    /// Sugiyama-style: layers by longest path from the inputs (which stay on the left, in the given order),
    /// dummy points where an edge spans several layers (so edges never pass through nodes), a
    /// deterministic barycenter sweep to untangle edges, rows aligned with each node's predecessors, and
    /// columns as wide as their edge labels. Spacing grows until no label overlaps a node or another
    /// label; a large graph gets a larger page instead of smaller type, up to `maxNodes` nodes and
    /// `maxBends` edge bends.
    ///
    /// When `compactsWhenLarge`, a graph of at most `maxCompactNodes` nodes that would be shown too small
    /// to read (under `readableScale` in the theme's viewport: a slide, or the report's column) is laid
    /// out compactly instead: each input next to its first use, long vectors on edges in several lines,
    /// the columns wrapped onto bands one under another (issue 14). A graph that reads as it is keeps its
    /// layout.
    public func layout(theme: Theme, measurer: any TextMeasurer) throws(GraphFigureError) -> DisplayList {
        try arrange(theme: theme, measurer: measurer).layout.displayList()
    }

    /// The figure's pages: one, as `layout`, unless on a slide a graph whose text is under the projected
    /// minimum (24 px on a 1080p slide, `FigureCheck.Use.projected`) is shown at least `pagingGain` larger
    /// with its bands on slides of their own (`… (1 of 2)`): mlp's graph (d2l's 11 columns and the
    /// penalty's branch) goes from 19 px on one 16:9 slide to 28 px on two, while XOR's on a square slide
    /// stays one slide at 24 px rather than three at 26. Frames (a formula under the graph) stay on one
    /// page: a step's frame shows the whole graph.
    public func pages(theme: Theme, measurer: any TextMeasurer) throws(GraphFigureError) -> [DisplayList] {
        let (chosen, scale) = try arrange(theme: theme, measurer: measurer)
        let minimum = Self.projectedMinimumScale(theme)
        guard theme.isSlide, formula == nil, compactsWhenLarge, nodes.count <= Self.maxCompactNodes, scale < minimum - 1e-9,
              let paged = compact(structure: try GraphStructure(self, leavesLate: true), theme: theme, measurer: measurer, paged: true),
              case .banded(let banded) = paged.layout, paged.scale >= scale * Self.pagingGain
        else { return [chosen.displayList()] }
        return banded.pages { fitScale($0.pageSize, theme: theme, measurer: measurer) >= minimum - 1e-9 }.map { $0.displayList() }
    }

    /// How much larger a graph must be shown over several slides than on one for it to be split.
    static let pagingGain = 1.15

    /// The scale at which a slide's small text is at the projected minimum (24 px on a 1080p slide).
    static func projectedMinimumScale(_ theme: Theme) -> Double {
        FigureCheck.minimumSlidePixels / (FigureCheck.slidePixels.height / theme.pageSize.height * theme.smallSize)
    }

    /// The layout taken for one page, with the scale it is shown at in the theme's viewport.
    ///
    /// Laid out once per graph: the frames of a step-through differ only in title, formula, highlight and
    /// revealed labels, none of which moves anything, so the first frame's search is remembered (`recipes`)
    /// and the others are placed by it directly. A sigmoid neuron's 14 frames took 4.2 s, each searching the
    /// compact layouts again.
    private func arrange(theme: Theme, measurer: any TextMeasurer) throws(GraphFigureError) -> (layout: CompactLayout, scale: Double) {
        try checkSize()
        // Only Cairo's measurements are remembered: another measurer (a test's) measures otherwise.
        let key = measurer is CairoTextMeasurer ? RecipeKey(self, theme: theme) : nil
        if let key, let recipe = Self.recipes.withLock({ $0[key] }), let made = try make(recipe, theme: theme, measurer: measurer) {
            return (made, fitScale(made.pageSize, theme: theme, measurer: measurer))
        }
        let arranged = try search(theme: theme, measurer: measurer)
        if let key {
            Self.recipes.withLock { recipes in
                if recipes.count >= 256 { recipes.removeAll() }
                recipes[key] = arranged.layout.recipe
            }
        }
        return arranged
    }

    /// How a layout was made, to make it again without searching.
    enum Recipe: Sendable, Hashable {
        case plain(spacing: Double, extraGap: Double)
        case lanes(bands: [Int], split: Double, spacing: Double)
        case banded(bands: [Int], split: Double)
    }

    /// What a layout depends on: the graph without its highlight and revealed labels and, for a frame,
    /// without its title's and formula's text (a frame's title is one line; its formula band is fixed).
    struct RecipeKey: Hashable {
        let figure: ComputationalGraphFigure
        let theme: Theme
        init(_ figure: ComputationalGraphFigure, theme: Theme) {
            var f = figure
            f.highlight = nil
            f.highlightsAll = false
            if f.formula != nil { f.formula = ""; f.title = f.title.map { _ in "" } }
            for n in f.nodes.indices { f.nodes[n].showsGradient = true }
            for e in f.edges.indices { f.edges[e].showsValue = true; f.edges[e].showsGradient = true }
            self.figure = f
            self.theme = theme
        }
    }

    static let recipes = Mutex<[RecipeKey: Recipe]>([:])

    /// The layout a recipe makes for this figure; nil when it cannot (then it is searched again).
    private func make(_ recipe: Recipe, theme: Theme, measurer: any TextMeasurer) throws(GraphFigureError) -> CompactLayout? {
        switch recipe {
        case .plain(let spacing, let extraGap):
            return .single(GraphPlacement(figure: self, structure: try GraphStructure(self), theme: theme, measurer: measurer,
                                          spacing: spacing, extraGap: extraGap))
        case .lanes(let bands, let split, let spacing):
            return .single(GraphPlacement(figure: self, structure: try GraphStructure(self, leavesLate: true), theme: theme, measurer: measurer,
                                          spacing: spacing, compact: true, splitWidth: split, bands: bands))
        case .banded(let bands, let split):
            return BandedGraph(figure: self, structure: try GraphStructure(self, leavesLate: true), bandOfLayer: bands, theme: theme,
                               measurer: measurer, splitWidth: split).map { .banded($0) }
        }
    }

    /// The search behind `arrange`.
    private func search(theme: Theme, measurer: any TextMeasurer) throws(GraphFigureError) -> (layout: CompactLayout, scale: Double) {
        let structure = try GraphStructure(self)
        func place(_ spacing: Double, _ extraGap: Double) -> GraphPlacement {
            GraphPlacement(figure: self, structure: structure, theme: theme, measurer: measurer, spacing: spacing, extraGap: extraGap)
        }
        var placement = GraphPlacement.spread(from: theme.labelSize * 1.6) { place($0, 0) }
        let spacing = placement.spacing
        // A small graph is spread out to fill most of the page (type stays the theme's size).
        let usable = Size(theme.pageSize.width - 2 * theme.margin, theme.pageSize.height - 2 * theme.margin - theme.titleSize * 2
                              - (formula == nil ? 0 : theme.labelSize * 2))
        let bounds = placement.contentBounds
        let gaps = Double(max(placement.columnCount - 1, 1))
        let extraGap = min(max(0, (usable.width * 0.85 - bounds.width) / gaps), theme.labelSize * 4)
        let rows = max(1, structure.layers.map(\.count).max() ?? 1)
        let extraSpacing = rows > 1 ? min(max(0, (usable.height * 0.8 - bounds.height) / Double(rows - 1)), theme.labelSize * 2) : 0
        if extraGap > 0 || extraSpacing > 0 {
            let spread = place(spacing + extraSpacing, extraGap)
            if !spread.hasOverlaps || placement.hasOverlaps { placement = spread }
        }
        let plainScale = fitScale(placement.pageSize, theme: theme, measurer: measurer)
        if compactsWhenLarge, nodes.count <= Self.maxCompactNodes, plainScale < Self.readableScale,
           let compact = compact(structure: try GraphStructure(self, leavesLate: true), theme: theme, measurer: measurer),
           // Labels clear of the other edges first (a label between two edges reads as either's), then the larger.
           (compact.layout.crowdedLabels == 0) != (placement.crowdedLabels == 0) ? compact.layout.crowdedLabels == 0 : compact.scale > plainScale {
            return compact
        }
        return (.single(placement), plainScale)
    }

    /// A layout: one placement (its bands, if any, joined by lanes), or bands of their own joined by
    /// continuations.
    enum CompactLayout {
        case single(GraphPlacement)
        case banded(BandedGraph)

        var pageSize: Size {
            switch self { case .single(let p): p.pageSize; case .banded(let b): b.pageSize }
        }
        var crowdedLabels: Int {
            switch self { case .single(let p): p.crowdedLabels; case .banded(let b): b.crowdedLabels }
        }
        /// Whether a band starts from a continued operator's circle rather than a variable's box.
        var continuesOperators: Bool {
            switch self { case .single: false; case .banded(let b): b.continuesOperators }
        }
        /// Edges running from one band to the next (none in bands of their own).
        var crossingCount: Int {
            switch self { case .single(let p): p.crossingCount; case .banded: 0 }
        }
        /// How many bands (one per page when paged).
        var bandCount: Int {
            switch self { case .single: 1; case .banded(let b): b.parts.count }
        }
        func displayList() -> DisplayList {
            switch self { case .single(let p): p.displayList(); case .banded(let b): b.displayList() }
        }
        var recipe: Recipe {
            switch self {
            case .single(let p):
                p.compact ? .lanes(bands: p.bandOfLayer, split: p.splitWidth ?? 0, spacing: p.spacing) : .plain(spacing: p.spacing, extraGap: p.extraGap)
            case .banded(let b): .banded(bands: b.bandOfLayer, split: b.splitWidth)
            }
        }
    }

    /// A figure shown smaller than this has its smallest text more than an eighth under its size: under
    /// 7 pt on the report page, under 24 px on a 1080p slide.
    static let readableScale = 0.875
    /// The most nodes a graph has for the compact layouts to be tried (each is laid out several times).
    static let maxCompactNodes = 80

    /// The box a figure is read in at its size: a slide's page for a slide theme of any aspect (projected
    /// at the page's size: a 4:3 slide is 720 pt wide, a square one 540), otherwise the report's column, a
    /// page high over a caption of up to four lines (the mlp graph's caption is four: the room for one let
    /// its text come out at 6.8 pt).
    static func viewport(_ theme: Theme, measurer: any TextMeasurer) -> Size {
        theme.isSlide ? theme.pageSize : ReportLayout(theme: theme, measurer: measurer).figureRoom(captionLines: 4)
    }

    /// The scale a page of this size is shown at in the theme's viewport (at most 1).
    func fitScale(_ size: Size, theme: Theme, measurer: any TextMeasurer) -> Double {
        let box = Self.viewport(theme, measurer: measurer)
        return min(1, box.width / size.width, box.height / size.height)
    }

    /// For a graph too large to read at its size: inputs next to their first use, long vectors on their
    /// edges broken into lines, and the columns wrapped onto up to four bands, one under another. Of the
    /// ways to cut the columns into bands, those whose bands are narrow enough to read (or else the
    /// narrowest) are laid out, fewer bands first, and the one shown largest with every label clear of
    /// the other edges is taken (among equals the one with the fewest edges between bands, then the
    /// first; when none is clear, the one shown largest), with its scale; nil when every one overlaps.
    ///
    /// `paged`: bands of their own only, each on a page of its own, shown at the scale of the smallest; of
    /// readable ones, the fewest pages.
    private func compact(structure: GraphStructure, theme: Theme, measurer: any TextMeasurer, paged: Bool = false) -> (layout: CompactLayout, scale: Double)? {
        var best: (layout: CompactLayout, scale: Double)?
        /// Whether a layout is better than the best so far: one with every label clear of the other edges
        /// first, then a readable one; among readable ones, bands continued from a variable, and when paged
        /// the fewest pages; then the one shown largest, then the one with the fewest edges between bands.
        func better(_ layout: CompactLayout, _ scale: Double) -> Bool {
            guard let best else { return true }
            let (clear, bestClear) = (layout.crowdedLabels == 0, best.layout.crowdedLabels == 0)
            if clear != bestClear { return clear }
            // Among readable ones, bands continued from a variable (`h`, as the notes' chains read), not
            // from an operator's circle.
            let threshold = paged ? Self.projectedMinimumScale(theme) : Self.readableScale
            let (readable, bestReadable) = (scale >= threshold - 1e-9, best.scale >= threshold - 1e-9)
            if readable != bestReadable { return readable }
            if readable, layout.continuesOperators != best.layout.continuesOperators { return !layout.continuesOperators }
            if paged, readable, layout.bandCount != best.layout.bandCount { return layout.bandCount < best.layout.bandCount }
            return scale > best.scale + 1e-9 || (scale > best.scale - 1e-9 && layout.crossingCount < best.layout.crossingCount)
        }
        /// The cut laid out with its rows spread until nothing overlaps and every label is clear of the
        /// other edges; the first without overlaps when no spacing clears them all, nil when all overlap.
        /// Spreading stops once the layout is shown smaller than the best clear one: it only grows.
        func place(_ bands: [Int], split: Double) -> GraphPlacement? {
            var spacing = theme.labelSize * 1.2
            var placement = GraphPlacement(figure: self, structure: structure, theme: theme, measurer: measurer, spacing: spacing,
                                           compact: true, splitWidth: split, bands: bands)
            var unhidden = placement.overlapsNodesOrLabels ? nil : placement
            for _ in 0..<4 where placement.hasOverlaps {
                if let best, best.layout.crowdedLabels == 0,
                   fitScale(placement.pageSize, theme: theme, measurer: measurer) < best.scale - 1e-9 { break }
                spacing *= 1.3
                placement = GraphPlacement(figure: self, structure: structure, theme: theme, measurer: measurer, spacing: spacing,
                                           compact: true, splitWidth: split, bands: bands)
                if unhidden == nil, !placement.overlapsNodesOrLabels { unhidden = placement }
            }
            return placement.hasOverlaps ? unhidden : placement
        }
        let readable = Self.viewport(theme, measurer: measurer).width / Self.readableScale - 2 * theme.margin
        // Labels broken into narrow lines (narrow columns, tall labels) or into wider ones.
        for split in [11.0, 14.0].map({ $0 * theme.smallSize }) {
            let probe = GraphPlacement(figure: self, structure: structure, theme: theme, measurer: measurer, spacing: theme.labelSize * 1.2,
                                       compact: true, splitWidth: split)
            let (halves, gaps) = probe.columns(extraGap: 0)
            let n = halves.count
            // Every cut into at most four bands (as each layer's band), with its widest band.
            var cuts: [[(bands: [Int], widest: Double)]] = Array(repeating: [], count: 4)
            func extend(_ start: Int, _ bands: [Int], _ widest: Double) {
                let k = bands.isEmpty ? 0 : (bands.last ?? 0) + 1
                for end in start..<n where cuts.map(\.count).reduce(0, +) < 5_000 {
                    let row = bands + Array(repeating: k, count: end - start + 1)
                    let w = max(widest, probe.bandWidth(start, end, halves: halves, gaps: gaps))
                    if end == n - 1 { cuts[k].append((row, w)) } else if k < 3 { extend(end + 1, row, w) }
                }
            }
            extend(0, [], 0)
            for options in cuts where !options.isEmpty {
                let sorted = options.enumerated().sorted { ($0.element.widest, $0.offset) < ($1.element.widest, $1.offset) }.map(\.element)
                let narrow = sorted.filter { $0.widest <= readable }
                for cut in (narrow.isEmpty ? [sorted[0]] : Array(narrow.prefix(12))) {
                    if (cut.bands.last ?? 0) > 0,
                       let banded = BandedGraph(figure: self, structure: structure, bandOfLayer: cut.bands, theme: theme, measurer: measurer, splitWidth: split) {
                        let scale = paged ? banded.pages.map { fitScale($0.pageSize, theme: theme, measurer: measurer) }.min() ?? 0
                            : fitScale(banded.pageSize, theme: theme, measurer: measurer)
                        if better(.banded(banded), scale) { best = (.banded(banded), scale) }
                    }
                    guard !paged, let placement = place(cut.bands, split: split) else { continue }
                    let scale = fitScale(placement.pageSize, theme: theme, measurer: measurer)
                    if better(.single(placement), scale) { best = (.single(placement), scale) }
                }
                if (best?.scale ?? 0) >= 1 && best?.layout.crowdedLabels == 0 { break }
            }
            if (best?.scale ?? 0) >= 1 && best?.layout.crowdedLabels == 0 { break }
        }
        return best
    }
}

/// Layers, dummy points and the order within each layer.
struct GraphStructure {
    /// A position in a layer: a node, or the point where an edge crosses a layer.
    enum Slot: Hashable { case node(Int), dummy(edge: Int, layer: Int) }

    let layerOfNode: [Int]
    /// Slots of each layer, in order from top to bottom.
    var layers: [[Slot]]
    /// For each edge, the slots it passes through from source to target.
    let routes: [[Slot]]

    /// With `leavesLate`, an input with no incoming edge sits in the column just before its first use
    /// instead of in the first column (a compact layout: a parameter next to the product it enters, a
    /// target next to the loss), so its edge is short and the first column is not a stack of every input.
    init(_ figure: ComputationalGraphFigure, leavesLate: Bool = false) throws(GraphFigureError) {
        var (layer, endpoints) = try Self.layering(figure)
        if leavesLate {
            var hasInput = Array(repeating: false, count: layer.count)
            var firstUse = Array(repeating: Int.max, count: layer.count)
            for (a, b) in endpoints { hasInput[b] = true; firstUse[a] = min(firstUse[a], layer[b]) }
            for n in layer.indices where !hasInput[n] && firstUse[n] != .max { layer[n] = firstUse[n] - 1 }
        }
        layerOfNode = layer
        self.leavesLate = leavesLate

        let count = (layer.max() ?? 0) + 1
        var layers = Array(repeating: [Slot](), count: count)
        for n in figure.nodes.indices { layers[layer[n]].append(.node(n)) }
        var routes: [[Slot]] = []
        for (e, (a, b)) in endpoints.enumerated() {
            var route: [Slot] = [.node(a)]
            if layer[b] > layer[a] + 1 {
                for l in (layer[a] + 1)..<layer[b] {
                    layers[l].append(.dummy(edge: e, layer: l))
                    route.append(.dummy(edge: e, layer: l))
                }
            }
            route.append(.node(b))
            routes.append(route)
        }
        self.layers = layers
        self.routes = routes
        orderLayers()
        if leavesLate {
            // An input moved next to its use goes above what else is in its column: the chain it feeds
            // runs straight under it. When every input in the first column feeds the first operation,
            // its first operand is the chain's start, under the others (moved there otherwise, an input
            // feeding something else could lie across another's edge).
            var hasInput = Set<Int>()
            for (_, b) in endpoints { hasInput.insert(b) }
            if let (start, first) = endpoints.first(where: { layer[$0.0] == 0 }),
               self.layers[0].allSatisfy({ slot in endpoints.contains { $0.1 == first && Slot.node($0.0) == slot } }),
               let k = self.layers[0].firstIndex(of: .node(start)) {
                self.layers[0].append(self.layers[0].remove(at: k))
            }
            for l in self.layers.indices.dropFirst() {
                let isLeaf = self.layers[l].map { slot -> Bool in if case .node(let n) = slot { return !hasInput.contains(n) }; return false }
                self.layers[l] = self.layers[l].indices.filter { isLeaf[$0] }.map { self.layers[l][$0] }
                    + self.layers[l].indices.filter { !isLeaf[$0] }.map { self.layers[l][$0] }
            }
        }
    }

    /// Whether inputs sit next to their first use (the compact layout).
    let leavesLate: Bool

    /// Each node's layer (the longest path from an input) and each edge's endpoints as node indices.
    static func layering(_ figure: ComputationalGraphFigure) throws(GraphFigureError) -> (layer: [Int], endpoints: [(Int, Int)]) {
        var index: [String: Int] = [:]
        for (i, node) in figure.nodes.enumerated() {
            guard index[node.id] == nil else { throw .duplicateNode(node.id) }
            index[node.id] = i
        }
        var endpoints: [(Int, Int)] = []
        for edge in figure.edges {
            guard let a = index[edge.from] else { throw .unknownNode(edge.from) }
            guard let b = index[edge.to] else { throw .unknownNode(edge.to) }
            endpoints.append((a, b))
        }
        // Longest-path layers in a Kahn topological order (stable: node order breaks ties).
        var indegree = Array(repeating: 0, count: figure.nodes.count)
        var successors = Array(repeating: [Int](), count: figure.nodes.count)
        for (a, b) in endpoints { indegree[b] += 1; successors[a].append(b) }
        var layer = Array(repeating: 0, count: figure.nodes.count)
        var ready = (0..<figure.nodes.count).filter { indegree[$0] == 0 }
        var visited = 0
        var next = 0
        while next < ready.count {
            let n = ready[next]
            next += 1
            visited += 1
            for s in successors[n] {
                layer[s] = max(layer[s], layer[n] + 1)
                indegree[s] -= 1
                if indegree[s] == 0 { ready.append(s) }
            }
        }
        guard visited == figure.nodes.count else { throw .cycle }
        return (layer, endpoints)
    }

    /// Barycenter sweeps, down then up (the inputs' order too, so crossing edges are untangled); ties keep
    /// the previous order, which starts as the given one, so the result is deterministic.
    private mutating func orderLayers() {
        var predecessors: [Slot: [Slot]] = [:], successors: [Slot: [Slot]] = [:]
        for route in routes {
            for (a, b) in zip(route, route.dropFirst()) {
                predecessors[b, default: []].append(a)
                successors[a, default: []].append(b)
            }
        }
        func position(_ layer: [Slot]) -> [Slot: Int] {
            Dictionary(uniqueKeysWithValues: layer.enumerated().map { ($1, $0) })
        }
        func sort(_ l: Int, by neighbours: [Slot: [Slot]], in reference: [Slot]) {
            let where_ = position(reference)
            // Each slot's key once, not once per comparison; its place in the layer breaks ties, so the
            // order is the same whatever the sorting algorithm.
            let keys = layers[l].enumerated().map { i, slot -> (Double, Int) in
                let ps = (neighbours[slot] ?? []).compactMap { where_[$0] }
                return (ps.isEmpty ? Double(i) : Double(ps.reduce(0, +)) / Double(ps.count), i)
            }
            let layer = layers[l]
            layers[l] = keys.sorted { $0 < $1 }.map { layer[$0.1] }
        }
        guard layers.count > 1 else { return }
        for _ in 0..<4 {
            for l in 1..<layers.count { sort(l, by: predecessors, in: layers[l - 1]) }
            for l in stride(from: layers.count - 2, through: 0, by: -1) { sort(l, by: successors, in: layers[l + 1]) }
        }
        for l in 1..<layers.count { sort(l, by: predecessors, in: layers[l - 1]) }
    }
}
