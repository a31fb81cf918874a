import Foundation
import Sim

/// A class list, for writing every student's sheet or key in one call (`--roster students.csv`): a CSV
/// file whose first row names the columns; the IDs are the column called `student`, `id`, `login` or
/// `email` (the first of these, in any case), else the first column. Fields may be quoted as CSV allows
/// ("Lee, Ann"). Blank IDs are skipped; a repeated ID is an error naming its line.
public enum Roster {
    public static let maximumBytes = 16 << 20

    public static func read(_ path: String) throws(LessonError) -> [String] {
        try entries(path).map(\.id)
    }

    /// The roster's students: each ID with every field of its row (an email, a login, a name), so that
    /// another name for a student, such as the email Gradescope knows them by, finds their ID.
    public static func entries(_ path: String) throws(LessonError) -> [(id: String, fields: [String])] {
        let table = try self.table(path)
        var entries: [(id: String, fields: [String])] = []
        var seen: [String: Int] = [:]
        for (line, row) in table.rows {
            let id = row[table.idColumn]
            if let first = seen[id] { throw LessonError("the student '\(id)' is listed twice (first on line \(first))", file: path, line: line) }
            seen[id] = line
            entries.append((id, row))
        }
        guard !entries.isEmpty else { throw LessonError("the roster lists no student", file: path) }
        return entries
    }

    /// The roster's column names (lowercased), the ID column, and every row with an ID, with its line.
    static func table(_ path: String) throws(LessonError) -> (names: [String], idColumn: Int, rows: [(line: Int, fields: [String])]) {
        let text = try InputText.read(path, limit: maximumBytes, what: "the roster")
        let lines = TextInput.lines(text).enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let header = lines.first else { throw LessonError("the roster is empty: its first row names the columns (such as student)", file: path) }
        let names = fields(header.element).map { $0.lowercased() }
        let column = ["student", "id", "login", "email"].lazy.compactMap { names.firstIndex(of: $0) }.first ?? 0
        let rows = lines.dropFirst().map { (line: $0.offset + 1, fields: fields($0.element)) }
            .filter { column < $0.fields.count && !$0.fields[column].isEmpty }
        return (names, column, rows)
    }

    /// The column names a student's own deadline (an extension) may have.
    public static let deadlineColumns = ["due", "due_date", "due-date", "extension"]

    /// Each student's own deadline from the roster's `due` column (or `due_date`, `due-date`,
    /// `extension`), in seconds since 1970: an ISO 8601 instant such as `2026-12-10T23:59:00-08:00` (as
    /// Gradescope writes dates) or a date `2026-12-10`, which means the end of that day in UTC. Empty: the
    /// class's deadline. A value that is neither is an error naming its line, since a misread extension
    /// would show the key early.
    public static func deadlines(_ path: String) throws(LessonError) -> [String: Double] {
        let table = try self.table(path)
        guard let dueColumn = deadlineColumns.lazy.compactMap({ table.names.firstIndex(of: $0) }).first else { return [:] }
        var deadlines: [String: Double] = [:]
        for (line, row) in table.rows where dueColumn < row.count && !row[dueColumn].isEmpty {
            let value = row[dueColumn]
            guard let instant = GradescopeMetadata.instant(value) ?? GradescopeMetadata.instant(value + "T23:59:59Z") else {
                throw LessonError("'\(value)' in the \(table.names[dueColumn]) column is not a date (write 2026-12-10 or 2026-12-10T23:59:00-08:00)", file: path, line: line)
            }
            deadlines[row[table.idColumn]] = instant
        }
        return deadlines
    }

    /// The ID of the roster's student whose row holds one of `names` as a whole field (an email compared
    /// without regard to case), or nil when no row does.
    public static func student(in entries: [(id: String, fields: [String])], named names: [String]) -> String? {
        let wanted = Set(names.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        return entries.first { entry in entry.fields.contains { wanted.contains($0.lowercased()) } }?.id
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
