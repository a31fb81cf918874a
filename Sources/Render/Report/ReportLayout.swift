import Foundation

/// Lays a report out on A4 pages: a title page, then flowing text with headings kept with what follows,
/// short tables kept on one page, longer ones split across pages with their header repeated, figures scaled to the column, the title in the
/// header from page 2 and "n / N" in every footer.
public struct ReportLayout {
    public var pageSize = Size(595, 842)
    public var margin = 56.0
    public var bodySize = 10.5
    public let theme: Theme
    public let measurer: any TextMeasurer

    public init(theme: Theme = .paper, measurer: any TextMeasurer) {
        self.theme = theme
        self.measurer = measurer
    }

    var columnWidth: Double { pageSize.width - 2 * margin }
    var top: Double { margin + 14 }
    var bottom: Double { pageSize.height - margin }

    public func pages(_ report: Report) -> [DisplayList] {
        var flow = Flow(layout: self)
        flow.titlePage(report)
        for (i, block) in report.blocks.enumerated() {
            if case .heading = block, let next = report.blocks[safe: i + 1] {
                // A heading goes with what follows: laid out on a copy first, and if the next block would
                // leave the heading alone at the foot of its page (a figure or a short table moved on), the
                // heading starts the next page too.
                var trial = flow
                trial.place(block)
                let (page, count) = (trial.pages.count, trial.current.items.count)
                trial.place(next)
                if trial.pages.count > page, trial.pages[page].items.count == count, flow.y > top { flow.newPage() }
            }
            flow.place(block)
        }
        return flow.finish(title: report.title)
    }

    func font(_ size: Double? = nil, bold: Bool = false, italic: Bool = false) -> FontStyle {
        theme.font(size ?? bodySize, bold: bold, italic: italic)
    }

    func width(_ text: String, _ font: FontStyle) -> Double { measurer.measure(text, font: font).width }

    /// The scale a figure of this size gets on a page of its own under a one-line caption: the largest it is
    /// ever printed (the figure checks read text sizes at it).
    /// The smallest text a report prints, in points (issue 14: about 7 pt reads on paper).
    public static let minimumTextSize = 7.0

    public func figureScale(_ size: Size) -> Double {
        let room = figureRoom()
        return min(1, room.width / size.width, room.height / size.height)
    }
    /// The room a figure has on a page of its own over a caption of so many lines: the column, a page high.
    public func figureRoom(captionLines: Int = 1) -> Size {
        Size(columnWidth, max(0, bottom - top - Double(captionLines) * lineHeight(font(9, italic: true)) - 6))
    }
    func lineHeight(_ font: FontStyle) -> Double { font.size * 1.4 }
}

/// The running state of a layout: pages so far and where the next block goes.
private struct Flow {
    let layout: ReportLayout
    var pages: [DisplayList] = []
    var current: DisplayList
    var y: Double

    init(layout: ReportLayout) {
        self.layout = layout
        current = DisplayList(size: layout.pageSize, background: layout.theme.background)
        y = layout.top
    }

    mutating func place(_ block: Report.Block) {
        switch block {
        case .heading(let text): heading(text)
        case .paragraph(let text): paragraph(text)
        case .formula(let text): formula(text)
        case .table(let table): self.table(table)
        case .figure(let figure, let caption): self.figure(figure, caption: caption)
        case .pageBreak: newPage()
        }
    }

    mutating func newPage() {
        pages.append(current)
        current = DisplayList(size: layout.pageSize, background: layout.theme.background)
        y = layout.top
    }

    /// Starts a new page unless `height` still fits (a block taller than a page starts on a fresh one).
    mutating func ensure(_ height: Double) {
        if y + height > layout.bottom, y > layout.top { newPage() }
    }

    mutating func text(_ text: String, font: FontStyle, color: Color, x: Double, anchor: LabelAnchor = .topLeft, tag: String? = nil) {
        current.append(.text(.placed(text, font: font, color: color, at: Point(x, y), anchor: anchor, tag: tag,
                                     measurer: layout.measurer)))
    }

    mutating func titlePage(_ report: Report) {
        y = layout.pageSize.height * 0.28
        let titleFont = layout.font(24, bold: true)
        // Centred, with their sub- and superscripts: joining the spans' text dropped them ("(y − t)^2" came
        // out as "(y − t)2", a student ID "a_b_c" as "abc").
        for line in wrap(report.title, font: titleFont, width: layout.columnWidth) {
            draw(line, font: titleFont, color: layout.theme.foreground, x: (layout.pageSize.width - lineWidth(line, titleFont)) / 2, tag: "title")
            y += layout.lineHeight(titleFont)
        }
        if let subtitle = report.subtitle {
            y += 6
            let font = layout.font(13)
            for line in wrap(subtitle, font: font, width: layout.columnWidth) {
                draw(line, font: font, color: layout.theme.muted, x: (layout.pageSize.width - lineWidth(line, font)) / 2, tag: "subtitle")
                y += layout.lineHeight(font)
            }
        }
        if !report.metadata.isEmpty {
            y += 30
            table(Report.Table(header: ["setting", "value"], rows: report.metadata.map { [$0.key, $0.value] }))
        }
        newPage()
    }

    mutating func heading(_ title: String) {
        let font = layout.font(14, bold: true)
        y += 8
        ensure(layout.lineHeight(font) + 3 * layout.lineHeight(layout.font()))   // keep with what follows
        for line in wrap(title, font: font, width: layout.columnWidth) {
            draw(line, font: font, color: layout.theme.foreground, x: layout.margin, tag: "heading")
            y += layout.lineHeight(font)
        }
        y += 2
    }

    mutating func paragraph(_ source: String) {
        let font = layout.font()
        for line in wrap(source, font: font, width: layout.columnWidth) {
            ensure(layout.lineHeight(font))
            draw(line, font: font, color: layout.theme.foreground, x: layout.margin, tag: "paragraph")
            y += layout.lineHeight(font)
        }
        y += layout.bodySize * 0.6
    }

    /// A line set as is, shrunk to fit the column if it is too wide.
    mutating func formula(_ source: String) {
        var font = layout.font()
        let spans = MathText.spans(source)
        let natural = spans.reduce(0) { $0 + spanWidth($1, font) }
        if natural > layout.columnWidth - 12 { font.size *= (layout.columnWidth - 12) / natural }
        ensure(layout.lineHeight(font))
        draw(spans, font: font, color: layout.theme.foreground, x: layout.margin + 12, tag: "formula")
        y += layout.lineHeight(font)
    }

    // MARK: Tables

    /// Columns take their natural width at 9 pt. A table too wide for the column is first set smaller
    /// (down to 7.5 pt); if it still does not fit, the columns wider than their fair share of the column
    /// share what is left, and their cells wrap at spaces (a long matrix row breaks after "; ").
    mutating func table(_ table: Report.Table) {
        let columns = max(table.header.count, table.rows.map(\.count).max() ?? 0)
        guard columns > 0 else { return }
        var font = layout.font(9)
        let bold = { (f: FontStyle) in FontStyle(family: f.family, size: f.size, bold: true) }
        func widths(_ f: FontStyle) -> [Double] {
            (0..<columns).map { c in
                let cells = [table.header[safe: c] ?? ""] + table.rows.map { $0[safe: c] ?? "" }
                return cells.map { layout.width($0, bold(f)) }.max() ?? 0
            }
        }
        let pad = 8.0
        let available = layout.columnWidth - pad * 2 * Double(columns)
        var w = widths(font)
        if w.reduce(0, +) > available {
            font.size = max(7.5, font.size * available / w.reduce(0, +))
            w = widths(font)
        }
        if w.reduce(0, +) > available { w = Self.share(w, available) }
        // Numeric columns (every cell a number) are right-aligned.
        let numeric = (0..<columns).map { c in
            table.rows.allSatisfy { row in
                let cell = (row[safe: c] ?? "").replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: "e−", with: "e-")
                return cell.isEmpty || Double(cell) != nil || cell == "inf" || cell == "-inf" || cell == "nan"
            }
        }
        let lineHeight = layout.lineHeight(font)
        let x0 = layout.margin
        func lines(_ cells: [String], _ f: FontStyle) -> [[String]] {
            (0..<columns).map { c in wrapCell(cells[safe: c] ?? "", font: f, width: w[c]) }
        }
        func row(_ cells: [[String]], _ f: FontStyle, _ tag: String) {
            var x = x0
            let top = y
            for c in 0..<columns {
                let right = numeric[c] && tag != "table-header"
                y = top
                for line in cells[c] {
                    text(line, font: f, color: layout.theme.foreground, x: right ? x + w[c] + pad : x + pad,
                         anchor: right ? .topRight : .topLeft, tag: tag)
                    y += lineHeight
                }
                x += w[c] + 2 * pad
            }
            y = top + Double(cells.map(\.count).max() ?? 1) * lineHeight + 2
        }
        func height(_ cells: [[String]]) -> Double { Double(cells.map(\.count).max() ?? 1) * lineHeight + 2 }
        func rule() {
            let x1 = x0 + w.reduce(0, +) + 2 * pad * Double(columns)
            current.append(.path(PathShape([.move(Point(x0, y - 1)), .line(Point(x1, y - 1))],
                                           stroke: Stroke(layout.theme.muted, width: 0.5), tag: "table-rule")))
        }
        let headerCells = lines(table.header, bold(font))
        func header() {
            row(headerCells, bold(font), "table-header")
            rule()
        }
        let bodyCells = table.rows.map { lines($0, font) }
        // A short table (at most a third of a page) is kept on one page; a longer one starts with its
        // header and at least two rows.
        let whole = height(headerCells) + bodyCells.map(height).reduce(0, +)
        ensure(whole <= (layout.bottom - layout.top) / 3 ? whole : height(headerCells) + 2 * (bodyCells.first.map(height) ?? lineHeight))
        header()
        for cells in bodyCells {
            if y + height(cells) > layout.bottom {
                newPage()
                header()
            }
            row(cells, font, "table-cell")
        }
        y += layout.bodySize
    }

    /// Column widths that fit `available`: columns no wider than an equal share of what the wider ones
    /// leave keep their width; the others split the rest equally.
    static func share(_ natural: [Double], _ available: Double) -> [Double] {
        var fixed = Set<Int>()
        while true {
            let left = available - fixed.reduce(0) { $0 + natural[$1] }
            let open = natural.indices.filter { !fixed.contains($0) }
            guard !open.isEmpty else { return natural }
            let fair = left / Double(open.count)
            let fitting = open.filter { natural[$0] <= fair }
            if fitting.isEmpty { return natural.indices.map { fixed.contains($0) ? natural[$0] : max(fair, 1) } }
            fixed.formUnion(fitting)
        }
    }

    /// A cell's text broken at spaces into lines no wider than `width`; a word wider than that is broken
    /// between characters. Cells are plain text (no sub- or superscript markup).
    func wrapCell(_ cell: String, font: FontStyle, width: Double) -> [String] {
        guard layout.width(cell, font) > width + 0.01 else { return [cell] }
        var lines: [String] = []
        var line = ""
        func push(_ word: String) {
            let candidate = line.isEmpty ? word : line + " " + word
            if line.isEmpty || layout.width(candidate, font) <= width {
                line = candidate
            } else {
                lines.append(line)
                line = word
            }
        }
        for word in cell.split(separator: " ").map(String.init) {
            if layout.width(word, font) <= width {
                push(word)
                continue
            }
            var piece = ""
            for character in word {
                if !piece.isEmpty, layout.width(piece + String(character), font) > width {
                    push(piece)
                    piece = ""
                }
                piece.append(character)
            }
            push(piece)
        }
        if !line.isEmpty { lines.append(line) }
        return lines.isEmpty ? [""] : lines
    }

    // MARK: Figures

    mutating func figure(_ figure: DisplayList, caption: String) {
        let captionFont = layout.font(9, italic: true)
        let captionHeight = Double(wrap(caption, font: captionFont, width: layout.columnWidth).count) * layout.lineHeight(captionFont) + 6
        func fit(_ available: Double) -> Double {
            min(1, layout.columnWidth / figure.size.width, max(0, available - captionHeight) / figure.size.height)
        }
        var scale = fit(layout.bottom - y)
        // A figure goes to the next page rather than be shrunk to under 60% of what a page gives it, or
        // so far that its smallest text falls under the report's minimum while a page would print it larger.
        let full = fit(layout.bottom - layout.top)
        let smallest = figure.texts.map(\.font.size).min() ?? .infinity
        let unreadable = smallest * scale < ReportLayout.minimumTextSize - 1e-9 && full > scale + 1e-9
        if scale < 0.6 * full || unreadable, y > layout.top {
            newPage()
            scale = fit(layout.bottom - y)
        }
        let w = figure.size.width * scale, h = figure.size.height * scale
        let offset = Point(layout.margin + (layout.columnWidth - w) / 2, y)
        if let background = figure.background {
            current.append(.path(PathShape([.move(offset), .line(Point(offset.x + w, offset.y)), .line(Point(offset.x + w, offset.y + h)),
                                            .line(Point(offset.x, offset.y + h)), .close], fill: background, tag: "figure-background")))
        }
        current.append(contentsOf: figure.transformed(scale: scale, offset: offset))
        y += h + 4
        for line in wrap(caption, font: captionFont, width: layout.columnWidth) {
            draw(line, font: captionFont, color: layout.theme.muted, x: layout.margin + (layout.columnWidth - lineWidth(line, captionFont)) / 2, tag: "caption")
            y += layout.lineHeight(captionFont)
        }
        y += layout.bodySize
    }

    // MARK: Words and lines

    private func spanFont(_ position: MathText.Position, _ font: FontStyle) -> FontStyle {
        var f = font
        if position != .normal { f.size *= 0.7 }
        return f
    }

    private func spanWidth(_ span: MathText.Span, _ font: FontStyle) -> Double {
        layout.width(span.text, spanFont(span.position, font))
    }

    private func lineWidth(_ line: [MathText.Span], _ font: FontStyle) -> Double {
        line.reduce(0) { $0 + spanWidth($1, font) }
    }

    /// Greedy wrapping of marked-up text into lines of spans no wider than `width`; a word wider than the
    /// column is broken between characters.
    func wrap(_ source: String, font: FontStyle, width: Double) -> [[MathText.Span]] {
        // Words: runs of spans between spaces of normal text.
        var words: [[MathText.Span]] = [[]]
        for span in MathText.spans(source) {
            let pieces = span.text.split(separator: " ", omittingEmptySubsequences: false)
            for (i, piece) in pieces.enumerated() {
                if i > 0 { words.append([]) }
                if !piece.isEmpty { words[words.count - 1].append(MathText.Span(text: String(piece), position: span.position)) }
            }
        }
        words = Self.glueOperators(words.filter { !$0.isEmpty }).flatMap { breakIfTooWide($0, font: font, width: width) }
        let space = layout.width(" ", font)
        var lines: [[MathText.Span]] = []
        var line: [MathText.Span] = [], used = 0.0
        for word in words {
            let w = lineWidth(word, font)
            if !line.isEmpty, used + space + w > width {
                lines.append(line)
                line = []
                used = 0
            }
            if !line.isEmpty {
                line.append(MathText.Span(text: " ", position: .normal))
                used += space
            }
            line.append(contentsOf: word)
            used += w
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Binary operators that keep both their operands on their line: `a − b` never breaks at the minus.
    static let gluingOperators: Set<String> = ["−", "+", "·", "×", "±"]

    /// Words with each gluing operator joined to the words before and after it (by a space that does not
    /// break).
    static func glueOperators(_ words: [[MathText.Span]]) -> [[MathText.Span]] {
        var result: [[MathText.Span]] = []
        var glueNext = false
        for word in words {
            let isOperator = word.count == 1 && word[0].position == .normal && gluingOperators.contains(word[0].text)
            if (isOperator || glueNext), var last = result.popLast() {
                last.append(MathText.Span(text: " ", position: .normal))
                last.append(contentsOf: word)
                result.append(last)
            } else {
                result.append(word)
            }
            glueNext = isOperator
        }
        return result
    }

    private func breakIfTooWide(_ word: [MathText.Span], font: FontStyle, width: Double) -> [[MathText.Span]] {
        guard lineWidth(word, font) > width else { return [word] }
        var parts: [[MathText.Span]] = [[]]
        var used = 0.0
        for span in word {
            for character in span.text {
                let piece = MathText.Span(text: String(character), position: span.position)
                let w = spanWidth(piece, font)
                if used + w > width, !(parts.last ?? []).isEmpty { parts.append([]); used = 0 }
                parts[parts.count - 1].append(piece)
                used += w
            }
        }
        return parts
    }

    /// Draws a line of spans from `x` at the current y (top of the line); sub- and superscripts are
    /// smaller and shifted from the baseline.
    mutating func draw(_ line: [MathText.Span], font: FontStyle, color: Color, x: Double, tag: String) {
        let ascent = layout.measurer.measure("X", font: font).ascent
        let baseline = y + ascent
        var cursor = x
        // Neighbouring spans at the same position become one run (a line of plain text is one run).
        var merged: [MathText.Span] = []
        for span in line {
            if let last = merged.last, last.position == span.position {
                merged[merged.count - 1].text += span.text
            } else {
                merged.append(span)
            }
        }
        for span in merged {
            let f = spanFont(span.position, font)
            let shift = span.position == .lowered ? font.size * 0.25 : (span.position == .raised ? -font.size * 0.38 : 0)
            current.append(.text(.placed(span.text, font: f, color: color, at: Point(cursor, baseline + shift),
                                         anchor: .baselineLeft, tag: tag, measurer: layout.measurer)))
            cursor += layout.width(span.text, f)
        }
    }

    /// Adds the running header (from page 2) and "n / N" footers, and returns the pages.
    mutating func finish(title: String) -> [DisplayList] {
        if !current.items.isEmpty || pages.isEmpty { pages.append(current) }
        let small = layout.font(8)
        for i in pages.indices {
            let number = TextRun.placed("\(i + 1) / \(pages.count)", font: small, color: layout.theme.muted,
                                        at: Point(layout.pageSize.width / 2, layout.pageSize.height - layout.margin / 2),
                                        tag: "page-number", measurer: layout.measurer)
            pages[i].append(.text(number))
            if i > 0 {
                pages[i].append(.text(.placed(title, font: small, color: layout.theme.muted, at: Point(layout.margin, layout.margin / 2),
                                              anchor: .left, tag: "running-header", measurer: layout.measurer)))
                pages[i].append(.path(PathShape([.move(Point(layout.margin, layout.margin / 2 + 8)),
                                                  .line(Point(layout.pageSize.width - layout.margin, layout.margin / 2 + 8))],
                                                 stroke: Stroke(layout.theme.grid, width: 0.5), tag: "header-rule")))
            }
        }
        return pages
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
