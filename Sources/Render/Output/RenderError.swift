/// Why a figure could not be drawn or written; the message names the file or the text at fault.
public enum RenderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A text run uses characters the theme font has no glyph for (they would be drawn as boxes).
    case missingGlyphs(text: String, characters: [Character], font: String)
    /// The theme font is not the one installed (fontconfig substituted another).
    case fontNotInstalled(String)
    case cairo(status: String, context: String)
    case unknownFormat(String)
    case noPages

    public var description: String {
        switch self {
        case .missingGlyphs(let text, let characters, let font):
            let list = characters.map { "'\($0)' (U+\(String($0.unicodeScalars.first?.value ?? 0, radix: 16, uppercase: true)))" }
            return "the font \(font) has no glyph for \(list.joined(separator: ", ")) in the label \"\(text)\""
        case .fontNotInstalled(let family):
            return "the font \(family) is not installed (install fonts-dejavu-core; scripts/setup does)"
        case .cairo(let status, let context): return "cairo failed while \(context): \(status)"
        case .unknownFormat(let name): return "unknown format '\(name)' (use png, svg, pdf, html or mp4, separated by commas)"
        case .noPages: return "a document needs at least one page"
        }
    }
}
