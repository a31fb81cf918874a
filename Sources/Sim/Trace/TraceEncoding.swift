/// Trace → JSON, in the field order of `docs/trace-format.md`.
extension Trace {
    /// The trace as a JSON value, after `validate()`.
    public func json() throws(TraceError) -> JSONValue {
        try validate()
        var members: [JSONMember] = [
            JSONMember("format", .string(Self.format)),
            JSONMember("version", .integer(Self.version)),
            JSONMember("source", source.json),
            JSONMember("settings", Self.json(settings)),
        ]
        if let data { members.append(JSONMember("data", Self.json(data))) }
        members.append(JSONMember("detail", .string(detail.description)))
        members.append(JSONMember("runs", .array(runs.map(\.json))))
        members.append(JSONMember("summary", Self.json(summary)))
        return .object(members)
    }

    /// The trace file's bytes: the same trace always gives the same bytes.
    public func encoded() throws(TraceError) -> [UInt8] {
        JSONWriter.bytes(try json())
    }

    static func json(_ tensor: Tensor) -> JSONValue {
        switch tensor.rank {
        case 0: return .number(tensor.scalars[0])
        case 1: return .array(tensor.scalars.map(JSONValue.number))
        default: return .array(tensor.rows.map { .array($0.map(JSONValue.number)) })
        }
    }

    static func json(_ values: NamedTensors) -> JSONValue {
        .object(values.entries.map { JSONMember($0.name, json($0.value)) })
    }

    static func json(_ values: NamedValues<TraceValue>) -> JSONValue {
        .object(values.entries.map { entry in
            let value: JSONValue
            switch entry.value {
            case .string(let s): value = .string(s)
            case .integer(let n): value = .integer(n)
            case .number(let x): value = .number(x)
            case .bool(let b): value = .bool(b)
            }
            return JSONMember(entry.name, value)
        })
    }
}

extension TraceSource {
    var json: JSONValue {
        switch self {
        case .graph(let name, let expression):
            return .object([JSONMember("kind", .string("graph")), JSONMember("name", .string(name)),
                            JSONMember("expression", .string(expression))])
        case .lesson(let name, let script):
            return .object([JSONMember("kind", .string("lesson")), JSONMember("name", .string(name)),
                            JSONMember("script", .string(script))])
        }
    }
}

extension TraceRun {
    var json: JSONValue {
        .object([
            JSONMember("name", .string(name)),
            JSONMember("settings", Trace.json(settings)),
            JSONMember("initial", Trace.json(initial)),
            JSONMember("steps", .array(steps.map(\.json))),
            JSONMember("summary", Trace.json(summary)),
        ])
    }
}

extension TraceStep {
    var json: JSONValue {
        var members = [JSONMember("step", .integer(step))]
        if let samples { members.append(JSONMember("samples", .array(samples.map(JSONValue.integer)))) }
        if let loss { members.append(JSONMember("loss", .number(loss))) }
        if let output { members.append(JSONMember("output", .string(output))) }
        if let nodes { members.append(JSONMember("nodes", .array(nodes.map(\.json)))) }
        members.append(JSONMember("params", Trace.json(params)))
        if nodes != nil || !grads.isEmpty { members.append(JSONMember("grads", Trace.json(grads))) }
        if let optimizer {
            members.append(JSONMember("optimizer", .object([
                JSONMember("tensors", Trace.json(optimizer.tensors)),
                JSONMember("scalars", .object(optimizer.scalars.entries.map { JSONMember($0.name, .number($0.value)) })),
            ])))
        }
        return .object(members)
    }
}

extension TraceNode {
    var json: JSONValue {
        var members = [JSONMember("name", .string(name)), JSONMember("kind", .string(kind.rawValue))]
        if let operation { members.append(JSONMember("op", .string(operation))) }
        if !attributes.isEmpty { members.append(JSONMember("attributes", Trace.json(attributes))) }
        members.append(JSONMember("inputs", .array(inputs.map(JSONValue.string))))
        members.append(JSONMember("value", Trace.json(value)))
        if let gradient { members.append(JSONMember("grad", Trace.json(gradient))) }
        if let edges {
            members.append(JSONMember("locals", .array(edges.map { $0.local.map(Trace.json) ?? .null })))
            members.append(JSONMember("messages", .array(edges.map { Trace.json($0.message) })))
        }
        return .object(members)
    }
}
