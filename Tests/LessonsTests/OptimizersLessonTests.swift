import Foundation
import Render
import Sim
import Testing
@testable import Lessons

@Suite struct OptimizersLessonTests {
    static let ravine = "f = 0.5*(x^2 + 100*y^2)"

    func runs(_ steps: Int, rates: [String: Double] = [:]) throws -> [String: OptimizersLesson.Run] {
        let f = try SurfaceFunction(Self.ravine, key: "ravine")
        let chosen = Optimizers.all.map { kind in
            (name: kind.name, rate: rates[kind.name] ?? 0.01, optimizer: TrainingChoices.optimizer(kind, rate: rates[kind.name] ?? 0.01))
        }
        let result = try OptimizersLesson.descend(f, from: (-9, 1), optimizers: chosen, steps: steps)
        return Dictionary(uniqueKeysWithValues: result.map { ($0.name, $0) })
    }

    func close(_ p: (x: Double, y: Double)?, _ x: Double, _ y: Double) -> Bool {
        guard let p else { return false }
        return abs(p.x - x) <= 1e-12 * max(1, abs(x)) && abs(p.y - y) <= 1e-12 * max(1, abs(y))
    }

    /// The first steps on f = ½(x² + 100y²), whose gradient is (x, 100y), worked by hand from (−9, 1), η = 0.01.
    /// A view setting's `fit` (a setting may not be empty) fits the window to the paths, as the help says.
    @Test func fitViewIsReachable() throws {
        #expect(try OptimizersLesson.view("fit", key: "ravine-view") == nil)
        #expect(throws: LessonError.self) { try OptimizersLesson.view("fit, 1", key: "ravine-view") }
        let run = try LessonRun("optimizers", overrides: ["ravine-view=fit,rosenbrock-view=fit,ravine-steps=40,rosenbrock-steps=40"])
        #expect(run.result.figures.contains { $0.name.contains("ravine") })
    }

    /// The state in the report and the step-through is written as the notes write it: Adam's bias-corrected
    /// moments as m̂ and v̂, Rprop's step as Δ, never the trace's ASCII names (issue 14: `mHat` beside
    /// mathematics).
    @Test func stateIsWrittenAsMathematics() throws {
        let run = try LessonRun("optimizers", overrides: ["ravine-steps=5,rosenbrock-steps=5"])
        let cells = run.result.report.blocks.flatMap { block -> [String] in
            if case .table(let table) = block { return table.rows.flatMap { $0 } } else { return [] }
        }
        let text = (cells + run.result.steps.flatMap(\.details)).joined(separator: "\n")
        for ascii in ["mHat", "vHat", "stepSize"] { #expect(!text.contains(ascii), "\(ascii) in the report") }
        for symbol in ["m̂ = ", "v̂ = ", "Δ = "] { #expect(text.contains(symbol), "no \(symbol)") }
    }

    @Test func firstStepsByHand() throws {
        let r = try runs(2)
        let eta = 0.01
        // Gradient descent: θ₁ = θ₀ − η(x₀, 100y₀) = (−9 + 0.09, 1 − 1) = (−8.91, 0).
        #expect(close(r["gd"]?.points[1], -8.91, 0))
        // Momentum: v₁ = −ηg₀ = (0.09, −1), θ₁ = (−8.91, 0); v₂ = 0.9v₁ − ηg₁ = (0.081 + 0.0891, −0.9), θ₂ = θ₁ + v₂.
        #expect(close(r["momentum"]?.points[1], -8.91, 0))
        #expect(close(r["momentum"]?.points[2], -8.91 + 0.081 + 0.0891, -0.9))
        // Nesterov: the first step is momentum's (v₀ = 0); the second takes g at θ₁ + 0.9v₁ = (−8.829, −0.9).
        #expect(close(r["nesterov"]?.points[1], -8.91, 0))
        #expect(close(r["nesterov"]?.points[2], -8.91 + 0.081 + eta * 8.829, -0.9 + eta * 90))
        // Adagrad: G = g², θ₁ = θ₀ − η g/√(g² + ε) ≈ θ₀ − η·sign(g).
        let g0 = (-9.0, 100.0)
        #expect(close(r["adagrad"]?.points[1], -9 - eta * g0.0 / (g0.0 * g0.0 + 1e-8).squareRoot(), 1 - eta * g0.1 / (g0.1 * g0.1 + 1e-8).squareRoot()))
        // RMSProp: G = 0.1g², θ₁ = θ₀ − η g/√(0.1g² + ε) ≈ θ₀ − η√10·sign(g).
        #expect(close(r["rmsprop"]?.points[1], -9 - eta * g0.0 / (0.1 * g0.0 * g0.0 + 1e-8).squareRoot(), 1 - eta * g0.1 / (0.1 * g0.1 * g0.1 + 1e-8).squareRoot()))
        // Adam: m̂ = g, v̂ = g² after bias correction, θ₁ = θ₀ − η g/(|g| + ε).
        #expect(close(r["adam"]?.points[1], -9 + eta * 9 / (9 + 1e-8), 1 - eta * 100 / (100 + 1e-8)))
        // Rprop: θ₁ = θ₀ − sign(g)·Δ₀; at step 2 both gradients keep their signs (x₁ < 0, y₁ > 0), so Δ grows to 1.2Δ₀.
        #expect(close(r["rprop"]?.points[1], -9 + 0.01, 1 - 0.01))
        #expect(close(r["rprop"]?.points[2], -9 + 0.01 + 0.012, 1 - 0.01 - 0.012))
    }

    /// With the lesson's rates, momentum and Adam end near the minimum (0, 0) within 200 steps and gradient
    /// descent does not; a rate beyond 2/λmax = 0.02 makes gradient descent diverge (at 0.03 it leaves Double's range within 2000 steps), and that is shown.
    @Test func trajectoriesEndWhereTheyShould() throws {
        let run = try LessonRun(lessonPath("optimizers"), recordsSteps: false)
        func number(_ key: String) -> Double? { if case .number(let x) = run.result.trace.summaryValue(key) { return x } else { return nil } }
        for name in ["momentum", "adam", "nesterov", "rprop"] {
            #expect(abs(number("ravine-\(name).x") ?? 1) < 1e-3 && abs(number("ravine-\(name).y") ?? 1) < 1e-3, "\(name)")
        }
        #expect((number("ravine-gd.f") ?? 0) > 1e-2)
        for name in ["momentum", "nesterov", "adam"] {
            #expect(abs((number("rosenbrock-\(name).x") ?? 0) - 1) < 1e-4 && abs((number("rosenbrock-\(name).y") ?? 0) - 1) < 1e-4, "\(name)")
        }
        #expect((number("rosenbrock-gd.x") ?? 1) < 0.9)
        let diverging = try LessonRun(lessonPath("optimizers"), overrides: ["ravine-gd=0.03,ravine-steps=2000"], recordsSteps: false)
        #expect(diverging.result.narration.contains { $0.contains("gd (η = 0.03)") && $0.contains("diverged at iteration") })
    }

    /// Adagrad's first step is η in each coordinate (g/√g² = sign g): with η = 1 from (−1.5, 2) it lands on
    /// (−0.5, 3), which the old window's top (y = 3) cut; the default window holds every path whole. With a
    /// window that adagrad leaves, the captions say at which iteration (the first iterate outside, worked
    /// here from the points) and the figures mark the exit with one arrowhead on the frame.
    @Test func pathsThatLeaveTheWindowAreSaid() throws {
        func captions(_ run: LessonRun) -> [String] {
            run.result.report.blocks.compactMap { block in if case .figure(_, let caption) = block { return caption } else { return nil } }
        }
        let standard = try LessonRun(lessonPath("optimizers"), recordsSteps: false)
        #expect(!captions(standard).contains { $0.contains("leaves the window") })
        let rosenbrock = try #require(try OptimizersLesson.view(OptimizersLesson.Settings().rosenbrockView, key: "rosenbrock-view"))
        #expect(rosenbrock.1.upperBound > 3 && rosenbrock.0.contains(-0.5))
        let narrow = try LessonRun(lessonPath("optimizers"), overrides: ["rosenbrock-view=-2, 2, -1, 2.5"], recordsSteps: false)
        let expected = "adagrad's path leaves the window at iteration 1 (the outlined arrowhead on the frame) and is back inside from iteration 2."
        #expect(captions(narrow).filter { $0.contains(expected) }.count == 2, "\(captions(narrow))")
        // Only adagrad's path leaves: one exit mark in the panels, on its panel.
        let panels = try #require(narrow.result.figures.first { $0.name == "rosenbrock-panels" })
        let page = try panels.figure.layout(theme: FigureStyle.standard.slides, measurer: CairoTextMeasurer())
        let exits = page.items.compactMap { item -> String? in if case .path(let shape) = item, let tag = shape.tag, tag.hasPrefix("exit:") { return tag } else { return nil } }
        #expect(exits == ["exit:adagrad (η = 1)"])
    }

    /// Plain gradient descent zig-zags across the ravine: y changes sign at every step when η·100 > 1.
    @Test func gradientDescentZigZags() throws {
        let r = try runs(10, rates: ["gd": 0.018])
        let ys = try #require(r["gd"]).points.map(\.y)
        for k in 1..<ys.count { #expect(ys[k] * ys[k - 1] < 0 || ys[k] == 0) }
        // Closed form: y_k = (1 − 100η)^k y₀ = (−0.8)^k.
        #expect(abs(ys[10] - pow(-0.8, 10)) < 1e-12)
    }

    @Test func badFunctionsAreRefused() throws {
        #expect(throws: LessonError.self) { try LessonRun(lessonPath("optimizers"), overrides: ["ravine=f = x + z"]) }
        #expect(throws: LessonError.self) { try LessonRun(lessonPath("optimizers"), overrides: ["ravine=f = (x"]) }
        #expect(throws: LessonError.self) { try LessonRun(lessonPath("optimizers"), overrides: ["ravine-view=1, 0, 0, 1"]) }
        do {
            _ = try LessonRun(lessonPath("optimizers"), overrides: ["ravine=f = x + z"])
        } catch {
            #expect(error.description.contains("'z'") && error.description.contains("ravine"))
        }
    }

    /// Every sentence the lesson says about a surface's outcome is true of that run (issue 14), for the
    /// default settings and for runs that diverge, stop early or use other rates: read back from the
    /// trace's points, with f computed here in closed form, independently of the lesson's engine.
    @Test(arguments: [[], ["ravine-gd=0.03,ravine-steps=1200,rosenbrock-steps=300"], ["ravine-steps=20,rosenbrock-steps=60"],
                      ["ravine-rmsprop=0.005,ravine-adam=0.05,rosenbrock-adam=0.5,rosenbrock-gd=0.002,rosenbrock-steps=1500"]])
    func sentencesMatchTheRun(overrides: [String]) throws {
        let run = try LessonRun(lessonPath("optimizers"), overrides: overrides)
        let narration = run.result.narration
        let surfaces: [(key: String, f: (Double, Double) -> Double)] = [
            ("ravine", { x, y in 0.5 * (x * x + 100 * y * y) }),
            ("rosenbrock", { x, y in (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) }),
        ]
        let names = Optimizers.all.map(\.name)
        for (key, f) in surfaces {
            // The surface's sentences: the narration's lines from its heading to the next blank line, indented, not a run's line.
            guard let start = narration.firstIndex(where: { $0.hasPrefix(key == "ravine" ? "A ravine:" : "The Rosenbrock function:") }) else {
                Issue.record("no \(key) heading"); continue
            }
            let lines = narration[(start + 1)...].prefix { !$0.isEmpty }
            let sentences = lines.filter { line in !names.contains { line.hasPrefix("  \($0) (") } }.joined(separator: " ")
            struct Path { let name: String; let points: [(Double, Double)]; let diverged: Bool }
            let paths = try names.map { name -> Path in
                let traced = try #require(run.result.trace.runs.first { $0.name == "\(key)-\(name)" })
                let first = (try #require(traced.initial["x"]?.scalar), try #require(traced.initial["y"]?.scalar))
                let points = try [first] + traced.steps.map { (try #require($0.params["x"]?.scalar), try #require($0.params["y"]?.scalar)) }
                return Path(name: name, points: points, diverged: traced.summary["diverged-at"] != nil)
            }
            let steps = try #require(paths.first { !$0.diverged }).points.count - 1
            var reached = 0
            for path in paths {
                let values = path.points.map { f($0.0, $0.1) }
                if let k = values.firstIndex(where: { $0 < 1e-3 }) {
                    reached += 1
                    #expect(sentences.contains("\(path.name) at iteration \(k)"), "\(key): \(path.name) reaches 10⁻³ at \(k): \(sentences)")
                } else if !path.diverged {
                    #expect(sentences.contains(NumberFormat.display(values.last ?? .nan)) && !sentences.contains("\(path.name) at iteration"),
                            "\(key): \(path.name) never reaches 10⁻³, ends at \(values.last ?? .nan): \(sentences)")
                } else {
                    #expect(sentences.contains("\(path.name) diverges (its point leaves Double's range at iteration \(path.points.count))"), "\(key): \(sentences)")
                }
            }
            #expect(sentences.contains(reached == 0 ? "None of the 7 reaches f < 10⁻³ within \(steps) iterations."
                                       : reached == 7 ? "All 7 reach f < 10⁻³ within \(steps) iterations" : "\(reached) of 7 reach f < 10⁻³ within \(steps) iterations"),
                    "\(key): \(sentences)")
            // The highest ending among the runs that did not diverge, and what its f did.
            let settled = paths.filter { !$0.diverged }
            let finals = settled.map { f($0.points.last!.0, $0.points.last!.1) }
            let w = try #require(finals.indices.max { finals[$0] < finals[$1] })
            let worst = settled[w], values = worst.points.map { f($0.0, $0.1) }
            #expect(sentences.contains("\(worst.name) ends highest, at f = \(NumberFormat.display(finals[w]))"), "\(key): \(sentences)")
            let tenth = values[values.count - 1 - max(1, (values.count - 1) / 10)]
            let lowest = values.min()!
            #expect(sentences.contains(finals[w] > 10 * lowest ? "it does not settle" : tenth >= 1.5 * finals[w] ? "it is slow, not stuck" : "down only from f = \(NumberFormat.display(tenth))"),
                    "\(key): \(sentences)")
            // A claim of steps staying near the rate only where the last ten steps are within a factor 10 of it.
            if sentences.contains("keeps each step near") {
                let lengths = zip(worst.points, worst.points.dropFirst()).map { hypot($1.0 - $0.0, $1.1 - $0.1) }
                let last = lengths.suffix(10).reduce(0, +) / 10
                let rate = try #require(run.result.trace.runs.first { $0.name == "\(key)-\(worst.name)" }?.settings["learning-rate"])
                guard case .number(let eta) = rate else { Issue.record("no rate"); continue }
                #expect(last >= 0.1 * eta && last <= 10 * eta)
            }
            // Zig-zag: named exactly for the runs whose steps turn back at least half the time.
            for path in settled {
                let d = zip(path.points, path.points.dropFirst()).map { ($1.0 - $0.0, $1.1 - $0.1) }
                let back = zip(d, d.dropFirst()).filter { $0.0 * $1.0 + $0.1 * $1.1 < 0 }.count
                let share = d.count > 1 ? Double(back) / Double(d.count - 1) : 0
                #expect(sentences.contains("\(path.name) turns back") == (share >= 0.5), "\(key): \(path.name) turns back in \(share): \(sentences)")
            }
            // The claim this issue was about is not made.
            #expect(!sentences.contains("straight down"))
        }
        // The report says the same as the terminal.
        let paragraphs = run.result.report.blocks.compactMap { block -> String? in if case .paragraph(let text) = block { return text } else { return nil } }
        #expect(paragraphs.filter { $0.hasPrefix("In this run: ") }.count == 2)
    }
}
