import Foundation
import Render
import Sim

/// `kind: exploding`: note 003's product of 100 random 4×4 Gaussian matrices, over several seeds. The norm
/// after each multiplication grows at the rate ln σ + ½(ln 2 + ψ(n/2)) per matrix (Newman 1986); with
/// entries of variance 1/n (and with Xavier's uniform scaling, the same variance for a square layer) the
/// product vanishes instead; continued long enough, the plain Double product overflows.
public enum ExplodingLesson: LessonKind {
    public static let name = "exploding"
    public static let description = "Products of random matrices: the norm explodes or vanishes at a rate theory predicts, and Double overflows."
    public static let settings = [
        LessonSetting("n", .integer(1...64), default: .integer(4), "the matrices are n×n"),
        LessonSetting("count", .integer(1...100_000), default: .integer(100), "multiplications after the first matrix"),
        LessonSetting("sigma", .number(.positive), default: .number(1), "the entries' standard deviation in the exploding case"),
        LessonSetting("seeds", .integer(1...1000), default: .integer(10), "runs per case, with seeds s, s+1, … from the lesson's seed s"),
        LessonSetting("overflow-limit", .integer(0...1_000_000), default: .integer(5000), "how many multiplications the overflow demonstration may take (0: none)"),
    ]
    public static let sections = ["intro", "exploding", "vanishing", "overflow"]
    public static let reportItems = [
        ReportItem("matrices", "the first matrix and the product after `count` multiplications, as note 003 prints them"),
        ReportItem("norms", "‖Pₖ‖ per multiplication for every seed, log scale, with the theoretical rate"),
        ReportItem("rates", "the table of theoretical and measured growth rates per case"),
        ReportItem("vanishing", "‖Pₖ‖ with entries of variance 1/n and with Xavier uniform entries, with the theoretical rate"),
        ReportItem("overflow", "the plain Double product continued until it leaves Double's range, beside the log-space norm"),
    ]

    /// Every matrix is kept (the trace records each one), so the runs' size is capped.
    static let maxEntries = 20_000_000

    /// The matrix entries the runs keep: every product of the three cases and of the overflow demonstration.
    static func entries(_ settings: LessonSettings) -> Double {
        let n = Double(settings.integer("n")), count = Double(settings.integer("count")), seeds = Double(settings.integer("seeds"))
        return 3 * seeds * (count + 1) * n * n + (Double(settings.integer("overflow-limit")) + 1) * n * n
    }

    public static func check(_ settings: LessonSettings, file: String) throws(LessonError) {
        let n = Double(settings.integer("n")), count = Double(settings.integer("count")), seeds = Double(settings.integer("seeds"))
        let entries = entries(settings)
        guard entries <= Double(maxEntries) else {
            throw LessonError("n = \(Int(n)), count = \(Int(count)), seeds = \(Int(seeds)) and overflow-limit = \(settings.integer("overflow-limit")) would keep \(NumberFormat.display(entries)) matrix entries; keep (3·seeds·(count + 1) + overflow-limit + 1)·n² at most \(NumberFormat.display(Double(maxEntries)))",
                              file: file, key: "settings")
        }
    }

    /// One way of drawing entries, run over every seed.
    struct Case {
        let name: String
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
    public static func estimate(_ s: LessonSettings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        guard recordsSteps else { return .none }
        let matrices = 3 * Double(s.integer("seeds")) * Double(s.integer("count") + 1)
        return LessonEstimate(bytes: LessonBudget.trace(steps: matrices, nodes: 1, numbers: entries(s) / matrices),
                              settings: ["count", "seeds", "n"])
    }

    public static func run(_ lesson: LessonContext) throws(LessonError) -> LessonResult {
        let s = lesson.settings
        let n = s.integer("n"), count = s.integer("count"), sigma = s.number("sigma"), seeds = s.integer("seeds")
        let limit = s.integer("overflow-limit")
        func seed(_ i: Int) -> UInt64 { lesson.seed &+ UInt64(i) }
        func runCase(_ name: String, _ entries: RandomMatrixProduct.Entries, theory: Double?) -> Case {
            Case(name: name, entries: entries, theory: theory, runs: (0..<seeds).map { i in
                var generator = SeededGenerator(seed: seed(i))
                return RandomMatrixProduct(n: n, count: count, entries: entries, using: &generator)
            })
        }
        let scaled = 1 / Double(n).squareRoot()
        let cases = [
            runCase("N(0, \(NumberFormat.display(sigma * sigma)))", .gaussian(sigma: sigma), theory: RandomMatrixProduct.gaussianGrowthRate(n: n, sigma: sigma)),
            runCase("N(0, 1/n)", .gaussian(sigma: scaled), theory: RandomMatrixProduct.gaussianGrowthRate(n: n, sigma: scaled)),
            runCase("Xavier uniform U(±√(3/n))", .xavierUniform(n), theory: nil),
        ]
        let exploding = cases[0]
        let psi = digamma(Double(n) / 2)
        let ks = (0...count).map(Double.init)
        let ln10 = log(10.0)

        var figures: [LessonFigure] = []
        var blocks: [Report.Block] = []
        if let text = lesson.narrative("intro") { blocks.append(.paragraph(text)) }
        if lesson.includes("matrices"), let first = exploding.runs.first {
            blocks.append(.table(Report.Table(header: ["seed \(seed(0)), entries \(exploding.name)", "matrix"], rows: [
                ["a single matrix G₀", GraphWalkthrough.show(first.matrices[0])],
                ["after multiplying \(count) matrices", GraphWalkthrough.show(first.product)],
            ])))
        }
        blocks.append(.heading("Exploding"))
        if let text = lesson.narrative("exploding") { blocks.append(.paragraph(text)) }
        blocks.append(.formula("λ = ln σ + ½(ln 2 + ψ(n/2)) = ln \(NumberFormat.display(sigma)) + ½(\(NumberFormat.display(log(2.0))) + \(NumberFormat.display(psi))) = \(NumberFormat.display(exploding.theory ?? .nan)) per matrix"))
        func theoryLine(_ c: Case, style: Int) -> LinePlot.Series? {
            guard let rate = c.theory else { return nil }
            // Through the runs' mean starting norm (geometric), with the theoretical slope.
            let start = c.runs.map { $0.logNorms.first ?? 0 }.reduce(0, +) / Double(max(c.runs.count, 1))
            return LinePlot.Series(name: "theory: rate \(NumberFormat.display(rate)) per matrix", x: ks, y: ks.map { exp(start + rate * $0) }, style: style)
        }
        func seriesOf(_ c: Case, style: Int) -> [LinePlot.Series] {
            c.runs.map { LinePlot.Series(name: "\(c.name), \(seeds) seed\(seeds == 1 ? "" : "s")", x: ks, y: $0.logNorms.map(exp), style: style) }
        }
        if lesson.includes("norms") {
            let figure = LinePlot(title: "‖Pₖ‖ for \(n)×\(n) matrices with entries \(exploding.name)", xAxis: Axis("multiplications k"), yAxis: Axis("‖Pₖ‖ (Frobenius)", scale: .log),
                                  series: seriesOf(exploding, style: 0) + [theoryLine(exploding, style: 1)].compactMap { $0 })
            figures.append(LessonFigure("norms", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "The norm of the running product after each multiplication, one line per seed, and the line with the theoretical slope λ = \(NumberFormat.display(exploding.theory ?? .nan)) (a factor e^λ = \(NumberFormat.display(exp(exploding.theory ?? .nan))) per matrix)."))
        }
        if lesson.includes("rates") {
            blocks.append(.table(Report.Table(header: ["entries", "variance", "theory λ", "measured (mean ± sd of \(seeds))", "‖P\(count)‖, median"], rows: cases.map { c in
                let finals = c.runs.map { $0.logNorms.last ?? 0 }.sorted()
                let median = finals.isEmpty ? Double.nan : exp(finals[finals.count / 2])
                return [c.name, NumberFormat.display(c.entries.variance), c.theory.map { NumberFormat.display($0) } ?? "no closed form",
                        "\(NumberFormat.display(c.meanRate)) ± \(NumberFormat.display(c.spread))", NumberFormat.display(median)]
            })))
        }
        blocks.append(.heading("Vanishing"))
        if let text = lesson.narrative("vanishing") { blocks.append(.paragraph(text)) }
        if lesson.includes("vanishing") {
            let figure = LinePlot(title: "‖Pₖ‖ with entries of variance 1/n", xAxis: Axis("multiplications k"), yAxis: Axis("‖Pₖ‖ (Frobenius)", scale: .log),
                                  series: seriesOf(cases[1], style: 0) + seriesOf(cases[2], style: 1) + [theoryLine(cases[1], style: 2)].compactMap { $0 })
            figures.append(LessonFigure("vanishing", figure))
            blocks.append(.figure(try lesson.paper(figure), caption: "With variance 1/n the rate is λ − ½ ln n = \(NumberFormat.display(cases[1].theory ?? .nan)) per matrix: the product shrinks. Xavier's uniform entries have the same variance but another distribution, and shrink at \(NumberFormat.display(cases[2].meanRate)) (measured)."))
        }

        // Overflow: the first seed's exploding product, continued.
        var overflow: (run: RandomMatrixProduct, at: Int?)?
        if limit > 0 {
            var generator = SeededGenerator(seed: seed(0))
            let run = RandomMatrixProduct(n: n, count: limit, entries: exploding.entries, using: &generator)
            overflow = (run, run.firstOutOfRange)
        }
        if let overflow {
            blocks.append(.heading("When Double overflows"))
            if let text = lesson.narrative("overflow") { blocks.append(.paragraph(text)) }
            let shown = min(limit, (overflow.at ?? limit) + max(20, (overflow.at ?? limit) / 10))
            let xs = (0...shown).map(Double.init)
            if lesson.includes("overflow") {
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
        let report = Report(title: lesson.title, subtitle: lesson.summary, metadata: lesson.metadata, blocks: blocks)

        var narration = lesson.introduction
        if let text = lesson.narrative("intro") { narration.append(text) }
        narration.append("\(n)×\(n) matrices, \(count) multiplications, \(seeds) seed\(seeds == 1 ? "" : "s") from \(lesson.seed):")
        for c in cases {
            narration.append("  entries \(c.name): growth rate \(NumberFormat.display(c.meanRate)) ± \(NumberFormat.display(c.spread)) per matrix"
                             + (c.theory.map { " (theory \(NumberFormat.display($0)))" } ?? ""))
        }
        if let overflow { narration.append(overflowText(overflow.run, at: overflow.at, limit: limit)) }
        let summary = ["‖P\(count)‖ grows at \(NumberFormat.display(exploding.meanRate)) per matrix with entries \(exploding.name) (theory \(NumberFormat.display(exploding.theory ?? .nan))); with variance 1/n it shrinks at \(NumberFormat.display(cases[1].meanRate))"]

        var steps: [LessonStep] = []
        // One run per case and seed; each multiplication is a step, the chosen ones as the engine's graph.
        var traceRuns: [TraceRun] = []
        var traceSummary = NamedValues<TraceValue>()
        traceSummary.append("digamma-n-over-2", .number(psi))
        for (c, key) in zip(cases, ["sigma", "scaled", "xavier"]) {
            traceSummary.append("\(key)-measured", .number(c.meanRate))
            if let theory = c.theory { traceSummary.append("\(key)-theory", .number(theory)) }
            for (si, run) in c.runs.enumerated() {
                var settings: NamedValues<TraceValue> = ["entries": .string(c.name), "variance": .number(c.entries.variance), "seed": .integer(Int(truncatingIfNeeded: seed(si)))]
                if let theory = c.theory { settings.append("theory", .number(theory)) }
                var recorder = lesson.recorder("\(key)-seed-\(seed(si))", settings: settings, initial: ["G0": run.matrices.first ?? Tensor(0)], iterations: count)
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
        for c in cases {
            steps.append(LessonStep(.note, "entries \(c.name): rate \(NumberFormat.display(c.meanRate)) per matrix", details: c.runs.enumerated().map { i, run in
                "seed \(seed(i)): ‖P0‖ = \(NumberFormat.display(exp(run.logNorms.first ?? 0))), ‖P\(count)‖ = \(NumberFormat.display(exp(run.logNorms.last ?? 0))), slope \(NumberFormat.display(run.measuredRate))"
            }))
        }
        if let overflow {
            traceSummary.append("overflow-at", overflow.at.map { .integer($0) } ?? .string("none"))
        }
        let trace = lesson.trace(runs: traceRuns, summary: traceSummary)
        return LessonResult(narration: narration, summary: summary, steps: steps, report: report, figures: figures, trace: trace)
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
