import Foundation
import Testing
@testable import Sim

/// The trace reader on hostile input: every bad file gives a clear error with a path, never a crash.
@Suite struct TraceReaderTests {
    enum Step { case key(String), index(Int) }

    /// The lecture example's JSON with the value at `path` replaced (or removed when `value` is nil).
    static func edited(_ path: [Step], _ value: JSONValue?) throws -> [UInt8] {
        func edit(_ json: JSONValue, _ path: ArraySlice<Step>) -> JSONValue? {
            guard let first = path.first else { return value }
            switch (json, first) {
            case (.object(let members), .key(let key)):
                var out = members.compactMap { m in
                    m.key == key ? edit(m.value, path.dropFirst()).map { JSONMember(key, $0) } : m
                }
                if !members.contains(where: { $0.key == key }), path.count == 1, let value {
                    out.append(JSONMember(key, value))
                }
                return .object(out)
            case (.array(var elements), .index(let i)):
                if let new = edit(elements[i], path.dropFirst()) { elements[i] = new } else { elements.remove(at: i) }
                return .array(elements)
            default:
                return json
            }
        }
        let json = try JSONParser.parse(try TraceExampleTests.lectureTrace().encoded())
        return JSONWriter.bytes(edit(json, path[...]) ?? .null)
    }

    /// The lecture example's JSON text, unchanged.
    static func example() throws -> [UInt8] { try TraceExampleTests.lectureTrace().encoded() }

    static func node(_ index: Int, _ key: String) -> [Step] {
        [.key("runs"), .index(0), .key("steps"), .index(0), .key("nodes"), .index(index), .key(key)]
    }

    static func error(reading bytes: [UInt8], limits: JSONLimits = JSONLimits()) -> TraceError? {
        do {
            _ = try Trace(bytes: bytes, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func theExampleReads() throws {
        #expect(try Trace(bytes: try Self.example()) == TraceExampleTests.lectureTrace())
    }

    @Test func missingFields() throws {
        #expect(Self.error(reading: try Self.edited(Self.node(2, "value"), nil)) == .missingField(path: "runs[0].steps[0].nodes[2].value"))
        #expect(Self.error(reading: try Self.edited([.key("summary")], nil)) == .missingField(path: "summary"))
        #expect(Self.error(reading: try Self.edited([.key("source"), .key("expression")], nil))
                == .missingField(path: "source.expression"))
        #expect(Self.error(reading: try Self.edited(Self.node(3, "op"), nil)) == .missingField(path: "runs[0].steps[0].nodes[3].op"))
        #expect(Self.error(reading: try Self.edited(Self.node(4, "locals"), nil)) == .missingField(path: "runs[0].steps[0].nodes[4].locals"))
        #expect(Self.error(reading: try Self.edited(Self.node(4, "value"), .null)) == .missingField(path: "runs[0].steps[0].nodes[4].value"))
    }

    @Test func wrongTypes() throws {
        #expect(Self.error(reading: try Self.edited(Self.node(2, "value"), .string("abc")))
                == .wrongType(path: "runs[0].steps[0].nodes[2].value", expected: "a tensor (a number or an array)", found: "a string"))
        #expect(Self.error(reading: try Self.edited(Self.node(2, "value"), .array([.number(1), .string("x")])))
                == .wrongType(path: "runs[0].steps[0].nodes[2].value[1]", expected: "a number", found: "a string"))
        #expect(Self.error(reading: try Self.edited(Self.node(2, "value"), .array([.array([.number(1)]), .number(2)])))
                == .wrongType(path: "runs[0].steps[0].nodes[2].value[1]", expected: "a row (an array of numbers)", found: "a number"))
        #expect(Self.error(reading: try Self.edited([.key("runs"), .index(0), .key("steps"), .index(0), .key("step")], .number(1)))
                == .wrongType(path: "runs[0].steps[0].step", expected: "an integer", found: "a number"))
        #expect(Self.error(reading: try Self.edited([.key("runs"), .index(0), .key("steps")], .object([])))
                == .wrongType(path: "runs[0].steps", expected: "an array", found: "an object"))
        #expect(Self.error(reading: try Self.edited([.key("settings"), .key("seed")], .array([])))
                == .wrongType(path: "settings.seed", expected: "a string, number or boolean", found: "an array"))
        #expect(Self.error(reading: Array("[1]".utf8))
                == .wrongType(path: "the document", expected: "an object", found: "an array"))
    }

    @Test func badValues() throws {
        #expect(Self.error(reading: try Self.edited([.key("format")], .string("other")))
                == .invalid(path: "format", reason: "\"other\" is not \"nnsim-trace\""))
        #expect(Self.error(reading: try Self.edited([.key("version")], .integer(3)))
                == .invalid(path: "version", reason: "version 3 is not supported (this reader reads versions 1 to 2)"))
        #expect(Self.error(reading: try Self.edited([.key("detail")], .string("every:0")))
                == .invalid(path: "detail", reason: "\"every:0\" is not chosen, all, every:N or a list of iterations"))
        #expect(Self.error(reading: try Self.edited(Self.node(4, "inputs"), .array([.string("a"), .string("zz")])))
                == .invalid(path: "runs[0].steps[0].nodes[4].inputs[1]", reason: "no earlier node is called \"zz\""))
        // A node may only use nodes before it: e uses L, which comes later.
        #expect(Self.error(reading: try Self.edited(Self.node(4, "inputs"), .array([.string("a"), .string("L")])))
                == .invalid(path: "runs[0].steps[0].nodes[4].inputs[1]", reason: "no earlier node is called \"L\""))
        #expect(Self.error(reading: try Self.edited(Self.node(3, "grad"), .array([.number(1), .number(2)])))
                == .invalid(path: "runs[0].steps[0].nodes[3].grad", reason: "shape 2 where scalar was expected"))
        #expect(Self.error(reading: try Self.edited(Self.node(2, "value"), .array([.array([.number(1)]), .array([])])))
                == .invalid(path: "runs[0].steps[0].nodes[2].value[1]", reason: "a row of 0 numbers where 1 were expected"))
        #expect(Self.error(reading: try Self.edited(Self.node(1, "name"), .string("a")))
                == .invalid(path: "runs[0].steps[0].nodes[1].name", reason: "the name \"a\" is used twice"))
        #expect(Self.error(reading: try Self.edited(Self.node(1, "kind"), .string("weight")))
                == .invalid(path: "runs[0].steps[0].nodes[1].kind", reason: "unknown kind \"weight\" (input, parameter, constant or operation)"))
        #expect(Self.error(reading: try Self.edited(Self.node(5, "messages"), .array([.number(1)])))
                == .invalid(path: "runs[0].steps[0].nodes[5].messages", reason: "1 messages for 2 local derivatives"))
        #expect(Self.error(reading: try Self.edited([.key("runs"), .index(0), .key("steps"), .index(0), .key("output")], .string("M")))
                == .invalid(path: "runs[0].steps[0].output", reason: "no node is called \"M\""))
        #expect(Self.error(reading: try Self.edited([.key("runs"), .index(0), .key("steps"), .index(0), .key("samples")], .array([.integer(-1)])))
                == .invalid(path: "runs[0].steps[0].samples[0]", reason: "a sample index cannot be negative"))
    }

    /// Unknown fields are ignored, at every level: later versions only add fields.
    @Test func extraFieldsAreIgnored() throws {
        var bytes = try Self.edited([.key("comment")], .string("from the future"))
        #expect(try Trace(bytes: bytes) == TraceExampleTests.lectureTrace())
        bytes = try Self.edited(Self.node(3, "colour"), .array([.object([])]))
        #expect(try Trace(bytes: bytes) == TraceExampleTests.lectureTrace())
    }

    /// A version 1 file (the reference's example as nnsim wrote it before version 2) reads as one run
    /// called main, every step in full detail, its summary the trace's.
    @Test func versionOneReads() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/trace-version-1.json")
        let old = try Trace(bytes: Array(try Data(contentsOf: fixture)))
        let new = try TraceExampleTests.lectureTrace()
        #expect(old.detail == .all && old.runs.map(\.name) == ["main"])
        #expect(old.runs[0].initial == new.runs[0].initial)
        #expect(old.runs[0].steps.map(\.nodes) == new.runs[0].steps.map(\.nodes))
        #expect(old.runs[0].steps[0].grads == new.runs[0].steps[0].grads && old.runs[0].steps[0].step == 1)
        #expect(old.summary == new.runs[0].summary && old.settings == new.settings && old.source == new.source)
        // Written again, it is version 2.
        #expect(try Trace(bytes: try old.encoded()) == old)
        // Version 1 requires what version 2 leaves out of a step without detail.
        let text = try String(contentsOf: fixture, encoding: .utf8)
        let noNodes = text.replacingOccurrences(of: "\"nodes\": [", with: "\"nodez\": [")
        #expect(Self.error(reading: Array(noNodes.utf8)) == .missingField(path: "steps[0].nodes"))
    }

    @Test func malformedJSON() throws {
        let text = String(decoding: try Self.example(), as: UTF8.self)
        let broken = Array(text.replacingOccurrences(of: "\"value\": 5.0,", with: "\"value\": 5.0,,").utf8)
        guard case .json(let error)? = Self.error(reading: broken) else {
            Issue.record("accepted")
            return
        }
        // The line of e's value, counted in the text; the extra comma is where a key should follow.
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("\"value\": 5.0,") }) + 1
        #expect(error.reason == .unexpected(found: "','", expected: "a key in double quotes"))
        #expect(error.line == line && error.column == 28)
        let huge = Array(text.replacingOccurrences(of: "\"value\": 5.0,", with: "\"value\": 1e999,").utf8)
        #expect(Self.error(reading: huge) == .json(JSONError(reason: .numberOutOfRange("1e999"), line: line, column: 24)))
    }

    @Test func deepNestingIsRefused() throws {
        // The object is one level, so the 64th bracket is one too many.
        let deep = "{\"format\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(Self.error(reading: Array(deep.utf8))
                == .json(JSONError(reason: .tooDeep(limit: 64), line: 1, column: 75)))
        // Deep but within the limit still fails cleanly as a wrong type.
        let tensor = String(repeating: "[", count: 50) + "1" + String(repeating: "]", count: 50)
        let bytes = Array(String(decoding: try Self.example(), as: UTF8.self)
            .replacingOccurrences(of: "\"value\": 5.0,", with: "\"value\": \(tensor),").utf8)
        #expect(Self.error(reading: bytes)
                == .wrongType(path: "runs[0].steps[0].nodes[4].value[0][0]", expected: "a number", found: "an array"))
    }

    @Test func filesBeyondTheLimitAreRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-limit-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TraceExampleTests.lectureTrace().write(toFile: path)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(throws: Never.self) { try Trace.read(fromFile: path, limits: JSONLimits(maxBytes: size)) }
        guard case .file(_, let reason) = try #require(Self.readError(path, JSONLimits(maxBytes: size - 1))) else {
            Issue.record("not refused as too large")
            return
        }
        #expect(reason.hasPrefix("is larger than "), "\(reason)")
        guard case .file(let missing, _)? = Self.readError(path + ".absent", JSONLimits()) else {
            Issue.record("a missing file was not reported")
            return
        }
        #expect(missing == path + ".absent")
    }

    static func readError(_ path: String, _ limits: JSONLimits) -> TraceError? {
        do {
            _ = try Trace.read(fromFile: path, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    /// Every truncation and thousands of random byte edits of a valid trace either read or give an
    /// error: none crashes. (A fixed-seed generator picks the edits.)
    @Test func mutatedFilesNeverCrash() throws {
        let valid = try Self.example()
        // Only the cut of the final newline still reads.
        var readable: [Int] = []
        for length in 0..<valid.count where Self.error(reading: Array(valid[..<length])) == nil { readable.append(length) }
        #expect(readable == [valid.count - 1])
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let alphabet = Array("{}[]\",:-0123456789.eE naflsetru\\".utf8) + [0x00, 0xFF, 0xC3]
        var errors = 0
        for _ in 0..<3000 {
            var bytes = valid
            for _ in 0..<(1 + next(3)) {
                let at = next(bytes.count)
                switch next(3) {
                case 0: bytes[at] = alphabet[next(alphabet.count)]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[next(alphabet.count)], at: at)
                }
            }
            if let error = Self.error(reading: bytes) {
                errors += 1
                #expect(!error.description.isEmpty)
            }
        }
        #expect(errors > 1000)
    }
}
