import Foundation
import Sim

/// A class list, for writing every student's sheet or key in one call (`--roster students.csv`): a CSV
/// file whose first row names the columns; the IDs are the column called `student`, `id`, `login` or
/// `email` (the first of these, in any case), else the first column. Fields may be quoted as CSV allows
/// ("Lee, Ann"). Blank IDs are skipped; a repeated ID is an error naming its line.
public enum Roster {
    public static let maximumBytes = 16 << 20

    public static func read(_ path: String) throws(LessonError) -> [String] {
        let text = try InputText.read(path, limit: maximumBytes, what: "the roster")
        let lines = TextInput.lines(text).enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let header = lines.first else { throw LessonError("the roster is empty: its first row names the columns (such as student)", file: path) }
        let names = fields(header.element).map { $0.lowercased() }
        let column = ["student", "id", "login", "email"].lazy.compactMap { names.firstIndex(of: $0) }.first ?? 0
        var ids: [String] = []
        var seen: [String: Int] = [:]
        for (index, line) in lines.dropFirst() {
            let row = fields(line)
            guard column < row.count else { continue }
            let id = row[column]
            guard !id.isEmpty else { continue }
            if let first = seen[id] { throw LessonError("the student '\(id)' is listed twice (first on line \(first))", file: path, line: index + 1) }
            seen[id] = index + 1
            ids.append(id)
        }
        guard !ids.isEmpty else { throw LessonError("the roster lists no student", file: path) }
        return ids
    }

    /// The fields of one CSV line: separated by commas, each trimmed, `"…"` quoted with `""` for a quote.
    static func fields(_ line: some StringProtocol) -> [String] {
        var result: [String] = [], field = "", quoted = false, wasQuoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.trimmingCharacters(in: .whitespaces).isEmpty {
                quoted = true
                wasQuoted = true
                field = ""
            } else if c == "," {
                result.append(wasQuoted ? field : field.trimmingCharacters(in: .whitespaces))
                field = ""
                wasQuoted = false
            } else {
                field.append(c)
            }
        }
        result.append(wasQuoted ? field : field.trimmingCharacters(in: .whitespaces))
        return result
    }
}
