import Render
import Sim

/// A function f(x, y) given as an expression program (docs/expressions.md), evaluated through the
/// engine at many points at once: x and y are vectors, every operation works entry by entry, and the
/// gradient of Σf at those points gives every point's own (∂f/∂x, ∂f/∂y).
struct SurfaceFunction {
    let program: ExpressionProgram

    /// `key` names the setting in errors.
    init(_ source: String, key: String) throws(LessonError) {
        do {
            program = try ExpressionProgram(source)
        } catch {
            throw LessonError("\(error)", key: key)
        }
        if let other = program.inputs.first(where: { $0 != "x" && $0 != "y" }) {
            throw LessonError("the function may use only the inputs x and y, not '\(other)'", key: key)
        }
    }

    /// f at the points (xs[i], ys[i]).
    func values(_ xs: [Double], _ ys: [Double]) throws -> [Double] {
        try evaluate(xs, ys, gradients: false).values
    }

    /// f, ∂f/∂x and ∂f/∂y at the points (xs[i], ys[i]).
    func evaluate(_ xs: [Double], _ ys: [Double], gradients: Bool = true) throws -> (values: [Double], dx: [Double], dy: [Double]) {
        let g = Graph()
        let x = try g.input("x", Tensor(vector: xs)), y = try g.input("y", Tensor(vector: ys))
        let f = try program.build(on: g, inputs: ["x": x, "y": y])
        // A constant f (no x or y in it) is a scalar: spread it over the points.
        let values = f.value.count == xs.count ? f.value.scalars : Array(repeating: f.value.scalar ?? .nan, count: xs.count)
        guard gradients else { return (values, [], []) }
        let total = try g.apply(Sum(), [f], name: "total")
        let grads = try g.backward(from: total)
        func spread(_ t: Tensor?) -> [Double] {
            guard let t else { return Array(repeating: 0, count: xs.count) }
            return t.count == xs.count ? t.scalars : Array(repeating: t.scalar ?? 0, count: xs.count)
        }
        return (values, spread(grads[x.id]), spread(grads[y.id]))
    }

    /// f on an n × n grid over the window (Render's `ContourPlot.grid`), one row per y: a contour figure's
    /// field.
    func sampled(_ xRange: ClosedRange<Double>, _ yRange: ClosedRange<Double>, n: Int = 120) throws -> [[Double]] {
        let gx = ContourPlot.grid(xRange, n), gy = ContourPlot.grid(yRange, n)
        let values = try values(gy.flatMap { _ in gx }, gy.flatMap { y in gx.map { _ in y } })
        return (0..<n).map { Array(values[($0 * n)..<($0 * n + n)]) }
    }
}
