import Foundation

/// Where lesson scripts come from. The built-in lessons (`lessons/*.yaml` of the repository) travel inside
/// the binary, so a copied `nnsim` has them all. A lecturer's own scripts add to them: every `.yaml` in
/// the folders of `$NNSIM_LESSONS` (separated by `:`) and in `lessons/` of the current folder, in that
/// order; one with a built-in lesson's name overrides it, which `nnsim list` and `nnsim lesson` say (a
/// copy identical to the built-in, such as the repository's own `lessons/`, is the built-in).
public enum LessonCatalog {
    /// One lesson as found: its name, where it comes from, and the script's text.
    public struct Entry: Sendable {
        public let name: String
        public let origin: LessonOrigin
        /// The script's path as errors, the report and the trace name it: the user's file, or
        /// `nnsim:lessons/NAME.yaml` for a built-in.
        public let path: String
    }

    /// The built-in scripts, embedded at build time from `lessons/` (Sources/Lessons/BuiltInScripts links
    /// there). A test checks that this table lists every file of that folder.
    static let builtIns: [(name: String, bytes: [UInt8])] = [
        ("adaline", PackageResources.adaline_yaml),
        ("backprop", PackageResources.backprop_yaml),
        ("batchnorm", PackageResources.batchnorm_yaml),
        ("backprop-cs231n", PackageResources.backprop_cs231n_yaml),
        ("exploding", PackageResources.exploding_yaml),
        ("logistic", PackageResources.logistic_yaml),
        ("minibatch", PackageResources.minibatch_yaml),
        ("mlp", PackageResources.mlp_yaml),
        ("newton", PackageResources.newton_yaml),
        ("optimizers", PackageResources.optimizers_yaml),
        ("perceptron", PackageResources.perceptron_yaml),
        ("regularization", PackageResources.regularization_yaml),
        ("saturation", PackageResources.saturation_yaml),
        ("schedules", PackageResources.schedules_yaml),
        ("softmax", PackageResources.softmax_yaml),
        ("softmax-spiral", PackageResources.softmax_spiral_yaml),
        ("symmetry", PackageResources.symmetry_yaml),
        ("xor", PackageResources.xor_yaml),
    ]

    public static func builtInPath(_ name: String) -> String { "nnsim:lessons/\(name).yaml" }

    /// The folders a user's scripts are read from, in order of precedence.
    public static func userFolders() -> [String] {
        var folders = (ProcessInfo.processInfo.environment["NNSIM_LESSONS"] ?? "").split(separator: ":").map(String.init)
        folders.append("lessons")
        var isFolder: ObjCBool = false
        return folders.filter { FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && isFolder.boolValue }
    }

    /// Every lesson, sorted by name: the user's scripts first where names meet.
    public static func all() -> [Entry] {
        var entries: [String: Entry] = [:]
        for (name, _) in builtIns { entries[name] = Entry(name: name, origin: .builtIn, path: builtInPath(name)) }
        for folder in userFolders().reversed() {
            for name in names(in: folder) {
                let path = folder + "/" + name + ".yaml"
                guard let builtIn = builtIns.first(where: { $0.name == name }) else {
                    entries[name] = Entry(name: name, origin: .file, path: path)
                    continue
                }
                // A copy of the built-in (the repository's own lessons/) is the built-in.
                let same = (try? InputText.bytes(path, limit: LessonScript.maximumBytes)) == builtIn.bytes
                entries[name] = same ? Entry(name: name, origin: .builtIn, path: builtInPath(name))
                                     : Entry(name: name, origin: .overridingBuiltIn, path: path)
            }
        }
        return entries.values.sorted { $0.name < $1.name }
    }

    /// Reads a lesson by name (user folders, then built-ins) or a script by path (anything with a `/` or
    /// ending in `.yaml`/`.yml`).
    static func script(_ nameOrPath: String) throws(LessonError) -> LessonScript {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            return try LessonScript(contentsOfFile: nameOrPath)
        }
        let known = all()
        guard let entry = known.first(where: { $0.name == nameOrPath }) else {
            throw LessonError("no lesson '\(nameOrPath)' (lessons: \(known.map(\.name).joined(separator: ", ")))")
        }
        switch entry.origin {
        case .builtIn:
            let bytes = builtIns.first { $0.name == entry.name }?.bytes ?? []
            return try LessonScript(yaml: String(decoding: bytes, as: UTF8.self), path: entry.path, name: entry.name, origin: .builtIn)
        case .file, .overridingBuiltIn:
            return try LessonScript(contentsOfFile: entry.path, origin: entry.origin)
        }
    }

    /// The lesson names in `folder`, sorted.
    public static func names(in folder: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.filter(LessonScript.isUsableName).sorted()
    }
}

/// Where a lesson script comes from.
public enum LessonOrigin: Sendable, Equatable {
    /// Inside the binary.
    case builtIn
    /// A user's script (a path given, or found in a user folder).
    case file
    /// A user's script with a built-in lesson's name, used instead of it.
    case overridingBuiltIn

    /// For `nnsim list`: "built in", "your script", "yours, instead of the built-in".
    public var phrase: String {
        switch self {
        case .builtIn: "built in"
        case .file: "your script"
        case .overridingBuiltIn: "your script, instead of the built-in lesson"
        }
    }
}
