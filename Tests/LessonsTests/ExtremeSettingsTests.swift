import Foundation
import Render
import Testing
@testable import Lessons

/// Settings and data at the edges of what a Double holds, valid per docs/lesson-format.md, run and draw
/// (issue 11): each of these once hung at 100% CPU or trapped converting an infinite tick step to Int.
@Suite struct ExtremeSettingsTests {
    func runAndDraw(_ lesson: String, _ overrides: [String]) throws {
        let run = try LessonRun(lessonPath(lesson), overrides: overrides, recordsSteps: false)
        #expect(!run.result.figures.isEmpty)
        for figure in run.result.figures { _ = try figure.figure.layout(theme: .slides, measurer: CairoTextMeasurer()) }
    }

    @Test(arguments: [
        ("symmetry", "constant=1e16,steps=10"),          // a flat range past 2⁵³: widening by ±1 did nothing
        ("symmetry", "constant=-1e300,steps=10"),
        ("exploding", "sigma=5e-324,seeds=2"),           // log minor lines from 10⁻³²⁴, which is 0
    ])
    func hungOnce(lesson: String, settings: String) throws {
        try runAndDraw(lesson, [settings])
    }

    @Test func viewSpanningEveryDouble() throws {
        try runAndDraw("optimizers", ["ravine-view=-1e308, 1e308, -1e308, 1e308", "ravine-steps=5,rosenbrock-steps=5"])
    }

    @Test func dataOfPlusMinus1e308() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).csv").path
        try "x1,x2,y\n1e308,-1e308,1\n-1e308,1e308,0\n0,0,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try runAndDraw("perceptron", ["data=\(path)"])
        try runAndDraw("xor", ["data=\(path),steps=5"])
    }
}
