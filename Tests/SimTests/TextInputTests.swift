import Foundation
import Testing
@testable import Sim

@Suite struct TextInputTests {
    @Test func decodesUTF8WithOrWithoutAByteOrderMark() throws {
        #expect(try TextInput.decode(Array("a,b".utf8)) == "a,b")
        #expect(try TextInput.decode([0xEF, 0xBB, 0xBF] + Array("a,b".utf8)) == "a,b")
        #expect(try TextInput.decode([0xEF, 0xBB, 0xBF]) == "")
        #expect(throws: TextInput.Problem.utf16) { try TextInput.decode([0xFF, 0xFE, 0x61, 0x00]) }
        #expect(throws: TextInput.Problem.utf16) { try TextInput.decode([0xEF, 0xBB, 0xBF, 0xFE, 0xFF, 0x00, 0x61]) }
        #expect(throws: TextInput.Problem.notUTF8) { try TextInput.decode([0x61, 0xC3, 0x28]) }
        #expect(TextInput.Problem.utf16.message("the run") == "the run is UTF-16 text; save it as UTF-8")
    }

    @Test func linesEndWithLFCRLFOrCR() {
        #expect(TextInput.lines("a\nb\r\nc\rd") == ["a", "b", "c", "d"])
        #expect(TextInput.lines("a\r\n\r\nb\r\n") == ["a", "", "b", ""])
        #expect(TextInput.lines("") == [""])
    }
}
