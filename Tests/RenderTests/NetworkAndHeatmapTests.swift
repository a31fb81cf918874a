import Testing
@testable import Render

@Suite struct NetworkDiagramTests {
    @Test func edgesFollowSignAndMagnitude() {
        let theme = Theme.slides
        let figure = NetworkDiagramFigure(layers: [.init(name: "in", neurons: ["1", "2"]), .init(name: "out", neurons: ["y"])],
                                          weights: [[[2], [-0.5]]])
        let page = figure.layout(theme: theme, measurer: CairoTextMeasurer())
        func stroke(_ tag: String) -> Stroke? {
            page.items.compactMap { item -> Stroke? in if case .path(let p) = item, p.tag == tag { return p.stroke } else { return nil } }.first
        }
        let strong = stroke("weight:0:0:0"), weak = stroke("weight:0:1:0")
        #expect(strong?.color == theme.seriesColor(0).withAlpha(0.8))
        #expect(weak?.color == theme.gradient.withAlpha(0.8))
        #expect((strong?.width ?? 0) > (weak?.width ?? 0))
        // Width grows with |w| and tops out at the largest weight: 0.5 pt · (1 + 11·|w|/max) on slides (line width 2 → 1 pt base).
        let widths = [0.0, 0.5, 1, 2, -2].map { NetworkDiagramFigure.width($0, largest: 2, theme: theme) }
        #expect(widths == [1, 3.75, 6.5, 12, 12])
        #expect(page.texts.contains { $0.tag == "neuron-value:0:1" && $0.text == "2" })
    }
}

@Suite struct HeatmapTests {
    @Test func divergingColoursAndContrast() {
        let figure = HeatmapFigure(values: [[-2, 0], [1, 2]], texts: [["−2", "0"], ["1", "2"]])
        #expect(figure.color(0) == .white)
        #expect(figure.color(2) == HeatmapFigure.positive)
        #expect(figure.color(-2) == HeatmapFigure.negative)
        #expect(figure.color(1) == Color.white.mixed(with: HeatmapFigure.positive, 0.5))
        // One sign only: a sequential map from white at the smallest value.
        let sequential = HeatmapFigure(values: [[1, 3]], texts: [["1", "3"]])
        #expect(sequential.color(1) == .white && sequential.color(3) == HeatmapFigure.negative)
        #expect(HeatmapFigure.textColor(on: .white) == .black)
        #expect(HeatmapFigure.textColor(on: Color(hex: 0x08306B)) == .white)
        let page = figure.layout(theme: .paper, measurer: CairoTextMeasurer())
        #expect(page.texts.filter { ($0.tag ?? "").hasPrefix("cell-text:") }.map(\.text) == ["−2", "0", "1", "2"])
        #expect(page.items.contains { $0.tag == "colour-bar" })
    }
}
