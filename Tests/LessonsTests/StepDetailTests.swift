import Lessons
import Sim
import Testing

/// What `--step` gets from a lesson: structured steps, local derivatives as mathematics, gradients with
/// respect to data marked, and a training run's iterations recorded in full or as updates.
@Suite struct StepDetailTests {
    static func xor(stepsInDetail: Bool) throws -> LessonRun {
        let script = try LessonScript(named: "xor")
        return try LessonRun(script: script, overrides: ["steps=300"], recordsSteps: false, stepsInDetail: stepsInDetail)
    }

    @Test func localDerivativesAreMathematicsNotRuleNames() throws {
        let steps = try Self.xor(stepsInDetail: true).result.steps
        let backward = steps.filter { $0.phase == .backward }
        #expect(!backward.isEmpty)
        for step in backward { #expect(!step.text.contains(" rule"), "\(step.text)") }
        let rules = Set(backward.compactMap { $0.detail?.rule })
        #expect(rules.contains("= ∂L/∂z2·W2ᵀ"))
        #expect(rules.contains("= hᵀ·∂L/∂z2"))
        #expect(rules.contains("= Xᵀ·∂L/∂z1"))
        #expect(rules.contains("= ∂L/∂L · (yhat − Y)"))
        #expect(rules.contains("local derivative ∂yhat/∂z2 = σ′(z2) = σ(z2)(1 − σ(z2))"))
        #expect(backward.contains { $0.text == backward.first { $0.detail?.node == "W2" }?.text && $0.text.contains("= hᵀ·∂L/∂z2 = [") })
    }

    @Test func gradientsWithRespectToDataAreMarked() throws {
        let steps = try Self.xor(stepsInDetail: true).result.steps.filter { $0.phase == .backward && $0.iteration == 1 }
        let marked = Set(steps.filter { $0.detail?.isDataGradient == true }.compactMap { $0.detail?.node })
        #expect(marked == ["X", "Y"])
        // An expression's inputs are what its gradients are for: none is data.
        let graph = try LessonRun(script: try LessonScript(named: "backprop")).result.steps
        #expect(!graph.contains { $0.detail?.isDataGradient == true })
        #expect(graph.filter { $0.detail != nil }.count == 9)
    }

    @Test func aTrainingRunRecordsChosenIterationsInFullAndEveryUpdate() throws {
        let steps = try Self.xor(stepsInDetail: true).result.steps
        // Every iteration is there, in order, each step tagged with its iteration.
        var order: [Int] = []
        for step in steps { if let i = step.iteration, order.last != i { order.append(i) } }
        #expect(order == Array(1...300))
        let detailed = Set(steps.filter { $0.phase == .forward }.compactMap(\.iteration))
        #expect(detailed == [1, 2, 10, 100, 150, 300])
        // An iteration recorded as its update holds the loss and the new weights.
        let update = try #require(steps.first { $0.iteration == 3 })
        #expect(steps.filter { $0.iteration == 3 }.count == 1)
        #expect(update.detail?.values.map(\.label) == ["L", "W1", "W2"])
        // The last iteration's forward steps, node by node in the graph's order.
        let last = steps.filter { $0.iteration == 300 && $0.phase == .forward }.compactMap { $0.detail?.node }
        #expect(last == ["z1", "h", "z2", "yhat", "L"])
        #expect(steps.first?.detail?.nodes == ["X", "W1", "W2", "Y", "z1", "h", "z2", "yhat", "L"])
    }

    @Test func withoutStepTheRunKeepsItsOldSteps() throws {
        let plain = try Self.xor(stepsInDetail: false).result.steps
        #expect(plain.allSatisfy { $0.iteration == nil })
        #expect(plain.filter { $0.phase == .update }.count == 2 + 299)
    }
}
