import Foundation
import Sim

/// Replays a lesson from a student's own run, step by step: each step starts from the student's own
/// parameters before it (so one slip does not fail every later step), recomputes what the step should
/// give with the engine, and reports the first quantity where the student's run departs, with the
/// expected and given numbers, the formula behind the expected one and, where the numbers suggest one,
/// the likely slip.
public struct RunReplay: Sendable {
    public struct Departure: Sendable {
        public let step: Int
        /// `∂L/∂W2[2][0]`, `z1[0][1]`, `W1[1][1]`.
        public let quantity: String
        public let expected: Double
        public let given: Double
        public let formula: String
        public let hint: String?

        public var text: String {
            "step \(step), \(quantity): expected \(NumberFormat.display(expected, significantDigits: 6)) = \(formula), got \(NumberFormat.display(given, significantDigits: 6))"
                + (hint.map { ": \($0)" } ?? "")
        }
    }

    /// Steps compared, and the first departure in each step that has one.
    public let compared: Int
    public let departures: [Departure]
    /// Why nothing could be compared, if so.
    public let problem: String?

    public var matching: Int { compared - departures.count }

    /// Replays lesson `name` with `settings` on `run` for at most `steps` steps.
    public init(lesson name: String, settings: [(key: String, value: String)], run: StudentRun, steps: Int, tolerance: Tolerance) throws(LessonError) {
        let script = try LessonScript(named: name)
        var resolved = script.settings
        try resolved.apply(settings)
        switch script.kind.name {
        case NetworkLesson.name: (compared, departures, problem) = Self.network(try NetworkLesson.Settings(resolved), run: run, steps: steps, tolerance: tolerance)
        case PerceptronLesson.name: (compared, departures, problem) = Self.perceptron(try PerceptronLesson.Settings(resolved), run: run, steps: steps, tolerance: tolerance)
        default: throw LessonError("runs of '\(script.kind.name)' lessons cannot be replayed (network and perceptron lessons can)")
        }
    }

    /// Replays an optimizer with learning rate `rate` on f(x, y) (Rprop: its initial step) on `run`: the
    /// start is the student's step-0 x and y; each step the gradient `g`, the state the optimizer keeps
    /// (`m`, `v`, `mHat`, `vHat`, `velocity`, `G`, `stepSize`) and the new x and y.
    public init(optimizer name: String, function: String, rate: Double, run: StudentRun, steps: Int, tolerance: Tolerance) throws(LessonError) {
        let f = try SurfaceFunction(function, key: "function")
        (compared, departures, problem) = Self.optimizer(name, f: f, rate: rate, run: run, steps: steps, tolerance: tolerance)
    }

    static func optimizer(_ name: String, f: SurfaceFunction, rate: Double, run: StudentRun, steps: Int, tolerance: Tolerance) -> (Int, [Departure], String?) {
        guard let x0 = run.initial["x"]?.scalar, let y0 = run.initial["y"]?.scalar else { return (0, [], "the run has no start x and y (at step 0)") }
        guard let kind = OptimizerKind(rawValue: name) else { return (0, [], "nnsim has no optimizer called \(name)") }
        let rules = kind.state
        var theta = NamedTensors([("θ", Tensor(vector: [x0, y0]))])
        var state = TraceOptimizerState()
        var departures: [Departure] = []
        let count = min(steps, run.steps.count)
        for k in 0..<count {
            var optimizer = TrainingChoices.optimizer(kind, rate: rate)
            optimizer.resume(from: state)
            let point = optimizer.evaluationPoint(for: theta)["θ"]?.scalars ?? [.nan, .nan]
            guard let evaluated = try? f.evaluate([point[0]], [point[1]]) else { break }
            let gradient = Tensor(vector: [evaluated.dx[0], evaluated.dy[0]])
            let update = optimizer.step(theta, gradients: NamedTensors([("θ", gradient)]))
            let after = update.parameters["θ"]?.scalars ?? [.nan, .nan]
            let student = run.steps[k]
            func vector(_ name: String) -> Tensor? { student.nodes[name].map { Tensor(vector: $0.scalars) } }
            let at = name == "nesterov" ? "the look-ahead point (x, y) + μ·velocity" : "(x, y)"
            var checks: [(String, Tensor?, Tensor, String, (Tensor) -> String?)] = [
                ("g", vector("g"), gradient, "∂f/∂(x, y) at \(at) = \(NumberFormat.tuple(point))", { given in Self.gradientHint(given, gradient, tolerance) }),
            ]
            for rule in rules {
                // The registry lists what each optimizer records (a test holds them together); were one
                // missing, the student would be compared with a made-up state, so the replay stops instead.
                guard let expected = update.state.tensors["\(rule.name).θ"] else {
                    return (k, departures, "nnsim's \(name) recorded no \(rule.name) at step \(k + 1), so the replay cannot check it")
                }
                checks.append((rule.name, vector(rule.name), expected, rule.rule, { _ in nil }))
            }
            let previous = theta["θ"]?.scalars ?? []
            let pointHint: (Tensor) -> String? = { given in
                if name == "adam", let m = update.state.tensors["m.θ"]?.scalars, let v = update.state.tensors["v.θ"]?.scalars {
                    let uncorrected = (0..<2).map { previous[$0] - rate * m[$0] / (v[$0].squareRoot() + 1e-8) }
                    if Self.close(given, Tensor(vector: uncorrected), tolerance) { return "that is the step without bias correction: use m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ)" }
                }
                let ascended: [Double] = (0..<2).map { (i: Int) -> Double in previous[i] + (previous[i] - after[i]) }
                if Self.close(given, Tensor(vector: ascended), tolerance) { return "the step goes uphill: subtract the update" }
                return nil
            }
            if let x = student.nodes["x"]?.scalar, let y = student.nodes["y"]?.scalar {
                checks.append(("(x, y)", Tensor(vector: [x, y]), Tensor(vector: after), Optimizers.named(name)?.update ?? "the update", pointHint))
            }
            for (label, given, expected, formula, hint) in checks {
                guard let given else { continue }
                if let departure = compare(step: k + 1, label, given: given, expected: expected, tolerance: tolerance, formula: { _, _ in formula }, hint: hint) {
                    departures.append(departure)
                    break
                }
            }
            // The next step starts from the student's own point and state where they gave them.
            var nextState = update.state
            if !rules.isEmpty, rules.allSatisfy({ student.nodes[$0.name]?.scalars.count == 2 }) {
                var tensors = NamedTensors()
                for (key, value) in update.state.tensors.entries {
                    let base = String(key.prefix { $0 != "." })
                    tensors.append(key, student.nodes[base].map { Tensor(vector: $0.scalars) } ?? value)
                }
                nextState = TraceOptimizerState(tensors: tensors, scalars: update.state.scalars)
            }
            state = nextState
            if let x = student.nodes["x"]?.scalar, let y = student.nodes["y"]?.scalar, x.isFinite, y.isFinite {
                theta = NamedTensors([("θ", Tensor(vector: [x, y]))])
            } else {
                theta = update.parameters
            }
        }
        return (count, departures, count == 0 ? "the run has no steps" : nil)
    }

    // MARK: The network lesson

    static func network(_ s: NetworkLesson.Settings, run: StudentRun, steps: Int, tolerance: Tolerance) -> (Int, [Departure], String?) {
        guard s.optimizer == .gd else { return (0, [], "only plain gradient descent runs are replayed") }
        guard let W1 = run.initial["W1"], let W2 = run.initial["W2"], W1.rank == 2, W2.rank == 2 else {
            return (0, [], "the run has no initial W1 and W2 (matrices, at step 0)")
        }
        let data: DataSet
        do { data = try DataSet.named(s.data) } catch { return (0, [], error.message) }
        let X = run.data["X"] ?? data.matrix(biasColumn: s.biasColumn), Y = run.data["Y"] ?? data.targetColumn
        guard X.rank == 2, X.shape[1] == W1.shape[0], W1.shape[1] == W2.shape[0], Y.shape == [X.shape[0], 1] else {
            return (0, [], "the shapes do not fit together: X \(X.shapeDescription), W1 \(W1.shapeDescription), W2 \(W2.shapeDescription), Y \(Y.shapeDescription)")
        }
        let activation = s.activation, eta = s.learningRate
        let training = NetworkTraining(inputs: X, targets: Y, activation: activation)
        var before: NamedTensors = ["W1": W1, "W2": W2]
        var departures: [Departure] = []
        let count = min(steps, run.steps.count)
        for k in 0..<count {
            let student = run.steps[k]
            // The lesson's own iteration (graph, backward, gradient-descent update) from the student's weights.
            var optimizer = TrainingChoices.optimizer(.gd, rate: eta)
            let iteration: NetworkTraining.Iteration
            do {
                iteration = try training.iteration(from: before, optimizer: &optimizer)
            } catch {
                return (k, departures, "nnsim could not compute step \(k + 1) from the run's parameters: \(error)")
            }
            let graph = iteration.graph, g = iteration.update.gradients, after = iteration.update.parameters
            // nnsim's own numbers for this step: every one exists by construction; were one missing, the
            // student would be compared with a made-up value, so the replay stops and says so.
            let own = ["z1", "h", "z2", "yhat", "L"].compactMap { name in graph.node(named: name).map { (name, $0.value) } }
            guard own.count == 5, let gW1 = g["W1"], let gW2 = g["W2"], let aW1 = after["W1"], let aW2 = after["W2"],
                  let bW1 = before["W1"], let bW2 = before["W2"] else {
                return (k, departures, "nnsim's own step \(k + 1) is missing a value, so the replay cannot check it")
            }
            let values = Dictionary(uniqueKeysWithValues: own)
            func value(_ name: String) -> Tensor { values[name] ?? Tensor(.nan) }
            let act = activation == .sigmoid ? "σ" : activation.rawValue
            let checks: [(label: String, given: Tensor?, expected: Tensor, formula: (Int, Int) -> String, hint: (Tensor) -> String?)] = [
                ("z1", student.nodes["z1"], value("z1"), { i, j in "Σₖ X[\(i)][k]·W1[k][\(j)]" }, { _ in nil }),
                ("h", student.nodes["h"], value("h"), { i, j in "\(act)(z1[\(i)][\(j)])" }, { given in
                    Self.close(given, value("z1"), tolerance) ? "that is z1: did you forget the activation?" : nil }),
                ("z2", student.nodes["z2"], value("z2"), { i, j in "Σₖ h[\(i)][k]·W2[k][\(j)]" }, { _ in nil }),
                ("yhat", student.nodes["yhat"], value("yhat"), { i, j in "σ(z2[\(i)][\(j)])" }, { _ in nil }),
                ("L", student.nodes["L"], value("L"), { _, _ in "½Σᵢ(ŷᵢ − yᵢ)²" }, { given in
                    Self.ratio(given, value("L"), 2, tolerance) ? "L is ½Σ(ŷ − y)²: did you drop the ½?" : nil }),
                ("∂L/∂W2", student.gradients["W2"], gW2, { j, c in "Σᵢ h[i][\(j)]·δ₂[i][\(c)] with δ₂ = (ŷ − y)·ŷ(1 − ŷ)" }, { given in
                    Self.gradientHint(given, gW2, tolerance) }),
                ("∂L/∂W1", student.gradients["W1"], gW1, { k, j in "Σᵢ X[i][\(k)]·δ₁[i][\(j)] with δ₁ = (δ₂·W2ᵀ)⊙\(act)′(z1)" }, { given in
                    Self.gradientHint(given, gW1, tolerance) }),
                ("W2", student.parameters["W2"], aW2, { a, b in "W2[\(a)][\(b)] − η·∂L/∂W2[\(a)][\(b)] with η = \(NumberFormat.display(eta))" }, { given in
                    Self.updateHint(given, bW2, gW2, eta, tolerance) }),
                ("W1", student.parameters["W1"], aW1, { a, b in "W1[\(a)][\(b)] − η·∂L/∂W1[\(a)][\(b)] with η = \(NumberFormat.display(eta))" }, { given in
                    Self.updateHint(given, bW1, gW1, eta, tolerance) }),
            ]
            for check in checks {
                guard let given = check.given else { continue }
                if let departure = Self.compare(step: k + 1, check.label, given: given, expected: check.expected, tolerance: tolerance, formula: check.formula, hint: check.hint) {
                    departures.append(departure)
                    break
                }
            }
            // The next step starts from the student's own parameters where they gave them.
            for name in ["W1", "W2"] {
                if let own = student.parameters[name], own.shape == after[name]?.shape, own.isFinite { before[name] = own } else { before[name] = after[name] }
            }
        }
        return (count, departures, count == 0 ? "the run has no steps" : nil)
    }

    // MARK: The perceptron lesson

    static func perceptron(_ s: PerceptronLesson.Settings, run: StudentRun, steps: Int, tolerance: Tolerance) -> (Int, [Departure], String?) {
        let data: DataSet
        do { data = try DataSet.named(s.data) } catch { return (0, [], error.message) }
        let rate = s.learningRate
        var w = run.initial["w"]?.scalars ?? [s.w0, s.w1, s.w2]
        guard w.count == data.inputNames.count + 1 else { return (0, [], "the initial w has \(w.count) entries; the data needs \(data.inputNames.count + 1) (the bias first)") }
        var departures: [Departure] = []
        let count = min(steps, run.steps.count)
        for k in 0..<count {
            let n = k % data.inputs.count
            let p = PerceptronRule(learningRate: rate).present(data.inputs[n], target: data.targets[n], weights: w)
            let (x, d, net, y, after) = (p.input, p.target, p.netInput, p.output, p.weightsAfter)
            if let given = run.steps[k].parameters["w"] {
                let before = w
                let departure = compare(step: k + 1, "w", given: given, expected: Tensor(vector: after), tolerance: tolerance, formula: { i, _ in
                    "w[\(i)] + α(d − y)x[\(i)] with x = \(NumberFormat.tuple(x)), y = step(w·x = \(NumberFormat.display(net))) = \(NumberFormat.display(y)), d = \(NumberFormat.display(d)), α = \(NumberFormat.display(rate))"
                }, hint: { given in
                    let g = given.scalars
                    func near(_ v: [Double]) -> Bool { v.count == g.count && zip(v, g).allSatisfy { tolerance.accepts($1, $0) } }
                    if near(zip(before, x).map { $0 + rate * (y - d) * $1 }) { return "the error is d − y (target minus output), not y − d" }
                    let yGreaterEqual: Double = net >= 0 ? 1 : 0
                    if near(zip(before, x).map { $0 + rate * (d - yGreaterEqual) * $1 }) { return "y is 1 only when w·x > 0 (strictly)" }
                    if rate != 1, near(zip(before, x).map { $0 + (d - y) * $1 }) { return "did you leave out the learning rate α = \(NumberFormat.display(rate))?" }
                    if near(zip(before, data.inputs[n] + [1]).map { $0 + rate * (d - y) * $1 }) { return "the bias is w[0], on x₀ = 1 first" }
                    return nil
                })
                if let departure { departures.append(departure) }
                w = given.count == after.count && given.isFinite ? given.scalars : after
            } else {
                w = after
            }
        }
        return (count, departures, count == 0 ? "the run has no steps" : nil)
    }

    // MARK: Comparing

    static func compare(step: Int, _ label: String, given: Tensor, expected: Tensor, tolerance: Tolerance,
                        formula: (Int, Int) -> String, hint: (Tensor) -> String?) -> Departure? {
        guard given.scalars.count == expected.scalars.count, given.shape.reduce(1, *) == expected.shape.reduce(1, *) else {
            return Departure(step: step, quantity: label, expected: .nan, given: .nan, formula: "a \(expected.shapeDescription) value",
                             hint: "expected \(expected.shapeDescription), got \(given.shapeDescription)")
        }
        if given.shape != expected.shape, given.rank == 2, expected.rank == 2, given.shape == expected.shape.reversed() {
            return Departure(step: step, quantity: label, expected: .nan, given: .nan, formula: "a \(expected.shapeDescription) value",
                             hint: "got \(given.shapeDescription): transposed?")
        }
        let columns = expected.rank == 2 ? expected.shape[1] : 1
        for (i, (g, e)) in zip(given.scalars, expected.scalars).enumerated() where !tolerance.accepts(g, e) {
            let (r, c) = (i / columns, i % columns)
            let index = expected.rank == 2 ? "[\(r)][\(c)]" : (expected.rank == 1 ? "[\(i)]" : "")
            return Departure(step: step, quantity: label + index, expected: e, given: g, formula: formula(expected.rank == 1 ? i : r, c), hint: hint(given))
        }
        return nil
    }

    /// f applied entry by entry to two tensors of the same shape; nil when their shapes differ (then no
    /// hint is given, rather than one compared with a made-up tensor).
    static func combine(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) -> Tensor? {
        guard a.shape == b.shape else { return nil }
        return try? Tensor(shape: a.shape, scalars: zip(a.scalars, b.scalars).map(f))
    }

    static func close(_ a: Tensor, _ b: Tensor, _ tolerance: Tolerance) -> Bool {
        a.scalars.count == b.scalars.count && zip(a.scalars, b.scalars).allSatisfy { tolerance.accepts($0, $1) }
    }

    /// Whether given = factor·expected entry by entry.
    static func ratio(_ given: Tensor, _ expected: Tensor, _ factor: Double, _ tolerance: Tolerance) -> Bool {
        close(given, expected.map { $0 * factor }, tolerance) && expected.scalars.contains { $0 != 0 }
    }

    static func gradientHint(_ given: Tensor, _ expected: Tensor, _ tolerance: Tolerance) -> String? {
        if ratio(given, expected, 2, tolerance) { return "twice the gradient of ½Σ(ŷ − y)²: did you drop the ½?" }
        if ratio(given, expected, -1, tolerance) { return "the sign is flipped: ∂L/∂ŷ = ŷ − y, not y − ŷ" }
        if ratio(given, expected, 0.5, tolerance) { return "half the gradient: an extra ½?" }
        return nil
    }

    static func updateHint(_ given: Tensor, _ before: Tensor, _ gradient: Tensor, _ eta: Double, _ tolerance: Tolerance) -> String? {
        if let added = combine(before, gradient, { $0 + eta * $1 }), close(given, added, tolerance) { return "you added the gradient: W ← W − η·∂L/∂W" }
        if eta != 1, let unscaled = combine(before, gradient, { $0 - $1 }), close(given, unscaled, tolerance) { return "did you leave out the learning rate η = \(NumberFormat.display(eta))?" }
        if close(given, before, tolerance) { return "the parameters did not change: was the update applied?" }
        return nil
    }
}
