import Foundation

/// The file formats nnsim writes. PNG is for slides (raster, sharp on a projector), SVG for editing,
/// PDF for reports and print (text stays text), HTML for the viewer: one self-contained page to step
/// through the run (docs/viewer.md), not a format of each figure. MP4 is each animation (a sequence of
/// frames, also an animated PNG with png) as a video, where ffmpeg is installed.
public enum OutputFormat: String, Sendable, CaseIterable, Hashable {
    case png, svg, pdf, html, mp4

    /// Whether each figure is written in this format (png, svg, pdf); html is the one viewer page, mp4
    /// the videos of the animations.
    public var isFigureFormat: Bool { self != .html && self != .mp4 }

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
