/// Gradient checking as note 001 recommends: use the analytic gradient, check it against the numeric one.
///
/// Graphs are define-by-run, so the checker rebuilds the graph for every perturbed value: it creates an
/// input node per named value, calls `build`, and compares the backward pass with central differences
/// (f(x + h) − f(x − h)) / 2h entry by entry. The relative error is |a − n| / max(|a|, |n|, 1e-8)
/// (the floor makes it an absolute error for gradients too small to compare relatively).
public enum GradientCheck {
    /// The step h of the central differences.
    public static let defaultStep = 1e-5
    /// The largest relative error that passes. Central differences with h = 1e-5 are accurate to about
    /// 1e-10 relative on smooth functions; 1e-6 leaves room for rounding but catches any wrong derivative.
    public static let defaultTolerance = 1e-6

    /// One checked entry of one input.
    public struct Entry: Sendable, Hashable {
        public let name: String
        /// Flat row-major index into the input's tensor.
        public let index: Int
        public let analytic: Double
        public let numeric: Double
        public let relativeError: Double
    }

    public struct Report: Sendable {
        public let entries: [Entry]
        public let tolerance: Double
        public var maxRelativeError: Double { entries.map(\.relativeError).max() ?? 0 }
        public var passed: Bool { entries.allSatisfy { $0.relativeError <= tolerance } }
    }

    /// Checks every entry of every named value. `build` receives the graph and the input node for each
    /// name, and returns the scalar output.
    public static func run(at values: NamedTensors, step: Double = defaultStep, tolerance: Double = defaultTolerance,
                           build: (Graph, [String: Var]) throws -> Var) throws -> Report {
        func evaluate(_ values: NamedTensors) throws -> (Graph, [String: Var], Var) {
            let graph = Graph()
            var inputs: [String: Var] = [:]
            for (name, value) in values.entries { inputs[name] = try graph.input(name, value) }
            return (graph, inputs, try build(graph, inputs))
        }
        let (graph, inputs, output) = try evaluate(values)
        let gradients = try graph.backward(from: output)

        var entries: [Entry] = []
        for (name, value) in values.entries {
            let analytic = inputs[name].flatMap { gradients[$0.id] } ?? value.map { _ in 0 }
            for index in 0..<value.count {
                func shifted(_ delta: Double) throws -> Double {
                    var copy = values
                    var scalars = value.scalars
                    scalars[index] += delta
                    copy[name] = Tensor(checkedShape: value.shape, scalars: scalars)
                    return try evaluate(copy).2.value.scalar ?? .nan
                }
                let numeric = (try shifted(step) - shifted(-step)) / (2 * step)
                let a = analytic.scalars[index]
                let error = abs(a - numeric) / max(abs(a), abs(numeric), 1e-8)
                entries.append(Entry(name: name, index: index, analytic: a, numeric: numeric,
                                     relativeError: error.isNaN ? .infinity : error))
            }
        }
        return Report(entries: entries, tolerance: tolerance)
    }
}
