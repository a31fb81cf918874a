import ArgumentParser
import Foundation
import Render
import Sim

/// `--theme`, `--aspect` and `--transparent`, declared once for every command that draws figures
/// (`nnsim lesson`, `nnsim graph`); the names they take come from ColorScheme.Name and Aspect.
struct FigureStyleOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("""
        The figures' colours: light, dark (light text on near-black, for dark rooms and dark slide \
        decks) or print (light's colours, every series also with its own dash and marker, for black-and-white printers). \
        Reports are read on paper: report.pdf is light, or print with print. The HTML viewer's page \
        takes the theme too, and --step writes values and gradients in its colours (none with print). \
        Default: light (--step: colours that read on light and dark terminals alike).
        """, valueName: Self.choices(ColorScheme.Name.allCases.map(\.rawValue))))
    var theme: String?

    @Option(name: .long, help: ArgumentHelp("""
        The shape of the figures and frames: 16:9, 4:3 or 1:1, all 540 pt high; plots of an input \
        space keep square axes inside the page. The report's figures keep their size.
        """, valueName: Self.choices(Aspect.allCases.map(\.rawValue))))
    var aspect = Aspect.wide.rawValue

    @Flag(name: .long, help: "Paint no background behind the figures and frames (PNG alpha 0, no background rectangle in SVG and PDF), for pasting onto slides; reports keep theirs.")
    var transparent = false

    static func choices(_ names: [String]) -> String { names.joined(separator: "|") }

    /// "light, dark or print".
    static func list(_ names: [String]) -> String {
        names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "") : names.joined()
    }

    /// The style asked for; a name that is none of the choices is a usage error naming it and them.
    func style() throws -> FigureStyle {
        let scheme = try Self.scheme(named: theme ?? ColorScheme.Name.light.rawValue)
        guard let shape = Aspect.named(aspect) else {
            throw ValidationError("--aspect \"\(PrintableText.escaped(aspect))\" is not \(Self.list(Aspect.allCases.map(\.rawValue)))")
        }
        return FigureStyle(scheme: scheme, aspect: shape, transparent: transparent)
    }

    /// The scheme a `--theme` value names; another is a usage error naming it and the choices.
    static func scheme(named theme: String) throws -> ColorScheme.Name {
        guard let scheme = ColorScheme.Name(rawValue: theme.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ValidationError("--theme \"\(PrintableText.escaped(theme))\" is not \(Self.list(ColorScheme.Name.allCases.map(\.rawValue)))")
        }
        return scheme
    }

    /// The scheme `--theme` names, nil without `--theme` (the stepper then writes colours that read on any terminal).
    var scheme: ColorScheme.Name? { theme == nil ? nil : try? style().scheme }

    /// Whether anything differs from the defaults (light, 16:9, a background).
    var isChosen: Bool { (try? style()) != FigureStyle.standard }

    func validate() throws { _ = try style() }
}
