import Foundation
@testable import Lessons
import Sim
import Testing

@Suite struct GradescopeMetadataTests {
    @Test func instantsAsGradescopeWritesThem() {
        #expect(GradescopeMetadata.instant("1970-01-01T00:00:00Z") == 0)
        #expect(abs((GradescopeMetadata.instant("2018-07-01T14:22:32.365935-07:00") ?? 0) - 1_530_480_152.365935) < 1e-6)
        #expect(GradescopeMetadata.instant("2018-07-01 21:22:32+00:00") == 1_530_480_152)
        #expect(GradescopeMetadata.instant("2018-07-01") == nil && GradescopeMetadata.instant("2018-13-01T00:00:00Z") == nil)
    }

    @Test func pastDueOnlyWhenGradescopeSaysSo() {
        let due = GradescopeMetadata.instant("2026-12-01T23:00:00-07:00")
        #expect(GradescopeMetadata(users: [], createdAt: due.map { $0 + 1 }, dueDate: due, lateDueDate: nil).isPastDue)
        #expect(!GradescopeMetadata(users: [], createdAt: due.map { $0 + 1 }, dueDate: due, lateDueDate: due.map { $0 + 86_400 }).isPastDue)
        #expect(!GradescopeMetadata(users: [], createdAt: nil, dueDate: due, lateDueDate: nil).isPastDue)
        #expect(!GradescopeMetadata(users: [], createdAt: due, dueDate: nil, lateDueDate: nil).isPastDue)
    }

    /// An extension (Gradescope's own per-user dates, or the roster's `due` column) moves the deadline
    /// after which `show-expected: after-due-date` shows the key: a student with an extension who submits
    /// after the class's deadline sees no key.
    @Test func extensionsMoveTheDeadline() throws {
        let due = try #require(GradescopeMetadata.instant("2026-12-01T23:00:00Z"))
        let late = GradescopeMetadata(users: [.init(email: "a@x", id: "1", name: nil)], createdAt: due + 3_600, dueDate: due, lateDueDate: nil)
        #expect(late.isPastDue && !late.isPastDue(extendedTo: due + 86_400) && late.isPastDue(extendedTo: due + 60))
        let json = """
        {"created_at": "2026-12-02T00:00:00Z", "assignment": {"due_date": "2026-12-01T23:00:00Z"},
         "users": [{"email": "a@x", "id": 1, "assignment": {"due_date": "2026-12-03T23:00:00Z"}}]}
        """
        let parsed = GradescopeMetadata(try JSONParser.parse(Array(json.utf8)))
        #expect(!parsed.isPastDue && parsed.users.first?.dueDate == GradescopeMetadata.instant("2026-12-03T23:00:00Z"))

        let path = NSTemporaryDirectory() + "roster-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "student,email,due\nann,a@x,2026-12-03\nbob,b@x,\ncid,c@x,2026-12-04T12:00:00-08:00\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Roster.deadlines(path) == ["ann": GradescopeMetadata.instant("2026-12-03T23:59:59Z")!, "cid": GradescopeMetadata.instant("2026-12-04T20:00:00Z")!])
        try "student,due\nann,next friday\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: LessonError("'next friday' in the due column is not a date (write 2026-12-10 or 2026-12-10T23:59:00-08:00)", file: path, line: 2)) {
            try Roster.deadlines(path)
        }
    }
}
