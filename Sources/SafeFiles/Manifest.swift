#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `.nnsim-manifest`: the list of files nnsim wrote into a folder it replaces as a whole. nnsim removes a
/// file only when a manifest it wrote lists it, and never replaces a folder that holds anything its
/// manifest does not list (the user's own files, a link someone planted).
enum Manifest {
    static let fileName = ".nnsim-manifest"
    static let header = "# Written by nnsim. nnsim replaces this folder as a whole on its next run into it and removes only the files listed here."
    /// A manifest longer than this is not one nnsim wrote.
    static let maximumBytes = 16 << 20
    /// How deep a folder nnsim writes can nest (`frames/…` is 2), and how many entries a check reads.
    static let maximumDepth = 8
    static let maximumEntries = 100_000

    static func bytes(listing files: [String]) -> [UInt8] {
        Array(([header] + files).joined(separator: "\n").utf8) + [0x0A]
    }

    /// Whether `name` is a path nnsim may write inside a folder: relative, no empty, `.` or `..`
    /// component, no control character, not the manifest itself.
    static func isSafeRelativePath(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 4096, name != fileName else { return false }
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            guard !component.isEmpty, component != ".", component != "..", component.utf8.count <= 255 else { return false }
        }
        return !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// The files listed in `folder`'s manifest, or nil when it has none (or an unreadable one). Entries
    /// that are not safe relative paths are dropped, so a forged manifest cannot reach outside the folder.
    static func read(in folder: String) -> [String]? {
        let path = folder + "/" + fileName
        guard FileSystem.kind(path) == .regularFile, let bytes = try? InputFile.bytes(path, limit: maximumBytes) else { return nil }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.first == header else { return nil }
        return lines.dropFirst().filter(isSafeRelativePath)
    }

    /// The first entry of `folder` that its manifest does not account for (a file it does not list, a
    /// folder none of its files is in, a link, a device), or nil when nnsim wrote everything there.
    static func firstForeignEntry(in folder: String, listed: [String]) -> String? {
        let files = Set(listed)
        var folders = Set<String>()
        for file in listed {
            var parts = file.split(separator: "/").dropLast()
            while !parts.isEmpty {
                folders.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        var seen = 0
        func walk(_ relative: String, depth: Int) -> String? {
            let here = relative.isEmpty ? folder : folder + "/" + relative
            guard depth <= maximumDepth, let names = FileSystem.entries(of: here) else { return relative.isEmpty ? "" : relative }
            for name in names {
                seen += 1
                if seen > maximumEntries { return relative.isEmpty ? name : relative + "/" + name }
                let path = relative.isEmpty ? name : relative + "/" + name
                let kind = FileSystem.kind(folder + "/" + path)
                if relative.isEmpty && name == fileName && kind == .regularFile { continue }
                switch kind {
                case .regularFile where files.contains(path): continue
                case .folder where folders.contains(path):
                    if let found = walk(path, depth: depth + 1) { return found }
                case .missing: continue
                case .regularFile, .folder: return path
                default: return "\(path) (\(kind.phrase))"
                }
            }
            return nil
        }
        return walk("", depth: 1)
    }

    /// Removes what a manifest in `folder` lists, the manifest, the emptied subfolders and the folder.
    /// Returns false when something nnsim did not write is left there (the folder is then kept).
    @discardableResult
    static func removeListed(_ folder: String) -> Bool {
        let listed = read(in: folder) ?? []
        var subfolders = Set<String>()
        for file in listed {
            _ = try? FileSystem.remove(folder + "/" + file, isFolder: false)
            var parts = file.split(separator: "/").dropLast()
            while !parts.isEmpty {
                subfolders.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        for sub in subfolders.sorted(by: { $0.count > $1.count }) {
            _ = try? FileSystem.remove(folder + "/" + sub, isFolder: true)
        }
        // The manifest last: killed before this, the next run still knows what to remove.
        _ = try? FileSystem.remove(folder + "/" + fileName, isFolder: false)
        return (try? FileSystem.remove(folder, isFolder: true)) != nil && FileSystem.kind(folder) == .missing
    }
}
