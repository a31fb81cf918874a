import Lessons
import Render
import Sim

/// Figure timings: the L = c(a + 2b) graph figure laid out and rendered to PNG, SVG and PDF, and a
/// 1,000-node computational graph (a wide sum of 500 inputs, and a 1,000-node chain) laid out and drawn.
enum FigureBenchmark {
    static func run(repetitions: Int) throws {
        let measurer = CairoTextMeasurer()
        let example = try ExpressionRun(source: "L = c*(a + 2*b)", at: [("a", 3), ("b", 1), ("c", -2)])
        var times: [String: [Double]] = [:]
        let clock = ContinuousClock()
        for _ in 0..<repetitions {
            var start = clock.now
            let figure = GraphFigureBuilder.figure(of: example.graph, gradients: example.gradients, output: example.gradients.output)
            let page = try figure.layout(theme: .slides, measurer: measurer)
            times["layout", default: []].append(seconds(clock.now - start))
            for format in [OutputFormat.png, .svg, .pdf] {
                start = clock.now
                _ = try CairoRenderer.render(page, as: format)
                times[format.fileExtension, default: []].append(seconds(clock.now - start))
            }
        }
        let total = ["layout", "png", "svg", "pdf"].map { median(times[$0] ?? []) * 1000 }
        print("figure of L = c(a + 2b), median of \(repetitions):")
        print(String(format: "  layout %.2f ms, PNG %.2f ms, SVG %.2f ms, PDF %.2f ms; all three formats %.2f ms",
                     total[0], total[1], total[2], total[3], total.reduce(0, +)))

        for shape in Shape.allCases {
            let (g, output) = try build(shape, nodes: 1_000)
            let grads = try g.backward(from: output)
            var layout: [Double] = [], png: [Double] = [], pdf: [Double] = []
            var size = (0.0, 0.0)
            for _ in 0..<3 {
                var start = clock.now
                let figure = GraphFigureBuilder.figure(of: g, gradients: grads, output: output.id)
                let page = try figure.layout(theme: .slides, measurer: measurer)
                layout.append(seconds(clock.now - start))
                size = (page.size.width, page.size.height)
                start = clock.now
                _ = try CairoRenderer.render(page, as: .png, pngScale: 1)
                png.append(seconds(clock.now - start))
                start = clock.now
                _ = try CairoRenderer.render(page, as: .pdf)
                pdf.append(seconds(clock.now - start))
            }
            print(String(format: "graph figure, 1,000-node %@ (page %.0f × %.0f pt), median of 3: layout %.0f ms, PNG (1×) %.0f ms, PDF %.0f ms",
                         shape.rawValue, size.0, size.1, median(layout) * 1000, median(png) * 1000, median(pdf) * 1000))
        }
    }
}
