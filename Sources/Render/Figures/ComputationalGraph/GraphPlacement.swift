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

    init(figure: ComputationalGraphFigure, structure: GraphStructure, theme: Theme, measurer: any TextMeasurer,
         spacing: Double, extraGap: Double = 0) {
        self.figure = figure
        self.structure = structure
        self.theme = theme
        self.measurer = measurer
        for n in figure.nodes.indices { sizes[n] = nodeSize(figure.nodes[n]) }
        place(spacing: spacing, extraGap: extraGap)
    }

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

    private func matrixLines(_ node: ComputationalGraphFigure.Node) -> [String] { tableLines(node.matrix) }

    /// The gradient's name, then its table.
    private func gradientLines(_ node: ComputationalGraphFigure.Node) -> [String] {
        guard let name = node.gradientName else { return [] }
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

    private mutating func place(spacing: Double, extraGap: Double) {
        let layers = structure.layers
        // Columns: each gap is as wide as the widest label on an edge that starts in the layer before it.
        var columnX: [Double] = []
        var x = 0.0
        for (l, layer) in layers.enumerated() {
            let half = (layer.map(slotWidth).max() ?? 0) / 2
            if l > 0 {
                let previousHalf = (layers[l - 1].map(slotWidth).max() ?? 0) / 2
                let widest = figure.edges.indices.filter { structure.layerOfNode[nodeIndex(structure.routes[$0][0])] == l - 1 }
                    .map { e in max(width(figure.edges[e].value ?? "", smallFont),
                                    width(gradientText(figure.edges[e]) ?? "", smallFont)) }.max() ?? 0
                x += previousHalf + max(widest + 2.5 * padding, theme.labelSize * 3) + extraGap + half
            }
            columnX.append(x)
        }
        // Rows: the inputs stacked in order; later layers aligned with their predecessors, pushed apart.
        var predecessors: [GraphStructure.Slot: [GraphStructure.Slot]] = [:]
        for route in structure.routes { for (a, b) in zip(route, route.dropFirst()) { predecessors[b, default: []].append(a) } }
        for (l, layer) in layers.enumerated() {
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
        routeEdges()
        placeLabels()
    }

    private func nodeIndex(_ slot: GraphStructure.Slot) -> Int {
        if case .node(let n) = slot { return n }
        return 0
    }

    func gradientText(_ edge: ComputationalGraphFigure.Edge) -> String? {
        edge.gradient.map { "← \($0)" }
    }

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
        var taken = nodeBoxes().map { $0.insetBy(dx: -2, dy: -2) }
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
            let tag = "\(edge.from)→\(edge.to)#\(e)"
            // A shared source crowds the start, a shared target the end.
            let nearSource = (outDegree[edge.from] ?? 0) <= 1 || (inDegree[edge.to] ?? 0) > 1
            let order = nearSource ? [0.4, 0.5, 0.3, 0.6, 0.25, 0.7, 0.2, 0.75] : [0.6, 0.5, 0.7, 0.4, 0.75, 0.3, 0.8, 0.25]
            var best: [TextRun] = []
            for t in order {
                let at = Point(p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t)
                var runs: [TextRun] = []
                for (text, above, color, kind) in [(edge.value, true, theme.forward, "edge-value"),
                                                   (gradientText(edge), false, theme.gradient, "edge-gradient")] {
                    guard let text else { continue }
                    let w = width(text, smallFont)
                    let lift = height(smallFont) / 2 + 3 + w * min(slope, 3) / 2
                    runs.append(.placed(text, font: smallFont, color: color, at: Point(at.x, at.y + (above ? -lift : lift)),
                                        tag: "\(kind):\(tag)", measurer: measurer))
                }
                if best.isEmpty { best = runs }
                if runs.allSatisfy({ run in !taken.contains { $0.overlaps(run.bounds) } }) {
                    best = runs
                    break
                }
            }
            for run in best {
                let isValue = (run.tag ?? "").hasPrefix("edge-value:")
                if isValue ? !edge.showsValue : !edge.showsGradient { hidden.insert(labels.count) }
                labels.append(run)
            }
            taken.append(contentsOf: best.map(\.bounds))
        }
    }

    // MARK: Checks and drawing

    /// The box of each node's shape.
    func nodeBoxes() -> [Rect] {
        figure.nodes.indices.compactMap { n in
            guard let c = centers[.node(n)], let s = sizes[n] else { return nil }
            return Rect(x: c.x - s.width / 2, y: c.y - s.height / 2, width: s.width, height: s.height)
        }
    }

    private func allBoxes() -> [Rect] { nodeBoxes() + labels.map(\.bounds) }

    /// The extent of everything drawn except the title.
    var contentBounds: Rect {
        let boxes = allBoxes()
        return boxes.dropFirst().reduce(boxes.first ?? Rect(x: 0, y: 0, width: 0, height: 0)) { $0.union($1) }
    }

    /// How many columns the layout has.
    var columnCount: Int { structure.layers.count }

    /// True when a label overlaps a node or another label, or two nodes overlap.
    var hasOverlaps: Bool {
        let boxes = nodeBoxes().map { $0.insetBy(dx: -2, dy: -2) } + labels.map(\.bounds)
        for i in boxes.indices { for j in boxes.indices where j > i && boxes[i].overlaps(boxes[j]) { return true } }
        return false
    }

    /// The page: the graph centred under its title (at the top) and over its formula (at the bottom). Only
    /// the graph's nodes and labels set the page's size, so frames that differ in title, formula,
    /// highlight or revealed labels share one canvas and one placement.
    func displayList() -> DisplayList {
        let boxes = allBoxes()
        let bounds = boxes.dropFirst().reduce(boxes.first ?? Rect(x: 0, y: 0, width: 0, height: 0)) { $0.union($1) }
        let margin = theme.margin
        let titleFont = theme.font(theme.titleSize, bold: true), formulaFont = theme.font(theme.labelSize)
        let titleBand = figure.title == nil ? 0 : height(titleFont) * 1.5
        let formulaBand = figure.formula == nil ? 0 : height(formulaFont) * 1.8
        let size = Size(max(theme.pageSize.width, bounds.width + 2 * margin),
                        max(theme.pageSize.height, bounds.height + 2 * margin + titleBand + formulaBand))
        let dx = (size.width - bounds.width) / 2 - bounds.minX
        let dy = margin + titleBand + (size.height - 2 * margin - titleBand - formulaBand - bounds.height) / 2 - bounds.minY
        func at(_ p: Point) -> Point { Point(p.x + dx, p.y + dy) }
        func moved(_ run: TextRun) -> TextRun {
            var r = run
            r.origin = at(run.origin)
            r.bounds = Rect(x: run.bounds.x + dx, y: run.bounds.y + dy, width: run.bounds.width, height: run.bounds.height)
            return r
        }
        /// A line centred on the page, set smaller if it is wider than the page allows.
        func line(_ text: String, _ font: FontStyle, y: Double, anchor: LabelAnchor, tag: String) -> TextRun {
            var f = font
            let natural = width(text, font), room = size.width - 2 * margin
            if natural > room { f.size *= room / natural }
            return .placed(text, font: f, color: theme.foreground, at: Point(size.width / 2, y), anchor: anchor, tag: tag, measurer: measurer)
        }

        var page = DisplayList(size: size, background: theme.pageBackground)
        let stroke = Stroke(theme.foreground, width: theme.lineWidth)
        // Highlight halos first, under everything.
        switch figure.highlight {
        case .node(let id)?:
            if let n = figure.nodes.firstIndex(where: { $0.id == id }) {
                page.append(.path(shape(n, offset: at, fill: nil, stroke: Stroke(theme.highlight, width: theme.lineWidth * 6), tag: "highlight:\(id)")))
            }
        case .edge(let from, let to, let index)?:
            if figure.edges.indices.contains(index), figure.edges[index].from == from, figure.edges[index].to == to {
                page.append(.path(PathShape(polyline(polylines[index].map(at)), stroke: Stroke(theme.highlight, width: theme.lineWidth * 6),
                                            tag: "highlight:\(from)→\(to)#\(index)")))
            }
        case nil: break
        }
        for (n, node) in figure.nodes.enumerated() {
            guard let mark = node.mark else { continue }
            page.append(.path(shape(n, offset: at, fill: nil, stroke: Stroke(mark == .wrong ? theme.wrong : theme.right, width: theme.lineWidth * 4),
                                    tag: "mark:\(node.id)")))
        }
        if figure.highlightsAll {
            for (n, node) in figure.nodes.enumerated() {
                page.append(.path(shape(n, offset: at, fill: nil, stroke: Stroke(theme.highlight, width: theme.lineWidth * 6), tag: "highlight:\(node.id)")))
            }
            for (e, edge) in figure.edges.enumerated() where polylines[e].count >= 2 {
                page.append(.path(PathShape(polyline(polylines[e].map(at)), stroke: Stroke(theme.highlight, width: theme.lineWidth * 6),
                                            tag: "highlight:\(edge.from)→\(edge.to)#\(e)")))
            }
        }
        for (e, edge) in figure.edges.enumerated() {
            let line = polylines[e].map(at)
            guard line.count >= 2 else { continue }
            page.append(.path(PathShape(polyline(line), stroke: stroke, tag: "edge:\(edge.from)→\(edge.to)#\(e)")))
            page.append(.path(arrowhead(from: line[line.count - 2], to: line[line.count - 1], tag: "arrow:\(edge.from)→\(edge.to)#\(e)")))
        }
        for (n, node) in figure.nodes.enumerated() {
            let fill = node.kind == .variable ? theme.variableFill : theme.operatorFill
            page.append(.path(shape(n, offset: at, fill: fill, stroke: stroke, tag: "node:\(node.id)")))
            page.append(contentsOf: nodeText(n, offset: at))
        }
        page.append(contentsOf: labels.indices.filter { !hidden.contains($0) }.map { .text(moved(labels[$0])) })
        if let title = figure.title { page.append(.text(line(MathText.figureText(title), titleFont, y: margin, anchor: .top, tag: "title"))) }
        if let formula = figure.formula {
            page.append(.text(line(formula, formulaFont, y: size.height - margin, anchor: .bottom, tag: "formula")))
        }
        return page
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
