import Foundation
import Testing
@testable import Sim

/// Issue 11, item 9: every message is one printable line; user text in it is shown escaped.
@Suite struct PrintableTextTests {
    @Test(arguments: [
        ("plain 'text' with − and ∂", "plain 'text' with − and ∂"),
        ("a\r\nb", "a\\r\\nb"),
        ("esc \u{1B}[31m red", "esc \\u{1B}[31m red"),
        ("nul \u{0} tab \t", "nul \\0 tab \\t"),
        ("del \u{7F} c1 \u{85} ls \u{2028} bom \u{FEFF} rlo \u{202E}", "del \\u{7F} c1 \\u{85} ls \\u{2028} bom \\u{FEFF} rlo \\u{202E}"),
        ("C:\\path\\r", "C:\\path\\r"),
    ])
    func escapesControlCharacters(raw: String, shown: String) {
        #expect(PrintableText.escaped(raw) == shown)
        // Escaping is idempotent: a message escaped twice (error description, then the terminal) is the same.
        #expect(PrintableText.escaped(PrintableText.escaped(raw)) == shown)
    }

    @Test func expressionErrorsAreOneLine() {
        // CRLF ends a line like LF; the error names line 2 and has no raw CR.
        do {
            _ = try ExpressionProgram("L = a\r\n+ b")
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains(where: { $0.isNewline }))
            #expect(error.description.hasSuffix("at line 2, column 1"))
        }
        do {
            _ = try ExpressionProgram("L = a \u{1B}[2J b")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "unexpected character '\\u{1B}' at column 7")
        }
    }

    @Test func crlfSeparatesStatements() throws {
        let program = try ExpressionProgram("d = 2*b\r\nL = a + d\r\n")
        #expect(program.targets == ["d", "L"])
        do {
            _ = try ExpressionProgram("d = 2*b\r\nL = a +* d")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "expected a number, a name or '(', found '*' at line 2, column 8")
        }
    }
}
