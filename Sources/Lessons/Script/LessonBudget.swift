import Sim
import Foundation

/// The memory a lesson run may take (docs/lesson-format.md, "Limits"). Each kind estimates, from its
/// settings alone, what a run would keep: its figures' points, the step-through's lines and, with
/// `--trace`, every recorded step. A run whose estimate is over the budget is refused before anything is
/// computed, with the estimate and the settings to lower, so that no setting in range can take the machine's
/// memory or abort after minutes. `benchmarks/memory` measures the largest runs the budget allows.
public enum LessonBudget {
    /// The most a run may take, in bytes (1 GB).
    public static let bytes = 1e9
    /// What every run takes besides what it keeps: the program, fonts, Cairo, the report's pages.
    static let base = 100e6
    /// Memory per number a trace records while the run keeps it and writes it (the step's tensors, their
    /// JSON text), and per node (names, structure): measured on the xor lesson with 4 and 64 hidden units.
    static let perTracedNumber = 70.0
    static let perTracedNode = 2_200.0

    /// What a trace of `steps` steps takes, each recording `nodes` nodes and `numbers` numbers.
    static func trace(steps: Double, nodes: Double, numbers: Double) -> Double {
        steps * (nodes * perTracedNode + numbers * perTracedNumber)
    }

    /// Refuses a run whose estimate is over the budget, naming the settings that make it large.
    /// `tracedFor` names the options that keep the trace (`--trace`, `--format html`, which is drawn from it).
    static func check(_ kind: any LessonKind.Type, _ settings: LessonSettings, recordsSteps: Bool,
                      tracedFor: String = "--trace") throws(LessonError) {
        let estimate = try kind.estimate(settings, recordsSteps: recordsSteps)
        let total = base + estimate.bytes
        guard total > bytes else { return }
        let named = estimate.settings.map { "\($0)=\(settings[$0]?.description ?? "?")" }.joined(separator: ", ")
        let lower = estimate.settings.joined(separator: " or ") + (recordsSteps ? ", or leave out \(tracedFor)" : "")
        throw LessonError("\(named)\(recordsSteps ? " with \(tracedFor)" : "") would take about \(describe(total)) of memory; the limit is \(describe(bytes)): lower \(lower)")
    }

    /// `8.2 GB`, `950 MB`: rounded up, so that an estimate just over the budget never reads as the budget.
    public static func describe(_ bytes: Double) -> String {
        guard bytes >= 1e9 else { return NumberFormat.fixed((bytes / 1e6).rounded(.up), decimals: 0) + " MB" }
        let tenths = (bytes / 1e8).rounded(.up)
        return NumberFormat.fixed(tenths / 10, decimals: tenths.truncatingRemainder(dividingBy: 10) == 0 ? 0 : 1) + " GB"
    }
}

/// A kind's estimate of what a run keeps, and which of its settings drive it.
public struct LessonEstimate: Sendable {
    public var bytes: Double
    /// The settings that make the run large, for the message (`steps`, `hidden`).
    public var settings: [String]

    public init(bytes: Double, settings: [String]) {
        self.bytes = bytes
        self.settings = settings
    }

    /// The settings by their declarations (`[settings.$steps]`).
    public init(bytes: Double, settings: [LessonSetting]) {
        self.init(bytes: bytes, settings: settings.map(\.name))
    }

    public static let none = LessonEstimate(bytes: 0, settings: [String]())
}
