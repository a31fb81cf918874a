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
}
