import Render
import Sim

/// A kind of lesson: the Swift type that runs every script naming it (`kind: mlp`). It declares the
/// settings it understands, the narrative sections it reads and the figures and tables it can put in the
/// report; a script picks values, text and items, and `run` does the rest.
public protocol LessonKind: Sendable {
    static var name: String { get }
    /// What lessons of this kind do, for `nnsim show`.
    static var description: String { get }
    static var settings: [LessonSetting] { get }
    static var sections: [String] { get }
    static var reportItems: [ReportItem] { get }
    /// Whether a script may declare its own number settings (the inputs of a graph lesson's expression).
    static var acceptsVariables: Bool { get }
    /// Checks that need several settings together (an expression's inputs all given). `file` names the
    /// script in errors.
    static func check(_ settings: LessonSettings, file: String) throws(LessonError)
    static func run(_ lesson: LessonContext) throws(LessonError) -> LessonResult
}

extension LessonKind {
    public static var acceptsVariables: Bool { false }
    public static func check(_ settings: LessonSettings, file: String) throws(LessonError) {}
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

/// Every lesson kind, by name.
public enum LessonKinds {
    public static let all: [any LessonKind.Type] = [GraphLesson.self, PerceptronLesson.self, AdalineLesson.self, NetworkLesson.self,
                                                   SaturationLesson.self, SymmetryLesson.self, ExplodingLesson.self, OptimizersLesson.self]

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

    public init(script: LessonScript, settings: LessonSettings, seed: UInt64, recordsSteps: Bool = true) {
        self.script = script
        self.settings = settings
        self.seed = seed
        self.recordsSteps = recordsSteps
    }

    let measurer = CairoTextMeasurer()

    /// A figure laid out for the report's A4 pages.
    public func paper(_ figure: any Figure) throws(LessonError) -> DisplayList {
        do {
            return try figure.layout(theme: .paper, measurer: measurer)
        } catch {
            throw LessonError("could not lay out a figure: \(error)")
        }
    }

    /// Whether the report holds this figure or table.
    public func includes(_ item: String) -> Bool { script.report.contains(item) }

    /// The script's narrative for a section, or nil.
    public func narrative(_ section: String) -> String? { script.sections[section] }

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

    public init(_ phase: Phase, _ text: String, details: [String] = []) {
        self.phase = phase
        self.text = text
        self.details = details
    }
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
