import Foundation
import Sim
import Testing
@testable import Lessons

/// The newton lesson's numbers against computations written here: central differences of the engine's
/// gradient for the Hessian, Newton's step in closed form on the ravine, and Newton on Rosenbrock's
/// function re-implemented with its gradient and Hessian worked by hand.
@Suite struct NewtonLessonTests {
    static func settings(_ overrides: [String: Double] = [:]) -> NewtonLesson.Settings {
        var s = NewtonLesson.Settings()
        for (name, value) in overrides {
            switch name {
            case "ravine-curvature": s.ravineCurvature = value
            case "rosenbrock-a": s.rosenbrockA = value
            case "rosenbrock-b": s.rosenbrockB = value
            default: Issue.record("unknown setting \(name)")
            }
        }
        return s
    }

    /// Each surface's closed-form Hessian is the central difference of the engine's gradient, column by
    /// column, at points on and off Rosenbrock's valley, for the default and other parameters.
    @Test(arguments: [[:], ["ravine-curvature": 7.5, "rosenbrock-a": -2, "rosenbrock-b": 3]])
    func hessianIsTheGradientsDerivative(_ overrides: [String: Double]) throws {
        for surface in Self.settings(overrides).surfaces {
            let f = try SurfaceFunction(surface.function, key: surface.key)
            for (x, y) in [(-1.5, 2.0), (0, 1), (0.3, -0.7), (1, 1), (2.2, 4.1)] {
                let h = 1e-5
                let g = try f.evaluate([x + h, x - h, x, x], [y, y, y + h, y - h])
                let numeric = [[(g.dx[0] - g.dx[1]) / (2 * h), (g.dx[2] - g.dx[3]) / (2 * h)],
                               [(g.dy[0] - g.dy[1]) / (2 * h), (g.dy[2] - g.dy[3]) / (2 * h)]]
                let exact = surface.hessian(x, y)
                for i in 0..<2 {
                    for j in 0..<2 {
                        #expect(abs(exact[i][j] - numeric[i][j]) <= 1e-6 * max(1, abs(exact[i][j])), "\(surface.key) H[\(i)][\(j)] at (\(x), \(y))")
                    }
                }
            }
        }
    }

    /// On f = ½(x² + κy²), H = diag(1, κ) and ∇f = (x, κy): θ − H⁻¹∇f = (0, 0) from any start, so Newton
    /// with η = 1 lands on the minimum in one step and the next step does not move it.
    @Test(arguments: [("", -9.0, 1.0), ("ravine-curvature=10000,ravine-x=3,ravine-y=-2", 3.0, -2.0)])
    func oneStepOnTheRavine(_ overrides: String, _ x: Double, _ y: Double) throws {
        let run = try LessonRun(lessonPath("newton"), overrides: overrides.isEmpty ? [] : [overrides], recordsSteps: true)
        let trace = run.result.trace
        let newton = try #require(trace.run(named: "ravine-newton"))
        #expect(newton.steps.count == 2)
        #expect(newton.steps.first?.params["x"]?.scalar == 0 && newton.steps.first?.params["y"]?.scalar == 0)
        #expect(newton.steps.first?.grads["x"]?.scalar == x)
        #expect(run.result.narration.contains { $0.contains("Newton lands exactly on the minimum (0, 0) at step 1.") })
    }

    /// Newton on Rosenbrock's function, written here with the gradient and Hessian worked by hand and the
    /// 2 × 2 inverse, gives the lesson's points; from (−1.5, 2) it reaches (1, 1) with f rising at steps 2
    /// and 4 (numpy gives (−1.45098039, 2.10294118) after step 1 and f = 751.61 after step 2).
    @Test func rosenbrockMatchesAnIndependentNewton() throws {
        func newton(from start: [Double], a: Double, b: Double, steps: Int) -> [[Double]] {
            var p = start, points = [start]
            for _ in 0..<steps {
                let (x, y) = (p[0], p[1])
                let g = [-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)]
                let h = [[2 - 4 * b * (y - x * x) + 8 * b * x * x, -4 * b * x], [-4 * b * x, 2 * b]]
                let det = h[0][0] * h[1][1] - h[0][1] * h[1][0]
                let inverse = [[h[1][1] / det, -h[0][1] / det], [-h[1][0] / det, h[0][0] / det]]
                p = [x - (inverse[0][0] * g[0] + inverse[0][1] * g[1]), y - (inverse[1][0] * g[0] + inverse[1][1] * g[1])]
                points.append(p)
            }
            return points
        }
        let surface = Self.settings().surfaces[1]
        let f = try SurfaceFunction(surface.function, key: "rosenbrock")
        let run = try NewtonLesson.newton(f, surface, rate: 1, minEigenvalue: 0)
        let expected = newton(from: [-1.5, 2], a: 1, b: 100, steps: run.steps.count)
        #expect(run.points.count == expected.count)
        for (p, q) in zip(run.points, expected) {
            #expect(abs(p.x - q[0]) <= 1e-9 * max(1, abs(q[0])) && abs(p.y - q[1]) <= 1e-9 * max(1, abs(q[1])), "\(p) vs \(q)")
        }
        #expect(abs(run.points[1].x - -1.45098039) < 1e-8 && abs(run.points[1].y - 2.10294118) < 1e-8)
        #expect(abs(run.values[2] - 751.6100047330793) < 1e-9 * 751.61)
        #expect(run.rises == [2, 4])
        #expect(run.points.last.map { $0.x == 1 && $0.y == 1 } == true)
        if case .converged = run.stop {} else { Issue.record("Newton did not stop at a fixed point: \(String(describing: run.stop))") }
        #expect(run.steps.allSatisfy { $0.isPositiveDefinite })
    }

    /// At (0, 1), H = [[2 − 400, 0], [0, 200]] has eigenvalues −398 and 200: the lesson says so. With
    /// δ = 1 it inverts H + 399I = diag(1, 599): d = −(∇f₁/1, ∇f₂/599) with ∇f = (−2, 200) there.
    @Test func indefiniteHessianIsSaidAndShifted() throws {
        let plain = try LessonRun(lessonPath("newton"), overrides: ["rosenbrock-x=0,rosenbrock-y=1"], recordsSteps: false)
        #expect(plain.result.narration.contains { $0.contains("H is not positive definite at Newton's step 1,") })
        var s = Self.settings()
        s.rosenbrockX = 0
        s.rosenbrockY = 1
        let surface = s.surfaces[1]
        let f = try SurfaceFunction(surface.function, key: "rosenbrock")
        let plainRun = try NewtonLesson.newton(f, surface, rate: 1, minEigenvalue: 0)
        #expect(plainRun.steps[0].eigenvalues == [-398, 200])
        let shifted = try NewtonLesson.newton(f, surface, rate: 1, minEigenvalue: 1)
        let step = shifted.steps[0]
        #expect(step.shift == 399)
        #expect(step.gradient == [-2, 200])
        #expect(abs(step.direction[0] - 2) < 1e-15 && abs(step.direction[1] - -200.0 / 599) < 1e-15)
        #expect(step.descends)
        #expect(shifted.steps.allSatisfy { $0.descends || $0.gradient == [0, 0] })
    }

    /// A damped step η = 0.5 on the ravine halves the distance to the minimum each step: θₖ = θ₀/2ᵏ.
    @Test func dampedStepHalvesTheDistance() throws {
        let surface = Self.settings().surfaces[0]
        let f = try SurfaceFunction(surface.function, key: "ravine")
        let run = try NewtonLesson.newton(f, surface, rate: 0.5, minEigenvalue: 0)
        for k in 0..<10 {
            #expect(abs(run.points[k].x - -9 / pow(2, Double(k))) < 1e-12 && abs(run.points[k].y - 1 / pow(2, Double(k))) < 1e-12)
        }
    }
}
