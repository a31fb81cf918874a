import Foundation
import Sim
import Testing
@testable import Lessons

/// Issue 11, item 9: errors about input files are one printable line naming the file, line and column.
@Suite struct YAMLMessageTests {
    func scriptError(_ yaml: String) -> String? {
        do { _ = try LessonScript(yaml: yaml, path: "s.yaml"); return nil } catch { return error.description }
    }

    @Test func libyamlReaderErrorsAreOneLineWithFileLineColumn() {
        #expect(scriptError("kind: graph\ntitle: x\u{1B}[2J\nsummary: s\n")
                == "s.yaml:2:9: not valid YAML: control characters are not allowed (U+001B)")
        #expect(scriptError("kind: graph\r\ntitle: x\u{0}y\r\n")
                == "s.yaml:2:9: not valid YAML: control characters are not allowed (U+0000)")
        do {
            _ = try Assignment(yaml: "title: t\nseed: 1\u{7}\n", path: "a.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "a.yaml:2:8: not valid YAML: control characters are not allowed (U+0007)")
        }
        do {
            _ = try Submission.parse(Array("student: a\nanswers: {q1: {L: 1\u{1B}}}\n".utf8), name: "a.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "a.yaml:2:20: not valid YAML: control characters are not allowed (U+001B)")
        }
    }

    @Test func scannerErrorsStayOneLine() throws {
        let message = try #require(scriptError("kind: graph\ntitle: \"x\n"))
        #expect(message.hasPrefix("s.yaml:"))
        #expect(!message.contains { $0.isNewline })
    }
}
