import Lessons
import Sim
import Testing

/// `--step` in every training lesson: iterations numbered across the lesson's runs, each step naming its
/// run and its iteration there, chosen iterations in full and the others one line each; without `--step`
/// the old steps.
@Suite struct TrainingStepsTests {
    static func steps(_ lesson: String, _ overrides: [String], stepsInDetail: Bool = true) throws -> [LessonStep] {
        try LessonRun(script: try LessonScript(named: lesson), overrides: overrides, recordsSteps: false, stepsInDetail: stepsInDetail).result.steps
    }

    /// The iterations in the order the steps visit them.
    static func order(_ steps: [LessonStep]) -> [Int] {
        var order: [Int] = []
        for step in steps { if let i = step.iteration, order.last != i { order.append(i) } }
        return order
    }

    @Test func symmetryNumbersEachStartsIterationsOnFromTheRunsBefore() throws {
        let steps = try Self.steps("symmetry", ["steps=300"])
        #expect(steps.allSatisfy { $0.iteration != nil && $0.run != nil })
        #expect(Self.order(steps) == Array(1...1200))
        let runs = steps.compactMap(\.run?.name).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
        #expect(runs == ["constant 0.5", "zero", "random U[−1, 1)", "constant 0.5 with dropout (keep 0.9)"])
        for step in steps {
            let run = try #require(step.run), index = try #require(runs.firstIndex(of: run.name))
            #expect(step.iteration == index * 300 + run.iteration)
            #expect(run.iterations == 300)
        }
        // Each run begins with its start, then 1, 2, 10, 100, the middle and the last in full.
        #expect(steps[0].phase == .note && steps[0].text.hasPrefix("constant 0.5 start: W1 = "))
        let detailed = Set(steps.filter { $0.phase == .forward }.compactMap(\.iteration))
        #expect(detailed == Set((0..<4).flatMap { (r: Int) -> [Int] in [1, 2, 10, 100, 150, 300].map { (i: Int) -> Int in r * 300 + i } }))
        let zero = try #require(steps.first { $0.iteration == 303 })
        #expect(zero.text.hasPrefix("L = 0.5, then W1 and W2 updated"))
        #expect(zero.run?.text == "zero: iteration 3 of 300")
    }

    @Test func symmetryWithoutStepKeepsItsFiveUpdatesPerStart() throws {
        let steps = try Self.steps("symmetry", ["steps=300"], stepsInDetail: false)
        #expect(steps.count == 4 * 6)
        #expect(steps.allSatisfy { $0.iteration == nil && $0.run == nil })
    }

    @Test func saturationNumbersEachInitializationsIterations() throws {
        let steps = try Self.steps("saturation", ["init-steps=50"])
        let training = steps.filter { $0.run != nil }
        #expect(Self.order(training) == Array(1...150))
        #expect(Set(training.compactMap(\.run?.name)).count == 3)
        #expect(Set(training.filter { $0.phase == .forward }.compactMap(\.iteration)) == Set((0..<3).flatMap { (r: Int) -> [Int] in [1, 2, 10, 25, 50].map { (i: Int) -> Int in r * 50 + i } }))
        // The single neurons and the chain come first, outside every iteration, as before.
        let plain = try Self.steps("saturation", ["init-steps=50"], stepsInDetail: false)
        #expect(steps.prefix { $0.iteration == nil } == plain.prefix { $0.phase != .update })
        #expect(plain.allSatisfy { $0.iteration == nil })
    }

    @Test func optimizersNumberEachOptimizersUpdatesOnEachSurface() throws {
        let steps = try Self.steps("optimizers", ["ravine-steps=20", "rosenbrock-steps=30"])
        #expect(steps.allSatisfy { $0.iteration != nil && $0.run != nil })
        let runs = steps.compactMap(\.run?.name).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
        let names = ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "rprop"]
        #expect(runs == names.map { "ravine, \($0)" } + names.map { "rosenbrock, \($0)" })
        for step in steps {
            let run = try #require(step.run), index = try #require(runs.firstIndex(of: run.name))
            let offset = index < 7 ? index * 20 : 140 + (index - 7) * 30
            #expect(step.iteration == offset + run.iteration)
        }
        // In full: the value, the gradient, the update; else one line.
        let first = steps.filter { $0.iteration == 1 }
        #expect(first.map(\.phase) == [.forward, .backward, .update])
        #expect(first[0].text == "f(x, y) = 90.5 at (x, y) = (−9, 1)")
        #expect(steps.filter { $0.iteration == 3 }.count == 1)
        #expect(steps.first { $0.iteration == 3 }?.text.hasPrefix("f = ") == true)
        #expect(steps.first { $0.iteration == 3 }?.run?.text == "ravine, gd: iteration 3 of 20")
        let plain = try Self.steps("optimizers", ["ravine-steps=20", "rosenbrock-steps=30"], stepsInDetail: false)
        #expect(plain.count == 2 * 7 * 3 && plain.allSatisfy { $0.iteration == nil })
    }

    @Test func adalineNumbersTheGoodRunsUpdates() throws {
        let steps = try Self.steps("adaline", ["steps=40"])
        #expect(steps.first?.phase == .note && steps.first?.iteration == nil)
        #expect(Self.order(steps) == Array(1...40))
        #expect(steps.filter { $0.iteration == 10 }.map(\.phase) == [.forward, .forward, .update])
        #expect(steps.filter { $0.iteration == 11 }.count == 1)
        let plain = try Self.steps("adaline", ["steps=40"], stepsInDetail: false)
        #expect(plain.count == 41 && plain.allSatisfy { $0.iteration == nil })
    }

    @Test func perceptronSamplesAreStepsAndEpochsIterations() throws {
        let steps = try Self.steps("perceptron", [])
        let plain = try Self.steps("perceptron", [], stepsInDetail: false)
        #expect(steps.map(\.text) == plain.map(\.text))
        #expect(plain.allSatisfy { $0.iteration == nil })
        for step in steps { #expect(step.text.hasPrefix("epoch \(step.iteration ?? -1), sample ")) }
        #expect(Self.order(steps) == Array(1...(steps.last?.iteration ?? 0)))
    }

    /// The output's own edge: the upstream, the local derivative and the message all read ∂L/∂…, so
    /// their labels say which is which, and the message shows its product.
    @Test func aBackwardStepLabelsUpstreamLocalAndMessage() throws {
        let steps = try Self.steps("backprop", [], stepsInDetail: false)
        let edge = try #require(steps.first { $0.phase == .backward && $0.detail?.node == "e" })
        #expect(edge.detail?.values.map(\.label) == ["upstream ∂L/∂L", "local ∂L/∂e = c", "message ∂L/∂e = 1 · (−2)"])
        #expect(edge.detail?.values.map { $0.value.scalars } == [[1], [-2], [-2]])
        let d = try #require(steps.first { $0.phase == .backward && $0.detail?.node == "d" })
        #expect(d.detail?.values.map(\.label) == ["upstream ∂L/∂e", "local ∂e/∂d", "message ∂L/∂d = −2 · 1"])
    }
}
