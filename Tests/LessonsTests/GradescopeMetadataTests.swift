import Lessons
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
}
