/// Reading text files nnsim is given (lesson scripts, assignments, CSV data, submissions, run CSVs): one
/// rule for every one. UTF-8, with or without a leading byte-order mark (Windows editors and Excel write
/// one); UTF-16 is told apart so the message can say what to do; lines end with LF, CRLF or CR.
public enum TextInput {
    /// Why bytes are not text nnsim reads; `message(_:)` words it for a file described as `what`.
    public enum Problem: Error, Sendable, Equatable {
        case utf16
        case notUTF8

        /// `the data file is UTF-16 text; save it as UTF-8`.
        public func message(_ what: String) -> String {
            switch self {
            case .utf16: return "\(what) is UTF-16 text; save it as UTF-8"
            case .notUTF8: return "\(what) is not UTF-8 text"
            }
        }
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The bytes without a leading UTF-8 byte-order mark.
    public static func withoutByteOrderMark(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        bytes.starts(with: byteOrderMark) ? bytes.dropFirst(byteOrderMark.count) : bytes[...]
    }

    /// The text of `bytes`: UTF-8 without its byte-order mark.
    public static func decode(_ bytes: [UInt8]) throws(Problem) -> String {
        let body = withoutByteOrderMark(bytes)
        if body.starts(with: [0xFF, 0xFE]) || body.starts(with: [0xFE, 0xFF]) { throw .utf16 }
        guard let text = String(validating: body, as: UTF8.self) else { throw .notUTF8 }
        return text
    }

    /// The lines of `text`, split at LF, CRLF (one Character in Swift) and CR; the line after a final
    /// line break is empty.
    public static func lines(_ text: some StringProtocol) -> [Substring] {
        Substring(text).split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
    }
}
