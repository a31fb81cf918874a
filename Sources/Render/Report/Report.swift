/// A report as content, before layout: a title page with the settings that produced it, then headings,
/// paragraphs, tables and figures. Render lays it out into pages; it knows nothing of lessons.
public struct Report: Sendable {
    public var title: String
    public var subtitle: String?
    /// Shown on the title page as a two-column table: the settings, the nnsim version, the seed.
    public var metadata: [(key: String, value: String)]
    public var blocks: [Block]

    public init(title: String, subtitle: String? = nil, metadata: [(key: String, value: String)] = [], blocks: [Block] = []) {
        self.title = title
        self.subtitle = subtitle
        self.metadata = metadata
        self.blocks = blocks
    }

    public enum Block: Sendable {
        case heading(String)
        /// Text with inline math markup (see `MathText`), wrapped to the column.
        case paragraph(String)
        /// A line set as is, never wrapped (a formula, a derivation step).
        case formula(String)
        case table(Table)
        /// A figure scaled to fit the column, with a caption under it.
        case figure(DisplayList, caption: String)
        case pageBreak
    }

    public struct Table: Sendable {
        public var header: [String]
        public var rows: [[String]]

        public init(header: [String], rows: [[String]]) {
            self.header = header
            self.rows = rows
        }
    }
}
