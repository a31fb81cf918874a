#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fault injection for the crash tests (Tests/nnsimTests/OutputFaultTests.swift): with
/// `NNSIM_FAULT_AFTER=N` in the environment, the process kills itself with SIGKILL at the N-th step of
/// writing its output (a file or folder created, a file's bytes written, a rename, a removal), as a power
/// cut or `kill -9` would stop it there. The tests run every N from 1 until a run gets through, and check
/// that the destination always holds the old complete set of files or the new one. Unset, it costs one
/// comparison per step.
enum Fault {
    private static let limit: Int? = getenv("NNSIM_FAULT_AFTER").flatMap { Int(String(cString: $0)) }
    /// Steps so far. Output is staged and committed from one thread at a time (OutputTransaction is not
    /// shared across threads), so a plain counter suffices.
    nonisolated(unsafe) private static var count = 0

    static func point() {
        guard let limit else { return }
        count += 1
        if count >= limit { kill(getpid(), SIGKILL) }
    }
}
