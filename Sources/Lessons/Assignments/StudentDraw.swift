import Foundation
import Sim

/// How a question's value is chosen: fixed, or drawn per student from the assignment's secret seed and the
/// student's ID (docs/assignments.md).
public enum StudentDraw: Sendable, Hashable {
    case fixed(String)
    /// An integer in the range; `nonzero` skips 0.
    case integers(ClosedRange<Int>, nonzero: Bool)
    /// One of the listed values (numbers or text).
    case choices([String])
    /// Uniform in the range, rounded to `decimals` places.
    case uniform(ClosedRange<Double>, decimals: Int)

    public func draw(using generator: inout SeededGenerator) -> String {
        switch self {
        case .fixed(let text): return text
        case .integers(let range, let nonzero):
            let values = range.filter { !nonzero || $0 != 0 }
            guard !values.isEmpty else { return "0" }
            return NumberFormat.plain(Double(values[generator.integer(below: values.count)]))
        case .choices(let options):
            return options.isEmpty ? "" : options[generator.integer(below: options.count)]
        case .uniform(let range, let decimals):
            let scale = pow(10, Double(decimals))
            return NumberFormat.plain((generator.uniform(range.lowerBound, range.upperBound) * scale).rounded() / scale)
        }
    }

    /// Whether different students can get different values.
    public var varies: Bool {
        if case .fixed = self { return false }
        return true
    }

    /// How the sheet template and `nnsim assignment show` describe it.
    public var description: String {
        switch self {
        case .fixed(let text): return text
        case .integers(let range, let nonzero): return "an integer in [\(range.lowerBound), \(range.upperBound)]\(nonzero ? ", not 0" : "")"
        case .choices(let options): return "one of \(options.joined(separator: ", "))"
        case .uniform(let range, let decimals): return "uniform in [\(NumberFormat.plain(range.lowerBound)), \(NumberFormat.plain(range.upperBound))] to \(decimals) decimals"
        }
    }

    /// The generator for one student's draws in one question: FNV-1a (64-bit) of "seed/student/question",
    /// so every student's numbers follow from the assignment's secret seed and can be drawn again later.
    public static func generator(seed: UInt64, student: String, question: String) -> SeededGenerator {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(seed)/\(student)/\(question)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return SeededGenerator(seed: hash)
    }
}
