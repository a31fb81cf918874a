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
        #expect(detailed == Set((0..<4).flatMap { r in [1, 2, 10, 100, 150, 300].map { r * 300 + $0 } }))
        let zero = try #require(steps.first { $0.iteration == 303 })
        #expect(zero.text.hasPrefix("zero, iteration 3: L = "))
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
        #expect(Set(training.filter { $0.phase == .forward }.compactMap(\.iteration)) == Set((0..<3).flatMap { r in [1, 2, 10, 25, 50].map { r * 50 + $0 } }))
        // The single neurons and the chain come first, outside every iteration, as before.
        let plain = try Self.steps("saturation", ["init-steps=50"], stepsInDetail: false)
        #expect(steps.prefix { $0.iteration == nil } == plain.prefix { $0.phase != .update })
        #expect(plain.allSatisfy { $0.iteration == nil })
    }
}
