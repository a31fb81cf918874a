import Foundation
import Testing
@testable import Render

/// The viewer's SVG backend, checked on its text: real text, stable ids, Cairo's geometry, same bytes.
@Suite struct SVGWriterTests {
    let measurer = CairoTextMeasurer()

    @Test func numbersHaveAtMostTwoDecimals() {
        #expect(SVGWriter.number(0) == "0")
        #expect(SVGWriter.number(-0.0) == "0")
        #expect(SVGWriter.number(-0.001) == "0")
        #expect(SVGWriter.number(12.5) == "12.5")
        #expect(SVGWriter.number(1.005) == "1" || SVGWriter.number(1.005) == "1.01")
        #expect(SVGWriter.number(-3.14159) == "-3.14")
        #expect(SVGWriter.number(0.07) == "0.07")
        #expect(SVGWriter.number(960) == "960")
        #expect(SVGWriter.number(.nan) == "0")
    }

    /// Text is text, escaped; tags become ids (repeats numbered) and data-tag; colours as hex.
    @Test func textIdsAndEscapes() {
        var page = DisplayList(size: Size(100, 50))
        let font = Theme.slides.font(14)
        page.append(.text(TextRun(text: "a < b & ∂L/∂x", origin: Point(10, 20), font: font, color: Theme.slides.forward,
                                  bounds: Rect(x: 10, y: 8, width: 40, height: 14), tag: "edge-value:a→b#0")))
        page.append(.text(TextRun(text: "tick", origin: Point(10, 40), font: font, color: .black, angle: .pi / 2,
                                  bounds: Rect(x: 0, y: 0, width: 1, height: 1), tag: "axis tick")))
        page.append(.text(TextRun(text: "tick", origin: Point(20, 40), font: font, color: .black,
                                  bounds: Rect(x: 0, y: 0, width: 1, height: 1), tag: "axis tick")))
        let svg = SVGWriter.svg(page, prefix: "f", label: "a \"figure\"")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"f\" viewBox=\"0 0 100 50\""))
        #expect(svg.contains("aria-label=\"a &quot;figure&quot;\""))
        #expect(svg.contains("<text id=\"f:edge-value:a→b#0\" data-tag=\"edge-value:a→b#0\" x=\"10\" y=\"20\" font-size=\"14\" fill=\"#017a59\">a &lt; b &amp; ∂L/∂x</text>"))
        #expect(svg.contains("id=\"f:axis_tick\" data-tag=\"axis tick\""))
        #expect(svg.contains("id=\"f:axis_tick~2\""))
        #expect(svg.contains("transform=\"rotate(-90 10 40)\""))
        #expect(svg.hasSuffix("</svg>"))
    }

    /// Cairo's arcs: a whole circle as two half arcs, a rounded corner as a line then an arc.
    @Test func arcsAsCairoDrawsThem() {
        var page = DisplayList(size: Size(100, 100), background: nil)
        page.append(.path(PathShape([.arc(center: Point(50, 50), radius: 10, start: 0, end: 2 * .pi), .close],
                                    fill: Color(hex: 0xFFF4E0), stroke: Stroke(.black, width: 2), tag: "node:d")))
        page.append(.path(PathShape([.move(Point(0, 0)), .line(Point(10, 0)), .arc(center: Point(10, 5), radius: 5, start: -.pi / 2, end: 0)],
                                    stroke: Stroke(.black, width: 1, dash: [4, 2]))))
        let svg = SVGWriter.svg(page, prefix: "f")
        #expect(svg.contains("d=\"M60 50A10 10 0 0 1 40 50A10 10 0 0 1 60 50Z\" fill=\"#fff4e0\" stroke=\"#000000\" stroke-width=\"2\""))
        #expect(svg.contains("d=\"M0 0L10 0L10 0A5 5 0 0 1 15 5\" fill=\"none\""))
        #expect(svg.contains("stroke-dasharray=\"4 2\""))
        #expect(!svg.contains("<rect"))
    }

    /// A real figure: every text run of its display list appears as text, highlights of every node and
    /// edge when asked for, and the same bytes twice.
    @Test func graphFigureKeepsItsTextAndLayout() throws {
        var figure = ComputationalGraphFigureTests.lecture
        figure.highlightsAll = true
        let page = try figure.layout(theme: .slides, measurer: measurer)
        let svg = SVGWriter.svg(page, prefix: "g0")
        for run in page.texts { #expect(svg.contains(">\(SVGWriter.escaped(run.text))</text>"), "\(run.text)") }
        for node in figure.nodes { #expect(svg.contains("id=\"g0:highlight:\(SVGWriter.identifier(node.id))\""), "\(node.id)") }
        for (e, edge) in figure.edges.enumerated() {
            #expect(svg.contains("id=\"g0:highlight:\(SVGWriter.identifier("\(edge.from)→\(edge.to)#\(e)"))\""))
        }
        #expect(svg == SVGWriter.svg(try figure.layout(theme: .slides, measurer: measurer), prefix: "g0"))
        // Without highlightsAll the figure draws no highlight.
        figure.highlightsAll = false
        #expect(!SVGWriter.svg(try figure.layout(theme: .slides, measurer: measurer), prefix: "g0").contains("highlight:"))
    }

    /// A colour grid travels in the page as a PNG data address.
    @Test func rasterAsDataPNG() {
        var page = DisplayList(size: Size(10, 10))
        page.append(.raster(RasterImage(columns: 2, rows: 1, pixels: [.white, .black], frame: Rect(x: 0, y: 0, width: 10, height: 10), smooth: false)))
        let svg = SVGWriter.svg(page, prefix: "r")
        #expect(svg.contains("<image x=\"0\" y=\"0\" width=\"10\" height=\"10\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,iVBOR"))
    }

    /// A line plot's cursors: one vertical line per x, tagged in order.
    @Test func lineplotCursors() {
        var plot = LinePlot(xAxis: Axis("iteration"), yAxis: Axis("loss"), series: [.init(name: "loss", x: [1, 2, 3], y: [3, 2, 1])])
        #expect(!plot.layout(theme: .slides, measurer: measurer).items.contains { $0.tag?.hasPrefix("cursor:") == true })
        plot.cursors = [1, 3]
        let tags = plot.layout(theme: .slides, measurer: measurer).items.compactMap(\.tag).filter { $0.hasPrefix("cursor:") }
        #expect(tags == ["cursor:0", "cursor:1"])
    }
}
