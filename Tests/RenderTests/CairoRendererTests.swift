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

/// Long stroked polylines are thinned before they are drawn (CairoPainter.simplified): no ink moves by
/// more than the tolerance, turns and spikes stay, fills and short paths are untouched.
@Suite struct PolylineThinningTests {
    /// The distance from `p` to the polyline through `points`, computed directly.
    static func distance(_ p: Point, to points: [Point]) -> Double {
        zip(points, points.dropFirst()).map { a, b -> Double in
            let dx = b.x - a.x, dy = b.y - a.y, squared = dx * dx + dy * dy
            let t = squared == 0 ? 0 : max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / squared))
            return hypot(p.x - a.x - t * dx, p.y - a.y - t * dy)
        }.min() ?? .infinity
    }

    static func points(_ elements: [PathElement]) -> [Point] {
        elements.compactMap { element -> Point? in
            switch element {
            case .move(let p), .line(let p): return p
            default: return nil
            }
        }
    }

    @Test func aDenseCurveIsThinnedWithinTheTolerance() {
        // 3,000 points of a loss-like curve over 800 pt, with a spike and a stretch that turns back.
        var original: [Point] = (0..<3000).map { i -> Point in
            let x = 100 + Double(i) * 800 / 2999
            return Point(x, 300 - 200 * exp(-Double(i) / 400) + (i == 1500 ? 40 : 0))
        }
        original += [Point(500, 250), Point(900, 250), Point(400, 250)]   // back along itself, beyond the start
        let elements = [PathElement.move(original[0])] + original.dropFirst().map { .line($0) }
        let thinned = CairoPainter.simplified(elements)
        let kept = Self.points(thinned)
        #expect(kept.count < original.count / 5, "\(kept.count) of \(original.count) points kept")
        #expect(kept.first == original.first && kept.last == original.last)
        let worst = original.map { Self.distance($0, to: kept) }.max() ?? 0
        #expect(worst <= 0.025 + 1e-12, "a point moved by \(worst) pt")
        #expect(kept.contains(Point(100 + 1500 * 800 / 2999, 300 - 200 * exp(-1500.0 / 400) + 40)))   // the spike
        #expect(kept.suffix(3) == [Point(500, 250), Point(900, 250), Point(400, 250)])              // the turn
        // Whatever the distance, the thinned path is the original's subsequence, in order.
        var i = 0
        for p in kept { while i < original.count && original[i] != p { i += 1 }; #expect(i < original.count) }
    }

    @Test func shortPathsCurvesAndSeveralRunsKeepTheirShape() {
        let short = [PathElement.move(Point(0, 0))] + (1...50).map { .line(Point(Double($0), 0)) }
        #expect(Self.points(CairoPainter.simplified(short)) == Self.points(short))
        // Two runs around a curve: each run thinned from the pen, the curve kept as it is.
        let first = (1...100).map { PathElement.line(Point(Double($0), 0)) }
        let second = (1...100).map { PathElement.line(Point(200 + Double($0), 50)) }
        let path = [PathElement.move(Point(0, 0))] + first + [.curve(Point(120, 0), Point(180, 50), Point(200, 50))] + second
        let thinned = CairoPainter.simplified(path)
        #expect(Self.points(thinned) == [Point(0, 0), Point(100, 0), Point(300, 50)])
        #expect(thinned.contains { if case .curve = $0 { return true } else { return false } })
    }
}
