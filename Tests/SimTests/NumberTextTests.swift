import Foundation
import Testing
@testable import Sim

/// Issue 11, item 9: one strict number reader, decimal or scientific, for every input.
@Suite struct NumberTextTests {
    @Test(arguments: [
        ("3", 3.0), ("-2", -2), ("−2", -2), ("+0.5", 0.5), (".5", 0.5), ("3.", 3), ("2.5e-1", 0.25), ("1E+3", 1000),
        ("−1.5e−2", -0.015), ("007", 7), ("0", 0), ("1e308", 1e308), ("2.5e-308", 2.5e-308),
    ])
    func reads(text: String, value: Double) {
        #expect(NumberText.parse(text) == value)
    }

    @Test(arguments: [
        "0x10", "0X1p3", "nan", "NaN", "inf", "-inf", "infinity", "Infinity", "1e999", "-1e999", "", "-", "+", ".", "e5", "1e",
        "1e+", "1.2.3", "1,5", "1_000", " 1", "1 ", "0\u{0}", "1\u{0}5", "--1", "+-1", "1e--1", "١٢", "１", "1.5f", "0b1",
    ])
    func refuses(text: String) {
        #expect(NumberText.parse(text) == nil)
    }

    @Test func everyInputPathRefusesHexAndNonFinite() throws {
        for bad in ["0x10", "nan", "inf", "infinity"] {
            #expect(throws: ExpressionError.self) { try ExpressionProgram.parseValues("a=\(bad)") }
        }
        #expect(throws: ExpressionError("--at value '0x10' for 'a' is not a finite decimal number (such as 3, -2.5 or 1e-3)")) {
            try ExpressionProgram.parseValues("a=0x10")
        }
        #expect(try ExpressionProgram.parseValues("a = −2.5e−1").map(\.value) == [-0.25])
        // The lexer's literals: a malformed or overflowing number is one error.
        #expect(throws: ExpressionError("malformed number '1.2.3'", at: SourceLocation(line: 1, column: 5))) { try ExpressionProgram("L = 1.2.3") }
        #expect(throws: ExpressionError.self) { try ExpressionProgram("L = 0x10") }
    }
}
