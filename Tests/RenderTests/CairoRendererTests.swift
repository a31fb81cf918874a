import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Render

/// A page that uses every primitive kind: filled and dashed paths, an arc, a curve, rotated text with
/// Greek, ∂ and −, and a raster.
func samplePage(measurer: any TextMeasurer = CairoTextMeasurer()) -> DisplayList {
    let theme = Theme.slides
    var page = DisplayList(size: Size(480, 270))
    page.append(.path(PathShape([.move(Point(20, 20)), .line(Point(200, 20)), .line(Point(200, 120)), .line(Point(20, 120)), .close],
                                fill: theme.variableFill, stroke: Stroke(theme.foreground, width: 2), tag: "box")))
    page.append(.path(PathShape([.arc(center: Point(300, 80), radius: 40, start: 0, end: 2 * .pi)],
                                fill: theme.operatorFill, stroke: Stroke(theme.foreground, width: 2), tag: "circle")))
    page.append(.path(PathShape([.move(Point(20, 200)), .curve(Point(120, 140), Point(220, 260), Point(320, 200))],
                                stroke: Stroke(theme.gradient, width: 3, dash: [8, 5]), tag: "curve")))
    page.append(.text(.placed("∂L/∂a = −2", font: theme.font(theme.labelSize), color: theme.gradient,
                              at: Point(110, 70), tag: "label", measurer: measurer)))
    page.append(.text(.placed("σ′(0) = 0.25", font: theme.font(theme.labelSize, bold: true), color: theme.forward,
                              at: Point(300, 80), tag: "op", measurer: measurer)))
    page.append(.text(.placed("rotated η", font: theme.font(theme.smallSize), color: theme.foreground,
                              at: Point(450, 135), angle: .pi / 2, tag: "rotated", measurer: measurer)))
    let pixels: [Color] = (0..<16).map { (i: Int) -> Color in Color(hex: 0x0072B2).mixed(with: Color(hex: 0xD55E00), Double(i % 4 + i / 4) / 6.0) }
    page.append(.raster(RasterImage(columns: 4, rows: 4, pixels: pixels, frame: Rect(x: 360, y: 180, width: 60, height: 60),
                                    smooth: false, tag: "raster")))
    return page
}

@Suite struct CairoRendererTests {
    let measurer = CairoTextMeasurer()

    @Test func fontIsDejaVuSansAndMeasuresLinearly() throws {
        try measurer.verify(family: "DejaVu Sans")
        #expect(throws: RenderError.self) { try measurer.verify(family: "DejaVu Serif") }
        let font = FontStyle(family: "DejaVu Sans", size: 10)
        let m = measurer.measure("M", font: font).width, mmmm = measurer.measure("MMMM", font: font).width
        #expect(m > 5 && abs(mmmm - 4 * m) < 1e-9)
        #expect(measurer.measure("x", font: FontStyle(family: "DejaVu Sans", size: 20)).width
                == 2 * measurer.measure("x", font: font).width)
    }

    @Test func pngHasSignatureAndSize() throws {
        let bytes = try CairoRenderer.render(samplePage(), as: .png)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func u32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(u32(16) == 960 && u32(20) == 540)                 // IHDR: 480×270 pt at 2 px/pt
    }

    @Test func svgIsXMLWithThePageSize() throws {
        let bytes = try CairoRenderer.render(samplePage(), as: .svg)
        final class Root: NSObject, XMLParserDelegate {
            var attributes: [String: String] = [:]
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                if name == "svg" { self.attributes = attributes }
            }
        }
        let parser = XMLParser(data: Data(bytes)), root = Root()
        parser.delegate = root
        #expect(parser.parse())
        #expect(root.attributes["width"] == "480pt" && root.attributes["height"] == "270pt")
    }

    @Test func pdfHasPagesAndSearchableText() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/sample.pdf"
        var second = DisplayList(size: Size(200, 100))
        second.append(.text(.placed("page two: ∂f/∂z = 3", font: Theme.paper.font(10), color: .black,
                                    at: Point(100, 50), measurer: measurer)))
        try Data(CairoRenderer.render(document: [samplePage(), second])).write(to: URL(fileURLWithPath: path))
        let info = try run("/usr/bin/pdfinfo", [path])
        #expect(info.contains("Pages:           2"))
        let text = try run("/usr/bin/pdftotext", [path, "-"])
        #expect(text.contains("∂L/∂a = −2"))
        #expect(text.contains("page two: ∂f/∂z = 3"))
    }

    /// The same page gives the same bytes in every format, even after other SVGs moved Cairo's counters.
    @Test(arguments: OutputFormat.allCases.filter(\.isFigureFormat))
    func sameInputSameBytes(format: OutputFormat) throws {
        let first = try CairoRenderer.render(samplePage(), as: format)
        for _ in 0..<3 { _ = try CairoRenderer.render(samplePage(), as: .svg) }
        let second = try CairoRenderer.render(samplePage(), as: format)
        #expect(Data(first) == Data(second))
    }

    @Test func missingGlyphFailsLoudly() throws {
        var page = DisplayList(size: Size(100, 50))
        page.append(.text(.placed("weights 漢", font: Theme.paper.font(10), color: .black, at: Point(50, 25), measurer: measurer)))
        #expect(throws: RenderError.missingGlyphs(text: "weights 漢", characters: ["漢"], font: "DejaVu Sans")) {
            try CairoRenderer.render(page, as: .pdf)
        }
        #expect(throws: RenderError.self) { try CairoRenderer.render(page, as: .svg) }
    }

    @Test func formatLists() throws {
        #expect(try OutputFormat.list("png,svg,pdf") == [.png, .svg, .pdf])
        #expect(try OutputFormat.list("PDF, png,pdf") == [.pdf, .png])
        #expect(throws: RenderError.unknownFormat("jpg")) { try OutputFormat.list("png,jpg") }
    }
}

func temporaryFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs a tool and returns its standard output.
func run(_ tool: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

@Suite struct PNGScaleTests {
    @Test func largePagesAreRasterizedWithinCairosLimits() throws {
        #expect(CairoRenderer.pngScale(for: Size(960, 540), requested: 2) == 2)
        let wide = Size(170_000, 540)
        let scale = CairoRenderer.pngScale(for: wide, requested: 2)
        #expect(wide.width * scale <= CairoRenderer.maxPNGSide)
        let square = Size(20_000, 20_000)
        let squareScale = CairoRenderer.pngScale(for: square, requested: 2)
        #expect(square.width * square.height * squareScale * squareScale <= CairoRenderer.maxPNGPixels * 1.000001)
        // A very wide page renders instead of failing.
        let page = DisplayList(size: Size(40_000, 100), items: [])
        let png = try CairoRenderer.render(page, as: .png)
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    }
}
