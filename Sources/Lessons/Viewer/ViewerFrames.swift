import Render
import Sim

/// The figure the viewer shows beside the loss curve at an iteration (docs/viewer.md), drawn from the
/// trace alone: a network's decision regions from that iteration's W1 and W2 (evaluated by
/// NetworkTraining.function, as the lesson draws them), or a perceptron's boundary w·x = 0 from that
/// step's w (PerceptronLesson.boundary), over the trace's data. Only a bounded number of iterations are
/// drawn (`chosen`); the slider shows the nearest one drawn, labelled with its iteration.
enum ViewerFrames {
    /// At most this many iterations drawn per page, spread evenly over the runs, besides the iterations
    /// recorded in full; at least `minimumPerRun` in each run.
    static let spread = 50
    static let minimumPerRun = 10

    /// The positions (into `runs`' items, in order) to draw: in each run, iterations spread evenly from its
    /// first to its last, and every one marked `always` (recorded in full).
    static func chosen(runs: [[(position: Int, always: Bool)]]) -> [Int] {
        let perRun = max(minimumPerRun, spread / max(runs.count, 1))
        var result: [Int] = []
        for run in runs where !run.isEmpty {
            var picked = Set(run.filter(\.always).map(\.position))
            let n = run.count
            let count = min(perRun, n)
            for k in 0..<count {
                let index = count == 1 ? n - 1 : (k * (n - 1) + (count - 1) / 2) / (count - 1)
                picked.insert(run[index].position)
            }
            result += picked.sorted()
        }
        return result
    }

    /// The data set of the trace's `data` (`inputs` one sample per row, `targets`), when it has two inputs
    /// per sample, as a plane can show.
    static func planeData(_ trace: Trace) -> DataSet? {
        guard let inputs = trace.data?["inputs"], let targets = trace.data?["targets"], inputs.rank == 2,
              inputs.shape.last == 2, targets.count == inputs.shape[0] else { return nil }
        return DataSet(name: "data", inputNames: ["x₁", "x₂"], inputs: inputs.rows, targets: targets.scalars)
    }

    /// The figure after `item`, or nil when its trace has nothing nnsim knows how to draw.
    static func figure(after item: RecordedIteration, label: String, data: DataSet?) -> (any Figure)? {
        guard let data else { return nil }
        let title = "After \(label)"
        if let W1 = item.params["W1"], let W2 = item.params["W2"], W1.rank == 2, W2.count == W1.shape[1] {
            // The activation and the bias column as the run had them (the symmetry lesson's runs, which do
            // not record them, use the sigmoid with a bias column).
            // An activation nnsim does not know draws nothing rather than a sigmoid's regions.
            var activation = Activation.sigmoid
            if case .string(let name)? = item.settings["activation"] {
                guard let known = Activation(rawValue: name) else { return nil }
                activation = known
            }
            var bias = true
            if case .bool(let b)? = item.settings["bias-column"] { bias = b }
            guard W1.shape[0] == data.inputNames.count + (bias ? 1 : 0) else { return nil }
            guard let network = try? NetworkTraining.function(item.params, activation: activation, biasColumn: bias) else { return nil }
            let samples = zip(data.inputs, data.targets).map { DecisionRegionPlot.Sample(x: $0[0], y: $0[1], label: Int($1)) }
            func padded(_ v: [Double]) -> ClosedRange<Double> { Interval.padded(v, fraction: 0.25, minimum: 0.25, empty: 0...1) }
            return DecisionRegionPlot(title: title, xAxis: Axis(data.inputNames[0]), yAxis: Axis(data.inputNames[1]),
                                      xRange: padded(data.inputs.map { $0[0] }), yRange: padded(data.inputs.map { $0[1] }),
                                      samples: samples, resolution: 80) { x, y in network([x, y]) }
        }
        if let w = item.params["w"], w.count == 3, item.params.entries.count == 1 {
            return PerceptronLesson.boundary(data: data, weights: w.scalars, title: title)
        }
        return nil
    }
}

/// One presentation of the perceptron's rule as the trace records it in detail (PerceptronLesson.traceStep):
/// the nodes x (the sample with its leading 1), w (the weights before), s = x·w and y = step(s), the
/// weights after in the step's params, the target from the trace's data. The viewer shows it as steps:
/// s, y, and the update w ← w + α(d − y)x with its numbers (the rule is not differentiated, so there are
/// no backward messages).
struct PerceptronPresentation {
    let x: Tensor, w: Tensor, s: Double, y: Double, d: Double, after: Tensor

    init?(_ item: RecordedIteration, targets: Tensor?) {
        guard let detail = item.detail, detail.output == nil, let nodes = detail.nodes,
              let x = nodes.first(where: { $0.name == "x" })?.value, let w = nodes.first(where: { $0.name == "w" })?.value,
              let s = nodes.first(where: { $0.name == "s" }), let y = nodes.first(where: { $0.name == "y" }), y.operation == "step",
              s.value.count == 1, y.value.count == 1, let after = item.params["w"], after.count == w.count, x.count == w.count,
              let sample = detail.samples?.first, let targets, targets.count > sample else { return nil }
        self.x = x
        self.w = w
        self.s = s.value.scalars[0]
        self.y = y.value.scalars[0]
        d = targets.scalars[sample]
        self.after = after
    }

    /// A presentation the trace records as its update only: x from the data (with the leading 1), w the
    /// weights after the previous presentation, s = x·w and y = step(s) by the engine's Step.
    init?(_ item: RecordedIteration, before: Tensor?, data: NamedTensors?) {
        guard item.detail?.nodes == nil, let before, let after = item.params["w"], after.count == before.count,
              let sample = item.samples?.first, let inputs = data?["inputs"], let targets = data?["targets"], inputs.rank == 2,
              sample < inputs.shape[0], targets.count == inputs.shape[0], inputs.shape[1] + 1 == before.count else { return nil }
        let row = [1] + inputs.rows[sample]
        x = Tensor(vector: row)
        w = before
        s = zip(row, before.scalars).reduce(0) { $0 + $1.0 * $1.1 }
        y = Step().value(s)
        d = targets.scalars[sample]
        self.after = after
    }

    func steps(iteration: Int?, rate: Double?) -> [ViewerModel.Step] {
        func n(_ x: Double) -> String { NumberFormat.display(x) }
        let products = zip(x.scalars, w.scalars).map { "\(n($0))·\(n($1))" }.joined(separator: " + ")
        let sText = "s = x·w = \(products) = \(n(s))"
        let yText = "y = step(s) = step(\(n(s))) = \(n(y))"
        let alpha = rate.map { n($0) } ?? "α"
        let change = "w ← w + α(d − y)x = \(NumberFormat.tuple(w.scalars)) + \(alpha)·(\(n(d)) − \(n(y)))·\(NumberFormat.tuple(x.scalars)) = \(NumberFormat.tuple(after.scalars))"
        func value(_ label: String, _ t: Tensor) -> ViewerModel.Value { ViewerModel.Value(label: label, tensor: t, isGradient: false) }
        return [
            ViewerModel.Step(phase: "forward", text: sText, formula: sText, rule: "the net input: the sample (with its leading 1 for the bias) times the weights",
                             values: [value("s", Tensor(s)), value("x", x), value("w", w)], iteration: iteration, graph: -1, highlight: nil, hidden: []),
            ViewerModel.Step(phase: "forward", text: yText, formula: yText, rule: "step(s) = 1 if s > 0, else 0",
                             values: [value("y", Tensor(y)), value("s", Tensor(s))], iteration: iteration, graph: -1, highlight: nil, hidden: []),
            ViewerModel.Step(phase: "update", text: change, formula: "w ← w + α(d − y)x, α = \(alpha)",
                             rule: d == y ? "d = y: the sample is classified right, so w stays" : "d ≠ y: w moves by α(d − y)x",
                             values: [value("d", Tensor(d)), value("y", Tensor(y)), value("x", x), value("w", after)],
                             iteration: iteration, graph: -1, highlight: nil, hidden: []),
        ]
    }
}

/// The optimizers lesson's surfaces as its trace records them (each run's settings `surface` and
/// `function`, the start `SURFACE-x`, `SURFACE-y` and window `SURFACE-view` in the trace's settings, each
/// step's params x and y): f sampled once per surface, and every run's points, for the contour figure at
/// an iteration with each run's path up to it (OptimizersLesson draws the same figure at the end).
struct ViewerSurfaces {
    struct Surface {
        let function: String
        let xRange: ClosedRange<Double>, yRange: ClosedRange<Double>
        let sampled: [[Double]]
        let minimum: (Double, Double)?
        /// The runs on it in order: their legend names and points θ₀ (the start), θ₁, ….
        var runs: [(name: String, points: [(x: Double, y: Double)])]
    }
    var surfaces: [String: Surface] = [:]
    /// The grid f is sampled on (the lesson's figures: 120).
    static let resolution = 80

    init(trace: Trace, recorded: [RecordedIteration]) {
        let settings = Dictionary(trace.settings.entries.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        func number(_ v: TraceValue?) -> Double? {
            switch v { case .number(let x)?: x; case .integer(let i)?: Double(i); default: nil }
        }
        func text(_ v: TraceValue?) -> String? { if case .string(let s)? = v { s } else { nil } }
        var runs: [(surface: String, name: String, points: [(x: Double, y: Double)])] = []
        for item in recorded {
            guard let surface = text(item.settings["surface"]), let x = item.params["x"], let y = item.params["y"],
                  x.count == 1, y.count == 1 else { continue }
            if item.number == 1 || runs.isEmpty {
                guard let x0 = number(settings["\(surface)-x"]), let y0 = number(settings["\(surface)-y"]) else { continue }
                let optimizer = text(item.settings["optimizer"]) ?? "?"
                let rate = number(item.settings["learning-rate"]) ?? number(item.settings["initial-step"])
                let symbol = Optimizers.named(optimizer)?.rateSymbol ?? "η"
                runs.append((surface, optimizer + (rate.map { " (\(symbol) = \(NumberFormat.display($0)))" } ?? ""), [(x0, y0)]))
            }
            runs[runs.count - 1].points.append((x.scalars[0], y.scalars[0]))
        }
        for run in runs {
            if surfaces[run.surface] == nil {
                guard let item = recorded.first(where: { text($0.settings["surface"]) == run.surface }),
                      let source = text(item.settings["function"]), let f = try? SurfaceFunction(source, key: run.surface) else { continue }
                let all = runs.filter { $0.surface == run.surface }.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
                func padded(_ v: [Double]) -> ClosedRange<Double> { Interval.padded(v, fraction: 0.1, minimum: 0.5, empty: -1...1) }
                let window = text(settings["\(run.surface)-view"]).flatMap { try? OptimizersLesson.view($0, key: run.surface) }
                let (xRange, yRange) = window ?? (padded(all.map(\.x)), padded(all.map(\.y)))
                let n = Self.resolution
                let gx = ContourPlot.grid(xRange, n), gy = ContourPlot.grid(yRange, n)
                guard let values = try? f.values(gy.flatMap { _ in gx }, gy.flatMap { y in gx.map { _ in y } }) else { continue }
                // The lesson's own surface has its minimum marked (as in its figures); another function has none.
                let minimum = OptimizersLesson.Settings().surfaces.first { $0.key == run.surface && $0.function == source }?.minimum ?? nil
                surfaces[run.surface] = Surface(function: source, xRange: xRange, yRange: yRange,
                                                sampled: (0..<n).map { Array(values[($0 * n)..<($0 * n + n)]) }, minimum: minimum, runs: [])
            }
            surfaces[run.surface]?.runs.append((run.name, run.points))
        }
    }

    /// The key of the figure after `item` (one per surface and iteration number, shared by its runs), if any.
    func key(_ item: RecordedIteration) -> String? {
        guard case .string(let surface)? = item.settings["surface"], surfaces[surface] != nil else { return nil }
        return "\(surface) \(item.number)"
    }

    /// The contour of f with every run's path on the item's surface up to its iteration, and where each is.
    func figure(after item: RecordedIteration) -> (any Figure)? {
        guard case .string(let name)? = item.settings["surface"], let surface = surfaces[name] else { return nil }
        let upTo = item.number
        var plot = ContourPlot(title: "\(surface.function), after iteration \(upTo)", xAxis: Axis("x"), yAxis: Axis("y"),
                               xRange: surface.xRange, yRange: surface.yRange,
                               trajectories: surface.runs.map { ContourPlot.Trajectory(name: $0.name, points: Array($0.points.prefix(upTo + 1))) },
                               sampled: surface.sampled)
        if let m = surface.minimum { plot.marks = [(x: m.0, y: m.1, name: "minimum \(NumberFormat.tuple([m.0, m.1]))")] }
        return plot
    }
}
