import Foundation
import Render
import Sim

/// A kind of lesson, as scripts, the catalog and the command see it: the Swift type that runs every
/// script naming it (`kind: mlp`), with the settings it understands, the narrative sections it reads and
/// the figures and tables it can put in the report, by the names scripts use. A kind is written as a
/// `DeclaredLessonKind`, whose typed declarations give all of these.
public protocol LessonKind: Sendable {
    static var name: String { get }
    /// What lessons of this kind do, for `nnsim show`.
    static var description: String { get }
    static var settings: [LessonSetting] { get }
    static var sections: [String] { get }
    static var reportItems: [ReportItem] { get }
    /// Whether a script may declare its own number settings (the inputs of a graph lesson's expression).
    static var acceptsVariables: Bool { get }
    /// The settings a script's title, summary and sections describe (by default those declared
    /// `narrative`): a run that changes one is another lesson than the text tells (LessonContext.departures).
    static var narrativeSettings: [String] { get }
    /// The title of a run that changes a narrative setting (LessonSetting.narrative), since the script's
    /// title describes its own (`Backpropagation on L = a*b*c`); nil: the script's title with what changed.
    static func title(for settings: LessonSettings) -> String?
    /// Checks that need several settings together (an expression's inputs all given). `file` names the
    /// script in errors.
    static func check(_ settings: LessonSettings, file: String) throws(LessonError)
    /// What a run with these settings would keep in memory, from the settings alone, before anything is
    /// computed (`LessonBudget` refuses runs over the budget); `recordsSteps` when the trace is written.
    static func estimate(_ settings: LessonSettings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate
    static func run(_ lesson: LessonContext) throws(LessonError) -> LessonResult
}

extension LessonKind {
    public static var acceptsVariables: Bool { false }
    public static var narrativeSettings: [String] { settings.filter(\.narrative).map(\.name) }
}

/// A lesson kind as it is written (Kinds/README.md): typed declarations and a run in two steps.
/// - `Settings`: a struct of `@Setting` properties, whose declaration is the schema (name, type, default,
///   range, help) that scripts, `--set`, `nnsim show` and the docs read; the kind reads typed values.
/// - `Item` and `Section`: the report's figures and tables, and the narrative sections, as enums.
/// - `compute` makes the run's numbers (an `Outcome`); `present` turns them into the narration, the
///   steps, the report, the figures and the trace, without computing anything the outcome does not hold.
public protocol DeclaredLessonKind: LessonKind {
    associatedtype Settings: LessonSettingsDeclaration
    associatedtype Item: LessonReportItem
    associatedtype Section: LessonSection
    /// What a run computed: its numbers (losses, weights, runs), and what the engine recorded of them.
    associatedtype Outcome

    static func title(for settings: Settings) -> String?
    static func check(_ settings: Settings) throws(LessonError)
    static func estimate(_ settings: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate
    static func compute(_ lesson: Lesson<Self>) throws(LessonError) -> Outcome
    static func present(_ outcome: Outcome, in lesson: Lesson<Self>) throws(LessonError) -> LessonResult
}

extension DeclaredLessonKind {
    public static var settings: [LessonSetting] { Settings.declarations }
    public static var sections: [String] { Section.allCases.map(\.rawValue) }
    public static var reportItems: [ReportItem] { Item.allCases.map { ReportItem($0.rawValue, $0.meaning) } }

    public static func title(for settings: Settings) -> String? { nil }
    public static func check(_ settings: Settings) throws(LessonError) {}
    public static func estimate(_ settings: Settings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate { .none }

    public static func title(for settings: LessonSettings) -> String? {
        (try? Settings(settings)).flatMap { title(for: $0) }
    }

    public static func check(_ settings: LessonSettings, file: String) throws(LessonError) {
        do {
            try check(try Settings(settings))
        } catch {
            var placed = error
            placed.file = file
            throw placed
        }
    }

    public static func estimate(_ settings: LessonSettings, recordsSteps: Bool) throws(LessonError) -> LessonEstimate {
        try estimate(try Settings(settings), recordsSteps: recordsSteps)
    }

    public static func run(_ context: LessonContext) throws(LessonError) -> LessonResult {
        let lesson = try Lesson<Self>(context)
        return try present(try compute(lesson), in: lesson)
    }
}

/// A figure or table a report can hold, by the name scripts use in `report:`.
public struct ReportItem: Sendable {
    public let name: String
    public let meaning: String

    public init(_ name: String, _ meaning: String) {
        self.name = name
        self.meaning = meaning
    }
}

/// What a kind's `compute` and `present` get: the run's context (script, seed, what to record) and its
/// settings as the kind declared them. Everything of the context reads through it (`lesson.seed`).
@dynamicMemberLookup
public struct Lesson<Kind: DeclaredLessonKind>: Sendable {
    public let context: LessonContext
    public let settings: Kind.Settings

    public init(_ context: LessonContext) throws(LessonError) {
        self.context = context
        settings = try Kind.Settings(context.settings)
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<LessonContext, Value>) -> Value { context[keyPath: keyPath] }

    /// Whether the report holds this figure or table.
    public func includes(_ item: Kind.Item) -> Bool { context.includes(item.rawValue) }

    /// The script's narrative for a section, or nil; nil too when the run changes what the text describes.
    public func narrative(_ section: Kind.Section) -> String? { context.narrative(section.rawValue) }

    /// A figure laid out for the report's A4 pages.
    public func paper(_ figure: any Figure) throws(LessonError) -> DisplayList { try context.paper(figure) }

    /// A recorder for one run of `iterations` iterations (nothing is kept when no trace is written).
    func recorder(_ name: String, settings: NamedValues<TraceValue> = [:], initial: NamedTensors, iterations: Int) -> TraceRecorder {
        context.recorder(name, settings: settings, initial: initial, iterations: iterations)
    }

    /// The run's trace: its source, settings and detail, and the runs the kind made.
    func trace(data: NamedTensors? = nil, runs: [TraceRun], summary: NamedValues<TraceValue> = [:]) -> Trace {
        context.trace(data: data, runs: runs, summary: summary)
    }
}

/// Every lesson kind, by name.
public enum LessonKinds {
    public static let all: [any LessonKind.Type] = [GraphLesson.self, PerceptronLesson.self, AdalineLesson.self, NetworkLesson.self,
                                                   SaturationLesson.self, SymmetryLesson.self, ExplodingLesson.self, OptimizersLesson.self,
                                                   NewtonLesson.self, MLPLesson.self, BatchNormLesson.self,
                                                   LogisticLesson.self, SoftmaxLesson.self, MinibatchLesson.self,
                                                   SchedulesLesson.self, RegularizationLesson.self]

    public static func named(_ name: String) -> (any LessonKind.Type)? {
        all.first { $0.name == name }
    }
}

/// What a kind's `run` gets: the script, its resolved settings and seed.
public struct LessonContext: Sendable {
    public let script: LessonScript
    public let settings: LessonSettings
    public let seed: UInt64
    /// Whether the trace needs every step (it is written); without, a long run keeps only its summary.
    public let recordsSteps: Bool
    /// Whether `--step` asked for the steps: training kinds then record full detail for a few iterations
    /// and each iteration's update (StepRecording); without, they keep only what they print.
    public var stepsInDetail = false
    /// Which iterations the trace records with every node (`--trace-detail`); the others keep their loss
    /// and parameters.
    public var traceDetail: TraceDetail = .chosen
    /// Whether the run presents its report and figures. An assignment's question reads only the numbers,
    /// the summary and the steps; without a report, no report item is included (`includes` is false), so
    /// no figure is drawn and nothing only a figure needs (a contour grid, decision-region snapshots) is
    /// computed.
    public var presentsReport = true
    /// How the run's figures look (`--theme`, `--aspect`, `--transparent`); the report's figures take its
    /// report scheme (FigureStyle.paper).
    public var figureStyle = FigureStyle.standard

    public init(script: LessonScript, settings: LessonSettings, seed: UInt64, recordsSteps: Bool = true) {
        self.script = script
        self.settings = settings
        self.seed = seed
        self.recordsSteps = recordsSteps
    }

    let measurer = CairoTextMeasurer()

    /// The run's trace: its source, settings and detail, and the runs the kind made.
    func trace(data: NamedTensors? = nil, runs: [TraceRun], summary: NamedValues<TraceValue> = [:]) -> Trace {
        Trace(source: .lesson(name: script.name, script: script.path), settings: settings.traceSettings(seed: seed),
              data: data, detail: traceDetail, runs: runs, summary: summary)
    }

    /// A recorder for one run of `iterations` iterations (nothing is kept when no trace is written).
    func recorder(_ name: String, settings: NamedValues<TraceValue> = [:], initial: NamedTensors, iterations: Int) -> TraceRecorder {
        TraceRecorder(run: TraceRun(name: name, settings: settings, initial: initial), detail: traceDetail,
                      iterations: iterations, enabled: recordsSteps)
    }

    /// A figure laid out for the report's A4 pages.
    public func paper(_ figure: any Figure) throws(LessonError) -> DisplayList {
        do {
            return try figure.layout(theme: figureStyle.paper, measurer: measurer)
        } catch {
            throw LessonError("could not lay out a figure: \(error)")
        }
    }

    /// Whether the report holds the figure or table of this name (never, in a run that presents no report).
    func includes(_ item: String) -> Bool { presentsReport && script.report.contains(item) }

    /// The settings the script's text describes (LessonSetting.narrative) that this run changes
    /// (`--set data=circle.csv`), with the script's value and the run's.
    public var departures: [(name: String, script: String, run: String)] {
        script.kind.narrativeSettings.compactMap { name in
            guard let ours = settings.entries.first(where: { $0.setting.name == name })?.value,
                  let theirs = script.settings.entries.first(where: { $0.setting.name == name })?.value,
                  ours != theirs else { return nil }
            return (name, theirs.description, ours.description)
        }
    }

    /// The script's narrative for a section, or nil; nil too when the run changes what the text describes.
    func narrative(_ section: String) -> String? { departures.isEmpty ? script.sections[section] : nil }

    /// The script's title; for a run that changes what the script describes, the kind's title for it
    /// ("A hidden layer on circle.csv") or the script's title with what changed.
    public var title: String {
        guard !departures.isEmpty else { return script.title }
        return script.kind.title(for: settings) ?? script.title + ", with " + departures.map { "\($0.name) = \($0.run)" }.joined(separator: ", ")
    }

    /// The folder the run's files go into, inside `--out`: the lesson's name, and when the run uses other
    /// data or another expression than the script, a second part that says so (`xor-circle` for
    /// `data=circle.csv`, `backprop-custom` for another expression), so it never overwrites the lesson's own.
    public var folderName: String {
        var name = script.name
        for departure in departures {
            // A data set names itself; another expression (text) is the user's own; a number changes no name.
            switch settings.entries.first(where: { $0.setting.name == departure.name })?.setting.type {
            case .data?:
                let stem = ((departure.run as NSString).lastPathComponent as NSString).deletingPathExtension
                let safe = String(stem.unicodeScalars.map { scalar -> Character in
                    CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII || scalar == "-" || scalar == "_" ? Character(scalar) : "_"
                })
                name += "-" + (safe.isEmpty ? "data" : safe)
            case .text?: name += "-custom"
            default: continue
            }
        }
        return name
    }

    /// The first lines the terminal prints: a blank line, the title and, when the run changes what the
    /// script describes, the sentence that says so.
    public var introduction: [String] {
        ["", title] + (departures.isEmpty ? [] : [summary])
    }

    /// The script's summary, or, when the run changes what it describes, a sentence that says so.
    public var summary: String {
        guard !departures.isEmpty else { return script.summary }
        let changes = departures.map { "\($0.name) \($0.run) instead of the script's \($0.script)" }.joined(separator: ", ")
        return "This run uses \(changes). The script's explanations, written for its own \(departures.map(\.name).joined(separator: " and ")), are left out; every number, table and figure is this run's."
    }

    /// The title page's table: every setting, the seed, the nnsim version, the lecture notes.
    public var metadata: [(key: String, value: String)] {
        var rows = settings.entries.map { (key: $0.setting.name, value: $0.value.description) }
        rows.append((key: "seed", value: String(seed)))
        rows.append((key: "script", value: script.path))
        if !script.notes.isEmpty { rows.append((key: "lecture notes", value: script.notes)) }
        rows.append((key: "nnsim version", value: NNSimVersion.current))
        return rows
    }
}

/// One step of a run as the step-through mode shows it: a forward operation, a backward message, a
/// parameter update or a presented sample, with its numbers.
public struct LessonStep: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable {
        case forward, backward, update, sample, note
    }

    public let phase: Phase
    /// The first line, with the numbers (`h = σ(X·W1)`, `∂L/∂e = −2`).
    public let text: String
    /// Further lines (a matrix, a derivation).
    public let details: [String]
    /// The training iteration the step belongs to (nil outside training), and its structured detail.
    public var iteration: Int? = nil
    public var detail: StepDetail? = nil
    /// In a lesson of several training runs (symmetry's four starts, each optimizer on each surface), the
    /// run the step belongs to and its iteration within it; `iteration` then counts on across the runs.
    public var run: StepRun? = nil

    public init(_ phase: Phase, _ text: String, details: [String] = []) {
        self.phase = phase
        self.text = text
        self.details = details
    }
}

/// A training run among several of one lesson, and where a step is in it.
public struct StepRun: Sendable, Hashable {
    public let name: String
    /// The iteration within the run (1-based), and how many the run has.
    public let iteration: Int
    public let iterations: Int

    public init(_ name: String, iteration: Int, of iterations: Int) {
        self.name = name
        self.iteration = iteration
        self.iterations = iterations
    }

    /// `constant 0.5: iteration 12 of 3000`.
    public var text: String { "\(name): iteration \(iteration) of \(iterations)" }
}

/// A figure written to its own files (`NAME.png`, `.svg`, `.pdf` at slide size).
public struct LessonFigure: Sendable {
    public let name: String
    public let figure: any Figure

    public init(_ name: String, _ figure: any Figure) {
        self.name = name
        self.figure = figure
    }
}

/// What a lesson run produced: what the terminal prints, the steps, the report, the figures and the trace.
public struct LessonResult: Sendable {
    /// What `nnsim lesson` prints as it goes: the narrative and the key numbers, section by section.
    public var narration: [String]
    /// The closing summary: what happened and the numbers that matter.
    public var summary: [String]
    /// Every step, for `--step`.
    public var steps: [LessonStep]
    public var report: Report
    public var figures: [LessonFigure]
    /// Slide frames (`frames/NN-…`), for lessons that step through a graph.
    public var frames: [LessonFigure]
    /// Sequences of figures also written as one animated PNG (Publication.animations): the decision
    /// regions over training. The frames are animated by themselves.
    public var animations: [(name: String, figures: [String])] = []
    public var trace: Trace

    public init(narration: [String], summary: [String], steps: [LessonStep], report: Report, figures: [LessonFigure],
                frames: [LessonFigure] = [], trace: Trace) {
        self.narration = narration
        self.summary = summary
        self.steps = steps
        self.report = report
        self.figures = figures
        self.frames = frames
        self.trace = trace
    }
}
