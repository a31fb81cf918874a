/// JSON → Trace, checking every field's presence and type and reporting the first problem with its path.
///
/// Fields this version does not know are ignored, so files from later versions of the format (which only
/// add fields) still read. Optional fields may be absent or null.
extension Trace {
    public init(json: JSONValue) throws(TraceError) {
        let root = TraceField(value: json, path: "")
        _ = try root.members()
        // Format and version first: a file that is not a trace should say so, not list missing fields.
        let format = try root.member("format").string()
        guard format == Self.format else {
            throw .invalid(path: "format", reason: "\"\(format)\" is not \"\(Self.format)\"")
        }
        let version = try root.member("version").integer()
        guard Self.readableVersions.contains(version) else {
            throw .invalid(path: "version", reason: "version \(version) is not supported (this reader reads versions \(Self.readableVersions.lowerBound) to \(Self.readableVersions.upperBound))")
        }
        let source = try TraceSource(try root.member("source"))
        let settings = try root.member("settings").plainValues()
        let data = try root.optionalMember("data")?.namedTensors()
        if version == 1 {
            // Version 1 held one run at the top level, every step in full.
            let run = TraceRun(name: "main", initial: try root.member("initial").namedTensors(),
                               steps: try root.member("steps").elements().map { (field) throws(TraceError) in try TraceStep(field, version: 1) })
            self.init(source: source, settings: settings, data: data, detail: .all, runs: [run],
                      summary: try root.member("summary").plainValues())
        } else {
            let detailField = try root.member("detail")
            let detailText = try detailField.string()
            guard let detail = TraceDetail(detailText) else {
                throw .invalid(path: detailField.path, reason: "\"\(detailText)\" is not chosen, all, every:N or a list of iterations")
            }
            self.init(source: source, settings: settings, data: data, detail: detail,
                      runs: try root.member("runs").elements().map { (field) throws(TraceError) in try TraceRun(field) },
                      summary: try root.member("summary").plainValues())
        }
        try validate()
    }

    /// Reads a trace from the bytes of a trace file, within `limits`.
    public init(bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(TraceError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes, limits: limits)
        } catch {
            throw .json(error)
        }
        try self.init(json: json)
    }
}

extension TraceSource {
    init(_ field: TraceField) throws(TraceError) {
        let kind = try field.member("kind").string()
        let name = try field.member("name").string()
        switch kind {
        case "graph": self = .graph(name: name, expression: try field.member("expression").string())
        case "lesson": self = .lesson(name: name, script: try field.member("script").string())
        default: throw .invalid(path: "\(field.path).kind", reason: "unknown kind \"\(kind)\" (graph or lesson)")
        }
    }
}

extension TraceRun {
    init(_ field: TraceField) throws(TraceError) {
        self.init(name: try field.member("name").string(),
                  settings: try field.member("settings").plainValues(),
                  initial: try field.member("initial").namedTensors(),
                  steps: try field.member("steps").elements().map { (step) throws(TraceError) in try TraceStep(step, version: 2) },
                  summary: try field.member("summary").plainValues())
    }
}

extension TraceStep {
    /// Version 1 requires `nodes` and `grads` in every step; version 2 leaves them out of steps recorded
    /// without detail.
    init(_ field: TraceField, version: Int) throws(TraceError) {
        let optimizer: TraceOptimizerState?
        if let state = try field.optionalMember("optimizer") {
            let scalars = try state.member("scalars").members()
            var named = NamedValues<Double>()
            for (key, scalar) in scalars { named.append(key, try scalar.double()) }
            optimizer = TraceOptimizerState(tensors: try state.member("tensors").namedTensors(), scalars: named)
        } else {
            optimizer = nil
        }
        self.init(step: try field.member("step").integer(),
                  samples: try field.optionalMember("samples")?.elements()
                      .map { (index) throws(TraceError) in try index.integer() },
                  loss: try field.optionalMember("loss")?.double(),
                  output: try field.optionalMember("output")?.string(),
                  nodes: version == 1 ? try Self.nodes(try field.member("nodes"))
                      : try field.optionalMember("nodes").map { (nodes) throws(TraceError) in try Self.nodes(nodes) },
                  params: try field.member("params").namedTensors(),
                  grads: version == 1 ? try field.member("grads").namedTensors() : try field.optionalMember("grads")?.namedTensors() ?? [:],
                  optimizer: optimizer)
    }
}

extension TraceStep {
    static func nodes(_ field: TraceField) throws(TraceError) -> [TraceNode] {
        try field.elements().map { (node) throws(TraceError) in try TraceNode(node) }
    }
}

extension TraceNode {
    init(_ field: TraceField) throws(TraceError) {
        let kindField = try field.member("kind")
        let kindName = try kindField.string()
        guard let kind = NodeKind(rawValue: kindName) else {
            throw .invalid(path: kindField.path,
                           reason: "unknown kind \"\(kindName)\" (input, parameter, constant or operation)")
        }
        var edges: [EdgeGradient]?
        switch (try field.optionalMember("locals"), try field.optionalMember("messages")) {
        case (nil, nil): edges = nil
        case (.some, nil): throw .missingField(path: "\(field.path).messages")
        case (nil, .some): throw .missingField(path: "\(field.path).locals")
        case (.some(let locals), .some(let messages)):
            let localFields = try locals.elements(), messageFields = try messages.elements()
            guard localFields.count == messageFields.count else {
                throw .invalid(path: messages.path,
                               reason: "\(messageFields.count) messages for \(localFields.count) local derivatives")
            }
            var list: [EdgeGradient] = []
            for (local, message) in zip(localFields, messageFields) {
                let localTensor = local.value == .null ? nil : try local.tensor()
                list.append(EdgeGradient(local: localTensor, message: try message.tensor()))
            }
            edges = list
        }
        self.init(name: try field.member("name").string(), kind: kind,
                  operation: try field.optionalMember("op")?.string(),
                  attributes: try field.optionalMember("attributes")?.namedTensors() ?? [:],
                  inputs: try field.member("inputs").elements().map { (input) throws(TraceError) in try input.string() },
                  value: try field.member("value").tensor(),
                  gradient: try field.optionalMember("grad")?.tensor(),
                  edges: edges)
    }
}

/// A JSON value and its path in the document, with typed accessors that fail with that path.
struct TraceField {
    let value: JSONValue
    /// `steps[3].nodes[2].value`; empty for the document itself.
    let path: String

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func wrongType(_ expected: String) -> TraceError {
        .wrongType(path: path.isEmpty ? "the document" : path, expected: expected, found: value.kindDescription)
    }

    /// The object's members, in order.
    func members() throws(TraceError) -> [(key: String, field: TraceField)] {
        guard case .object(let members) = value else { throw wrongType("an object") }
        return members.map { ($0.key, TraceField(value: $0.value, path: child($0.key))) }
    }

    func member(_ key: String) throws(TraceError) -> TraceField {
        guard let field = try optionalMember(key) else { throw .missingField(path: child(key)) }
        return field
    }

    /// The member, or nil when it is absent or null.
    func optionalMember(_ key: String) throws(TraceError) -> TraceField? {
        guard case .object(let members) = value else { throw wrongType("an object") }
        guard let member = members.first(where: { $0.key == key }), member.value != .null else { return nil }
        return TraceField(value: member.value, path: child(key))
    }

    func elements() throws(TraceError) -> [TraceField] {
        guard case .array(let elements) = value else { throw wrongType("an array") }
        return elements.enumerated().map { TraceField(value: $1, path: "\(path)[\($0)]") }
    }

    func string() throws(TraceError) -> String {
        guard case .string(let s) = value else { throw wrongType("a string") }
        return s
    }

    func integer() throws(TraceError) -> Int {
        guard case .integer(let n) = value else { throw wrongType("an integer") }
        return n
    }

    /// A number, or one of the strings `inf`, `-inf`, `nan`.
    func double() throws(TraceError) -> Double {
        guard let x = value.doubleValue else { throw wrongType("a number") }
        return x
    }

    /// A number (scalar), an array of numbers (vector) or an array of equally long arrays of numbers
    /// (matrix, by rows).
    func tensor() throws(TraceError) -> Tensor {
        if let x = value.doubleValue { return Tensor(x) }
        guard case .array(let items) = value else { throw wrongType("a tensor (a number or an array)") }
        guard case .array(let firstRow)? = items.first else {
            return Tensor(vector: try Self.numbers(items, at: path))
        }
        var scalars: [Double] = []
        scalars.reserveCapacity(items.count * firstRow.count)
        for (index, item) in items.enumerated() {
            let rowPath = "\(path)[\(index)]"
            guard case .array(let row) = item else {
                throw TraceField(value: item, path: rowPath).wrongType("a row (an array of numbers)")
            }
            guard row.count == firstRow.count else {
                throw .invalid(path: rowPath, reason: "a row of \(row.count) numbers where \(firstRow.count) were expected")
            }
            scalars.append(contentsOf: try Self.numbers(row, at: rowPath))
        }
        // The count fits the shape by construction.
        do {
            return try Tensor(shape: [items.count, firstRow.count], scalars: scalars)
        } catch {
            throw .invalid(path: path, reason: error.description)
        }
    }

    /// The entries of an array of numbers; the path is built only for an error.
    private static func numbers(_ items: [JSONValue], at path: String) throws(TraceError) -> [Double] {
        var numbers: [Double] = []
        numbers.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let x = item.doubleValue else {
                throw TraceField(value: item, path: "\(path)[\(index)]").wrongType("a number")
            }
            numbers.append(x)
        }
        return numbers
    }

    func namedTensors() throws(TraceError) -> NamedTensors {
        var named = NamedTensors()
        for (key, field) in try members() { named.append(key, try field.tensor()) }
        return named
    }

    /// Settings and summary entries: strings, integers, numbers (the words `inf`, `-inf`, `nan` included)
    /// and booleans.
    func plainValues() throws(TraceError) -> NamedValues<TraceValue> {
        var named = NamedValues<TraceValue>()
        for (key, field) in try members() {
            switch field.value {
            case .string(let s): named.append(key, field.value.doubleValue.map(TraceValue.number) ?? .string(s))
            case .integer(let n): named.append(key, .integer(n))
            case .number(let x): named.append(key, .number(x))
            case .bool(let b): named.append(key, .bool(b))
            default: throw field.wrongType("a string, number or boolean")
            }
        }
        return named
    }
}
