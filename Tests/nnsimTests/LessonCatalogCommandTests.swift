import Foundation
import Testing

/// Built-in lessons travel inside the binary; a lecturer's own scripts add to them (issue 12, item 7).
@Suite struct LessonCatalogCommandTests {
    let root: String
    let fm = FileManager.default

    init() throws {
        root = fm.temporaryDirectory.appendingPathComponent("nnsim-catalog-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        // A copy of the binary far from the repository, run from a folder of its own.
        try fm.copyItem(atPath: NNSimBinary.url.path, toPath: root + "/bin/nnsim")
    }

    func run(_ arguments: [String], in folder: String, environment: [String: String] = [:]) throws -> NNSimBinary.Result {
        var env = ProcessInfo.processInfo.environment
        env["NNSIM_LESSONS"] = nil
        return try NNSimBinary.run(executable: URL(fileURLWithPath: root + "/bin/nnsim"), arguments, directory: folder,
                                   environment: env.merging(environment) { $1 })
    }

    @Test func aCopiedBinaryHasEveryLesson() throws {
        defer { try? fm.removeItem(atPath: root) }
        let work = root + "/work"
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        let list = try run(["list"], in: work)
        #expect(list.status == 0, "\(list.stderr)")
        for name in ["adaline", "backprop", "backprop-cs231n", "batchnorm", "exploding", "mlp", "newton", "optimizers", "perceptron", "saturation", "symmetry", "xor",
                     "logistic", "softmax", "softmax-spiral", "minibatch", "schedules", "regularization"] {
            #expect(list.stdout.contains("\n\(name) ") || list.stdout.hasPrefix("\(name) "), "\(name)")
        }
        let lesson = try run(["lesson", "backprop", "--quiet", "--format", "svg"], in: work)
        #expect(lesson.status == 0, "\(lesson.stderr)")
        #expect(fm.fileExists(atPath: work + "/output/backprop/graph.svg"))
        let show = try run(["show", "xor"], in: work)
        #expect(show.stdout.contains("script: nnsim:lessons/xor.yaml (built in)"))
    }

    @Test func aLecturersScriptsAddToTheBuiltInsAndMayOverrideOne() throws {
        defer { try? fm.removeItem(atPath: root) }
        let work = root + "/work", extra = root + "/extra"
        for folder in [work + "/lessons", extra] { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let backprop = String(decoding: try #require(fm.contents(atPath: LessonCatalogCommandTestsPaths.lessons + "/backprop.yaml")), as: UTF8.self)
        try backprop.replacingOccurrences(of: "summary:", with: "summary: MINE").write(toFile: work + "/lessons/my-graph.yaml", atomically: false, encoding: .utf8)
        try backprop.replacingOccurrences(of: "summary:", with: "summary: CHANGED").write(toFile: work + "/lessons/backprop.yaml", atomically: false, encoding: .utf8)
        try backprop.write(toFile: extra + "/backprop-cs231n.yaml", atomically: false, encoding: .utf8)
        let list = try run(["list"], in: work, environment: ["NNSIM_LESSONS": extra])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("my-graph ") && list.stdout.contains("MINE") && list.stdout.contains("[your script: lessons/my-graph.yaml]"))
        #expect(list.stdout.contains("CHANGED") && list.stdout.contains("[your script, instead of the built-in lesson: lessons/backprop.yaml]"))
        #expect(list.stdout.contains("[your script, instead of the built-in lesson: \(extra)/backprop-cs231n.yaml]"))
        #expect(list.stdout.contains("\nxor ") && !list.stdout.contains("xor.yaml]"))
        let overridden = try run(["lesson", "backprop", "--quiet", "--format", "svg"], in: work)
        #expect(overridden.status == 0)
        #expect(overridden.stderr == "warning: using lessons/backprop.yaml instead of the built-in lesson backprop\n")
        // A copy identical to the built-in (the repository's own lessons/) is the built-in.
        try backprop.write(toFile: work + "/lessons/backprop.yaml", atomically: false, encoding: .utf8)
        let same = try run(["lesson", "backprop", "--quiet", "--format", "svg"], in: work)
        #expect(same.status == 0 && same.stderr.isEmpty, "\(same.stderr)")
    }
}

enum LessonCatalogCommandTestsPaths {
    static let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("lessons").path
}
