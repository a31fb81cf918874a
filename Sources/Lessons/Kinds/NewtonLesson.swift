import Foundation
import Render
import Sim

/// `kind: newton`: Newton's method θ ← θ − η H⁻¹∇f (note 002, "second order methods") beside gradient
/// descent on the optimizers lesson's two surfaces, a ravine ½(x² + κy²) and Rosenbrock's function
/// (a − x)² + b(y − x²)²: both paths on the contour, f per iteration, and the Hessian at each shown step,
/// with its eigenvalues and what the step does where H is not positive definite.
///
/// Newton is not in the optimizer registry (Sources/Sim/Optimizers): every optimizer there sees only the
/// gradient the engine's backward pass gives, and is used to train networks, whose Hessian is p × p for p
/// parameters (note 004: "we want the benefits of 2nd order in O(p) time"). Newton needs second
/// derivatives, which the engine does not compute, so the lesson gives each surface's Hessian in closed
/// form (tested against central differences of the engine's gradient) and keeps the step here.
public enum NewtonLesson: DeclaredLessonKind {
    public static let name = "newton"
    public static let description = "Newton's method beside gradient descent on a ravine and on the Rosenbrock function: paths, losses, the Hessian at each step."

    public struct Settings: LessonSettingsDeclaration {
        @Setting("ravine-curvature", in: .positive, help: "κ in the ravine f = ½(x² + κy²), whose Hessian is diag(1, κ)")
        public var ravineCurvature: Double = 100
        @Setting("ravine-x", help: "the start's x on the ravine")
        public var ravineX: Double = -9
        @Setting("ravine-y", help: "the start's y on the ravine")
        public var ravineY: Double = 1
        @Setting("ravine-steps", in: 1...100_000, help: "iterations on the ravine (Newton stops earlier once a step no longer moves (x, y))")
        public var ravineSteps: Int = 200
        @Setting("ravine-gd", in: .positive, help: "gradient descent's learning rate η on the ravine")
        public var ravineGD: Double = 0.018
        @Setting("ravine-view", help: "the contour figure's window: xmin, xmax, ymin, ymax")
        public var ravineView: String = "-10, 1.5, -3, 1.5"
        @Setting("rosenbrock-a", help: "a in Rosenbrock's f = (a − x)² + b(y − x²)², whose minimum is (a, a²)")
        public var rosenbrockA: Double = 1
        @Setting("rosenbrock-b", in: .positive, help: "b in Rosenbrock's f = (a − x)² + b(y − x²)²")
        public var rosenbrockB: Double = 100
        @Setting("rosenbrock-x", help: "the start's x on Rosenbrock's function")
        public var rosenbrockX: Double = -1.5
        @Setting("rosenbrock-y", help: "the start's y on Rosenbrock's function")
        public var rosenbrockY: Double = 2
        @Setting("rosenbrock-steps", in: 1...100_000, help: "iterations on Rosenbrock's function (Newton stops earlier once a step no longer moves (x, y))")
        public var rosenbrockSteps: Int = 3000
        @Setting("rosenbrock-gd", in: .positive, help: "gradient descent's learning rate η on Rosenbrock's function")
        public var rosenbrockGD: Double = 0.001
        @Setting("rosenbrock-view", help: "the contour figure's window: xmin, xmax, ymin, ymax")
        public var rosenbrockView: String = "-2, 1.5, -3, 2.5"
        @Setting("newton-rate", in: .positive, help: "η in Newton's θ ← θ − η H⁻¹∇f (1 in note 002; below 1 a damped step)")
        public var newtonRate: Double = 1
        @Setting("min-eigenvalue", in: 0...1e12, help: "δ: where H's smallest eigenvalue is below δ, Newton uses H + (δ − λmin)I (0: the notes' step with H as it is)")
        public var minEigenvalue: Double = 0
        @Setting("shown-steps", in: 1...100, help: "Newton's steps shown with their Hessian in the report, per surface")
        public var shownSteps: Int = 8

        public init() {}

        var surfaces: [Surface] {
            let (k, a, b) = (ravineCurvature, rosenbrockA, rosenbrockB)
            let (kText, aText, bText) = (NumberFormat.plain(k), NumberFormat.plain(a), NumberFormat.plain(b))
            return [
                Surface(section: .ravine, title: "A ravine", function: "f = 0.5*(x^2 + \(kText)*y^2)", functionSetting: $ravineCurvature,
                        hessian: { _, _ in [[1, 0], [0, k]] }, hessianText: "H = diag(1, κ) = diag(1, \(kText)) everywhere",
                        minimum: (0, 0), start: (ravineX, ravineY), steps: ravineSteps, rate: ravineGD, rateSetting: $ravineGD,
                        view: ravineView, viewSetting: $ravineView),
                Surface(section: .rosenbrock, title: "The Rosenbrock function", function: "f = (\(aText) - x)^2 + \(bText)*(y - x^2)^2", functionSetting: $rosenbrockA,
                        hessian: { x, y in [[2 - 4 * b * y + 12 * b * x * x, -4 * b * x], [-4 * b * x, 2 * b]] },
                        hessianText: "H = [[2 − 4by + 12bx², −4bx], [−4bx, 2b]] with a = \(aText), b = \(bText)",
                        minimum: (a, a * a), start: (rosenbrockX, rosenbrockY), steps: rosenbrockSteps, rate: rosenbrockGD, rateSetting: $rosenbrockGD,
                        view: rosenbrockView, viewSetting: $rosenbrockView),
            ]
        }
    }

    /// One surface: f as an expression (its value and gradient come from the engine), its Hessian in
    /// closed form, its minimum, and the run's start, iterations, gradient descent's rate and window.
    struct Surface: Sendable {
        let section: Section
        let title: String
        let function: String
        let functionSetting: LessonSetting
        let hessian: @Sendable (Double, Double) -> [[Double]]
        let hessianText: String
        let minimum: (Double, Double)
        let start: (Double, Double)
        let steps: Int
        let rate: Double
        let rateSetting: LessonSetting
        let view: String
        let viewSetting: LessonSetting

        var key: String { section.rawValue }
    }

    /// The optimizers lesson's sections: the introduction, one per surface, the summary.
    public typealias Section = OptimizersLesson.Section

    public enum Item: String, LessonReportItem {
        case trajectories
        case lossCurves = "loss-curves"
        case hessians
        case results

        public var meaning: String {
            switch self {
            case .trajectories: "per surface, the contour figure with gradient descent's and Newton's paths"
            case .lossCurves: "per surface, f per iteration for both methods, log scale"
            case .hessians: "per surface, Newton's first steps: (x, y), ∇f, the Hessian H, its eigenvalues, the step and the new point"
            case .results: "per surface, where each method ends, how many steps it took and when f first falls below 10⁻³"
            }
        }
    }

    public static func check(_ settings: Settings) throws(LessonError) {
        for surface in settings.surfaces {
            _ = try SurfaceFunction(surface.function, key: surface.functionSetting.name)
            _ = try OptimizersLesson.view(surface.view, key: surface.viewSetting.name)
        }
    }

    /// Like the optimizers lesson: about 15 kB per iteration of gradient descent in its run and figures.
    public static func estimate(_ s: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        let steps = Double(s.ravineSteps + s.rosenbrockSteps)
        var bytes = steps * 5_000
        if recordsSteps { bytes += LessonBudget.trace(steps: 2 * steps, nodes: 3, numbers: 12) }
        return LessonEstimate(bytes: bytes, settings: [s.$ravineSteps, s.$rosenbrockSteps])
    }

    /// One Newton step: where it starts, f and ∇f there, the Hessian, its eigenvalues, the shift added to
    /// it, the direction d = −(H + shift·I)⁻¹∇f and where θ + ηd lands.
    struct NewtonStep {
        let point: [Double]
        let value: Double
        let gradient: [Double]
        let hessian: [[Double]]
        /// H's eigenvalues, smallest first.
        let eigenvalues: [Double]
        let shift: Double
        let direction: [Double]
        let next: [Double]

        var isPositiveDefinite: Bool { eigenvalues[0] > 0 }
        /// Whether d points downhill: d·∇f < 0.
        var descends: Bool { direction[0] * gradient[0] + direction[1] * gradient[1] < 0 }
    }

    /// Why Newton's run ended before its last iteration.
    enum Stop: Equatable {
        /// Step k left (x, y) where it was: the gradient is 0 or the step is below rounding.
        case converged(Int)
        /// At step k the matrix to invert was singular.
        case singular(Int)
        /// Step k left Double's range.
        case diverged(Int)
    }

    struct NewtonRun {
        var points: [(x: Double, y: Double)]
        var steps: [NewtonStep] = []
        var values: [Double] = []
        var stop: Stop?

        func first(below threshold: Double) -> Int? { values.firstIndex { $0 < threshold } }
        /// The steps (1-based) after which f was higher than before.
        var rises: [Int] { values.indices.dropFirst().filter { values[$0] > values[$0 - 1] } }
    }

    /// The eigenvalues of a symmetric 2 × 2 matrix, smallest first.
    static func eigenvalues(_ h: [[Double]]) -> [Double] {
        let mean = (h[0][0] + h[1][1]) / 2, half = (h[0][0] - h[1][1]) / 2
        let radius = (half * half + h[0][1] * h[1][0]).squareRoot()
        return [mean - radius, mean + radius]
    }

    /// Newton from the surface's start: at each point the engine's f and ∇f, the closed-form Hessian,
    /// shifted by (δ − λmin)I where its smallest eigenvalue λmin is below δ > 0, and θ ← θ + η d with
    /// d = −H⁻¹∇f solved by Cramer's rule. Stops when a step no longer moves θ, H is singular, or θ leaves
    /// Double's range.
    static func newton(_ f: SurfaceFunction, _ surface: Surface, rate: Double, minEigenvalue delta: Double) throws -> NewtonRun {
        var run = NewtonRun(points: [(x: surface.start.0, y: surface.start.1)])
        var theta = [surface.start.0, surface.start.1]
        for k in 1...surface.steps {
            let evaluated = try f.evaluate([theta[0]], [theta[1]])
            let g = [evaluated.dx[0], evaluated.dy[0]]
            let h = surface.hessian(theta[0], theta[1])
            let lambda = eigenvalues(h)
            let shift = delta > 0 && lambda[0] < delta ? delta - lambda[0] : 0
            let (a, b, c, d) = (h[0][0] + shift, h[0][1], h[1][0], h[1][1] + shift)
            let det = a * d - b * c
            guard det != 0, det.isFinite else {
                run.stop = .singular(k)
                break
            }
            let direction = [-(d * g[0] - b * g[1]) / det, -(a * g[1] - c * g[0]) / det]
            let next = [theta[0] + rate * direction[0], theta[1] + rate * direction[1]]
            guard next.allSatisfy(\.isFinite) else {
                run.stop = .diverged(k)
                break
            }
            run.steps.append(NewtonStep(point: theta, value: evaluated.values[0], gradient: g, hessian: h, eigenvalues: lambda, shift: shift,
                                        direction: direction, next: next))
            run.points.append((x: next[0], y: next[1]))
            if next == theta {
                run.stop = .converged(k)
                break
            }
            theta = next
        }
        run.values = try f.values(run.points.map(\.x), run.points.map(\.y))
        return run
    }

    struct SurfaceRun {
        let surface: Surface
        let f: SurfaceFunction
        let gd: OptimizersLesson.Run
        let newton: NewtonRun
        let contour: (x: ClosedRange<Double>, y: ClosedRange<Double>, sampled: [[Double]])?
    }

    public struct Outcome {
        let surfaces: [SurfaceRun]
    }

    static let threshold = OptimizersLesson.threshold

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        var results: [SurfaceRun] = []
        for surface in s.surfaces {
            let key = surface.key
            let f = try SurfaceFunction(surface.function, key: surface.functionSetting.name)
            let gd: OptimizersLesson.Run, newton: NewtonRun
            do {
                let chosen = [(name: "gd", rate: surface.rate, optimizer: TrainingChoices.optimizer(.gd, rate: surface.rate, mu: 0))]
                gd = try OptimizersLesson.descend(f, from: surface.start, optimizers: chosen, steps: surface.steps)[0]
                newton = try Self.newton(f, surface, rate: s.newtonRate, minEigenvalue: s.minEigenvalue)
            } catch {
                throw LessonError("could not evaluate the \(key) function: \(error)", key: key)
            }
            var contour: (x: ClosedRange<Double>, y: ClosedRange<Double>, sampled: [[Double]])?
            if lesson.includes(.trajectories) {
                let asRun = OptimizersLesson.Run(name: "newton", rate: s.newtonRate, points: newton.points)
                let (xRange, yRange) = try OptimizersLesson.view(surface.view, key: surface.viewSetting.name) ?? OptimizersLesson.fitted([gd, asRun])
                do {
                    contour = (xRange, yRange, try f.sampled(xRange, yRange))
                } catch {
                    throw LessonError("could not evaluate the \(key) function on the figure's grid: \(error)", key: key)
                }
            }
            results.append(SurfaceRun(surface: surface, f: f, gd: gd, newton: newton, contour: contour))
        }
        return Outcome(surfaces: results)
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let summary = outcome.surfaces.map { result in
            "\(result.surface.title): gradient descent f = \(NumberFormat.display(result.gd.values.last ?? .nan)) after \(result.gd.updates.count) steps, "
                + "Newton f = \(NumberFormat.display(result.newton.values.last ?? .nan)) after \(result.newton.steps.count)"
        }
        let (report, figures) = try report(outcome, in: lesson)
        return LessonResult(narration: narration(outcome, in: lesson), summary: summary, steps: try steps(outcome, in: lesson), report: report,
                            figures: figures, trace: try trace(outcome, in: lesson))
    }

    // MARK: sentences computed from the run

    static func gdLabel(_ rate: Double) -> String { "gradient descent (η = \(NumberFormat.display(rate)))" }
    static func newtonLabel(_ lesson: Lesson<Self>) -> String {
        let s = lesson.settings
        return "Newton (η = \(NumberFormat.display(s.newtonRate))" + (s.minEigenvalue > 0 ? ", δ = \(NumberFormat.display(s.minEigenvalue)))" : ")")
    }

    /// What the run shows, sentence by sentence, for this surface and these settings.
    static func findings(_ result: SurfaceRun, in lesson: Lesson<Self>) -> [String] {
        let (gd, newton, surface) = (result.gd, result.newton, result.surface)
        let threshold = "10⁻³"
        var lines: [String] = []
        if let at = gd.divergedAt {
            lines.append("Gradient descent diverged at iteration \(at): its point left Double's range.")
        } else if let k = gd.first(below: Self.threshold) {
            lines.append("Gradient descent first has f < \(threshold) at iteration \(k) and ends at f = \(NumberFormat.display(gd.values.last ?? .nan)) after \(gd.updates.count).")
        } else {
            lines.append("Gradient descent does not reach f < \(threshold) in \(gd.updates.count) iterations; it ends at f = \(NumberFormat.display(gd.values.last ?? .nan)).")
        }
        var sentence: String
        switch newton.stop {
        case .converged(let k): sentence = "Newton's step \(k) no longer moved (x, y), so it stopped there, at \(NumberFormat.tuple(newton.points.last.map { [$0.x, $0.y] } ?? []))"
        case .singular(let k): sentence = "At Newton's step \(k) the matrix to invert was singular or its determinant beyond Double's range, so it stopped after \(k - 1) steps"
        case .diverged(let k): sentence = "Newton's step \(k) left Double's range, so it stopped after \(k - 1) steps"
        case nil: sentence = "Newton ran all \(newton.steps.count) steps"
        }
        sentence += ", with f = \(NumberFormat.display(newton.values.last ?? .nan))"
        if let k = newton.first(below: Self.threshold) { sentence += "; f < \(threshold) from step \(k)" }
        lines.append(sentence + ".")
        let minimum = [surface.minimum.0, surface.minimum.1]
        if let k = newton.points.firstIndex(where: { $0.x == minimum[0] && $0.y == minimum[1] }) {
            lines.append("Newton lands exactly on the minimum \(NumberFormat.tuple(minimum)) at step \(k).")
        }
        let indefinite = newton.steps.indices.filter { !newton.steps[$0].isPositiveDefinite }.map { $0 + 1 }
        if newton.steps.isEmpty {
            // Nothing to say about H at points Newton did not step from.
        } else if indefinite.isEmpty {
            lines.append("H is positive definite at every point Newton visits, so every Newton direction points downhill (d·∇f < 0), though a whole step along it may overshoot.")
        } else {
            let shifted = lesson.settings.minEigenvalue > 0
            lines.append("H is not positive definite at Newton's step\(indefinite.count == 1 ? "" : "s") \(list(indefinite))"
                         + (shifted ? ", where H + (δ − λmin)I was inverted instead." : ", and the notes' step inverts it as it is."))
        }
        let uphill = newton.steps.indices.filter { !newton.steps[$0].descends && newton.steps[$0].gradient != [0, 0] }.map { $0 + 1 }
        if !uphill.isEmpty {
            lines.append("At step\(uphill.count == 1 ? "" : "s") \(list(uphill)) the Newton direction points uphill (d·∇f > 0): it heads for a saddle or a maximum of the local quadratic, not a minimum.")
        }
        let rises = newton.rises
        if !rises.isEmpty {
            lines.append("f rises at Newton's step\(rises.count == 1 ? "" : "s") \(list(rises)): a whole step goes to the minimum of a quadratic model of f, not of f itself.")
        }
        return lines
    }

    static func list(_ numbers: [Int]) -> String {
        let shown = numbers.prefix(12).map(String.init)
        if numbers.count > 12 { return shown.joined(separator: ", ") + " and \(numbers.count - 12) more" }
        return shown.count <= 1 ? shown.joined() : shown.dropLast().joined(separator: ", ") + " and " + shown[shown.count - 1]
    }

    /// A 2 × 2 matrix as a tensor.
    static func tensor(_ h: [[Double]]) throws(LessonError) -> Tensor {
        do {
            return try Tensor(rows: h)
        } catch {
            throw LessonError("the Hessian \(h) is not a matrix: \(error)")
        }
    }

    static func matrixText(_ h: [[Double]]) -> String {
        "[" + h.map { NumberFormat.tuple($0).dropFirst().dropLast() }.map { "[\($0)]" }.joined(separator: ", ") + "]"
    }

    // MARK: report

    static func report(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> (Report, [LessonFigure]) {
        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }
        let newtonName = newtonLabel(lesson)
        for result in outcome.surfaces {
            let (surface, f, gd, newton) = (result.surface, result.f, result.gd, result.newton)
            blocks.append(.heading(surface.title))
            if let text = lesson.narrative(surface.section) { blocks.append(.paragraph(text)) }
            blocks.append(.formula("\(f.program.source),   start (x, y) = \(NumberFormat.tuple([surface.start.0, surface.start.1])),   \(surface.steps) iterations"))
            blocks.append(.formula(surface.hessianText))
            blocks.append(.paragraph(findings(result, in: lesson).joined(separator: " ")))
            if lesson.includes(.trajectories), let contour = result.contour {
                let figure = OptimizersLesson.contourFigure(title: surface.title, f: f, contour: contour, minimum: surface.minimum, trajectories: [
                    ContourPlot.Trajectory(name: gdLabel(gd.rate), points: gd.points), ContourPlot.Trajectory(name: newtonName, points: newton.points)])
                figures.append(LessonFigure("\(surface.key)-trajectories", figure))
                blocks.append(.figure(try lesson.paper(figure), caption: "Both paths from the same start (circle) to where each ends (square): gradient descent after \(gd.updates.count) steps, Newton after \(newton.steps.count)."))
            }
            if lesson.includes(.lossCurves) {
                // The whole run, then its first iterations, where Newton's few steps can be seen.
                let first = max(10, newton.steps.count + 2)
                for (name, count) in [("loss", Int.max), ("loss-first", first)] where count == Int.max || count < gd.values.count - 1 {
                    let figure = LinePlot(title: "\(surface.title): f per iteration" + (count == Int.max ? "" : ", the first \(count)"),
                                          xAxis: Axis("iteration"), yAxis: Axis("f(x, y)", scale: .log), series: [
                        LinePlot.Series(name: gdLabel(gd.rate), x: gd.values.prefix(count).indices.map(Double.init), y: Array(gd.values.prefix(count)), markers: count != Int.max),
                        LinePlot.Series(name: newtonName, x: newton.values.prefix(count).indices.map(Double.init), y: Array(newton.values.prefix(count)), markers: true),
                    ])
                    figures.append(LessonFigure("\(surface.key)-\(name)", figure))
                    let zero = newton.values.contains(0) || gd.values.contains(0)
                    blocks.append(.figure(try lesson.paper(figure), caption: (count == Int.max ? "f at each iterate, log scale" : "The same over the first \(count) iterations")
                                          + (zero ? "; f = 0 exactly has no place on a log scale and is marked by a triangle at the bottom edge." : ".")))
                }
            }
            if lesson.includes(.hessians) {
                let shown = Array(newton.steps.prefix(lesson.settings.shownSteps).enumerated())
                blocks.append(.table(Report.Table(header: ["Newton step", "from (x, y)", "f there", "∇f there", lesson.settings.minEigenvalue > 0 ? "d = −(H + shift·I)⁻¹∇f" : "d = −H⁻¹∇f", "to (x, y)"], rows: shown.map { k, step in
                    [String(k + 1), NumberFormat.tuple(step.point), NumberFormat.display(step.value), NumberFormat.tuple(step.gradient),
                     NumberFormat.tuple(step.direction), NumberFormat.tuple(step.next)]
                })))
                blocks.append(.table(Report.Table(header: ["Newton step", "H₁₁", "H₁₂ = H₂₁", "H₂₂", "λmin", "λmax", "positive definite"], rows: shown.map { k, step in
                    [String(k + 1), NumberFormat.display(step.hessian[0][0]), NumberFormat.display(step.hessian[0][1]), NumberFormat.display(step.hessian[1][1]),
                     NumberFormat.display(step.eigenvalues[0]), NumberFormat.display(step.eigenvalues[1]),
                     step.isPositiveDefinite ? "yes" : (step.shift > 0 ? "no: shifted by \(NumberFormat.display(step.shift))" : "no")]
                })))
                if let first = gd.updates.first, let g = first.gradients["θ"]?.scalars {
                    let h = surface.hessian(surface.start.0, surface.start.1), lambda = eigenvalues(h)
                    blocks.append(.paragraph("Gradient descent's first step from \(NumberFormat.tuple([surface.start.0, surface.start.1])) moves by −η∇f = \(NumberFormat.tuple(g.map { -gd.rate * $0 })); "
                                             + "there H has eigenvalues \(NumberFormat.tuple(lambda)), and on the quadratic model there a fixed η is stable along an eigenvector only while η < 2/λ"
                                             + (lambda[1] > 0 ? " = \(NumberFormat.display(2 / lambda[1])) for the largest." : ".")))
                }
            }
            if lesson.includes(.results) {
                let gdEnd = gd.points.last ?? (x: .nan, y: .nan), newtonEnd = newton.points.last ?? (x: .nan, y: .nan)
                blocks.append(.table(Report.Table(header: ["method", "steps", "ends at (x, y)", "f there", "first iteration with f < 10⁻³"], rows: [
                    [gdLabel(gd.rate), String(gd.updates.count), NumberFormat.tuple([gdEnd.x, gdEnd.y]),
                     gd.divergedAt.map { "diverged at \($0)" } ?? NumberFormat.display(gd.values.last ?? .nan), gd.first(below: threshold).map(String.init) ?? "—"],
                    [newtonName, String(newton.steps.count), NumberFormat.tuple([newtonEnd.x, newtonEnd.y]), NumberFormat.display(newton.values.last ?? .nan),
                     newton.first(below: threshold).map(String.init) ?? "—"],
                ])))
            }
        }
        if let text = lesson.narrative(.summary) { blocks.append(.heading("What to take away")); blocks.append(.paragraph(text)) }
        return (Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks), figures)
    }

    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        var narration = lesson.introduction
        if let text = lesson.narrative(.intro) { narration.append(text) }
        for result in outcome.surfaces {
            let surface = result.surface
            narration.append("")
            narration.append("\(surface.title): \(result.f.program.source) from \(NumberFormat.tuple([surface.start.0, surface.start.1])); \(surface.hessianText)")
            narration += findings(result, in: lesson).map { "  " + $0 }
        }
        return narration
    }

    // MARK: steps and trace

    /// With --step gradient descent's iterations on each surface as the optimizers lesson shows them,
    /// then Newton's, each as f, ∇f, the Hessian and the update; else Newton's steps in one line each.
    static func steps(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> [LessonStep] {
        var list: [LessonStep] = []
        var offset = 0
        for result in outcome.surfaces {
            let key = result.surface.key
            if lesson.stepsInDetail {
                list += try OptimizersLesson.iterationSteps(result.gd, surface: key, steps: result.surface.steps, offset: offset)
                offset += result.surface.steps
            }
            let count = result.newton.steps.count
            for (k, step) in result.newton.steps.enumerated() {
                let place = StepRun("\(key), newton", iteration: k + 1, of: count)
                let hessian = "H = \(matrixText(step.hessian)), eigenvalues \(NumberFormat.tuple(step.eigenvalues))" + (step.shift > 0 ? ", shifted by \(NumberFormat.display(step.shift))" : "")
                let update = "(x, y) ← (x, y) + η·d, d = −H⁻¹∇f = \(NumberFormat.tuple(step.direction)) → \(NumberFormat.tuple(step.next))"
                guard lesson.stepsInDetail else {
                    list.append(LessonStep(.update, "\(key), newton, step \(k + 1): ∇f = \(NumberFormat.tuple(step.gradient)) → (x, y) = \(NumberFormat.tuple(step.next))", details: [hessian]))
                    continue
                }
                let iteration = offset + k + 1
                let forward = "f(x, y) = \(NumberFormat.display(step.value)) at (x, y) = \(NumberFormat.tuple(step.point))"
                list.append(LessonStep(.forward, forward).with(iteration: iteration, detail: StepDetail(
                    formula: forward, values: [StepValue("(x, y)", Tensor(vector: step.point), .value), StepValue("f", Tensor(step.value), .value)])).with(run: place))
                list.append(LessonStep(.backward, "∇f = \(NumberFormat.tuple(step.gradient))").with(iteration: iteration, detail: StepDetail(
                    formula: "∇f = (∂f/∂x, ∂f/∂y)", values: [StepValue("∇f", Tensor(vector: step.gradient), .gradient)])).with(run: place))
                let matrix = try tensor(step.hessian)
                list.append(LessonStep(.note, hessian).with(iteration: iteration, detail: StepDetail(
                    formula: result.surface.hessianText, values: [StepValue("H", matrix, .value), StepValue("eigenvalues", Tensor(vector: step.eigenvalues), .value)])).with(run: place))
                list.append(LessonStep(.update, update).with(iteration: iteration, detail: StepDetail(
                    formula: "(x, y) ← (x, y) − η H⁻¹∇f, η = \(NumberFormat.display(lesson.settings.newtonRate))",
                    values: [StepValue("d", Tensor(vector: step.direction), .value), StepValue("(x, y)", Tensor(vector: step.next), .value)])).with(run: place))
            }
            if lesson.stepsInDetail { offset += count }
        }
        return list
    }

    /// Per surface two runs: gradient descent's as the optimizers lesson records it, and Newton's, whose
    /// steps keep the Hessian, its shift and the direction as the optimizer's state.
    static func trace(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> Trace {
        let s = lesson.settings
        var runs: [TraceRun] = []
        for result in outcome.surfaces {
            let (key, f, surface) = (result.surface.key, result.f, result.surface)
            let initial: NamedTensors = ["x": Tensor(surface.start.0), "y": Tensor(surface.start.1)]
            var gd = lesson.recorder("\(key)-gd", settings: ["surface": .string(key), "function": .string(f.program.source), "optimizer": "gd",
                                                             "learning-rate": .number(surface.rate)], initial: initial, iterations: surface.steps)
            if lesson.recordsSteps {
                do {
                    gd.run.steps = try OptimizersLesson.traceSteps(result.gd, function: f, detailed: gd.isDetailed)
                } catch {
                    throw LessonError("could not record the \(key) steps: \(error)", key: key)
                }
            }
            let gdEnd = result.gd.points.last ?? (x: .nan, y: .nan)
            gd.run.summary = ["x": .number(gdEnd.x), "y": .number(gdEnd.y), "f": .number(result.gd.values.last ?? .nan)]
            if let at = result.gd.divergedAt { gd.run.summary.append("diverged-at", .integer(at)) }
            runs.append(gd.run)

            var newton = lesson.recorder("\(key)-newton", settings: ["surface": .string(key), "function": .string(f.program.source), "optimizer": "newton",
                                                                     "learning-rate": .number(s.newtonRate), "min-eigenvalue": .number(s.minEigenvalue)],
                                         initial: initial, iterations: result.newton.steps.count)
            if lesson.recordsSteps {
                do {
                    newton.run.steps = try result.newton.steps.enumerated().map { k, step in
                        let state = TraceOptimizerState(tensors: ["hessian": try tensor(step.hessian), "eigenvalues": Tensor(vector: step.eigenvalues),
                                                                  "direction": Tensor(vector: step.direction)],
                                                        scalars: ["learning_rate": s.newtonRate, "shift": step.shift, "t": Double(k + 1)])
                        let params: NamedTensors = ["x": Tensor(step.next[0]), "y": Tensor(step.next[1])]
                        guard newton.isDetailed(k + 1) else {
                            return TraceStep(step: k + 1, loss: step.value, nodes: nil, params: params,
                                             grads: ["x": Tensor(step.gradient[0]), "y": Tensor(step.gradient[1])], optimizer: state)
                        }
                        return try OptimizersLesson.graphStep(k + 1, function: f, at: step.point, gradient: step.gradient, loss: step.value, params: params, optimizer: state)
                    }
                } catch {
                    throw LessonError("could not record the \(key) Newton steps: \(error)", key: key)
                }
            }
            let end = result.newton.points.last ?? (x: .nan, y: .nan)
            newton.run.summary = ["x": .number(end.x), "y": .number(end.y), "f": .number(result.newton.values.last ?? .nan)]
            switch result.newton.stop {
            case .converged(let k): newton.run.summary.append("converged-at", .integer(k))
            case .singular(let k): newton.run.summary.append("singular-at", .integer(k))
            case .diverged(let k): newton.run.summary.append("diverged-at", .integer(k))
            case nil: break
            }
            runs.append(newton.run)
        }
        return lesson.trace(runs: runs, summary: ["threshold": .number(threshold)])
    }
}
