/// How a weight tensor starts. Shapes follow the X·W layout of note 001's XOR network: a weight matrix
/// is [fanIn, fanOut] (one row per input unit, one column per output unit); a vector [n] counts as
/// fanIn = n, fanOut = 1. Entries are drawn in row-major order from nnsim's generator.
public enum Initializer: Sendable, Hashable {
    case zero
    case constant(Double)
    /// Uniform in [a, b).
    case uniform(Double, Double)
    /// Normal with mean 0 and standard deviation σ.
    case normal(Double)
    /// Glorot & Bengio (2010): normal with σ = √(2 / (fanIn + fanOut)).
    case xavierNormal
    /// Glorot & Bengio (2010): uniform in [−r, r) with r = √(6 / (fanIn + fanOut)). Note 003's slide lost
    /// the square root in this bound; this is the paper's form.
    case xavierUniform
    /// He et al. (2015), for ReLU layers: normal with σ = √(2 / fanIn).
    case he

    /// (fanIn, fanOut) of a weight of this shape.
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        switch shape.count {
        case 2: return (shape[0], shape[1])
        case 1: return (shape[0], 1)
        default: return (1, 1)
        }
    }

    /// A tensor of this shape drawn from `generator`.
    public func tensor(shape: [Int], using generator: inout SeededGenerator) throws(ShapeError) -> Tensor {
        let count = shape.reduce(1, *)
        let (fanIn, fanOut) = Self.fans(shape)
        let scalars: [Double]
        switch self {
        case .zero: scalars = Array(repeating: 0, count: count)
        case .constant(let c): scalars = Array(repeating: c, count: count)
        case .uniform(let a, let b): scalars = (0..<count).map { _ in generator.uniform(a, b) }
        case .normal(let sigma): scalars = (0..<count).map { _ in sigma * generator.gaussian() }
        case .xavierNormal:
            let sigma = (2.0 / Double(fanIn + fanOut)).squareRoot()
            scalars = (0..<count).map { _ in sigma * generator.gaussian() }
        case .xavierUniform:
            let r = (6.0 / Double(fanIn + fanOut)).squareRoot()
            scalars = (0..<count).map { _ in generator.uniform(-r, r) }
        case .he:
            let sigma = (2.0 / Double(max(fanIn, 1))).squareRoot()
            scalars = (0..<count).map { _ in sigma * generator.gaussian() }
        }
        return try Tensor(shape: shape, scalars: scalars)
    }

    /// The name lesson scripts use: `zero`, `constant`, `uniform`, `normal`, `xavier_normal`,
    /// `xavier_uniform`, `he`.
    public var name: String {
        switch self {
        case .zero: return "zero"
        case .constant: return "constant"
        case .uniform: return "uniform"
        case .normal: return "normal"
        case .xavierNormal: return "xavier_normal"
        case .xavierUniform: return "xavier_uniform"
        case .he: return "he"
        }
    }
}
