import Foundation

/// σ(x) = 1 / (1 + e^(−x)), computed without overflow for large |x|; σ′ = σ(1 − σ).
public struct Sigmoid: ElementwiseFunction {
    public init() {}
    public var name: String { "sigmoid" }
    public func value(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }
    public func derivative(_ x: Double, _ y: Double) -> Double { y * (1 - y) }
    public func notation(_ x: [String]) -> String { "σ(\(x[0]))" }
    public var symbol: String { "σ" }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule { .local("σ′(\(x[0])) = σ(\(x[0]))(1 − σ(\(x[0])))") }
}

/// tanh(x); tanh′ = 1 − tanh².
public struct Tanh: ElementwiseFunction {
    public init() {}
    public var name: String { "tanh" }
    public func value(_ x: Double) -> Double { tanh(x) }
    public func derivative(_ x: Double, _ y: Double) -> Double { 1 - y * y }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule { .local("tanh′(\(x[0])) = 1 − tanh²(\(x[0]))") }
}

/// max(0, x); the derivative is 1 for x ≥ 0 and 0 below (the convention of note 000).
public struct ReLU: ElementwiseFunction {
    public init() {}
    public var name: String { "relu" }
    public func value(_ x: Double) -> Double { max(0, x) }
    public func derivative(_ x: Double, _ y: Double) -> Double { x >= 0 ? 1 : 0 }
    public var symbol: String { "ReLU" }
    public func rule(input: Int, arguments x: [String], upstream: String) -> OperationRule { .local("ReLU′(\(x[0])) = 1 where \(x[0]) > 0, else 0") }
}

/// x for x ≥ 0, αx below; the derivative 1 or α.
public struct LeakyReLU: ElementwiseFunction {
    public let alpha: Double
    public init(alpha: Double = 0.01) { self.alpha = alpha }
    public var name: String { "leaky_relu" }
    public var attributes: [OperationAttribute] { [OperationAttribute("alpha", Tensor(alpha))] }
    public func value(_ x: Double) -> Double { x >= 0 ? x : alpha * x }
    public func derivative(_ x: Double, _ y: Double) -> Double { x >= 0 ? 1 : alpha }
    public var symbol: String { "LReLU" }
}

/// x for x ≥ 0, α(eˣ − 1) below; the derivative 1 or y + α.
public struct ELU: ElementwiseFunction {
    public let alpha: Double
    public init(alpha: Double = 1) { self.alpha = alpha }
    public var name: String { "elu" }
    public var attributes: [OperationAttribute] { [OperationAttribute("alpha", Tensor(alpha))] }
    public func value(_ x: Double) -> Double { x >= 0 ? x : alpha * expm1(x) }
    public func derivative(_ x: Double, _ y: Double) -> Double { x >= 0 ? 1 : y + alpha }
}

/// The perceptron's threshold as note 001 writes it: 1 for x > 0, else 0 (so 0 maps to 0). Its
/// derivative is 0 everywhere it exists, which is why the perceptron rule is not gradient descent.
public struct Step: ElementwiseFunction {
    public init() {}
    public var name: String { "step" }
    public func value(_ x: Double) -> Double { x > 0 ? 1 : 0 }
    public func derivative(_ x: Double, _ y: Double) -> Double { 0 }
}

/// sign(x) as the ±1 perceptron uses it: +1 for x ≥ 0, −1 below; derivative 0.
public struct Sign: ElementwiseFunction {
    public init() {}
    public var name: String { "sign" }
    public func value(_ x: Double) -> Double { x >= 0 ? 1 : -1 }
    public func derivative(_ x: Double, _ y: Double) -> Double { 0 }
}

/// softplus(x) = ln(1 + eˣ), computed as max(x, 0) + ln(1 + e^(−|x|)) so it is finite at ±1000;
/// its derivative is σ(x).
public struct Softplus: ElementwiseFunction {
    public init() {}
    public var name: String { "softplus" }
    public func value(_ x: Double) -> Double { Softplus.of(x) }
    public func derivative(_ x: Double, _ y: Double) -> Double { Sigmoid().value(x) }

    static func of(_ x: Double) -> Double { max(x, 0) + log1p(exp(-abs(x))) }
}
