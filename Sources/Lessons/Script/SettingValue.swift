import Sim

/// The value of one lesson setting.
public enum SettingValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case integer(Int)
    case text(String)
    case flag(Bool)

    public var description: String {
        switch self {
        case .number(let x): return NumberFormat.plain(x)
        case .integer(let n): return String(n)
        case .text(let s): return s
        case .flag(let b): return b ? "yes" : "no"
        }
    }

    /// As a trace value.
    public var traceValue: TraceValue {
        switch self {
        case .number(let x): return .number(x)
        case .integer(let n): return .integer(n)
        case .text(let s): return .string(s)
        case .flag(let b): return .bool(b)
        }
    }
}

/// A setting a lesson kind understands: its name, type, default and meaning (what `nnsim show` prints).
public struct LessonSetting: Sendable {
    public enum ValueType: Sendable, Hashable {
        /// A finite number in the range.
        case number(ClosedRange<Double>)
        case integer(ClosedRange<Int>)
        /// One of these words.
        case choice([String])
        /// A line of text (an expression).
        case text
        /// yes/no, true/false.
        case flag
        /// A built-in data set's name or a CSV file's path (docs/lesson-format.md).
        case data([String])
    }

    public var name: String
    public var type: ValueType
    public var defaultValue: SettingValue
    public var meaning: String
    /// Whether the script's title, summary and sections describe this setting (a graph lesson's
    /// expression, a network lesson's data): a run that changes it is another lesson than the text tells,
    /// so the text gives way to the kind's own words and the run's numbers (LessonContext.departures).
    public var narrative: Bool

    public init(_ name: String, _ type: ValueType, default defaultValue: SettingValue, _ meaning: String, narrative: Bool = false) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.meaning = meaning
        self.narrative = narrative
    }

    /// What `nnsim show` says the setting accepts.
    public var accepts: String {
        switch type {
        case .number(let r):
            if r.lowerBound == -.greatestFiniteMagnitude && r.upperBound == .greatestFiniteMagnitude { return "a number" }
            if r == .positive { return "a number > 0" }
            if r.upperBound == .greatestFiniteMagnitude { return "a number ≥ \(NumberFormat.plain(r.lowerBound))" }
            return "a number in [\(NumberFormat.plain(r.lowerBound)), \(NumberFormat.plain(r.upperBound))]"
        case .integer(let r):
            return r.upperBound == .max ? "an integer ≥ \(r.lowerBound)" : "an integer in [\(r.lowerBound), \(r.upperBound)]"
        case .choice(let words): return words.joined(separator: "|")
        case .text: return "text"
        case .flag: return "yes|no"
        case .data(let builtIns): return builtIns.joined(separator: "|") + "|FILE.csv"
        }
    }

    /// Reads a value written as text (in a script or after --set); the message says what was expected.
    public func parse(_ text: String) throws(LessonError) -> SettingValue {
        let s = text.trimmingCharacters(in: .whitespaces)
        switch type {
        case .number(let range):
            guard let x = NumberText.parse(s) else {
                throw LessonError("must be a decimal number (such as 3, -2.5 or 1e-3), not '\(s)'")
            }
            guard range.contains(x) else { throw LessonError("\(s) is out of range: \(accepts)") }
            return .number(x)
        case .integer(let range):
            guard let n = Int(s.replacingOccurrences(of: "−", with: "-")) else {
                throw LessonError("must be an integer, not '\(s)'")
            }
            guard range.contains(n) else { throw LessonError("\(s) is out of range: \(accepts)") }
            return .integer(n)
        case .choice(let words):
            guard words.contains(s) else { throw LessonError("must be one of \(words.joined(separator: ", ")), not '\(s)'") }
            return .text(s)
        case .text:
            guard !s.isEmpty else { throw LessonError("must not be empty") }
            return .text(s)
        case .flag:
            switch s.lowercased() {
            case "yes", "true", "on", "1": return .flag(true)
            case "no", "false", "off", "0": return .flag(false)
            default: throw LessonError("must be yes or no, not '\(s)'")
            }
        case .data(let builtIns):
            guard !s.isEmpty else { throw LessonError("must name a data set or a CSV file") }
            // A name (no '/', no .csv) must be one of the data sets this lesson offers.
            if !s.contains("/") && !s.hasSuffix(".csv") && !builtIns.contains(s) {
                throw LessonError("no built-in data set '\(s)' for this lesson (built in: \(builtIns.joined(separator: ", ")); or give a .csv file)")
            }
            return .text(s)
        }
    }
}

extension ClosedRange where Bound == Double {
    /// Every finite number.
    public static var anyNumber: ClosedRange<Double> { -.greatestFiniteMagnitude ... .greatestFiniteMagnitude }
    /// Finite numbers > 0 (the smallest positive Double and up).
    public static var positive: ClosedRange<Double> { .leastNonzeroMagnitude ... .greatestFiniteMagnitude }
}
