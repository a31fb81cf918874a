import Foundation

/// The terminal in raw mode for the stepper: keys arrive one by one without echo, Ctrl-C and Ctrl-D as
/// bytes (ISIG off), the screen is the alternate buffer. `restore()` puts everything back; it also runs
/// on SIGTERM and SIGHUP (and SIGINT sent by another process), through a handler that only restores
/// and re-raises.
enum RawTerminal {
    /// The settings before raw mode, for the signal handler (set once, before the handler is installed).
    nonisolated(unsafe) private static var saved = termios()
    nonisolated(unsafe) private static var active: sig_atomic_t = 0

    static let enterScreen = "\u{1B}[?1049h\u{1B}[?25l"
    static let leaveScreen = "\u{1B}[?25h\u{1B}[?1049l"

    /// Enters raw mode and the alternate screen; false when standard input is not a terminal.
    static func enter() -> Bool {
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return false }
        saved = settings
        var raw = settings
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0 else { return false }
        active = 1
        for signal in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
            _ = Foundation.signal(signal) { number in
                RawTerminal.restoreFromSignal()
                _ = Foundation.signal(number, SIG_DFL)
                raise(number)
            }
        }
        write(enterScreen)
        return true
    }

    static func restore() {
        guard active == 1 else { return }
        active = 0
        write(leaveScreen)
        _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
        for signal in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] { _ = Foundation.signal(signal, SIG_DFL) }
    }

    /// Only async-signal-safe calls: write(2) and tcsetattr(3).
    private static func restoreFromSignal() {
        guard active == 1 else { return }
        active = 0
        let bytes: [UInt8] = Array(leaveScreen.utf8)
        _ = bytes.withUnsafeBytes { systemWrite(STDOUT_FILENO, $0.baseAddress, $0.count) }
        _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
    }

    static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { systemWrite(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }

    /// The window's size (columns, rows) from TIOCGWINSZ, or 80×24.
    static func size() -> (columns: Int, rows: Int) {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return (80, 24) }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// Waits up to `milliseconds` for input; the bytes read, [] on timeout, nil at the end of input.
    static func read(waiting milliseconds: Int32) -> [UInt8]? {
        var poller = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, milliseconds)
        if ready == 0 || (ready < 0 && errno == EINTR) { return [] }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { systemRead(STDIN_FILENO, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { return [] }
        guard n > 0 else { return nil }
        return Array(buffer[0..<n])
    }
}

// write(2) and read(2), by names that the static `write` and `read` above do not shadow.
#if canImport(Glibc)
import Glibc
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { Glibc.write(fd, buffer, count) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { Glibc.read(fd, buffer, count) }
#else
import Darwin
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { Darwin.write(fd, buffer, count) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { Darwin.read(fd, buffer, count) }
#endif

/// Terminal bytes to keys: arrows and PgUp/PgDn as escape sequences (`ESC [ C`, `ESC [ 5 ~`, and the
/// `ESC O C` form), Enter as CR or LF, Backspace as DEL or BS, Ctrl-C, Ctrl-D, UTF-8 characters.
enum KeyDecoder {
    static func keys(_ bytes: [UInt8]) -> [Key] {
        var keys: [Key] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x1B:
                guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "[") || bytes[i + 1] == UInt8(ascii: "O") else {
                    keys.append(.escape)
                    i += 1
                    continue
                }
                // The sequence runs to its final byte (0x40–0x7E) after parameters.
                var j = i + 2
                while j < bytes.count && !(0x40...0x7E).contains(bytes[j]) { j += 1 }
                guard j < bytes.count else {
                    keys.append(.unknown)
                    i = j
                    continue
                }
                let parameters = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
                switch (bytes[j], parameters) {
                case (UInt8(ascii: "C"), _): keys.append(.right)
                case (UInt8(ascii: "D"), _): keys.append(.left)
                case (UInt8(ascii: "A"), _): keys.append(.up)
                case (UInt8(ascii: "B"), _): keys.append(.down)
                case (UInt8(ascii: "~"), "5"): keys.append(.pageUp)
                case (UInt8(ascii: "~"), "6"): keys.append(.pageDown)
                default: keys.append(.unknown)
                }
                i = j + 1
            case 0x0D, 0x0A: keys.append(.enter); i += 1
            case 0x7F, 0x08: keys.append(.backspace); i += 1
            case 0x03: keys.append(.interrupt); i += 1
            case 0x04: keys.append(.endOfInput); i += 1
            case 0..<0x20: keys.append(.unknown); i += 1
            default:
                // One UTF-8 character: its length from the lead byte.
                let length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                let end = min(bytes.count, i + length)
                let text = String(decoding: bytes[i..<end], as: UTF8.self)
                keys.append(text.first.map { .character($0) } ?? .unknown)
                i = end
            }
        }
        return keys
    }
}
