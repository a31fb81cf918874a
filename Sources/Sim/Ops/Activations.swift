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
}

/// tanh(x); tanh′ = 1 − tanh².
public struct Tanh: ElementwiseFunction {
    public init() {}
    public var name: String { "tanh" }
    public func value(_ x: Double) -> Double { tanh(x) }
    public func derivative(_ x: Double, _ y: Double) -> Double { 1 - y * y }
}

/// max(0, x); the derivative is 1 for x ≥ 0 and 0 below (the convention of note 000).
public struct ReLU: ElementwiseFunction {
    public init() {}
    public var name: String { "relu" }
    public func value(_ x: Double) -> Double { max(0, x) }
    public func derivative(_ x: Double, _ y: Double) -> Double { x >= 0 ? 1 : 0 }
}
