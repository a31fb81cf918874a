import Foundation
import Testing
@testable import Sim

/// nnsim's JSON parser and writer: strict reading, exact numbers, stable layout, and safe refusal of
/// hostile documents.
@Suite struct JSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" { "a" : [1, -2.5, true, false, null, "x\"y\\z\u00e9\ud83d\ude00"], "b": {} } "#)
        let expected = JSONValue.object([
            JSONMember("a", .array([.integer(1), .number(-2.5), .bool(true), .bool(false), .null,
                                    .string("x\"y\\zé😀")])),
            JSONMember("b", .object([])),
        ])
        #expect(value == expected)
    }

    /// Integer literals become integers; a fraction or exponent makes a Double; `-0` keeps its sign.
    @Test func numberKinds() throws {
        #expect(try JSONParser.parse("42") == .integer(42))
        #expect(try JSONParser.parse("4.0") == .number(4))
        #expect(try JSONParser.parse("4e0") == .number(4))
        let negativeZero = try #require(JSONParser.parse("-0").doubleValue)
        #expect(negativeZero == 0 && negativeZero.sign == .minus)
        // Beyond Int64 an integer literal is still a finite number: 2^64.
        #expect(try JSONParser.parse("18446744073709551616") == .number(18_446_744_073_709_551_616))
    }

    /// Every Double, written and read back, has the same bits (random bit patterns from a fixed seed, plus
    /// the edge cases); NaN reads back as NaN.
    @Test func doublesRoundTripBitForBit() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var samples: [Double] = [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
                                 Double.leastNormalMagnitude.nextDown,
                                 1.7976931348623157e308, -1.7976931348623157e308, 0.1, 1e16, 1e15, 123456789,
                                 .infinity, -.infinity, .nan]
        for _ in 0..<2000 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            samples.append(Double(bitPattern: z ^ (z >> 31)))
        }
        let text = JSONWriter.text(.array(samples.map { .number($0) }))
        guard case .array(let back) = try JSONParser.parse(text) else {
            Issue.record("not an array")
            return
        }
        #expect(back.count == samples.count)
        for (x, y) in zip(samples, back) {
            let read = try #require(y.doubleValue)
            if x.isNaN {
                #expect(read.isNaN)
            } else {
                #expect(read.bitPattern == x.bitPattern, "\(x) read back as \(read)")
            }
        }
    }

    /// The layout: objects one member per line, arrays without objects on one line, non-finite doubles as
    /// strings, a final newline.
    @Test func layout() {
        let value = JSONValue.object([
            JSONMember("m", .array([.array([.number(1.5), .number(-0.0)]), .array([.number(.infinity), .number(.nan)])])),
            JSONMember("list", .array([.object([JSONMember("k", .integer(1))]), .object([])])),
            JSONMember("s", .string("tab\tnew\nctl\u{01}")),
        ])
        let expected = """
        {
          "m": [[1.5, -0.0], ["inf", "nan"]],
          "list": [
            {
              "k": 1
            },
            {}
          ],
          "s": "tab\\tnew\\nctl\\u0001"
        }

        """
        #expect(JSONWriter.text(value) == expected)
    }

    @Test(arguments: [
        ("", "line 1, column 1: the document ends too early"),
        ("[1, 2", "line 1, column 6: the document ends too early"),
        ("[1,]", "line 1, column 4: found ']' where a value was expected"),
        ("{\"a\" 1}", "line 1, column 6: found '1' where ':' was expected"),
        ("{\"a\": 1,\n \"a\": 2}", "line 2, column 2: the key \"a\" appears twice in one object"),
        ("[1] x", "line 1, column 5: found 'x' where the end of the document was expected"),
        ("01", "line 1, column 2: found '1' where the end of the document was expected"),
        ("[1e999]", "line 1, column 2: the number 1e999 is too large for a Double"),
        ("-1e400", "line 1, column 1: the number -1e400 is too large for a Double"),
        ("[.5]", "line 1, column 2: found '.' where a value was expected"),
        ("[1.]", "line 1, column 4: found ']' where a digit was expected"),
        ("nul", "line 1, column 1: found the end of the document where 'null' was expected"),
        ("\"a\u{01}\"", "line 1, column 3: invalid string: a control character must be escaped"),
        ("\"\\x\"", "line 1, column 3: invalid string: unknown escape \\x"),
        ("\"\\ud800\"", "line 1, column 8: invalid string: a lone UTF-16 surrogate"),
        ("{1: 2}", "line 1, column 2: found '1' where a key in double quotes was expected"),
        ("[1 2]", "line 1, column 4: found '2' where ',' or ']' was expected"),
        ("NaN", "line 1, column 1: found 'N' where a value was expected"),
    ])
    func malformedDocumentsAreReported(text: String, message: String) {
        #expect(throws: JSONError.self) { try JSONParser.parse(text) }
        do {
            _ = try JSONParser.parse(text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func invalidUTF8IsReported() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONError.self) { try JSONParser.parse(bytes) }
    }

    /// 100,000 nested arrays (and objects) are refused at the depth limit, without exhausting the stack.
    @Test func deepNestingIsRefused() {
        let arrays = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try JSONParser.parse(arrays)
            Issue.record("accepted 100,000 levels")
        } catch {
            #expect(error.reason == .tooDeep(limit: 64))
            #expect(error.column == 65)
        }
        let objects = String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        #expect(throws: JSONError(reason: .tooDeep(limit: 64), line: 1, column: 64 * 5 + 1)) {
            try JSONParser.parse(objects)
        }
        // At the limit itself the document is read.
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser.parse(deepest) }
    }

    @Test func oversizedDocumentIsRefused() {
        let limits = JSONLimits(maxBytes: 10)
        #expect(throws: JSONError(reason: .tooLarge(bytes: 11, limit: 10), line: 1, column: 1)) {
            try JSONParser.parse("[1,2,3,4,5]", limits: limits)
        }
        #expect(throws: Never.self) { try JSONParser.parse("[1,2,3,45]", limits: limits) }
    }

    /// A long flat array parses in one pass (elements are appended in place).
    @Test func wideArray() throws {
        let count = 200_000
        let text = "[" + Array(repeating: "1.5", count: count).joined(separator: ",") + "]"
        guard case .array(let elements) = try JSONParser.parse(text) else {
            Issue.record("not an array")
            return
        }
        #expect(elements.count == count)
    }
}

/// JSONStream writes the layout JSONWriter documents, whether a document is written as it is produced
/// (a trace) or from a value: the same bytes either way.
@Suite struct JSONStreamTests {
    @Test func streamAndValueGiveTheSameBytes() throws {
        let trace = try TraceRoundTripTests.randomTrace()
        let streamed = try trace.encoded()
        // Parsed back and written from the value: byte for byte the same (numbers round-trip exactly,
        // except that NaN payloads are not kept, and the random trace holds only the quiet NaN).
        #expect(JSONWriter.bytes(try JSONParser.parse(streamed)) == streamed)
        var stream = JSONStream()
        stream.beginObject()
        stream.key("empty"); stream.beginArray(ofObjects: true); stream.endArray()
        stream.key("none"); stream.beginObject(); stream.endObject()
        stream.key("rows"); stream.beginArray(ofObjects: false)
        stream.beginArray(ofObjects: false); stream.number(1); stream.number(-0.0); stream.endArray()
        stream.beginArray(ofObjects: false); stream.endArray()
        stream.endArray()
        stream.key("list"); stream.beginArray(ofObjects: true); stream.beginObject(); stream.key("a"); stream.null(); stream.endObject(); stream.endArray()
        stream.endObject()
        #expect(String(decoding: stream.finish(), as: UTF8.self) == """
        {
          "empty": [],
          "none": {},
          "rows": [[1.0, -0.0], []],
          "list": [
            {
              "a": null
            }
          ]
        }

        """)
    }
}
