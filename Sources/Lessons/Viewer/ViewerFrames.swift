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
            var activation = "sigmoid"
            if case .string(let name)? = item.settings["activation"] { activation = name }
            var bias = true
            if case .bool(let b)? = item.settings["bias-column"] { bias = b }
            guard W1.shape[0] == data.inputNames.count + (bias ? 1 : 0) else { return nil }
            let network = NetworkTraining.function(item.params, activation: activation, biasColumn: bias)
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
