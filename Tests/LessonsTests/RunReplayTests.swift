import Foundation
import Sim
import Testing
@testable import Lessons

/// A student's XOR program written again on plain arrays, dumping its run as CSV; `slip` changes one
/// thing from `slipStep` on, as students do.
struct StudentXOR {
    enum Slip { case none, droppedHalf, addedGradient, flippedSign }
    var slip = Slip.none
    var slipStep = 1

    func csv(steps: Int) -> String {
        let X: [[Double]] = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], y: [Double] = [0, 1, 1, 0]
        var W1: [[Double]] = [[0.1, -0.2, 0.3, 0.4], [-0.5, 0.6, -0.7, 0.8], [0.05, -0.15, 0.25, -0.35]]
        var W2: [Double] = [0.2, -0.4, 0.6, -0.8]
        func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        var lines = ["step,quantity,value"]
        func dump(_ step: Int, _ name: String, _ m: [[Double]]) {
            for (i, row) in m.enumerated() { for (j, v) in row.enumerated() { lines.append("\(step),\(name)[\(i)][\(j)],\(v)") } }
        }
        dump(0, "W1", W1); dump(0, "W2", W2.map { [$0] })
        for step in 1...steps {
            let slipping = step >= slipStep ? slip : .none
            var z1 = Array(repeating: Array(repeating: 0.0, count: 4), count: 4)
            for i in 0..<4 { for j in 0..<4 { for k in 0..<3 { z1[i][j] += X[i][k] * W1[k][j] } } }
            let h = z1.map { $0.map(sigmoid) }
            var z2 = Array(repeating: 0.0, count: 4)
            for i in 0..<4 { for j in 0..<4 { z2[i] += h[i][j] * W2[j] } }
            let yhat = z2.map(sigmoid)
            var L = 0.5 * zip(yhat, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            var delta2 = zip(yhat, y).map { ($0 - $1) * $0 * (1 - $0) }
            if slipping == .droppedHalf { L *= 2; delta2 = delta2.map { 2 * $0 } }
            if slipping == .flippedSign { delta2 = delta2.map { -$0 } }
            var dW2 = Array(repeating: 0.0, count: 4)
            for j in 0..<4 { for i in 0..<4 { dW2[j] += h[i][j] * delta2[i] } }
            var delta1 = Array(repeating: Array(repeating: 0.0, count: 4), count: 4)
            for i in 0..<4 { for j in 0..<4 { delta1[i][j] = delta2[i] * W2[j] * h[i][j] * (1 - h[i][j]) } }
            var dW1 = Array(repeating: Array(repeating: 0.0, count: 4), count: 3)
            for k in 0..<3 { for j in 0..<4 { for i in 0..<4 { dW1[k][j] += X[i][k] * delta1[i][j] } } }
            let sign: Double = slipping == .addedGradient ? 1 : -1
            W1 = W1.enumerated().map { k, row in row.enumerated().map { j, w in w + sign * dW1[k][j] } }
            W2 = W2.enumerated().map { j, w in w + sign * dW2[j] }
            dump(step, "z1", z1); dump(step, "h", h); dump(step, "z2", z2.map { [$0] }); dump(step, "yhat", yhat.map { [$0] })
            lines.append("\(step),L,\(L)")
            dump(step, "dL/dW1", dW1); dump(step, "dL/dW2", dW2.map { [$0] }); dump(step, "W1", W1); dump(step, "W2", W2.map { [$0] })
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

@Suite struct RunReplayTests {
    let checker: AssignmentChecker

    init() throws { checker = AssignmentChecker(try Assignment(contentsOfFile: assignmentPath("own-code"))) }

    func grade(_ text: String, name: String = "run.csv") throws -> AskResult {
        let result = try checker.checkRun(Array(text.utf8), name: name, student: "alice", question: "xor")
        return try #require(result.questions.first?.asks.first)
    }

    @Test func aCorrectProgramMatchesEveryStep() throws {
        let result = try grade(StudentXOR().csv(steps: 20))
        #expect(result.status == .correct && result.points == 10)
    }

    /// Dropping the ½ from step 3 on: the first departure is L at step 3 with the hint, and since each
    /// step starts from the student's own weights, steps 1–2 still count.
    @Test func droppedHalfIsFoundWhereItStarts() throws {
        let result = try grade(StudentXOR(slip: .droppedHalf, slipStep: 3).csv(steps: 20))
        #expect(result.status == .partial)
        #expect(result.message.contains("step 3, L:"))
        #expect(result.message.contains("did you drop the ½?"))
        #expect(result.message.contains("2 of 20 steps match"))
        #expect(abs(result.points - 1) < 1e-12)
    }

    @Test func otherSlipsGetTheirHints() throws {
        let added = try grade(StudentXOR(slip: .addedGradient, slipStep: 5).csv(steps: 8))
        #expect(added.message.contains("step 5, W2[") && added.message.contains("you added the gradient"))
        let flipped = try grade(StudentXOR(slip: .flippedSign, slipStep: 1).csv(steps: 4))
        #expect(flipped.message.contains("step 1, ∂L/∂W2[") && flipped.message.contains("sign is flipped"))
    }

    /// The replay judges a step from the student's own state: a run whose single slip is one wrong weight
    /// written at step 2 departs at step 2 only.
    @Test func laterStepsAreJudgedFromTheStudentsOwnState() throws {
        var lines = StudentXOR().csv(steps: 6).split(separator: "\n").map(String.init)
        let i = try #require(lines.firstIndex { $0.hasPrefix("2,W2[1][0],") })
        lines[i] = "2,W2[1][0],0.123"
        // Steps 3–6 of the file were computed from the right weights, so they depart at step 3 (z1 is fine,
        // but z2 uses W2[1][0]); what matters is that step 2 is found first and named precisely.
        let result = try grade(lines.joined(separator: "\n"))
        #expect(result.message.contains("step 2, W2[1][0]: expected"))
        #expect(result.message.contains("W2[1][0] − η·∂L/∂W2[1][0]"))
    }

    @Test func perceptronRunsReplay() throws {
        // OR from w = (0, 0, 0), α = 1: the rule worked by hand for the first four presentations.
        let right = "step,quantity,value\n0,w[0],0\n0,w[1],0\n0,w[2],0\n1,w[0],0\n1,w[1],0\n1,w[2],0\n2,w[0],1\n2,w[1],0\n2,w[2],1\n3,w[0],1\n3,w[1],0\n3,w[2],1\n4,w[0],1\n4,w[1],0\n4,w[2],1\n"
        let result = try checker.checkRun(Array(right.utf8), name: "run.csv", student: "bob", question: "perceptron")
        #expect(result.questions[0].asks[0].status == .correct)
        let wrong = right.replacingOccurrences(of: "2,w[0],1\n2,w[1],0\n2,w[2],1", with: "2,w[0],-1\n2,w[1],0\n2,w[2],-1")
        let graded = try checker.checkRun(Array(wrong.utf8), name: "run.csv", student: "bob", question: "perceptron")
        #expect(graded.questions[0].asks[0].message.contains("d − y (target minus output)"))
    }

    @Test func badRunsAreGradedZeroWithAReason() throws {
        for (text, reason) in [("step,quantity,value\n1,W1[0][0],abc\n", "run.csv:2"), ("", "no initial W1"),
                               ("0,W1[0][0],1\n0,W1[0][0],2\n", "given twice"), ("0,W1[99999][0],1\n", "not a quantity"), ("0,W1[0][0],1\n0,W1[1][1],1\n", "missing")] {
            let result = try grade(text)
            #expect(result.status == .invalid && result.points == 0 && result.message.contains(reason), "\(reason): \(result.message)")
        }
        #expect(throws: LessonError.self) { try checker.checkRun(Array("".utf8), name: "run.csv", student: "x") }
    }

    /// nnsim's own trace of the XOR lesson is a run in the trace format, and replays without a departure.
    @Test func nnsimsOwnTraceReplays() throws {
        let lesson = try LessonRun(lessonPath("xor"), overrides: ["steps=25"])
        let bytes = try lesson.result.trace.encoded()
        #expect(StudentRun.isRun(bytes, name: "trace.json"))
        let run = try StudentRun.parse(bytes, name: "trace.json")
        #expect(run.steps.count == 25 && run.steps[0].nodes["yhat"] != nil && run.steps[0].gradients["W1"] != nil)
        let result = try grade(String(decoding: bytes, as: UTF8.self), name: "trace.json")
        #expect(result.status == .correct && result.message.contains("all 20 steps"))
    }

    /// A student's Adam on f = x² + 10y², written again on plain Doubles; `uncorrectedFrom` drops the bias
    /// correction from that step on.
    static func adamRun(uncorrectedFrom: Int = .max) -> String {
        var (x, y) = (2.0, -1.0)
        var m = [0.0, 0.0], v = [0.0, 0.0]
        var lines = ["step,quantity,value", "0,x,\(x)", "0,y,\(y)"]
        for t in 1...10 {
            let g = [2 * x, 20 * y]
            for i in 0..<2 { m[i] = 0.9 * m[i] + 0.1 * g[i]; v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i] }
            let c1 = t >= uncorrectedFrom ? 1 : 1 - pow(0.9, Double(t)), c2 = t >= uncorrectedFrom ? 1 : 1 - pow(0.999, Double(t))
            x -= 0.1 * (m[0] / c1) / ((v[0] / c2).squareRoot() + 1e-8)
            y -= 0.1 * (m[1] / c1) / ((v[1] / c2).squareRoot() + 1e-8)
            for i in 0..<2 { lines += ["\(t),g[\(i)],\(g[i])", "\(t),m[\(i)],\(m[i])", "\(t),v[\(i)],\(v[i])"] }
            lines += ["\(t),x,\(x)", "\(t),y,\(y)"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func adamRunsReplayAndAMissingBiasCorrectionIsNamed() throws {
        func grade(_ text: String) throws -> AskResult {
            try #require(try checker.checkRun(Array(text.utf8), name: "adam.csv", student: "x", question: "adam").questions.first?.asks.first)
        }
        #expect(try grade(Self.adamRun()).status == .correct)
        let slip = try grade(Self.adamRun(uncorrectedFrom: 3))
        #expect(slip.message.contains("step 3, (x, y)[0]") && slip.message.contains("without bias correction"))
        // The moments are right and given, so each later step starts from the student's state: only the
        // steps whose point is uncorrected depart.
        #expect(slip.message.contains("2 of 10 steps match"))
    }
}

/// A folder of runs and answers for an assignment with several replay questions: CSV runs are graded too
/// (they were skipped silently), --question picks the replay, and the summary's columns stay aligned with a
/// run's single question (issue 15, item 4).
@Suite struct RunFolderTests {
    @Test func aFolderOfRunsIsGradedAndSummarizedInItsColumns() throws {
        let assignment = try Assignment(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("assignments/own-code.yaml").path)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-runs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try StudentXOR().csv(steps: 5).write(toFile: folder + "/bob.csv", atomically: true, encoding: .utf8)
        let checker = AssignmentChecker(assignment)
        // Without --question the run cannot be graded: it is a failure, not a silent skip.
        let unsure = try checker.checkFolder(folder)
        #expect(unsure.count == 1)
        guard case .failure(let error) = unsure[0].result else { Issue.record("graded without knowing the question"); return }
        #expect(error.message.contains("--question"))
        let results = try checker.checkFolder(folder, question: "xor").compactMap { try? $0.result.get() }
        #expect(results.count == 1 && results[0].isRun && results[0].status == "run")
        let csv = checker.summaryCSV(results).split(separator: "\n").map(String.init)
        #expect(csv[0] == "student,status,xor,perceptron,adam,total,max,copying")
        let row = csv[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(row.count == csv[0].split(separator: ",").count)
        #expect(row[0] == "bob" && row[1] == "run" && !row[2].isEmpty && row[3].isEmpty && row[4].isEmpty && row[5] == row[2])
    }
}
