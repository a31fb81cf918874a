#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why nnsim will not, or could not, read or write a path: the path, what was wrong and, where the system
/// said why, its reason ("No space left on device"). Its description is one printable line.
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// An error with the reason the system gave for the last failed call (`errno`).
    static func system(_ path: String, _ what: String, errno code: Int32 = errno) -> FileError {
        FileError(path, "\(what): \(String(cString: strerror(code)))")
    }

    public var description: String { "\(FileError.printable(path)): \(message)" }

    /// A path as it can be shown on one line: control characters escaped.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
