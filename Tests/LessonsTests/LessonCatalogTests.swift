import Foundation
import Testing
@testable import Lessons

@Suite struct LessonCatalogTests {
    static let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("lessons").path

    /// The binary carries every script of lessons/, byte for byte.
    @Test func everyScriptOfTheRepositoryIsBuiltIn() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.lessons).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(LessonCatalog.builtIns.map { $0.name + ".yaml" }.sorted() == files)
        for (name, bytes) in LessonCatalog.builtIns {
            #expect(FileManager.default.contents(atPath: Self.lessons + "/" + name + ".yaml") == Data(bytes), "\(name)")
            let script = try LessonScript(named: name)
            #expect(script.origin == .builtIn && script.path == "nnsim:lessons/\(name).yaml" && script.name == name)
        }
    }
}
