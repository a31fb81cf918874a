import Foundation
import Sim

/// What Gradescope says about a submission in /autograder/submission_metadata.json
/// (gradescope-autograders.readthedocs.io, "Submission Metadata"): who submitted (`users`, each with
/// `email`, `id`, `name`; several for a group), when (`created_at`) and the assignment's `due_date` and
/// `late_due_date`. Every field is optional here: a missing or odd one leaves its property nil, and only a
/// file that is not JSON at all is an error.
public struct GradescopeMetadata: Sendable {
    public struct User: Sendable {
        public let email: String?
        /// Gradescope's numeric user ID, as text.
        public let id: String?
        public let name: String?
        /// This student's own due dates where Gradescope gives them (an extension, under the user's
        /// `assignment`), in seconds since 1970.
        public var dueDate: Double? = nil
        public var lateDueDate: Double? = nil
    }

    public let users: [User]
    /// Seconds since 1970 (UTC).
    public let createdAt: Double?
    public let dueDate: Double?
    public let lateDueDate: Double?

    public static let maximumBytes = 16 << 20

    public init(users: [User], createdAt: Double?, dueDate: Double?, lateDueDate: Double?) {
        self.users = users
        self.createdAt = createdAt
        self.dueDate = dueDate
        self.lateDueDate = lateDueDate
    }

    public init(contentsOfFile path: String) throws(LessonError) {
        let bytes = try InputText.bytes(path, limit: Self.maximumBytes)
        let json: JSONValue
        do {
            json = try JSONParser.parse(Array(TextInput.withoutByteOrderMark(bytes)), limits: JSONLimits(maxBytes: Self.maximumBytes, maxDepth: 64))
        } catch {
            throw LessonError("Gradescope's submission metadata is not JSON: \(error)", file: path)
        }
        self.init(json)
    }

    public init(_ json: JSONValue) {
        func text(_ value: JSONValue?) -> String? {
            switch value {
            case .string(let s)?: return s.isEmpty ? nil : s
            case .integer(let n)?: return String(n)
            default: return nil
            }
        }
        if case .array(let list)? = json["users"] {
            users = list.map {
                User(email: text($0["email"]), id: text($0["id"]), name: text($0["name"]),
                     dueDate: text($0["assignment"]?["due_date"]).flatMap(Self.instant),
                     lateDueDate: text($0["assignment"]?["late_due_date"]).flatMap(Self.instant))
            }
        } else {
            users = []
        }
        createdAt = text(json["created_at"]).flatMap(Self.instant)
        dueDate = text(json["assignment"]?["due_date"]).flatMap(Self.instant)
        lateDueDate = text(json["assignment"]?["late_due_date"]).flatMap(Self.instant)
    }

    /// Whether the submission was made after the last date it could be on time: the late due date when
    /// there is one, else the due date. False when Gradescope did not say (so nothing is revealed).
    public var isPastDue: Bool { isPastDue(extendedTo: nil) }

    /// Whether the submission was made after every deadline that applies to its student: the class's (the
    /// late due date, else the due date), the first user's own where Gradescope gives it (an extension),
    /// and `extension` (the roster's `due` column). False when Gradescope gave no date.
    public func isPastDue(extendedTo extension: Double?) -> Bool {
        guard let createdAt, let deadline = lateDueDate ?? dueDate else { return false }
        let own = users.first.flatMap { $0.lateDueDate ?? $0.dueDate }
        return createdAt > [deadline, own, `extension`].compactMap { $0 }.max() ?? deadline
    }

    /// An ISO 8601 instant as Gradescope writes it, `2018-07-01T14:22:32.365935-07:00` (fraction and
    /// offset optional, `Z` for UTC), in seconds since 1970; nil for anything else.
    public static func instant(_ text: String) -> Double? {
        let s = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= s.count else { return nil }
            var value = 0
            for k in i..<(i + n) {
                guard (48...57).contains(s[k]) else { return nil }
                value = value * 10 + Int(s[k] - 48)
            }
            i += n
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
              i < s.count, s[i] == 84 || s[i] == 116 || s[i] == 32 else { return nil }
        i += 1
        guard let hour = digits(2), expect(58), let minute = digits(2), expect(58), let second = digits(2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fraction = 0.0
        if expect(46) {
            var scale = 0.1
            let start = i
            while i < s.count, (48...57).contains(s[i]) { fraction += Double(s[i] - 48) * scale; scale /= 10; i += 1 }
            guard i > start else { return nil }
        }
        var offset = 0
        if expect(90) || expect(122) {
            offset = 0
        } else if i < s.count, s[i] == 43 || s[i] == 45 {
            let sign = s[i] == 45 ? -1 : 1
            i += 1
            guard let h = digits(2) else { return nil }
            _ = expect(58)
            guard let m = digits(2), h < 24, m < 60 else { return nil }
            offset = sign * (h * 3600 + m * 60)
        } else {
            return nil
        }
        guard i == s.count else { return nil }
        // Days from 1970-01-01 to the date (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }
}
