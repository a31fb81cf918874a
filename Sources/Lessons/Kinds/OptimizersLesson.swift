import Foundation
import Render
import Sim

/// `kind: optimizers`: gradient descent, momentum, Nesterov, Adagrad, RMSProp, Adam and Rprop (notes 000,
/// 002 and 004) from the same start on two surfaces f(x, y), by default an ill-conditioned quadratic
/// ravine and the Rosenbrock function: a contour figure with every trajectory, the loss per iteration on
/// a log axis, the first steps in numbers, and where each one ends.
public enum OptimizersLesson: DeclaredLessonKind {
    public static let name = "optimizers"
    public static let description = "Seven optimizers from one start on a ravine and on the Rosenbrock function: trajectories, losses, first steps."

    /// The optimizers in the order of the figures and tables (Rprop's rate is its initial step Δ₀).
    static let optimizerNames = Optimizers.names

    /// Per surface (the ravine, Rosenbrock's function): the function, the start, the iterations, the
    /// contour figure's window and one rate per optimizer; and momentum's μ.
    public struct Settings: LessonSettingsDeclaration {
        @Setting("ravine", narrative: true, help: "the ravine surface: an expression of x and y (docs/expressions.md)")
        public var ravine: String = "f = 0.5*(x^2 + 100*y^2)"
        @Setting("ravine-x", help: "the start's x on the ravine")
        public var ravineX: Double = -9
        @Setting("ravine-y", help: "the start's y on the ravine")
        public var ravineY: Double = 1
        @Setting("ravine-steps", in: 1...100_000, help: "iterations on the ravine")
        public var ravineSteps: Int = 200
        @Setting("ravine-view", help: "the contour figure's window: xmin, xmax, ymin, ymax (fit: the window that holds every trajectory)")
        public var ravineView: String = "-10.5, 2.5, -1.5, 1.5"
        @Setting("ravine-gd", in: .positive, help: "gd's learning rate η on the ravine")
        public var ravineGD: Double = 0.018
        @Setting("ravine-momentum", in: .positive, help: "momentum's learning rate η on the ravine")
        public var ravineMomentum: Double = 0.018
        @Setting("ravine-nesterov", in: .positive, help: "nesterov's learning rate η on the ravine")
        public var ravineNesterov: Double = 0.01
        @Setting("ravine-adagrad", in: .positive, help: "adagrad's learning rate η on the ravine")
        public var ravineAdagrad: Double = 1
        @Setting("ravine-rmsprop", in: .positive, help: "rmsprop's learning rate η on the ravine")
        public var ravineRMSProp: Double = 0.05
        @Setting("ravine-adam", in: .positive, help: "adam's learning rate η on the ravine")
        public var ravineAdam: Double = 0.3
        @Setting("ravine-rprop", in: .positive, help: "Rprop's initial step Δ₀ on the ravine")
        public var ravineRprop: Double = 0.1
        @Setting("rosenbrock", narrative: true, help: "the rosenbrock surface: an expression of x and y (docs/expressions.md)")
        public var rosenbrock: String = "f = (1 - x)^2 + 100*(y - x^2)^2"
        @Setting("rosenbrock-x", help: "the start's x on the rosenbrock")
        public var rosenbrockX: Double = -1.5
        @Setting("rosenbrock-y", help: "the start's y on the rosenbrock")
        public var rosenbrockY: Double = 2
        @Setting("rosenbrock-steps", in: 1...100_000, help: "iterations on the rosenbrock")
        public var rosenbrockSteps: Int = 3000
        @Setting("rosenbrock-view", help: "the contour figure's window: xmin, xmax, ymin, ymax (fit: the window that holds every trajectory)")
        public var rosenbrockView: String = "-2, 2, -1, 3.25"
        @Setting("rosenbrock-gd", in: .positive, help: "gd's learning rate η on the rosenbrock")
        public var rosenbrockGD: Double = 0.001
        @Setting("rosenbrock-momentum", in: .positive, help: "momentum's learning rate η on the rosenbrock")
        public var rosenbrockMomentum: Double = 0.001
        @Setting("rosenbrock-nesterov", in: .positive, help: "nesterov's learning rate η on the rosenbrock")
        public var rosenbrockNesterov: Double = 0.001
        @Setting("rosenbrock-adagrad", in: .positive, help: "adagrad's learning rate η on the rosenbrock")
        public var rosenbrockAdagrad: Double = 1
        @Setting("rosenbrock-rmsprop", in: .positive, help: "rmsprop's learning rate η on the rosenbrock")
        public var rosenbrockRMSProp: Double = 0.003
        @Setting("rosenbrock-adam", in: .positive, help: "adam's learning rate η on the rosenbrock")
        public var rosenbrockAdam: Double = 0.05
        @Setting("rosenbrock-rprop", in: .positive, help: "Rprop's initial step Δ₀ on the rosenbrock")
        public var rosenbrockRprop: Double = 0.1
        @Setting("mu", in: 0...0.999, help: "momentum and Nesterov's μ")
        public var mu: Double = 0.9

        public init() {}

        /// The two surfaces as the run reads them.
        var surfaces: [Surface] {
            let defaults = Settings()
            return [
                Surface(section: .ravine, title: "A ravine", function: ravine, functionSetting: $ravine, start: (ravineX, ravineY), steps: ravineSteps,
                        view: ravineView, viewSetting: $ravineView, rates: [(.gd, ravineGD), (.momentum, ravineMomentum), (.nesterov, ravineNesterov), (.adagrad, ravineAdagrad), (.rmsprop, ravineRMSProp), (.adam, ravineAdam), (.rprop, ravineRprop)],
                        minimum: ravine == defaults.ravine ? (0, 0) : nil),
                Surface(section: .rosenbrock, title: "The Rosenbrock function", function: rosenbrock, functionSetting: $rosenbrock, start: (rosenbrockX, rosenbrockY),
                        steps: rosenbrockSteps, view: rosenbrockView, viewSetting: $rosenbrockView, rates: [(.gd, rosenbrockGD), (.momentum, rosenbrockMomentum), (.nesterov, rosenbrockNesterov), (.adagrad, rosenbrockAdagrad), (.rmsprop, rosenbrockRMSProp), (.adam, rosenbrockAdam), (.rprop, rosenbrockRprop)],
                        minimum: rosenbrock == defaults.rosenbrock ? (1, 1) : nil),
            ]
        }
    }

    /// One surface's settings together.
    struct Surface {
        /// Its narrative section, whose name is the surface's (`ravine`) in settings and the trace too.
        let section: Section
        let title: String
        let function: String
        let functionSetting: LessonSetting
        let start: (Double, Double)
        let steps: Int
        let view: String
        let viewSetting: LessonSetting
        let rates: [(kind: OptimizerKind, rate: Double)]
        /// The default surface's minimum, marked on its figure (a surface of the user's has none marked).
        let minimum: (Double, Double)?

        var key: String { section.rawValue }
    }

    public enum Section: String, LessonSection {
        case intro, ravine, rosenbrock, summary
    }

    public enum Item: String, LessonReportItem {
        case trajectories
        case lossCurves = "loss-curves"
        case results
        case firstSteps = "first-steps"

        public var meaning: String {
            switch self {
            case .trajectories: "per surface, the contour figure with every optimizer's path"
            case .lossCurves: "per surface, f per iteration for every optimizer, log scale"
            case .results: "per surface, where each optimizer ends and when f first falls below 10⁻³"
            case .firstSteps: "per surface, each optimizer's first three steps: gradient, state, new point"
            }
        }
    }

    public static func check(_ settings: Settings) throws(LessonError) {
        for surface in settings.surfaces {
            do {
                _ = try SurfaceFunction(surface.function, key: surface.functionSetting.name)
                _ = try view(surface.view, key: surface.viewSetting.name)
            } catch {
                throw LessonError(error.message, key: "settings.\(error.key ?? surface.key)")
            }
        }
    }

    /// "xmin, xmax, ymin, ymax", or nil for an empty text.
    /// The window a view setting gives, or nil for `fit` (the window that holds every path): a setting's
    /// value may not be empty, so the word stands for "no window given".
    static func view(_ text: String, key: String) throws(LessonError) -> (ClosedRange<Double>, ClosedRange<Double>)? {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.isEmpty || parts == ["fit"] { return nil }
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
            let points = try active.map { i throws(LessonError) in try states[i].evaluationPoint(for: thetas[i]).required("θ", in: "the optimizer's evaluation point").scalars }
            let evaluated = try f.evaluate(points.map { $0[0] }, points.map { $0[1] })
            for (k, i) in active.enumerated() {
                let update = states[i].step(thetas[i], gradients: NamedTensors([("θ", Tensor(vector: [evaluated.dx[k], evaluated.dy[k]]))]))
                // A missing θ is an error; a θ that left Double's range is divergence.
                let next = try update.parameters.required("θ", in: "the update's parameters").scalars
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
    public static func estimate(_ s: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let steps = Double(s.ravineSteps + s.rosenbrockSteps)
        var bytes = steps * 15_000
        if recordsSteps { bytes += LessonBudget.trace(steps: Double(optimizerNames.count) * steps, nodes: 3, numbers: 12) }
        return LessonEstimate(bytes: bytes, settings: [s.$ravineSteps, s.$rosenbrockSteps])
    }

    /// One surface's run: every optimizer from the same start, and f on the contour figure's grid.
    struct SurfaceRun {
        let surface: Surface
        let f: SurfaceFunction
        let runs: [Run]
        /// The contour figure's window and f sampled on its 120 × 120 grid, when the report draws it.
        let contour: (x: ClosedRange<Double>, y: ClosedRange<Double>, sampled: [[Double]])?
        /// f on a 60 × 60 grid of the same window, for the panels: a seventh of the page each, where 120
        /// points a side drew 7 times the level lines of the overlay and doubled the lesson's time.
        var panelSampled: [[Double]]?
    }

    /// The run's numbers: per surface, every optimizer's points, updates and values.
    public struct Outcome {
        let surfaces: [SurfaceRun]
    }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        var results: [SurfaceRun] = []
        for surface in s.surfaces {
            let key = surface.key
            let f = try SurfaceFunction(surface.function, key: surface.functionSetting.name)
            let chosen = surface.rates.map { kind, rate in
                (name: kind.name, rate: rate, optimizer: TrainingChoices.optimizer(kind, rate: rate, mu: s.mu))
            }
            let runs: [Run]
            do {
                runs = try descend(f, from: surface.start, optimizers: chosen, steps: surface.steps)
            } catch {
                throw LessonError("could not evaluate the \(key) function: \(error)", key: key)
            }
            var contour: (x: ClosedRange<Double>, y: ClosedRange<Double>, sampled: [[Double]])?
            var panelSampled: [[Double]]?
            if lesson.includes(.trajectories) {
                let (xRange, yRange) = try view(surface.view, key: surface.viewSetting.name) ?? fitted(runs)
                do {
                    contour = (xRange, yRange, try f.sampled(xRange, yRange))
                    panelSampled = try f.sampled(xRange, yRange, n: 60)
                } catch {
                    throw LessonError("could not evaluate the \(key) function on the figure's grid: \(error)", key: key)
                }
            }
            results.append(SurfaceRun(surface: surface, f: f, runs: runs, contour: contour, panelSampled: panelSampled))
        }
        return Outcome(surfaces: results)
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let summary = outcome.surfaces.map { result in
            let best = result.runs.min { ($0.values.last ?? .infinity) < ($1.values.last ?? .infinity) }
            return "\(result.surface.title): " + result.runs.map { "\($0.name) f = \(NumberFormat.display($0.values.last ?? .nan))" }.joined(separator: ", ")
                + (best.map { " (lowest: \($0.name))" } ?? "")
        }
        let (report, figures) = try report(outcome, in: lesson)
        return LessonResult(narration: narration(outcome, in: lesson), summary: summary, steps: try steps(outcome, in: lesson), report: report,
                            figures: figures, trace: try trace(outcome, in: lesson))
    }

    /// The report's blocks and the figures written beside it, surface by surface.
    static func report(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> (Report, [LessonFigure]) {
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }
        for result in outcome.surfaces {
            let (surface, f, runs) = (result.surface, result.f, result.runs)
            let (key, title, start, steps) = (surface.key, surface.title, surface.start, surface.steps)
            blocks.append(.heading(title))
            if let text = lesson.narrative(surface.section) { blocks.append(.paragraph(text)) }
            blocks.append(.formula("\(f.program.source),   start (x, y) = \(NumberFormat.tuple([start.0, start.1])),   \(steps) iterations,   μ = \(NumberFormat.display(lesson.settings.mu))"))
            if lesson.includes(.trajectories), let contour = result.contour {
                var figure = contourFigure(title: title, f: f, contour: contour, minimum: surface.minimum,
                                           trajectories: runs.map { ContourPlot.Trajectory(name: label($0), points: $0.points, marksExit: true) })
                // Traced once, for the slide and the report's layout alike.
                figure.levelLines = figure.lines()
                figures.append(LessonFigure("\(key)-trajectories", figure))
                let leaving = windowExits(runs, x: contour.x, y: contour.y)
                blocks.append(.figure(try lesson.paper(figure), caption: "Every optimizer's path from the same start (circle) to where it is after \(steps) iterations (square)."
                                      + leaving))
                let panels = panelFigure(title: title, f: f, contour: (contour.x, contour.y, result.panelSampled ?? contour.sampled), minimum: surface.minimum, runs: runs)
                figures.append(LessonFigure("\(key)-panels", panels))
                blocks.append(.figure(try lesson.paper(panels), caption: "The same paths, one optimizer per panel on the same window, so that none hides another"
                                      + (surface.minimum == nil ? "." : "; the star is the minimum.") + leaving))
            }
            if lesson.includes(.lossCurves) {
                let figure = LinePlot(title: "\(title): f per iteration", xAxis: Axis("iteration"), yAxis: Axis("f(x, y)", scale: .log), series: runs.map { run in
                    LinePlot.Series(name: label(run), x: run.values.indices.map(Double.init), y: run.values)
                })
                figures.append(LessonFigure("\(key)-loss", figure))
                blocks.append(.figure(try lesson.paper(figure), caption: "f at each iterate, log scale (a run that diverged stops where its point left Double's range)."))
            }
            if lesson.includes(.results) {
                blocks.append(.table(Report.Table(header: ["optimizer", "η (Rprop: Δ₀)", "ends at (x, y)", "f there", "first iteration with f < 10⁻³"], rows: runs.map { run in
                    let end = run.points.last ?? (x: .nan, y: .nan)
                    return [run.name, NumberFormat.display(run.rate), NumberFormat.tuple([end.x, end.y]),
                            run.divergedAt.map { "diverged at \($0)" } ?? NumberFormat.display(run.values.last ?? .nan),
                            run.first(below: threshold).map(String.init) ?? "—"]
                })))
            }
            blocks.append(.paragraph("In this run: " + findings(result).sentences.joined(separator: " ")))
            if lesson.includes(.firstSteps) {
                blocks.append(.table(Report.Table(header: ["optimizer", "step", "gradient at the evaluation point", "state after", "new (x, y)"], rows: runs.flatMap { run in
                    run.updates.prefix(3).enumerated().map { k, update in
                        [k == 0 ? run.name : "", String(k + 1), NumberFormat.tuple(update.gradients["θ"]?.scalars ?? []), stateText(update.state),
                         NumberFormat.tuple(update.parameters["θ"]?.scalars ?? [])]
                    }
                })))
            }
        }
        if let text = lesson.narrative(.summary) { blocks.append(.heading("What to take away")); blocks.append(.paragraph(text)) }
        return (Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks), figures)
    }

    /// Where each path first leaves the window (its first iterate outside) and the first iterate inside
    /// again after that, if any; in order of the runs, only those that leave.
    static func exits(_ runs: [Run], x: ClosedRange<Double>, y: ClosedRange<Double>) -> [(name: String, leaves: Int, returns: Int?)] {
        runs.compactMap { run in
            let inside = run.points.map { x.contains($0.x) && y.contains($0.y) }
            guard let leaves = inside.firstIndex(of: false) else { return nil }
            return (run.name, leaves, inside[leaves...].firstIndex(of: true))
        }
    }

    /// The captions' words on the paths that leave the window (the figures clip them at its frame, with an
    /// arrowhead where they leave), or "" when every path stays inside.
    static func windowExits(_ runs: [Run], x: ClosedRange<Double>, y: ClosedRange<Double>) -> String {
        exits(runs, x: x, y: y).map { exit in
            " \(exit.name)'s path leaves the window at iteration \(exit.leaves) (the outlined arrowhead on the frame)"
                + (exit.returns.map { " and is back inside from iteration \($0)." } ?? " and does not come back.")
        }.joined()
    }

    /// The contour of f over the window with each path, and the minimum marked where it is known.
    static func contourFigure(title: String, f: SurfaceFunction, contour: (x: ClosedRange<Double>, y: ClosedRange<Double>, sampled: [[Double]]),
                              minimum: (Double, Double)?, trajectories: [ContourPlot.Trajectory]) -> ContourPlot {
        var figure = ContourPlot(title: "\(title): \(f.program.source)", xAxis: Axis("x"), yAxis: Axis("y"), xRange: contour.x, yRange: contour.y,
                                 trajectories: trajectories, sampled: contour.sampled)
        if let minimum {
            figure.marks = [(x: minimum.0, y: minimum.1, name: "minimum \(NumberFormat.tuple([minimum.0, minimum.1]))")]
        }
        return figure
    }

    /// Small multiples: the contour of f over the window in one panel per optimizer, each with its path in
    /// the colour it has among all of them, the common start and the minimum where it is known.
    static func panelFigure(title: String, f: SurfaceFunction, contour: (x: ClosedRange<Double>, y: ClosedRange<Double>, sampled: [[Double]]),
                            minimum: (Double, Double)?, runs: [Run]) -> PanelGrid {
        var plots = runs.enumerated().map { i, run in
            var plot = contourFigure(title: title, f: f, contour: contour, minimum: minimum,
                                     trajectories: [ContourPlot.Trajectory(name: label(run), points: run.points, style: i, marksExit: true)])
            plot.title = label(run)
            plot.levelLabels = false
            return plot
        }
        // One grid and one set of levels for every panel: their level lines are traced once.
        let lines = plots.first?.lines()
        for i in plots.indices { plots[i].levelLines = lines }
        let panels = plots.map(PanelGrid.Panel.init)
        return PanelGrid(title: "\(title): one optimizer per panel", panels: panels)
    }

    /// What the terminal prints: per surface, where each optimizer ends.
    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        var narration = lesson.introduction
        if let text = lesson.narrative(.intro) { narration.append(text) }
        for result in outcome.surfaces {
            let (surface, start) = (result.surface, result.surface.start)
            narration.append("")
            narration.append("\(surface.title): \(result.f.program.source) from \(NumberFormat.tuple([start.0, start.1])), \(surface.steps) iterations")
            for run in result.runs {
                let end = run.points.last ?? (x: .nan, y: .nan)
                narration.append("  \(label(run)): ends at \(NumberFormat.tuple([end.x, end.y])), f = \(NumberFormat.display(run.values.last ?? .nan))"
                                 + (run.divergedAt.map { " (diverged at iteration \($0))" } ?? "")
                                 + (run.first(below: threshold).map { "; f < 10⁻³ from iteration \($0)" } ?? ""))
            }
            narration.append(contentsOf: findings(result).sentences.map { "  " + $0 })
        }
        return narration
    }

    /// With --step each optimizer on each surface is a run, its updates the iterations, numbered on from
    /// the runs before it (the ravine's first optimizer 1…steps, its second steps+1…, …); else each
    /// optimizer's first three steps.
    static func steps(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> [LessonStep] {
        var steplist: [LessonStep] = []
        var offset = 0
        for result in outcome.surfaces {
            let (key, steps) = (result.surface.key, result.surface.steps)
            for run in result.runs {
                if lesson.stepsInDetail {
                    steplist += try iterationSteps(run, surface: key, steps: steps, offset: offset)
                    offset += steps
                }
                for (k, update) in run.updates.prefix(3).enumerated() where !lesson.stepsInDetail {
                    steplist.append(LessonStep(.update, "\(key), \(run.name), step \(k + 1): ∇f = \(NumberFormat.tuple(update.gradients["θ"]?.scalars ?? [])) → (x, y) = \(NumberFormat.tuple(update.parameters["θ"]?.scalars ?? []))",
                                               details: [stateText(update.state)]))
                }
            }
        }
        return steplist
    }

    /// Each optimizer on each surface as a run: its start, each update's f and new (x, y), and the chosen
    /// updates as the engine's graph of f at the optimizer's evaluation point, with ∂f/∂x and ∂f/∂y.
    static func trace(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> Trace {
        let mu = lesson.settings.mu
        var traceRuns: [TraceRun] = []
        for result in outcome.surfaces {
            let (key, f, start, steps) = (result.surface.key, result.f, result.surface.start, result.surface.steps)
            for run in result.runs {
                let end = run.points.last ?? (x: .nan, y: .nan)
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
        }
        return lesson.trace(runs: traceRuns, summary: ["threshold": .number(threshold)])
    }

    /// A run's updates as trace steps: the loss is f where the update started, params the new (x, y).
    /// In detail, the graph of f built by the engine at the optimizer's evaluation point (Nesterov's
    /// look-ahead, elsewhere the point itself), whose ∂f/∂x and ∂f/∂y are the gradient the update used.
    static func traceSteps(_ run: Run, function f: SurfaceFunction, detailed: (Int) -> Bool) throws -> [TraceStep] {
        try run.updates.enumerated().map { k, update in
            let theta = try update.parameters.required("θ", in: "the update's parameters").scalars
            let gradient = try update.gradients.required("θ", in: "the update's gradients").scalars
            let params: NamedTensors = ["x": Tensor(theta[0]), "y": Tensor(theta[1])]
            guard detailed(k + 1) else { return TraceStep(step: k + 1, loss: run.values[k], nodes: nil, params: params) }
            return try graphStep(k + 1, function: f, at: run.evaluatedAt[k], gradient: gradient, loss: run.values[k], params: params, optimizer: update.state)
        }
    }

    /// A detailed trace step: the engine's graph of f at `point`, whose ∂f/∂x and ∂f/∂y must be the
    /// `gradient` the update used (else an error), with the update's loss, new parameters and state.
    static func graphStep(_ step: Int, function f: SurfaceFunction, at point: [Double], gradient: [Double], loss: Double, params: NamedTensors,
                          optimizer: TraceOptimizerState) throws -> TraceStep {
        let g = Graph()
        let x = try g.parameter("x", Tensor(point[0])), y = try g.parameter("y", Tensor(point[1]))
        let value = try f.program.build(on: g, inputs: ["x": x, "y": y])
        let gradients = try g.backward(from: value)
        guard let dx = gradients[x.id]?.scalar, let dy = gradients[y.id]?.scalar,
              dx.bitPattern == gradient[0].bitPattern, dy.bitPattern == gradient[1].bitPattern else {
            throw LessonError("the graph of f at \(NumberFormat.tuple(point)) gives another gradient than the update used")
        }
        return TraceStep(step: step, graph: g, gradients: gradients, loss: loss, params: params, grads: ["x": Tensor(dx), "y": Tensor(dy)], optimizer: optimizer)
    }

    static func label(_ run: Run) -> String {
        "\(run.name) (\(Optimizers.named(run.name)?.rateSymbol ?? "η") = \(NumberFormat.display(run.rate)))"
    }

    /// An optimizer's state in one line: its scalars and its per-coordinate tensors.
    /// A run's updates as iterations `offset + 1`… for --step: in full (the point, f there, the gradient,
    /// the new point) for 1, 2, 10, 100, 1000, the middle and the last, else one line each.
    static func iterationSteps(_ run: Run, surface: String, steps: Int, offset: Int) throws(LessonError) -> [LessonStep] {
        let name = "\(surface), \(run.name)"
        let detailed = StepRecording.detailed(steps)
        var list: [LessonStep] = []
        for (k, update) in run.updates.enumerated() {
            let iteration = k + 1, place = StepRun(name, iteration: iteration, of: steps)
            let before = run.points[k], after = run.points[k + 1]
            let gradient = try update.gradients.required("θ", in: "the update's gradients"), theta = try update.parameters.required("θ", in: "the update's parameters")
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
        let tensors = state.tensors.entries.filter { !$0.name.hasPrefix("previousGradient") }.map { "\(Optimizers.symbol(ofState: $0.name.replacingOccurrences(of: ".θ", with: ""))) = \(NumberFormat.tuple($0.value.scalars))" }
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
