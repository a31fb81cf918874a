import Foundation

/// Where lesson scripts are: `lessons/` in the current folder, else `$NNSIM_LESSONS`, else the `lessons/`
/// folder of the checkout the binary was built in (found by walking up from the executable).
public enum LessonCatalog {
    public static func directory() -> String? {
        let fm = FileManager.default
        var candidates = ["lessons"]
        if let env = ProcessInfo.processInfo.environment["NNSIM_LESSONS"] { candidates.insert(env, at: 0) }
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent("lessons").path)
            folder = folder.deletingLastPathComponent()
        }
        var isDirectory: ObjCBool = false
        return candidates.first { fm.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue }
    }

    /// The script for a lesson name or a path: a path is anything with a `/` or ending in `.yaml`.
    public static func locate(_ nameOrPath: String) throws(LessonError) -> String {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            guard FileManager.default.fileExists(atPath: nameOrPath) else { throw LessonError("no such lesson script", file: nameOrPath) }
            return nameOrPath
        }
        guard let folder = directory() else { throw LessonError("cannot find the lessons folder (set NNSIM_LESSONS)") }
        let path = folder + "/" + nameOrPath + ".yaml"
        guard FileManager.default.fileExists(atPath: path) else {
            let known = names(in: folder).joined(separator: ", ")
            throw LessonError("no lesson '\(nameOrPath)' (lessons: \(known))")
        }
        return path
    }

    /// The lesson names in `folder`, sorted.
    public static func names(in folder: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }
}
