import Foundation

/// Runs `body` on a new thread with a stack of `bytes` (512 KiB by default, the size of a Dispatch or
/// Swift Testing worker's stack, smaller than the main thread's 8 MiB) and returns its result.
func onSmallStack<T: Sendable>(bytes: Int = 512 << 10, _ body: @escaping @Sendable () -> T) -> T {
    let slot = ThreadResult<T>(), done = DispatchSemaphore(value: 0)
    let thread = Thread {
        slot.value = body()
        done.signal()
    }
    thread.stackSize = bytes
    thread.start()
    done.wait()
    guard let value = slot.value else { preconditionFailure("the thread ended without a result") }
    return value
}

/// Written by the thread before it signals, read after the wait: the semaphore orders the two.
private final class ThreadResult<T>: @unchecked Sendable {
    var value: T?
}
