import Testing
@testable import Lessons

@Suite struct VersionTests {
    /// The version is semantic (major.minor.patch), as the title page and `--version` print it.
    @Test func versionIsSemantic() {
        let parts = NNSimVersion.current.split(separator: ".")
        #expect(parts.count == 3 && parts.allSatisfy { Int($0) != nil })
    }
}
