import Lessons
import Render
import Sim

/// A piece of a screen line with its style.
struct Segment: Equatable {
    enum Style: Equatable { case plain, bold, dim, value, gradient, marked }
    let text: String
    let style: Style

    init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// How colours are written: none (NO_COLOR, TERM=dumb or unset, not a terminal), 256 colours, or 24-bit.
enum ColourMode: Equatable {
    case none, palette256, truecolor

    /// From the environment, for a terminal: NO_COLOR set (to anything) or TERM dumb or unset: none;
    /// COLORTERM truecolor or 24bit: 24-bit; else 256 colours.
    static func from(environment: [String: String]) -> ColourMode {
        if environment["NO_COLOR"] != nil { return .none }
        guard let term = environment["TERM"], !term.isEmpty, term != "dumb" else { return .none }
        let colourTerm = environment["COLORTERM"] ?? ""
        return colourTerm == "truecolor" || colourTerm == "24bit" ? .truecolor : .palette256
    }
}

/// The colours the stepper writes values and gradients in (`--theme`): the light or dark scheme's own
/// forward and gradient colours, for a light or a dark terminal; none for print (bold and reverse video
/// still mark the title and the current node); and without `--theme` ColorScheme.unknownPage's, which read
/// on light and dark terminals alike. In 256-colour mode, the nearest colour of xterm's 6×6×6 cube.
struct TerminalColours: Equatable {
    let mode: ColourMode
    let value: Color?
    let gradient: Color?

    init(mode: ColourMode, scheme: ColorScheme.Name?) {
        self.mode = mode
        switch scheme {
        case nil:
            (value, gradient) = (ColorScheme.unknownPage.forward, ColorScheme.unknownPage.gradient)
        case .print?:
            (value, gradient) = (nil, nil)
        case let name?:
            let chosen = ColorScheme.named(name)
            (value, gradient) = (chosen.forward, chosen.gradient)
        }
    }

    /// The escape sequence that starts `style` ("" for plain or without colours; bold and reverse video
    /// still mark the title and the current node when colours are off, unless there are none at all).
    func start(_ style: Segment.Style) -> String {
        guard mode != .none else { return "" }
        switch style {
        case .plain: return ""
        case .bold: return "\u{1B}[1m"
        case .dim: return "\u{1B}[2m"
        case .marked: return "\u{1B}[7m"
        case .value: return value.map(foreground) ?? ""
        case .gradient: return gradient.map(foreground) ?? ""
        }
    }

    /// Text in `colour`: its 24 bits, or xterm's 256-colour index 16 + 36 r + 6 g + b of the cube's
    /// nearest levels (0, 95, 135, 175, 215, 255).
    func foreground(_ colour: Color) -> String {
        let channels = [colour.red, colour.green, colour.blue].map { Int(($0 * 255).rounded()) }
        if mode == .truecolor { return "\u{1B}[38;2;\(channels.map(String.init).joined(separator: ";"))m" }
        let cube = channels.map { Self.cubeIndex($0) }
        return "\u{1B}[38;5;\(16 + 36 * cube[0] + 6 * cube[1] + cube[2])m"
    }

    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    /// The cube level nearest to a channel 0…255 (the lower of two as near).
    static func cubeIndex(_ channel: Int) -> Int {
        cubeLevels.indices.min { abs(cubeLevels[$0] - channel) < abs(cubeLevels[$1] - channel) } ?? 0
    }

    func write(_ line: [Segment]) -> String {
        line.map { s in
            let start = start(s.style)
            return start.isEmpty ? s.text : start + s.text + "\u{1B}[0m"
        }.joined()
    }
}

/// What one screen of the stepper shows, as lines no wider than the terminal: the title and where the
/// step is in the run, the graph's nodes with the current one marked, the steps around it (one line
/// each), the current step in full (formula, local derivative, values as aligned blocks), the keys and
/// the message about the last key.
struct StepScreen {
    let title: String
    /// The title page's lines: inputs and settings.
    let preamble: [String]
    let showDataGradients: Bool

    static let keysLine = "→/n next  ←/p back  ↓/N/] next iteration  ↑/P/[ previous  12⏎ iteration 12  g12⏎ step 12  q quit"
    static let keysLineSteps = "→/n next  ←/p back  12⏎ step 12  g12⏎ step 12  q quit"

    func lines(_ model: StepperModel, width: Int, height: Int) -> [[Segment]] {
        let width = max(20, width), height = max(8, height)
        var top: [[Segment]] = [[Segment(title, .bold)]]
        var body: [[Segment]] = []
        let n = model.steps.count
        if let step = model.current {
            var place = "step \(model.position) of \(n)"
            if let i = step.iteration { place += " · iteration \(i) of \(model.lastIteration)" + (step.run.map { " (\($0.text))" } ?? "") }
            place += " · " + step.phase.rawValue
            top.append([Segment(place)])
            if let detail = step.detail, !detail.nodes.isEmpty {
                var graph: [Segment] = [Segment("graph: ", .dim)]
                for (i, node) in detail.nodes.enumerated() {
                    if i > 0 { graph.append(Segment(" ")) }
                    graph.append(node == detail.node ? Segment("▸" + node, .marked) : Segment(node))
                }
                top.append(graph)
            }
            top.append([Segment(String(repeating: "─", count: width), .dim)])
            // Two steps before and after, one line each; the current one in full.
            let before = max(1, model.position - 2)..<model.position
            let after = (model.position + 1)..<min(n + 1, model.position + 3)
            for k in before { body.append(summaryLine(k, model.steps[k - 1], width: width)) }
            body.append(contentsOf: currentLines(model.position, step, width: width))
            let afterLines = after.map { summaryLine($0, model.steps[$0 - 1], width: width) }
            body.append(contentsOf: afterLines)
        } else {
            top.append([Segment("\(n) steps" + (model.hasIterations ? ", iterations 1 to \(model.lastIteration)" : "") + "; → starts", .plain)])
            top.append([Segment(String(repeating: "─", count: width), .dim)])
            for line in preamble { body += wrap(line, width: width).map { [Segment($0)] } }
        }
        var bottom: [[Segment]] = [[Segment(String(repeating: "─", count: width), .dim)]]
        bottom += wrap(model.hasIterations ? Self.keysLine : Self.keysLineSteps, width: width).map { [Segment($0, .dim)] }
        switch model.entry {
        case .iteration(let d): bottom.append([Segment("go to iteration: \(d)▏", .bold)])
        case .step(let d): bottom.append([Segment("go to step: \(d)▏", .bold)])
        case nil: bottom.append([Segment(model.message ?? "", .bold)])
        }
        let room = height - top.count - bottom.count
        if body.count > room {
            let cut = body.count - room + 1
            body = Array(body.prefix(room - 1)) + [[Segment("… \(cut) more line\(cut == 1 ? "" : "s"): enlarge the window to see them", .dim)]]
        } else {
            body += Array(repeating: [], count: room - body.count)
        }
        return (top + body + bottom).map { truncate($0, width: width) }
    }

    /// One step on one line: `  12 backward ∂L/∂z2 = …`, cut with … at the width.
    func summaryLine(_ k: Int, _ step: LessonStep, width: Int) -> [Segment] {
        let text = "  \(k) \(step.phase.rawValue) " + (step.detail?.formula ?? step.text)
        return [Segment(text, .dim)]
    }

    /// The current step in full.
    func currentLines(_ k: Int, _ step: LessonStep, width: Int) -> [[Segment]] {
        var lines: [[Segment]] = []
        let head = "▶ \(k) \(step.phase.rawValue) "
        let indent = String(repeating: " ", count: 4)
        guard let detail = step.detail else {
            let wrapped = wrap(step.text, width: width - head.count)
            for (i, line) in wrapped.enumerated() { lines.append([Segment(i == 0 ? head : String(repeating: " ", count: head.count)), Segment(line, .bold)]) }
            for line in step.details { lines += wrap(line, width: width - indent.count).map { [Segment(indent + $0)] } }
            return lines
        }
        let wrapped = wrap(detail.formula, width: width - head.count)
        for (i, line) in wrapped.enumerated() { lines.append([Segment(i == 0 ? head : String(repeating: " ", count: head.count)), Segment(line, .bold)]) }
        if detail.isDataGradient && !showDataGradients {
            lines.append([Segment(indent + "(a gradient with respect to the data or targets, not needed for training: --show-data-gradients shows it)", .dim)])
            return lines.flatMap { wrapSegments($0, width: width) }
        }
        if let rule = detail.rule {
            lines += wrap(rule, width: width - indent.count).map { [Segment(indent + $0)] }
        }
        for value in detail.values {
            let block = MatrixBlock.lines(label: value.label, value: value.value, width: width - indent.count)
            for line in block.lines {
                let label = String(line.prefix(block.labelWidth)), numbers = String(line.dropFirst(block.labelWidth))
                lines.append([Segment(indent + label), Segment(numbers, value.kind == .gradient ? .gradient : .value)])
            }
        }
        return lines
    }

    private func wrapSegments(_ line: [Segment], width: Int) -> [[Segment]] {
        let text = line.map(\.text).joined()
        if text.count <= width { return [line] }
        return wrap(text, width: width).map { [Segment($0, line.last?.style ?? .plain)] }
    }

    /// Cuts a line at the width (the last visible character becomes …).
    func truncate(_ line: [Segment], width: Int) -> [Segment] {
        var used = 0
        var out: [Segment] = []
        for s in line {
            if used + s.text.count <= width {
                out.append(s)
                used += s.text.count
            } else {
                let room = width - used
                if room > 0 { out.append(Segment(String(s.text.prefix(room - 1)) + "…", s.style)) }
                break
            }
        }
        return out
    }
}

/// Wraps text at spaces to the width, continuation lines indented as the first; a word longer than the
/// width (a long matrix written inline) is cut only where it must be.
func wrap(_ text: String, width: Int) -> [String] {
    let indent = String(text.prefix { $0 == " " })
    if !indent.isEmpty && indent.count < width - 10 {
        return wrap(String(text.dropFirst(indent.count)), width: width - indent.count).map { indent + $0 }
    }
    let width = max(10, width)
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
        let candidate = line.isEmpty ? String(word) : line + " " + word
        if candidate.count <= width {
            line = candidate
            continue
        }
        if !line.isEmpty { lines.append(line) }
        var rest = String(word)
        while rest.count > width {
            lines.append(String(rest.prefix(width)))
            rest = String(rest.dropFirst(width))
        }
        line = rest
    }
    lines.append(line)
    return lines
}
