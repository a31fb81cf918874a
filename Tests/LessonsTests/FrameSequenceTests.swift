import Foundation
import Render
import Testing
@testable import Lessons

/// Frames for slides on one canvas (issue 14: the frames of a 2-input sigmoid neuron came in 12 pixel
/// sizes, and the backprop frames moved nodes by several points): every frame of a sequence has the same
/// page size and the same node positions, only highlighting and revealed labels change, and each writes
/// its step with the numbers under the graph.
@Suite struct FrameSequenceTests {
    let measurer = CairoTextMeasurer()

    func nodeCentres(_ page: DisplayList) -> [String: Point] {
        Dictionary(uniqueKeysWithValues: page.items.compactMap { item -> (String, Point)? in
            guard case .path(let shape) = item, let tag = shape.tag, tag.hasPrefix("node:") else { return nil }
            return (tag, shape.bounds.center)
        })
    }

    func expectOneCanvas(_ frames: [ComputationalGraphFigure], theme: Theme) throws {
        let pages = try frames.map { try $0.layout(theme: theme, measurer: measurer) }
        let first = try #require(pages.first)
        for page in pages {
            #expect(page.size == first.size)
            #expect(nodeCentres(page) == nodeCentres(first))
            #expect(FigureCheck.problems(page, use: theme == .slides ? .projected : .printed, measurer: measurer) == [])
        }
    }

    @Test(arguments: [Theme.slides, Theme.paper])
    func backpropFramesShareOneCanvas(theme: Theme) throws {
        let run = try LessonRun("backprop")
        let frames = run.result.frames.compactMap { $0.figure as? ComputationalGraphFigure }
        #expect(frames.count == run.result.frames.count && frames.count == 8)
        try expectOneCanvas(frames, theme: theme)
    }

    @Test func aSigmoidNeuronsFramesShareOneCanvasAndShowTheirStep() throws {
        let run = try ExpressionRun(source: "z = w1*x1 + w2*x2 + b; y = sigmoid(z)",
                                    at: [("w1", 0.5), ("x1", -1.5), ("w2", -2), ("x2", 0.25), ("b", 0.1)])
        let frames = GraphFigureBuilder.frames(of: run.graph, gradients: run.gradients)
        try expectOneCanvas(frames.map(\.1), theme: .slides)
        let pages = try frames.map { try $0.1.layout(theme: .slides, measurer: measurer) }
        for ((name, _), page) in zip(frames, pages) {
            let formula = try #require(page.texts.first { $0.tag == "formula" }, "\(name) has no formula")
            if name.contains("backward") {
                // upstream · local = message, with the numbers.
                #expect(formula.text.hasPrefix("∂y/∂") && formula.text.contains(" · ") && formula.text.filter { $0 == "=" }.count >= 3, "\(formula.text)")
            } else {
                #expect(formula.text.filter { $0 == "=" }.count >= 2, "\(formula.text)")
            }
        }
        // The last backward frame reveals every message; the first forward frame none.
        let gradients = pages.map { $0.texts.filter { ($0.tag ?? "").hasPrefix("edge-gradient:") }.count }
        #expect(gradients.first == 0 && gradients.last == frames.last?.1.edges.count)
    }
}
