import Lessons

/// A key as the stepper reads it (KeyDecoder turns terminal bytes into these).
enum Key: Equatable, Sendable {
    case right, left, up, down, pageUp, pageDown, enter, backspace, escape
    /// Ctrl-D or the end of input, and Ctrl-C: both quit.
    case endOfInput, interrupt
    case character(Character)
    /// An escape sequence the stepper does not use (F1, Home, …).
    case unknown
}

/// Where the stepper is and what a key does: a pure state machine, so that every key can be tested
/// without a terminal. Position 0 is the title page (title, inputs, settings, keys); 1…n are the steps.
/// In a training run, steps carry their iteration: N/P (], [, ↓, ↑, PgDn, PgUp) move between
/// iterations, and a typed number jumps to that iteration; elsewhere a number jumps to that step.
/// `g` then a number jumps to a step. Anything else says so on one line and stays on the same step.
struct StepperModel {
    let steps: [LessonStep]
    /// 0: the title page; k: step k (1-based).
    private(set) var position = 0
    /// A number being typed: after `g` (a step) or a digit (an iteration, or a step without iterations).
    private(set) var entry: Entry?
    /// One line about the last key when it did nothing (an invalid key or number), else nil.
    private(set) var message: String?
    private(set) var finished = false

    enum Entry: Equatable {
        case iteration(String)
        case step(String)
    }

    /// The iterations present, in order, with the index (1-based) of each one's first step.
    let iterations: [(number: Int, first: Int)]

    init(steps: [LessonStep]) {
        self.steps = steps
        var seen: [(Int, Int)] = []
        for (i, step) in steps.enumerated() {
            if let n = step.iteration, seen.last?.0 != n { seen.append((n, i + 1)) }
        }
        iterations = seen
    }

    var hasIterations: Bool { !iterations.isEmpty }
    var current: LessonStep? { position >= 1 && position <= steps.count ? steps[position - 1] : nil }
    /// The last iteration number of the run (the lesson's setting), as far as the steps tell.
    var lastIteration: Int { iterations.last?.number ?? 0 }

    /// Applies one key.
    mutating func handle(_ key: Key) {
        message = nil
        if let entry {
            handleEntry(entry, key)
            return
        }
        switch key {
        case .right, .enter, .character("n"), .character(" "): moveStep(by: 1)
        case .left, .backspace, .character("p"): moveStep(by: -1)
        case .down, .pageDown, .character("N"), .character("]"): moveIteration(by: 1)
        case .up, .pageUp, .character("P"), .character("["): moveIteration(by: -1)
        case .character("g"): entry = .step("")
        case .character(let c) where c.isASCII && c.isNumber:
            entry = hasIterations ? .iteration(String(c)) : .step(String(c))
        case .character("q"), .character("Q"), .endOfInput, .interrupt: finished = true
        case .escape: break
        case .character(let c):
            let shown = c.asciiValue.map { $0 > 32 && $0 < 127 } ?? !c.isWhitespace ? "'\(c)'" : "that key"
            message = "\(shown) is not a key here: → or n next, ← or p back, q quits"
        case .unknown:
            message = "that key is not used here: → or n next, ← or p back, q quits"
        }
    }

    private mutating func handleEntry(_ entry: Entry, _ key: Key) {
        var digits: String
        switch entry { case .iteration(let d), .step(let d): digits = d }
        switch key {
        case .character(let c) where c.isASCII && c.isNumber:
            digits.append(c)
            if digits.count > 9 { digits.removeLast() }
        case .backspace:
            if digits.isEmpty { self.entry = nil; return }
            digits.removeLast()
        case .escape:
            self.entry = nil
            return
        case .endOfInput, .interrupt, .character("q"):
            self.entry = nil
            finished = true
            return
        case .enter:
            self.entry = nil
            jump(entry, to: digits)
            return
        default:
            self.entry = nil
            message = "type a number, then Enter (Esc cancels)"
            return
        }
        switch entry {
        case .iteration: self.entry = .iteration(digits)
        case .step: self.entry = .step(digits)
        }
    }

    private mutating func jump(_ entry: Entry, to digits: String) {
        guard let n = Int(digits) else {
            message = "no number typed: nothing changed"
            return
        }
        switch entry {
        case .step:
            guard n >= 1 && n <= steps.count else {
                message = "there is no step \(n): the steps are 1 to \(steps.count)"
                return
            }
            position = n
        case .iteration:
            guard let target = iterations.first(where: { $0.number == n }) else {
                message = n >= 1 && n <= lastIteration
                    ? "iteration \(n) was not recorded"
                    : "there is no iteration \(n): the iterations are 1 to \(lastIteration)"
                return
            }
            position = target.first
        }
    }

    private mutating func moveStep(by delta: Int) {
        let next = position + delta
        if next > steps.count {
            message = "this is the last step: q quits"
        } else if next < 0 {
            message = "this is the beginning"
        } else {
            position = next
        }
    }

    /// The index in `iterations` of the current step's iteration (nil on the title page).
    private var iterationIndex: Int? {
        guard let n = current?.iteration else { return nil }
        return iterations.firstIndex { $0.number == n }
    }

    private mutating func moveIteration(by delta: Int) {
        guard hasIterations else {
            message = "this run has no iterations: → and ← move by step"
            return
        }
        if position == 0 {
            if delta > 0 { position = iterations[0].first } else { message = "this is the beginning" }
            return
        }
        // A step outside every iteration (a lesson's steps before its training runs): the nearest
        // iteration after it or before it.
        guard let index = iterationIndex else {
            if delta > 0, let next = iterations.first(where: { $0.first > position }) {
                position = next.first
            } else if delta < 0, let previous = iterations.last(where: { $0.first < position }) {
                position = previous.first
            } else {
                message = delta > 0 ? "this is the last iteration: q quits" : "this is the first iteration"
            }
            return
        }
        let next = index + delta
        if next >= iterations.count {
            message = "this is the last iteration: q quits"
        } else if next < 0 {
            message = "this is the first iteration"
        } else {
            position = iterations[next].first
        }
    }
}
