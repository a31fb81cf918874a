import Foundation
import Render
import Sim

/// `kind: optimizers`: gradient descent, momentum, Nesterov, Adagrad, RMSProp, Adam and Rprop (notes 000,
/// 002 and 004) from the same start on two surfaces f(x, y), by default an ill-conditioned quadratic
/// ravine and the Rosenbrock function: a contour figure with every trajectory, the loss per iteration on
/// a log axis, the first steps in numbers, and where each one ends.
public enum OptimizersLesson: LessonKind {
    public static let name = "optimizers"
    public static let description = "Seven optimizers from one start on a ravine and on the Rosenbrock function: trajectories, losses, first steps."

    /// The two surfaces, their default functions, starts, step budgets and learning rates (Rprop: Δ₀).
    struct SurfaceDefaults {
        let key: String
        let expression: String
        let start: (Double, Double)
        let steps: Int
        let view: String
        let rates: [String: Double]
        /// The default surface's minimum, marked on its figure (a surface of the user's has none marked).
        let minimum: (Double, Double)
    }

    static let optimizerNames = Optimizers.names
    static let surfaces = [
        SurfaceDefaults(key: "ravine", expression: "f = 0.5*(x^2 + 100*y^2)", start: (-9, 1), steps: 200, view: "-10, 1.5, -3, 1.5",
                        rates: ["gd": 0.018, "momentum": 0.018, "nesterov": 0.01, "adagrad": 1, "rmsprop": 0.05, "adam": 0.3, "rprop": 0.1], minimum: (0, 0)),
        SurfaceDefaults(key: "rosenbrock", expression: "f = (1 - x)^2 + 100*(y - x^2)^2", start: (-1.5, 2), steps: 3000, view: "-2, 2, -1, 3",
                        rates: ["gd": 0.001, "momentum": 0.001, "nesterov": 0.001, "adagrad": 1, "rmsprop": 0.003, "adam": 0.05, "rprop": 0.1], minimum: (1, 1)),
    ]

    public static let settings: [LessonSetting] = surfaces.flatMap { surface -> [LessonSetting] in
        [
            LessonSetting(surface.key, .text, default: .text(surface.expression), "the \(surface.key) surface: an expression of x and y (docs/expressions.md)"),
            LessonSetting("\(surface.key)-x", .number(.anyNumber), default: .number(surface.start.0), "the start's x on the \(surface.key)"),
            LessonSetting("\(surface.key)-y", .number(.anyNumber), default: .number(surface.start.1), "the start's y on the \(surface.key)"),
            LessonSetting("\(surface.key)-steps", .integer(1...100_000), default: .integer(surface.steps), "iterations on the \(surface.key)"),
            LessonSetting("\(surface.key)-view", .text, default: .text(surface.view), "the contour figure's window: xmin, xmax, ymin, ymax (empty: fit the trajectories)"),
        ] + optimizerNames.map { name in
            LessonSetting("\(surface.key)-\(name)", .number(.positive), default: .number(surface.rates[name] ?? 0.01),
                          name == "rprop" ? "Rprop's initial step Δ₀ on the \(surface.key)" : "\(name)'s learning rate η on the \(surface.key)")
        }
    } + [LessonSetting("mu", .number(0...0.999), default: .number(0.9), "momentum and Nesterov's μ")]
    public static let sections = ["intro", "ravine", "rosenbrock", "summary"]
    public static let reportItems = [
        ReportItem("trajectories", "per surface, the contour figure with every optimizer's path"),
        ReportItem("loss-curves", "per surface, f per iteration for every optimizer, log scale"),
        ReportItem("results", "per surface, where each optimizer ends and when f first falls below 10⁻³"),
        ReportItem("first-steps", "per surface, each optimizer's first three steps: gradient, state, new point"),
    ]

    public static func check(_ settings: LessonSettings, file: String) throws(LessonError) {
        for surface in surfaces {
            do {
                _ = try SurfaceFunction(settings.text(surface.key), key: surface.key)
                _ = try view(settings.text("\(surface.key)-view"), key: "\(surface.key)-view")
            } catch {
                throw LessonError(error.message, file: file, key: "settings.\(error.key ?? surface.key)")
            }
        }
    }

    /// "xmin, xmax, ymin, ymax", or nil for an empty text.
    static func view(_ text: String, key: String) throws(LessonError) -> (ClosedRange<Double>, ClosedRange<Double>)? {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.isEmpty { return nil }
        let numbers = parts.compactMap(NumberText.parse)
        guard numbers.count == 4, parts.count == 4, numbers[0] < numbers[1], numbers[2] < numbers[3] else {
            throw LessonError("give the window as xmin, xmax, ymin, ymax with xmin < xmax and ymin < ymax (got “\(text)”)", key: key)
        }
        return (numbers[0]...numbers[1], numbers[2]...numbers[3])
    }

    /// One optimizer's run: the points θ₀, θ₁, …, the gradient and state of each update, f at each point.
    struct Run {
        let name: String
        let rate: Double
        var points: [(x: Double, y: Double)] = []
        var updates: [OptimizerStep] = []
        /// Where each update's gradient was taken (Nesterov: the look-ahead point).
        var evaluatedAt: [[Double]] = []
        var values: [Double] = []
        /// The first update after which θ was no longer finite; the run stops there.
        var divergedAt: Int?

        /// The first iteration k with f(θₖ) < threshold.
        func first(below threshold: Double) -> Int? { values.firstIndex { $0 < threshold } }
    }

    /// Runs every optimizer from `start` for `steps` updates; all gradients of one iteration come from one
    /// engine evaluation of f at every optimizer's evaluation point.
    static func descend(_ f: SurfaceFunction, from start: (Double, Double), optimizers: [(name: String, rate: Double, optimizer: any Optimizer)],
                        steps: Int) throws -> [Run] {
        var runs = optimizers.map { Run(name: $0.name, rate: $0.rate, points: [(x: start.0, y: start.1)]) }
        var states = optimizers.map(\.optimizer)
        var thetas = optimizers.map { _ in NamedTensors([("θ", Tensor(vector: [start.0, start.1]))]) }
        for step in 1...steps {
            let active = runs.indices.filter { runs[$0].divergedAt == nil }
            if active.isEmpty { break }
            let points = active.map { states[$0].evaluationPoint(for: thetas[$0])["θ"]?.scalars ?? [.nan, .nan] }
            let evaluated = try f.evaluate(points.map { $0[0] }, points.map { $0[1] })
            for (k, i) in active.enumerated() {
                let update = states[i].step(thetas[i], gradients: NamedTensors([("θ", Tensor(vector: [evaluated.dx[k], evaluated.dy[k]]))]))
                let next = update.parameters["θ"]?.scalars ?? [.nan, .nan]
                guard next.allSatisfy(\.isFinite) else {
                    runs[i].divergedAt = step
                    continue
                }
                thetas[i] = update.parameters
                runs[i].updates.append(update)
                runs[i].evaluatedAt.append(points[k])
                runs[i].points.append((x: next[0], y: next[1]))
            }
        }
        for i in runs.indices {
            runs[i].values = try f.values(runs[i].points.map(\.x), runs[i].points.map(\.y))
        }
        return runs
    }

    static let threshold = 1e-3

    /// Per iteration on a surface, each of the 7 optimizers keeps its point, update and state, and draws
    /// a point in two figures (about 15 kB in all, measured at 112,000 iterations); with the trace, each
    /// update is recorded with 3 nodes.
    public static func estimate(_ s: LessonSettings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let steps = surfaces.map { Double(s.integer("\($0.key)-steps")) }.reduce(0, +)
        var bytes = steps * 15_000
        if recordsSteps { bytes += LessonBudget.trace(steps: Double(optimizerNames.count) * steps, nodes: 3, numbers: 12) }
        return LessonEstimate(bytes: bytes, settings: surfaces.map { "\($0.key)-steps" })
    }

    public static func run(_ lesson: LessonContext) throws(LessonError) -> LessonResult {
        let s = lesson.settings
        let mu = s.number("mu")
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        var narration = lesson.introduction
        var steplist: [LessonStep] = []
        var traceRuns: [TraceRun] = []
        var summary: [String] = []
        if let text = lesson.narrative("intro") { blocks.append(.paragraph(text)); narration.append(text) }
        // With --step: each optimizer on each surface is a run, its updates the iterations, numbered on
        // from the runs before it (the ravine's first optimizer 1…steps, its second steps+1…, …).
        var offset = 0

        for surface in surfaces {
            let key = surface.key
            let f = try SurfaceFunction(s.text(key), key: key)
            let start = (s.number("\(key)-x"), s.number("\(key)-y")), steps = s.integer("\(key)-steps")
            let chosen = optimizerNames.map { name in
                (name: name, rate: s.number("\(key)-\(name)"), optimizer: TrainingChoices.optimizer(name, rate: s.number("\(key)-\(name)"), mu: mu))
            }
            let runs: [Run]
            do {
                runs = try descend(f, from: start, optimizers: chosen, steps: steps)
            } catch {
                throw LessonError("could not evaluate the \(key) function: \(error)", key: key)
            }
            let title = key == "ravine" ? "A ravine" : "The Rosenbrock function"
            blocks.append(.heading(title))
            if let text = lesson.narrative(key) { blocks.append(.paragraph(text)) }
            blocks.append(.formula("\(f.program.source),   start (x, y) = \(NumberFormat.tuple([start.0, start.1])),   \(steps) iterations,   μ = \(NumberFormat.display(mu))"))
            narration.append("")
            narration.append("\(title): \(f.program.source) from \(NumberFormat.tuple([start.0, start.1])), \(steps) iterations")

            if lesson.includes("trajectories") {
                let (xRange, yRange) = try view(s.text("\(key)-view"), key: "\(key)-view") ?? fitted(runs)
                let n = 120
                let gx = ContourPlot.grid(xRange, n), gy = ContourPlot.grid(yRange, n)
                let values: [Double]
                do {
                    values = try f.values(gy.flatMap { _ in gx }, gy.flatMap { y in gx.map { _ in y } })
                } catch {
                    throw LessonError("could not evaluate the \(key) function on the figure's grid: \(error)", key: key)
                }
                let sampled = (0..<n).map { Array(values[($0 * n)..<($0 * n + n)]) }
                var figure = ContourPlot(title: "\(title): \(f.program.source)", xAxis: Axis("x"), yAxis: Axis("y"), xRange: xRange, yRange: yRange,
                                         trajectories: runs.map { ContourPlot.Trajectory(name: label($0), points: $0.points) }, sampled: sampled)
                if let surface = surfaces.first(where: { $0.key == key }), s.text(key) == surface.expression {
                    figure.marks = [(x: surface.minimum.0, y: surface.minimum.1, name: "minimum \(NumberFormat.tuple([surface.minimum.0, surface.minimum.1]))")]
                }
                figures.append(LessonFigure("\(key)-trajectories", figure))
                blocks.append(.figure(try lesson.paper(figure), caption: "Every optimizer's path from the same start (circle) to where it is after \(steps) iterations (square)."))
            }
            if lesson.includes("loss-curves") {
                let figure = LinePlot(title: "\(title): f per iteration", xAxis: Axis("iteration"), yAxis: Axis("f(x, y)", scale: .log), series: runs.map { run in
                    LinePlot.Series(name: label(run), x: run.values.indices.map(Double.init), y: run.values)
                })
                figures.append(LessonFigure("\(key)-loss", figure))
                blocks.append(.figure(try lesson.paper(figure), caption: "f at each iterate, log scale (a run that diverged stops where its point left Double's range)."))
            }
            if lesson.includes("results") {
                blocks.append(.table(Report.Table(header: ["optimizer", "η (Rprop: Δ₀)", "ends at (x, y)", "f there", "first iteration with f < 10⁻³"], rows: runs.map { run in
                    let end = run.points.last ?? (x: .nan, y: .nan)
                    return [run.name, NumberFormat.display(run.rate), NumberFormat.tuple([end.x, end.y]),
                            run.divergedAt.map { "diverged at \($0)" } ?? NumberFormat.display(run.values.last ?? .nan),
                            run.first(below: threshold).map(String.init) ?? "—"]
                })))
            }
            if lesson.includes("first-steps") {
                blocks.append(.table(Report.Table(header: ["optimizer", "step", "gradient at the evaluation point", "state after", "new (x, y)"], rows: runs.flatMap { run in
                    run.updates.prefix(3).enumerated().map { k, update in
                        [k == 0 ? run.name : "", String(k + 1), NumberFormat.tuple(update.gradients["θ"]?.scalars ?? []), stateText(update.state),
                         NumberFormat.tuple(update.parameters["θ"]?.scalars ?? [])]
                    }
                })))
            }
            for run in runs {
                let end = run.points.last ?? (x: .nan, y: .nan)
                narration.append("  \(label(run)): ends at \(NumberFormat.tuple([end.x, end.y])), f = \(NumberFormat.display(run.values.last ?? .nan))"
                                 + (run.divergedAt.map { " (diverged at iteration \($0))" } ?? "")
                                 + (run.first(below: threshold).map { "; f < 10⁻³ from iteration \($0)" } ?? ""))
                if lesson.stepsInDetail {
                    steplist += iterationSteps(run, surface: key, steps: steps, offset: offset)
                    offset += steps
                }
                for (k, update) in run.updates.prefix(3).enumerated() where !lesson.stepsInDetail {
                    steplist.append(LessonStep(.update, "\(key), \(run.name), step \(k + 1): ∇f = \(NumberFormat.tuple(update.gradients["θ"]?.scalars ?? [])) → (x, y) = \(NumberFormat.tuple(update.parameters["θ"]?.scalars ?? []))",
                                               details: [stateText(update.state)]))
                }
                // The run in the trace: its start, each update's f and new (x, y), and the chosen updates as
                // the engine's graph of f at the optimizer's evaluation point, with ∂f/∂x and ∂f/∂y.
                var settings: NamedValues<TraceValue> = ["surface": .string(key), "function": .string(f.program.source), "optimizer": .string(run.name),
                                                         run.name == "rprop" ? "initial-step" : "learning-rate": .number(run.rate)]
                if run.name == "nesterov" || run.name == "momentum" { settings.append("mu", .number(mu)) }
                var recorder = lesson.recorder("\(key)-\(run.name)", settings: settings, initial: ["x": Tensor(start.0), "y": Tensor(start.1)], iterations: steps)
                if lesson.recordsSteps {
                    do {
                        recorder.run.steps = try Self.traceSteps(run, function: f, detailed: recorder.isDetailed)
                    } catch {
                        throw LessonError("could not record the \(key) steps: \(error)", key: key)
                    }
                }
                var runSummary: NamedValues<TraceValue> = ["x": .number(end.x), "y": .number(end.y), "f": .number(run.values.last ?? .nan)]
                if let at = run.divergedAt { runSummary.append("diverged-at", .integer(at)) }
                if let below = run.first(below: threshold) { runSummary.append("first-below-threshold", .integer(below)) }
                recorder.run.summary = runSummary
                traceRuns.append(recorder.run)
            }
            let best = runs.min { ($0.values.last ?? .infinity) < ($1.values.last ?? .infinity) }
            summary.append("\(title): " + runs.map { "\($0.name) f = \(NumberFormat.display($0.values.last ?? .nan))" }.joined(separator: ", ")
                           + (best.map { " (lowest: \($0.name))" } ?? ""))
        }
        if let text = lesson.narrative("summary") { blocks.append(.heading("What to take away")); blocks.append(.paragraph(text)) }
        let report = Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks)
        let trace = lesson.trace(runs: traceRuns, summary: ["threshold": .number(threshold)])
        return LessonResult(narration: narration, summary: summary, steps: steplist, report: report, figures: figures, trace: trace)
    }

    /// A run's updates as trace steps: the loss is f where the update started, params the new (x, y).
    /// In detail, the graph of f built by the engine at the optimizer's evaluation point (Nesterov's
    /// look-ahead, elsewhere the point itself), whose ∂f/∂x and ∂f/∂y are the gradient the update used.
    static func traceSteps(_ run: Run, function f: SurfaceFunction, detailed: (Int) -> Bool) throws -> [TraceStep] {
        try run.updates.enumerated().map { k, update in
            let theta = update.parameters["θ"]?.scalars ?? [.nan, .nan], gradient = update.gradients["θ"]?.scalars ?? [.nan, .nan]
            let params: NamedTensors = ["x": Tensor(theta[0]), "y": Tensor(theta[1])]
            guard detailed(k + 1) else { return TraceStep(step: k + 1, loss: run.values[k], nodes: nil, params: params) }
            let point = run.evaluatedAt[k]
            let g = Graph()
            let x = try g.parameter("x", Tensor(point[0])), y = try g.parameter("y", Tensor(point[1]))
            let value = try f.program.build(on: g, inputs: ["x": x, "y": y])
            let gradients = try g.backward(from: value)
            guard let dx = gradients[x.id]?.scalar, let dy = gradients[y.id]?.scalar,
                  dx.bitPattern == gradient[0].bitPattern, dy.bitPattern == gradient[1].bitPattern else {
                throw LessonError("the graph of f at \(NumberFormat.tuple(point)) gives another gradient than the update used")
            }
            return TraceStep(step: k + 1, graph: g, gradients: gradients, loss: run.values[k], params: params,
                             grads: ["x": Tensor(dx), "y": Tensor(dy)], optimizer: update.state)
        }
    }

    static func label(_ run: Run) -> String {
        "\(run.name) (\(Optimizers.named(run.name)?.rateSymbol ?? "η") = \(NumberFormat.display(run.rate)))"
    }

    /// An optimizer's state in one line: its scalars and its per-coordinate tensors.
    /// A run's updates as iterations `offset + 1`… for --step: in full (the point, f there, the gradient,
    /// the new point) for 1, 2, 10, 100, 1000, the middle and the last, else one line each.
    static func iterationSteps(_ run: Run, surface: String, steps: Int, offset: Int) -> [LessonStep] {
        let name = "\(surface), \(run.name)"
        let detailed = StepRecording.detailed(steps)
        var list: [LessonStep] = []
        for (k, update) in run.updates.enumerated() {
            let iteration = k + 1, place = StepRun(name, iteration: iteration, of: steps)
            let before = run.points[k], after = run.points[k + 1]
            let gradient = update.gradients["θ"] ?? Tensor(0), theta = update.parameters["θ"] ?? Tensor(0)
            let value = k < run.values.count ? run.values[k] : .nan
            let state = stateText(update.state)
            if detailed.contains(iteration) {
                let forward = "f(x, y) = \(NumberFormat.display(value)) at (x, y) = \(NumberFormat.tuple([before.x, before.y]))"
                list.append(LessonStep(.forward, forward).with(iteration: offset + iteration, detail: StepDetail(
                    formula: forward, values: [StepValue("(x, y)", Tensor(vector: [before.x, before.y]), .value), StepValue("f", Tensor(value), .value)])).with(run: place))
                let backward = "∇f = (∂f/∂x, ∂f/∂y) = \(NumberFormat.tuple(gradient.scalars))"
                list.append(LessonStep(.backward, backward).with(iteration: offset + iteration, detail: StepDetail(
                    formula: "∇f = (∂f/∂x, ∂f/∂y) at the optimizer's evaluation point", values: [StepValue("∇f", gradient, .gradient)])).with(run: place))
                let formula = "(x, y) ← \(run.name) step from (x, y) and ∇f, η = \(NumberFormat.display(run.rate))"
                list.append(LessonStep(.update, formula, details: [state]).with(iteration: offset + iteration, detail: StepDetail(
                    formula: formula, rule: state.isEmpty ? nil : state, values: [StepValue("(x, y)", theta, .value)])).with(run: place))
            } else {
                // The step's place names the run and the iteration (StepRun).
                let text = "f = \(NumberFormat.display(value)), ∇f = \(NumberFormat.tuple(gradient.scalars)) → (x, y) = \(NumberFormat.tuple([after.x, after.y]))"
                list.append(LessonStep(.update, text, details: [state]).with(iteration: offset + iteration, detail: StepDetail(
                    formula: text, rule: state.isEmpty ? nil : state, values: [StepValue("∇f", gradient, .gradient), StepValue("(x, y)", theta, .value)])).with(run: place))
            }
        }
        return list
    }

    static func stateText(_ state: TraceOptimizerState) -> String {
        let tensors = state.tensors.entries.filter { !$0.name.hasPrefix("previousGradient") }.map { "\($0.name.replacingOccurrences(of: ".θ", with: "")) = \(NumberFormat.tuple($0.value.scalars))" }
        let scalars = state.scalars.entries.filter { $0.name == "learning_rate" || $0.name == "mu" }.map { "\($0.name == "learning_rate" ? "η" : "μ") = \(NumberFormat.display($0.value))" }
        return (tensors + scalars).joined(separator: ", ")
    }

    /// A window around every finite point of the runs, padded by a tenth.
    static func fitted(_ runs: [Run]) -> (ClosedRange<Double>, ClosedRange<Double>) {
        let points = runs.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xs = points.map(\.x), ys = points.map(\.y)
        func padded(_ v: [Double]) -> ClosedRange<Double> { Interval.padded(v, fraction: 0.1, minimum: 0.5, empty: -1...1) }
        return (padded(xs), padded(ys))
    }
}
