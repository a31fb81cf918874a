import Foundation
import Numbers
import Render
import Sim

/// What one surface's run shows, computed from its outcome, so that every sentence the lesson says about
/// the optimizers is true of the run it describes (issue 14: the script once said the adaptive methods
/// "walk almost straight down" on a run where RMSProp ended worst). Each finding is computed from the
/// paths; `sentences` words them, and a test checks them against its own reading of the trace.
extension OptimizersLesson {
    /// Why a run ends with the highest f, as its numbers show it.
    enum Ending: Equatable {
        /// f was lowest (`lowest`) at iteration `at`, more than 10 times below where it ends: the run does not settle.
        case unsettled(lowest: Double, at: Int)
        /// f still fell by a factor of at least 1.5 over the last tenth of the iterations, from `from`.
        case stillFalling(from: Double)
        /// f changed by less than that over the last tenth, from `from`.
        case stalled(from: Double)
    }

    struct Findings {
        /// The runs that reach f < 10⁻³, with the first such iteration, earliest first.
        var reached: [(name: String, iteration: Int)]
        /// The runs that do not (and did not diverge), with their last f, lowest first.
        var missed: [(name: String, f: Double)]
        /// The runs whose point left Double's range, with the update that did.
        var diverged: [(name: String, iteration: Int)]
        /// The run with the highest last f among those that did not diverge, and why.
        var worst: (name: String, f: Double, ending: Ending)?
        /// The mean length of the worst run's first and last ten steps, and its rate.
        var worstSteps: (first: Double, last: Double, rate: Double)?
        /// Runs whose steps turn back (a negative dot product with the step before) in at least half of
        /// their iterations, with that share, most first.
        var zigzag: [(name: String, share: Double)]
        /// The path length over the straight distance from start to end, for the most and the least direct
        /// run that moved.
        var straightest: (name: String, ratio: Double)?
        var longest: (name: String, ratio: Double)?
        let steps: Int, count: Int
    }

    /// A run's steps θₖ₊₁ − θₖ.
    static func steps(of run: Run) -> [(Double, Double)] {
        zip(run.points, run.points.dropFirst()).map { ($1.x - $0.x, $1.y - $0.y) }
    }

    static func findings(_ result: SurfaceRun) -> Findings {
        let runs = result.runs, steps = result.surface.steps
        let reached = runs.compactMap { run in run.first(below: threshold).map { (name: run.name, iteration: $0) } }
            .sorted { ($0.iteration, $0.name) < ($1.iteration, $1.name) }
        let settled = runs.filter { $0.divergedAt == nil }
        let missed = settled.filter { $0.first(below: threshold) == nil }.map { (name: $0.name, f: $0.values.last ?? .nan) }.sorted { $0.f < $1.f }
        let diverged = runs.compactMap { run in run.divergedAt.map { (name: run.name, iteration: $0) } }
        var worst: (name: String, f: Double, ending: Ending)?
        var worstSteps: (first: Double, last: Double, rate: Double)?
        if settled.count > 1, let run = settled.max(by: { ($0.values.last ?? .nan) < ($1.values.last ?? .nan) }),
           let last = run.values.last, let lowest = run.values.min(), let at = run.values.firstIndex(of: lowest) {
            let earlier = run.values[max(0, run.values.count - 1 - max(1, (run.values.count - 1) / 10))]
            let ending: Ending = last > 10 * lowest ? .unsettled(lowest: lowest, at: at)
                : (earlier >= 1.5 * last ? .stillFalling(from: earlier) : .stalled(from: earlier))
            worst = (run.name, last, ending)
            let lengths = Self.steps(of: run).map { hypot($0.0, $0.1) }
            if lengths.count >= 20 {
                worstSteps = (lengths.prefix(10).reduce(0, +) / 10, lengths.suffix(10).reduce(0, +) / 10, run.rate)
            }
        }
        let zigzag = settled.compactMap { run -> (name: String, share: Double)? in
            let s = Self.steps(of: run)
            guard s.count >= 2 else { return nil }
            let back = zip(s, s.dropFirst()).filter { $0.0 * $1.0 + $0.1 * $1.1 < 0 }.count
            let share = Double(back) / Double(s.count - 1)
            return share >= 0.5 ? (run.name, share) : nil
        }.sorted { $0.share > $1.share }
        let ratios = settled.compactMap { run -> (name: String, ratio: Double)? in
            guard let a = run.points.first, let b = run.points.last else { return nil }
            let straight = hypot(b.x - a.x, b.y - a.y)
            let length = Self.steps(of: run).map { hypot($0.0, $0.1) }.reduce(0, +)
            return straight > 0 && length.isFinite ? (run.name, length / straight) : nil
        }
        return Findings(reached: reached, missed: missed, diverged: diverged, worst: worst, worstSteps: worstSteps, zigzag: zigzag,
                        straightest: ratios.min { $0.ratio < $1.ratio }, longest: ratios.count > 1 ? ratios.max { $0.ratio < $1.ratio } : nil,
                        steps: steps, count: runs.count)
    }
}

extension OptimizersLesson.Findings {
    private static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }

    private static func f(_ value: Double) -> String { NumberFormat.display(value) }

    /// The findings as sentences, in the order: who reaches 10⁻³ and when, who does not, who diverges, who
    /// zig-zags, the most and least direct paths, and the worst ending with the numbers behind it.
    var sentences: [String] {
        var text: [String] = []
        if reached.isEmpty {
            text.append("None of the \(count) reaches f < 10⁻³ within \(steps) iterations.")
        } else {
            text.append("\(count == reached.count ? "All \(count)" : "\(reached.count) of \(count)") reach\(reached.count == 1 ? "es" : "") f < 10⁻³ within \(steps) iterations: "
                        + Self.list(reached.map { "\($0.name) at iteration \($0.iteration)" }) + ".")
        }
        if !missed.isEmpty {
            text.append((missed.count == 1 ? "\(missed[0].name) does not: it ends" : "\(Self.list(missed.map(\.name))) do not: they end")
                        + " at f = " + Self.list(missed.map { Self.f($0.f) }) + ".")
        }
        if !diverged.isEmpty {
            text.append(Self.list(diverged.map { "\($0.name) diverges (its point leaves Double's range at iteration \($0.iteration))" }) + ".")
        }
        if !zigzag.isEmpty {
            text.append("Zig-zag: " + Self.list(zigzag.map { "\($0.name) turns back (its step points against the one before) in \(NumberFormat.fixed(100 * $0.share, decimals: 0)) % of its steps" }) + ".")
        }
        if let s = straightest, let l = longest, s.name != l.name {
            text.append("The most direct path is \(s.name)'s, \(NumberFormat.significant(s.ratio, digits: 3)) times as long as the straight line from start to end; the longest is \(l.name)'s, \(NumberFormat.significant(l.ratio, digits: 3)) times.")
        }
        if let worst {
            var sentence = "\(worst.name) ends highest, at f = \(Self.f(worst.f))"
            switch worst.ending {
            case .unsettled(let lowest, let at):
                sentence += ", though it was down to f = \(Self.f(lowest)) at iteration \(at): it does not settle."
            case .stillFalling(let from):
                sentence += ", down from f = \(Self.f(from)) a tenth of the iterations before the end: it is slow, not stuck."
            case .stalled(let from):
                sentence += ", down only from f = \(Self.f(from)) a tenth of the iterations before the end."
            }
            text.append(sentence)
            if let steps = worstSteps { text.append(reason(worst.name, ending: worst.ending, steps: steps)) }
        }
        return text
    }

    /// The worst run's first and last ten steps, and what its update rule makes of them where the numbers
    /// bear it out.
    private func reason(_ name: String, ending: OptimizersLesson.Ending, steps: (first: Double, last: Double, rate: Double)) -> String {
        let lengths = "Its first ten steps average \(Self.f(steps.first)) in length, its last ten \(Self.f(steps.last))"
        let symbol = Optimizers.named(name)?.rateSymbol ?? "η"
        let falling = if case .stillFalling = ending { true } else { false }
        if ["rmsprop", "adam"].contains(name), steps.last >= 0.1 * steps.rate, steps.last <= 10 * steps.rate {
            return lengths + " (\(symbol) = \(Self.f(steps.rate))): dividing by the running root mean square of its gradients keeps each step near \(symbol) however small the gradient, "
                + (falling ? "so it closes in no faster than about \(symbol) per step." : "so it keeps moving about instead of closing in.")
        }
        if name == "adagrad", steps.last < steps.first / 10 {
            return lengths + ": Adagrad divides by the root of the sum of every squared gradient so far, which only grows, so its steps keep shrinking."
        }
        if name == "gd", steps.last < steps.first {
            return lengths + ": its step is \(symbol) = \(Self.f(steps.rate)) times the gradient, so the gradient there is only about \(Self.f(steps.last / steps.rate)) long."
        }
        return lengths + "."
    }
}
