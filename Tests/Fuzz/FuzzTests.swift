import Foundation
import Testing
@testable import Fuzzing

/// The fuzz targets (Sources/Fuzzing) in the test suite: every seed and every input the long libFuzzer runs
/// ever crashed on (Tests/Fuzz/regressions/TARGET/) is replayed, then a short seeded run of mutations and
/// generated inputs. Bounded by counts, not time: the same inputs on every run, a few seconds in all.
/// Each runs on a 512 KiB stack, a worker thread's, so a deep input cannot pass here by luck of a big stack.
@Suite struct FuzzTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func regressions(_ target: FuzzTarget) -> [(name: String, bytes: [UInt8])] {
        let folder = root + "/Tests/Fuzz/regressions/" + target.rawValue
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        return names.compactMap { name in FileManager.default.contents(atPath: folder + "/" + name).map { (name, Array($0)) } }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsAndKeptCrashesAreReadOrRefused(target: FuzzTarget) {
        let seeds = FuzzSeeds.seeds(for: target, root: Self.root)
        #expect(seeds.count >= 20, "the seed corpus comes from docs/, lessons/ and assignments/")
        let inputs = seeds + Self.regressions(target).map(\.bytes)
        let accepted = onSmallStack { inputs.filter { target.run($0) == .accepted }.count }
        // Some of the documentation's examples are read: the seeds reach past each reader's first check.
        #expect(accepted > 0)
    }

    /// Seeded mutations of the seeds (bytes flipped, inserted, removed; ranges repeated, spliced, and
    /// tokens of the target's language inserted), 250 per target.
    @Test(arguments: FuzzTarget.allCases)
    func seededMutationsAreReadOrRefused(target: FuzzTarget) {
        let seeds = FuzzSeeds.seeds(for: target, root: Self.root)
        var generator = Mutator(seed: 0x6E6E_7369_6D00 ^ UInt64(target.rawValue.utf8.count), seeds: seeds, tokens: Mutator.tokens(target))
        let inputs = (0..<250).map { _ in generator.next() }
        let outcomes = onSmallStack { inputs.map { target.run($0) } }
        #expect(outcomes.count == inputs.count)
    }

    /// Expressions from the grammar, nested up to and past the limit, with every operator and function.
    @Test func generatedExpressionsAreReadOrRefused() {
        var random = SplitMix(seed: 11)
        let sources = (0..<300).map { _ in "L = " + ExpressionGrammar.expression(&random, depth: Int(random.next() % 12)) }
        let levels = [1, 128, 255, 256, 257, 5_000], openings = ["(", "-", "a^", "exp(", "-(", "max(a,"]
        var deep: [String] = [], withinLimit: [Bool] = []
        for n in levels {
            for open in openings {
                let close = open.hasSuffix("(") || open.hasSuffix(",") ? ")" : ""
                deep.append("L = " + String(repeating: open, count: n) + "a" + String(repeating: close, count: n))
                withinLimit.append(n * (open == "-(" ? 2 : 1) <= 256)
            }
        }
        let all = sources + deep
        let outcomes = onSmallStack { all.map { FuzzTarget.expression.run(Array($0.utf8)) } }
        let accepted = outcomes.map { $0 == .accepted }
        #expect(accepted.prefix(sources.count).filter { $0 }.count > 100)
        // Nesting up to 256 levels is read; past it, refused.
        #expect(Array(accepted.suffix(deep.count)) == withinLimit)
    }

    /// Inputs of up to 100 KB built to be slow for a careless reader (long runs of one token, deep
    /// brackets, wide rows): each is read or refused, in time linear in its size.
    @Test func largeInputsAreReadOrRefused() {
        func r(_ text: String, _ n: Int) -> [UInt8] { Array(String(repeating: text, count: n).utf8) }
        let cases: [(FuzzTarget, [UInt8])] = [
            (.expression, Array("L = ".utf8) + r("a+", 2_000) + Array("a".utf8)),
            (.expression, Array("L = ".utf8) + r("(", 50_000)),
            (.expression, Array("L = ".utf8) + r("9", 99_000)),
            (.script, r("- ", 60_000) + Array("x".utf8)),
            (.script, r("[", 100_000)),
            (.script, Array((0..<200).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n").utf8)),
            (.script, Array("kind: graph\ntitle: ".utf8) + r("x", 200_000)),
            (.csv, Array("x,y\n".utf8) + r("1,0\n", 10_000)),
            (.csv, r("a,", 50_000) + Array("y\n".utf8) + r("1,", 50_000) + Array("0\n".utf8)),
            (.trace, r("[", 100_000)),
            (.trace, Array("\"".utf8) + r("\\u00e9", 20_000) + Array("\"".utf8)),
            (.submission, Array("step,quantity,value\n".utf8) + r("1,L,0.5\n", 5_000)),
            (.submission, Array("answers:\n  q:\n    a: ".utf8) + r("1", 100_000)),
        ]
        let outcomes = onSmallStack { cases.map { $0.0.run($0.1) } }
        #expect(outcomes.count == cases.count)
    }
}

/// Runs `body` on a new thread with a 512 KiB stack and returns its result.
func onSmallStack<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
    let slot = Slot<T>(), done = DispatchSemaphore(value: 0)
    let thread = Thread {
        slot.value = body()
        done.signal()
    }
    thread.stackSize = 512 << 10
    thread.start()
    done.wait()
    guard let value = slot.value else { preconditionFailure("the thread ended without a result") }
    return value
}

/// Written by the thread before it signals, read after the wait: the semaphore orders the two.
private final class Slot<T>: @unchecked Sendable {
    var value: T?
}
