import Foundation
import Testing
@testable import Sim

/// Traces written and read back are the same trace, to the bit, and the same run writes the same bytes.
@Suite struct TraceRoundTripTests {
    /// SplitMix64 from a fixed seed: edge-case doubles and arbitrary bit patterns (subnormals, NaNs).
    struct Doubles {
        var state: UInt64
        var specials: [Double] = [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                                  Double.leastNormalMagnitude.nextDown, .greatestFiniteMagnitude,
                                  -.greatestFiniteMagnitude, .infinity, -.infinity, .nan, 0.1, 1e16, -1e-7]

        mutating func next() -> Double {
            if !specials.isEmpty { return specials.removeFirst() }
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double(bitPattern: z ^ (z >> 31))
        }

        mutating func tensor(_ shape: [Int]) throws -> Tensor {
            try Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in next() })
        }
    }

    /// A trace using every field, its numbers drawn from `Doubles`.
    static func randomTrace() throws -> Trace {
        var r = Doubles(state: 2024)
        let node = TraceNode(name: "y", kind: .operation, operation: "leaky_relu",
                             attributes: ["alpha": try r.tensor([]), "mask": try r.tensor([2, 3])],
                             inputs: ["x", "W"], value: try r.tensor([2, 3]), gradient: try r.tensor([2, 3]),
                             edges: [EdgeGradient(local: try r.tensor([2, 3]), message: try r.tensor([3])),
                                     EdgeGradient(local: nil, message: try r.tensor([2, 3]))])
        let step = TraceStep(step: 7, samples: [3, 0, 2], output: "y",
                             nodes: [TraceNode(name: "x", kind: .input, value: try r.tensor([3])),
                                     TraceNode(name: "W", kind: .parameter, value: try r.tensor([2, 3]),
                                               gradient: try r.tensor([2, 3])),
                                     TraceNode(name: "k", kind: .constant, value: try r.tensor([3, 0])),
                                     node],
                             params: ["W": try r.tensor([2, 3])], grads: ["W": try r.tensor([2, 3])],
                             optimizer: TraceOptimizerState(tensors: ["m.W": try r.tensor([2, 3])],
                                                            scalars: ["t": r.next(), "beta1^t": r.next()]))
        return Trace(source: .lesson(name: "xor", script: "lessons/xor.yaml"),
                     settings: ["seed": 42, "lr": .number(r.next()), "optimizer": "adam", "shuffle": true,
                                "momentum": .number(.nan), "epochs": .number(3), "text": "ünïcödé \"quoted\"\n tab\t"],
                     data: ["inputs": try r.tensor([40, 2]), "targets": try r.tensor([40]), "none": try r.tensor([0])],
                     detail: .every(7),
                     runs: [TraceRun(name: "main", settings: ["rate": .number(r.next())], initial: ["W": try r.tensor([2, 3])],
                                     steps: [step, TraceStep(step: 8, nodes: []), TraceStep(step: 9, loss: r.next(), nodes: nil, params: ["W": try r.tensor([2, 3])])],
                                     summary: ["final_loss": .number(.infinity), "steps": 2, "converged": false]),
                            TraceRun(name: "second", initial: ["θ": try r.tensor([2])])],
                     summary: ["best": "main"])
    }

    /// Every Double in the trace, in a fixed order.
    static func doubles(_ t: Trace) -> [Double] {
        func all(_ named: NamedTensors) -> [Double] { named.values.flatMap(\.scalars) }
        func plain(_ named: NamedValues<TraceValue>) -> [Double] {
            named.values.compactMap { if case .number(let x) = $0 { x } else { nil } }
        }
        var out = plain(t.settings) + all(t.data ?? [:])
        for run in t.runs {
            out += plain(run.settings) + all(run.initial)
            for step in run.steps {
            out += step.loss.map { [$0] } ?? []
            for node in step.nodes ?? [] {
                out += all(node.attributes) + node.value.scalars + (node.gradient?.scalars ?? [])
                for edge in node.edges ?? [] { out += (edge.local?.scalars ?? []) + edge.message.scalars }
            }
            out += all(step.params) + all(step.grads)
            out += all(step.optimizer?.tensors ?? [:]) + (step.optimizer?.scalars.values ?? [])
            }
            out += plain(run.summary)
        }
        return out + plain(t.summary)
    }

    @Test func randomDoublesRoundTripBitForBit() throws {
        let trace = try Self.randomTrace()
        let bytes = try trace.encoded()
        let back = try Trace(bytes: bytes)
        let (written, read) = (Self.doubles(trace), Self.doubles(back))
        #expect(written.count == read.count)
        #expect(written.count > 100)
        #expect(written.contains { $0.isNaN } && written.contains { $0 == 0 && $0.sign == .minus })
        for (x, y) in zip(written, read) {
            if x.isNaN { #expect(y.isNaN) } else { #expect(x.bitPattern == y.bitPattern, "\(x) read back as \(y)") }
        }
        // Everything else as well: the same bytes again, and (NaN aside) the same value.
        #expect(try back.encoded() == bytes)
        let steps = try #require(back.runs.first?.steps)
        #expect(back.source == trace.source && steps.map(\.samples) == trace.runs[0].steps.map(\.samples))
        #expect(steps.first?.nodes?.map(\.name) == ["x", "W", "k", "y"])
        #expect(steps.first?.nodes?[2].value.shape == [3, 0])
        #expect(steps.first?.nodes?[3].edges?.map { $0.local == nil } == [false, true])
        // A step without detail has no nodes and no grads; one with an empty graph has an empty list.
        #expect(steps.map { $0.nodes?.count } == [4, 0, nil])
        #expect(back.detail == .every(7) && back.runs.map(\.name) == ["main", "second"])
        #expect(back.settings.names == trace.settings.names)
        #expect(back.settings["seed"] == .integer(42) && back.settings["epochs"] == .number(3))
    }

    /// A trace recorded from a real graph (a matmul layer) reads back equal in every field.
    @Test func recordedGraphRoundTrips() throws {
        let g = Graph()
        let W = try g.parameter("W", try Tensor(rows: [[0.5, -1.25], [2, 0.1]]))
        let x = try g.input("x", Tensor(vector: [1, -3]))
        let y = W.matmul(x).tanh
        let loss = try g.apply(MatMul(), [y, y], name: "loss")
        let grads = try g.backward(from: loss)
        let run = TraceRun(name: "main", initial: ["W": W.value],
                           steps: [TraceStep(step: 1, graph: g, gradients: grads, samples: [0],
                                             params: ["W": W.value], grads: ["W": try #require(grads[W.id])])],
                           summary: ["loss": .number(try #require(loss.value.scalar))])
        let trace = Trace(source: .graph(name: "loss", expression: "loss = tanh(W·x)·tanh(W·x)"), settings: ["seed": 1], runs: [run])
        let back = try Trace(bytes: try trace.encoded())
        #expect(back == trace)
        let node = try #require(back.runs.first?.steps.first?.nodes?.first { $0.operation == "matmul" })
        #expect(node.edges?.allSatisfy { $0.local == nil } == true)
    }

    /// The same trace written twice to files gives identical bytes, leaves no temporary files behind,
    /// and reads back from the file.
    @Test func filesAreByteIdenticalAndAtomic() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-trace-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("one.json").path
        let second = folder.appendingPathComponent("two.json").path
        try Self.randomTrace().write(toFile: first)
        try Self.randomTrace().write(toFile: second)
        try Self.randomTrace().write(toFile: second)   // over an existing file
        let a = try Data(contentsOf: URL(fileURLWithPath: first))
        let b = try Data(contentsOf: URL(fileURLWithPath: second))
        #expect(a == b)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["one.json", "two.json"])
        #expect(try Trace.read(fromFile: first).encoded() == Array(a))
    }

    /// Writing refuses what could not read back the same.
    @Test func unwritableTracesAreRefused() throws {
        var trace = Trace(source: .graph(name: "L", expression: "L = a"), runs: [TraceRun(name: "main", initial: ["w": Tensor(1), "w": Tensor(2)])])
        #expect(throws: TraceError.invalid(path: "runs[0].initial", reason: "the name \"w\" is used twice")) {
            try trace.encoded()
        }
        trace.runs[0].initial = ["m": try Tensor(shape: [0, 2], scalars: [])]
        #expect(throws: TraceError.invalid(path: "runs[0].initial.m", reason: "a matrix with no rows and 2 columns cannot be written")) {
            try trace.encoded()
        }
        trace.runs[0].initial = [:]
        trace.runs.append(TraceRun(name: "main"))
        #expect(throws: TraceError.invalid(path: "runs[1].name", reason: "the name \"main\" is used twice")) {
            try trace.encoded()
        }
        trace.runs = [TraceRun(name: "rate 0.1")]
        #expect(throws: TraceError.invalid(path: "runs[0].name", reason: "\"rate 0.1\" is not a plain name (printable ASCII, no spaces)")) {
            try trace.encoded()
        }
        trace.runs = [TraceRun(name: "main", steps: [TraceStep(step: 1, output: "L", nodes: nil)])]
        #expect(throws: TraceError.invalid(path: "runs[0].steps[0].output", reason: "a step without nodes has no output node")) {
            try trace.encoded()
        }
        trace.runs = []
        trace.settings = ["activation": "nan"]
        #expect(throws: TraceError.invalid(path: "settings.activation", reason: "the text \"nan\" is reserved for numbers")) {
            try trace.encoded()
        }
    }
}
