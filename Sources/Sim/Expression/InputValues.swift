import Foundation

/// The values of `--at` (docs/expressions.md, "Values"): `a=3,b=-1`, vectors `x=[1,-1]`, matrices
/// `W=[[1,2],[3,4]]` (or `W=[1,2;3,4]`, as the derivation prints them) and files `W=@w.csv`.
///
/// A comma separates assignments only outside brackets, so `x=[1,-1],b=2` is two assignments. A file's
/// path runs to the end of the text (a path may hold commas): give a file as its own `--at`, or last.
public enum InputValues {
    /// One `name=value` item: the value, or a file to read it from.
    public enum Value: Sendable, Equatable {
        case tensor(Tensor)
        /// `@path`: the tensor in a file (`csv(_:file:input:)`), read by the caller, which knows the files.
        case file(String)
    }

    /// Splits `text` into named values, with a column (1-based, in characters of `text`) in every error.
    /// Text without brackets or files reads exactly as numbers always have (`ExpressionProgram.parseValues`).
    public static func parse(_ text: String) throws(ExpressionError) -> [(name: String, value: Value)] {
        guard text.contains("[") || text.contains("@") else {
            return try ExpressionProgram.parseValues(text).map { ($0.name, .tensor(Tensor($0.value))) }
        }
        var scanner = Scanner(Array(text), text: text)
        var result: [(name: String, value: Value)] = []
        while true {
            scanner.skipSpaces()
            let start = scanner.position
            var name = ""
            while let c = scanner.peek, c != "=", c != ",", c != "[", c != "]" { name.append(c); scanner.position += 1 }
            name = name.trimmingCharacters(in: .whitespaces)
            guard scanner.peek == "=" else {
                if name.isEmpty && scanner.peek != "[" { throw scanner.error("--at has an empty item in '\(text)'", at: start) }
                throw scanner.error("--at item '\(scanner.item(from: start))' is not name=value", at: start)
            }
            guard !name.isEmpty else { throw scanner.error("--at item '\(scanner.item(from: start))' has no name", at: start) }
            scanner.position += 1
            scanner.skipSpaces()
            if scanner.peek == "@" {
                scanner.position += 1
                let path = String(scanner.characters[scanner.position...]).trimmingCharacters(in: .whitespaces)
                guard !path.isEmpty else { throw scanner.error("--at '\(name)=@' names no file", at: scanner.position) }
                result.append((name, .file(path)))
                return result
            }
            result.append((name, .tensor(try scanner.value(of: name))))
            scanner.skipSpaces()
            guard let next = scanner.peek else { return result }
            guard next == "," else {
                throw scanner.error("--at value of '\(name)': expected ',' before the next item, found '\(next)'", at: scanner.position)
            }
            scanner.position += 1
        }
    }

    /// A tensor from a file's text: one row of numbers per line (TextInput's lines), separated by commas
    /// (or spaces); blank lines and lines starting with `#` are skipped. One line is a vector, several a matrix.
    public static func csv(_ text: String, file: String, input: String) throws(ExpressionError) -> Tensor {
        var rows: [[Double]] = [], lines: [Int] = []
        for (index, line) in TextInput.lines(text).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            var row: [Double] = []
            for entry in trimmed.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
                guard let value = NumberText.parse(String(entry)) else {
                    throw ExpressionError("\(file) line \(index + 1) (--at \(input)): '\(entry)' is not a finite decimal number")
                }
                row.append(value)
            }
            if let first = rows.first, first.count != row.count {
                throw ExpressionError("\(file) line \(index + 1) (--at \(input)): \(row.count) entr\(row.count == 1 ? "y" : "ies"), but line \(lines[0]) has \(first.count): every row needs the same number")
            }
            rows.append(row)
            lines.append(index + 1)
        }
        guard let first = rows.first else { throw ExpressionError("\(file) (--at \(input)) holds no numbers") }
        return rows.count == 1 ? Tensor(vector: first) : Tensor(checkedShape: [rows.count, first.count], scalars: rows.flatMap { $0 })
    }

    private struct Scanner {
        let characters: [Character]
        let text: String
        var position = 0

        init(_ characters: [Character], text: String) {
            self.characters = characters
            self.text = text
        }

        var peek: Character? { position < characters.count ? characters[position] : nil }

        mutating func skipSpaces() { while let c = peek, c == " " || c == "\t" { position += 1 } }

        /// The item starting at `start`, up to the next comma outside brackets, for messages.
        func item(from start: Int) -> String {
            var end = start, depth = 0
            while end < characters.count, depth > 0 || characters[end] != "," {
                if characters[end] == "[" { depth += 1 } else if characters[end] == "]" { depth -= 1 }
                end += 1
            }
            return String(characters[start..<end]).trimmingCharacters(in: .whitespaces)
        }

        func error(_ message: String, at index: Int) -> ExpressionError {
            ExpressionError(message + " (column \(index + 1) of --at)")
        }

        /// A number, `[n, …]`, `[[n, …], …]` or `[n, …; n, …]`.
        mutating func value(of name: String) throws(ExpressionError) -> Tensor {
            guard peek == "[" else { return Tensor(try number(of: name)) }
            let open = position
            position += 1
            skipSpaces()
            if peek == "[" {
                // [[…], […]]: each row a bracketed list.
                var rows: [[Double]] = [], rowStarts: [Int] = []
                while true {
                    skipSpaces()
                    guard peek == "[" else { throw expected("'[' to start row \(rows.count + 1)", of: name) }
                    rowStarts.append(position)
                    position += 1
                    rows.append(try numbers(of: name, until: "]"))
                    position += 1
                    skipSpaces()
                    if peek == "," { position += 1; continue }
                    guard peek == "]" else { throw expected("',' or ']' after row \(rows.count)", of: name) }
                    position += 1
                    break
                }
                return try matrix(rows, starts: rowStarts, of: name, open: open)
            }
            // [n, …] or [n, …; n, …].
            var rows: [[Double]] = [], rowStarts: [Int] = [position]
            while true {
                rows.append(try numbers(of: name, until: "];"))
                if peek == ";" { position += 1; skipSpaces(); rowStarts.append(position); continue }
                position += 1
                break
            }
            if rows.count == 1 { return Tensor(vector: rows[0]) }
            return try matrix(rows, starts: rowStarts, of: name, open: open)
        }

        private func matrix(_ rows: [[Double]], starts: [Int], of name: String, open: Int) throws(ExpressionError) -> Tensor {
            let columns = rows[0].count
            if let bad = rows.firstIndex(where: { $0.count != columns }) {
                let n = rows[bad].count
                throw error("--at value of '\(name)': row \(bad + 1) has \(n) entr\(n == 1 ? "y" : "ies"), but row 1 has \(columns): every row of a matrix needs the same number",
                            at: starts[bad])
            }
            return Tensor(checkedShape: [rows.count, columns], scalars: rows.flatMap { $0 })
        }

        /// Numbers separated by commas, up to (not past) one of `ends`; at least one.
        private mutating func numbers(of name: String, until ends: String) throws(ExpressionError) -> [Double] {
            var values: [Double] = []
            while true {
                skipSpaces()
                if let c = peek, ends.contains(c), values.isEmpty {
                    throw error("--at value of '\(name)': an empty row or vector; give at least one number", at: position)
                }
                values.append(try number(of: name))
                skipSpaces()
                if peek == "," { position += 1; continue }
                if let c = peek, ends.contains(c) { return values }
                let what = ends.count == 1 ? "',' or '\(ends)'" : "',', ';' or ']'"
                throw expected(what, of: name)
            }
        }

        private mutating func number(of name: String) throws(ExpressionError) -> Double {
            let start = position
            while let c = peek, !",;[] \t".contains(c) { position += 1 }
            let text = String(characters[start..<position])
            guard !text.isEmpty else { throw expected("a number", of: name) }
            guard let value = NumberText.parse(text) else {
                throw error("--at value '\(text)' for '\(name)' is not a finite decimal number (such as 3, -2.5 or 1e-3)", at: start)
            }
            return value
        }

        private func expected(_ what: String, of name: String) -> ExpressionError {
            let found = peek.map { "'\($0)'" } ?? "the end"
            return error("--at value of '\(name)': expected \(what), found \(found)", at: position)
        }
    }
}
