import Foundation

/// a + b.
public struct Add: ElementwiseBinaryFunction {
    public init() {}
    public var name: String { "add" }
    public func value(_ a: Double, _ b: Double) -> Double { a + b }
    public func partials(_ a: Double, _ b: Double, _ y: Double) -> (Double, Double) { (1, 1) }
    public func notation(_ x: [String]) -> String { "\(x[0]) + \(x[1])" }
    public var symbol: String { "+" }
    public func rule(input: Int, arguments: [String], upstream: String) -> OperationRule { .local("1") }
}

/// a − b.
public struct Subtract: ElementwiseBinaryFunction {
    public init() {}
    public var name: String { "sub" }
    public func value(_ a: Double, _ b: Double) -> Double { a - b }
    public func partials(_ a: Double, _ b: Double, _ y: Double) -> (Double, Double) { (1, -1) }
    public func notation(_ x: [String]) -> String { "\(x[0]) − \(x[1])" }
    public var symbol: String { "−" }
    public func rule(input: Int, arguments: [String], upstream: String) -> OperationRule { .local(input == 0 ? "1" : "−1") }
}

/// a · b, entry by entry.
public struct Multiply: ElementwiseBinaryFunction {
    public init() {}
    public var name: String { "mul" }
    public func value(_ a: Double, _ b: Double) -> Double { a * b }
    public func partials(_ a: Double, _ b: Double, _ y: Double) -> (Double, Double) { (b, a) }
    public func notation(_ x: [String]) -> String { "\(x[0])·\(x[1])" }
    public var symbol: String { "×" }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule { .local(input == 0 ? x[1] : x[0]) }
}

/// a / b. Division by zero gives the IEEE result (±inf or nan), which callers report, not a trap.
public struct Divide: ElementwiseBinaryFunction {
    public init() {}
    public var name: String { "div" }
    public func value(_ a: Double, _ b: Double) -> Double { a / b }
    public func partials(_ a: Double, _ b: Double, _ y: Double) -> (Double, Double) { (1 / b, -a / (b * b)) }
    public func notation(_ x: [String]) -> String { "\(x[0]) / \(x[1])" }
    public var symbol: String { "÷" }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule {
        .local(input == 0 ? "1/\(x[1])" : "−\(x[0])/\(x[1])²")
    }
}

/// −x.
public struct Negate: ElementwiseFunction {
    public init() {}
    public var name: String { "neg" }
    public func value(_ x: Double) -> Double { -x }
    public func derivative(_ x: Double, _ y: Double) -> Double { -1 }
    public func notation(_ x: [String]) -> String { "−\(x[0])" }
    public var symbol: String { "−x" }
    public func rule(input: Int, arguments: [String], upstream: String) -> OperationRule { .local("−1") }
}

/// k · x for a constant k (the `2*b` of L = c(a + 2b)): one input edge, local derivative k.
public struct Scale: ElementwiseFunction {
    public let factor: Double
    public init(_ factor: Double) { self.factor = factor }
    public var name: String { "scale" }
    public var attributes: [OperationAttribute] { [OperationAttribute("factor", Tensor(factor))] }
    public func value(_ x: Double) -> Double { factor * x }
    public func derivative(_ x: Double, _ y: Double) -> Double { factor }
    public func notation(_ x: [String]) -> String { "\(NumberFormat.plain(factor))·\(x[0])" }
    public var symbol: String { "×\(NumberFormat.plain(factor))" }
}
