import Foundation

/// eˣ.
public struct Exp: ElementwiseFunction {
    public init() {}
    public var name: String { "exp" }
    public func value(_ x: Double) -> Double { exp(x) }
    public func derivative(_ x: Double, _ y: Double) -> Double { y }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule { .local("exp(\(x[0]))") }
}

/// ln x. Non-positive x gives −inf or nan (IEEE), which callers report.
public struct Log: ElementwiseFunction {
    public init() {}
    public var name: String { "log" }
    public func value(_ x: Double) -> Double { log(x) }
    public func derivative(_ x: Double, _ y: Double) -> Double { 1 / x }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule { .local("1/\(x[0])") }
}

/// √x; the derivative 1/(2√x).
public struct Sqrt: ElementwiseFunction {
    public init() {}
    public var name: String { "sqrt" }
    public func value(_ x: Double) -> Double { x.squareRoot() }
    public func derivative(_ x: Double, _ y: Double) -> Double { 1 / (2 * y) }
    public func notation(_ x: [String]) -> String { "√(\(x[0]))" }
    public var symbol: String { "√" }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule { .local("1/(2√\(x[0]))") }
}

/// |x|; the derivative is sign(x), with 0 at x = 0 (a subgradient).
public struct Abs: ElementwiseFunction {
    public init() {}
    public var name: String { "abs" }
    public func value(_ x: Double) -> Double { abs(x) }
    public func derivative(_ x: Double, _ y: Double) -> Double { x > 0 ? 1 : (x < 0 ? -1 : 0) }
    public func notation(_ x: [String]) -> String { "|\(x[0])|" }
    public var symbol: String { "|x|" }
}

/// xᵏ for a constant exponent k (`x^2`): one input edge, local derivative k·xᵏ⁻¹.
public struct PowerByConstant: ElementwiseFunction {
    public let exponent: Double
    public init(_ exponent: Double) { self.exponent = exponent }
    public var name: String { "pow" }
    public var attributes: [OperationAttribute] { [OperationAttribute("exponent", Tensor(exponent))] }
    public func value(_ x: Double) -> Double { pow(x, exponent) }
    public func derivative(_ x: Double, _ y: Double) -> Double {
        exponent == 0 ? 0 : exponent * pow(x, exponent - 1)
    }
    public func notation(_ x: [String]) -> String { "\(x[0])^\(NumberFormat.plain(exponent))" }
    public var symbol: String { "x^\(NumberFormat.plain(exponent))" }
}

/// aᵇ with both operands in the graph: ∂/∂a = b·aᵇ⁻¹, ∂/∂b = aᵇ·ln a.
public struct Power: ElementwiseBinaryFunction {
    public init() {}
    public var name: String { "power" }
    public func value(_ a: Double, _ b: Double) -> Double { pow(a, b) }
    public func partials(_ a: Double, _ b: Double, _ y: Double) -> (Double, Double) {
        (b == 0 ? 0 : b * pow(a, b - 1), a == 0 && b > 0 ? 0 : y * log(a))
    }
    public func notation(_ x: [String]) -> String { "\(x[0])^\(x[1])" }
    public var symbol: String { "^" }
}

/// max(a, b) entry by entry; the gradient goes to the larger operand (to `a` on a tie).
public struct Maximum: ElementwiseBinaryFunction {
    public init() {}
    public var name: String { "max" }
    public func value(_ a: Double, _ b: Double) -> Double { a >= b ? a : b }
    public func partials(_ a: Double, _ b: Double, _ y: Double) -> (Double, Double) { a >= b ? (1, 0) : (0, 1) }
    public func notation(_ x: [String]) -> String { "max(\(x[0]), \(x[1]))" }
}

/// min(a, b) entry by entry; the gradient goes to the smaller operand (to `a` on a tie).
public struct Minimum: ElementwiseBinaryFunction {
    public init() {}
    public var name: String { "min" }
    public func value(_ a: Double, _ b: Double) -> Double { a <= b ? a : b }
    public func partials(_ a: Double, _ b: Double, _ y: Double) -> (Double, Double) { a <= b ? (1, 0) : (0, 1) }
    public func notation(_ x: [String]) -> String { "min(\(x[0]), \(x[1]))" }
}
