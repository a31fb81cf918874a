/// A font as the figures ask for it; the backend resolves the family.
public struct FontStyle: Sendable, Hashable {
    public var family: String
    public var size: Double
    public var bold: Bool
    public var italic: Bool

    public init(family: String, size: Double, bold: Bool = false, italic: Bool = false) {
        self.family = family
        self.size = size
        self.bold = bold
        self.italic = italic
    }
}

/// The measured extent of a text run: advance width, and height above and below the baseline.
public struct TextExtents: Sendable, Hashable {
    public var width: Double
    public var ascent: Double
    public var descent: Double

    public init(width: Double, ascent: Double, descent: Double) {
        self.width = width
        self.ascent = ascent
        self.descent = descent
    }

    public var height: Double { ascent + descent }
}

/// Text measurement belongs to the backend: layout asks it how large a run will be drawn.
public protocol TextMeasurer: Sendable {
    func measure(_ text: String, font: FontStyle) -> TextExtents
    /// Characters of `text` the font has no glyph for (they would be drawn as boxes).
    func missingGlyphs(in text: String, font: FontStyle) -> [Character]
}
