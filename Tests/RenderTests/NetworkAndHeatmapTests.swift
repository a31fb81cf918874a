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
        let light = ColorScheme.light
        #expect(figure.color(0, scheme: light) == .white)
        #expect(figure.color(2, scheme: light) == Color(hex: 0xD55E00))
        #expect(figure.color(-2, scheme: light) == Color(hex: 0x0072B2))
        #expect(figure.color(1, scheme: light) == Color.white.mixed(with: Color(hex: 0xD55E00), 0.5))
        // One sign only: a sequential map from white at the smallest value.
        let sequential = HeatmapFigure(values: [[1, 3]], texts: [["1", "3"]])
        #expect(sequential.color(1, scheme: light) == .white && sequential.color(3, scheme: light) == Color(hex: 0x0072B2))
        #expect(HeatmapFigure.textColor(on: .white) == .black)
        #expect(HeatmapFigure.textColor(on: Color(hex: 0x08306B)) == .white)
        let page = figure.layout(theme: .paper, measurer: CairoTextMeasurer())
        #expect(page.texts.filter { ($0.tag ?? "").hasPrefix("cell-text:") }.map(\.text) == ["−2", "0", "1", "2"])
        #expect(page.items.contains { $0.tag == "colour-bar" })
    }

    /// On a dark slide the scale's middle is the page's colour, not a white band; its ends are the dark
    /// scheme's blue and vermillion; every number reads on its cell (4.5:1) and the colour bar runs
    /// through the page's colour too.
    @Test(arguments: ColorScheme.Name.allCases)
    func theScaleIsCentredOnThePage(name: ColorScheme.Name) throws {
        let scheme = ColorScheme.named(name)
        let values: [[Double]] = [[-3, -1.5, 0], [0.75, 3, .nan]]
        let figure = HeatmapFigure(values: values, texts: [["−3", "−1.5", "0"], ["0.75", "3", "nan"]])
        let page = figure.layout(theme: Theme.slides.with(scheme), measurer: CairoTextMeasurer())
        func fill(_ tag: String) -> Color? {
            page.items.compactMap { item -> Color? in
                guard case .path(let shape) = item, shape.tag == tag else { return nil }
                return shape.fill
            }.first
        }
        #expect(fill("cell:0:2") == scheme.background, "\(name): the zero cell is \(fill("cell:0:2")?.hexString ?? "none")")
        #expect(fill("cell:0:0") == scheme.scaleNegative && fill("cell:1:1") == scheme.scalePositive)
        #expect(fill("cell:1:2") == scheme.scaleMissing)
        // The ends stand out from the middle as marks do (3:1).
        #expect(scheme.scaleNegative.contrastRatio(with: scheme.scaleMiddle) >= 3 && scheme.scalePositive.contrastRatio(with: scheme.scaleMiddle) >= 3)
        for r in 0..<2 {
            for c in 0..<3 {
                let cell = try #require(fill("cell:\(r):\(c)"))
                let text = try #require(page.texts.first { $0.tag == "cell-text:\(r):\(c)" })
                #expect(text.color.contrastRatio(with: cell) >= 4.5)
            }
        }
        // Along the whole scale, the number written on a cell of that colour reads.
        for k in 0...64 {
            let cell = figure.color(-3 + 6 * Double(k) / 64, scheme: scheme)
            #expect(HeatmapFigure.textColor(on: cell).contrastRatio(with: cell) >= 4.5)
        }
        let bar = try #require(page.items.compactMap { item -> RasterImage? in
            guard case .raster(let image) = item, image.tag == "colour-bar" else { return nil }
            return image
        }.first)
        // 32 steps from 3 to −3: the middle two are within a step of 0, near the page's colour.
        for pixel in bar.pixels[15...16] { #expect(pixel.contrastRatio(with: scheme.background) < 1.2, "\(name): \(pixel.hexString) in the colour bar's middle") }
    }
}
