import Sim

/// One run of a lesson: the script found and read, `--set` and `--seed` applied, the kind run.
public struct LessonRun: Sendable {
    public let script: LessonScript
    public let context: LessonContext
    public let result: LessonResult

    /// `overrides` is the text of `--set` options (`key=value,...`); `seed` replaces the script's;
    /// `recordsSteps` false leaves the trace's steps out of long runs (when no trace is written);
    /// `traceDetail` chooses the iterations the trace records with every node.
    public init(_ nameOrPath: String, overrides: [String] = [], seed: UInt64? = nil, recordsSteps: Bool = true,
                traceDetail: TraceDetail = .chosen) throws(LessonError) {
        try self.init(script: try LessonScript(named: nameOrPath), overrides: overrides, seed: seed, recordsSteps: recordsSteps,
                      traceDetail: traceDetail)
    }

    /// A run of a script already read.
    public init(script: LessonScript, overrides: [String] = [], seed: UInt64? = nil, recordsSteps: Bool = true,
                stepsInDetail: Bool = false, traceDetail: TraceDetail = .chosen) throws(LessonError) {
        try self.init(context: try Self.context(script: script, overrides: overrides, seed: seed, recordsSteps: recordsSteps,
                                                stepsInDetail: stepsInDetail, traceDetail: traceDetail))
    }

    /// The script with `--set` and `--seed` applied and checked, not yet run: the command reads its
    /// output folder (LessonContext.folderName) and checks it before anything is computed.
    /// `stepsInDetail` (for `--step`) has training kinds record a few iterations in full and every update.
    /// `tracedFor` names the options that need the trace, for a refusal (`--trace`, `--format html`).
    public static func context(script: LessonScript, overrides: [String] = [], seed: UInt64? = nil, recordsSteps: Bool = true,
                               stepsInDetail: Bool = false, traceDetail: TraceDetail = .chosen,
                               tracedFor: String = "--trace") throws(LessonError) -> LessonContext {
        var settings = script.settings
        for text in overrides { try settings.apply(try LessonSettings.overrides(text)) }
        try script.kind.check(settings, file: "--set")
        try LessonBudget.check(script.kind, settings, recordsSteps: recordsSteps, tracedFor: tracedFor)
        var context = LessonContext(script: script, settings: settings, seed: seed ?? script.seed, recordsSteps: recordsSteps)
        context.stepsInDetail = stepsInDetail
        context.traceDetail = traceDetail
        return context
    }

    /// Runs a prepared context.
    public init(context: LessonContext) throws(LessonError) {
        script = context.script
        self.context = context
        result = try script.kind.run(context)
    }

    /// A run with settings given as name–value pairs (an assignment's question), recording every step,
    /// without its report and figures (an assignment reads only the numbers, the summary and the steps).
    public init(_ nameOrPath: String, settings pairs: [(key: String, value: String)]) throws(LessonError) {
        let script = try LessonScript(named: nameOrPath)
        var settings = script.settings
        try settings.apply(pairs)
        try script.kind.check(settings, file: script.path)
        try LessonBudget.check(script.kind, settings, recordsSteps: true)
        self.script = script
        var context = LessonContext(script: script, settings: settings, seed: script.seed, recordsSteps: true)
        context.presentsReport = false
        self.context = context
        result = try script.kind.run(context)
    }

    /// What `nnsim show NAME` prints: the lesson, its settings with defaults and meaning, its report items.
    public static func description(of script: LessonScript) -> String {
        let kind = script.kind
        var lines = ["\(script.name): \(script.title)", script.summary, ""]
        lines.append("kind: \(kind.name): \(kind.description)")
        if !script.notes.isEmpty { lines.append("lecture notes: \(script.notes)") }
        lines.append("script: \(script.path) (\(script.origin.phrase))")
        lines.append("seed: \(script.seed)")
        lines.append("")
        lines.append("settings (--set name=value,...):")
        let width = script.settings.entries.map(\.setting.name.count).max() ?? 0
        for entry in script.settings.entries {
            let name = entry.setting.name.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(name)  \(entry.value)  (\(entry.setting.accepts))")
            lines.append("  \(String(repeating: " ", count: width))  \(entry.setting.meaning)")
        }
        lines.append("")
        lines.append("report (figures and tables):")
        for item in kind.reportItems {
            lines.append("  \(script.report.contains(item.name) ? "✓" : " ") \(item.name): \(item.meaning)")
        }
        return lines.joined(separator: "\n")
    }
}
