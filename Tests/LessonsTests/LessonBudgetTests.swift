import Foundation
import Render
import Sim
import Testing
@testable import Lessons

/// Runs over the memory budget are refused from their settings alone, before anything is computed: each
/// of these would take minutes and many GB if it ran, and is refused at once with its estimate.
@Suite struct LessonBudgetTests {
    func refusal(_ lesson: String, _ overrides: String, trace: Bool) -> String? {
        do {
            _ = try LessonRun(lessonPath(lesson), overrides: [overrides], recordsSteps: trace)
            return nil
        } catch {
            return error.message
        }
    }

    @Test(arguments: [
        ("xor", "steps=1000000", true, "steps=1000000, hidden=4 with --trace would take about 48.1 GB of memory; the limit is 1 GB: lower steps or hidden, or leave out --trace"),
        ("xor", "steps=100000", true, "steps=100000, hidden=4 with --trace would take about 4.9 GB of memory"),
        ("symmetry", "hidden=64,steps=100000", false, "steps=100000, hidden=64 would take about 16.9 GB of memory; the limit is 1 GB: lower steps or hidden"),
        ("symmetry", "steps=100000", true, "with --trace would take about"),
        ("adaline", "steps=1000000", false, "steps=1000000 would take about 4.3 GB of memory; the limit is 1 GB: lower steps"),
        ("optimizers", "ravine-steps=100000,rosenbrock-steps=100000", false, "ravine-steps=100000, rosenbrock-steps=100000 would take about 3.1 GB"),
        ("perceptron", "max-epochs=100000", true, "max-epochs=100000 with --trace would take about"),
        ("exploding", "n=64,count=1200,seeds=1,overflow-limit=0", true, "count=1200, seeds=1, n=64 with --trace would take about 1.2 GB"),
    ])
    func overTheBudgetIsRefusedWithTheEstimate(lesson: String, overrides: String, trace: Bool, message: String) {
        let refused = refusal(lesson, overrides, trace: trace)
        #expect(refused?.contains(message) == true, "\(refused ?? "not refused")")
    }

    /// The same settings without the trace keep little, and are within the budget.
    @Test func theTraceIsWhatCosts() throws {
        let settings = try LessonScript(named: lessonPath("xor")).settings
        #expect(try NetworkLesson.estimate(settings, recordsSteps: false).bytes < 10e6)
        #expect(try NetworkLesson.estimate(settings, recordsSteps: true).bytes > 100e6)
    }

    /// The perceptron's estimate counts the data's rows: 2,000 rows for up to 100 epochs.
    @Test func theEstimateCountsACSVsRows() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rows-\(UUID().uuidString).csv").path
        try ("x1,x2,y\n" + String(repeating: "0.5,0.25,1\n-0.5,0.25,0\n", count: 1_000)).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(refusal("perceptron", "data=\(path)", trace: true)?.contains("max-epochs=100 with --trace would take about") == true)
        #expect(refusal("perceptron", "data=\(path)", trace: false) == nil)
    }

    /// Every lesson at its default settings, with its trace, is within the budget.
    @Test(arguments: ["perceptron", "adaline", "xor", "backprop", "backprop-cs231n", "saturation", "symmetry", "exploding", "optimizers",
                        "newton", "mlp", "batchnorm", "logistic", "softmax", "softmax-spiral", "minibatch", "schedules", "regularization"])
    func defaultsAreWithinTheBudget(lesson: String) throws {
        let script = try LessonScript(named: lessonPath(lesson))
        let estimate = try script.kind.estimate(script.settings, recordsSteps: true)
        #expect(LessonBudget.base + estimate.bytes <= LessonBudget.bytes)
    }

    @Test func sizesAreWrittenForPeople() {
        #expect(LessonBudget.describe(1e9) == "1 GB")
        #expect(LessonBudget.describe(8.14e9) == "8.2 GB")
        #expect(LessonBudget.describe(950e6) == "950 MB")
        #expect(LessonBudget.describe(1.004e9) == "1.1 GB")
    }

    /// A graph lesson over the figure's limit says so before drawing, and names what still works.
    @Test func aGraphTooLargeToDrawIsRefused() {
        let sum = "L = " + Array(repeating: "a + b + c", count: 150).joined(separator: " + ")
        let refused = refusal("backprop", "expression=\(sum)", trace: false)
        #expect(refused?.contains("the graph's edges would bend at ") == true, "\(refused ?? "not refused")")
        #expect(refused?.contains("points (once in every column an edge crosses); a graph figure draws at most 20000: take graph and frames out of the script's report: list") == true)
    }

}
