import Foundation

extension ComputationalGraphFigure {
    /// Lays the graph out into a display list.
    ///
    /// Sugiyama-style: layers by longest path from the inputs (which stay on the left, in the given order),
    /// dummy points where an edge spans several layers (so edges never pass through nodes), a
    /// deterministic barycenter sweep to untangle edges, rows aligned with each node's predecessors, and
    /// columns as wide as their edge labels. Spacing grows until no label overlaps a node or another
    /// label; a large graph gets a larger page instead of smaller type, up to `maxNodes` nodes and
    /// `maxBends` edge bends.
    public func layout(theme: Theme, measurer: any TextMeasurer) throws(GraphFigureError) -> DisplayList {
        try checkSize()
        let structure = try GraphStructure(self)
        func place(_ spacing: Double, _ extraGap: Double) -> GraphPlacement {
            GraphPlacement(figure: self, structure: structure, theme: theme, measurer: measurer, spacing: spacing, extraGap: extraGap)
        }
        var spacing = theme.labelSize * 1.6
        var placement = place(spacing, 0)
        for _ in 0..<4 where placement.hasOverlaps {
            spacing *= 1.3
            placement = place(spacing, 0)
        }
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
        return placement.displayList()
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

    init(_ figure: ComputationalGraphFigure) throws(GraphFigureError) {
        let (layer, endpoints) = try Self.layering(figure)
        layerOfNode = layer

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
    }

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
