import Testing
@testable import Sim

@Suite struct PerceptronRuleTests {
    let inputs: [[Double]] = [[0, 0], [0, 1], [1, 0], [1, 1]]

    /// Worked by hand with α = 1 from w = (0, 0, 0), strict threshold (note 001):
    /// epoch 1 only (1,1) errs (net 0 → 0, d = 1): w = (1, 1, 1);
    /// epoch 2: (0,0) net 1 → 1, d = 0: w = (0, 1, 1); (0,1) net 1 → 1: w = (−1, 1, 0);
    /// (1,0) net 0 → 0 ✓; (1,1) net 0 → 0, d = 1: w = (0, 2, 1).
    @Test func andFirstEpochsByHand() {
        let run = PerceptronRule(learningRate: 1).train(inputs: inputs, targets: [0, 0, 0, 1], initial: [0, 0, 0])
        let ends = run.presentations.filter { $0.sample == 3 }.map(\.weightsAfter)
        #expect(ends[0] == [1, 1, 1])
        #expect(ends[1] == [0, 2, 1])
        let epoch2 = run.presentations.filter { $0.epoch == 2 }
        #expect(epoch2.map(\.netInput) == [1, 1, 0, 0])
        #expect(epoch2.map(\.error) == [-1, -1, 0, 1])
        #expect(run.errorsPerEpoch[0...1] == [1, 3])
    }

    /// AND and OR converge; the final weights separate the data (checked directly).
    @Test(arguments: [("and", [0.0, 0, 0, 1]), ("or", [0.0, 1, 1, 1])])
    func converges(name: String, targets: [Double]) {
        let run = PerceptronRule(learningRate: 1).train(inputs: inputs, targets: targets, initial: [0, 0, 0])
        guard case .converged(let epochs, let updates) = run.outcome else {
            Issue.record("\(name) did not converge: \(run.outcome)")
            return
        }
        #expect(epochs == run.errorsPerEpoch.count && run.errorsPerEpoch.last == 0)
        #expect(updates == run.errorsPerEpoch.reduce(0, +))
        let w = run.finalWeights
        for (x, d) in zip(inputs, targets) {
            #expect((w[0] + w[1] * x[0] + w[2] * x[1] > 0 ? 1.0 : 0) == d)
        }
    }

    /// XOR is not linearly separable: the weights return to an earlier epoch's and the run stops.
    @Test(arguments: [1.0, 0.1])
    func xorCycles(rate: Double) {
        let run = PerceptronRule(learningRate: rate).train(inputs: inputs, targets: [0, 1, 1, 0], initial: [0, 0, 0])
        guard case .cycle(let first, let again) = run.outcome else {
            Issue.record("XOR did not cycle: \(run.outcome)")
            return
        }
        #expect(first < again)
        #expect(run.errorsPerEpoch.allSatisfy { $0 > 0 })
    }
}

@Suite struct LMSRuleTests {
    /// Batch LMS converges to the least-squares line of y = 1 + 2x + noise, solved here by the normal
    /// equations: for points (xᵢ, dᵢ), slope = (nΣxd − ΣxΣd)/(nΣx² − (Σx)²), intercept = (Σd − slope·Σx)/n.
    @Test func reachesTheLeastSquaresSolution() {
        let xs = [0.0, 0.5, 1, 1.5, 2], ds = [1.1, 1.9, 3.2, 3.9, 5.05]
        let n = Double(xs.count)
        let sx = xs.reduce(0, +), sd = ds.reduce(0, +)
        let sxx = xs.reduce(0) { $0 + $1 * $1 }, sxd = zip(xs, ds).reduce(0) { $0 + $1.0 * $1.1 }
        let slope = (n * sxd - sx * sd) / (n * sxx - sx * sx), intercept = (sd - slope * sx) / n
        let steps = LMSRule(rate: 0.05).train(inputs: xs.map { [$0] }, targets: ds, initial: [0, 0], steps: 2000)
        let w = steps.last!.weightsAfter
        #expect(abs(w[0] - intercept) < 1e-9 && abs(w[1] - slope) < 1e-9)
        // The loss never increases at a stable rate.
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $1.loss <= $0.loss + 1e-15 })
        // First step by hand: y = 0, residuals = d, w = μ(Σd, Σx·d) = 0.05·(15.15, 20.1).
        #expect(abs(steps[0].weightsAfter[0] - 0.05 * 15.15) < 1e-12)
        #expect(abs(steps[0].weightsAfter[1] - 0.05 * 20.1) < 1e-12)
    }
}
