import Foundation
import Synchronization
import Testing
@testable import Lessons
@testable import Sim

/// Every lesson's trace (version 2): written and read back, valid against docs/trace-schema.json, every
/// node one the engine computed, each of a lesson's runs named with its own start, the chosen iterations
/// in full detail, and the recorded numbers those of the lesson's own computations.
@Suite struct LessonTraceTests {
    static let lessons = ["perceptron", "adaline", "xor", "backprop", "backprop-cs231n", "saturation", "symmetry", "exploding", "optimizers",
                          "newton", "mlp", "batchnorm", "logistic", "softmax", "minibatch", "schedules", "regularization"]
    /// Short runs, so that every lesson's trace is checked within a second or so.
    static let shorter = ["adaline": "steps=40", "xor": "steps=40", "symmetry": "steps=40", "saturation": "init-steps=40",
                          "exploding": "count=20,overflow-limit=50", "optimizers": "ravine-steps=40,rosenbrock-steps=40",
                          "newton": "ravine-steps=40,rosenbrock-steps=40", "batchnorm": "steps=40",
                          "logistic": "iterations=40", "softmax": "iterations=40", "minibatch": "epochs=2,noise-draws=10", "schedules": "epochs=2", "regularization": "steps=20"]

    static func run(_ lesson: String, detail: TraceDetail = .chosen, _ more: [String] = []) throws -> LessonRun {
        try LessonRun(lesson, overrides: (shorter[lesson].map { [$0] } ?? []) + more, traceDetail: detail)
    }

    /// Three iterations and the smallest data: every kind of node, step and run a lesson records, for the
    /// checks that every trace has (reading back, the schema), whose cost grows with the trace. Python's
    /// jsonschema took 34 s of CPU over the 40-iteration traces (logistic's 3.6 MB at full detail alone
    /// 9 s), 2.8 s over these.
    static let tiny = ["adaline": "steps=3", "xor": "steps=3", "symmetry": "steps=3", "saturation": "init-steps=3",
                       "exploding": "count=3,overflow-limit=50,seeds=2", "optimizers": "ravine-steps=3,rosenbrock-steps=3",
                       "newton": "ravine-steps=3,rosenbrock-steps=3", "batchnorm": "steps=3", "logistic": "iterations=3,data=xor",
                       "softmax": "iterations=3", "minibatch": "epochs=1,noise-draws=10,data=xor,batch-size=2",
                       "schedules": "epochs=1", "regularization": "steps=3"]

    /// Each lesson's tiny trace at a detail, made once for the tests that read it.
    static func tinyTrace(_ lesson: String, detail: TraceDetail) throws -> Trace {
        let key = "\(lesson) \(detail)"
        if let trace = tinyTraces.withLock({ $0[key] }) { return trace }
        let trace = try LessonRun(lesson, overrides: tiny[lesson].map { [$0] } ?? [], traceDetail: detail).result.trace
        tinyTraces.withLock { $0[key] = trace }
        return trace
    }
    static let tinyTraces = Mutex<[String: Trace]>([:])

    /// The engine's operations, by the names traces use: no lesson writes a node the engine does not compute.
    static let engineOperations = Set(Operations.all.keys)

    @Test(arguments: lessons, [TraceDetail.chosen, .all])
    func everyLessonsTraceReadsBack(lesson: String, detail: TraceDetail) throws {
        let trace = try Self.tinyTrace(lesson, detail: detail)
        let bytes = try trace.encoded()
        let read = try Trace(bytes: bytes)
        #expect(read == trace)
        #expect(try read.encoded() == bytes)
        #expect(trace.detail == (lesson.hasPrefix("backprop") ? .all : detail))
        #expect(!trace.runs.isEmpty)
        for run in trace.runs {
            for step in run.steps {
                for node in step.nodes ?? [] {
                    if let op = node.operation { #expect(Self.engineOperations.contains(op), "\(lesson) \(run.name) step \(step.step): \(op)") }
                }
                if detail == .all { #expect(step.isDetailed, "\(lesson) \(run.name) step \(step.step) is not in full detail") }
            }
        }
    }

    /// Every lesson's trace (the tiny runs), at the chosen iterations and at full detail, against the JSON Schema in docs/, by an
    /// independent validator (Python's jsonschema, from Debian). In two halves of the lessons, each its own validator, so that
    /// the 11 s the validation takes run on both cores beside the other tests rather than last, on one.
    @Test(arguments: [0, 1]) func everyLessonsTraceMatchesTheSchema(half: Int) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-schema-\(getpid())-\(half)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for lesson in Self.lessons.enumerated().filter({ $0.offset % 2 == half }).map(\.element) {
            for detail in [TraceDetail.chosen, .all] {
                let path = folder.appendingPathComponent("\(lesson)-\(detail == .all ? "all" : "chosen").json").path
                try Data(try Self.tinyTrace(lesson, detail: detail).encoded()).write(to: URL(fileURLWithPath: path))
                paths.append(path)
            }
        }
        guard half == 0 else {
            let (status, output) = try Self.python(Self.schemaCheck, [Self.docs("trace-schema.json")] + paths)
            #expect(status == 0, "\(output)")
            return
        }
        let graph = try ExpressionRun(source: "L = c*(a + 2*b)", at: [(name: "a", value: 3), (name: "b", value: 1), (name: "c", value: -2)]).trace
        let graphPath = folder.appendingPathComponent("graph.json").path
        try Data(try graph.encoded()).write(to: URL(fileURLWithPath: graphPath))
        paths.append(graphPath)
        // And a program of vectors and matrices (issue 16): tensors as leaves, nodes and string settings.
        let tensors = try ExpressionRun(source: GraphTensorTests.issueProgram, at: try ExpressionRun.values(of: [GraphTensorTests.issueValues])).trace
        let tensorsPath = folder.appendingPathComponent("graph-tensors.json").path
        try Data(try tensors.encoded()).write(to: URL(fileURLWithPath: tensorsPath))
        paths.append(tensorsPath)
        let script = Self.schemaCheck
        let (status, output) = try Self.python(script, [Self.docs("trace-schema.json")] + paths)
        #expect(status == 0, "\(output)")
        // And the schema refuses what is wrong: a node with an op that is not an operation, a run without a name.
        let broken = String(decoding: try graph.encoded(), as: UTF8.self)
            .replacingOccurrences(of: "\"name\": \"main\",", with: "")
        let brokenPath = folder.appendingPathComponent("broken.json").path
        try Data(broken.utf8).write(to: URL(fileURLWithPath: brokenPath))
        let refused = try Self.python(script, [Self.docs("trace-schema.json"), brokenPath])
        #expect(refused.status == 1 && refused.output.contains("'name' is a required property"))
    }

    /// Validates the files named after the schema: exits 1 after printing each error.
    static let schemaCheck = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        bad = 0
        for path in sys.argv[2:]:
            for error in validator.iter_errors(json.load(open(path))):
                bad += 1
                print(path, "/".join(map(str, error.absolute_path)), error.message[:200])
        sys.exit(1 if bad else 0)
        """

    /// docs/trace-format.md's Python example reads a fresh XOR trace and checks its numbers with numpy.
    @Test func pythonReadingExampleRuns() throws {
        let text = try String(contentsOfFile: Self.docs("trace-format.md"), encoding: .utf8)
        let marker = "<!-- python: reading a trace -->\n```python\n"
        let start = try #require(text.range(of: marker))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-python-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(try Self.run("xor").result.trace.encoded()).write(to: URL(fileURLWithPath: path))
        let (status, output) = try Self.python(String(text[start.upperBound..<end.lowerBound]), [path])
        #expect(status == 0, "\(output)")
        #expect(output.hasPrefix("40 iterations, loss "), "\(output)")
        #expect(output.contains("; 5 in full detail"), "\(output)")   // 1, 2, 10, 20 (the middle) and 40
    }

    /// Lessons of several runs record each as its own named run with its own settings and start.
    @Test func severalRunsAreNamedRuns() throws {
        let symmetry = try Self.run("symmetry").result.trace
        #expect(symmetry.runs.map(\.name) == ["constant", "zero", "random", "dropout"])
        #expect(symmetry.runs.allSatisfy { $0.steps.count == 40 && $0.steps.map(\.step) == Array(1...40) })
        #expect(symmetry.runs[1].initial["W1"]?.scalars.allSatisfy { $0 == 0 } == true)
        #expect(symmetry.runs[2].initial["W1"] != symmetry.runs[0].initial["W1"])
        let adaline = try Self.run("adaline").result.trace
        #expect(adaline.runs.map(\.name) == ["rate-small", "rate-good", "rate-large"])
        let rates = adaline.runs.compactMap { run -> Double? in if case .number(let x)? = run.settings["learning-rate"] { x } else { nil } }
        #expect(rates.count == 3 && rates[0] < rates[1] && rates[1] < rates[2])
        let optimizers = try Self.run("optimizers").result.trace
        #expect(optimizers.runs.count == 14 && optimizers.runs.first?.name == "ravine-gd" && optimizers.runs.last?.name == "rosenbrock-rprop")
        // The optimizers' start is in `initial`, as every other run's.
        #expect(optimizers.runs.allSatisfy { $0.initial.names == ["x", "y"] })
        let saturation = try Self.run("saturation").result.trace
        #expect(saturation.runs.map(\.name) == ["chain", "init-small", "init-xavier", "init-large"])
        let exploding = try Self.run("exploding").result.trace
        #expect(exploding.runs.count == 30 && exploding.runs.allSatisfy { $0.steps.count == 20 && $0.initial.names == ["G0"] })
        // Summary keys are plain ASCII; values say what the keys do not.
        for trace in [symmetry, adaline, optimizers, saturation, exploding] {
            let keys = trace.summary.names + trace.runs.flatMap { $0.summary.names + $0.settings.names + [$0.name] }
            #expect(keys.allSatisfy { $0.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F } })
        }
    }

    /// The default records 1, 2, 10, 100, 1000, the middle and the last iteration in full; every
    /// iteration keeps its loss and parameters; `every:N` and a list choose others.
    @Test func detailChoosesTheIterations() throws {
        let chosen = try Self.run("xor", ["steps=300"]).result.trace.runs[0]
        #expect(chosen.steps.filter(\.isDetailed).map(\.step) == [1, 2, 10, 100, 150, 300])
        #expect(chosen.steps.allSatisfy { $0.loss != nil && $0.params.names == ["W1", "W2"] })
        #expect(chosen.steps.filter { !$0.isDetailed }.allSatisfy { $0.grads.isEmpty && $0.optimizer == nil && $0.output == nil })
        let every = try Self.run("xor", detail: .every(100), ["steps=300"]).result.trace.runs[0]
        #expect(every.steps.filter(\.isDetailed).map(\.step) == [1, 100, 200, 300])
        let list = try Self.run("xor", detail: TraceDetail("7,3") ?? .all, ["steps=300"]).result.trace.runs[0]
        #expect(list.steps.filter(\.isDetailed).map(\.step) == [1, 3, 7, 300])
        // The parameters and losses do not depend on the detail.
        let all = try Self.run("xor", detail: .all, ["steps=300"]).result.trace.runs[0]
        #expect(all.steps.map(\.params) == chosen.steps.map(\.params) && all.steps.map(\.loss) == chosen.steps.map(\.loss))
        // A detailed step's loss is its graph's L, and its params the update of its grads.
        for step in chosen.steps where step.isDetailed {
            #expect(step.nodes?.first { $0.name == "L" }?.value.scalar == step.loss)
        }
        #expect(TraceDetail("every:0") == nil && TraceDetail("0") == nil && TraceDetail("1,,2") == nil && TraceDetail("") == nil)
        #expect(TraceDetail("every:5")?.description == "every:5" && TraceDetail("20,5")?.description == "5,20")
    }

    @Test func adalineStepsAreTheEnginesAndAgreeWithLMS() throws {
        let trace = try Self.run("adaline", detail: .all, ["steps=5"]).result.trace
        let steps = try #require(trace.run(named: "rate-good")?.steps)
        #expect(steps.count == 5)
        let data = try DataSet.named("line")
        let rate = try #require(steps[0].optimizer?.scalars["rate"])
        let lms = LMSRule(rate: rate).train(inputs: data.inputs, targets: data.targets, initial: [0, 0], steps: 5)
        for (step, expected) in zip(steps, lms) {
            let nodes = try #require(step.nodes)
            let E = try #require(nodes.first { $0.name == "E" })
            #expect(abs((E.value.scalar ?? .nan) - expected.loss) <= 1e-12 * max(1, expected.loss))
            #expect(step.loss == expected.loss)
            // ∂E/∂w = Xᵀ(y − d), independently: −Σ (d − y)·(1, x).
            let residual = zip(data.targets, expected.outputs).map { $0 - $1 }
            let gradient = [-residual.reduce(0, +), -zip(residual, data.inputs).reduce(0) { $0 + $1.0 * $1.1[0] }]
            let recorded = try #require(step.grads["w"]).scalars
            for (a, b) in zip(recorded, gradient) { #expect(abs(a - b) <= 1e-9 * max(1, abs(b))) }
            #expect(step.params["w"]?.scalars == expected.weightsAfter)
            #expect(nodes.map(\.name) == ["X", "w", "y", "d", "E"])
        }
    }

    /// The perceptron's recorded graph computes the rule's own net input and output, sample by sample.
    @Test func perceptronStepsAreTheEngines() throws {
        let result = try Self.run("perceptron", detail: .all).result
        let data = try DataSet.named("and")
        let rule = PerceptronRule(learningRate: 1).train(inputs: data.inputs, targets: data.targets, initial: [0, 0, 0], maxEpochs: 100)
        let steps = result.trace.runs[0].steps
        #expect(steps.count == rule.presentations.count)
        for (step, p) in zip(steps, rule.presentations) {
            let nodes = try #require(step.nodes)
            #expect(nodes.map(\.name) == ["x", "w", "s", "y"] && nodes.map(\.operation) == [nil, nil, "matmul", "step"])
            #expect(nodes[2].value.scalar == p.netInput && nodes[3].value.scalar == p.output)
            #expect(step.params["w"]?.scalars == p.weightsAfter && step.samples == [p.sample])
        }
    }

    /// Exploding's recorded graphs compute RandomMatrixProduct's norms bit for bit, in both ways.
    @Test func explodingStepsAreTheEngines() throws {
        let trace = try Self.run("exploding", detail: .all).result.trace
        var generator = SeededGenerator(seed: 1)
        let product = RandomMatrixProduct(n: 4, count: 20, entries: .gaussian(sigma: 1), using: &generator)
        let run = try #require(trace.run(named: "sigma-seed-1"))
        #expect(run.initial["G0"] == product.matrices[0])
        for step in run.steps {
            let nodes = try #require(step.nodes)
            let value = { (name: String) in nodes.first { $0.name == name }?.value.scalar }
            #expect(value("norm")?.bitPattern == product.rawNorms[step.step].bitPattern)
            #expect(value("log_norm")?.bitPattern == product.logNorms[step.step].bitPattern)
            #expect(step.params["log_norm"]?.scalar == product.logNorms[step.step])
        }
        // Without detail the norms are the same.
        let chosen = try #require(try Self.run("exploding").result.trace.run(named: "sigma-seed-1"))
        #expect(chosen.steps.map(\.params) == run.steps.map(\.params))
    }

    /// The optimizers' detailed steps are the engine's graph of f, whose gradient is the one the update
    /// used (the lesson refuses to record otherwise), at the optimizer's evaluation point.
    @Test func optimizerStepsAreTheEngines() throws {
        let trace = try Self.run("optimizers", detail: .all).result.trace
        let gd = try #require(trace.run(named: "ravine-gd"))
        let first = try #require(gd.steps.first)
        let nodes = try #require(first.nodes)
        #expect(nodes.first?.name == "x" && nodes.last.map { first.output == $0.name } == true)
        // f at the start, and gradient descent's update from it: (x, y) − η∇f.
        let x0 = try #require(gd.initial["x"]?.scalar), y0 = try #require(gd.initial["y"]?.scalar)
        guard case .number(let eta)? = gd.settings["learning-rate"] else { Issue.record("no rate"); return }
        #expect(first.loss == nodes.last?.value.scalar)
        #expect(first.params["x"]?.scalar == x0 - eta * (first.grads["x"]?.scalar ?? .nan))
        #expect(first.params["y"]?.scalar == y0 - eta * (first.grads["y"]?.scalar ?? .nan))
    }

    static func docs(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/\(name)").standardized.path
    }

    /// Runs `script` with python3 and `arguments`; its exit status and output (standard output and error).
    static func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
