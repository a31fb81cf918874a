import Foundation
import Sim

/// Which drawn values went with which mistakes: for a question with values drawn per student, an ask
/// that students got wrong much more often when a drawn value fell in one group (`c < 0`, `data = or`,
/// `a ≥ 3`) than otherwise. A lecturer reads it as "the negative c tripped people up": a sign rule not
/// understood, a case the lecture did not show.
///
/// Groups per drawn value: each choice of a `choices` draw; for a number drawn from a range with both
/// signs, negative and positive; otherwise the lower and upper half of its range. A group is compared
/// with the students outside it by a two-proportion z-test; a link is reported only when both sides have
/// at least `minimumGroup` students, at least 3 wrong answers are in the group, the wrong share is at
/// least 25 points higher in the group, and z ≥ 2.58 (one-sided p < 0.005, strict because a class
/// report tests many pairs of ask and value): so that honest mistakes spread evenly over the draws raise
/// none (tested on 600 simulated students). It is an association, not a diagnosis.
public struct DrawnValueLink: Sendable, Equatable {
    public let ask: String
    /// The group, as the report writes it: `c < 0`, `data = or`, `a ≥ 3`.
    public let group: String
    public let wrongInGroup: Int
    public let inGroup: Int
    public let wrongElsewhere: Int
    public let elsewhere: Int
    public let z: Double

    /// `dL/da wrong for 9 of 10 with c < 0, 1 of 12 otherwise`.
    public var text: String {
        "\(ask) wrong for \(wrongInGroup) of \(inGroup) with \(group), \(wrongElsewhere) of \(elsewhere) otherwise"
    }

    static let minimumGroup = 5
    static let minimumDifference = 0.25
    static let minimumZ = 2.58

    /// The links of one question over the results that answered it, strongest first, at most `limit`.
    static func links(question: AssignmentQuestion, results: [QuestionResult], limit: Int = 3) -> [DrawnValueLink] {
        let drawn = question.values.filter(\.draw.varies)
        guard !drawn.isEmpty, results.count >= 2 * minimumGroup else { return [] }
        var found: [DrawnValueLink] = []
        for value in drawn {
            let texts = results.map { r in r.variant.values.first { $0.name == value.name }?.value }
            for (group, member) in groups(value.name, draw: value.draw, texts: texts) {
                for ask in question.asks {
                    var wrong = (inGroup: 0, n: 0, elsewhere: 0, m: 0)
                    for (r, isMember) in zip(results, member) {
                        guard let status = r.asks.first(where: { $0.ask.key == ask.key })?.status else { continue }
                        // A mistake in this ask: missing answers and carried errors (right from a wrong
                        // earlier value) are not.
                        let isWrong = status == .wrong || status == .partial || status == .invalid
                        if isMember { wrong.n += 1; if isWrong { wrong.inGroup += 1 } } else { wrong.m += 1; if isWrong { wrong.elsewhere += 1 } }
                    }
                    guard wrong.n >= minimumGroup, wrong.m >= minimumGroup, wrong.inGroup >= 3 else { continue }
                    let p1 = Double(wrong.inGroup) / Double(wrong.n), p2 = Double(wrong.elsewhere) / Double(wrong.m)
                    let pooled = Double(wrong.inGroup + wrong.elsewhere) / Double(wrong.n + wrong.m)
                    let spread = (pooled * (1 - pooled) * (1 / Double(wrong.n) + 1 / Double(wrong.m))).squareRoot()
                    guard p1 - p2 >= minimumDifference, spread > 0 else { continue }
                    let z = (p1 - p2) / spread
                    guard z >= minimumZ else { continue }
                    found.append(DrawnValueLink(ask: ask.key, group: group, wrongInGroup: wrong.inGroup, inGroup: wrong.n,
                                                wrongElsewhere: wrong.elsewhere, elsewhere: wrong.m, z: z))
                }
            }
        }
        // Strongest first; ties in a fixed order so the report is the same every run.
        return Array(found.sorted { ($0.z, $1.ask, $1.group) > ($1.z, $0.ask, $0.group) }.prefix(limit))
    }

    /// The groups of one drawn value, each with its name and which results fall in it.
    static func groups(_ name: String, draw: StudentDraw, texts: [String?]) -> [(String, [Bool])] {
        switch draw {
        case .fixed:
            return []
        case .choices(let options):
            return options.map { option in ("\(name) = \(option)", texts.map { $0 == option }) }
        case .integers, .uniform:
            let numbers = texts.map { $0.flatMap(AnswerNumber.parse) }
            let (low, high): (Double, Double)
            switch draw {
            case .integers(let range, _): (low, high) = (Double(range.lowerBound), Double(range.upperBound))
            case .uniform(let range, _): (low, high) = (range.lowerBound, range.upperBound)
            default: return []
            }
            if low < 0 && high > 0 {
                return [("\(name) < 0", numbers.map { ($0 ?? 0) < 0 }), ("\(name) > 0", numbers.map { ($0 ?? 0) > 0 })]
            }
            let middle = (low + high) / 2
            let text = NumberFormat.plain(middle)
            return [("\(name) < \(text)", numbers.map { $0.map { $0 < middle } ?? false }),
                    ("\(name) ≥ \(text)", numbers.map { $0.map { $0 >= middle } ?? false })]
        }
    }
}
