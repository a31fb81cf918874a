/// Trace → JSON, in the field order of `docs/trace-format.md`, written straight to bytes (JSONStream).
extension Trace {
    /// The trace file's bytes, after `validate()`: the same trace always gives the same bytes.
    public func encoded() throws(TraceError) -> [UInt8] {
        try validate()
        var out = JSONStream(capacity: 1 << 16)
        out.beginObject()
        out.key("format"); out.string(Self.format)
        out.key("version"); out.integer(Self.version)
        out.key("source"); source.write(to: &out)
        out.key("settings"); Self.write(settings, to: &out)
        if let data { out.key("data"); Self.write(data, to: &out) }
        out.key("detail"); out.string(detail.description)
        out.key("runs")
        out.beginArray(ofObjects: !runs.isEmpty)
        for run in runs { run.write(to: &out) }
        out.endArray()
        out.key("summary"); Self.write(summary, to: &out)
        out.endObject()
        return out.finish()
    }

    /// A scalar as a number, a vector as an array, a matrix as an array of rows.
    static func write(_ tensor: Tensor, to out: inout JSONStream) {
        switch tensor.rank {
        case 0:
            out.number(tensor.scalars[0])
        case 1:
            out.beginArray(ofObjects: false)
            for x in tensor.scalars { out.number(x) }
            out.endArray()
        default:
            let columns = tensor.shape[1]
            out.beginArray(ofObjects: false)
            for row in 0..<tensor.shape[0] {
                out.beginArray(ofObjects: false)
                for x in tensor.scalars[(row * columns)..<(row * columns + columns)] { out.number(x) }
                out.endArray()
            }
            out.endArray()
        }
    }

    static func write(_ values: NamedTensors, to out: inout JSONStream) {
        out.beginObject()
        for (name, value) in values.entries {
            out.key(name)
            write(value, to: &out)
        }
        out.endObject()
    }

    static func write(_ values: NamedValues<TraceValue>, to out: inout JSONStream) {
        out.beginObject()
        for (name, value) in values.entries {
            out.key(name)
            switch value {
            case .string(let s): out.string(s)
            case .integer(let n): out.integer(n)
            case .number(let x): out.number(x)
            case .bool(let b): out.bool(b)
            }
        }
        out.endObject()
    }
}

extension TraceSource {
    func write(to out: inout JSONStream) {
        out.beginObject()
        switch self {
        case .graph(let name, let expression):
            out.key("kind"); out.string("graph")
            out.key("name"); out.string(name)
            out.key("expression"); out.string(expression)
        case .lesson(let name, let script):
            out.key("kind"); out.string("lesson")
            out.key("name"); out.string(name)
            out.key("script"); out.string(script)
        }
        out.endObject()
    }
}

extension TraceRun {
    func write(to out: inout JSONStream) {
        out.beginObject()
        out.key("name"); out.string(name)
        out.key("settings"); Trace.write(settings, to: &out)
        out.key("initial"); Trace.write(initial, to: &out)
        out.key("steps")
        out.beginArray(ofObjects: !steps.isEmpty)
        for step in steps { step.write(to: &out) }
        out.endArray()
        out.key("summary"); Trace.write(summary, to: &out)
        out.endObject()
    }
}

extension TraceStep {
    func write(to out: inout JSONStream) {
        out.beginObject()
        out.key("step"); out.integer(step)
        if let samples {
            out.key("samples")
            out.beginArray(ofObjects: false)
            for sample in samples { out.integer(sample) }
            out.endArray()
        }
        if let loss { out.key("loss"); out.number(loss) }
        if let output { out.key("output"); out.string(output) }
        if let nodes {
            out.key("nodes")
            out.beginArray(ofObjects: !nodes.isEmpty)
            for node in nodes { node.write(to: &out) }
            out.endArray()
        }
        out.key("params"); Trace.write(params, to: &out)
        if nodes != nil || !grads.isEmpty { out.key("grads"); Trace.write(grads, to: &out) }
        if let optimizer {
            out.key("optimizer")
            out.beginObject()
            out.key("tensors"); Trace.write(optimizer.tensors, to: &out)
            out.key("scalars")
            out.beginObject()
            for (name, value) in optimizer.scalars.entries {
                out.key(name)
                out.number(value)
            }
            out.endObject()
            out.endObject()
        }
        out.endObject()
    }
}

extension TraceNode {
    func write(to out: inout JSONStream) {
        out.beginObject()
        out.key("name"); out.string(name)
        out.key("kind"); out.string(kind.rawValue)
        if let operation { out.key("op"); out.string(operation) }
        if !attributes.isEmpty { out.key("attributes"); Trace.write(attributes, to: &out) }
        out.key("inputs")
        out.beginArray(ofObjects: false)
        for input in inputs { out.string(input) }
        out.endArray()
        out.key("value"); Trace.write(value, to: &out)
        if let gradient { out.key("grad"); Trace.write(gradient, to: &out) }
        if let edges {
            out.key("locals")
            out.beginArray(ofObjects: false)
            for edge in edges {
                if let local = edge.local { Trace.write(local, to: &out) } else { out.null() }
            }
            out.endArray()
            out.key("messages")
            out.beginArray(ofObjects: false)
            for edge in edges { Trace.write(edge.message, to: &out) }
            out.endArray()
        }
        out.endObject()
    }
}
