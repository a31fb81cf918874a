import Foundation
import Render
import Sim

/// `kind: exploding`: note 003's product of 100 random 4×4 Gaussian matrices, over several seeds. The norm
/// after each multiplication grows at the rate ln σ + ½(ln 2 + ψ(n/2)) per matrix (Newman 1986); with
/// entries of variance 1/n (and with Xavier's uniform scaling, the same variance for a square layer) the
/// product vanishes instead; continued long enough, the plain Double product overflows.
public enum ExplodingLesson: DeclaredLessonKind {
    public static let name = "exploding"
    public static let description = "Products of random matrices: the norm explodes or vanishes at a rate theory predicts, and Double overflows."

    public struct Settings: LessonSettingsDeclaration {
        @Setting("n", in: 1...64, help: "the matrices are n×n")
        public var n: Int = 4
        @Setting("count", in: 1...100_000, help: "multiplications after the first matrix")
        public var count: Int = 100
        @Setting("sigma", in: .positive, help: "the entries' standard deviation in the exploding case")
        public var sigma: Double = 1
        @Setting("seeds", in: 1...1000, help: "runs per case, with seeds s, s+1, … from the lesson's seed s")
        public var seeds: Int = 10
        @Setting("overflow-limit", in: 0...1_000_000, help: "how many multiplications the overflow demonstration may take (0: none)")
        public var overflowLimit: Int = 5000

        public init() {}
    }

    public enum Section: String, LessonSection {
        case intro, exploding, vanishing, overflow
    }

    public enum Item: String, LessonReportItem {
        case matrices, norms, rates, vanishing, overflow

        public var meaning: String {
            switch self {
            case .matrices: "the first matrix and the product after `count` multiplications, as note 003 prints them"
            case .norms: "‖Pₖ‖ per multiplication for every seed, log scale, with the theoretical rate"
            case .rates: "the table of theoretical and measured growth rates per case"
            case .vanishing: "‖Pₖ‖ with entries of variance 1/n and with Xavier uniform entries, with the theoretical rate"
            case .overflow: "the plain Double product continued until it leaves Double's range, beside the log-space norm"
            }
        }
    }

    /// Every matrix is kept (the trace records each one), so the runs' size is capped.
    static let maxEntries = 20_000_000

    /// The matrix entries the runs keep: every product of the three cases and of the overflow demonstration.
    static func entries(_ s: Settings) -> Double {
        let n = Double(s.n), count = Double(s.count), seeds = Double(s.seeds)
        return 3 * seeds * (count + 1) * n * n + (Double(s.overflowLimit) + 1) * n * n
    }

    public static func check(_ s: Settings) throws(LessonError) {
        let entries = entries(s)
        guard entries <= Double(maxEntries) else {
            throw LessonError("n = \(s.n), count = \(s.count), seeds = \(s.seeds) and overflow-limit = \(s.overflowLimit) would keep \(NumberFormat.display(entries)) matrix entries; keep (3·seeds·(count + 1) + overflow-limit + 1)·n² at most \(NumberFormat.display(Double(maxEntries)))",
                              key: "settings")
        }
    }

    /// One way of drawing entries, run over every seed.
    struct Case {
        let name: String
        /// The case as the trace names its runs.
        let key: String
        let entries: RandomMatrixProduct.Entries
        /// The closed-form rate, when there is one (Gaussian entries).
        let theory: Double?
        let runs: [RandomMatrixProduct]

        var rates: [Double] { runs.map(\.measuredRate) }
        var meanRate: Double { rates.reduce(0, +) / Double(max(rates.count, 1)) }
        var spread: Double {
            guard rates.count > 1 else { return 0 }
            let mean = meanRate
            return (rates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rates.count - 1)).squareRoot()
        }
    }

    /// `check` caps the matrix entries the runs keep; with the trace every one is recorded too.
    public static func estimate(_ s: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        guard recordsSteps else { return .none }
        let matrices = 3 * Double(s.seeds) * Double(s.count + 1)
        return LessonEstimate(bytes: LessonBudget.trace(steps: matrices, nodes: 1, numbers: entries(s) / matrices),
                              settings: [s.$count, s.$seeds, s.$n])
    }

    /// The run's numbers: the three cases (σ, variance 1/n, Xavier), each over every seed, and the first
    /// seed's exploding product continued until it leaves Double's range (or the limit).
    public struct Outcome: Sendable {
        let cases: [Case]
        let overflow: (run: RandomMatrixProduct, at: Int?)?
        var exploding: Case { cases[0] }
    }

    /// Run i's seed: the lesson's, counted on.
    static func seed(_ i: Int, in lesson: Lesson<Self>) -> UInt64 { lesson.seed &+ UInt64(i) }

    public static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome {
        let s = lesson.settings
        let (n, count, sigma, seeds, limit) = (s.n, s.count, s.sigma, s.seeds, s.overflowLimit)
        func runCase(_ name: String, _ key: String, _ entries: RandomMatrixProduct.Entries, theory: Double?) -> Case {
            Case(name: name, key: key, entries: entries, theory: theory, runs: (0..<seeds).map { i in
                var generator = SeededGenerator(seed: seed(i, in: lesson))
                return RandomMatrixProduct(n: n, count: count, entries: entries, using: &generator)
            })
        }
        let scaled = 1 / Double(n).squareRoot()
        let cases = [
            runCase("N(0, \(NumberFormat.display(sigma * sigma)))", "sigma", .gaussian(sigma: sigma), theory: RandomMatrixProduct.gaussianGrowthRate(n: n, sigma: sigma)),
            runCase("N(0, 1/n)", "scaled", .gaussian(sigma: scaled), theory: RandomMatrixProduct.gaussianGrowthRate(n: n, sigma: scaled)),
            runCase("Xavier uniform U(±√(3/n))", "xavier", .xavierUniform(n), theory: nil),
        ]
        // Overflow: the first seed's exploding product, continued.
        var overflow: (run: RandomMatrixProduct, at: Int?)?
        if limit > 0 {
            var generator = SeededGenerator(seed: seed(0, in: lesson))
            let run = RandomMatrixProduct(n: n, count: limit, entries: cases[0].entries, using: &generator)
            overflow = (run, run.firstOutOfRange)
        }
        return Outcome(cases: cases, overflow: overflow)
    }

    public static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult {
        let (cases, exploding) = (outcome.cases, outcome.exploding)
        let summary = ["‖P\(lesson.settings.count)‖ grows at \(NumberFormat.display(exploding.meanRate)) per matrix with entries \(exploding.name) (theory \(NumberFormat.display(exploding.theory ?? .nan))); with variance 1/n it shrinks at \(NumberFormat.display(cases[1].meanRate))"]
        let (report, figures) = try report(outcome, in: lesson)
        return LessonResult(narration: narration(outcome, in: lesson), summary: summary, steps: steps(outcome, in: lesson), report: report,
                            figures: figures, trace: try trace(outcome, in: lesson))
    }

    /// The report's blocks and the figures written beside it.
    static func report(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> (Report, [LessonFigure]) {
        let s = lesson.settings
        let (n, count, seeds, limit) = (s.n, s.count, s.seeds, s.overflowLimit)
        let (cases, exploding) = (outcome.cases, outcome.exploding)
        let psi = digamma(Double(n) / 2)
        let ks = (0...count).map(Double.init)
        let ln10 = log(10.0)

        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative(.intro) { blocks.append(.paragraph(text)) }
        if lesson.includes(.matrices), let first = exploding.runs.first {
            blocks.append(.table(Report.Table(header: ["seed \(seed(0, in: lesson)), entries \(exploding.name)", "matrix"], rows: [
                ["a single matrix G₀", GraphWalkthrough.show(first.matrices[0])],
                ["after multiplying \(count) matrices", GraphWalkthrough.show(first.product)],
            ])))
        }
        blocks.append(.heading("Exploding"))
        if let text = lesson.narrative(.exploding) { blocks.append(.paragraph(text)) }
        blocks.append(.formula("λ = ln σ + ½(ln 2 + ψ(n/2)) = ln \(NumberFormat.display(s.sigma)) + ½(\(NumberFormat.display(log(2.0))) + \(NumberFormat.display(psi))) = \(NumberFormat.display(exploding.theory ?? .nan)) per matrix"))
        func theoryLine(_ c: Case, style: Int) -> LinePlot.Series? {
            guard let rate = c.theory else { return nil }
            // Through the runs' mean starting norm (geometric), with the theoretical slope.
            let start = c.runs.map { $0.logNorms.first ?? 0 }.reduce(0, +) / Double(max(c.runs.count, 1))
            return LinePlot.Series(name: "theory: rate \(NumberFormat.display(rate)) per matrix", x: ks, y: ks.map { exp(start + rate * $0) }, style: style)
        }
        func seriesOf(_ c: Case, style: Int) -> [LinePlot.Series] {
            // Several seeds of one case share a style, each line thin and translucent so that all stay visible.
            c.runs.map { LinePlot.Series(name: "\(c.name), \(seeds) seed\(seeds == 1 ? "" : "s")", x: ks, y: $0.logNorms.map(exp), style: style, faint: seeds > 1) }
        }
        if lesson.includes(.norms) {
            let figure = LinePlot(title: "‖Pₖ‖ for \(n)×\(n) matrices with entries \(exploding.name)", xAxis: Axis("multiplications k"), yAxis: Axis("‖Pₖ‖ (Frobenius)", scale: .log),
                                  series: seriesOf(exploding, style: 0) + [theoryLine(exploding, style: 1)].compactMap { $0 })
            figures.append(LessonFigure("norms", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "The norm of the running product after each multiplication, one line per seed, and the line with the theoretical slope λ = \(NumberFormat.display(exploding.theory ?? .nan)) (a factor e^λ = \(NumberFormat.display(exp(exploding.theory ?? .nan))) per matrix)."))
        }
        if lesson.includes(.rates) {
            blocks.append(.table(Report.Table(header: ["entries", "variance", "theory λ", "measured (mean ± sd of \(seeds))", "‖P\(count)‖, median"], rows: cases.map { c in
                let finals = c.runs.map { $0.logNorms.last ?? 0 }.sorted()
                let median = finals.isEmpty ? Double.nan : exp(finals[finals.count / 2])
                return [c.name, NumberFormat.display(c.entries.variance), c.theory.map { NumberFormat.display($0) } ?? "no closed form",
                        "\(NumberFormat.display(c.meanRate)) ± \(NumberFormat.display(c.spread))", NumberFormat.display(median)]
            })))
        }
        blocks.append(.heading("Vanishing"))
        if let text = lesson.narrative(.vanishing) { blocks.append(.paragraph(text)) }
        if lesson.includes(.vanishing) {
            let figure = LinePlot(title: "‖Pₖ‖ with entries of variance 1/n", xAxis: Axis("multiplications k"), yAxis: Axis("‖Pₖ‖ (Frobenius)", scale: .log),
                                  series: seriesOf(cases[1], style: 0) + seriesOf(cases[2], style: 1) + [theoryLine(cases[1], style: 2)].compactMap { $0 })
            figures.append(LessonFigure("vanishing", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "With variance 1/n the rate is λ − ½ ln n = \(NumberFormat.display(cases[1].theory ?? .nan)) per matrix: the product shrinks. Xavier's uniform entries have the same variance but another distribution, and shrink at \(NumberFormat.display(cases[2].meanRate)) (measured)."))
        }
        if let overflow = outcome.overflow {
            blocks.append(.heading("When Double overflows"))
            if let text = lesson.narrative(.overflow) { blocks.append(.paragraph(text)) }
            let shown = min(limit, (overflow.at ?? limit) + max(20, (overflow.at ?? limit) / 10))
            let xs = (0...shown).map(Double.init)
            if lesson.includes(.overflow) {
                let figure = LinePlot(title: "log₁₀‖Pₖ‖: the plain product and the log-space sum", xAxis: Axis("multiplications k"), yAxis: Axis("log₁₀‖Pₖ‖"), series: [
                    LinePlot.Series(name: "log space (Σ ln of the step norms)", x: xs, y: overflow.run.logNorms.prefix(shown + 1).map { $0 / ln10 }, style: 0),
                    LinePlot.Series(name: "plain Double product", x: xs, y: overflow.run.rawNorms.prefix(shown + 1).map { $0 == 0 ? -.infinity : log10($0) }, style: 1),
                ])
                figures.append(LessonFigure("overflow", figure))
                blocks.append(.figure(try lesson.paper(figure), caption: overflowText(overflow.run, at: overflow.at, limit: limit)))
            } else {
                blocks.append(.paragraph(overflowText(overflow.run, at: overflow.at, limit: limit)))
            }
        }
        return (Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks), figures)
    }

    /// What the terminal prints: each case's measured and theoretical rate, and the overflow.
    static func narration(_ outcome: Outcome, in lesson: Lesson<Self>) -> [String] {
        let s = lesson.settings
        var narration = lesson.introduction
        if let text = lesson.narrative(.intro) { narration.append(text) }
        narration.append("\(s.n)×\(s.n) matrices, \(s.count) multiplications, \(s.seeds) seed\(s.seeds == 1 ? "" : "s") from \(lesson.seed):")
        for c in outcome.cases {
            narration.append("  entries \(c.name): growth rate \(NumberFormat.display(c.meanRate)) ± \(NumberFormat.display(c.spread)) per matrix"
                             + (c.theory.map { " (theory \(NumberFormat.display($0)))" } ?? ""))
        }
        if let overflow = outcome.overflow { narration.append(overflowText(overflow.run, at: overflow.at, limit: s.overflowLimit)) }
        return narration
    }

    /// Per case, its rate and each seed's first and last norm.
    static func steps(_ outcome: Outcome, in lesson: Lesson<Self>) -> [LessonStep] {
        outcome.cases.map { c in
            LessonStep(.note, "entries \(c.name): rate \(NumberFormat.display(c.meanRate)) per matrix", details: c.runs.enumerated().map { i, run in
                "seed \(seed(i, in: lesson)): ‖P0‖ = \(NumberFormat.display(exp(run.logNorms.first ?? 0))), ‖P\(lesson.settings.count)‖ = \(NumberFormat.display(exp(run.logNorms.last ?? 0))), slope \(NumberFormat.display(run.measuredRate))"
            })
        }
    }

    /// One run per case and seed; each multiplication is a step, the chosen ones as the engine's graph.
    static func trace(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> Trace {
        var traceRuns: [TraceRun] = []
        var summary = NamedValues<TraceValue>()
        summary.append("digamma-n-over-2", .number(digamma(Double(lesson.settings.n) / 2)))
        for c in outcome.cases {
            summary.append("\(c.key)-measured", .number(c.meanRate))
            if let theory = c.theory { summary.append("\(c.key)-theory", .number(theory)) }
            for (si, run) in c.runs.enumerated() {
                var settings: NamedValues<TraceValue> = ["entries": .string(c.name), "variance": .number(c.entries.variance), "seed": .integer(Int(truncatingIfNeeded: seed(si, in: lesson)))]
                if let theory = c.theory { settings.append("theory", .number(theory)) }
                guard let first = run.matrices.first else { throw LessonError("the \(c.key) run of seed \(seed(si, in: lesson)) has no first matrix") }
                var recorder = lesson.recorder("\(c.key)-seed-\(seed(si, in: lesson))", settings: settings, initial: ["G0": first], iterations: lesson.settings.count)
                if lesson.recordsSteps {
                    do {
                        recorder.run.steps = try Self.traceSteps(run, detailed: recorder.isDetailed)
                    } catch {
                        throw LessonError("could not record the products: \(error)")
                    }
                }
                recorder.run.summary = ["rate": .number(run.measuredRate), "log-norm": .number(run.logNorms.last ?? .nan), "norm": .number(run.rawNorms.last ?? .nan)]
                traceRuns.append(recorder.run)
            }
        }
        if let overflow = outcome.overflow {
            summary.append("overflow-at", overflow.at.map { .integer($0) } ?? .string("none"))
        }
        return lesson.trace(runs: traceRuns, summary: summary)
    }

    /// Multiplication k = 1…count of `run` as a trace step. In detail, the engine's graph of both ways of
    /// keeping the product: the plain P = P_prev·G and its norm, and in log space M = Q_prev·G, its norm
    /// (the growth), Q = M/growth (the unit-norm running matrix) and log_norm = log_norm_prev + log(growth);
    /// otherwise the two norms. The engine's numbers are those of RandomMatrixProduct, operation for operation.
    static func traceSteps(_ run: RandomMatrixProduct, detailed: (Int) -> Bool) throws -> [TraceStep] {
        guard var raw = run.matrices.first else { return [] }
        var unit = raw.map { $0 / Norm.frobenius(raw.scalars) }
        var logNorm = run.logNorms.first ?? 0
        var steps: [TraceStep] = []
        for (k, G) in run.matrices.enumerated().dropFirst() {
            let tracked: NamedTensors = ["norm": Tensor(run.rawNorms[k]), "log_norm": Tensor(run.logNorms[k])]
            if detailed(k) {
                let g = Graph()
                let pPrev = try g.input("P_prev", raw), qPrev = try g.input("Q_prev", unit), gk = try g.input("G", G)
                let logPrev = try g.input("log_norm_prev", Tensor(logNorm))
                let p = try g.apply(MatMul(), [pPrev, gk], name: "P")
                _ = try g.apply(Norm(), [p], name: "norm")
                let m = try g.apply(MatMul(), [qPrev, gk], name: "M")
                let growth = try g.apply(Norm(), [m], name: "growth")
                let q = try g.apply(Divide(), [m, growth], name: "Q")
                let logGrowth = try g.apply(Log(), [growth], name: "log_growth")
                let total = try g.apply(Add(), [logPrev, logGrowth], name: "log_norm")
                raw = p.value
                unit = q.value
                logNorm = total.value.scalar ?? .nan
                steps.append(TraceStep(step: k, graph: g, params: tracked))
            } else {
                raw = try raw.matmul(G)
                let m = try unit.matmul(G), growth = Norm.frobenius(m.scalars)
                unit = m.map { $0 / growth }
                logNorm += log(growth)
                steps.append(TraceStep(step: k, nodes: nil, params: tracked))
            }
        }
        return steps
    }

    static func overflowText(_ run: RandomMatrixProduct, at: Int?, limit: Int) -> String {
        guard let at else {
            return "Within \(limit) multiplications the plain product stays inside Double's range (‖P\(limit)‖ = \(NumberFormat.display(run.rawNorms.last ?? .nan)))."
        }
        let logNorm = run.logNorms[at] / log(10.0)
        let what = run.rawNorms[at] == 0 ? "underflows to 0" : "overflows: its norm and then its entries become inf, and inf − inf gives nan"
        return "At multiplication \(at) the true norm is 10^\(NumberFormat.display(logNorm)), beyond Double's range (about 1.8·10³⁰⁸ down to 4.9·10⁻³²⁴), and the plain product \(what). Summing logarithms, as the log-space line does, keeps the norm exact."
    }
}
