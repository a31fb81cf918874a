import Foundation
import Testing
@testable import Sim

/// The trace of note 000's graph L = c(a + 2b) at a = 3, b = 1, c = −2: every recorded field checked
/// against the hand-worked numbers of the note.
@Suite struct TraceExampleTests {
    /// The trace the format reference shows.
    static func lectureTrace() throws -> Trace {
        let g = Graph()
        let a = try g.input("a", Tensor(3)), b = try g.input("b", Tensor(1)), c = try g.input("c", Tensor(-2))
        let d = try g.apply(Scale(2), [b], name: "d")
        let e = try g.apply(Add(), [a, d], name: "e")
        let L = try g.apply(Multiply(), [c, e], name: "L")
        let grads = try g.backward(from: L)
        let run = TraceRun(name: "main", initial: ["a": Tensor(3), "b": Tensor(1), "c": Tensor(-2)],
                           steps: [TraceStep(step: 0, graph: g, gradients: grads,
                                             params: ["a": Tensor(3), "b": Tensor(1), "c": Tensor(-2)],
                                             grads: ["a": try #require(grads[a.id]), "b": try #require(grads[b.id]),
                                                     "c": try #require(grads[c.id])])],
                           summary: ["output": "L", "value": .number(-10)])
        return Trace(source: .graph(name: "L", expression: "L = c*(a + 2*b)"),
                     settings: ["at": "a=3,b=1,c=-2", "seed": 0], detail: .all, runs: [run])
    }

    @Test func nodesValuesAndGradients() throws {
        let first = try #require(try Self.lectureTrace().runs.first?.steps.first)
        #expect(first.output == "L")
        let step = (nodes: try #require(first.nodes), 0)
        #expect(step.nodes.map(\.name) == ["a", "b", "c", "d", "e", "L"])
        #expect(step.nodes.map(\.kind) == [.input, .input, .input, .operation, .operation, .operation])
        #expect(step.nodes.map(\.operation) == [nil, nil, nil, "scale", "add", "mul"])
        #expect(step.nodes.map(\.inputs) == [[], [], [], ["b"], ["a", "d"], ["c", "e"]])
        // Forward: d = 2b = 2, e = a + d = 5, L = c·e = −10.
        #expect(step.nodes.map(\.value) == [3, 1, -2, 2, 5, -10].map { Tensor($0) })
        // Backward: ∂L/∂a = −2, ∂L/∂b = −4, ∂L/∂c = e = 5, ∂L/∂d = ∂L/∂e = c = −2, ∂L/∂L = 1.
        #expect(step.nodes.map(\.gradient) == [-2, -4, 5, -2, -2, 1].map { Tensor($0) })
        // The scale node carries its factor.
        #expect(step.nodes[3].attributes["factor"] == Tensor(2))
    }

    /// Local derivatives and messages, edge by edge: ∂d/∂b = 2; ∂e/∂a = ∂e/∂d = 1; ∂L/∂c = e = 5, ∂L/∂e = c = −2.
    @Test func edges() throws {
        let nodes = try #require(try Self.lectureTrace().runs.first?.steps.first?.nodes)
        #expect(nodes[0].edges == nil)
        #expect(nodes[3].edges == [EdgeGradient(local: Tensor(2), message: Tensor(-4))])
        #expect(nodes[4].edges == [EdgeGradient(local: Tensor(1), message: Tensor(-2)),
                                   EdgeGradient(local: Tensor(1), message: Tensor(-2))])
        #expect(nodes[5].edges == [EdgeGradient(local: Tensor(5), message: Tensor(5)),
                                   EdgeGradient(local: Tensor(-2), message: Tensor(-2))])
    }

    /// The JSON of node d, as the reference documents it.
    @Test func nodeJSON() throws {
        let json = try JSONParser.parse(try Self.lectureTrace().encoded())
        guard case .array(let runs)? = json["runs"], case .array(let steps)? = runs.first?["steps"],
              case .array(let nodes)? = steps.first?["nodes"] else {
            Issue.record("no nodes")
            return
        }
        let expected = """
        {
          "name": "d",
          "kind": "operation",
          "op": "scale",
          "attributes": {
            "factor": 2.0
          },
          "inputs": ["b"],
          "value": 2.0,
          "grad": -2.0,
          "locals": [2.0],
          "messages": [-4.0]
        }

        """
        #expect(JSONWriter.text(nodes[3]) == expected)
        #expect(json["format"] == .string("nnsim-trace"))
        #expect(json["version"] == .integer(2))
    }

    /// The example in docs/trace-format.md is exactly what this trace writes, and reads back.
    @Test func documentedExampleMatches() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/trace-format.md").standardized
        let text = try String(contentsOf: docs, encoding: .utf8)
        let marker = "<!-- example: L = c(a + 2b) -->\n```json\n"
        let start = try #require(text.range(of: marker))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let example = String(text[start.upperBound..<end.lowerBound])
        let written = String(decoding: try Self.lectureTrace().encoded(), as: UTF8.self)
        #expect(example == written)
        #expect(try Trace(bytes: Array(example.utf8)) == Self.lectureTrace())
    }
}
