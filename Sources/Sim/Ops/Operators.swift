/// Arithmetic on graph handles, so a lesson reads like its formula: `let L = c * (a + 2 * b)`.
extension Var {
    public static func + (a: Var, b: Var) -> Var { build(Add(), [a, b]) }
    public static func - (a: Var, b: Var) -> Var { build(Subtract(), [a, b]) }
    public static func * (a: Var, b: Var) -> Var { build(Multiply(), [a, b]) }
    public static func / (a: Var, b: Var) -> Var { build(Divide(), [a, b]) }
    public static prefix func - (a: Var) -> Var { build(Negate(), [a]) }
    public static func * (k: Double, x: Var) -> Var { build(Scale(k), [x]) }
    public static func * (x: Var, k: Double) -> Var { build(Scale(k), [x]) }

    /// The matrix product self·other.
    public func matmul(_ other: Var) -> Var { Var.build(MatMul(), [self, other]) }
    public var sigmoid: Var { Var.build(Sigmoid(), [self]) }
    public var tanh: Var { Var.build(Tanh(), [self]) }
    public var relu: Var { Var.build(ReLU(), [self]) }
}

extension Var {
    public var sum: Var { Var.build(Sum(), [self]) }
    public var mean: Var { Var.build(Mean(), [self]) }
    public var transposed: Var { Var.build(Transpose(), [self]) }
    public var softmax: Var { Var.build(Softmax(), [self]) }
    public var exp: Var { Var.build(Exp(), [self]) }
    public var log: Var { Var.build(Log(), [self]) }
    public func leakyReLU(_ alpha: Double = 0.01) -> Var { Var.build(LeakyReLU(alpha: alpha), [self]) }
    /// ½Σ(self − target)².
    public func squaredError(_ target: Var) -> Var { Var.build(SquaredError(), [self, target]) }
}
