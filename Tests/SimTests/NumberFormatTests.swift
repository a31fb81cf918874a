import Foundation
import Testing
@testable import Numbers
@testable import Sim

/// The one rule for numbers people read (docs/output-files.md): 4 significant digits, −, e-notation
/// below 1e−3 and from 1e6, exact integers without a point.
@Suite struct NumberFormatTests {
    @Test(arguments: [
        (0.0, "0"), (-10, "−10"), (5, "5"), (0.25, "0.25"), (1.0 / 3, "0.3333"), (-2.5e-5, "−2.5e−5"),
        (4.5397868702434395e-5, "4.54e−5"), (123456.7, "123457"), (2e6, "2e6"), (9.99996, "10"), (0.001, "0.001"),
        (.infinity, "inf"), (-.infinity, "−inf"), (.nan, "nan"),
    ] as [(Double, String)])
    func display(value: Double, text: String) {
        #expect(NumberFormat.display(value) == text)
    }

    @Test func tuplesAndPlainNumbers() {
        #expect(NumberFormat.tuple([1, -0.5, 2]) == "(1, −0.5, 2)")
        #expect(NumberFormat.tuple([]) == "()")
        #expect(NumberFormat.plain(-0.1) == "−0.1")
    }
}

/// `display` formats through C's printf directly; it must give exactly what `String(format:)` gives.
@Suite struct NumberFormatPrintfTests {
    @Test func printfMatchesStringFormat() {
        var generator = SeededGenerator(seed: 7)
        for k in 0..<10_000 {
            // Any bit pattern, then numbers of every scale (10^u, signed), then ones near rounding edges.
            let u = Double(generator.next() >> 11) / 0x1p53
            let x = k % 3 == 0 ? Double(bitPattern: generator.next()) : k % 3 == 1 ? (u < 0.5 ? -1 : 1) * pow(10, 24 * u - 12) : (u * 2e4).rounded() / 1e4 + 5e-5
            for (conversion, precision) in [("e", 3), ("f", 0), ("f", 3), ("f", 6), ("f", 40), ("g", 3)] where x.isFinite {
                let format = "%.\(precision)\(conversion)"
                let ours = conversion == "e" ? NumberFormat.printf("e", precision, x)
                    : conversion == "g" ? NumberFormat.printf("g", precision, x) : NumberFormat.printf("f", precision, x)
                #expect(String(decoding: ours, as: UTF8.self) == String(format: format, x), "\(format) of \(x)")
            }
        }
    }
}
