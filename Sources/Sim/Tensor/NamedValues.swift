/// Values under names, in a fixed order: a run's parameters (`W1`, `b1`, …), gradients, optimizer state,
/// settings. The order is the order of insertion, so traces list them the same way every run.
///
/// Names should be unique; a trace refuses to be written with a repeated one (a JSON object cannot hold
/// a key twice).
public struct NamedValues<Value: Sendable & Hashable>: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    public private(set) var names: [String] = []
    public private(set) var values: [Value] = []

    public init() {}

    // Closures rather than key paths (`entries.map(\.name)`): in this generic type each key path was
    // instantiated at run time on every call, a tenth of the optimizers lesson's time.
    public init(_ entries: [(name: String, value: Value)]) {
        names = entries.map { $0.name }
        values = entries.map { $0.value }
    }

    public init(dictionaryLiteral elements: (String, Value)...) {
        names = elements.map { $0.0 }
        values = elements.map { $0.1 }
    }

    public var count: Int { names.count }
    public var isEmpty: Bool { names.isEmpty }

    /// The entries in order.
    public var entries: [(name: String, value: Value)] { zip(names, values).map { ($0, $1) } }

    /// The value under `name` (the first, should the name repeat). Setting a new name appends it;
    /// setting an existing one replaces its value in place, keeping the order.
    public subscript(name: String) -> Value? {
        get { names.firstIndex(of: name).map { values[$0] } }
        set {
            if let index = names.firstIndex(of: name) {
                if let newValue { values[index] = newValue } else { names.remove(at: index); values.remove(at: index) }
            } else if let newValue {
                append(name, newValue)
            }
        }
    }

    /// The same names with each value transformed.
    public func mapValues<T>(_ transform: (String, Value) throws -> T) rethrows -> NamedValues<T> {
        NamedValues<T>(try entries.map { ($0.name, try transform($0.name, $0.value)) })
    }

    public mutating func append(_ name: String, _ value: Value) {
        names.append(name)
        values.append(value)
    }
}

/// Tensors under names: parameters, gradients, a data set, optimizer state.
public typealias NamedTensors = NamedValues<Tensor>
