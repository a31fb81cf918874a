import Foundation
import Sim

/// Flags, in a batch, submissions that answer another student's numbers instead of their own, and runs
/// that are byte for byte another student's (issue 15, "what no grader has").
///
/// A submission is flagged as matching student B when at least `minimumMatches` of its answers, in at least
/// two questions, are wrong for its own draw but right, within the ask's tolerance, for B's, and those make
/// up at least half of its wrong answers. What honest slips produce is not evidence: matching a student
/// whose draw for the question is the same (they share its expected values), an answer that is its own
/// expected value negated (a sign slip lands on the draw with the signs flipped), and matches within one
/// question only (a misread input gives a whole question of another draw). Over 300 simulated honest
/// students with sign slips, wrong numbers and gaps, no flag is raised (Tests/LessonsTests/CopyingCheckTests).
public enum CopyingCheck {
    public static let minimumMatches = 3

    public struct Flag: Sendable, Hashable {
        public let student: String
        public let other: String
        /// What matched: "4 answers are bob's, not theirs" or "the run file is identical to bob's".
        public let reason: String
    }

    /// One submission as the check sees it: the student, their graded result, and for a run its bytes.
    public struct Entry: Sendable {
        public let student: String
        public let result: GradeResult
        public let runBytes: [UInt8]?

        public init(student: String, result: GradeResult, runBytes: [UInt8]? = nil) {
            self.student = student
            self.result = result
            self.runBytes = runBytes
        }
    }

    public static func flags(_ entries: [Entry]) -> [Flag] {
        var flags: [Flag] = []
        // Identical runs.
        var firstRun: [[UInt8]: String] = [:]
        for entry in entries {
            guard let bytes = entry.runBytes, !bytes.isEmpty else { continue }
            if let other = firstRun[bytes], other != entry.student {
                flags.append(Flag(student: entry.student, other: other, reason: "the run file is identical to \(other)'s"))
            } else {
                firstRun[bytes] = entry.student
            }
        }
        // Answers that are another student's. Per question and ask: every student's expected scalar, sorted,
        // so that a wrong answer finds the students whose value it is by binary search.
        struct Key: Hashable { let question: String; let ask: String }
        var expected: [Key: [(value: Double, student: String, draw: String)]] = [:]
        for entry in entries {
            for q in entry.result.questions {
                let draw = q.variant.values.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
                for a in q.asks {
                    guard case .numbers(let xs, _)? = a.expected, xs.count == 1, xs[0].isFinite else { continue }
                    expected[Key(question: q.question.id, ask: a.ask.key), default: []].append((xs[0], entry.student, draw))
                }
            }
        }
        for key in expected.keys { expected[key]?.sort { $0.value < $1.value } }
        for entry in entries where entry.runBytes == nil {
            var matches: [String: Int] = [:]
            var questionsMatched: [String: Set<String>] = [:]
            var wrong = 0
            for q in entry.result.questions {
                let ownDraw = q.variant.values.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
                for a in q.asks where a.status == .wrong || a.status == .carried {
                    guard let given = a.given.flatMap(Grader.number),
                          let list = expected[Key(question: q.question.id, ask: a.ask.key)] else { continue }
                    wrong += 1
                    if case .numbers(let own, _)? = a.expected, own.count == 1, a.ask.tolerance.accepts(given, -own[0]) { continue }
                    // The candidates within the tolerance's reach of the given value.
                    let reach = max(a.ask.tolerance.absolute, a.ask.tolerance.relative * abs(given)) * 2
                    var low = 0, high = list.count
                    while low < high { let mid = (low + high) / 2; if list[mid].value < given - reach { low = mid + 1 } else { high = mid } }
                    var others = Set<String>()
                    var i = low
                    while i < list.count, list[i].value <= given + reach {
                        let candidate = list[i]
                        if candidate.student != entry.student, candidate.draw != ownDraw, a.ask.tolerance.accepts(given, candidate.value) {
                            others.insert(candidate.student)
                        }
                        i += 1
                    }
                    for other in others {
                        matches[other, default: 0] += 1
                        questionsMatched[other, default: []].insert(q.question.id)
                    }
                }
            }
            guard let best = matches.filter({ (questionsMatched[$0.key]?.count ?? 0) >= 2 })
                    .max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
                  best.value >= minimumMatches, 2 * best.value >= wrong else { continue }
            flags.append(Flag(student: entry.student, other: best.key,
                              reason: "\(best.value) of \(wrong) wrong answers are \(best.key)'s numbers, not \(entry.student)'s"))
        }
        return flags.sorted { ($0.student, $0.other) < ($1.student, $1.other) }
    }
}
