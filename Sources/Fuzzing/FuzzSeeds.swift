import Foundation
import Lessons

/// The seed inputs: what the documentation shows (every fenced block of docs/*.md), the lesson scripts
/// and assignments, a trace nnsim writes, and a few small inputs per target. The mutations of both fuzzers
/// start from these, so they begin with inputs that get deep into each reader.
public enum FuzzSeeds {
    /// The seeds for `target`, read from the repository at `root`.
    public static func seeds(for target: FuzzTarget, root: String) -> [[UInt8]] {
        var seeds: [[UInt8]] = examples(for: target).map { Array($0.utf8) }
        let files = FileManager.default
        for folder in ["docs", "lessons", "assignments"] {
            let path = root + "/" + folder
            for name in ((try? files.contentsOfDirectory(atPath: path)) ?? []).sorted() {
                guard let data = files.contents(atPath: path + "/" + name) else { continue }
                if name.hasSuffix(".md") {
                    seeds += fencedBlocks(String(decoding: data, as: UTF8.self)).map { Array($0.utf8) }
                } else if name.hasSuffix(".yaml") || name.hasSuffix(".csv") || name.hasSuffix(".json") {
                    seeds.append(Array(data))
                }
            }
        }
        if target == .trace || target == .submission, let run = try? ExpressionRun(source: "L = c*(a + 2*b)", at: [("a", 3), ("b", 1), ("c", -2)]),
           let bytes = try? run.trace.encoded() {
            seeds.append(bytes)
        }
        return seeds
    }

    /// The contents of the ``` blocks of a Markdown text.
    static func fencedBlocks(_ markdown: String) -> [String] {
        var blocks: [String] = [], current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let lines = current { blocks.append(lines.joined(separator: "\n")); current = nil } else { current = [] }
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// Small inputs written for each target.
    static func examples(for target: FuzzTarget) -> [String] {
        switch target {
        case .expression:
            return ["L = c*(a + 2*b)", "d = 2*b; e = a + d\nL = c*e", "y = -x^2 + 2^-1", "L = sigmoid(a*b) + tanh(a - c)^2",
                    "h = exp(a/3) * log(b*b + 1); L = h / (1 + abs(c)) - sqrt(b*b + c*c)", "L = max(a, b) * min(b, c) + relu(a - c)",
                    "L = (a*a + 2)^(b/4) - -c^3", "y = x − 1 · 2 × 3", "L = 1.5e2 + 2E-1"]
        case .script:
            return ["kind: graph\ntitle: T\nsummary: S\nsettings:\n  expression: \"L = a*b\"\n", "kind: network\ntitle: T\nsummary: S\nsettings:\n  steps: 3\n"]
        case .csv:
            return ["x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n", "# comment\nx,d\n0,1.1\n1,2.9\n", "a,b\n1e308,-1e308\n"]
        case .trace:
            return ["{\"format\":\"nnsim-trace\",\"version\":1}", "[[[[[]]]]]", "{\"a\":1e308,\"b\":-0.0,\"c\":\"\\u00e9\"}"]
        case .submission:
            return ["student: s1\nanswers:\n  q1:\n    a: 1.5\n", "{\"student\": \"s1\", \"answers\": {\"q1\": {\"a\": 1}}}",
                    "step,quantity,value\n0,X[0][0],0.0\n0,W1[0][0],0.1\n1,L,0.52\n1,dL/dW1[0][0],0.004\n"]
        }
    }
}
