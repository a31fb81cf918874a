import Foundation

/// Coordinates of every node, edge and label of a computational-graph figure for one row spacing.
struct GraphPlacement {
    let figure: ComputationalGraphFigure
    let structure: GraphStructure
    let theme: Theme
    let measurer: any TextMeasurer

    /// Centre of every slot.
    private(set) var centers: [GraphStructure.Slot: Point] = [:]
    /// Size of every node's shape (box or circle's bounding square).
    private(set) var sizes: [Int: Size] = [:]
    private(set) var labels: [TextRun] = []
    /// Each edge's drawn polyline, from the source's boundary to the target's.
    private(set) var polylines: [[Point]] = []
    /// Labels placed but not drawn (a frame's values and gradients not yet revealed), by index in `labels`.
    private(set) var hidden: Set<Int> = []

    private var labelFont: FontStyle { theme.font(theme.labelSize) }
    private var smallFont: FontStyle { theme.font(theme.smallSize) }
    private var padding: Double { theme.labelSize * 0.5 }

    /// Edge labels wider than this are broken into lines after their commas and semicolons (nil: never).
    let splitWidth: Double?
    /// The band (row of columns) each layer is in, from 0 at the top.
    private(set) var bandOfLayer: [Int] = []

    /// `compact` (for a structure with its inputs next to their use) breaks edge labels wider than
    /// `splitWidth` (11 em of the small type unless given) into lines, keeps labels off other edges,
    /// aligns each node with its first operand that is not an input (the chain runs straight) and wraps
    /// the columns onto bands, one under the other, by `bands` (each layer's band, from 0): an edge from
    /// one band to the next leaves its source to the right, runs back left in a lane of its own between
    /// the bands and enters its target from the left.
    init(figure: ComputationalGraphFigure, structure: GraphStructure, theme: Theme, measurer: any TextMeasurer,
         spacing: Double, extraGap: Double = 0, compact: Bool = false, splitWidth: Double? = nil, bands: [Int]? = nil,
         edgeNumbers: [Int]? = nil) {
        self.figure = figure
        self.edgeNumbers = edgeNumbers ?? Array(figure.edges.indices)
        self.structure = structure
        self.theme = theme
        self.measurer = measurer
        self.splitWidth = compact ? splitWidth ?? theme.smallSize * 11 : nil
        self.compact = compact
        self.spacing = spacing
        self.extraGap = extraGap
        for n in figure.nodes.indices { sizes[n] = nodeSize(figure.nodes[n]) }
        place(spacing: spacing, extraGap: extraGap, bands: bands ?? Array(repeating: 0, count: structure.layers.count))
    }

    let compact: Bool

    /// Placed with rows `spacing` apart, then 1.3 times further apart each time, at most four times, until
    /// nothing overlaps (the last try when every one does).
    static func spread(from spacing: Double, _ place: (Double) -> GraphPlacement) -> GraphPlacement {
        var spacing = spacing, placement = place(spacing)
        for _ in 0..<4 where placement.hasOverlaps {
            spacing *= 1.3
            placement = place(spacing)
        }
        return placement
    }

    /// The room between rows and the extra gap between columns it was placed with.
    let spacing: Double, extraGap: Double

    /// The number each edge goes by in tags (`edge:a→b#3`): its index in the figure, or for a band of a
    /// wrapped graph (`BandedGraph`), its index in the whole figure, so a band's tags are the whole's.
    var edgeNumbers: [Int]

    // MARK: Sizes

    private func width(_ text: String, _ font: FontStyle) -> Double { measurer.measure(text, font: font).width }
    private func height(_ font: FontStyle) -> Double { measurer.measure("Xg", font: font).height }

    /// A table's rows as lines, each column right-aligned to its widest entry with figure spaces (the
    /// digits of DejaVu Sans are as wide as U+2007), so the columns line up.
    private func tableLines(_ rows: [[String]]?) -> [String] {
        guard let rows, !rows.isEmpty else { return [] }
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, entry in String(repeating: "\u{2007}", count: max(0, widths[c] - entry.count)) + entry }
                .joined(separator: "  ")
        }
    }

    private func matrixLines(_ node: ComputationalGraphFigure.Node) -> [String] { showsTables(node) ? tableLines(node.matrix) : [] }

    /// A continuation (a node drawn again in a later band) shows no tables: they are where it was first drawn.
    private func showsTables(_ node: ComputationalGraphFigure.Node) -> Bool { !node.isContinuation && node.showsTables(on: theme) }

    /// An edge label as the lines it is drawn in: one, or when it is wider than `splitWidth`, the fewest
    /// lines no wider than that, broken after a comma or semicolon (`[0.7556, 0.3522,` / `0.5018, 0.663]`),
    /// with about as many entries on each.
    func labelLines(_ text: String?) -> [String] {
        guard let text else { return [] }
        guard let limit = splitWidth, width(text, smallFont) > limit else { return [text] }
        var items: [String] = []
        var item = ""
        for character in text {
            if character == " ", let last = item.last, last == "," || last == ";" {
                items.append(item)
                item = ""
            } else {
                item.append(character)
            }
        }
        if !item.isEmpty { items.append(item) }
        guard items.count > 1 else { return [text] }
        var lines = [text]
        for count in 2...items.count {
            let per = (items.count + count - 1) / count
            lines = stride(from: 0, to: items.count, by: per).map { items[$0..<min($0 + per, items.count)].joined(separator: " ") }
            if lines.allSatisfy({ width($0, smallFont) <= limit }) { break }
        }
        return lines
    }

    /// A label of one line broken at the space nearest its middle into two (a label already in lines
    /// stays as it is).
    func twoLines(_ lines: [String]) -> [String] {
        guard lines.count == 1, let line = lines.first else { return lines }
        let spaces = line.indices.filter { line[$0] == " " && $0 != line.startIndex && line[line.index(before: $0)] != "←" }
        let middle = line.count / 2
        guard let cut = spaces.min(by: { abs(line.distance(from: line.startIndex, to: $0) - middle) < abs(line.distance(from: line.startIndex, to: $1) - middle) })
        else { return lines }
        return [String(line[..<cut]), String(line[line.index(after: cut)...])]
    }

    /// The widest line of an edge label.
    private func labelWidth(_ text: String?) -> Double { labelLines(text).map { width($0, smallFont) }.max() ?? 0 }

    /// The gradient's name, then its table.
    private func gradientLines(_ node: ComputationalGraphFigure.Node) -> [String] {
        guard let name = node.gradientName, showsTables(node) else { return [] }
        return ["← " + name] + tableLines(node.gradientMatrix)
    }

    private func nodeSize(_ node: ComputationalGraphFigure.Node) -> Size {
        let labelFont = node.kind == .variable ? theme.font(theme.labelSize, bold: true) : labelFont
        switch node.kind {
        case .operator:
            let diameter = max(width(node.label, labelFont), height(labelFont)) + 2 * padding * 0.8
            return Size(max(diameter, theme.labelSize * 2.2), max(diameter, theme.labelSize * 2.2))
        case .variable:
            var w = width(node.label, labelFont), h = height(labelFont)
            if let shape = node.shape { w = max(w, width(shape, smallFont)); h += height(smallFont) }
            for line in matrixLines(node) + gradientLines(node) { w = max(w, width(line, smallFont) + padding); h += height(smallFont) }
            return Size(max(w + 2 * padding, theme.labelSize * 2.4), max(h + 2 * padding * 0.8, theme.labelSize * 2.4))
        }
    }

    /// Vertical room a slot needs: its shape plus an operator's caption; a dummy leaves room for labels.
    private func extent(_ slot: GraphStructure.Slot) -> Double {
        switch slot {
        case .node(let n):
            let node = figure.nodes[n]
            let under = (node.caption == nil ? 0 : height(smallFont) + 4) + Double(node.notes.count) * (height(smallFont) + 2)
            return (sizes[n]?.height ?? 0) + 2 * under
        case .dummy: return 2 * height(smallFont)
        }
    }

    private func slotWidth(_ slot: GraphStructure.Slot) -> Double {
        if case .node(let n) = slot { return sizes[n]?.width ?? 0 }
        return 0
    }

    // MARK: Coordinates

    /// Room between two lanes of edges crossing from one band to the next.
    private var lane: Double { theme.labelSize * 0.8 }

    /// Each layer's slot of a route: a route takes one layer per step from its source's.
    private func layer(of route: [GraphStructure.Slot], _ i: Int) -> Int { structure.layerOfNode[nodeIndex(route[0])] + i }

    /// Half the width of each column and the gap after it, as wide as the widest label on an edge that
    /// starts in it.
    func columns(extraGap: Double) -> (halves: [Double], gaps: [Double]) {
        let layers = structure.layers
        let halves = layers.map { ($0.map(slotWidth).max() ?? 0) / 2 }
        let gaps = layers.indices.map { l in
            let widest = figure.edges.indices.filter { structure.layerOfNode[nodeIndex(structure.routes[$0][0])] == l }
                .map { e in max(labelWidth(figure.edges[e].value), labelWidth(gradientText(figure.edges[e]))) }.max() ?? 0
            return max(widest + 2.5 * padding, theme.labelSize * 3) + extraGap
        }
        return (halves, gaps)
    }

    /// How wide a band of layers s...e is: its columns and gaps, the lanes coming in when it is not the
    /// first and the gap and a lane going out when it is not the last.
    func bandWidth(_ s: Int, _ e: Int, halves: [Double], gaps: [Double]) -> Double {
        var w = (s > 0 ? theme.labelSize * 1.5 + lane : 0) + 2 * halves[s] + (e < halves.count - 1 ? gaps[e] + lane : 0)
        for l in s..<e { w += gaps[l] + halves[l] + halves[l + 1] }
        if e > s { w += halves[e] - halves[s] }
        return w
    }

    /// The edge segments from one band to the next: (edge, step in its route), for each band boundary in
    /// order of their source's height.
    private func crossings() -> [[(edge: Int, step: Int)]] {
        var result = Array(repeating: [(edge: Int, step: Int)](), count: max((bandOfLayer.max() ?? 0), 0))
        for (e, route) in structure.routes.enumerated() {
            for i in 0..<(route.count - 1) where bandOfLayer[layer(of: route, i)] != bandOfLayer[layer(of: route, i + 1)] {
                result[bandOfLayer[layer(of: route, i)]].append((e, i))
            }
        }
        return result.map { list in
            list.sorted { (centers[structure.routes[$0.edge][$0.step]]?.y ?? 0, $0.edge) < (centers[structure.routes[$1.edge][$1.step]]?.y ?? 0, $1.edge) }
        }
    }

    private var columnXs: [Double] = [], columnHalves: [Double] = [], columnGaps: [Double] = []
    private func columnX(_ l: Int) -> Double { columnXs[l] }
    private func columnHalf(_ l: Int) -> Double { columnHalves[l] }
    private func columnGap(_ l: Int) -> Double { columnGaps[l] }

    private mutating func place(spacing: Double, extraGap: Double, bands: [Int]) {
        let layers = structure.layers
        let (halves, gaps) = columns(extraGap: extraGap)
        bandOfLayer = bands
        // Columns: each gap is as wide as the widest label on an edge that starts in the layer before it;
        // a band after the first starts again on the left, after the lanes coming in.
        var columnX: [Double] = []
        var x = 0.0
        for l in layers.indices {
            if l > 0 {
                x = bandOfLayer[l] == bandOfLayer[l - 1] ? x + halves[l - 1] + gaps[l - 1] + halves[l]
                    : theme.labelSize * 1.5 + lane + halves[l]
            }
            columnX.append(x)
        }
        columnXs = columnX
        columnHalves = halves
        columnGaps = gaps
        // Rows: the inputs stacked in order; later layers aligned with their predecessors, pushed apart.
        var predecessors: [GraphStructure.Slot: [GraphStructure.Slot]] = [:]
        for route in structure.routes { for (a, b) in zip(route, route.dropFirst()) { predecessors[b, default: []].append(a) } }
        for (l, layer) in layers.enumerated() where compact {
            // Each slot level with its first operand that is not an input (or its first operand): the
            // first that has such a place takes it, those after it are pushed down from it and the
            // inputs before it stack up above it.
            let wanted = layer.map { slot -> Double? in
                let all = predecessors[slot] ?? []
                let inner = all.first { if case .node(let n) = $0 { return !isLeaf(n) }; return true }
                return (inner ?? all.first).flatMap { centers[$0]?.y }
            }
            func separation(_ i: Int) -> Double { (extent(layer[i - 1]) + extent(layer[i])) / 2 + spacing }
            var ys = Array(repeating: 0.0, count: layer.count)
            let anchor = wanted.firstIndex { $0 != nil } ?? 0
            ys[anchor] = wanted[anchor] ?? 0
            for i in stride(from: anchor + 1, to: layer.count, by: 1) { ys[i] = max(wanted[i] ?? ys[i - 1], ys[i - 1] + separation(i)) }
            for i in stride(from: anchor - 1, through: 0, by: -1) { ys[i] = ys[i + 1] - separation(i + 1) }
            for (slot, y) in zip(layer, ys) { centers[slot] = Point(columnX[l], y) }
        }
        for (l, layer) in layers.enumerated() where !compact {
            var ys: [Double] = []
            for (i, slot) in layer.enumerated() {
                let ps = (predecessors[slot] ?? []).compactMap { centers[$0]?.y }
                var y = ps.isEmpty ? (ys.last ?? 0) : ps.reduce(0, +) / Double(ps.count)
                if i > 0 {
                    let separation = (extent(layer[i - 1]) + extent(slot)) / 2 + spacing
                    y = max(y, ys[i - 1] + separation)
                } else if ps.isEmpty {
                    y = 0
                }
                ys.append(y)
            }
            // Centre a pushed-apart layer on where its predecessors want it.
            if l > 0 {
                let wanted = layer.map { slot -> Double? in
                    let ps = (predecessors[slot] ?? []).compactMap { centers[$0]?.y }
                    return ps.isEmpty ? nil : ps.reduce(0, +) / Double(ps.count)
                }.compactMap { $0 }
                if !wanted.isEmpty {
                    let shift = wanted.reduce(0, +) / Double(wanted.count) - ys.reduce(0, +) / Double(ys.count)
                    ys = ys.map { $0 + shift }
                }
            }
            for (slot, y) in zip(layer, ys) { centers[slot] = Point(columnX[l], y) }
        }
        if (bandOfLayer.max() ?? 0) > 0 {
            // Stacked with room for labels of the most lines, then again with the room the labels take.
            let unstacked = centers
            let room = Double(labelLineCount) * height(smallFont) + 6
            let count = (bandOfLayer.max() ?? 0) + 1
            stackBands(above: Array(repeating: room, count: count), below: Array(repeating: room, count: count))
            routeEdges()
            placeLabels()
            let (above, below) = labelOverhangs()
            centers = unstacked
            stackBands(above: above.map { $0 + 6 }, below: below.map { $0 + 6 })
        }
        routeEdges()
        placeLabels()
    }

    /// The slots of band b.
    private func slots(ofBand b: Int) -> [GraphStructure.Slot] {
        structure.layers.indices.filter { bandOfLayer[$0] == b }.flatMap { structure.layers[$0] }
    }

    /// How far each band's labels reach above and below its nodes (a label belongs to the band nearest it).
    private func labelOverhangs() -> (above: [Double], below: [Double]) {
        let count = (bandOfLayer.max() ?? 0) + 1
        let extents = (0..<count).map { b -> (top: Double, bottom: Double) in
            let slots = slots(ofBand: b)
            return (slots.compactMap { s in centers[s].map { $0.y - extent(s) / 2 } }.min() ?? 0,
                    slots.compactMap { s in centers[s].map { $0.y + extent(s) / 2 } }.max() ?? 0)
        }
        var above = Array(repeating: 0.0, count: count), below = Array(repeating: 0.0, count: count)
        for run in labels {
            let y = run.bounds.center.y
            let b = extents.indices.min { a, c in
                func distance(_ e: (top: Double, bottom: Double)) -> Double { y < e.top ? e.top - y : (y > e.bottom ? y - e.bottom : 0) }
                return distance(extents[a]) < distance(extents[c])
            } ?? 0
            above[b] = max(above[b], extents[b].top - run.bounds.minY)
            below[b] = max(below[b], run.bounds.maxY - extents[b].bottom)
        }
        return (above, below)
    }

    /// Whether node n has no edge into it.
    private func isLeaf(_ n: Int) -> Bool { !figure.edges.contains { $0.to == figure.nodes[n].id } }

    /// The most lines an edge label is drawn in.
    private var labelLineCount: Int {
        figure.edges.map { max(labelLines($0.value).count, labelLines(gradientText($0)).count) }.max() ?? 1
    }

    /// Moves each band under the one before it, with room between them for the edge labels and a lane for
    /// every edge crossing over, and records where the lanes run.
    private mutating func stackBands(above: [Double], below: [Double]) {
        let count = (bandOfLayer.max() ?? 0) + 1
        let crossing = crossings()
        var offset = 0.0, previousBottom = 0.0
        laneY = [:]
        for b in 0..<count {
            let slots = slots(ofBand: b)
            let tops = slots.compactMap { s in centers[s].map { $0.y - extent(s) / 2 } }
            let bottoms = slots.compactMap { s in centers[s].map { $0.y + extent(s) / 2 } }
            guard let top = tops.min(), let bottom = bottoms.max() else { continue }
            if b > 0 {
                let lanes = crossing[b - 1]
                let channelTop = previousBottom + below[b - 1]
                for (k, c) in lanes.enumerated() { laneY["\(c.edge):\(c.step)"] = (channelTop + Double(lanes.count - 1 - k) * lane + lane / 2, k, lanes.count) }
                offset = channelTop + Double(lanes.count) * lane + above[b] - top
            }
            for s in slots { if let c = centers[s] { centers[s] = Point(c.x, c.y + offset) } }
            previousBottom = bottom + offset
        }
    }

    /// How many edge segments cross from one band to the next.
    var crossingCount: Int { laneY.count }

    /// Where each edge segment crossing from one band to the next runs: its lane's height, its place among
    /// the crossings of that boundary (from the highest source) and how many there are.
    private var laneY: [String: (y: Double, index: Int, count: Int)] = [:]

    private func nodeIndex(_ slot: GraphStructure.Slot) -> Int {
        if case .node(let n) = slot { return n }
        return 0
    }

    func gradientText(_ edge: ComputationalGraphFigure.Edge) -> String? { edge.gradientText(on: theme) }

    /// Where the line from a node's centre towards `toward` leaves its shape.
    private func boundary(_ n: Int, toward target: Point) -> Point {
        guard let c = centers[.node(n)], let size = sizes[n] else { return target }
        let dx = target.x - c.x, dy = target.y - c.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > 0 else { return c }
        switch figure.nodes[n].kind {
        case .operator:
            let r = size.width / 2
            return Point(c.x + dx / length * r, c.y + dy / length * r)
        case .variable:
            let t = min(dx == 0 ? .infinity : size.width / 2 / abs(dx), dy == 0 ? .infinity : size.height / 2 / abs(dy))
            return Point(c.x + dx * t, c.y + dy * t)
        }
    }

    /// Edges as polylines through their dummy points. Parallel edges between the same two nodes (`x*x`)
    /// are fanned apart so each stays visible with its own labels.
    private mutating func routeEdges() {
        // The edges whose last segment crosses from one band into their target, by target.
        var intoTarget: [Int: [Int]] = [:]
        for (e, route) in structure.routes.enumerated() where route.count >= 2 && laneY["\(e):\(route.count - 2)"] != nil {
            intoTarget[nodeIndex(route[route.count - 1]), default: []].append(e)
        }
        func lastLane(_ e: Int) -> Int { laneY["\(e):\(structure.routes[e].count - 2)"]?.index ?? 0 }
        var parallel: [String: [Int]] = [:]
        for (e, edge) in figure.edges.enumerated() { parallel["\(edge.from)\u{0}\(edge.to)", default: []].append(e) }
        polylines = structure.routes.enumerated().map { e, route in
            var points = route.compactMap { centers[$0] }
            guard points.count >= 2, case .node(let a) = route[0], case .node(let b) = route[route.count - 1] else { return points }
            let edge = figure.edges[e]
            let twins = parallel["\(edge.from)\u{0}\(edge.to)"] ?? [e]
            if twins.count > 1, let k = twins.firstIndex(of: e) {
                // Offset perpendicular to the straight line between the two centres.
                let (p, q) = (points[0], points[points.count - 1])
                let dx = q.x - p.x, dy = q.y - p.y, length = max((dx * dx + dy * dy).squareRoot(), 1e-9)
                let shift = (Double(k) - Double(twins.count - 1) / 2) * theme.labelSize * 0.9
                let bend = Point((p.x + q.x) / 2 - dy / length * shift, (p.y + q.y) / 2 + dx / length * shift)
                points = [p, bend, q]
            }
            if twins.count <= 1, !laneY.isEmpty {
                // Segments into the same node come in at heights apart, so their arrows stay two.
                func arrival(_ i: Int) -> Double {
                    guard i + 1 == route.count - 1, laneY["\(e):\(i)"] != nil else { return 0 }
                    // In the order they come down (the one entering further left, lower), so they do not cross.
                    let into = (intoTarget[b] ?? []).sorted { (lastLane($0), $0) < (lastLane($1), $1) }
                    guard into.count > 1, let j = into.firstIndex(of: e) else { return 0 }
                    return (Double(j) - Double(into.count - 1) / 2) * theme.labelSize * 0.6
                }
                // A segment to the next band: out to the right, down to its lane, back left, down, and in
                // from the left; the higher its source, the further right it leaves and the lower its lane.
                var bent: [Point] = [points[0]]
                for i in 0..<(route.count - 1) {
                    if let (y, k, count) = laneY["\(e):\(i)"] {
                        let l = layer(of: route, i)
                        let (p, q) = (points[i], points[i + 1])
                        let exit = columnX(l) + columnHalf(l) + columnGap(l) + Double(count - 1 - k) * lane
                        let entry = columnX(l + 1) - columnHalf(l + 1) - theme.labelSize * 1.2 - Double(k) * lane
                        bent += [Point(exit, p.y), Point(exit, y), Point(entry, y), Point(entry, q.y + arrival(i))]
                    }
                    bent.append(points[i + 1])
                }
                points = bent
            }
            var line = points
            line[0] = boundary(a, toward: points[1])
            line[line.count - 1] = boundary(b, toward: points[points.count - 2])
            return line
        }
    }

    /// Value above and gradient below each edge's first segment, lifted clear of the line (a label w
    /// wide beside a line of slope k moves w·|k|/2 further so its corners clear it). Each edge tries
    /// points along its segment, nearest its less crowded end first, and takes the first whose labels
    /// overlap no node and no label placed before.
    private mutating func placeLabels() {
        labels = []
        hidden = []
        crowdedLabels = 0
        var taken = nodeBoxes().map { $0.insetBy(dx: -2, dy: -2) }
        // Arrowheads are wider than their lines: a label hugging a short edge sat on its own arrow. A
        // label keeps off them where it can (every try first), else only off nodes, labels and lines.
        let arrows = polylines.compactMap { line in
            line.count >= 2 ? arrowhead(from: line[line.count - 2], to: line[line.count - 1], tag: "").bounds.insetBy(dx: -1, dy: -1) : nil
        }
        for (n, node) in figure.nodes.enumerated() {
            guard let c = centers[.node(n)], let size = sizes[n] else { continue }
            var y = c.y + size.height / 2 + 3
            if let caption = node.caption {
                let run = TextRun.placed(caption, font: theme.font(theme.smallSize, italic: true), color: theme.muted,
                                         at: Point(c.x, y), anchor: .top, tag: "caption:\(node.id)", measurer: measurer)
                labels.append(run)
                taken.append(run.bounds)
                y = run.bounds.maxY + 2
            }
            for (i, note) in node.notes.enumerated() {
                let color = node.mark == .wrong ? theme.wrong : node.mark == .right ? theme.right : theme.foreground
                let run = TextRun.placed(note, font: smallFont, color: color, at: Point(c.x, y), anchor: .top,
                                         tag: "note:\(node.id)#\(i)", measurer: measurer)
                labels.append(run)
                taken.append(run.bounds)
                y = run.bounds.maxY + 2
            }
        }
        var outDegree: [String: Int] = [:], inDegree: [String: Int] = [:]
        for edge in figure.edges { outDegree[edge.from, default: 0] += 1; inDegree[edge.to, default: 0] += 1 }
        for (e, edge) in figure.edges.enumerated() {
            let line = polylines[e]
            guard line.count >= 2 else { continue }
            let (p, q) = (line[0], line[1])
            let slope = q.x == p.x ? 0 : abs((q.y - p.y) / (q.x - p.x))
            let tag = "\(edge.from)→\(edge.to)#\(edgeNumbers[e])"
            // A shared source crowds the start, a shared target the end.
            let nearSource = (outDegree[edge.from] ?? 0) <= 1 || (inDegree[edge.to] ?? 0) > 1
            let order = nearSource ? [0.4, 0.5, 0.3, 0.6, 0.25, 0.7, 0.2, 0.75] : [0.6, 0.5, 0.7, 0.4, 0.75, 0.3, 0.8, 0.25]
            var best: [TextRun] = [], placed = false
            // The value above and the gradient below; where no point takes them so, the other way round
            // (a parameter's gradient name under a short edge between two others would lie on its
            // neighbour's line: above it, it is clear and still its own edge's); in a compact layout then
            // each label also in two lines (`← ∂J/∂W1` over `via r1`: narrower beside a steep edge).
            let tries = (compact ? [(false, false), (true, false), (false, true), (true, true)] : [(false, false), (true, false)])
                .flatMap { f in order.map { ($0, f.0, f.1) } }
            for (t, flipped, narrow, keepsOffArrows) in [true, false].flatMap({ a in tries.map { ($0.0, $0.1, $0.2, a) } }) {
                let at = Point(p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t)
                var runs: [TextRun] = []
                for (text, above, color, kind) in [(edge.value, !flipped, theme.forward, "edge-value"),
                                                   (gradientText(edge), flipped, theme.gradient, "edge-gradient")] {
                    // A label of several lines grows away from its edge (each line under the same tag).
                    let lines = narrow ? twoLines(labelLines(text)) : labelLines(text)
                    let w = lines.map { width($0, smallFont) }.max() ?? 0
                    let lift = height(smallFont) / 2 + 3 + w * min(slope, 3) / 2
                    for (i, line) in lines.enumerated() {
                        let away = lift + Double(above ? lines.count - 1 - i : i) * height(smallFont)
                        runs.append(.placed(line, font: smallFont, color: color, at: Point(at.x, at.y + (above ? -away : away)),
                                            tag: "\(kind):\(tag)", measurer: measurer))
                    }
                }
                if best.isEmpty { best = runs }
                // In a compact layout, where edges run close together, a label also keeps off other edges.
                let crossesEdge = compact && runs.contains { run in
                    polylines.indices.contains { $0 != e && Self.touches(run.bounds, polylines[$0], halfWidth: theme.lineWidth / 2) }
                }
                if !crossesEdge, runs.allSatisfy({ run in !taken.contains { $0.overlaps(run.bounds) } }),
                   !keepsOffArrows || runs.allSatisfy({ run in !arrows.contains { $0.overlaps(run.bounds) } }) {
                    best = runs
                    placed = true
                    break
                }
            }
            if compact ? !placed : best.contains(where: { run in
                polylines.indices.contains { $0 != e && Self.touches(run.bounds, polylines[$0], halfWidth: theme.lineWidth / 2) }
            }) { crowdedLabels += 1 }
            for run in best {
                let isValue = (run.tag ?? "").hasPrefix("edge-value:")
                if isValue ? !edge.showsValue : !edge.showsGradient { hidden.insert(labels.count) }
                labels.append(run)
            }
            taken.append(contentsOf: best.map(\.bounds))
        }
    }

    /// Whether a polyline drawn `halfWidth` thick on each side passes through a box (a hair inside its
    /// edge): each segment clipped to the box grown by the half width (the line's centre 0.5 pt under a
    /// label still paints its top under the label's bottom: FigureCheck counts the stroke).
    static func touches(_ box: Rect, _ line: [Point], halfWidth: Double = 0) -> Bool {
        let r = box.insetBy(dx: 0.25 - halfWidth, dy: 0.25 - halfWidth)
        for (a, b) in zip(line, line.dropFirst()) {
            var t0 = 0.0, t1 = 1.0
            let dx = b.x - a.x, dy = b.y - a.y
            var inside = true
            for (p, q) in [(-dx, a.x - r.minX), (dx, r.maxX - a.x), (-dy, a.y - r.minY), (dy, r.maxY - a.y)] {
                if p == 0 {
                    if q < 0 { inside = false; break }
                } else {
                    let t = q / p
                    if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
                    if t0 > t1 { inside = false; break }
                }
            }
            if inside { return true }
        }
        return false
    }

    // MARK: Checks and drawing

    /// The box of each node's shape.
    func nodeBoxes() -> [Rect] {
        figure.nodes.indices.compactMap { n in
            guard let c = centers[.node(n)], let s = sizes[n] else { return nil }
            return Rect(x: c.x - s.width / 2, y: c.y - s.height / 2, width: s.width, height: s.height)
        }
    }

    /// Nodes and labels; with bands, also the lines (an edge's lanes run outside the columns).
    private func allBoxes() -> [Rect] {
        var boxes = nodeBoxes() + labels.map(\.bounds)
        if !laneY.isEmpty {
            for line in polylines {
                let xs = line.map(\.x), ys = line.map(\.y)
                if let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() {
                    boxes.append(Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0))
                }
            }
        }
        return boxes
    }

    /// The extent of everything drawn except the title.
    var contentBounds: Rect {
        let boxes = allBoxes()
        return boxes.dropFirst().reduce(boxes.first ?? Rect(x: 0, y: 0, width: 0, height: 0)) { $0.union($1) }
    }

    /// How many columns the layout has.
    var columnCount: Int { structure.layers.count }

    /// How many edges' labels lie on another edge's line (in a compact layout: found no place clear of
    /// every node, label and other edge; there the rows are spread further).
    private(set) var crowdedLabels = 0

    /// True when a label overlaps a node or another label, or two nodes overlap, or (compact) an edge's
    /// labels found no place off the other edges.
    var hasOverlaps: Bool { (compact && crowdedLabels > 0) || overlapsNodesOrLabels }

    /// True when a label overlaps a node or another label, or two nodes overlap.
    var overlapsNodesOrLabels: Bool {
        let boxes = nodeBoxes().map { $0.insetBy(dx: -2, dy: -2) } + labels.map(\.bounds)
        for i in boxes.indices { for j in boxes.indices where j > i && boxes[i].overlaps(boxes[j]) { return true } }
        return false
    }

    /// The page's size: the theme's, or larger to hold the graph under its title and over its formula.
    var pageSize: Size { Self.pageSize(holding: Size(contentBounds.width, contentBounds.height), figure: figure, theme: theme, measurer: measurer) }

    /// The page for content of this size under the figure's title and over its formula.
    static func pageSize(holding content: Size, figure: ComputationalGraphFigure, theme: Theme, measurer: any TextMeasurer) -> Size {
        let (title, formula) = bands(figure, theme: theme, measurer: measurer)
        return Size(max(theme.pageSize.width, content.width + 2 * theme.margin),
                    max(theme.pageSize.height, content.height + 2 * theme.margin + title + formula))
    }

    /// The height of the title's band at the top and of the formula's at the bottom.
    static func bands(_ figure: ComputationalGraphFigure, theme: Theme, measurer: any TextMeasurer) -> (title: Double, formula: Double) {
        func height(_ font: FontStyle) -> Double { measurer.measure("Xg", font: font).height }
        let title = titleLines(figure, theme: theme, measurer: measurer)
        return (title.lines.isEmpty ? 0 : height(theme.font(theme.titleSize, bold: true)) * 1.5 + height(title.font) * Double(title.lines.count - 1),
                figure.formula == nil ? 0 : height(theme.font(theme.labelSize)) * 1.8)
    }

    /// The title's lines and font: one line, made smaller where it is wider than the theme's page (never
    /// under the small size), or, where even that is too wide (a long title on a square slide), broken
    /// between words into lines of that size; one line set smaller still when no break fits either.
    static func titleLines(_ figure: ComputationalGraphFigure, theme: Theme, measurer: any TextMeasurer) -> (lines: [String], font: FontStyle) {
        guard let title = figure.title else { return ([], theme.font(theme.titleSize, bold: true)) }
        let text = MathText.figureText(title), room = theme.pageSize.width - 2 * theme.margin
        let font = theme.titleFont(text, within: room, measurer: measurer)
        // A frame's title stays one line: every frame of a sequence has the same title band.
        guard figure.formula == nil, measurer.measure(text, font: font).width > room, let lines = PanelGrid.wrapped(text, width: room, font: font, measurer: measurer)
        else { return ([text], font) }
        return (lines, font)
    }

    /// The page: the graph centred under its title (at the top) and over its formula (at the bottom). Only
    /// the graph's nodes, labels and lines set the page's size, so frames that differ in title, formula,
    /// highlight or revealed labels share one canvas and one placement.
    func displayList() -> DisplayList {
        let bounds = contentBounds
        var page = Self.page(figure, size: pageSize, theme: theme, measurer: measurer)
        let (title, formula) = Self.bands(figure, theme: theme, measurer: measurer)
        let dx = (page.size.width - bounds.width) / 2 - bounds.minX
        let room: Double = page.size.height - 2 * theme.margin - title - formula
        let dy: Double = theme.margin + title + (room - bounds.height) / 2 - bounds.minY
        draw(into: &page, offset: Point(dx, dy))
        return page
    }

    /// A page of this size with the figure's title at its top and its formula at its bottom, each set
    /// smaller if it is wider than the page allows.
    static func page(_ figure: ComputationalGraphFigure, size: Size, theme: Theme, measurer: any TextMeasurer) -> DisplayList {
        var page = DisplayList(size: size, background: theme.pageBackground)
        let margin = theme.margin
        func line(_ text: String, _ font: FontStyle, y: Double, anchor: LabelAnchor, tag: String) -> TextRun {
            var f = font
            let natural = measurer.measure(text, font: font).width, room = size.width - 2 * margin
            if natural > room { f.size *= room / natural }
            return .placed(text, font: f, color: theme.foreground, at: Point(size.width / 2, y), anchor: anchor, tag: tag, measurer: measurer)
        }
        let title = titleLines(figure, theme: theme, measurer: measurer)
        var y = margin
        for text in title.lines {
            let run = line(text, title.lines.count == 1 ? theme.font(theme.titleSize, bold: true) : title.font, y: y, anchor: .top, tag: "title")
            page.append(.text(run))
            y = run.bounds.maxY
        }
        if let formula = figure.formula {
            page.append(.text(line(formula, theme.font(theme.labelSize), y: size.height - margin, anchor: .bottom, tag: "formula")))
        }
        return page
    }

    /// The graph (highlights, marks, edges, nodes and labels, without title or formula) moved by `offset`.
    func draw(into page: inout DisplayList, offset: Point) {
        let (dx, dy) = (offset.x, offset.y)
        func at(_ p: Point) -> Point { Point(p.x + dx, p.y + dy) }
        func moved(_ run: TextRun) -> TextRun {
            var r = run
            r.origin = at(run.origin)
            r.bounds = Rect(x: run.bounds.x + dx, y: run.bounds.y + dy, width: run.bounds.width, height: run.bounds.height)
            return r
        }
        let stroke = Stroke(theme.foreground, width: theme.lineWidth)
        // Highlight halos first, under everything.
        switch figure.highlight {
        case .node(let id)?:
            for n in figure.nodes.indices where figure.nodes[n].id == id {
                page.append(.path(shape(n, offset: at, fill: nil, stroke: Stroke(theme.highlight, width: theme.lineWidth * 6), tag: "highlight:\(id)")))
            }
        case .edge(let from, let to, let index)?:
            if figure.edges.indices.contains(index), figure.edges[index].from == from, figure.edges[index].to == to {
                page.append(.path(PathShape(polyline(polylines[index].map(at)), stroke: Stroke(theme.highlight, width: theme.lineWidth * 6),
                                            tag: "highlight:\(from)→\(to)#\(edgeNumbers[index])")))
            }
        case nil: break
        }
        for (n, node) in figure.nodes.enumerated() {
            guard let mark = node.mark, !node.isContinuation else { continue }
            page.append(.path(shape(n, offset: at, fill: nil, stroke: Stroke(mark == .wrong ? theme.wrong : theme.right, width: theme.lineWidth * 4),
                                    tag: "mark:\(node.id)")))
        }
        if figure.highlightsAll {
            for (n, node) in figure.nodes.enumerated() {
                page.append(.path(shape(n, offset: at, fill: nil, stroke: Stroke(theme.highlight, width: theme.lineWidth * 6), tag: "highlight:\(node.id)")))
            }
            for (e, edge) in figure.edges.enumerated() where polylines[e].count >= 2 {
                page.append(.path(PathShape(polyline(polylines[e].map(at)), stroke: Stroke(theme.highlight, width: theme.lineWidth * 6),
                                            tag: "highlight:\(edge.from)→\(edge.to)#\(edgeNumbers[e])")))
            }
        }
        for (e, edge) in figure.edges.enumerated() {
            let line = polylines[e].map(at)
            guard line.count >= 2 else { continue }
            let tag = "\(edge.from)→\(edge.to)#\(edgeNumbers[e])"
            page.append(.path(PathShape(polyline(line), stroke: stroke, tag: "edge:\(tag)")))
            page.append(.path(arrowhead(from: line[line.count - 2], to: line[line.count - 1], tag: "arrow:\(tag)")))
        }
        for (n, node) in figure.nodes.enumerated() {
            let fill = node.kind == .variable ? theme.variableFill : theme.operatorFill
            // A continuation's box is dashed: the node itself is drawn in an earlier band.
            let outline = node.isContinuation ? Stroke(theme.foreground, width: theme.lineWidth, dash: [theme.lineWidth * 3, theme.lineWidth * 2]) : stroke
            page.append(.path(shape(n, offset: at, fill: fill, stroke: outline, tag: (node.isContinuation ? "node-continued:" : "node:") + node.id)))
            page.append(contentsOf: nodeText(n, offset: at))
        }
        page.append(contentsOf: labels.indices.filter { !hidden.contains($0) }.map { .text(moved(labels[$0])) })
    }

    private func polyline(_ points: [Point]) -> [PathElement] {
        guard let first = points.first else { return [] }
        return [.move(first)] + points.dropFirst().map { .line($0) }
    }

    private func arrowhead(from a: Point, to b: Point, tag: String) -> PathShape {
        let dx = b.x - a.x, dy = b.y - a.y, length = max((dx * dx + dy * dy).squareRoot(), 1e-9)
        let (ux, uy) = (dx / length, dy / length)
        let size = 4 + 3 * theme.lineWidth
        let base = Point(b.x - ux * size, b.y - uy * size)
        return PathShape([.move(b), .line(Point(base.x - uy * size * 0.45, base.y + ux * size * 0.45)),
                          .line(Point(base.x + uy * size * 0.45, base.y - ux * size * 0.45)), .close],
                         fill: theme.foreground, tag: tag)
    }

    private func shape(_ n: Int, offset: (Point) -> Point, fill: Color?, stroke: Stroke, tag: String) -> PathShape {
        let c = offset(centers[.node(n)] ?? Point(0, 0)), s = sizes[n] ?? Size(0, 0)
        switch figure.nodes[n].kind {
        case .operator:
            return PathShape([.arc(center: c, radius: s.width / 2, start: 0, end: 2 * .pi), .close], fill: fill, stroke: stroke, tag: tag)
        case .variable:
            let r = min(6, s.width / 4), x0 = c.x - s.width / 2, y0 = c.y - s.height / 2, x1 = x0 + s.width, y1 = y0 + s.height
            return PathShape([.move(Point(x0 + r, y0)), .line(Point(x1 - r, y0)),
                              .arc(center: Point(x1 - r, y0 + r), radius: r, start: -.pi / 2, end: 0),
                              .line(Point(x1, y1 - r)), .arc(center: Point(x1 - r, y1 - r), radius: r, start: 0, end: .pi / 2),
                              .line(Point(x0 + r, y1)), .arc(center: Point(x0 + r, y1 - r), radius: r, start: .pi / 2, end: .pi),
                              .line(Point(x0, y0 + r)), .arc(center: Point(x0 + r, y0 + r), radius: r, start: .pi, end: 1.5 * .pi),
                              .close], fill: fill, stroke: stroke, tag: tag)
        }
    }

    /// The label (and a tensor's shape and entries) stacked in the middle of the node.
    private func nodeText(_ n: Int, offset: (Point) -> Point) -> [Primitive] {
        let node = figure.nodes[n]
        let c = offset(centers[.node(n)] ?? Point(0, 0))
        let font = node.kind == .variable ? theme.font(theme.labelSize, bold: true) : labelFont
        var lines: [(String, FontStyle, Color, String)] = [(node.label, font, theme.foreground, "node-label:\(node.id)")]
        if let shape = node.shape { lines.append((shape, smallFont, theme.muted, "node-shape:\(node.id)")) }
        for (i, line) in matrixLines(node).enumerated() { lines.append((line, smallFont, theme.forward, "node-matrix:\(node.id)#\(i)")) }
        // A gradient not yet sent (a frame of the backward pass) keeps its place, undrawn.
        let shown = node.showsGradient ? Int.max : lines.count
        for (i, line) in gradientLines(node).enumerated() { lines.append((line, smallFont, theme.gradient, "node-gradient:\(node.id)#\(i)")) }
        let heights = lines.map { height($0.1) }
        var y = c.y - heights.reduce(0, +) / 2
        var result: [Primitive] = []
        for (k, (line, h)) in zip(lines, heights).enumerated() {
            if k < shown {
                result.append(.text(.placed(line.0, font: line.1, color: line.2, at: Point(c.x, y + h / 2), tag: line.3, measurer: measurer)))
            }
            y += h
        }
        return result
    }
}
