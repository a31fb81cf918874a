import Foundation
import Testing
@testable import Render

/// The colour schemes (issue 14: figures fit for a lecture hall and for slides), checked against
/// computations written here, not taken from Render: WCAG 2.1's relative luminance and contrast ratio, the
/// colour-vision-deficiency simulation of Machado, Oliveira and Fernandes (2009) and CIELAB (D65).
@Suite struct ThemeTests {
    // MARK: WCAG 2.1 contrast, written out

    /// sRGB channel in 0…1 to linear light (IEC 61966-2-1).
    static func linear(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }

    /// Relative luminance: 0.2126 R + 0.7152 G + 0.0722 B of the linear channels.
    static func luminance(_ c: Color) -> Double {
        0.2126 * linear(c.red) + 0.7152 * linear(c.green) + 0.0722 * linear(c.blue)
    }

    /// (L_lighter + 0.05) / (L_darker + 0.05).
    static func contrast(_ a: Color, _ b: Color) -> Double {
        let la = luminance(a), lb = luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    /// Every colour of a scheme is in exactly one of these roles; a colour added to ColorScheme without a
    /// role here fails `everyColourHasARole`.
    /// Text: drawn as letters on the background and on the node fills, 4.5:1 (WCAG 1.4.3).
    static let text: Set<String> = ["foreground", "muted", "forward", "gradient", "right", "wrong", "contourLabel"]
    /// Surfaces text is drawn on.
    static let surfaces: Set<String> = ["background", "variableFill", "operatorFill", "scaleMiddle"]
    /// Lines and marks that carry meaning, 3:1 with the background (WCAG 1.4.11).
    static let marks: Set<String> = ["series", "highlight", "contourHigh", "scaleNegative", "scalePositive"]
    /// Context only, faint on purpose (what they stand for is also said otherwise).
    static let decorative: [String: String] = [
        "grid": "grid lines are context; the tick labels carry the values",
        "contourLow": "the lowest level lines fade into the page by design; every line is labelled with its value in contourLabel",
        "scaleMissing": "a heatmap cell without a finite value; its text (nan, inf) says so, in black or white, whichever reads on it",
    ]

    /// The scheme's colours by property name (a list of colours as name[i]).
    static func colours(_ scheme: ColorScheme) -> [(name: String, role: String, colour: Color)] {
        Mirror(reflecting: scheme).children.flatMap { child -> [(name: String, role: String, colour: Color)] in
            guard let label = child.label else { return [] }
            if let colour = child.value as? Color { return [(label, label, colour)] }
            if let list = child.value as? [Color] { return list.enumerated().map { ("\(label)[\($0.offset)]", label, $0.element) } }
            return []
        }
    }

    static let schemes = ColorScheme.Name.allCases

    @Test(arguments: schemes)
    func everyColourHasARole(name: ColorScheme.Name) {
        let scheme = ColorScheme.named(name)
        #expect(scheme.name == name)
        for (label, role, _) in Self.colours(scheme) {
            let roles = [Self.text.contains(role), Self.surfaces.contains(role), Self.marks.contains(role), Self.decorative[role] != nil]
            #expect(roles.filter { $0 }.count == 1, "\(name).\(label) needs exactly one role in ThemeTests")
        }
    }

    @Test(arguments: schemes)
    func textReadsOnEverySurfaceAndMarksOnTheBackground(name: ColorScheme.Name) {
        let scheme = ColorScheme.named(name)
        let all = Self.colours(scheme)
        let surfaces = all.filter { Self.surfaces.contains($0.role) }
        #expect(surfaces.count == 4)
        for (label, role, colour) in all {
            if Self.text.contains(role) {
                for surface in surfaces {
                    let ratio = Self.contrast(colour, surface.colour)
                    #expect(ratio >= 4.5, "\(name).\(label) \(colour.hexString) on \(surface.name) \(surface.colour.hexString): \(ratio), under 4.5")
                }
            } else if Self.marks.contains(role) {
                let ratio = Self.contrast(colour, scheme.background)
                #expect(ratio >= 3, "\(name).\(label) \(colour.hexString) on the background \(scheme.background.hexString): \(ratio), under 3")
            }
        }
        // Render's own ratio (the heatmap's and FigureCheck's) agrees with the one written here.
        for (_, _, colour) in all { #expect(abs(colour.contrastRatio(with: scheme.background) - Self.contrast(colour, scheme.background)) < 1e-12) }
    }

    /// The ratios README.md quotes, to two decimals, so the note cannot drift from the palette.
    @Test func readmeRatiosAreTheMeasuredOnes() throws {
        let readme = try String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/RenderTests/ThemeTests.swift", with: "Sources/Render/Theme/README.md"), encoding: .utf8)
        for name in [ColorScheme.Name.light, .dark] {
            let scheme = ColorScheme.named(name)
            for (label, role, colour) in Self.colours(scheme) where Self.text.contains(role) || Self.marks.contains(role) {
                let ratio = String(format: "%.2f", (Self.contrast(colour, scheme.background) * 100).rounded(.down) / 100)
                let row = "| \(name) | \(label) | \(colour.hexString) | \(ratio) |"
                #expect(readme.contains(row), "README.md lacks the row \(row)")
            }
        }
    }

    /// The stepper's colours for a terminal of unknown colour read on white and on black (4.5:1), in the
    /// hues of the light scheme's forward values and gradients (CIELAB hue angle within 8°).
    @Test func unknownPageColoursReadOnLightAndDarkTerminals() {
        for (colour, hueOf) in [(ColorScheme.unknownPage.forward, ColorScheme.light.forward), (ColorScheme.unknownPage.gradient, ColorScheme.light.gradient)] {
            #expect(Self.contrast(colour, .white) >= 4.5 && Self.contrast(colour, .black) >= 4.5, "\(colour.hexString)")
            let a = Self.seen(colour, Self.simulations[0].1), b = Self.seen(hueOf, Self.simulations[0].1)
            var difference = abs(atan2(a[2], a[1]) - atan2(b[2], b[1])) * 180 / .pi
            if difference > 180 { difference = 360 - difference }
            #expect(difference < 8, "\(colour.hexString) is \(difference)° from \(hueOf.hexString)")
        }
    }

    // MARK: Colour-vision deficiency: Machado et al. 2009, severity 1, on linear RGB

    static let simulations: [(String, [[Double]])] = [
        ("normal vision", [[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
        ("deuteranopia", [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]),
        ("protanopia", [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]),
        ("tritanopia", [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]),
    ]

    /// CIELAB (D65 white) of linear RGB in 0…1.
    static func lab(linear rgb: [Double]) -> [Double] {
        let m = [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
        let white = [0.95047, 1.0, 1.08883]
        // Written as plain loops with typed values: as one chain of maps it took the compiler 1.7 s.
        let delta: Double = 6.0 / 29
        var f: [Double] = []
        for i in 0..<3 {
            var sum: Double = 0
            for j in 0..<3 { sum += m[i][j] * rgb[j] }
            let t: Double = sum / white[i]
            let cubeRoot: Double = cbrt(t)
            let linearPart: Double = t / (3 * delta * delta) + 4.0 / 29
            f.append(t > delta * delta * delta ? cubeRoot : linearPart)
        }
        let l: Double = 116 * f[1] - 16
        let a: Double = 500 * (f[0] - f[1])
        let b: Double = 200 * (f[1] - f[2])
        return [l, a, b]
    }

    /// The colour as seen with the simulated vision, in CIELAB (the result clamped to the display's gamut).
    static func seen(_ c: Color, _ matrix: [[Double]]) -> [Double] {
        let rgb = [c.red, c.green, c.blue].map(linear)
        let simulated = (0..<3).map { i in min(1, max(0, (0..<3).reduce(0.0) { $0 + matrix[i][$1] * rgb[$1] })) }
        return lab(linear: simulated)
    }

    /// CIE76 ΔE*ab.
    static func deltaE(_ a: [Double], _ b: [Double]) -> Double { sqrt(zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)) }

    /// The threshold, README.md: five times the just-noticeable difference of large patches (ΔE*ab ≈ 2.3),
    /// since lines and small markers need several times what patches do. Okabe–Ito's own set, the reference
    /// for colour-blind-safe series, has 16.1 at its closest pair (tritanopia).
    static let threshold = 12.0

    @Test(arguments: schemes)
    func sevenSeriesStayApartWithEveryKindOfVision(name: ColorScheme.Name) {
        let series = ColorScheme.named(name).series
        #expect(series.count == 7)
        for (vision, matrix) in Self.simulations {
            let seen = series.map { Self.seen($0, matrix) }
            for i in 0..<series.count {
                for j in (i + 1)..<series.count {
                    let d = Self.deltaE(seen[i], seen[j])
                    #expect(d >= Self.threshold, "\(name): series \(i) \(series[i].hexString) and \(j) \(series[j].hexString) are ΔE \(d) apart with \(vision)")
                }
            }
        }
    }

    /// The check is not vacuous: Okabe–Ito's original set passes it, and two hues that protanopes and
    /// deuteranopes confuse (a red and a green of one lightness) fail it.
    @Test func theSimulationSeparatesWhatItShould() {
        let okabeIto = [0x0072B2, 0xE69F00, 0x009E73, 0xD55E00, 0xCC79A7, 0x56B4E9, 0x000000].map { Color(hex: $0) }
        var closest = Double.infinity
        for (_, matrix) in Self.simulations {
            for i in 0..<7 { for j in (i + 1)..<7 { closest = min(closest, Self.deltaE(Self.seen(okabeIto[i], matrix), Self.seen(okabeIto[j], matrix))) } }
        }
        #expect(abs(closest - 16.1) < 0.05)
        let red = Color(hex: 0xC0392B), green = Color(hex: 0x5D8A00)
        #expect(Self.deltaE(Self.seen(red, Self.simulations[0].1), Self.seen(green, Self.simulations[0].1)) > 50)
        #expect(Self.deltaE(Self.seen(red, Self.simulations[1].1), Self.seen(green, Self.simulations[1].1)) < Self.threshold)
    }

    // MARK: Print: series differ in more than colour

    @Test func printSeriesDifferInDash() throws {
        let theme = Theme.slides.with(.print)
        let series: [LinePlot.Series] = (0..<7).map { (i: Int) -> LinePlot.Series in
            let base = Double(i)
            let y: [Double] = [base, base + 1, base + 0.5, base + 2]
            return LinePlot.Series(name: "run \(i)", x: [0, 1, 2, 3], y: y)
        }
        let page = LinePlot(xAxis: Axis("t"), yAxis: Axis("y"), series: series).layout(theme: theme, measurer: CairoTextMeasurer())
        let dashes = page.items.compactMap { item -> [Double]? in
            guard case .path(let shape) = item, shape.tag?.hasPrefix("series:") == true else { return nil }
            return shape.stroke?.dash
        }
        #expect(dashes.count == 7)
        #expect(Set(dashes).count == 7, "two of the print theme's series share a dash: \(dashes)")
        // The legend shows each series' own dash.
        let legend = page.items.compactMap { item -> [Double]? in
            guard case .path(let shape) = item, shape.tag == "legend-line" else { return nil }
            return shape.stroke?.dash
        }
        #expect(legend == dashes)
        // An optimizer's paths on a surface, too.
        let trajectories: [ContourPlot.Trajectory] = (0..<7).map { (i: Int) -> ContourPlot.Trajectory in
            let y: Double = Double(i) / 7
            let points: [(x: Double, y: Double)] = [(x: -1, y: y), (x: 1, y: y + 0.1)]
            return ContourPlot.Trajectory(name: "opt \(i)", points: points)
        }
        let contour = ContourPlot(xAxis: Axis("w₁"), yAxis: Axis("w₂"), xRange: -2...2, yRange: -1...2, resolution: 8, trajectories: trajectories) { x, y in x * x + y * y }
            .layout(theme: theme, measurer: CairoTextMeasurer())
        let paths = contour.items.compactMap { item -> [Double]? in
            guard case .path(let shape) = item, shape.tag?.hasPrefix("trajectory:") == true else { return nil }
            return shape.stroke?.dash
        }
        #expect(paths.count == 7 && Set(paths).count == 7)
    }

    /// A marker's shape, whatever its size and place: "circle", or its corners relative to their mean,
    /// scaled to the largest coordinate, in tenths.
    static func shapeName(_ shape: PathShape) -> String {
        var points: [Point] = []
        for element in shape.elements {
            switch element {
            case .arc: return "circle"
            case .move(let p), .line(let p): points.append(p)
            case .curve(_, _, let p): points.append(p)
            case .close: break
            }
        }
        guard !points.isEmpty else { return "none" }
        let cx = points.map(\.x).reduce(0, +) / Double(points.count), cy = points.map(\.y).reduce(0, +) / Double(points.count)
        let scale = points.map { max(abs($0.x - cx), abs($0.y - cy)) }.max() ?? 1
        return points.map { "\(Int((($0.x - cx) / scale * 10).rounded())),\(Int((($0.y - cy) / scale * 10).rounded()))" }.joined(separator: " ")
    }

    /// The shapes of the paths whose tag starts with `prefix`, in order.
    static func shapes(_ page: DisplayList, _ prefix: String) -> [(tag: String, name: String)] {
        page.items.compactMap { item -> (tag: String, name: String)? in
            guard case .path(let shape) = item, let tag = shape.tag, tag.hasPrefix(prefix) else { return nil }
            return (tag, Self.shapeName(shape))
        }
    }

    /// On a black-and-white page a short segment, a point or a path's end shows no dash: in print every
    /// series also has its own marker shape, on the line and in the legend, and light leaves lines unmarked.
    @Test func printSeriesDifferInMarker() throws {
        let measurer = CairoTextMeasurer()
        let series = (0..<7).map { i in
            LinePlot.Series(name: "run \(i)", x: (0..<40).map(Double.init), y: (0..<40).map { Double(i) + sin(Double($0) / 6) })
        }
        let plot = LinePlot(xAxis: Axis("t"), yAxis: Axis("y"), series: series)
        let page = plot.layout(theme: Theme.slides.with(.print), measurer: measurer)
        var perSeries: [String] = []
        for i in 0..<7 {
            let marks = Self.shapes(page, "marker:run \(i)")
            #expect(marks.count >= 5, "run \(i) has \(marks.count) markers")
            #expect(Set(marks.map(\.name)).count == 1)
            perSeries.append(marks.first?.name ?? "")
        }
        #expect(Set(perSeries).count == 7, "two print series share a marker")
        #expect(Self.shapes(page, "legend-marker").map(\.name) == perSeries, "the legend shows other markers than the lines")
        // Short series (up to 12 points) are marked at every point.
        let short = LinePlot(xAxis: Axis("t"), yAxis: Axis("y"), series: [LinePlot.Series(name: "s", x: [0, 1, 2], y: [1, 2, 1.5])])
        #expect(Self.shapes(short.layout(theme: Theme.slides.with(.print), measurer: measurer), "marker:s").count == 3)
        // Light keeps its lines unmarked (colour tells them apart there).
        let light = plot.layout(theme: Theme.slides.with(.light), measurer: measurer)
        #expect(Self.shapes(light, "marker:").isEmpty && Self.shapes(light, "legend-marker").isEmpty)

        // A path's end: the trajectory's own marker in print, the same in the legend; a square in light.
        let trajectories = (0..<7).map { i in ContourPlot.Trajectory(name: "opt \(i)", points: [(-1.5, Double(i) / 4 - 0.5), (1.5, Double(i) / 4 - 0.4)]) }
        let contour = ContourPlot(xAxis: Axis("w₁"), yAxis: Axis("w₂"), xRange: -2...2, yRange: -1...2, resolution: 8, trajectories: trajectories) { x, y in x * x + y * y }
        let ends = Self.shapes(contour.layout(theme: Theme.slides.with(.print), measurer: measurer), "end:").map(\.name)
        #expect(ends.count == 7 && Set(ends).count == 7)
        #expect(Self.shapes(contour.layout(theme: Theme.slides.with(.print), measurer: measurer), "legend-marker").map(\.name) == ends)
        #expect(Set(Self.shapes(contour.layout(theme: Theme.slides.with(.light), measurer: measurer), "end:").map(\.name)).count == 1)

        // Classes of an input space: one shape per class, the legend's.
        let samples = (0..<7).map { k in ClassRegionPlot.Sample(x: Double(k) / 7, y: 0.5, label: k) }
        let regions = ClassRegionPlot(xAxis: Axis("x₁"), yAxis: Axis("x₂"), xRange: 0...1, yRange: 0...1, classes: 7, samples: samples, resolution: 8) { x, _ in
            (0..<7).map { k in k == min(6, Int(x * 7)) ? 1.0 : 0.0 }
        }.layout(theme: Theme.slides.with(.print), measurer: measurer)
        let classes = (0..<7).map { k in Self.shapes(regions, "sample:\(k)").first?.name ?? "" }
        #expect(Set(classes).count == 7)
        #expect(Array(Self.shapes(regions, "legend-marker").map(\.name).prefix(7)) == classes)
    }

    /// Decision-region shading mixes the page's colour with the class colours, so it is dark on the dark
    /// page too; what is drawn over it in the foreground keeps its contrast: the two-class field's notes
    /// (text, 4.5:1) and every K-class field's boundaries and outlines (lines, 3:1).
    @Test(arguments: schemes)
    func boundariesAndNotesReadOnTheRegions(name: ColorScheme.Name) throws {
        let theme = Theme.slides.with(.named(name))
        let plot = DecisionRegionPlot(xAxis: Axis("x₁"), yAxis: Axis("x₂"), xRange: 0...1, yRange: 0...1, samples: [], resolution: 8) { x, _ in x }
        let shade = plot.shade(theme: theme)
        for k in 0...100 {
            let ratio = Self.contrast(theme.foreground, shade(Double(k) / 100))
            #expect(ratio >= 4.5, "\(name): the foreground on p = \(Double(k) / 100)'s shade: \(ratio)")
        }
        #expect(shade(0.5) == theme.background)
        let regions = ClassRegionPlot(xAxis: Axis("x₁"), yAxis: Axis("x₂"), xRange: 0...1, yRange: 0...1, classes: 7, samples: [], resolution: 14) { x, _ in
            (0..<7).map { k in k == min(6, Int(x * 7)) ? 1.0 : 0.0 }
        }.layout(theme: theme, measurer: CairoTextMeasurer())
        let field = try #require(regions.items.compactMap { item -> RasterImage? in
            guard case .raster(let image) = item, image.tag == "regions" else { return nil }
            return image
        }.first)
        for pixel in Set(field.pixels.map(\.hexString)) {
            let ratio = Self.contrast(theme.foreground, try #require(field.pixels.first { $0.hexString == pixel }))
            #expect(ratio >= 3, "\(name): the boundary on \(pixel): \(ratio)")
        }
    }

    @Test func printDashesNegativeWeights() {
        let figure = NetworkDiagramFigure(layers: [.init(name: "in", neurons: ["x"]), .init(name: "out", neurons: ["y", "z"])], weights: [[[1, -1]]])
        for (theme, dashed) in [(Theme.slides.with(.print), true), (Theme.slides.with(.light), false)] {
            let page = figure.layout(theme: theme, measurer: CairoTextMeasurer())
            let strokes = Dictionary(uniqueKeysWithValues: page.items.compactMap { item -> (String, [Double])? in
                guard case .path(let shape) = item, let tag = shape.tag, tag.hasPrefix("weight:"), let dash = shape.stroke?.dash else { return nil }
                return (tag, dash)
            })
            #expect(strokes["weight:0:0:0"] == [])
            #expect(strokes["weight:0:0:1"]?.isEmpty == !dashed)
        }
    }

    // MARK: Aspect and transparency

    @Test func aspectsKeepTheHeightAndInputSpacesStaySquare() throws {
        let sizes = Aspect.allCases.map { Theme.slides.with($0).pageSize }
        #expect(sizes.map(\.width) == [960, 720, 540] && sizes.allSatisfy { $0.height == 540 })
        #expect(Aspect.named("4:3") == .standard && Aspect.named("3:2") == nil)
        let plot = DecisionRegionPlot(xAxis: Axis("x₁"), yAxis: Axis("x₂"), xRange: -0.5...1.5, yRange: -0.5...1.5,
                                      samples: [.init(x: 0, y: 0, label: 0), .init(x: 1, y: 1, label: 1)], resolution: 16) { x, _ in x }
        for aspect in Aspect.allCases {
            let theme = Theme.slides.with(aspect)
            let page = plot.layout(theme: theme, measurer: CairoTextMeasurer())
            #expect(page.size.width == theme.pageSize.width)
            let frame = try #require(page.items.compactMap { item -> Rect? in
                guard case .path(let shape) = item, shape.tag == "frame" else { return nil }
                return shape.bounds
            }.first)
            #expect(abs(frame.width - frame.height) < 1e-6, "\(aspect.rawValue): the input space is \(frame.width) × \(frame.height)")
            #expect(frame.minX >= 0 && frame.maxX <= theme.pageSize.width)
        }
    }

    @Test func transparentPagesHaveNoBackground() throws {
        var theme = Theme.slides.with(.dark)
        theme.transparent = true
        let plot = LinePlot(title: "Loss", xAxis: Axis("t"), yAxis: Axis("L"), series: [LinePlot.Series(name: "a", x: [0, 1, 2], y: [3, 1, 0.5])])
        let page = plot.layout(theme: theme, measurer: CairoTextMeasurer())
        #expect(page.background == nil)
        let png = try CairoRenderer.render(page, as: .png)
        let decoded = try DecodedPNG(png)
        #expect(decoded.channels == 4)
        for (x, y) in [(0, 0), (decoded.width - 1, 0), (0, decoded.height - 1), (decoded.width - 1, decoded.height - 1)] {
            #expect(decoded.pixel(x, y)[3] == 0, "corner (\(x), \(y)) is not transparent")
        }
        // The same page with its background: an opaque PNG whose corner is the dark scheme's #1E1E1E.
        let opaque = try DecodedPNG(try CairoRenderer.render(plot.layout(theme: Theme.slides.with(.dark), measurer: CairoTextMeasurer()), as: .png))
        #expect(opaque.channels == 3 && opaque.pixel(0, 0) == [0x1E, 0x1E, 0x1E])
        // No background rectangle in the SVG; the same bytes drawn twice.
        let svg = String(decoding: try CairoRenderer.render(page, as: .svg), as: UTF8.self)
        #expect(!svg.contains("<rect x=\"0\" y=\"0\" width=\"960\" height=\"540\""))
        #expect(try CairoRenderer.render(page, as: .png) == png)
        #expect(try CairoRenderer.render(page, as: .pdf) == (try CairoRenderer.render(page, as: .pdf)))
    }

    @Test func reportsAreReadOnPaper() {
        #expect(FigureStyle(scheme: .dark).paper.colors == .light)
        #expect(FigureStyle(scheme: .print).paper.colors == .print)
        #expect(FigureStyle(scheme: .dark, aspect: .square, transparent: true).paper == Theme.paper)
        let slides = FigureStyle(scheme: .dark, aspect: .standard, transparent: true).slides
        #expect(slides.colors == .dark && slides.pageSize == Size(720, 540) && slides.pageBackground == nil)
    }
}
