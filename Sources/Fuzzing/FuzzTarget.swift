import Foundation
import Lessons
import Sim

/// The readers of untrusted input, each as one function from bytes to an outcome, shared by the test
/// suite's short seeded run (Tests/Fuzz) and the libFuzzer build (`scripts/fuzz`, docs/fuzzing.md).
///
/// An input either is read or is refused with the reader's own error (each reader throws one typed error,
/// so the compiler holds it to that); anything else (a trap, a stack overflow, a hang, memory beyond
/// bounds) is a bug the fuzzer reports. What a reader accepts is also used the way nnsim would use it
/// next (an expression is built and differentiated, a trace is written back and read again), so the
/// fuzzer reaches the code behind each reader too.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `nnsim graph` programs and a graph lesson's `expression:` (ExpressionProgram, then ExpressionRun).
    case expression
    /// Lesson scripts and assignments (LessonScript, Assignment: YAML).
    case script
    /// Data sets (DataSet.csv).
    case csv
    /// Trace files (Trace(bytes:): JSON).
    case trace
    /// Submissions: answers (Submission.parse: JSON or YAML) and runs (StudentRun.parse: CSV or trace).
    case submission

    public enum Outcome: Sendable, Equatable {
        case accepted
        /// The reader's error, as it would be printed.
        case refused(String)
    }

    /// Runs one input through the target's reader(s).
    public func run(_ bytes: [UInt8]) -> Outcome {
        switch self {
        case .expression: return Self.expression(bytes)
        case .script: return Self.script(bytes)
        case .csv: return Self.csv(bytes)
        case .trace: return Self.trace(bytes)
        case .submission: return Self.submission(bytes)
        }
    }

    static func text(_ bytes: [UInt8]) -> String? { String(validating: bytes, as: UTF8.self) }

    static func expression(_ bytes: [UInt8]) -> Outcome {
        guard let source = text(bytes) else { return .refused("not UTF-8") }
        let program: ExpressionProgram
        do {
            program = try ExpressionProgram(source)
        } catch {
            return .refused(error.description)
        }
        // Every input at 0.5 (away from log 0 and the kinks at 0); graphs are built and printed in loops.
        do {
            let run = try ExpressionRun(source: source, at: program.inputs.map { (name: $0, value: 0.5) })
            _ = run.walkthrough.text
            _ = run.warnings
            _ = try? run.trace.encoded()
        } catch {
            return .refused(error.description)
        }
        return .accepted
    }

    static func script(_ bytes: [UInt8]) -> Outcome {
        guard let yaml = text(bytes) else { return .refused("not UTF-8") }
        var refusals: [String] = []
        do { _ = try LessonScript(yaml: yaml, path: "fuzz.yaml") } catch { refusals.append(error.description) }
        do { _ = try Assignment(yaml: yaml, path: "fuzz.yaml") } catch { refusals.append(error.description) }
        return refusals.count == 2 ? .refused(refusals.joined(separator: "; ")) : .accepted
    }

    static func csv(_ bytes: [UInt8]) -> Outcome {
        guard let csv = text(bytes) else { return .refused("not UTF-8") }
        do {
            let data = try DataSet.csv(csv, path: "fuzz.csv")
            _ = data.matrix(biasColumn: true)
            _ = data.traceData
            return .accepted
        } catch {
            return .refused(error.description)
        }
    }

    static func trace(_ bytes: [UInt8]) -> Outcome {
        let trace: Trace
        do {
            trace = try Trace(bytes: bytes)
        } catch {
            return .refused(error.description)
        }
        // A trace that was read writes back to bytes that read again.
        if let written = try? trace.encoded() {
            do { _ = try Trace(bytes: written) } catch { fatalError("a trace nnsim read and wrote back is refused: \(error)") }
        }
        return .accepted
    }

    static func submission(_ bytes: [UInt8]) -> Outcome {
        var refusals: [String] = []
        do { _ = try Submission.parse(bytes, name: "fuzz.yaml") } catch { refusals.append(error.description) }
        do { _ = try StudentRun.parse(bytes, name: "fuzz.csv") } catch { refusals.append(error.description) }
        do { _ = try StudentRun.parse(bytes, name: "fuzz.json") } catch { refusals.append(error.description) }
        return refusals.count == 3 ? .refused(refusals.joined(separator: "; ")) : .accepted
    }
}

extension FuzzTarget {
    /// The stack of a Dispatch or Swift Testing worker thread; the main thread's 8 MiB would hide an input
    /// that needs more than this.
    public static let workerStackBytes = 512 << 10

    /// `run(bytes)` on a new thread with a worker's stack, waiting for it.
    public func runOnWorkerStack(_ bytes: [UInt8]) -> Outcome {
        let slot = OutcomeSlot(), done = DispatchSemaphore(value: 0)
        let thread = Thread {
            slot.outcome = run(bytes)
            done.signal()
        }
        thread.stackSize = Self.workerStackBytes
        thread.start()
        done.wait()
        return slot.outcome ?? .refused("no outcome")
    }
}

/// Written by the thread before it signals, read after the wait: the semaphore orders the two.
private final class OutcomeSlot: @unchecked Sendable {
    var outcome: FuzzTarget.Outcome?
}
