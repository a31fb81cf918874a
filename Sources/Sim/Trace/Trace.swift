/// The record of one nnsim command, as written to a trace file (`docs/trace-format.md` is the reference).
///
/// Plain data: what ran (`source`), with which settings, on which data, and one or more named runs, each
/// with its own settings, starting point, steps and summary (a lesson that compares three learning rates
/// makes three runs), and a summary of the whole. `detail` says which iterations carry the full graph (every
/// node's value, gradient, local derivatives and messages); every iteration carries its loss and parameters.
/// Build it while running, then `write(to:)`; `read(from:)` loads one back (version 2 or 1), checking
/// everything, so it is safe on files from anywhere.
public struct Trace: Sendable, Hashable {
    /// The value of the `format` field.
    public static let format = "nnsim-trace"
    /// The format version this code writes.
    public static let version = 2
    /// The versions this code reads (version 1 is read as one run called `main`).
    public static let readableVersions = 1...2

    public var source: TraceSource
    /// Every resolved setting (defaults included), the seed among them, in a fixed order.
    public var settings: NamedValues<TraceValue>
    /// The data set, when the command has one (by convention `inputs` and `targets`), shared by its runs.
    public var data: NamedTensors?
    /// Which iterations are recorded with every node (`--trace-detail`).
    public var detail: TraceDetail
    /// The runs, in the order they ran; names are unique.
    public var runs: [TraceRun]
    /// Results of the whole command, in a fixed order.
    public var summary: NamedValues<TraceValue>

    public init(source: TraceSource, settings: NamedValues<TraceValue> = [:], data: NamedTensors? = nil,
                detail: TraceDetail = .all, runs: [TraceRun] = [], summary: NamedValues<TraceValue> = [:]) {
        self.source = source
        self.settings = settings
        self.data = data
        self.detail = detail
        self.runs = runs
        self.summary = summary
    }

    /// The run called `name`.
    public func run(named name: String) -> TraceRun? { runs.first { $0.name == name } }
}

/// One run of a command: a training from one start with one optimizer, one pass through a graph.
public struct TraceRun: Sendable, Hashable {
    /// Unique within the trace, plain ASCII: `main`, `rate-good`, `ravine-adam`.
    public var name: String
    /// What this run sets beyond the trace's settings (its learning rate, its start, its optimizer).
    public var settings: NamedValues<TraceValue>
    /// Every parameter before the first step (the optimizers' starting point included).
    public var initial: NamedTensors
    public var steps: [TraceStep]
    /// Results of this run (final loss, outcome, …).
    public var summary: NamedValues<TraceValue>

    public init(name: String, settings: NamedValues<TraceValue> = [:], initial: NamedTensors = [:],
                steps: [TraceStep] = [], summary: NamedValues<TraceValue> = [:]) {
        self.name = name
        self.settings = settings
        self.initial = initial
        self.steps = steps
        self.summary = summary
    }
}

/// Which iterations a trace records with every node; the others keep their loss and parameters.
public enum TraceDetail: Sendable, Hashable, CustomStringConvertible {
    /// The first, second, 10th, 100th, 1000th, the middle and the last iteration of each run: those the
    /// report and the stepper show.
    case chosen
    /// Every iteration.
    case all
    /// Every n-th iteration (n, 2n, …), and the first and the last.
    case every(Int)
    /// These iterations (1-based), and the first and the last.
    case iterations([Int])

    /// Whether iteration `iteration` (1-based) of a run of `count` is recorded in full.
    public func includes(_ iteration: Int, of count: Int) -> Bool {
        switch self {
        case .all: return true
        case .chosen: return Self.chosenIterations(count).contains(iteration)
        case .every(let n): return iteration == 1 || iteration == count || (n > 0 && iteration % n == 0)
        case .iterations(let list): return iteration == 1 || iteration == count || list.contains(iteration)
        }
    }

    /// The iterations `chosen` records in full: 1, 2, 10, 100, 1000, the middle one and the last.
    public static func chosenIterations(_ count: Int) -> Set<Int> {
        Set([1, 2, 10, 100, 1000, count / 2, count].filter { $0 >= 1 && $0 <= count })
    }

    /// `chosen`, `all`, `every:N` or a list `1,5,20`, as `--trace-detail` and the trace's `detail` field write it.
    public var description: String {
        switch self {
        case .chosen: return "chosen"
        case .all: return "all"
        case .every(let n): return "every:\(n)"
        case .iterations(let list): return list.map(String.init).joined(separator: ",")
        }
    }

    /// Reads the text form; nil when it is none of them.
    public init?(_ text: String) {
        switch text {
        case "chosen": self = .chosen
        case "all": self = .all
        default:
            if text.hasPrefix("every:") {
                guard let n = Int(text.dropFirst(6)), n >= 1, String(n) == text.dropFirst(6) else { return nil }
                self = .every(n)
                return
            }
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            var list: [Int] = []
            for part in parts {
                guard let n = Int(part), n >= 1, String(n) == part else { return nil }
                list.append(n)
            }
            guard !list.isEmpty else { return nil }
            self = .iterations(Array(Set(list)).sorted())
        }
    }
}

/// What a trace records a run of.
public enum TraceSource: Sendable, Hashable {
    /// `nnsim graph`: a named expression such as `L = c*(a + 2*b)`.
    case graph(name: String, expression: String)
    /// A lesson, and the script it ran from (as given: a lesson name or a path).
    case lesson(name: String, script: String)

    public var name: String {
        switch self {
        case .graph(let name, _), .lesson(let name, _): return name
        }
    }
}

/// Looking values up by the names assignments and readers use.
extension Trace {
    /// The run a name refers to: `RUN` names a run; nil picks the only run (nil when there are several).
    public func run(_ name: String?) -> TraceRun? {
        guard let name else { return runs.count == 1 ? runs[0] : nil }
        return run(named: name)
    }

    /// Splits `RUN.NAME` into the run and the name within it; a key without a run's name before a dot is
    /// the only run's (or the trace's own summary's).
    public func split(_ key: String) -> (run: String?, name: String) {
        if let dot = key.firstIndex(of: "."), run(named: String(key[..<dot])) != nil {
            return (String(key[..<dot]), String(key[key.index(after: dot)...]))
        }
        return (nil, key)
    }

    /// A summary value: `KEY` in the trace's summary or, failing that, the only run's; `RUN.KEY` in that run's.
    public func summaryValue(_ key: String) -> TraceValue? {
        let (runName, name) = split(key)
        if runName == nil, let value = summary[name] { return value }
        return run(runName)?.summary[name]
    }

    /// Every key `summaryValue` accepts, for messages.
    public var summaryKeys: [String] {
        summary.names + (runs.count == 1 ? runs[0].summary.names : runs.flatMap { run in run.summary.names.map { "\(run.name).\($0)" } })
    }
}
