/// The rules a trace obeys beyond its JSON shape; writing and reading both check them, so whatever is
/// written reads back and whatever reads is consistent.
extension Trace {
    /// The words that stand for non-finite numbers, so not allowed as setting or summary text.
    static let reservedWords: Set<String> = ["inf", "-inf", "nan"]

    /// Checks names are unique, nodes refer to earlier nodes, shapes agree, and numbers are in range;
    /// throws `TraceError.invalid` with the path of the first problem.
    public func validate() throws(TraceError) {
        try Self.checkPlain(settings, at: "settings")
        if let data { try Self.checkTensors(data, at: "data") }
        if case .every(let n) = detail, n < 1 { throw .invalid(path: "detail", reason: "every:\(n) needs a positive step") }
        var names = Set<String>()
        for (index, run) in runs.enumerated() {
            try run.validate(at: "runs[\(index)]")
            guard names.insert(run.name).inserted else {
                throw .invalid(path: "runs[\(index)].name", reason: "the name \"\(run.name)\" is used twice")
            }
        }
        try Self.checkPlain(summary, at: "summary")
    }

    /// Run names, setting and summary keys: printable ASCII without spaces, so they are plain keys in any language.
    static func checkKey(_ key: String, at path: @autoclosure () -> String) throws(TraceError) {
        guard !key.isEmpty, key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .invalid(path: path(), reason: "\"\(key)\" is not a plain name (printable ASCII, no spaces)")
        }
    }

    static func checkNames<Value>(_ values: NamedValues<Value>, at path: @autoclosure () -> String) throws(TraceError) {
        var seen = Set<String>()
        for name in values.names where !seen.insert(name).inserted {
            throw .invalid(path: path(), reason: "the name \"\(name)\" is used twice")
        }
    }

    static func checkPlain(_ values: NamedValues<TraceValue>, at path: String) throws(TraceError) {
        try checkNames(values, at: path)
        for (name, value) in values.entries {
            try checkKey(name, at: "\(path).\(name)")
            if case .string(let text) = value, reservedWords.contains(text) {
                throw .invalid(path: "\(path).\(name)", reason: "the text \"\(text)\" is reserved for numbers")
            }
        }
    }

    /// Paths are built only when there is a problem to report: validation runs on every trace written.
    static func checkTensors(_ values: NamedTensors, at path: @autoclosure () -> String) throws(TraceError) {
        guard !values.names.isEmpty else { return }
        try checkNames(values, at: path())
        for (name, value) in values.entries {
            try checkWritable(value, at: "\(path()).\(name)")
        }
    }

    /// Nested arrays cannot tell a 0×n matrix from an empty vector, so such a matrix is refused.
    static func checkWritable(_ tensor: Tensor, at path: @autoclosure () -> String) throws(TraceError) {
        if tensor.rank == 2, tensor.shape[0] == 0, tensor.shape[1] != 0 {
            throw .invalid(path: path(), reason: "a matrix with no rows and \(tensor.shape[1]) columns cannot be written")
        }
    }
}

extension TraceRun {
    func validate(at path: String) throws(TraceError) {
        try Trace.checkKey(name, at: "\(path).name")
        try Trace.checkPlain(settings, at: "\(path).settings")
        try Trace.checkTensors(initial, at: "\(path).initial")
        for (index, step) in steps.enumerated() {
            try step.validate(at: "\(path).steps[\(index)]")
        }
        try Trace.checkPlain(summary, at: "\(path).summary")
    }
}

extension TraceStep {
    func validate(at path: String) throws(TraceError) {
        guard step >= 0 else { throw .invalid(path: "\(path).step", reason: "a step number cannot be negative") }
        for (index, sample) in (samples ?? []).enumerated() where sample < 0 {
            throw .invalid(path: "\(path).samples[\(index)]", reason: "a sample index cannot be negative")
        }
        var shapes: [String: [Int]] = [:]
        let nodes = self.nodes ?? []
        shapes.reserveCapacity(nodes.count)
        for (index, node) in nodes.enumerated() {
            try node.validate(at: "\(path).nodes[\(index)]", earlier: shapes)
            shapes[node.name] = node.value.shape
        }
        if output != nil, self.nodes == nil {
            throw .invalid(path: "\(path).output", reason: "a step without nodes has no output node")
        }
        if let output, shapes[output] == nil {
            throw .invalid(path: "\(path).output", reason: "no node is called \"\(output)\"")
        }
        try Trace.checkTensors(params, at: "\(path).params")
        try Trace.checkTensors(grads, at: "\(path).grads")
        if let optimizer {
            try Trace.checkTensors(optimizer.tensors, at: "\(path).optimizer.tensors")
            try Trace.checkNames(optimizer.scalars, at: "\(path).optimizer.scalars")
        }
    }
}

extension TraceNode {
    /// Checks the node against the nodes before it (`earlier`: their shapes by name).
    func validate(at nodePath: @autoclosure () -> String, earlier: [String: [Int]]) throws(TraceError) {
        var path: String { nodePath() }
        guard !name.isEmpty else { throw .invalid(path: "\(path).name", reason: "a node needs a name") }
        guard earlier[name] == nil else {
            throw .invalid(path: "\(path).name", reason: "the name \"\(name)\" is used twice")
        }
        switch (kind, operation) {
        case (.operation, nil): throw .missingField(path: "\(path).op")
        case (.operation, _): break
        case (_, .some): throw .invalid(path: "\(path).op", reason: "a \(kind.rawValue) node has no operation")
        case (_, nil):
            guard inputs.isEmpty else { throw .invalid(path: "\(path).inputs", reason: "a \(kind.rawValue) node has no inputs") }
        }
        try Trace.checkTensors(attributes, at: "\(path).attributes")
        var inputShapes: [[Int]] = []
        inputShapes.reserveCapacity(inputs.count)
        for (index, input) in inputs.enumerated() {
            guard let shape = earlier[input] else {
                throw .invalid(path: "\(path).inputs[\(index)]", reason: "no earlier node is called \"\(input)\"")
            }
            inputShapes.append(shape)
        }
        try Trace.checkWritable(value, at: "\(path).value")
        if let gradient {
            try checkShape(gradient, value.shape, at: "\(path).grad")
        }
        guard let edges else { return }
        guard kind == .operation else {
            throw .invalid(path: "\(path).messages", reason: "a \(kind.rawValue) node sends no messages")
        }
        guard edges.count == inputs.count else {
            throw .invalid(path: "\(path).messages", reason: "\(edges.count) messages for \(inputs.count) inputs")
        }
        for (index, (edge, inputShape)) in zip(edges, inputShapes).enumerated() {
            if let local = edge.local { try checkShape(local, value.shape, at: "\(path).locals[\(index)]") }
            try checkShape(edge.message, inputShape, at: "\(path).messages[\(index)]")
        }
    }

    private func checkShape(_ tensor: Tensor, _ shape: [Int], at path: @autoclosure () -> String) throws(TraceError) {
        guard tensor.shape == shape else {
            let path = path()
            let expected = shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "×")
            throw .invalid(path: path, reason: "shape \(tensor.shapeDescription) where \(expected) was expected")
        }
    }
}
