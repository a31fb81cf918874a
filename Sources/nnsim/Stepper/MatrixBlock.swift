import Sim

/// A tensor as an aligned block of text: entries by NumberFormat.display, each column right-aligned on
/// the decimal point, rows in brackets. When the block is wider than `width`, its columns are split into
/// groups that fit (`columns 1–3 of 8`), so that a number is never cut; a single column wider than the
/// width still prints whole.
enum MatrixBlock {
    /// `label = …` lines. The first `labelWidth` characters of each line are the label or its indent; the
    /// rest is numbers (for colouring).
    static func lines(label: String, value: Tensor, width: Int) -> (lines: [String], labelWidth: Int) {
        let head = label + " = "
        let indent = String(repeating: " ", count: head.count)
        if value.isScalar || value.scalars.count == 1 && value.rank <= 1 {
            return ([head + NumberFormat.display(value.scalars.first ?? .nan)], head.count)
        }
        let rows = value.rank == 1 ? [value.scalars] : value.rows
        let columns = rows.first?.count ?? 0
        guard columns > 0 else { return ([head + "[]"], head.count) }
        let cells = rows.map { $0.map { split(NumberFormat.display($0)) } }
        let integerWidths = (0..<columns).map { c in cells.map { $0[c].integer.count }.max() ?? 0 }
        let fractionWidths = (0..<columns).map { c in cells.map { $0[c].fraction.count }.max() ?? 0 }
        let columnWidths = zip(integerWidths, fractionWidths).map { $0 + $1 }

        // Groups of consecutive columns, each as wide as fits: "[ " + cells joined by two spaces + " ]".
        var groups: [Range<Int>] = []
        var start = 0
        while start < columns {
            var end = start + 1
            var used = head.count + 4 + columnWidths[start]
            while end < columns && used + 2 + columnWidths[end] <= width {
                used += 2 + columnWidths[end]
                end += 1
            }
            groups.append(start..<end)
            start = end
        }
        var lines: [String] = []
        for (g, group) in groups.enumerated() {
            if groups.count > 1 {
                let title = "columns \(group.lowerBound + 1)–\(group.upperBound) of \(columns)"
                lines.append((g == 0 ? head : indent) + title)
            }
            for row in cells {
                let text = group.map { c in
                    String(repeating: " ", count: integerWidths[c] - row[c].integer.count) + row[c].integer
                        + row[c].fraction + String(repeating: " ", count: fractionWidths[c] - row[c].fraction.count)
                }.joined(separator: "  ")
                lines.append((lines.isEmpty ? head : indent) + "[ " + text + " ]")
            }
        }
        return (lines, head.count)
    }

    /// A displayed number cut before its decimal point (`−0.25` → `−0`, `.25`); without a point, the part
    /// before any exponent (`4.5e−5` → `4`, `.5e−5`; `12` → `12`, ``).
    static func split(_ text: String) -> (integer: String, fraction: String) {
        if let dot = text.firstIndex(of: ".") { return (String(text[..<dot]), String(text[dot...])) }
        if let e = text.firstIndex(of: "e") { return (String(text[..<e]), String(text[e...])) }
        return (text, "")
    }
}
