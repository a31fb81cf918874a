import Dispatch
import Synchronization

/// Work on another thread while the caller goes on; `value()` waits for it and returns or rethrows.
public final class Background<Value: Sendable, Failure: Error>: Sendable {
    private let result = Mutex<Result<Value, Failure>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    public init(_ work: @escaping @Sendable () throws(Failure) -> Value) {
        DispatchQueue.global().async { [self] in
            let outcome: Result<Value, Failure>
            do throws(Failure) { outcome = .success(try work()) } catch { outcome = .failure(error) }
            result.withLock { $0 = outcome }
            done.signal()
        }
    }

    public func value() throws(Failure) -> Value {
        done.wait()
        done.signal()   // for the next caller
        guard let outcome = result.withLock({ $0 }) else { preconditionFailure("signalled before the result was set") }
        return try outcome.get()
    }
}
