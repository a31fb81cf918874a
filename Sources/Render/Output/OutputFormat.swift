import Foundation

/// The file formats nnsim writes. PNG is for slides (raster, sharp on a projector), SVG for editing,
/// PDF for reports and print (text stays text), HTML for the viewer: one self-contained page to step
/// through the run (docs/viewer.md), not a format of each figure.
public enum OutputFormat: String, Sendable, CaseIterable, Hashable {
    case png, svg, pdf, html

    /// Whether each figure is written in this format (png, svg, pdf); html is the one viewer page.
    public var isFigureFormat: Bool { self != .html }

    public var fileExtension: String { rawValue }

    /// Parses `png,svg,pdf` (any order, any subset; duplicates collapse; case-insensitive).
    public static func list(_ text: String) throws(RenderError) -> [OutputFormat] {
        var formats: [OutputFormat] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = item.trimmingCharacters(in: .whitespaces).lowercased()
            guard let format = OutputFormat(rawValue: name) else { throw .unknownFormat(String(item)) }
            if !formats.contains(format) { formats.append(format) }
        }
        return formats
    }
}
