import Foundation
import Render
import Sim

/// What the class got wrong, from a batch's results: per question its mean score, difficulty (the mean
/// share of its points), discrimination (the correlation of the question's score with the rest of the
/// total: near 0 or below, the question does not tell strong students from weak), how many earned full
/// and zero points, how many answers earned carried credit, and the ask most often the first wrong one.
/// Written as `class.csv` and as a PDF with the difficulties drawn (`class.pdf`).
public struct ClassReport {
    public struct Row: Sendable {
        public let question: String
        public let maxScore: Double
        public let graded: Int
        public let mean: Double
        public let difficulty: Double
        /// Pearson's r between this question's score and the student's total without it; nil with fewer
        /// than three students or no spread.
        public let discrimination: Double?
        public let full: Int
        public let zero: Int
        public let carried: Int
        /// The ask most often the first not fully right one, and how many students it was.
        public let firstWrong: (key: String, count: Int)?
        /// How many answers made each diagnosed slip (Slip: a flipped sign, a dropped ½, a transposed
        /// matrix), most frequent first.
        public let slips: [(slip: Slip, count: Int)]
        /// Where replayed runs first departed (`step 1, ∂L/∂W2`), most frequent first.
        public let departures: [(place: String, count: Int)]
        /// Which drawn values went with which mistakes (DrawnValueLink), strongest first.
        public let links: [DrawnValueLink]
    }

    public let rows: [Row]

    public init(assignment: Assignment, results: [GradeResult]) {
        rows = assignment.questions.map { question in
            let scored = results.compactMap { r -> (score: Double, rest: Double, result: QuestionResult)? in
                guard let q = r.questions.first(where: { $0.question.id == question.id }) else { return nil }
                return (q.score, r.score - q.score, q)
            }
            let n = Double(scored.count)
            let mean = n > 0 ? scored.map(\.score).reduce(0, +) / n : .nan
            var firstWrong: [String: Int] = [:]
            for s in scored { if let key = s.result.firstWrong?.ask.key { firstWrong[key, default: 0] += 1 } }
            let top = firstWrong.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
            var slips: [Slip: Int] = [:], departures: [String: Int] = [:]
            for s in scored {
                for ask in s.result.asks {
                    if let slip = ask.slip { slips[slip, default: 0] += 1 }
                    if let place = ask.departure { departures[place, default: 0] += 1 }
                }
            }
            // Most frequent first; ties in a fixed order (Slip's, then by name), so the report is the same every run.
            let slipList = Slip.allCases.compactMap { slip in slips[slip].map { (slip: slip, count: $0) } }.sorted { $0.count > $1.count }
            // Typed out: inferred, this line took the type checker 3 to 11 s.
            typealias Place = (place: String, count: Int)
            let departureList: [Place] = departures.map { (entry: (key: String, value: Int)) -> Place in (entry.key, entry.value) }
                .sorted { (a: Place, b: Place) -> Bool in a.count != b.count ? a.count > b.count : a.place < b.place }
            return Row(question: question.id, maxScore: question.maxScore, graded: scored.count, mean: mean,
                       difficulty: question.maxScore > 0 ? mean / question.maxScore : .nan,
                       discrimination: Self.correlation(scored.map(\.score), scored.map(\.rest)),
                       full: scored.filter { $0.score >= question.maxScore }.count, zero: scored.filter { $0.score == 0 }.count,
                       carried: scored.reduce(0) { $0 + $1.result.asks.filter { $0.status == .carried }.count },
                       firstWrong: top.map { ($0.key, $0.value) }, slips: slipList, departures: departureList,
                       links: DrawnValueLink.links(question: question, results: scored.map(\.result)))
        }
    }

    /// Pearson's correlation coefficient, or nil when it is not defined (fewer than 3 pairs, no spread).
    static func correlation(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count >= 3, x.count == y.count else { return nil }
        let n = Double(x.count), mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    public var csv: String {
        var lines = ["question,max,graded,mean,difficulty,discrimination,full,zero,carried,most_often_first_wrong,students,slips,replay_departures,drawn_values"]
        for r in rows {
            let fields = [AssignmentChecker.csv(text: r.question), GradeResult.points(r.maxScore), String(r.graded), Self.number(r.mean),
                          Self.number(r.difficulty), r.discrimination.map(Self.number) ?? "", String(r.full), String(r.zero), String(r.carried),
                          AssignmentChecker.csv(text: r.firstWrong?.key ?? ""), r.firstWrong.map { String($0.count) } ?? "",
                          AssignmentChecker.csv(text: Self.slipText(r)), AssignmentChecker.csv(text: Self.departureText(r)),
                          AssignmentChecker.csv(text: Self.linkText(r))]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `sign flipped: 12; transposed: 3`, or empty.
    static func slipText(_ r: Row) -> String { r.slips.map { "\($0.slip.rawValue): \($0.count)" }.joined(separator: "; ") }

    /// The three most frequent first departures: `step 1, z1: 4; step 2, W1: 1`.
    static func departureText(_ r: Row) -> String { r.departures.prefix(3).map { "\($0.place): \($0.count)" }.joined(separator: "; ") }

    /// `dL/da wrong for 9 of 10 with c < 0, 1 of 12 otherwise; …`, or empty.
    static func linkText(_ r: Row) -> String { r.links.map(\.text).joined(separator: "; ") }

    static func number(_ x: Double) -> String { x.isFinite ? String(format: "%.3f", x) : "" }

    /// The PDF: a table and the difficulties as bars.
    public func report(title: String, students: Int) -> Report {
        let table = Report.Table(header: ["question", "max", "mean", "difficulty", "discrimination", "full", "zero", "carried", "most often first wrong"],
                                 rows: rows.map { r in
            [r.question, GradeResult.points(r.maxScore), NumberFormat.display(r.mean), NumberFormat.display(r.difficulty),
             r.discrimination.map { NumberFormat.display($0) } ?? "–", String(r.full), String(r.zero), String(r.carried),
             r.firstWrong.map { "\($0.key) (\($0.count))" } ?? "–"]
        })
        let chart = BarChart(title: "Difficulty: the mean share of each question's points", categoryTitle: "question",
                             valueAxis: Axis("mean share of the points", range: 0...1), labels: rows.map(\.question),
                             values: rows.map { $0.difficulty.isFinite ? $0.difficulty : 0 })
        let measurer = CairoTextMeasurer()
        let figure = chart.layout(theme: .paper, measurer: measurer)
        return Report(title: "\(title): the class", subtitle: "\(students) submissions graded", metadata: [],
                      blocks: [.paragraph("Difficulty is the mean share of a question's points the class earned; discrimination is the correlation of a question's score with the rest of each student's total (near 0 or below: the question does not tell strong students from weak ones). Carried answers were wrong against the key but right from the student's own earlier values."),
                               .table(table), .figure(figure, caption: "The mean share of each question's points."),
                               .heading("Mistakes the numbers show"),
                               .paragraph("A wrong answer is counted as a slip when it is the key's answer with a sign flipped, doubled or halved (a ½ dropped or added), or a matrix transposed, within the question's tolerance; a replayed run by the step and quantity where it first departed from nnsim's own computation from the student's state."),
                               .table(Report.Table(header: ["question", "slips (answers)", "replays first departed at (runs)"], rows: rows.map { r in
                                   [r.question, Self.slipText(r).isEmpty ? "–" : Self.slipText(r), Self.departureText(r).isEmpty ? "–" : Self.departureText(r)]
                               })),
                               .heading("Drawn values that went with mistakes"),
                               .paragraph("Where a question draws its values per student, an answer that students got wrong much more often when a drawn value fell in one group (a sign, a choice, the upper or lower half of its range) than otherwise; reported only when the difference is large and unlikely to be chance (a two-proportion z-test, z ≥ 2.58, at least 5 students on each side). It says where to look, not why."),
                               .table(Report.Table(header: ["question", "wrong more often with"], rows: rows.map { r in
                                   [r.question, r.links.isEmpty ? "–" : r.links.map(\.text).joined(separator: "; ")]
                               }))])
    }
}
