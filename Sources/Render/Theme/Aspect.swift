/// The shape of a slide figure's page (`--aspect`): every aspect is 540 pt high, as tall as a 16:9 slide,
/// so text keeps its size on a projector and only the width changes. Plots of an input space keep square
/// axes inside whatever page (PlotFrame's `equalAspect`).
public enum Aspect: String, CaseIterable, Sendable, Hashable {
    case wide = "16:9"
    case standard = "4:3"
    case square = "1:1"

    /// Width over height.
    public var ratio: Double {
        switch self {
        case .wide: return 16.0 / 9
        case .standard: return 4.0 / 3
        case .square: return 1
        }
    }

    /// A page of this aspect, `height` points high.
    public func pageSize(height: Double) -> Size { Size((height * ratio).rounded(), height) }

    /// The aspect named `16:9`, `4:3` or `1:1`, or nil.
    public static func named(_ name: String) -> Aspect? { Aspect(rawValue: name.trimmingCharacters(in: .whitespaces)) }
}
