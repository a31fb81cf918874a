import Sim

/// A Swift type a lesson setting can have: how it comes out of, and goes back into, the untyped
/// `SettingValue` that scripts, `--set`, the trace and `nnsim show` use.
public protocol SettingValueType: Sendable {
    init?(settingValue: SettingValue)
    var settingValue: SettingValue { get }
}

extension Double: SettingValueType {
    public init?(settingValue: SettingValue) {
        switch settingValue {
        case .number(let x): self = x
        case .integer(let n): self = Double(n)
        default: return nil
        }
    }
    public var settingValue: SettingValue { .number(self) }
}

extension Int: SettingValueType {
    public init?(settingValue: SettingValue) {
        guard case .integer(let n) = settingValue else { return nil }
        self = n
    }
    public var settingValue: SettingValue { .integer(self) }
}

extension String: SettingValueType {
    public init?(settingValue: SettingValue) {
        guard case .text(let s) = settingValue else { return nil }
        self = s
    }
    public var settingValue: SettingValue { .text(self) }
}

extension Bool: SettingValueType {
    public init?(settingValue: SettingValue) {
        guard case .flag(let b) = settingValue else { return nil }
        self = b
    }
    public var settingValue: SettingValue { .flag(self) }
}

/// One setting of a lesson kind, declared on a property of the kind's `Settings` struct, the way
/// swift-argument-parser's `@Option` declares an option: the property's type is the setting's type, its
/// initial value the default, and the arguments the name scripts and `--set` use, the range and the help
/// (Kinds/README.md). `$property` is the declaration (`settings.$learningRate.name`).
///
///     @Setting("learning-rate", in: .positive, help: "α in w ← w + α(d − y)x") var learningRate = 1.0
@propertyWrapper
public struct Setting<Value: SettingValueType>: Sendable, DeclaredSetting {
    public let declaration: LessonSetting
    public var wrappedValue: Value
    public var projectedValue: LessonSetting { declaration }

    /// The declared default, or, while `SettingsResolution` resolves a struct of settings, the run's value.
    init(_ declaration: LessonSetting, default value: Value) {
        self.declaration = declaration
        if let resolved = SettingsResolution.values?[declaration.name], let typed = Value(settingValue: resolved) {
            wrappedValue = typed
        } else {
            wrappedValue = value
        }
    }

    var anyValue: SettingValue { wrappedValue.settingValue }
    func accepts(_ value: SettingValue) -> Bool { Value(settingValue: value) != nil }
}

extension Setting where Value == Double {
    /// A finite number in `range`.
    public init(wrappedValue: Double, _ name: String, in range: ClosedRange<Double> = .anyNumber, narrative: Bool = false, help: String) {
        self.init(LessonSetting(name, .number(range), default: .number(wrappedValue), help, narrative: narrative), default: wrappedValue)
    }
}

extension Setting where Value == Int {
    /// A whole number in `range`.
    public init(wrappedValue: Int, _ name: String, in range: ClosedRange<Int>, narrative: Bool = false, help: String) {
        self.init(LessonSetting(name, .integer(range), default: .integer(wrappedValue), help, narrative: narrative), default: wrappedValue)
    }
}

extension Setting where Value == String {
    /// A line of text (an expression, a list the kind reads itself).
    public init(wrappedValue: String, _ name: String, narrative: Bool = false, help: String) {
        self.init(LessonSetting(name, .text, default: .text(wrappedValue), help, narrative: narrative), default: wrappedValue)
    }

    /// One of `choices`.
    public init(wrappedValue: String, _ name: String, oneOf choices: [String], narrative: Bool = false, help: String) {
        self.init(LessonSetting(name, .choice(choices), default: .text(wrappedValue), help, narrative: narrative), default: wrappedValue)
    }

    /// A built-in data set among `builtIns`, or a CSV file's path.
    public init(wrappedValue: String, _ name: String, data builtIns: [String], narrative: Bool = false, help: String) {
        self.init(LessonSetting(name, .data(builtIns), default: .text(wrappedValue), help, narrative: narrative), default: wrappedValue)
    }
}

extension Setting where Value == Bool {
    /// yes or no.
    public init(wrappedValue: Bool, _ name: String, narrative: Bool = false, help: String) {
        self.init(LessonSetting(name, .flag, default: .flag(wrappedValue), help, narrative: narrative), default: wrappedValue)
    }
}

/// A setting whose value is one word of a fixed list, as a Swift type: an enum of `String` raw values
/// (`Activation`), or a registry's entries (`OptimizerKind`). The type's cases are the words the setting
/// accepts, so a misspelt choice in Swift is a compile error and in a script a message listing them.
public protocol SettingChoice: SettingValueType, RawRepresentable, CaseIterable where RawValue == String {}

extension SettingChoice {
    public init?(settingValue: SettingValue) {
        guard case .text(let s) = settingValue else { return nil }
        self.init(rawValue: s)
    }
    public var settingValue: SettingValue { .text(rawValue) }
}

extension Setting where Value: SettingChoice {
    /// One of the type's cases, by its raw value.
    public init(wrappedValue: Value, _ name: String, narrative: Bool = false, help: String) {
        self.init(LessonSetting(name, .choice(Value.allCases.map(\.rawValue)), default: .text(wrappedValue.rawValue), help, narrative: narrative),
                  default: wrappedValue)
    }
}

/// What the declarations have in common whatever their Swift type, for reading a struct of them.
protocol DeclaredSetting {
    var declaration: LessonSetting { get }
    var anyValue: SettingValue { get }
    func accepts(_ value: SettingValue) -> Bool
}

/// A lesson kind's settings: a struct of `@Setting` properties, each with its default. The struct's
/// declaration is the schema: `declarations` reads it (in the order of the properties) for scripts,
/// `--set`, `nnsim show` and the docs; `init(_:)` fills it with a run's resolved values.
public protocol LessonSettingsDeclaration: Sendable {
    /// Every setting at its default.
    init()
}

extension LessonSettingsDeclaration {
    /// Every declared setting, in the order of the properties.
    public static var declarations: [LessonSetting] {
        Mirror(reflecting: Self()).children.compactMap { ($0.value as? any DeclaredSetting)?.declaration }
    }

    /// The settings with a run's values (the kind's defaults, the script's, `--set`'s), which were read
    /// through these same declarations. A value missing or of another type is an error, never a default.
    public init(_ settings: LessonSettings) throws(LessonError) {
        var values: [String: SettingValue] = [:]
        for entry in settings.entries where !entry.isVariable { values[entry.setting.name] = entry.value }
        let typed = SettingsResolution.$values.withValue(values) { Self() }
        for child in Mirror(reflecting: typed).children {
            guard let setting = child.value as? any DeclaredSetting else { continue }
            let name = setting.declaration.name
            guard let value = values[name] else { throw LessonError("the run has no value for the setting '\(name)'", key: name) }
            guard setting.accepts(value) else { throw LessonError("the value \(value) does not fit the setting's type (\(setting.declaration.accepts))", key: name) }
        }
        self = typed
    }

    /// The declared settings with their values, as a trace or `nnsim show` reads them.
    public var values: [(setting: LessonSetting, value: SettingValue)] {
        Mirror(reflecting: self).children.compactMap { child in
            (child.value as? any DeclaredSetting).map { ($0.declaration, $0.anyValue) }
        }
    }
}

/// The values a struct of settings takes while it is being resolved (`LessonSettingsDeclaration.init(_:)`):
/// each `@Setting` reads its own by name as the struct is initialized.
enum SettingsResolution {
    @TaskLocal static var values: [String: SettingValue]?
}

/// A figure or table a kind can put in its report: a case of the kind's `Item` enum, whose raw value is
/// the name scripts list in `report:`.
public protocol LessonReportItem: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    /// What the item shows, for `nnsim show` and the docs.
    var meaning: String { get }
}

/// A narrative section a kind reads from its script (`sections:`): a case of the kind's `Section` enum.
public protocol LessonSection: RawRepresentable, CaseIterable, Sendable where RawValue == String {}
