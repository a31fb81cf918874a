import Foundation
import Testing

/// Issue 11, item 9: bad input gets one printable `error:` line naming what and where, and a non-zero exit.
@Suite struct MessageTests {
    /// Exactly one line on standard error, starting `error: `, with no raw control character.
    static func expectOneErrorLine(_ result: NNSimBinary.Result, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("error: "), sourceLocation: sourceLocation)
        #expect(result.stderr.hasSuffix("\n"), sourceLocation: sourceLocation)
        let body = result.stderr.dropLast()
        #expect(!body.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(result.stderr.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test func crlfInAnExpressionIsOneLine() throws {
        let result = try NNSimBinary.run(["graph", "L = a\r\n+ b", "--at", "a=1,b=2"])
        Self.expectOneErrorLine(result)
        #expect(result.stderr.hasSuffix(" at line 2, column 1\n"))
    }

    @Test func controlCharactersInAnExpressionAreEscaped() throws {
        let result = try NNSimBinary.run(["graph", "L = a \u{1B}[2J", "--at", "a=1"])
        Self.expectOneErrorLine(result)
        #expect(result.stderr == "error: unexpected character '\\u{1B}' at column 7\n")
    }

    @Test func libyamlErrorsAreOneLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-messages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("esc.yaml").path
        try Data("kind: graph\ntitle: x\u{1B}[2J\u{0}\nsummary: s\n".utf8).write(to: URL(fileURLWithPath: script))
        for command in [["show", script], ["lesson", script]] {
            let result = try NNSimBinary.run(command)
            Self.expectOneErrorLine(result)
            #expect(result.stderr == "error: \(script):2:9: not valid YAML: control characters are not allowed (U+001B)\n")
        }
    }
}
