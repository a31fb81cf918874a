import Foundation
import Render
import Sim
import Testing
@testable import Lessons

@Suite struct BackpropLessonTests {
    func gradient(_ trace: Trace, _ name: String) -> Double? {
        trace.runs[0].steps.last?.nodes?.first { $0.name == name }?.gradient?.scalar
    }

    @Test func noteZeroValuesAndNames() throws {
        let run = try LessonRun(lessonPath("backprop"))
        let nodes = try #require(run.result.trace.runs[0].steps.last?.nodes)
        #expect(nodes.map(\.name) == ["a", "b", "c", "k1", "d", "e", "L"] || Set(["a", "b", "c", "d", "e", "L"]).isSubset(of: Set(nodes.map(\.name))))
        #expect(nodes.first { $0.name == "L" }?.value.scalar == -10)
        #expect(gradient(run.result.trace, "a") == -2)
        #expect(gradient(run.result.trace, "b") == -4)
        #expect(gradient(run.result.trace, "c") == 5)
        #expect(run.result.frames.count == 3 + 7 || run.result.frames.count > 6)
    }

    @Test func settingsChangeTheNumbersAndTheCheckAgrees() throws {
        let run = try LessonRun(lessonPath("backprop"), overrides: ["a=1,b=2,c=3"])
        // L = c(a + 2b): ∂L/∂a = c, ∂L/∂b = 2c, ∂L/∂c = a + 2b.
        #expect(gradient(run.result.trace, "a") == 3)
        #expect(gradient(run.result.trace, "b") == 6)
        #expect(gradient(run.result.trace, "c") == 5)
        let check = try GraphLesson.gradientCheck(ExpressionRun(source: "d = 2*b; e = a + d; L = c*e", at: [("a", 1), ("b", 2), ("c", 3)]), h: 1e-5)
        #expect(check.allSatisfy { $0.relativeError < 1e-8 })
    }

    @Test func cs231nExample() throws {
        let run = try LessonRun(lessonPath("backprop-cs231n"))
        #expect(run.result.trace.runs[0].steps.last?.nodes?.first { $0.name == "f" }?.value.scalar == -12)
        #expect(gradient(run.result.trace, "x") == -4)
        #expect(gradient(run.result.trace, "y") == -4)
        #expect(gradient(run.result.trace, "z") == 3)
    }
}

@Suite struct PerceptronLessonTests {
    func outcome(_ data: String) throws -> (String, LessonRun) {
        let run = try LessonRun(lessonPath("perceptron"), overrides: ["data=\(data)"])
        guard case .string(let s) = run.result.trace.summaryValue("outcome") else { return ("", run) }
        return (s, run)
    }

    @Test(arguments: ["and", "or"])
    func separableGatesConverge(data: String) throws {
        let (result, run) = try outcome(data)
        #expect(result == "converged")
        // Independently: the final weights classify every sample (y = 1 iff w₀ + w₁x₁ + w₂x₂ > 0).
        let w = try #require(run.result.trace.runs[0].steps.last?.params["w"]).scalars
        let set = try DataSet.named(data)
        for (x, d) in zip(set.inputs, set.targets) { #expect((w[0] + w[1] * x[0] + w[2] * x[1] > 0 ? 1.0 : 0.0) == d) }
    }

    @Test func xorCycles() throws {
        let (result, run) = try outcome("xor")
        #expect(result == "cycle")
        #expect(run.result.summary.first?.contains("No line separates") == true)
        // The weights really repeat: at the end of epoch 2 and epoch 3 (4 presentations per epoch).
        let params = run.result.trace.runs[0].steps.map { $0.params["w"] }
        #expect(params[7] == params[11])
    }
}

@Suite struct AdalineLessonTests {
    @Test func lmsReachesThePseudoInverseSolution() throws {
        let run = try LessonRun(lessonPath("adaline"))
        func number(_ key: String) -> Double? { if case .number(let x) = run.result.trace.summaryValue(key) { return x } else { return nil } }
        // Independently, the least-squares line through the data: slope = cov(x, d)/var(x).
        let set = DataSet.line
        let x = set.inputs.map { $0[0] }, d = set.targets
        let mx = x.reduce(0, +) / 6, md = d.reduce(0, +) / 6
        let slope = zip(x, d).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - md) } / x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let intercept = md - slope * mx
        #expect(abs((number("pseudo-inverse-w1") ?? .nan) - slope) < 1e-12)
        #expect(abs((number("pseudo-inverse-b") ?? .nan) - intercept) < 1e-12)
        // The good rate's run ends at its final weights (b, w), a column.
        let good = try #require(run.result.trace.run(named: "rate-good")?.steps.last?.params["w"]).scalars
        #expect(abs(good[1] - slope) < 1e-6)
        #expect(abs(good[0] - intercept) < 1e-6)
        // λmax of XᵀX = [[6, 15], [15, 55]] in closed form.
        let root: Double = (49.0 * 49.0 + 900.0).squareRoot()
        let lambda: Double = (61.0 + root) / 2
        #expect(abs((number("lambda-max") ?? .nan) - lambda) < 1e-10)
    }
}

@Suite struct XORLessonTests {
    /// Note 001's loop, written again on plain arrays: l1 = σ(X·W0), l2 = σ(l1·W1),
    /// δ2 = (Y − l2)·l2(1 − l2), δ1 = δ2·W1ᵀ · l1(1 − l1), W1 += l1ᵀδ2, W0 += Xᵀδ1.
    static func noteLoop(W0 start0: [[Double]], W1 start1: [[Double]], iterations: Int) -> ([[Double]], [[Double]]) {
        let X: [[Double]] = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], Y: [Double] = [0, 1, 1, 0]
        var W0 = start0, W1 = start1
        func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        for _ in 0..<iterations {
            var l1 = [[Double]](repeating: [0, 0, 0, 0], count: 4), l2 = [Double](repeating: 0, count: 4)
            for i in 0..<4 {
                for j in 0..<4 {
                    var z = 0.0
                    for k in 0..<3 { z += X[i][k] * W0[k][j] }
                    l1[i][j] = sigmoid(z)
                }
                var z = 0.0
                for j in 0..<4 { z += l1[i][j] * W1[j][0] }
                l2[i] = sigmoid(z)
            }
            var d2 = [Double](repeating: 0, count: 4), d1 = [[Double]](repeating: [0, 0, 0, 0], count: 4)
            for i in 0..<4 {
                d2[i] = (Y[i] - l2[i]) * (l2[i] * (1 - l2[i]))
                for j in 0..<4 { d1[i][j] = d2[i] * W1[j][0] * (l1[i][j] * (1 - l1[i][j])) }
            }
            for j in 0..<4 {
                var sum = 0.0
                for i in 0..<4 { sum += l1[i][j] * d2[i] }
                W1[j][0] += sum
            }
            for k in 0..<3 {
                for j in 0..<4 {
                    var sum = 0.0
                    for i in 0..<4 { sum += X[i][k] * d1[i][j] }
                    W0[k][j] += sum
                }
            }
        }
        return (W0, W1)
    }

    @Test func trainingReproducesNoteOnesLoop() throws {
        let run = try LessonRun(lessonPath("xor"))
        let trace = run.result.trace
        let W1 = try #require(trace.runs[0].initial["W1"]), W2 = try #require(trace.runs[0].initial["W2"])
        #expect(W1.shape == [3, 4] && W2.shape == [4, 1])
        #expect(W1.scalars.allSatisfy { $0 >= -1 && $0 < 1 })
        #expect(trace.runs[0].steps.count == 5000)
        let (expected0, expected1) = Self.noteLoop(W0: W1.rows, W1: W2.rows, iterations: 5000)
        let final1 = try #require(trace.runs[0].steps.last?.params["W1"]), final2 = try #require(trace.runs[0].steps.last?.params["W2"])
        let difference = zip(final1.scalars + final2.scalars, expected0.flatMap { $0 } + expected1.flatMap { $0 }).map { abs($0 - $1) }.max() ?? .nan
        #expect(difference < 1e-12)
        #expect(run.result.summary.first?.contains("4 of 4") == true)
    }

    @Test func decisionRegionsUseTheTrainedNetwork() throws {
        // The plain-number output used for drawing equals the graph's forward pass.
        let run = try LessonRun(lessonPath("xor"), overrides: ["steps=50"])
        let step = try #require(run.result.trace.runs[0].steps.last)
        let training = NetworkTraining(inputs: DataSet.xor.matrix(biasColumn: true), targets: DataSet.xor.targetColumn, activation: .sigmoid)
        let (graph, _) = try training.graph(step.params)
        let yhat = try #require(graph.node(named: "yhat")).value.scalars
        let network = try NetworkTraining.function(step.params, activation: .sigmoid, biasColumn: true)
        for (i, x) in DataSet.xor.inputs.enumerated() {
            #expect(abs(network(x) - yhat[i]) < 1e-15)
        }
    }

    @Test func aMissingParameterStopsTheNetworkInsteadOfStandingInAsZero() {
        // W1 missing once stood in as the scalar 0: a graph that broadcasts, and a gradient silently wrong.
        let training = NetworkTraining(inputs: DataSet.xor.matrix(biasColumn: true), targets: DataSet.xor.targetColumn, activation: .sigmoid)
        do {
            _ = try training.graph(["W2": Tensor(0)])
            Issue.record("a graph without W1 was built")
        } catch let error as LessonError {
            #expect(error.message.contains("W1"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: LessonError.self) { try NetworkTraining.function(["W1": Tensor(0)], activation: .sigmoid, biasColumn: true) }
    }

    @Test func sameSeedSameNumbersOtherSeedOthers() throws {
        let a = try LessonRun(lessonPath("xor"), overrides: ["steps=10"]), b = try LessonRun(lessonPath("xor"), overrides: ["steps=10"])
        let c = try LessonRun(lessonPath("xor"), overrides: ["steps=10"], seed: 7)
        #expect(a.result.trace == b.result.trace)
        #expect(a.result.trace.runs[0].initial != c.result.trace.runs[0].initial)
    }
}

@Suite struct PerceptronReportTests {
    /// On a 2,000-row data set the report tables the first 200 presentations and says where the rest
    /// are; the run and its step-through keep every one.
    @Test func theTableListsTheFirstPresentations() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rows-\(UUID().uuidString).csv").path
        try ("x1,x2,y\n" + String(repeating: "0.5,0.25,1\n-0.5,0.25,0\n", count: 1_000)).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try LessonRun(lessonPath("perceptron"), overrides: ["data=\(path)"], recordsSteps: false)
        #expect(run.result.steps.count >= 2_000)
        let tables = run.result.report.blocks.compactMap { block -> Report.Table? in
            if case .table(let table) = block { return table } else { return nil }
        }
        #expect(tables.first?.rows.count == 200)
        #expect(run.result.report.blocks.contains { block in
            if case .paragraph(let text) = block { return text.hasPrefix("The first 200 of \(run.result.steps.count) presentations") } else { return false }
        })
    }
}

@Suite struct PerceptronCaptionTests {
    /// Each boundary figure's caption says what the figure shows: where the line w·x = 0 misses the window
    /// (AND's first update gives w = (1, 1, 1), whose line lies below and left of every point drawn) the
    /// caption says so and which side every point is on. Checked against the weights' sign over a grid
    /// of the window, worked independently of the caption's corners.
    @Test(arguments: ["and", "or", "xor"])
    func captionsSayWhereTheLineIs(data: String) throws {
        let run = try LessonRun("perceptron", overrides: ["data=\(data)"])
        let captions = run.result.report.blocks.compactMap { block -> String? in
            if case .figure(_, let caption) = block, caption.hasPrefix("w = ") { return caption } else { return nil }
        }
        let plots = run.result.figures.filter { $0.name.hasPrefix("boundary-") }.compactMap { $0.figure as? DecisionRegionPlot }
        #expect(!captions.isEmpty && captions.count <= plots.count)
        var outside = 0
        for (caption, plot) in zip(captions, plots) {
            guard let line = plot.line else { Issue.record("no line in \(caption)"); continue }
            let (x0, y0) = (plot.xRange.lowerBound, plot.yRange.lowerBound)
            let (width, height) = (plot.xRange.upperBound - x0, plot.yRange.upperBound - y0)
            var sides = Set<Bool>()
            for i in 0...40 {
                for j in 0...40 {
                    let x: Double = x0 + Double(i) / 40 * width
                    let y: Double = y0 + Double(j) / 40 * height
                    let sum: Double = line.a * x + line.b * y + line.c
                    sides.insert(sum > 0)
                }
            }
            if sides.count == 1 {
                outside += 1
                #expect(caption.contains("passes outside this window") || caption.contains("no line"), "\(caption)")
                #expect(caption.contains("gets y = \(sides.first == true ? 1 : 0)"), "\(caption)")
            } else {
                #expect(!caption.contains("outside") && !caption.contains("no line"), "\(caption)")
            }
        }
        if data == "and" { #expect(outside >= 1) }
    }
}

@Suite struct RegionCaptionTests {
    /// A decision-region caption names the line ŷ = 0.5 only where the output crosses 0.5 in the window:
    /// XOR's network at its start is above 0.5 everywhere (the figure is one colour), and its caption says
    /// so. Checked against the network's output on a grid of the window, evaluated here.
    @Test func captionsSayWhenTheOutputIsOnOneSideEverywhere() throws {
        let run = try LessonRun("xor")
        let captions = run.result.report.blocks.compactMap { block -> String? in
            if case .figure(_, let caption) = block, caption.hasPrefix("The output ŷ over the input plane") { return caption } else { return nil }
        }
        let plots = run.result.figures.filter { $0.name.hasPrefix("regions-") }.compactMap { $0.figure as? DecisionRegionPlot }
        #expect(captions.count == plots.count && !plots.isEmpty)
        var oneSided = 0
        for (caption, plot) in zip(captions, plots) {
            var above = 0, below = 0
            for i in 0...50 {
                for j in 0...50 {
                    let x: Double = plot.xRange.lowerBound + Double(i) / 50 * (plot.xRange.upperBound - plot.xRange.lowerBound)
                    let y: Double = plot.yRange.lowerBound + Double(j) / 50 * (plot.yRange.upperBound - plot.yRange.lowerBound)
                    if plot.probability(x, y) > 0.5 { above += 1 } else { below += 1 }
                }
            }
            if below == 0 { oneSided += 1; #expect(caption.contains("ŷ is above 0.5 everywhere"), "\(caption)") }
            if above == 0 { oneSided += 1; #expect(caption.contains("ŷ is below 0.5 everywhere"), "\(caption)") }
            if above > 0 && below > 0 { #expect(caption.contains("the line is ŷ = 0.5"), "\(caption)") }
        }
        #expect(oneSided >= 1)
    }
}

@Suite struct HandSetXORTests {
    /// Note 000's network computes XOR, and in h space (0,1) and (1,0) are one point.
    @Test func computesXORAndCollapsesTheMiddlePoints() {
        let hand = HandSetXOR()
        for (x, t) in zip(hand.inputs, hand.targets) {
            #expect(hand.output(hand.hidden(x)) == Double(t))
        }
        #expect(hand.hidden([0, 1]) == [1, 0] && hand.hidden([1, 0]) == [1, 0])
        #expect(hand.hidden([0, 0]) == [0, 0] && hand.hidden([1, 1]) == [2, 1])
        // The figure's read-out separates the classes at h₁ − 2h₂ = 0.5.
        #expect(hand.hSpacePlot.misclassified.isEmpty && hand.xSpacePlot.misclassified.isEmpty)
        #expect(hand.coincidence == "(0, 1) and (1, 0) both map to h = (1, 0)")
        #expect(hand.table.rows.map { $0.last } == ["0", "1", "1", "0"])
    }
}

/// Every data set a lesson offers (`nnsim show`) is one it runs; the others are refused when the settings
/// are read (`nnsim show xor` offered `data=line`, which xor then refused: issue 12, item 8).
@Suite struct OfferedDataTests {
    @Test(arguments: [("perceptron", ["and", "or", "xor"]), ("xor", ["and", "or", "xor"]), ("adaline", ["line", "line-noisy"]),
                          ("logistic", LogisticLesson.offered), ("softmax", SoftmaxLesson.offered), ("minibatch", LogisticLesson.offered),
                          ("schedules", LogisticLesson.offered), ("regularization", ["moons", "circles"])])
    func offeredDataSetsRun(lesson: String, offered: [String]) throws {
        let script = try LessonScript(named: lesson)
        let setting = try #require(script.settings.entries.first { $0.setting.name == "data" })
        #expect(setting.setting.accepts == offered.joined(separator: "|") + "|FILE.csv")
        for name in offered {
            _ = try LessonRun(lesson, overrides: ["data=\(name)"] + (lesson == "xor" ? ["steps=20"] : []) + (["logistic", "softmax"].contains(lesson) ? ["iterations=20"] : []) + (lesson == "minibatch" || lesson == "schedules" ? ["epochs=1", "batch-size=2"] : []) + (lesson == "regularization" ? ["steps=2"] : []), recordsSteps: false)
        }
        let other = DataSet.builtIns.map(\.name).first { !offered.contains($0) } ?? "and"
        #expect(throws: LessonError.self) { try LessonRun(lesson, overrides: ["data=\(other)"]) }
    }
}

/// Text follows what ran (issue 12, item 5): a run that changes what the script describes (a graph
/// lesson's expression, a network's data) is not told with the script's words, says what it changed, and
/// writes to a folder of its own.
@Suite struct NarrativeFollowsSettingsTests {
    @Test func anotherExpressionIsNotExplainedWithTheScriptsWords() throws {
        let script = try LessonScript(named: "backprop")
        let context = try LessonRun.context(script: script, overrides: ["expression=L = a*b*c"])
        #expect(context.folderName == "backprop-custom")
        #expect(context.title == "Backpropagation on L = a*b*c")
        let run = try LessonRun(context: context)
        let text = run.result.narration.joined(separator: "\n") + run.result.report.title
        #expect(!text.contains("d = 2b") && !text.contains("c(a + 2b)"), "\(text)")
        #expect(text.contains("instead of the script's d = 2*b; e = a + d; L = c*e"))
    }

    @Test func otherDataGetTheirOwnTitleAndFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-narrative-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "x1,x2,y\n0,0,0\n1,1,0\n0,1,1\n1,0,1\n0.5,0.5,0\n".write(toFile: folder + "/circle.csv", atomically: false, encoding: .utf8)
        let context = try LessonRun.context(script: try LessonScript(named: "xor"), overrides: ["data=\(folder)/circle.csv,steps=50"])
        #expect(context.folderName == "xor-circle")
        let run = try LessonRun(context: context)
        #expect(run.result.report.title == "A hidden layer on \(folder)/circle.csv")
        #expect(!run.result.narration.contains { $0.contains("XOR and the hidden layer") })
        // The lesson as written keeps its own words, title and folder.
        let own = try LessonRun.context(script: try LessonScript(named: "xor"), overrides: ["steps=50"])
        #expect(own.folderName == "xor" && own.title == "XOR and the hidden layer" && own.departures.isEmpty)
    }
}
