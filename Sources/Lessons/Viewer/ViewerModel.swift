import Foundation
import Render
import Sim

/// What the viewer page shows (docs/viewer.md), built in this one place from a trace: the lesson's or the
/// expression's trace alike, so `nnsim lesson NAME --format html`, `nnsim graph … --format html` and
/// `nnsim view TRACE.json` give the same page for the same run. ViewerPage writes it as HTML.
///
/// - Steps: every forward step, backward message and update of the iterations recorded in full, with the
///   same text as the terminal stepper (GraphWalkthrough.lessonSteps), each pointing at the graph figure
///   of its iteration, the node or edge to highlight there and the labels not yet known at that step.
/// - Iterations (training runs): the loss and the parameters after each, for the slider and the loss
///   curve's cursor.
public struct ViewerModel: Sendable {
    /// A value shown with a step, in the figures' two colours (values green, gradients vermillion).
    public struct Value: Sendable {
        public let label: String
        public let tensor: Tensor
        public let isGradient: Bool
    }

    public struct Step: Sendable {
        /// forward, backward or update.
        public let phase: String
        /// The stepper's one-line text, with the numbers (`d = 2·b = 2·1 = 2`).
        public let text: String
        public let formula: String
        public let rule: String?
        public let values: [Value]
        /// Index into `iterations` (training runs), and into `graphs`.
        public let iteration: Int?
        public let graph: Int
        /// The tag of the highlight to show (`highlight:z1`, `highlight:b→d#0`).
        public let highlight: String?
        /// Tags of the figure's labels not known yet at this step (values before the forward pass reaches
        /// them, messages not yet sent).
        public let hidden: [String]
    }

    public struct Iteration: Sendable {
        /// The number the trace gives it in its run, its run in a trace of several, and the run's length.
        public let number: Int
        public let run: String?
        public let of: Int
        public let loss: Double?
        public let params: NamedTensors
        /// The first of its steps, when it was recorded in full.
        public let firstStep: Int?
        /// The loss curve's cursor (`cursor:K`) at it.
        public let cursor: Int?
        /// The frame shown at it (index into `frames`): the nearest drawn in its run.
        public internal(set) var frame: Int?
    }

    /// The figure drawn after an iteration: decision regions or a perceptron's boundary (ViewerFrames).
    public struct Frame: Sendable {
        /// Index into `iterations`.
        public let iteration: Int
        public let figure: any Figure
        /// What it was drawn after, when not its iteration alone (an optimizer's: every run on the surface).
        public let caption: String?
    }

    public let title: String
    public let subtitle: String?
    public let settings: [(key: String, value: String)]
    public let summary: [(key: String, value: String)]
    public let graphs: [ComputationalGraphFigure]
    public let steps: [Step]
    public let iterations: [Iteration]
    public let frames: [Frame]
    /// How many iterations the runs had together (beyond `maxIterations` some are left out of the slider).
    public let iterationCount: Int
    public let lossPlot: LinePlot?

    /// The most iterations the slider offers; a longer run offers every k-th (and those recorded in full).
    public static let maxIterations = 5_000
    /// The most cursor positions drawn on the loss curve (more would not be told apart on the screen).
    public static let maxCursors = 800
    /// The most iterations shown in full: the first, second, 10th, 100th, 1000th, middle and last of a run
    /// whose trace has every iteration's graph (the stepper's choice, TraceDetail.chosen).
    static let maxDetailed = 12
    /// The most perceptron presentations shown as steps in a run (three steps each, no figure); a longer run
    /// shows the stepper's choice, as above.
    static let maxPresentations = 200

    /// The page of `trace`; `title` overrides the one made from the trace's source.
    public init(trace: Trace, title: String? = nil) throws(LessonError) {
        let recorded = RecordedIteration.all(in: trace)
        guard !recorded.isEmpty else { throw LessonError("the trace has no steps, so there is nothing to show") }
        switch trace.source {
        case .graph(let name, let expression):
            self.title = title ?? "Computational graph of \(name)"
            subtitle = expression.replacingOccurrences(of: "\n", with: "; ")
        case .lesson(let name, let script):
            // A built-in lesson's title from its script; a user's script may have moved since the run.
            let builtIn = script == LessonCatalog.builtInPath(name) || script == name
            self.title = title ?? ((builtIn ? try? LessonCatalog.script(name) : nil)?.title ?? "Lesson \(name)")
            subtitle = script == name ? nil : script
        }
        settings = trace.settings.entries.map { ($0.name, Self.text($0.value)) }
        summary = trace.summary.entries.map { ($0.name, Self.text($0.value)) }

        // Which iterations are shown in full: those whose graph the trace holds, in each run at most
        // maxDetailed of them (a trace of every iteration: the stepper's choice, TraceDetail.chosen).
        // A perceptron's presentations have no output to differentiate; they are shown as their own steps.
        // Those recorded in detail from their graph; in a run of at most maxPresentations the others too,
        // from the weights after the one before and the data.
        let targets = trace.data?["targets"]
        var presentations: [PerceptronPresentation?] = recorded.map { PerceptronPresentation($0, targets: targets) }
        for i in recorded.indices.dropFirst() where presentations[i] == nil && recorded[i].runLength <= Self.maxPresentations
            && recorded[i].run == recorded[i - 1].run && recorded[i].number == recorded[i - 1].number + 1 {
            presentations[i] = PerceptronPresentation(recorded[i], before: recorded[i - 1].params["w"], data: trace.data)
        }
        func hasSteps(_ i: Int) -> Bool { recorded[i].detail?.output != nil || presentations[i] != nil }
        var detailed = Set<Int>()
        var start = 0
        while start < recorded.count {
            let length = recorded[start].runLength
            let run = start..<min(recorded.count, start + max(length, 1))
            let withGraph = run.filter(hasSteps)
            // A perceptron's presentations are three steps each and no figure: a run of a few epochs shows all.
            let shown = run.filter { presentations[$0] != nil }
            if withGraph.count > Self.maxDetailed, shown.count == withGraph.count, shown.count <= Self.maxPresentations {
                detailed.formUnion(shown)
            } else if withGraph.count > Self.maxDetailed {
                let chosen = TraceDetail.chosenIterations(run.count).map { run.lowerBound + $0 - 1 }
                detailed.formUnion(chosen.filter(hasSteps))
            } else {
                detailed.formUnion(withGraph)
            }
            start = run.upperBound
        }
        // Which iterations the slider offers.
        let training = recorded.count > 1
        var offered = Array(recorded.indices)
        if recorded.count > Self.maxIterations {
            let every = (recorded.count + Self.maxIterations - 1) / Self.maxIterations
            offered = recorded.indices.filter { $0 % every == 0 || $0 == recorded.count - 1 || detailed.contains($0) }
        }
        iterationCount = recorded.count

        var graphs: [ComputationalGraphFigure] = []
        var steps: [Step] = []
        var iterations: [Iteration] = []
        var shown: [RecordedIteration] = []
        var cursors: [Double] = []
        var lastCursorBucket = -1
        for index in offered {
            let item = recorded[index]
            let position = training ? iterations.count : nil
            var firstStep: Int?
            if detailed.contains(index), let detail = item.detail, let rebuilt = RebuiltGraph(detail) {
                firstStep = steps.count
                steps += Self.steps(of: rebuilt, iteration: position, number: training ? item.number : nil, graph: graphs.count,
                                    update: training ? item : nil, settings: item.settings)
                var figure = GraphFigureBuilder.figure(of: rebuilt.graph, gradients: rebuilt.gradients, output: rebuilt.gradients.output)
                figure.highlightsAll = true
                // The viewer scrolls a wide graph to the current step; wrapped onto bands, a step could be below it.
                figure.compactsWhenLarge = false
                // Read up close, a tensor's message keeps its entries on its edge (a projected slide names it).
                for e in figure.edges.indices { figure.edges[e].gradientName = nil }
                graphs.append(figure)
            } else if detailed.contains(index), let presentation = presentations[index] {
                firstStep = steps.count
                let rate: Double? = switch item.settings["learning-rate"] {
                case .number(let x)?: x
                case .integer(let i)?: Double(i)
                default: nil
                }
                steps += presentation.steps(iteration: position, rate: rate)
            }
            var cursor: Int?
            if training, item.loss != nil {
                let bucket = index * Self.maxCursors / recorded.count
                if bucket != lastCursorBucket {
                    cursors.append(Double(item.number))
                    lastCursorBucket = bucket
                }
                cursor = cursors.count - 1
            }
            if training {
                iterations.append(Iteration(number: item.number, run: item.run, of: item.runLength, loss: item.loss, params: item.params,
                                            firstStep: firstStep, cursor: cursor))
                shown.append(item)
            }
        }
        guard !steps.isEmpty || training else {
            throw LessonError("the trace records no graph with an output, so there are no steps to show")
        }
        // The frames: in each run, a bounded number of iterations drawn, and each iteration shows the nearest.
        var frames: [Frame] = []
        let data = ViewerFrames.planeData(trace)
        let surfaces = training && data == nil ? ViewerSurfaces(trace: trace, recorded: shown) : nil
        if training, data != nil || surfaces?.surfaces.isEmpty == false {
            var runs: [[(position: Int, always: Bool)]] = []
            for (k, it) in iterations.enumerated() {
                if k == 0 || iterations[k - 1].run != it.run { runs.append([]) }
                runs[runs.count - 1].append((k, it.firstStep != nil))
            }
            // An optimizer's figure shows every run on its surface, so its runs share one per iteration number.
            var frameAt: [Int: Int] = [:]
            var shared: [String: Int] = [:]
            for k in ViewerFrames.chosen(runs: runs) {
                let key = surfaces?.key(shown[k])
                if let key, let f = shared[key] { frameAt[k] = f; continue }
                let label = (shown[k].run.map { "\($0): " } ?? "") + "iteration \(shown[k].number)"
                guard let figure = surfaces?.figure(after: shown[k]) ?? ViewerFrames.figure(after: shown[k], label: label, data: data) else { continue }
                let caption = key == nil ? nil : "iteration \(shown[k].number) of \(shown[k].runLength), every run on the \(shown[k].settings["surface"].map(Self.text) ?? "surface")"
                frames.append(Frame(iteration: k, figure: figure, caption: caption))
                frameAt[k] = frames.count - 1
                if let key { shared[key] = frames.count - 1 }
            }
            // Each iteration shows the nearest frame drawn in its run (the earlier at a tie).
            for run in runs {
                let drawn = run.map(\.position).filter { frameAt[$0] != nil }
                guard !drawn.isEmpty else { continue }
                var d = 0
                for (position, _) in run {
                    while d + 1 < drawn.count, drawn[d + 1] - position < position - drawn[d] { d += 1 }
                    iterations[position].frame = frameAt[drawn[d]]
                }
            }
        }
        self.graphs = graphs
        self.steps = steps
        self.iterations = iterations
        self.frames = frames

        // The loss curve: one series per run, in the order the runs ran.
        var series: [LinePlot.Series] = []
        for item in recorded {
            guard let loss = item.loss else { continue }
            let name = item.run ?? "loss"
            if series.last?.name != name { series.append(LinePlot.Series(name: name, x: [], y: [])) }
            series[series.count - 1].x.append(Double(item.number))
            series[series.count - 1].y.append(loss)
        }
        if training, !series.isEmpty {
            let positive = series.allSatisfy { $0.y.allSatisfy { $0 > 0 } }
            var plot = LinePlot(title: nil, xAxis: Axis("iteration"), yAxis: Axis("loss", scale: positive ? .log : .linear), series: series)
            plot.cursors = cursors
            lossPlot = plot
        } else {
            lossPlot = nil
        }
    }

    /// The forward steps, backward messages (without those to the data and targets, as the stepper hides
    /// them) and, in training, the updates of one iteration recorded in full.
    static func steps(of rebuilt: RebuiltGraph, iteration: Int?, number: Int?, graph: Int, update: RecordedIteration?,
                      settings: [String: TraceValue]) -> [Step] {
        let g = rebuilt.graph
        let walk = GraphWalkthrough(graph: g, gradients: rebuilt.gradients)
        let stepperSteps = walk.lessonSteps(graph: g, iteration: number)
        let figure = GraphFigureBuilder.figure(of: g, gradients: rebuilt.gradients, output: rebuilt.gradients.output)
        let outputName = g[rebuilt.gradients.output].name
        let edges = figure.edges.enumerated().map { (index: $0.offset, edge: $0.element) }
        func tag(_ kind: String, _ e: Int) -> String { "\(kind):\(edges[e].edge.from)→\(edges[e].edge.to)#\(e)" }
        let constants = Set(g.nodes.filter { $0.kind == .constant }.map(\.name))
        let operations = Set(g.nodes.filter { $0.operation != nil }.map(\.name))
        // A parameter's box shows its gradient as a table (the `← ∂L/∂W1` line and a line per row): hidden
        // until the backward pass has given the node its whole gradient (its one message, or the sum of several).
        // The page draws the graph at slide size, where a large tensor has no tables.
        let nodeGradientTags = Dictionary(uniqueKeysWithValues: figure.nodes.compactMap { node -> (String, [String])? in
            guard node.gradientName != nil, node.showsTables(on: .slides) else { return nil }
            return (node.id, (0...(node.gradientMatrix?.count ?? 0)).map { "node-gradient:\(node.id)#\($0)" })
        })
        let summed = Set(walk.backward.filter { $0.kind == .sum }.map(\.node))
        var gradientKnown = Set<String>()
        func unknownNodeGradients() -> [String] {
            nodeGradientTags.keys.sorted().filter { !gradientKnown.contains($0) }.flatMap { nodeGradientTags[$0] ?? [] }
        }

        // Forward: an edge's value is known once its source is (leaves from the start).
        var result: [Step] = []
        var known = Set<String>()
        for (k, f) in walk.forward.enumerated() {
            known.insert(f.node)
            let hidden = edges.compactMap { e -> String? in
                let from = e.edge.from
                let valueHidden = e.edge.value != nil && operations.contains(from) && !known.contains(from)
                return valueHidden ? tag("edge-value", e.index) : nil
            } + edges.compactMap { e in e.edge.gradient == nil ? nil : tag("edge-gradient", e.index) } + unknownNodeGradients()
            result.append(step(stepperSteps[k], iteration: iteration, graph: graph, highlight: "highlight:\(f.node)", hidden: hidden))
        }
        // Backward: an edge's message is shown once sent; messages along a constant's edge come with the
        // first message its consumer sends.
        var sent = Set<Int>()
        var used: [String: Int] = [:]
        for (j, b) in walk.backward.enumerated() {
            var highlight: String?
            switch b.kind {
            case .seed:
                if let e = edges.last(where: { $0.edge.from == outputName && $0.edge.to == "\(outputName) " })?.index {
                    sent.insert(e)
                    highlight = "highlight:\(edges[e].edge.from)→\(edges[e].edge.to)#\(e)"
                } else {
                    highlight = "highlight:\(outputName)"
                }
            case .edge:
                let consumer = b.consumer ?? ""
                let key = "\(b.node)\u{0}\(consumer)"
                let twins = edges.filter { $0.edge.from == b.node && $0.edge.to == consumer }
                if !twins.isEmpty {
                    let e = twins[min(used[key, default: 0], twins.count - 1)].index
                    used[key, default: 0] += 1
                    sent.insert(e)
                    highlight = "highlight:\(b.node)→\(consumer)#\(e)"
                }
                for e in edges where e.edge.to == consumer && constants.contains(e.edge.from) { sent.insert(e.index) }
            case .sum:
                highlight = "highlight:\(b.node)"
            }
            if b.kind == .sum || (b.kind == .edge && !summed.contains(b.node)) { gradientKnown.insert(b.node) }
            let stepper = stepperSteps[walk.forward.count + j]
            if stepper.detail?.isDataGradient == true { continue }
            let hidden = edges.compactMap { e in e.edge.gradient != nil && !sent.contains(e.index) ? tag("edge-gradient", e.index) : nil }
                + unknownNodeGradients()
            result.append(step(stepper, iteration: iteration, graph: graph, highlight: highlight, hidden: hidden))
        }
        // The update, parameter by parameter, as the stepper writes it (StepRecording).
        if let update {
            let optimizer = settings["optimizer"].map(text)
            let rate = settings["learning-rate"].map(text)
            for (name, gradient) in update.grads.entries {
                let new = update.params[name] ?? gradient
                let eta = rate.map { ", η = \($0)" } ?? ""
                let formula = optimizer == "gd" || optimizer == nil && rate != nil ? "\(name) ← \(name) − η·∂L/∂\(name)\(eta)"
                    : "\(name) ← \(optimizer ?? "the optimizer's") step from \(name) and ∂L/∂\(name)\(eta)"
                result.append(Step(phase: "update", text: formula, formula: formula, rule: nil,
                                   values: [Value(label: "∂L/∂\(name)", tensor: gradient, isGradient: true),
                                            Value(label: name, tensor: new, isGradient: false)],
                                   iteration: iteration, graph: graph,
                                   highlight: figure.nodes.contains { $0.id == name } ? "highlight:\(name)" : nil, hidden: []))
            }
        }
        return result
    }

    private static func step(_ stepper: LessonStep, iteration: Int?, graph: Int, highlight: String?, hidden: [String]) -> Step {
        let detail = stepper.detail
        return Step(phase: stepper.phase.rawValue, text: stepper.text, formula: detail?.formula ?? stepper.text, rule: detail?.rule,
                    values: (detail?.values ?? []).map { Value(label: $0.label, tensor: $0.value, isGradient: $0.kind == .gradient) },
                    iteration: iteration, graph: graph, highlight: highlight, hidden: hidden)
    }

    /// A setting or summary value as the title page writes it.
    static func text(_ value: TraceValue) -> String {
        switch value {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .number(let x): return NumberFormat.display(x)
        case .bool(let b): return b ? "true" : "false"
        }
    }
}
