/// The record of one nnsim run, as written to a trace file (`docs/trace-format.md` is the reference).
///
/// Plain data: what ran (`source`), with which settings, on which data, the parameters before the first
/// step, every step in full, and a summary. Build it while running, then `write(to:)`; `read(from:)` loads
/// one back, checking everything, so it is safe on files from anywhere.
public struct Trace: Sendable, Hashable {
    /// The value of the `format` field.
    public static let format = "nnsim-trace"
    /// The format version this code writes and reads.
    public static let version = 1

    public var source: TraceSource
    /// Every resolved setting (defaults included), the seed among them, in a fixed order.
    public var settings: NamedValues<TraceValue>
    /// The data set, when the run has one (by convention `inputs` and `targets`).
    public var data: NamedTensors?
    /// Every parameter before the first step.
    public var initial: NamedTensors
    public var steps: [TraceStep]
    /// Results of the whole run (final loss, steps taken, …), in a fixed order.
    public var summary: NamedValues<TraceValue>

    public init(source: TraceSource, settings: NamedValues<TraceValue> = [:], data: NamedTensors? = nil,
                initial: NamedTensors = [:], steps: [TraceStep] = [], summary: NamedValues<TraceValue> = [:]) {
        self.source = source
        self.settings = settings
        self.data = data
        self.initial = initial
        self.steps = steps
        self.summary = summary
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
