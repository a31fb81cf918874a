import Sim

/// A lesson's settings, resolved: the kind's defaults, overridden by the script, then by `--set`. In the
/// kind's order, then any variables the script declares (a graph lesson's inputs). Untyped, by the names
/// scripts use: what scripts, `--set`, assignments, traces and `nnsim show` read and write. A kind reads
/// its typed `Settings` made from them (Kinds/README.md), never a value by name.
public struct LessonSettings: Sendable {
    public struct Entry: Sendable {
        public var setting: LessonSetting
        public var value: SettingValue
        /// Declared by the script rather than by the kind (a graph lesson's input).
        public var isVariable: Bool
    }

    public private(set) var entries: [Entry]
    let acceptsVariables: Bool

    init(kind: any LessonKind.Type) {
        entries = kind.settings.map { Entry(setting: $0, value: $0.defaultValue, isVariable: false) }
        acceptsVariables = kind.acceptsVariables
    }

    /// Sets `name` from text. A name the kind does not know is an error, unless the kind takes variables
    /// and `declaring` is true (the script's own settings): then it becomes a number setting.
    mutating func set(_ name: String, to text: String, meaning: String? = nil, declaring: Bool) throws(LessonError) {
        if let i = entries.firstIndex(where: { $0.setting.name == name }) {
            entries[i].value = try entries[i].setting.parse(text)
            if let meaning { entries[i].setting.meaning = meaning }
            return
        }
        guard acceptsVariables, declaring, Self.isIdentifier(name) else {
            let known = entries.map(\.setting.name).joined(separator: ", ")
            throw LessonError("unknown setting (known: \(known))")
        }
        let setting = LessonSetting(name, .number(.anyNumber), default: .number(0), meaning ?? "the value of \(name)")
        entries.append(Entry(setting: setting, value: try setting.parse(text), isVariable: true))
    }

    /// Applies `--set key=value,...` (see `overrides(_:)`); errors name the key.
    public mutating func apply(_ overrides: [(key: String, value: String)]) throws(LessonError) {
        for (key, value) in overrides {
            do {
                try set(key, to: value, declaring: false)
            } catch {
                throw LessonError(error.message, key: "--set \(key)")
            }
        }
    }

    /// Splits `a=3,b=1,expression=max(a, b)`: a comma starts a new pair only where `name=` follows it,
    /// so values may hold commas.
    public static func overrides(_ text: String) throws(LessonError) -> [(key: String, value: String)] {
        var pairs: [String] = []
        for piece in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            if let last = pairs.last, !startsWithKey(piece) {
                pairs[pairs.count - 1] = last + "," + piece
            } else {
                pairs.append(piece)
            }
        }
        var result: [(key: String, value: String)] = []
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "=") else { throw LessonError("expected key=value, not '\(pair)'", key: "--set") }
            let key = pair[..<eq].trimmingCharacters(in: .whitespaces)
            guard isIdentifier(key) else { throw LessonError("expected key=value, not '\(pair)'", key: "--set") }
            result.append((key, String(pair[pair.index(after: eq)...])))
        }
        return result
    }

    static func startsWithKey(_ piece: String) -> Bool {
        guard let eq = piece.firstIndex(of: "=") else { return false }
        let key = piece[..<eq].trimmingCharacters(in: .whitespaces)
        return isIdentifier(key) && piece[piece.index(after: eq)...].first != "="
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.first, first.isLetter || first == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }

    /// The value of the setting called `name` (a script's or `--set`'s key), or nil.
    public subscript(_ name: String) -> SettingValue? {
        entries.first { $0.setting.name == name }?.value
    }

    /// The variables a graph script declared, in order.
    public var variables: [(name: String, value: Double)] {
        entries.filter(\.isVariable).compactMap { entry in Double(settingValue: entry.value).map { (entry.setting.name, $0) } }
    }

    /// Every setting as a trace records it, the seed first.
    public func traceSettings(seed: UInt64) -> NamedValues<TraceValue> {
        var result = NamedValues<TraceValue>()
        result.append("seed", .integer(Int(truncatingIfNeeded: seed)))
        for entry in entries { result.append(entry.setting.name, entry.value.traceValue) }
        return result
    }
}
