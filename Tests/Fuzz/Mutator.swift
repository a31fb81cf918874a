import Fuzzing

/// SplitMix64: a small seeded generator, so a run's inputs are the same on every machine.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
}

/// Mutations in the manner of libFuzzer's: one to four edits of a seed per input.
struct Mutator {
    var random: SplitMix
    let seeds: [[UInt8]]
    let tokens: [[UInt8]]

    init(seed: UInt64, seeds: [[UInt8]], tokens: [String]) {
        random = SplitMix(seed: seed)
        self.seeds = seeds.isEmpty ? [[]] : seeds
        self.tokens = tokens.map { Array($0.utf8) }
    }

    /// Tokens of the target's language, inserted whole so mutations stay near valid input.
    static func tokens(_ target: FuzzTarget) -> [String] {
        let numbers = ["0", "-1", "1e308", "-1e308", "5e-324", "1e999", "nan", "inf", "-0", "0x10", "1.5", ".5", "1e", "9999999999999999999999"]
        switch target {
        case .expression:
            return numbers + ["(", ")", "^", "-", "−", "+", "*", "·", "×", "/", ",", ";", "\n", "=", "L = ", "a", "exp(", "log(", "sqrt(", "abs(",
                              "sigmoid(", "tanh(", "relu(", "max(", "min(", "é", "_", "\u{0}"]
        case .script, .submission:
            return numbers + ["\n", ": ", "- ", "[", "]", "{", "}", "\"", "'", "&a ", "*a", "!!str ", "? ", "|\n", ">\n", "#", "---\n", "...\n",
                              "kind: ", "settings:\n  ", "steps: ", "expression: ", "data: ", "student: ", "answers:\n  ", "questions:\n",
                              "step,quantity,value\n", "W1[0][0]", "dL/dW1[0][1]", "[99999]", "\t", "\u{FEFF}"]
        case .csv:
            return numbers + [",", "\n", "\r\n", "#", " ", "x1", "y", "\"", "\u{FEFF}"]
        case .trace:
            return numbers + ["{", "}", "[", "]", ",", ":", "\"", "\\u", "\\ud800", "true", "null", "\"format\"", "\"nnsim-trace\"", "\"steps\"",
                              "\"nodes\"", "\"value\"", "\"shape\"", "\"kind\"", "\"inputs\"", "\"grads\"", "\"params\""]
        }
    }

    mutating func next() -> [UInt8] {
        var bytes = seeds[random.below(seeds.count)]
        for _ in 0...random.below(4) {
            let at = random.below(bytes.count + 1)
            switch random.below(7) {
            case 0 where !bytes.isEmpty:                                  // flip a bit
                let i = random.below(bytes.count)
                bytes[i] ^= 1 << UInt8(random.below(8))
            case 1:                                                       // insert a byte
                bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
            case 2 where !bytes.isEmpty:                                  // remove a range
                let end = min(bytes.count, at + 1 + random.below(16))
                if at < end { bytes.removeSubrange(at..<end) }
            case 3 where !bytes.isEmpty:                                  // repeat a range, up to 64 times
                let start = random.below(bytes.count), end = min(bytes.count, start + 1 + random.below(8))
                let piece = Array(bytes[start..<end])
                bytes.insert(contentsOf: Array([[UInt8]](repeating: piece, count: 1 + random.below(64)).joined()), at: at)
            case 4:                                                       // splice in part of another seed
                let other = seeds[random.below(seeds.count)]
                let start = random.below(other.count + 1), end = min(other.count, start + random.below(64))
                bytes.insert(contentsOf: other[start..<max(start, end)], at: at)
            default:                                                      // insert a token
                if !tokens.isEmpty { bytes.insert(contentsOf: tokens[random.below(tokens.count)], at: at) }
            }
        }
        return bytes
    }
}

/// Random expressions from the grammar of docs/expressions.md.
enum ExpressionGrammar {
    static let names = ["a", "b", "x", "w_1", "é"]
    static let functions = ["exp", "log", "sqrt", "abs", "sigmoid", "tanh", "relu", "max", "min", "nope"]

    static func expression(_ random: inout SplitMix, depth: Int) -> String {
        if depth <= 0 || random.below(4) == 0 {
            switch random.below(3) {
            case 0: return names[random.below(names.count)]
            case 1: return ["0", "1", "2.5", "1e-3", "1e308", "3"][random.below(6)]
            default: return "(" + names[random.below(names.count)] + ")"
            }
        }
        let a = expression(&random, depth: depth - 1), b = expression(&random, depth: depth - 1)
        switch random.below(6) {
        case 0: return a + [" + ", " - ", " * ", " / ", "^", "·", " − "][random.below(7)] + b
        case 1: return "-" + a
        case 2: return "(" + a + ")"
        case 3:
            let f = functions[random.below(functions.count)]
            return f + "(" + a + (f == "max" || f == "min" || random.below(8) == 0 ? ", " + b : "") + ")"
        case 4: return a + "^" + b
        default: return a + [" + ", " * "][random.below(2)] + b
        }
    }
}
