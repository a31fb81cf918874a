import Foundation
import Render
import Sim

/// Writes a ViewerModel as one self-contained HTML page (docs/viewer.md): the figures as SVG from their
/// display lists (SVGWriter, the same layout as the PNG/SVG/PDF files), every step as text, a small style
/// sheet and a small script, and nothing fetched from anywhere. The script only switches what is shown
/// (which step's section, which figure, which highlight and labels, which cursor, and copies an
/// iteration's numbers, written here, into the parameter tables); every number is formatted here.
/// The same model gives the same bytes.
public struct ViewerPage {
    public let model: ViewerModel
    /// The page's colours and its figures' (`--theme`): a dark page with dark figures for dark, light's
    /// page for light and print (print's figures keep their dashes and markers).
    public let scheme: ColorScheme
    let measurer = CairoTextMeasurer()

    public init(model: ViewerModel, scheme: ColorScheme = .light) {
        self.model = model
        self.scheme = scheme
    }

    /// The figures' theme: the slides' sizes in the page's scheme.
    var theme: Theme { Theme.slides.with(scheme) }

    /// The largest tensor shown whole in a step or a parameter table; larger ones show their first rows
    /// and columns and say so.
    static let maxShown = 12

    public func html() throws(LessonError) -> [UInt8] {
        var page = ""
        page.reserveCapacity(1 << 20)
        let title = escaped(model.title)
        page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<meta name=\"generator\" content=\"nnsim \(NNSimVersion.current)\">\n"
        // No request may leave the page: only what is written into it (inline styles, scripts, data: images).
        page += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        page += "<title>\(title) · nnsim</title>\n<style>\n\(Self.colours(scheme))\(Self.style)</style>\n</head>\n<body>\n"
        page += "<header><h1>\(title)</h1>"
        if let subtitle = model.subtitle { page += "<p class=\"sub\">\(escaped(subtitle))</p>" }
        page += "</header>\n"

        // Controls: step by step, and the list of steps to jump in.
        let training = !model.iterations.isEmpty
        if !model.steps.isEmpty {
            page += "<nav id=\"controls\" aria-label=\"steps and iterations\">"
            page += "<button id=\"first\" title=\"first step (Home)\">|◀ first</button>"
            page += "<button id=\"prev\" title=\"previous step (←)\">◀ previous</button>"
            page += "<span id=\"where\" aria-live=\"polite\"></span>"
            page += "<button id=\"next\" title=\"next step (→)\">next ▶</button>"
            page += "<button id=\"last\" title=\"last step (End)\">last ▶|</button>"
            if !model.graphs.isEmpty { page += "<button id=\"zoom\" title=\"the graph at its own size, scrolled to the step (z)\" aria-pressed=\"false\">zoom</button>" }
            page += "<label for=\"jump\">go to</label><select id=\"jump\">"
            for (i, step) in model.steps.enumerated() {
                page += "<option value=\"\(i)\">\(i + 1). \(escaped(place(step)))\(escaped(step.text))</option>"
            }
            page += "</select>"
        } else {
            page += "<nav id=\"controls\" aria-label=\"iterations\">"
        }
        if training { page += sliderControls() }
        page += "</nav>\n"

        // The graph of each iteration recorded in full, then every step's text.
        // Without a graph to show, the step's text takes the whole width.
        page += model.graphs.isEmpty ? "<main id=\"main\" class=\"text-only\">\n<div id=\"graphs\" hidden>" : "<main id=\"main\">\n<div id=\"graphs\">"
        for (k, figure) in model.graphs.enumerated() {
            let layout: DisplayList
            do {
                layout = try figure.layout(theme: theme, measurer: measurer)
            } catch {
                throw LessonError("could not lay out the graph figure: \(error)")
            }
            // Every graph can be shown at the slide's text size (z: zoom), scrolling sideways to the step; one
            // more than 2.5 slides wide (a long chain) is, from the start, since scaled to the window its text
            // would be too small to read.
            let wide = layout.size.width > Theme.slides.pageSize.width * 2.5
            page += "<figure class=\"graph\(wide ? " wide" : "")\" id=\"graph\(k)\" style=\"--width: \(SVGWriter.number(layout.size.width))px\" hidden>"
            page += SVGWriter.svg(layout, prefix: "g\(k)", label: "the computational graph with each edge's value above it and its gradient below it")
            page += "</figure>"
        }
        page += "</div>\n<div id=\"steps\">\n"
        for (i, step) in model.steps.enumerated() {
            page += "<section class=\"step \(step.phase)\" id=\"s\(i)\" data-graph=\"\(step.graph)\""
            // Tags as they appear in the figure's ids (SVGWriter.identifier).
            if let highlight = step.highlight { page += " data-hl=\"\(escaped(SVGWriter.identifier(highlight)))\"" }
            if let iteration = step.iteration { page += " data-it=\"\(iteration)\"" }
            if !step.hidden.isEmpty { page += " data-hide=\"\(escaped(step.hidden.map(SVGWriter.identifier).joined(separator: "|")))\"" }
            page += " hidden>"
            page += "<p class=\"place\">step \(i + 1) of \(model.steps.count) · \(escaped(place(step)))\(step.phase)</p>"
            page += "<p class=\"formula\">\(escaped(step.formula))</p>"
            if let rule = step.rule { page += "<p class=\"rule\">\(escaped(rule))</p>" }
            page += "<div class=\"values\">"
            for value in step.values {
                page += "<div class=\"value \(value.isGradient ? "grad" : "val")\"><span class=\"label\">\(escaped(value.label))</span>"
                page += tensor(value.tensor) + "</div>"
            }
            page += "</div><p class=\"text\">\(escaped(step.text))</p></section>\n"
        }
        page += "<section id=\"update-only\" hidden><p class=\"place\" id=\"uo-place\"></p><p class=\"formula\" id=\"uo-text\"></p>"
        // Iterations recorded in full, run by run: `1, 2, 10` or `zero: 1, 2, 10; random: 1, 2, 10`.
        var groups: [(run: String?, numbers: [String])] = []
        for it in model.iterations where it.firstStep != nil {
            if groups.last.map({ $0.run == it.run }) != true { groups.append((it.run, [])) }
            groups[groups.count - 1].numbers.append(String(it.number))
        }
        let full = groups.map { ($0.run.map { "\($0): " } ?? "") + $0.numbers.joined(separator: ", ") }.joined(separator: "; ")
        page += full.isEmpty ? "<p>This run's trace holds no graph to step through: what it recorded at each iteration is in the tables below. "
            : "<p>This iteration was recorded as its update only: its loss and the parameters after it. Iterations recorded in full: \(full) (↑ ↓ or the slider)."
        page += "</p></section>\n</div>\n</main>\n"
        if training { page += try trainingFigures() }

        var keys: [String] = []
        if !model.steps.isEmpty { keys.append("→ or n: next step · ← or p: previous step · Home / End: first / last step") }
        if !model.graphs.isEmpty { keys.append("z: the graph at its own size (zoom), or fitted to the window") }
        if training { keys.append("↓ or ]: next iteration · ↑ or [: previous iteration · PgDn / PgUp: 10 iterations") }
        page += "<section id=\"help\"><h2>Keys</h2><p>" + keys.joined(separator: " · ")
        page += ". Values are <span class=\"val\">green</span>, gradients <span class=\"grad\">vermillion</span>, as in the figures.</p></section>\n"
        page += "<details id=\"about\"><summary>Settings and results</summary>"
        page += keyValueTable("settings", model.settings) + keyValueTable("summary", model.summary)
        page += "<p>Written by nnsim \(NNSimVersion.current). The page needs no network: everything it shows is in this file.</p></details>\n"
        if training { page += "<script type=\"application/json\" id=\"iterations\">\(iterationData())</script>\n" }
        page += "<script>\n\(Self.script)</script>\n</body>\n</html>\n"
        return Array(page.utf8)
    }

    /// `iteration 3 of 5000 · ` for a step of a training run; nothing otherwise.
    func place(_ step: ViewerModel.Step) -> String {
        guard let i = step.iteration, model.iterations.indices.contains(i) else { return "" }
        return iterationLabel(model.iterations[i]) + " · "
    }

    func iterationLabel(_ iteration: ViewerModel.Iteration) -> String {
        (iteration.run.map { "\($0): " } ?? "") + "iteration \(iteration.number) of \(iteration.of)"
    }

    /// The iteration slider, in the controls' bar.
    func sliderControls() -> String {
        var s = "<div id=\"iteration-controls\"><label for=\"slider\">iteration</label>"
        s += "<input type=\"range\" id=\"slider\" min=\"0\" max=\"\(model.iterations.count - 1)\" value=\"0\" step=\"1\">"
        s += "<output id=\"iteration\" for=\"slider\" aria-live=\"polite\"></output><span id=\"loss-value\"></span>"
        if model.iterations.count < model.iterationCount {
            let every = (model.iterationCount + ViewerModel.maxIterations - 1) / ViewerModel.maxIterations
            s += "<span class=\"note\">(every \(Self.ordinal(every)) of \(model.iterationCount) iterations in all, and those recorded in full)</span>"
        }
        return s + "</div>"
    }

    /// `2nd`, `3rd`, `5th`, `11th`, `21st`.
    static func ordinal(_ n: Int) -> String {
        let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
        return "\(n)\(suffix)"
    }

    /// The loss curve with its cursors, and the parameter tables (filled per iteration).
    func trainingFigures() throws(LessonError) -> String {
        // With frames, three columns: the loss curve, the figure at the iteration, the parameters.
        var s = "<section id=\"training\"\(model.frames.isEmpty ? "" : " class=\"with-frames\"") aria-label=\"the loss and the parameters\">"
        if let plot = model.lossPlot {
            let layout = plot.layout(theme: theme, measurer: measurer)
            s += "<figure id=\"loss\">" + SVGWriter.svg(layout, prefix: "loss", label: "the loss at every iteration, with the current iteration marked") + "</figure>"
        }
        if !model.frames.isEmpty { s += try frameFigures() }
        let first = model.iterations.first
        s += "<div id=\"params\">"
        if let first, !first.params.isEmpty { s += "<h2>Parameters after the iteration</h2>" }
        for (name, value) in first?.params.entries ?? [] {
            s += "<div class=\"param val\" data-name=\"\(escaped(name))\"><span class=\"label\">\(escaped(name))</span>" + tensor(value) + "</div>"
        }
        s += "</div></section>\n"
        return s
    }

    /// The figure drawn after each chosen iteration (decision regions, a perceptron's boundary), one shown
    /// at a time by the slider: the nearest drawn to the iteration, its own iteration in its caption.
    func frameFigures() throws(LessonError) -> String {
        var s = "<div id=\"frames\">"
        for (k, frame) in model.frames.enumerated() {
            let layout: DisplayList
            do {
                layout = try frame.figure.layout(theme: theme, measurer: measurer)
            } catch {
                throw LessonError("could not lay out the figure after an iteration: \(error)")
            }
            let it = model.iterations[frame.iteration]
            s += "<figure class=\"frame\" id=\"frame\(k)\" data-it=\"\(frame.iteration)\" data-number=\"\(it.number)\""
            // The plane's ranges, for the tests to read a point's coordinates back from the drawing.
            let ranges: [Double]? = if let plot = frame.figure as? DecisionRegionPlot {
                [plot.xRange.lowerBound, plot.xRange.upperBound, plot.yRange.lowerBound, plot.yRange.upperBound]
            } else if let plot = frame.figure as? ContourPlot {
                [plot.xRange.lowerBound, plot.xRange.upperBound, plot.yRange.lowerBound, plot.yRange.upperBound]
            } else { nil }
            if let ranges { s += " data-plane=\"\(ranges.map { String($0) }.joined(separator: " "))\"" }
            s += k == 0 ? ">" : " hidden>"
            s += "<figcaption>drawn after \(escaped(frame.caption ?? iterationLabel(it)))</figcaption>"
            s += SVGWriter.svg(layout, prefix: "f\(k)", label: frame.caption.map { "the contour of f and each optimizer's path up to \($0)" }
                               ?? "the model after \(iterationLabel(it)) over the input plane, with the samples")
            s += "</figure>"
        }
        return s + "</div>"
    }

    /// Per iteration: its label, loss text, cursor, first step, frame (−1: none) and each parameter's shown
    /// entries, as JSON text (every number already formatted).
    func iterationData() -> String {
        var s = "["
        s.reserveCapacity(model.iterations.count * 200)
        for (i, it) in model.iterations.enumerated() {
            if i > 0 { s += ",\n" }
            s += "[" + json(iterationLabel(it)) + "," + json(it.loss.map { "L = " + NumberFormat.display($0) } ?? "") + ","
            s += "\(it.cursor ?? -1),\(it.firstStep ?? -1),\(it.frame ?? -1)"
            for (_, value) in it.params.entries {
                s += ",[" + shownEntries(value).map(json).joined(separator: ",") + "]"
            }
            s += "]"
        }
        return s + "]"
    }

    /// The entries a tensor's table shows, row by row, as text.
    func shownEntries(_ value: Tensor) -> [String] {
        if value.isScalar || value.count == 1 && value.rank <= 1 { return [NumberFormat.display(value.scalars.first ?? .nan)] }
        let rows = value.rank == 1 ? [value.scalars] : value.rows
        return rows.prefix(Self.maxShown).flatMap { $0.prefix(Self.maxShown).map { NumberFormat.display($0) } }
    }

    /// ` = 2` for a number, else a table with the entries right-aligned (the first rows and columns of a large one).
    func tensor(_ value: Tensor) -> String {
        let entries = shownEntries(value)
        if value.isScalar || value.count == 1 && value.rank <= 1 { return " = <span class=\"n\">\(escaped(entries[0]))</span>" }
        let rows = value.rank == 1 ? 1 : value.rows.count
        let columns = value.rank == 1 ? value.count : (value.shape.last ?? 0)
        let shownRows = min(rows, Self.maxShown), shownColumns = min(columns, Self.maxShown)
        var s = " = <table class=\"m\"><tbody>"
        for r in 0..<shownRows {
            s += "<tr>"
            for c in 0..<shownColumns { s += "<td>\(escaped(entries[r * shownColumns + c]))</td>" }
            s += "</tr>"
        }
        s += "</tbody></table>"
        if shownRows < rows || shownColumns < columns {
            s += "<span class=\"note\">(\(value.shapeDescription): the first \(shownRows) rows and \(shownColumns) columns)</span>"
        }
        return s
    }

    func keyValueTable(_ caption: String, _ rows: [(key: String, value: String)]) -> String {
        guard !rows.isEmpty else { return "" }
        return "<table class=\"kv\"><caption>\(caption)</caption><tbody>"
            + rows.map { "<tr><th scope=\"row\">\(escaped($0.key))</th><td>\(escaped($0.value))</td></tr>" }.joined()
            + "</tbody></table>"
    }

    func escaped(_ text: String) -> String { SVGWriter.escaped(text) }

    /// A JSON string (inside a `<script type="application/json">`, so `<` is escaped too).
    func json(_ text: String) -> String {
        var s = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": s += "\\\""
            case "\\": s += "\\\\"
            case "<": s += "\\u003c"
            case "\n": s += "\\n"
            default:
                if scalar.value < 0x20 { s += String(format: "\\u%04x", scalar.value) } else { s.unicodeScalars.append(scalar) }
            }
        }
        return s + "\""
    }

    /// The page's colours, all the scheme's (ColorScheme, where ThemeTests checks their contrast): text in
    /// the foreground, secondary text muted, values and gradients in the forward and gradient colours,
    /// rules in the grid's colour; buttons a step from the page towards the text (contrast checked in
    /// ViewerModelTests); `color-scheme` so that the browser draws its controls and scroll bars to match.
    static func colours(_ scheme: ColorScheme) -> String {
        let control = scheme.background.mixed(with: scheme.foreground, 0.04)
        return ":root { color-scheme: \(scheme.name == .dark ? "dark" : "light"); --fg: \(scheme.foreground.hexString); "
            + "--bg: \(scheme.background.hexString); --muted: \(scheme.muted.hexString); --rule: \(scheme.grid.hexString); "
            + "--control: \(control.hexString); --focus: \(scheme.right.hexString); "
            + "--value: \(scheme.forward.hexString); --gradient: \(scheme.gradient.hexString); }\n"
    }

    static let style = """
    html { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: clamp(15px, 1.2vw, 24px); color: var(--fg); background: var(--bg); }
    body { margin: 0 auto; padding: 0.5rem 1rem 2rem; max-width: 120rem; }
    h1 { font-size: 1.4rem; margin: 0.2rem 0; } h2 { font-size: 1rem; margin: 0.3rem 0; }
    .sub { margin: 0; color: var(--muted); font-family: "DejaVu Sans Mono", monospace; }
    nav#controls { position: sticky; top: 0; z-index: 2; background: var(--bg); display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; padding: 0.4rem 0; border-bottom: 1px solid var(--rule); }
    button, select, input { font: inherit; color: var(--fg); }
    select { background: var(--control); }
    button { padding: 0.2rem 0.7rem; border: 2px solid var(--muted); border-radius: 0.3rem; background: var(--control); cursor: pointer; }
    button:disabled { opacity: 0.4; cursor: default; }
    :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
    #where { min-width: 9rem; font-weight: bold; }
    /* A step list of its own fixed size: one sized by its text relaid the whole bar at every step, 20 ms of
       a step's 32 ms in headless Chromium (benchmarks/viewer). */
    select#jump { width: 32rem; max-width: 100%; height: 2em; flex: none; contain: strict; }
    #iteration-controls { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: center; flex-basis: 100%; }
    #slider { flex: 1 1 20rem; }
    #iteration { font-weight: bold; min-width: 12rem; } #loss-value { color: var(--value); font-weight: bold; }
    #training { border-top: 1px solid var(--rule); margin-top: 0.5rem; padding-top: 0.3rem; display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
    #loss { margin: 0; }
    #training.with-frames { grid-template-columns: repeat(3, minmax(0, 1fr)); }
    #frames figcaption { color: var(--muted); font-size: 0.9rem; }
    #params { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; align-content: flex-start; } #params h2 { flex-basis: 100%; }
    main { display: grid; grid-template-columns: minmax(0, 2fr) minmax(20rem, 1fr); gap: 1rem; align-items: start; margin-top: 0.5rem; }
    main.text-only { grid-template-columns: minmax(0, 1fr); }
    figure, #steps, #training { contain: content; }
    figure { margin: 0; } svg { width: 100%; height: auto; display: block; }
    figure.wide, body.zoom figure.graph { overflow-x: auto; } figure.wide svg, body.zoom figure.graph svg { width: var(--width); max-width: none; }
    svg text { white-space: pre; }
    [data-tag^="highlight:"] { display: none; } [data-tag^="highlight:"].on { display: inline; }
    [data-tag^="cursor:"] { display: none; } [data-tag^="cursor:"].on { display: inline; }
    .later { visibility: hidden; }
    .step .place, #update-only .place { color: var(--muted); margin: 0.2rem 0; }
    .formula { font-size: 1.25rem; margin: 0.3rem 0; } .rule { margin: 0.3rem 0; font-style: italic; }
    .text { color: var(--muted); font-size: 0.85rem; overflow-wrap: anywhere; }
    .value, .param { margin: 0.35rem 0; display: flex; align-items: center; flex-wrap: wrap; gap: 0.3rem; }
    .val, .val .n, .val td { color: var(--value); } .grad, .grad .n, .grad td { color: var(--gradient); }
    .label { color: var(--fg); font-weight: bold; }
    table.m { border-collapse: collapse; border-left: 2px solid var(--fg); border-right: 2px solid var(--fg); font-family: "DejaVu Sans Mono", monospace; font-variant-numeric: tabular-nums; }
    table.m td { text-align: right; padding: 0 0.4rem; }
    .note { color: var(--muted); font-size: 0.85rem; }
    table.kv { border-collapse: collapse; margin: 0.5rem 1rem 0.5rem 0; display: inline-table; vertical-align: top; }
    table.kv caption { text-align: left; font-weight: bold; } table.kv th, table.kv td { text-align: left; padding: 0.1rem 0.6rem 0.1rem 0; }
    #help { margin-top: 1rem; color: var(--muted); font-size: 0.9rem; }
    @media (max-width: 900px) { main, #training, #training.with-frames { grid-template-columns: minmax(0, 1fr); } }
    @media print { nav#controls, #help { display: none; } }

    """

    static let script = """
    "use strict";
    (function () {
      const steps = Array.from(document.querySelectorAll("section.step"));
      const dataNode = document.getElementById("iterations");
      const iterations = dataNode ? JSON.parse(dataNode.textContent) : [];
      const slider = document.getElementById("slider");
      const jump = document.getElementById("jump");
      const $ = (id) => document.getElementById(id);
      let current = -1, iteration = -1, shown = [];
      // The frame shown beside the loss curve: the first is shown until an iteration chooses.
      let frame = document.getElementById("frame0") ? 0 : -1;
      function clear() { for (const [el, cls] of shown) el.classList.remove(cls); shown = []; }
      function mark(el, cls) { if (el) { el.classList.add(cls); shown.push([el, cls]); } }
      function showFigure(k) {
        document.querySelectorAll("figure.graph").forEach((f) => { f.hidden = f.id !== "graph" + k; });
      }
      function showIteration(i) {
        if (!iterations.length) return;
        i = Math.max(0, Math.min(iterations.length - 1, i));
        iteration = i;
        const it = iterations[i];
        slider.value = String(i);
        $("iteration").textContent = it[0];
        $("loss-value").textContent = it[1];
        document.querySelectorAll('#loss [data-tag^="cursor:"].on').forEach((c) => c.classList.remove("on"));
        if (it[2] >= 0) { const c = $("loss:cursor:" + it[2]); if (c) c.classList.add("on"); }
        if (it[4] !== frame) {
          if (frame >= 0) $("frame" + frame).hidden = true;
          frame = it[4];
          if (frame >= 0) $("frame" + frame).hidden = false;
        }
        document.querySelectorAll("#params .param").forEach((p, k) => {
          const entries = it[5 + k] || [];
          const cells = p.querySelectorAll("td, .n");
          cells.forEach((cell, j) => { cell.textContent = entries[j] !== undefined ? entries[j] : ""; });
        });
      }
      function showStep(s) {
        if (!steps.length) return;
        s = Math.max(0, Math.min(steps.length - 1, s));
        clear();
        if (current >= 0) steps[current].hidden = true;
        $("update-only").hidden = true;
        current = s;
        const step = steps[s];
        step.hidden = false;
        const g = step.dataset.graph;
        showFigure(g);
        if (step.dataset.hl) {
          const halo = $("g" + g + ":" + step.dataset.hl);
          mark(halo, "on");
          // In a graph wider than the screen, bring the step's node or edge into view.
          const figure = $("graph" + g);
          if (halo && (figure.classList.contains("wide") || document.body.classList.contains("zoom"))) {
            const box = halo.getBoundingClientRect(), frame = figure.getBoundingClientRect();
            if (box.left < frame.left || box.right > frame.right) figure.scrollLeft += (box.left + box.right) / 2 - (frame.left + frame.right) / 2;
          }
        }
        // A label drawn in several lines has one element per line: T, T~2, T~3…
        if (step.dataset.hide) for (const tag of step.dataset.hide.split("|")) {
          for (let k = 1, el; (el = $("g" + g + ":" + tag + (k > 1 ? "~" + k : ""))); k++) mark(el, "later");
        }
        $("where").textContent = "step " + (s + 1) + " of " + steps.length;
        jump.value = String(s);
        $("prev").disabled = s === 0; $("first").disabled = s === 0;
        $("next").disabled = s === steps.length - 1; $("last").disabled = s === steps.length - 1;
        if (step.dataset.it !== undefined && Number(step.dataset.it) !== iteration) showIteration(Number(step.dataset.it));
      }
      function goToIteration(i) {
        i = Math.max(0, Math.min(iterations.length - 1, i));
        const first = iterations[i][3];
        if (first >= 0) { iteration = -1; showStep(first); if (iteration !== i) showIteration(i); return; }
        clear();
        if (current >= 0) steps[current].hidden = true;
        current = -1;
        showFigure(-1);
        showIteration(i);
        $("update-only").hidden = false;
        $("uo-place").textContent = iterations[i][0];
        $("uo-text").textContent = iterations[i][1];
        if ($("where")) {
          // From here ← and → go to the nearest iteration recorded in full on either side, if any.
          $("where").textContent = "no steps recorded here";
          jump.selectedIndex = -1;
          const before = iterations.slice(0, i).some((it) => it[3] >= 0), after = iterations.slice(i + 1).some((it) => it[3] >= 0);
          $("prev").disabled = !before; $("first").disabled = false;
          $("next").disabled = !after; $("last").disabled = false;
        }
      }
      function move(delta) {
        if (current < 0) {
          // From an iteration recorded as its update only, to the nearest step that way.
          let s = -1;
          if (delta > 0) s = steps.findIndex((step) => Number(step.dataset.it) > iteration);
          else for (let k = steps.length - 1; k >= 0; k--) if (Number(steps[k].dataset.it) < iteration) { s = k; break; }
          if (s >= 0) showStep(s);
          return;
        }
        showStep(current + delta);
      }
      if ($("next")) {
        $("next").addEventListener("click", () => move(1));
        $("prev").addEventListener("click", () => move(-1));
        $("first").addEventListener("click", () => showStep(0));
        $("last").addEventListener("click", () => showStep(steps.length - 1));
        jump.addEventListener("change", () => showStep(Number(jump.value)));
      }
      if (slider) slider.addEventListener("input", () => goToIteration(Number(slider.value)));
      function zoom() {
        const on = document.body.classList.toggle("zoom");
        $("zoom").setAttribute("aria-pressed", String(on));
        if (current >= 0) { const s = current; current = -1; steps[s].hidden = true; showStep(s); }
      }
      if ($("zoom")) $("zoom").addEventListener("click", zoom);
      document.addEventListener("keydown", (e) => {
        if (e.altKey || e.ctrlKey || e.metaKey) return;
        const t = e.target;
        if (t && (t.tagName === "SELECT" || t.tagName === "INPUT" || t.tagName === "TEXTAREA")) return;
        const it = iteration < 0 ? 0 : iteration;
        switch (e.key) {
          case "ArrowRight": case "n": move(1); break;
          case "ArrowLeft": case "p": move(-1); break;
          case "Home": showStep(0); break;
          case "z": if (!$("zoom")) return; zoom(); break;
          case "End": showStep(steps.length - 1); break;
          case "ArrowDown": case "]": if (!iterations.length) return; goToIteration(it + 1); break;
          case "ArrowUp": case "[": if (!iterations.length) return; goToIteration(it - 1); break;
          case "PageDown": if (!iterations.length) return; goToIteration(it + 10); break;
          case "PageUp": if (!iterations.length) return; goToIteration(it - 10); break;
          default: return;
        }
        e.preventDefault();
      });
      if (steps.length) showStep(0); else if (iterations.length) goToIteration(0);
      document.body.dataset.shownAt = String(Math.round(performance.now()));
      document.body.dataset.ready = "true";
    })();

    """
}
