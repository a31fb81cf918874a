import Foundation
import Testing
@testable import Render

/// The figure checked on its display list, without rasterizing.
@Suite struct ComputationalGraphFigureTests {
    let measurer = CairoTextMeasurer()

    /// A sum of n inputs added one by one: input k feeds the k-th addition, so its edge bends in every
    /// column before it (about n²/2 bends).
    static func sum(_ n: Int) -> ComputationalGraphFigure {
        var nodes = (0..<n).map { ComputationalGraphFigure.Node(id: "x\($0)", kind: .variable, label: "x\($0)") }
        var edges: [ComputationalGraphFigure.Edge] = []
        var last = "x0"
        for k in 1..<n {
            nodes.append(.init(id: "s\(k)", kind: .operator, label: "+"))
            edges += [.init(from: last, to: "s\(k)"), .init(from: "x\(k)", to: "s\(k)")]
            last = "s\(k)"
        }
        return ComputationalGraphFigure(nodes: nodes, edges: edges)
    }

    /// Figures over the node or bend limit are refused before layout; a long chain, with no bends, is
    /// drawn at the node limit.
    @Test func sizeLimits() throws {
        #expect(throws: GraphFigureError.tooManyBends(bends: 20_503, limit: 20_000)) { try Self.sum(204).layout(theme: .slides, measurer: measurer) }
        #expect(throws: Never.self) { try Self.sum(200).checkSize() }
        let chain = ComputationalGraphFigure(nodes: (0..<1_000).map { .init(id: "n\($0)", kind: .operator, label: "σ") },
                                             edges: (1..<1_000).map { .init(from: "n\($0 - 1)", to: "n\($0)") })
        #expect(throws: Never.self) { try chain.checkSize() }
        var larger = chain
        larger.nodes.append(.init(id: "extra", kind: .variable, label: "x"))
        #expect(throws: GraphFigureError.tooLarge(nodes: 1_001, limit: 1_000)) { try larger.checkSize() }
    }

    /// Note 000's graph L = c(a + 2b) at a = 3, b = 1, c = −2.
    static let lecture = ComputationalGraphFigure(
        nodes: [.init(id: "a", kind: .variable, label: "a"), .init(id: "b", kind: .variable, label: "b"),
                .init(id: "c", kind: .variable, label: "c"),
                .init(id: "d", kind: .operator, label: "×2", caption: "d"), .init(id: "e", kind: .operator, label: "+", caption: "e"),
                .init(id: "L", kind: .operator, label: "×"), .init(id: "L ", kind: .variable, label: "L")],
        edges: [.init(from: "b", to: "d", value: "1", gradient: "−4"), .init(from: "a", to: "e", value: "3", gradient: "−2"),
                .init(from: "d", to: "e", value: "2", gradient: "−2"), .init(from: "c", to: "L", value: "−2", gradient: "5"),
                .init(from: "e", to: "L", value: "5", gradient: "−2"), .init(from: "L", to: "L ", value: "−10", gradient: "1")],
        title: "L = c(a + 2b)")

    /// Note 001's f = (x + y)z at x = −2, y = 5, z = −4.
    static let cs231n = ComputationalGraphFigure(
        nodes: [.init(id: "x", kind: .variable, label: "x"), .init(id: "y", kind: .variable, label: "y"),
                .init(id: "z", kind: .variable, label: "z"), .init(id: "q", kind: .operator, label: "+", caption: "q"),
                .init(id: "f", kind: .operator, label: "×"), .init(id: "f ", kind: .variable, label: "f")],
        edges: [.init(from: "x", to: "q", value: "−2", gradient: "−4"), .init(from: "y", to: "q", value: "5", gradient: "−4"),
                .init(from: "q", to: "f", value: "3", gradient: "−4"), .init(from: "z", to: "f", value: "−4", gradient: "3"),
                .init(from: "f", to: "f ", value: "−12", gradient: "1")])

    func boxes(_ page: DisplayList, _ prefix: String) -> [Rect] {
        page.items.compactMap { item in
            guard let tag = item.tag, tag.hasPrefix(prefix) else { return nil }
            switch item {
            case .path(let p): return p.bounds
            case .text(let t): return t.bounds
            case .raster(let r): return r.frame
            }
        }
    }

    /// Segments of all edges (excluding arrowheads).
    func segments(_ page: DisplayList) -> [(Point, Point, String)] {
        page.items.flatMap { item -> [(Point, Point, String)] in
            guard case .path(let p) = item, let tag = p.tag, tag.hasPrefix("edge:") else { return [] }
            let points = p.elements.compactMap { e -> Point? in
                switch e { case .move(let q), .line(let q): return q; default: return nil }
            }
            return zip(points, points.dropFirst()).map { ($0, $1, tag) }
        }
    }

    func properlyCross(_ a: (Point, Point), _ b: (Point, Point)) -> Bool {
        func side(_ p: Point, _ q: Point, _ r: Point) -> Double { (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x) }
        let d1 = side(b.0, b.1, a.0), d2 = side(b.0, b.1, a.1), d3 = side(a.0, a.1, b.0), d4 = side(a.0, a.1, b.1)
        return d1 * d2 < -1e-9 && d3 * d4 < -1e-9
    }

    @Test(arguments: [("lecture", lecture), ("cs231n", cs231n)], [Theme.slides, Theme.paper])
    func noOverlapsNoCrossingsAllInside(fixture: (String, ComputationalGraphFigure), theme: Theme) throws {
        let page = try fixture.1.layout(theme: theme, measurer: measurer)
        let pageRect = Rect(x: 0, y: 0, width: page.size.width, height: page.size.height)
        let nodes = boxes(page, "node:")
        let texts = page.texts.filter { !($0.tag ?? "").hasPrefix("node-") }
        #expect(nodes.count == fixture.1.nodes.count)
        for (i, a) in nodes.enumerated() { for b in nodes[(i + 1)...] { #expect(!a.overlaps(b)) } }
        for t in texts {
            #expect(pageRect.contains(t.bounds), "\(t.text) outside the page")
            for n in nodes { #expect(!t.bounds.overlaps(n), "\(t.text) overlaps a node") }
        }
        for (i, a) in texts.enumerated() { for b in texts[(i + 1)...] { #expect(!a.bounds.overlaps(b.bounds), "\(a.text) overlaps \(b.text)") } }
        for n in nodes { #expect(pageRect.contains(n)) }
        // Both graphs are trees: no two edges cross.
        let s = segments(page)
        for (i, a) in s.enumerated() { for b in s[(i + 1)...] where a.2 != b.2 { #expect(!properlyCross((a.0, a.1), (b.0, b.1)), "\(a.2) crosses \(b.2)") } }
    }

    /// Values above in the forward colour, gradients below in the gradient colour, each the text given.
    @Test func edgeLabelsCarryTheNumbersInTheThemeColours() throws {
        let theme = Theme.slides
        let page = try Self.lecture.layout(theme: theme, measurer: measurer)
        let values = page.texts.filter { ($0.tag ?? "").hasPrefix("edge-value:") }
        let gradients = page.texts.filter { ($0.tag ?? "").hasPrefix("edge-gradient:") }
        #expect(values.map(\.text) == ["1", "3", "2", "−2", "5", "−10"])
        #expect(gradients.map(\.text) == ["← −4", "← −2", "← −2", "← 5", "← −2", "← 1"])
        #expect(values.allSatisfy { $0.color == theme.forward })
        #expect(gradients.allSatisfy { $0.color == theme.gradient })
        // Each value sits above its gradient.
        for (v, g) in zip(values, gradients) { #expect(v.bounds.maxY <= g.bounds.minY) }
        // Inputs are on the left in the given order, the output square on the right.
        let centers = Dictionary(uniqueKeysWithValues: page.items.compactMap { item -> (String, Point)? in
            guard case .path(let p) = item, let tag = p.tag, tag.hasPrefix("node:") else { return nil }
            return (String(tag.dropFirst(5)), p.bounds.center)
        })
        let a = try #require(centers["a"]), b = try #require(centers["b"]), c = try #require(centers["c"]), out = try #require(centers["L "])
        #expect(a.x == b.x && b.x == c.x && a.y < b.y && b.y < c.y)
        #expect(out.x > (centers.values.map(\.x).filter { $0 != out.x }.max() ?? 0))
    }

    @Test func highlightIsDrawnUnderTheNode() throws {
        var figure = Self.lecture
        figure.highlight = .node("e")
        let page = try figure.layout(theme: .slides, measurer: measurer)
        let tags = page.items.compactMap(\.tag)
        let halo = try #require(tags.firstIndex(of: "highlight:e")), node = try #require(tags.firstIndex(of: "node:e"))
        #expect(halo < node)
        figure.highlight = .edge(from: "b", to: "d", index: 0)
        #expect(try figure.layout(theme: .slides, measurer: measurer).items.contains { $0.tag == "highlight:b→d#0" })
    }

    @Test func layoutIsDeterministic() throws {
        let first = try Self.lecture.layout(theme: .paper, measurer: measurer)
        let second = try Self.lecture.layout(theme: .paper, measurer: measurer)
        #expect(String(describing: first.items) == String(describing: second.items))
    }

    /// A 300-node chain does not squeeze: the page grows to hold it at the theme's type size.
    @Test func largeGraphsGrowThePage() throws {
        var nodes: [ComputationalGraphFigure.Node] = [.init(id: "x", kind: .variable, label: "x")]
        var edges: [ComputationalGraphFigure.Edge] = []
        for i in 1...300 {
            nodes.append(.init(id: "t\(i)", kind: .operator, label: "σ", caption: "t\(i)"))
            edges.append(.init(from: i == 1 ? "x" : "t\(i - 1)", to: "t\(i)", value: "0.5", gradient: "0.25"))
        }
        let page = try ComputationalGraphFigure(nodes: nodes, edges: edges).layout(theme: .paper, measurer: measurer)
        #expect(page.size.width > 20 * Theme.paper.pageSize.width)
        #expect(page.texts.allSatisfy { $0.font.size >= Theme.paper.smallSize })
    }

    @Test func badFiguresAreErrors() {
        let a = ComputationalGraphFigure.Node(id: "a", kind: .variable, label: "a")
        #expect(throws: GraphFigureError.duplicateNode("a")) {
            try ComputationalGraphFigure(nodes: [a, a], edges: []).layout(theme: .paper, measurer: measurer)
        }
        #expect(throws: GraphFigureError.unknownNode("q")) {
            try ComputationalGraphFigure(nodes: [a], edges: [.init(from: "a", to: "q")]).layout(theme: .paper, measurer: measurer)
        }
        let b = ComputationalGraphFigure.Node(id: "b", kind: .operator, label: "+")
        #expect(throws: GraphFigureError.cycle) {
            try ComputationalGraphFigure(nodes: [a, b], edges: [.init(from: "a", to: "b"), .init(from: "b", to: "a")])
                .layout(theme: .paper, measurer: measurer)
        }
    }
}

/// Tensor graphs that read (issue 14: W1's edge said "← 3×4" instead of its gradient).
@Suite struct TensorGraphTests {
    @Test func aParametersGradientIsATableInItsBoxAndNamedOnItsEdge() throws {
        let figure = ComputationalGraphFigure(
            nodes: [.init(id: "X", kind: .variable, label: "X", shape: "1×2", matrix: [["0", "1"]]),
                    .init(id: "W", kind: .variable, label: "W", shape: "2×2", matrix: [["0.5", "−1"], ["2", "0.25"]],
                          gradientName: "∂L/∂W", gradientMatrix: [["0", "0"], ["−0.5", "0.125"]]),
                    .init(id: "z", kind: .operator, label: "·", caption: "z")],
            edges: [.init(from: "X", to: "z"), .init(from: "W", to: "z", gradient: "∂L/∂W")])
        let page = try figure.layout(theme: .slides, measurer: CairoTextMeasurer())
        let gradientRows = page.texts.filter { ($0.tag ?? "").hasPrefix("node-gradient:W") }
        #expect(gradientRows.map(\.text) == ["← ∂L/∂W", "\u{2007}\u{2007}\u{2007}0  \u{2007}\u{2007}\u{2007}\u{2007}0", "−0.5  0.125"])
        #expect(gradientRows.allSatisfy { $0.color == Theme.slides.gradient })
        #expect(page.texts.contains { $0.tag?.hasPrefix("edge-gradient:W→z") == true && $0.text == "← ∂L/∂W" })
        #expect(FigureCheck.problems(page, use: .projected, measurer: CairoTextMeasurer()) == [])
    }

    /// A slide writes out a small tensor (X's three entries, Y's one) but names a large one by its name and
    /// shape, its gradient named on its edge: W1's 3×4 value and gradient tables made the XOR graph too large
    /// for a 4:3 slide's text to stay 24 px. The report's column keeps every table.
    @Test func aSlideNamesALargeMatrixByItsShapeAndPaperWritesItOut() throws {
        let figure = CompactGraphTests.xor()
        let measurer = CairoTextMeasurer()
        let slide = try figure.layout(theme: FigureStyle(aspect: .standard).slides, measurer: measurer)
        func rows(_ page: DisplayList, _ prefix: String) -> [String] { page.texts.filter { ($0.tag ?? "").hasPrefix(prefix) }.map(\.text) }
        #expect(rows(slide, "node-label:W1") == ["W1"] && rows(slide, "node-shape:W1") == ["3×4"])
        #expect(rows(slide, "node-matrix:W1").isEmpty && rows(slide, "node-gradient:W1").isEmpty)
        #expect(rows(slide, "node-matrix:X") == ["0  1  1"] && rows(slide, "node-matrix:Y") == ["1"])
        #expect(rows(slide, "edge-gradient:W1→z1") == ["← ∂L/∂W1"] && rows(slide, "edge-gradient:W2→z2") == ["← ∂L/∂W2"])
        let paper = try figure.layout(theme: .paper, measurer: measurer)
        #expect(rows(paper, "node-matrix:W1").count == 3 && rows(paper, "node-gradient:W1").count == 4)
        #expect(rows(paper, "node-matrix:W2").count == 4 && rows(paper, "node-gradient:W2").count == 5)
    }
}

/// A tensor graph too large to read at its size is laid out compactly (issue 14): inputs next to their
/// use, long vectors on edges in lines, the columns wrapped onto bands; a graph that reads keeps its layout.
@Suite struct CompactGraphTests {
    let measurer = CairoTextMeasurer()

    /// The XOR network's graph for one sample (note 001: l1 = σ(X·W1), l2 = σ(l1·W2), ½Σ(Y − l2)²), its
    /// numbers as the lesson draws them at seed 1.
    static func xor(highlight: ComputationalGraphFigure.Highlight? = nil, formula: String? = nil, showsGradients: Bool = true) -> ComputationalGraphFigure {
        let w1 = [["0.4058", "0.04087", "0.1482", "−0.2173"], ["0.3944", "−0.7129", "−0.8579", "−0.2376"], ["0.7343", "0.1034", "0.8651", "0.9144"]]
        let g1 = [["0", "0", "0", "0"], ["−0.005079", "−0.002452", "−0.001588", "−0.005546"], ["−0.005079", "−0.002452", "−0.001588", "−0.005546"]]
        var nodes: [ComputationalGraphFigure.Node] = [
            .init(id: "X", kind: .variable, label: "X", shape: "1×3", matrix: [["0", "1", "1"]]),
            .init(id: "W1", kind: .variable, label: "W1", shape: "3×4", matrix: w1, gradientName: "∂L/∂W1", gradientMatrix: g1),
            .init(id: "z1", kind: .operator, label: "·", caption: "z1"),
            .init(id: "h", kind: .operator, label: "σ", caption: "h"),
            .init(id: "W2", kind: .variable, label: "W2", shape: "4×1", matrix: [["0.8655"], ["0.3382"], ["0.1999"], ["0.7811"]],
                  gradientName: "∂L/∂W2", gradientMatrix: [["−0.02401"], ["−0.01119"], ["−0.01595"], ["−0.02107"]]),
            .init(id: "z2", kind: .operator, label: "·", caption: "z2"),
            .init(id: "yhat", kind: .operator, label: "σ", caption: "yhat"),
            .init(id: "Y", kind: .variable, label: "Y", shape: "1×1", matrix: [["1"]]),
            .init(id: "L", kind: .operator, label: "½Σ(·)²"),
            .init(id: "L ", kind: .variable, label: "L"),
        ]
        for n in nodes.indices where nodes[n].gradientMatrix != nil { nodes[n].showsGradient = showsGradients }
        let plain: [ComputationalGraphFigure.Edge] = [
            .init(from: "X", to: "z1"), .init(from: "W1", to: "z1", gradient: "∂L/∂W1"),
            .init(from: "z1", to: "h", value: "[1.129, −0.6094, 0.007235, 0.6768]", gradient: "[−0.005079, −0.002452, −0.001588, −0.005546]"),
            .init(from: "h", to: "z2", value: "[0.7556, 0.3522, 0.5018, 0.663]", gradient: "[−0.0275, −0.01075, −0.006351, −0.02482]"),
            .init(from: "W2", to: "z2", gradient: "∂L/∂W2"),
            .init(from: "z2", to: "yhat", value: "[1.391]", gradient: "[−0.03178]"),
            .init(from: "yhat", to: "L", value: "[0.8008]", gradient: "[−0.1992]"), .init(from: "Y", to: "L"),
            .init(from: "L", to: "L ", value: "0.01984", gradient: "1"),
        ]
        let edges = plain.map { edge -> ComputationalGraphFigure.Edge in
            var e = edge
            e.showsGradient = showsGradients
            return e
        }
        return ComputationalGraphFigure(nodes: nodes, edges: edges, title: "Sample 2 at the initial weights", highlight: highlight, formula: formula)
    }

    func nodeBoxes(_ page: DisplayList) -> [String: Rect] {
        Dictionary(uniqueKeysWithValues: page.items.compactMap { item -> (String, Rect)? in
            guard case .path(let p) = item, let tag = p.tag, tag.hasPrefix("node:") else { return nil }
            return (String(tag.dropFirst(5)), p.bounds)
        })
    }

    /// On a slide and on the report page: no text under 24 px or 7 pt, none outside the page, no label
    /// over another or over a node; no edge runs through a node it does not join; each long vector is
    /// broken into lines that, read in order, are the vector; W2 stands above h, in the column before their product.
    @Test(arguments: [Theme.slides, Theme.paper])
    func theXORGraphReadsOnASlideAndOnPaper(theme: Theme) throws {
        let figure = Self.xor()
        let page = try figure.layout(theme: theme, measurer: measurer)
        let use: FigureCheck.Use = theme == .slides ? .projected : .printed
        #expect(FigureCheck.problems(page, use: use, measurer: measurer) == [])
        let boxes = nodeBoxes(page)
        let texts = page.texts.filter { !($0.tag ?? "").hasPrefix("node-") }
        for (i, a) in texts.enumerated() {
            for b in texts[(i + 1)...] { #expect(!a.bounds.overlaps(b.bounds), "\(a.text) overlaps \(b.text)") }
            for (id, box) in boxes { #expect(!a.bounds.overlaps(box), "\(a.text) overlaps node \(id)") }
        }
        // Edges: sampled every point, never inside a node other than their ends.
        for item in page.items {
            guard case .path(let p) = item, let tag = p.tag, tag.hasPrefix("edge:") else { continue }
            let ends = tag.dropFirst(5).split(separator: "#")[0].components(separatedBy: "→")
            let points = p.elements.compactMap { e -> Point? in
                switch e { case .move(let q), .line(let q): return q; default: return nil }
            }
            for (a, b) in zip(points, points.dropFirst()) {
                let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
                for k in 0...Int(length) {
                    let t = length == 0 ? 0 : Double(k) / length
                    let q = Rect(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t, width: 0, height: 0)
                    for (id, box) in boxes where !ends.contains(id) {
                        #expect(!box.insetBy(dx: 1, dy: 1).contains(q), "\(tag) runs through \(id)")
                    }
                }
            }
        }
        for edge in figure.edges {
            for (kind, text) in [("edge-value", edge.value), ("edge-gradient", edge.gradient.map { "← " + $0 })] {
                guard let text else { continue }
                let lines = page.texts.filter { ($0.tag ?? "").hasPrefix("\(kind):\(edge.from)→\(edge.to)#") }.sorted { $0.bounds.y < $1.bounds.y }
                #expect(lines.map(\.text).joined(separator: " ") == text)
            }
        }
        #expect(page.texts.filter { ($0.tag ?? "").hasPrefix("edge-value:z1→h") }.count > 1)
        let w2 = try #require(boxes["W2"]), h = try #require(boxes["h"])
        #expect(abs(w2.center.x - h.center.x) < 1e-9 && w2.maxY < h.minY)
    }

    /// A slide of any aspect is read at its page's size: on a 4:3 slide (720 pt wide) and a square one
    /// (540 pt) the XOR graph's text is at least 24 px and no label lies on another edge's line (it was
    /// laid out for the report's column there and shown at about 15 px).
    @Test(arguments: [Aspect.standard, .square])
    func theXORGraphReadsOnNarrowSlides(aspect: Aspect) throws {
        let theme = FigureStyle(aspect: aspect).slides
        let page = try Self.xor().layout(theme: theme, measurer: measurer)
        #expect(FigureCheck.problems(page, use: .projected, measurer: measurer) == [])
    }

    /// On a slide the chain is wrapped onto two bands (the graph is too wide for one), with the edge
    /// between them in a lane under the first: z2 starts the second band, under z1.
    @Test func onASlideTheChainWrapsOntoTwoBands() throws {
        let page = try Self.xor().layout(theme: .slides, measurer: measurer)
        let boxes = nodeBoxes(page)
        let z1 = try #require(boxes["z1"]), h = try #require(boxes["h"]), z2 = try #require(boxes["z2"]), loss = try #require(boxes["L"])
        #expect(abs(z1.center.y - h.center.y) < 1e-9 && abs(z2.center.y - loss.center.y) < 1e-9)
        #expect(z2.minY > h.maxY && z2.center.x < h.center.x)
        #expect(page.size.width <= 1120 && page.size.height <= 630)
    }

    /// Frames of a step-through share one canvas and one placement: what changes is the highlight, the
    /// formula's text and which labels are drawn.
    @Test(arguments: [Theme.slides, Theme.paper])
    func framesKeepTheirPlacement(theme: Theme) throws {
        let first = try Self.xor(highlight: .node("z1"), formula: "z1 = X·W1", showsGradients: false).layout(theme: theme, measurer: measurer)
        let last = try Self.xor(highlight: .edge(from: "W1", to: "z1", index: 1), formula: "∂L/∂W1 = Xᵀ·∂L/∂z1 = (3×4 matrix)",
                                showsGradients: true).layout(theme: theme, measurer: measurer)
        #expect(first.size == last.size)
        #expect(nodeBoxes(first) == nodeBoxes(last))
        #expect(!first.texts.contains { ($0.tag ?? "").hasPrefix("edge-gradient:") })
    }

    /// Graphs that read at their size keep the plain layout: every input in the first column, in order,
    /// on the theme's page, each label on one line.
    @Test(arguments: [Theme.slides, Theme.paper])
    func graphsThatReadKeepTheirLayout(theme: Theme) throws {
        let page = try ComputationalGraphFigureTests.lecture.layout(theme: theme, measurer: measurer)
        #expect(page.size == theme.pageSize)
        let boxes = nodeBoxes(page)
        let inputs = try ["a", "b", "c"].map { try #require(boxes[$0]) }
        #expect(Set(inputs.map(\.center.x)).count == 1)
        #expect(inputs[0].center.y < inputs[1].center.y && inputs[1].center.y < inputs[2].center.y)
        let tags = page.texts.compactMap(\.tag).filter { $0.hasPrefix("edge-") }
        #expect(Set(tags).count == tags.count)
    }
}
