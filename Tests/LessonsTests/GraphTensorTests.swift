import Foundation
import Render
import Testing
@testable import Lessons
@testable import Sim

/// Vectors and matrices in `nnsim graph` (issue 16): every gradient entry against central differences,
/// forward values and gradients against the formulas worked here with plain arrays (numpy-style, not the
/// engine), shape errors, the `--at` grammar, and the trace.
@Suite struct GraphTensorTests {
    static let issueProgram = "z = W@x + b; y = sigmoid(z); L = sum((y - t)^2)"
    static let issueValues = "W=[[1,2],[3,4]],x=[1,-1],b=[0,1],t=[0,1]"

    static func run(_ source: String, _ values: String) throws -> ExpressionRun {
        try ExpressionRun(source: source, at: try ExpressionRun.values(of: [values]))
    }

    /// Programs covering @, ^T and transpose(), broadcasting (a bias over rows, a scalar over a matrix),
    /// sum, mean, softmax, logsumexp and cross-entropy, on vectors and on batches (matrices). Values keep
    /// away from kinks (relu at 0), where central differences average the two one-sided slopes.
    static let programs: [(String, String)] = [
        (issueProgram, issueValues),
        ("p = softmax(s); L = cross_entropy(s, y) + sum(p*p)", "s=[0.5,-1,2],y=[0,1,0]"),
        ("L = cross_entropy(S, Y)", "S=[[0.2,-1,3],[1,1.5,-0.5]],Y=[[0,0,1],[1,0,0]]"),
        ("L = logsumexp(W@x) + sum(logsumexp(W))", "W=[[1,-2,0.5],[0.3,2,-1]],x=[0.2,-0.7,1.1]"),
        ("z = W^T@x; L = sum(z*z) + mean(transpose(W)@x)", "W=[[1,2],[3,-4],[0.5,6]],x=[1,-0.5,2]"),
        ("Z = X@W + b; L = mean(sigmoid(Z))", "X=[[1,2],[3,-4],[0.5,1]],W=[[0.1,-0.2],[0.3,0.4]],b=[0.5,-1]"),
        ("L = sum(c*A - A/c + (A - B)^2 / 2) + sum(tanh(A@B^T))", "c=1.5,A=[[1,2],[3,4]],B=[[0.5,-1],[2,0.25]]"),
        ("h = relu(W1@x + b1); s = W2@h + b2; L = cross_entropy(s, y)",
         "W1=[[0.5,-0.3],[0.8,0.2],[-0.6,0.9]],x=[1,2],b1=[0.15,0,-0.1],W2=[[0.2,-0.5,0.7],[-0.4,0.3,0.1]],b2=[0,0.2],y=[0,1]"),
    ]

    /// Central differences (GradientCheck) on every entry of every input, for each program.
    @Test(arguments: programs.indices)
    func everyGradientEntryMatchesCentralDifferences(index: Int) throws {
        let (source, values) = Self.programs[index]
        let run = try Self.run(source, values)
        var inputs = NamedTensors()
        for (name, value) in run.values { inputs.append(name, value) }
        let report = try GradientCheck.run(at: inputs) { graph, nodes in try run.program.build(on: graph, inputs: nodes) }
        #expect(report.entries.count == run.values.reduce(0) { $0 + $1.value.count })
        #expect(report.passed, "\(source): largest relative error \(report.maxRelativeError)")
        // The walkthrough lists the same gradients the engine computed.
        for (name, gradient) in run.walkthrough.gradients {
            let entries = report.entries.filter { $0.name == name }.sorted { $0.index < $1.index }
            #expect(entries.map(\.analytic) == gradient.scalars, "\(name)")
        }
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// The issue's example, worked with plain arrays: forward values and every gradient in closed form.
    @Test func issueExampleMatchesAnIndependentComputation() throws {
        let run = try Self.run(Self.issueProgram, Self.issueValues)
        let W = [[1.0, 2], [3, 4]], x = [1.0, -1], b = [0.0, 1], t = [0.0, 1]
        let z = (0..<2).map { i in W[i][0] * x[0] + W[i][1] * x[1] + b[i] }
        let y = z.map(Self.sigmoid)
        let L = zip(y, t).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let dy = zip(y, t).map { 2 * ($0 - $1) }
        let dz = zip(dy, y).map { $0 * $1 * (1 - $1) }
        let dW = (0..<2).flatMap { i in (0..<2).map { j in dz[i] * x[j] } }
        let dx = (0..<2).map { j in W[0][j] * dz[0] + W[1][j] * dz[1] }
        func close(_ a: [Double], _ b: [Double]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) } }
        let graph = run.graph
        #expect(close(try #require(graph.node(named: "z")).value.scalars, z))
        #expect(close(try #require(graph.node(named: "y")).value.scalars, y))
        #expect(close(graph[run.gradients.output].value.scalars, [L]))
        let gradients = Dictionary(uniqueKeysWithValues: run.walkthrough.gradients.map { ($0.name, $0.value) })
        #expect(gradients["W"]?.shape == [2, 2])
        #expect(close(try #require(gradients["W"]).scalars, dW))
        #expect(close(try #require(gradients["x"]).scalars, dx))
        #expect(close(try #require(gradients["b"]).scalars, dz))
        #expect(close(try #require(gradients["t"]).scalars, dy.map { -$0 }))
        // L = σ(−1)² + (0.5 − 1)² = 0.07233 + 0.25.
        #expect(abs(L - (Self.sigmoid(-1) * Self.sigmoid(-1) + 0.25)) < 1e-15)
    }

    /// Softmax and cross-entropy of a batch, worked with plain arrays: −mean over rows of Σ y log softmax(s),
    /// and its gradient (softmax(s) − y)/rows for one-hot rows.
    @Test func crossEntropyMatchesAnIndependentComputation() throws {
        let S: [[Double]] = [[0.2, -1, 3], [1, 1.5, -0.5]], Y: [[Double]] = [[0, 0, 1], [1, 0, 0]]
        let run = try Self.run("P = softmax(S); L = cross_entropy(S, Y)", "S=[[0.2,-1,3],[1,1.5,-0.5]],Y=[[0,0,1],[1,0,0]]")
        let P = S.map { row -> [Double] in let e = row.map(exp); let total = e.reduce(0, +); return e.map { $0 / total } }
        let L: Double = -zip(P, Y).reduce(0.0) { (sum: Double, pair: ([Double], [Double])) -> Double in
            sum + zip(pair.0, pair.1).reduce(0.0) { (s: Double, py: (Double, Double)) -> Double in s + py.1 * log(py.0) }
        } / 2
        let dS = zip(P, Y).flatMap { p, y in zip(p, y).map { ($0 - $1) / 2 } }
        let graph = run.graph
        let computedP = try #require(graph.node(named: "P")).value
        #expect(computedP.shape == [2, 3])
        #expect(zip(computedP.scalars, P.flatMap { $0 }).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(abs((graph[run.gradients.output].value.scalar ?? .nan) - L) < 1e-12)
        let dSComputed = try #require(run.walkthrough.gradients.first { $0.name == "S" }).value
        #expect(zip(dSComputed.scalars, dS).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func derivationShowsShapesValuesAndMatrixRules() throws {
        let text = try Self.run(Self.issueProgram, Self.issueValues).walkthrough.text
        #expect(text.contains("  W = [1, 2; 3, 4]   (shape 2×2)\n"))
        #expect(text.contains("  t1 = W·x = [1, 2; 3, 4]·[1, −1] = [−1, −1]   (shapes 2×2, 2 → 2)\n"))
        #expect(text.contains("  L = Σt3 = Σ[0.07233, 0.25] = 0.3223   (shape 2 → scalar)\n"))
        #expect(text.contains("  ∂L/∂W = ∂L/∂t1 · ∂t1/∂W = ∂L/∂t1·xᵀ = [0.1058, −0.25]·[1, −1]ᵀ = [0.1058, −0.1058; −0.25, 0.25]   (shape 2×2)\n"))
        #expect(text.contains("  ∂L/∂z = ∂L/∂y · ∂y/∂z = ∂L/∂y ⊙ σ′(z) = [0.5379, −1] ⊙ [0.1966, 0.25] = [0.1058, −0.25]   (shape 2)\n"))
        #expect(text.hasSuffix("  ∂L/∂t = [−0.5379, 1]   (shape 2)\n"))
        // A broadcast bias: the message is summed back over the rows.
        let bias = try Self.run("Z = X@W + b; L = sum(Z)", "X=[[1,2],[3,4],[5,6]],W=[[1],[2]],b=[0.5]").walkthrough.text
        #expect(bias.contains("∂L/∂b = ∂L/∂Z · ∂Z/∂b = ∂L/∂Z ⊙ 1 = [1; 1; 1] ⊙ [1; 1; 1], summed to shape 1 (b was broadcast) = [3]   (shape 1)"))
        // Larger tensors by their shape.
        let big = try Self.run("L = sum(W)", "W=[[1,2,3,4],[5,6,7,8],[9,10,11,12],[13,14,15,16]]").walkthrough.text
        #expect(big.contains("  W = (4×4 matrix)   (every entry in --trace)\n"))
        #expect(big.contains("  L = ΣW = Σ(4×4 matrix) = 136   (shape 4×4 → scalar)\n"))
    }

    /// The figure draws tensor inputs as the XOR network's parameters: shape, values and gradient as
    /// tables, the edge naming the gradient; it is fit for a slide and the report page (FigureCheck). In a
    /// backward frame, an input's gradient table appears only once its message has been sent.
    @Test func figureDrawsTensorsAndIsFit() throws {
        let run = try Self.run(Self.issueProgram, Self.issueValues)
        let figure = GraphFigureBuilder.figure(of: run.graph, gradients: run.gradients, output: run.gradients.output, title: run.program.source)
        let W = try #require(figure.nodes.first { $0.id == "W" })
        #expect(W.shape == "2×2" && W.matrix == [["1", "2"], ["3", "4"]])
        #expect(W.gradientName == "∂L/∂W" && W.gradientMatrix == [["0.1058", "−0.1058"], ["−0.25", "0.25"]])
        #expect(figure.edges.first { $0.from == "W" }?.gradient == "∂L/∂W")
        let measurer = CairoTextMeasurer()
        for (theme, use) in [(Theme.slides, FigureCheck.Use.projected), (.paper, .printed)] {
            // Laid out compactly (the chain wrapped onto two bands), it reads on a slide and on paper.
            let problems = FigureCheck.problems(try figure.layout(theme: theme, measurer: measurer), use: use, measurer: measurer)
            #expect(problems.isEmpty, "\(problems)")
        }
        let frames = GraphFigureBuilder.frames(of: run.graph, gradients: run.gradients)
        // Every frame reads on a slide too, on one canvas with one placement of the nodes.
        var canvases = Set<String>()
        for (name, frame) in frames {
            let page = try frame.layout(theme: .slides, measurer: measurer)
            #expect(FigureCheck.problems(page, use: .projected, measurer: measurer) == [], "\(name)")
            let nodes = page.items.compactMap { item -> String? in
                guard case .path(let p) = item, (p.tag ?? "").hasPrefix("node:") else { return nil }
                return "\(p.tag ?? "") \(p.bounds)"
            }
            canvases.insert("\(page.size) \(nodes)")
        }
        #expect(canvases.count == 1)
        let first = try #require(frames.first { $0.0.hasSuffix("-backward-t3-from-L") }?.1)
        #expect(first.nodes.filter { $0.gradientMatrix != nil }.allSatisfy { !$0.showsGradient })
        let last = try #require(frames.last?.1)
        #expect(last.nodes.filter { $0.gradientMatrix != nil }.allSatisfy { $0.showsGradient })
    }

    /// docs/expressions.md shows the issue's example with its whole output: it is what nnsim prints.
    @Test func docsShowTheOutputNnsimPrints() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/expressions.md").standardized.path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let command = "nnsim graph \"\(Self.issueProgram)\" --at \"\(Self.issueValues)\"\n```\nprints\n```\n"
        let start = try #require(text.range(of: command))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let output = try Self.run(Self.issueProgram, Self.issueValues).walkthrough.text
        #expect(String(text[start.upperBound..<end.lowerBound]) == output)
        // The README's command table quotes two of its lines.
        let readme = try String(contentsOfFile: path.replacingOccurrences(of: "docs/expressions.md", with: "README.md"), encoding: .utf8)
        for line in ["t1 = W·x = [1, 2; 3, 4]·[1, −1] = [−1, −1]   (shapes 2×2, 2 → 2)",
                     "∂L/∂W = ∂L/∂t1 · ∂t1/∂W = ∂L/∂t1·xᵀ = [0.1058, −0.25]·[1, −1]ᵀ = [0.1058, −0.1058; −0.25, 0.25]   (shape 2×2)"] {
            #expect(readme.contains("`\(line)`") && output.contains("  \(line)\n"), "\(line)")
        }
    }

    /// `--at` text is untrusted input: whatever it holds, reading it returns values or throws one error,
    /// and a value it returns is one it read (every vector and matrix well formed).
    @Test func atTextNeverCrashes() {
        var random = SeededGenerator(seed: 16)
        let alphabet = Array("[],;=@ \t1-.e5xW−")
        for _ in 0..<20_000 {
            let text = String((0..<Int.random(in: 0...24, using: &random)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
            guard let values = try? InputValues.parse(text) else { continue }
            for (_, value) in values {
                if case .tensor(let t) = value { #expect(t.count == t.shape.reduce(1, *) && t.count > 0 && t.rank <= 2, "\(text)") }
            }
        }
    }

    @Test(arguments: [
        ("z = W@x; L = sum(z)", "W=[[1,2,3],[4,5,6]],x=[1,2]",
         "'@' cannot combine shapes 2×3 (W) and 2 (x): W has 3 columns, x has 2 rows at column 6"),
        ("z = W@x + b; L = sum(z)", "W=[[1,2],[4,5]],x=[1,2],b=[1,2,3]",
         "'+' cannot combine shapes 2 (the left side) and 3 (b): they do not broadcast (aligned on the right, each extent must be equal or 1) at column 9"),
        ("L = cross_entropy(s, y)", "s=[1,2,3],y=[0,1]",
         "'cross_entropy' cannot combine shapes 3 (s) and 2 (y): the target is one-hot (or a distribution), the same shape as the scores at column 5"),
        ("L = softmax(x)", "x=2", "'softmax' needs a vector or matrix; x is a scalar at column 5"),
        ("y = x\nz = W @ y\nL = sum(z)", "W=[[1,2],[4,5]],x=[1,2,3]",
         "'@' cannot combine shapes 2×2 (W) and 3 (y): W has 2 columns, y has 3 rows at line 2, column 7"),
        ("L = W@x", "W=[[1,2],[4,5]],x=[1,2]",
         "the output 'L' has shape 2; only a scalar can be differentiated: end the program with a sum(…), mean(…) or loss"),
        ("L = x^T", "x=2,T=3",
         "--at gives 'T', which the expression does not use as an input (x^T is the transpose of x; write x^(T) for a power)"),
    ])
    func shapeErrorsNameBothShapesAndTheColumn(source: String, values: String, message: String) throws {
        #expect(throws: ExpressionError.self) { try Self.run(source, values) }
        do {
            _ = try Self.run(source, values)
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func atValuesReadVectorsMatricesAndFiles() throws {
        let values = try ExpressionRun.values(of: ["W=[[1,2],[3,4]], x = [1, -1],b=2.5", "V=[1, 2; 3, −4]"])
        #expect(values.map(\.name) == ["W", "x", "b", "V"])
        #expect(values[0].value == (try Tensor(rows: [[1, 2], [3, 4]])))
        #expect(values[1].value == Tensor(vector: [1, -1]))
        #expect(values[2].value == Tensor(2.5))
        #expect(values[3].value == (try Tensor(rows: [[1, 2], [3, -4]])))
        // Numbers alone read as before: same values, same messages.
        #expect(try ExpressionRun.values(of: ["a=3,b=−1"]).map(\.value) == [Tensor(3), Tensor(-1)])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-w-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("# weights\n1, 2, 3\r\n4 5 6\n\n".utf8).write(to: URL(fileURLWithPath: path))
        let file = try ExpressionRun.values(of: ["x=[1,2]", "W=@\(path)"])
        let expected = try Tensor(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(file[1].name == "W" && file[1].value == expected)
        try Data("1,2,3\n4,5\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ExpressionError("\(path) line 2 (--at W): 2 entries, but line 1 has 3: every row needs the same number")) {
            try ExpressionRun.values(of: ["W=@\(path)"])
        }
    }

    @Test(arguments: [
        ("W=[[1,2],[3]]", "--at value of 'W': row 2 has 1 entry, but row 1 has 2: every row of a matrix needs the same number (column 10 of --at)"),
        ("x=1,W=[1,2;3]", "--at value of 'W': row 2 has 1 entry, but row 1 has 2: every row of a matrix needs the same number (column 12 of --at)"),
        ("W=[]", "--at value of 'W': an empty row or vector; give at least one number (column 4 of --at)"),
        ("W=[1,x]", "--at value 'x' for 'W' is not a finite decimal number (such as 3, -2.5 or 1e-3) (column 6 of --at)"),
        ("W=[[1,2],[3,4]", "--at value of 'W': expected ',' or ']' after row 2, found the end (column 15 of --at)"),
        ("W=[1,2] x=3", "--at value of 'W': expected ',' before the next item, found 'x' (column 9 of --at)"),
        ("=[1,2]", "--at item '=[1,2]' has no name (column 1 of --at)"),
    ])
    func badValuesNameTheInputAndColumn(text: String, message: String) throws {
        #expect(throws: ExpressionError(message)) { try InputValues.parse(text) }
    }

    /// The trace holds the tensors (leaves, nodes, gradients) and reads back the same; a tensor setting is
    /// its `--at` text, which reads back as the same tensor.
    @Test func traceRoundTripsTensors() throws {
        let run = try Self.run(Self.issueProgram, "W=[[1,2.5],[3,-4e-3]],x=[0.1,-1],b=[0,1],t=[0,1]")
        let trace = run.trace
        let bytes = try trace.encoded()
        let read = try Trace(bytes: bytes)
        #expect(read == trace)
        #expect(try read.encoded() == bytes)
        let step = try #require(read.runs.first?.steps.first)
        let W = try Tensor(rows: [[1, 2.5], [3, -4e-3]])
        #expect(step.params["W"] == W)
        #expect(step.grads["W"] == run.walkthrough.gradients.first { $0.name == "W" }?.value)
        for (name, value) in run.values {
            guard case .string(let text)? = read.settings[name] else { Issue.record("\(name) is not a string setting"); continue }
            #expect(try ExpressionRun.values(of: ["\(name)=\(text)"]).first?.value == value)
        }
    }
}

/// The issue's tensor program as `nnsim graph --out` draws it, on a slide of every aspect: every page
/// reads (no text under 24 px, none covering another edge or a node, all inside the page) and every edge
/// is drawn once over the pages. On a square slide it does not read on one, so it is shown over two.
@Suite struct TensorGraphOnSlidesTests {
    @Test(arguments: [Aspect.wide, .standard, .square])
    func everyPageReadsAndEveryEdgeIsDrawnOnce(aspect: Aspect) throws {
        let run = try GraphTensorTests.run(GraphTensorTests.issueProgram, GraphTensorTests.issueValues)
        let figure = GraphFigureBuilder.figure(of: run.graph, gradients: run.gradients, output: run.gradients.output, title: GraphTensorTests.issueProgram)
        let measurer = CairoTextMeasurer()
        let theme = FigureStyle(aspect: aspect).slides
        let pages = try figure.pages(theme: theme, measurer: measurer)
        #expect(aspect == .square ? pages.count == 2 : pages.count == 1)
        for (k, page) in pages.enumerated() {
            let problems = FigureCheck.problems(page, use: .projected(on: theme), measurer: measurer)
            #expect(problems.isEmpty, "\(aspect.rawValue) page \(k + 1): \(problems)")
        }
        let edges = pages.flatMap(\.items).compactMap { item -> String? in
            if case .path(let shape) = item, let tag = shape.tag, tag.hasPrefix("edge:") { return tag }
            return nil
        }
        #expect(edges.sorted() == figure.edges.enumerated().map { "edge:\($1.from)→\($1.to)#\($0)" }.sorted())
    }
}
