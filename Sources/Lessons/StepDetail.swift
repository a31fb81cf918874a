import Sim

/// A value shown with a step: a node's value (bluish green in the terminal) or a gradient (vermillion).
public struct StepValue: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case value, gradient }
    public let label: String
    public let value: Tensor
    public let kind: Kind

    public init(_ label: String, _ value: Tensor, _ kind: Kind) {
        self.label = label
        self.value = value
        self.kind = kind
    }
}

/// The structured side of a step, for the terminal stepper: the formula without numbers, the local
/// derivative as mathematics, the values as tensors (printed as aligned blocks), the graph's nodes and the
/// one this step is at.
public struct StepDetail: Sendable, Hashable {
    /// `h = σ(z1)`, `∂L/∂W2 = ∂L/∂z2 · ∂z2/∂W2`.
    public let formula: String
    /// The local derivative (`σ′(z1) = σ(z1)(1 − σ(z1))`, `hᵀ·∂L/∂z2`), for backward messages.
    public let rule: String?
    public let values: [StepValue]
    /// Every node of the graph in order, and the node this step computes or sends a gradient to.
    public let nodes: [String]
    public let node: String?
    /// A gradient with respect to data or targets (X, Y): hidden unless asked for.
    public let isDataGradient: Bool

    public init(formula: String, rule: String? = nil, values: [StepValue], nodes: [String] = [], node: String? = nil,
                isDataGradient: Bool = false) {
        self.formula = formula
        self.rule = rule
        self.values = values
        self.nodes = nodes
        self.node = node
        self.isDataGradient = isDataGradient
    }
}

extension LessonStep {
    /// The same step, in iteration `iteration` and with its structured detail.
    public func with(iteration: Int?, detail: StepDetail?) -> LessonStep {
        var step = self
        step.iteration = iteration
        step.detail = detail
        return step
    }

    /// The same step, in run `run`.
    public func with(run: StepRun?) -> LessonStep {
        var step = self
        step.run = run
        return step
    }
}

extension GraphWalkthrough {
    /// Every forward step and backward message as stepper steps with their detail (values as tensors, the
    /// node marked), in iteration `iteration` of a training run or in none.
    public func lessonSteps(graph: Graph, iteration: Int? = nil) -> [LessonStep] {
        let nodes = graph.nodes.filter { $0.kind != .constant }.map(\.name)
        var steps = forward.map { f in
            LessonStep(.forward, f.text).with(iteration: iteration, detail: StepDetail(
                formula: "\(f.node) = \(f.formula)", values: [StepValue(f.node, f.value, .value)], nodes: nodes, node: f.node))
        }
        steps += backward.map { b in
            var values: [StepValue] = []
            var formula = "∂\(output)/∂\(b.node)"
            var rule: String?
            if b.kind == .edge, let consumer = b.consumer {
                // A rule with a gradient in it is the whole message (hᵀ·∂L/∂z2); else it is the local derivative.
                rule = b.rule.map { $0.contains("∂") ? "= \($0)" : "local derivative ∂\(consumer)/∂\(b.node) = \($0)" }
                formula += " = ∂\(output)/∂\(consumer) · ∂\(consumer)/∂\(b.node)"
                // Labelled by role: for the output's own edge the upstream (∂L/∂L), the local derivative
                // (∂L/∂e) and the message (∂L/∂e) have the same name, and only the word tells them apart.
                let single = { (t: Tensor) in t.isScalar || t.scalars.count == 1 && t.rank <= 1 }
                if let upstream = b.upstream { values.append(StepValue("upstream ∂\(output)/∂\(consumer)", upstream, .gradient)) }
                if let local = b.local {
                    let expression = b.rule.flatMap { !$0.contains("∂") && single(local) && $0 != NumberFormat.display(local.scalars.first ?? .nan) ? " = \($0)" : nil } ?? ""
                    values.append(StepValue("local ∂\(consumer)/∂\(b.node)" + expression, local, .value))
                }
                let shared = b.text.contains("⟵ via")
                var message = "message ∂\(output)/∂\(b.node)" + (shared ? " via \(consumer)" : "")
                if let upstream = b.upstream, let local = b.local, single(upstream), single(local), single(b.value) {
                    // A negative second factor in brackets: 1 · (−2), as it is written by hand.
                    let left = NumberFormat.display(upstream.scalars.first ?? .nan), right = NumberFormat.display(local.scalars.first ?? .nan)
                    message += " = \(left) · " + (right.hasPrefix("−") || right.hasPrefix("-") ? "(\(right))" : right)
                }
                values.append(StepValue(message, b.value, .gradient))
            } else {
                values.append(StepValue("∂\(output)/∂\(b.node)", b.value, .gradient))
            }
            return LessonStep(.backward, b.text).with(iteration: iteration, detail: StepDetail(
                formula: formula, rule: rule, values: values, nodes: nodes, node: b.node, isDataGradient: b.isData))
        }
        return steps
    }
}
