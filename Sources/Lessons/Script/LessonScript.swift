import Foundation
import enum Sim.TextInput
import Yams

/// A lesson script (`lessons/NAME.yaml`, docs/lesson-format.md), read and checked against its kind: every
/// key known, every setting of the right type and range. Errors name the file, line, column and key.
public struct LessonScript: Sendable {
    /// The file as given, or `nnsim:lessons/NAME.yaml` for a built-in lesson (LessonCatalog).
    public let path: String
    /// The lesson's name: the file name without `.yaml`.
    public let name: String
    /// Built in, the user's, or the user's in place of a built-in lesson.
    public let origin: LessonOrigin
    public let kind: any LessonKind.Type
    public let title: String
    /// One line, for `nnsim list`.
    public let summary: String
    /// Which lecture notes the lesson draws on, as the report cites them.
    public let notes: String
    public let seed: UInt64
    /// The settings with the script's values (the kind's defaults where it gives none).
    public let settings: LessonSettings
    /// The narrative for each section the script fills, by section name.
    public let sections: [String: String]
    /// The figures and tables the report holds, in the kind's order.
    public let report: [String]

    public static let topLevelKeys = ["kind", "title", "summary", "notes", "seed", "settings", "sections", "report"]
    /// Scripts are short; this bounds what a hostile file can cost.
    public static let maximumBytes = 1 << 20
    public static let maximumNesting = 32

    /// Finds (LessonCatalog) and reads a lesson by name, or a script by path.
    public init(named nameOrPath: String) throws(LessonError) {
        self = try LessonCatalog.script(nameOrPath)
    }

    /// Reads and checks the script at `path`.
    public init(contentsOfFile path: String, origin: LessonOrigin = .file) throws(LessonError) {
        try self.init(yaml: try InputText.read(path, limit: Self.maximumBytes, what: "the script"), path: path, origin: origin)
    }

    /// Reads and checks a script's text; `path` names it in errors, and gives the lesson its name
    /// (the file name without `.yaml`) unless `name` is given.
    public init(yaml: String, path: String, name: String? = nil, origin: LessonOrigin = .file) throws(LessonError) {
        func fail(_ message: String, _ node: Node?, key: String? = nil) -> LessonError {
            LessonError(message, file: path, line: node?.mark?.line, column: node?.mark?.column, key: key)
        }
        let root = try Self.compose(yaml, path: path, what: "script")
        guard let top = root.mapping else { throw fail("the script must be a mapping of keys (kind, title, settings, …)", root) }
        let keys = try Self.keyed(top, path: path, allowed: Self.topLevelKeys, context: nil)

        func text(_ key: String, required: Bool) throws(LessonError) -> String? {
            guard let (_, node) = keys[key] else {
                if required { throw LessonError("the script has no '\(key)'", file: path, line: root.mark?.line, key: key) }
                return nil
            }
            guard let s = node.scalar?.string, !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw fail("must be text", node, key: key)
            }
            return s.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        self.path = path
        self.origin = origin
        let name = name ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        self.name = name
        guard Self.isUsableName(name) else {
            throw LessonError("the lesson's name '\(name)' (its file name without .yaml) names its output folder, so it must start with a letter or digit and hold no '/', '\\' or control character", file: path)
        }
        let kindName = try text("kind", required: true) ?? ""
        guard let kind = LessonKinds.named(kindName) else {
            throw fail("unknown kind '\(kindName)' (known: \(LessonKinds.all.map { $0.name }.joined(separator: ", ")))", keys["kind"]?.1, key: "kind")
        }
        self.kind = kind
        let items = kind.reportItems.map { $0.name }
        title = try text("title", required: true) ?? ""
        summary = try text("summary", required: true) ?? ""
        notes = try text("notes", required: false) ?? ""

        if let (_, node) = keys["seed"] {
            guard let s = node.scalar?.string, let seed = UInt64(s) else { throw fail("must be a whole number ≥ 0", node, key: "seed") }
            self.seed = seed
        } else {
            seed = 0
        }

        var settings = LessonSettings(kind: kind)
        if let (_, node) = keys["settings"] {
            guard let mapping = node.mapping else { throw fail("must be a mapping of setting names to values", node, key: "settings") }
            for (keyNode, valueNode) in mapping {
                let name = keyNode.scalar?.string ?? ""
                var valueText = valueNode.scalar?.string
                var meaning: String?
                if let entry = valueNode.mapping {
                    let fields = try Self.keyed(entry, path: path, allowed: ["default", "meaning"], context: "settings.\(name)")
                    valueText = fields["default"]?.1.scalar?.string
                    meaning = fields["meaning"]?.1.scalar?.string
                    if valueText == nil { throw fail("needs a 'default' value", valueNode, key: "settings.\(name)") }
                }
                guard let valueText else { throw fail("must be a value or {default, meaning}", valueNode, key: "settings.\(name)") }
                do {
                    try settings.set(name, to: valueText, meaning: meaning, declaring: true)
                } catch {
                    throw LessonError(error.message, file: path, line: valueNode.mark?.line, column: valueNode.mark?.column, key: "settings.\(name)")
                }
            }
        }
        self.settings = settings

        var sections: [String: String] = [:]
        if let (_, node) = keys["sections"] {
            guard let mapping = node.mapping else { throw fail("must be a mapping of section names to text", node, key: "sections") }
            let entries = try Self.keyed(mapping, path: path, allowed: kind.sections, context: "sections")
            for (name, (_, value)) in entries {
                guard let s = value.scalar?.string else { throw fail("must be text", value, key: "sections.\(name)") }
                sections[name] = s.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        self.sections = sections

        if let (_, node) = keys["report"] {
            guard let sequence = node.sequence else { throw fail("must be a list of figures and tables", node, key: "report") }
            var chosen = Set<String>()
            for item in sequence {
                guard let s = item.scalar?.string, items.contains(s) else {
                    throw fail("unknown figure or table '\(item.scalar?.string ?? "?")' (known: \(items.joined(separator: ", ")))",
                               item, key: "report")
                }
                chosen.insert(s)
            }
            report = items.filter(chosen.contains)
        } else {
            report = items
        }
        try kind.check(settings, file: path)
    }

    /// Whether a lesson name can name its output folder `DIR/NAME`: one path component that is not
    /// hidden, `.` or `..` (a script called `...yaml` would otherwise write into the parent of `--out`).
    public static func isUsableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 200 else { return false }
        guard first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return !name.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }
    }

    /// The YAML document of a script or an assignment (`what` names it in errors), within the size and
    /// nesting limits, with parse errors placed at their line and column.
    static func compose(_ yaml: String, path: String, what: String) throws(LessonError) -> Node {
        guard yaml.utf8.count <= maximumBytes else { throw LessonError("the \(what) is larger than 1 MiB", file: path) }
        if let (line, column) = tooDeep(yaml) {
            throw LessonError("nesting deeper than \(maximumNesting) levels", file: path, line: line, column: column)
        }
        do {
            guard let composed = try Yams.compose(yaml: yaml) else { throw LessonError("the \(what) is empty", file: path) }
            return composed
        } catch let error as LessonError {
            throw error
        } catch let error as YamlError {
            throw describe(error, path: path)
        } catch {
            throw LessonError("cannot read the YAML: \(error)", file: path)
        }
    }

    /// The entries of a mapping by key, refusing unknown and repeated keys.
    static func keyed(_ mapping: Node.Mapping, path: String, allowed: [String]?, context: String?) throws(LessonError) -> [String: (Node, Node)] {
        var result: [String: (Node, Node)] = [:]
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            let full = context.map { "\($0).\(name)" } ?? name
            if let allowed, !allowed.contains(name) {
                let list = allowed.isEmpty ? "none" : allowed.joined(separator: ", ")
                throw LessonError("unknown key (known here: \(list))", file: path, line: key.mark?.line, column: key.mark?.column, key: full)
            }
            if result[name] != nil {
                throw LessonError("given twice", file: path, line: key.mark?.line, column: key.mark?.column, key: full)
            }
            result[name] = (key, value)
        }
        return result
    }

    /// Where the YAML nests deeper than the limit, if it does: by flow brackets, or by blocks (the composer
    /// recurses on each level, so `- - - … x` or 1,400 ever deeper indented keys overflowed the stack).
    static func tooDeep(_ yaml: String) -> (Int, Int)? {
        tooDeepFlow(yaml) ?? tooDeepBlocks(yaml)
    }

    /// Block nesting, over-estimated: the indentations still open at a line (each deeper one a level) plus
    /// the compact entries `- ` and `? ` that open it.
    static func tooDeepBlocks(_ yaml: String) -> (Int, Int)? {
        var open: [Int] = []
        for (number, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line.drop(while: { $0 == " " })
            let indent = line.count - rest.count
            if rest.isEmpty || rest.first == "#" { continue }
            while let last = open.last, last > indent { open.removeLast() }
            if open.last != indent { open.append(indent) }
            var depth = open.count, column = indent + 1
            while rest.hasPrefix("- ") || rest.hasPrefix("? ") {
                depth += 1
                if depth > maximumNesting { return (number + 1, column) }
                let entry = rest.count
                rest = rest.dropFirst(2).drop(while: { $0 == " " })
                column += entry - rest.count
            }
            if depth > maximumNesting { return (number + 1, column) }
        }
        return nil
    }

    /// Where flow brackets nest deeper than the limit (libyaml would recurse on them), if they do.
    static func tooDeepFlow(_ yaml: String) -> (Int, Int)? {
        var depth = 0, line = 1, column = 0
        var quote: Character?
        for c in yaml {
            column += 1
            if c == "\n" || c == "\r\n" { line += 1; column = 0; continue }
            if let q = quote { if c == q { quote = nil }; continue }
            switch c {
            case "\"", "'": quote = c
            case "[", "{":
                depth += 1
                if depth > maximumNesting { return (line, column) }
            case "]", "}": depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    /// One line with the file, line and column: libyaml's problem without Yams's echo of the source line
    /// (which carried the very bytes it complains about, such as ESC or NUL).
    static func describe(_ error: YamlError, path: String) -> LessonError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return LessonError("not valid YAML: \(problem)", file: path, line: mark.line, column: mark.column)
        case .reader(let problem, let offset, let value, let yaml):
            let hex = String(value, radix: 16, uppercase: true)
            let character = value >= 0 ? " (U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ")" : ""
            guard let offset else { return LessonError("not valid YAML: \(problem)\(character)", file: path) }
            let (line, column) = position(ofCharacter: offset, in: yaml)
            return LessonError("not valid YAML: \(problem)\(character)", file: path, line: line, column: column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return LessonError("given twice", file: path, line: context.mark.line, column: context.mark.column,
                               key: duplicates.joined(separator: ", "))
        default:
            return LessonError("not valid YAML: \(error)", file: path)
        }
    }

    /// The 1-based line and column (in characters) of the character at `offset`; LF and CRLF end lines.
    static func position(ofCharacter offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for c in text.prefix(offset) {
            if c == "\n" || c == "\r\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
