#!/usr/bin/python3
"""The viewer page (docs/viewer.md) in a real browser: Debian's chromium, headless, through chromedriver
and python3-selenium (scripts/setup installs all three; nothing is downloaded).

  viewer-browser.py check SHOTS MAX PAGE.html TRACE.json [PAGE.html TRACE.json ...]   opens each page (in one
      browser) as a student's laptop (1366x768) and a
      lecturer's projector (1920x1080) would, steps through it with the keys, reads the numbers shown from
      the DOM and compares them with the trace, checks that no request left the page and nothing was logged
      as an error, that every kind of text reads on what it is drawn on (WCAG 4.5:1, as the page's browser
      computes its colours) and that each figure's page is the page's colour (a dark page has dark figures),
      and saves screenshots SHOTS/NAME-laptop-*.png and SHOTS/NAME-projector-*.png (NAME:
      the trace's file name without .json). MAX: the most steps checked one by one on the laptop (12 on the projector). Prints
      one line per page; exits 1 on a mismatch, 2 when the browser cannot start.
  viewer-browser.py bench PAGE.html [RUNS]   the time to open the page (navigation start to the load event
      and to the first step shown) and to show a step after a key, as medians over RUNS fresh loads.

Run by Tests/nnsimTests/ViewerBrowserTests.swift and benchmarks/viewer.
"""
import json, math, re, statistics, sys, time

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError as error:
    print("the viewer's browser tests need python3-selenium (run scripts/setup, or apt-get install chromium chromium-driver python3-selenium): %s" % error)
    sys.exit(2)


def browser(width, height):
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                     "--window-size=%d,%d" % (width, height), "--force-device-scale-factor=1", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    try:
        return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    except Exception as error:  # a missing or broken browser fails the suite with this, not a skip
        print("could not start headless chromium through /usr/bin/chromedriver (run scripts/setup, or apt-get install chromium chromium-driver python3-selenium): %s"
              % str(error).strip().splitlines()[0])
        sys.exit(2)


def number(text):
    """A number as NumberFormat.display writes it: true minus, 4.54e−5, inf, nan."""
    text = text.strip().replace("\u2212", "-")
    return float(text)


def close(shown, recorded):
    """Four significant digits, as shown."""
    if isinstance(recorded, str):
        recorded = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}[recorded]
    if math.isnan(recorded):
        return math.isnan(shown)
    if math.isinf(recorded):
        return shown == recorded
    return abs(shown - recorded) <= 6e-4 * abs(recorded) + 1e-300


def flat(tensor):
    """The entries a table shows, row by row: the first 12 rows and 12 columns (ViewerPage.maxShown)."""
    if isinstance(tensor, list):
        if tensor and isinstance(tensor[0], list):
            return [x for row in tensor[:12] for x in row[:12]]
        return tensor[:12]
    return [tensor]


STATE = """function () {
          const visible = (el) => el && !el.hidden && el.getClientRects().length > 0;
          const section = Array.from(document.querySelectorAll('section.step')).find(visible);
          const numbers = (el) => Array.from(el.querySelectorAll('td, .n')).map((c) => c.textContent);
          const figure = Array.from(document.querySelectorAll('figure.graph')).find(visible);
          const on = figure ? Array.from(figure.querySelectorAll('.on')).map((e) => e.dataset.tag) : [];
          const later = figure ? Array.from(figure.querySelectorAll('.later')).map((e) => e.dataset.tag) : [];
          // A label drawn in several lines is one tag on several elements: every one of them is hidden.
          const hide = section && section.dataset.hide ? section.dataset.hide.split('|') : [];
          const shownOfHidden = figure ? Array.from(figure.querySelectorAll('[data-tag]')).filter((e) =>
            hide.includes(e.dataset.tag.replace(/ /g, '_')) && !e.classList.contains('later')).length : 0;
          const it = document.getElementById('iteration');
          return {
            where: (document.getElementById('where') || {}).textContent || '',
            section: section ? section.id : null,
            phase: section ? section.className.replace('step ', '') : null,
            place: section ? section.querySelector('.place').textContent : '',
            formula: section ? section.querySelector('.formula').textContent : '',
            highlight: section ? (section.dataset.hl || null) : null,
            hidden: section && section.dataset.hide ? section.dataset.hide.split('|') : [],
            values: section ? Array.from(section.querySelectorAll('.value')).map((v) =>
              [v.querySelector('.label').textContent, v.classList.contains('grad'), numbers(v)]) : [],
            on: on, later: later, shownOfHidden: shownOfHidden,
            iteration: it ? it.textContent : null,
            loss: (document.getElementById('loss-value') || {}).textContent || '',
            cursors: Array.from(document.querySelectorAll('#loss .on')).length,
            params: Array.from(document.querySelectorAll('#params .param')).map((p) => [p.dataset.name, numbers(p)]),
            updateOnly: visible(document.getElementById('update-only')),
            frames: Array.from(document.querySelectorAll('figure.frame')).filter(visible).map((f) => {
              const box = (e) => { const b = e.getBBox(); return [b.x + b.width / 2, b.y + b.height / 2]; };
              const area = f.querySelector('path[data-tag="frame"]');
              const boundary = f.querySelector('path[data-tag="boundary"]');
              return {
                caption: f.querySelector('figcaption').textContent, number: Number(f.dataset.number),
                plane: (f.dataset.plane || '').split(' ').map(Number),
                area: area ? (() => { const b = area.getBBox(); return [b.x, b.y, b.width, b.height]; })() : null,
                ends: Array.from(f.querySelectorAll('path[data-tag^="end:"]')).map((e) => [e.dataset.tag.slice(4)].concat(box(e))),
                samples: Array.from(f.querySelectorAll('path[data-tag^="sample:"]')).map((e) => [Number(e.dataset.tag.split(':')[1])].concat(box(e))),
                rings: Array.from(f.querySelectorAll('path[data-tag="misclassified"]')).map(box),
                boundary: boundary ? boundary.getAttribute('d') : '',
              };
            }),
          };
}"""


COLOURS = """() => {
  const rgba = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = (c) => {
    const l = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const page = rgba(getComputedStyle(document.documentElement).backgroundColor);
  // What an element is drawn on: the first ancestor (or itself) with a background that is not transparent.
  const under = (el) => {
    for (let e = el; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0) return c; }
    return page;
  };
  const texts = [];
  for (const sel of ['h1', '.sub', '#where', '.place', '.formula', '.rule', '.text', '.val .n', '.val td', '.grad .n', '.grad td', '.label',
                     '.note', '#help', 'button', 'select', 'label', '#iteration', '#loss-value', 'figcaption', 'table.kv td']) {
    const el = document.querySelector(sel);
    if (el) texts.push([sel, ratio(rgba(getComputedStyle(el).color), under(el))]);
  }
  const figures = Array.from(document.querySelectorAll('figure svg')).map((svg) => {
    const rect = svg.querySelector('rect');
    return rect ? ratio(rgba(getComputedStyle(rect).fill), page) : 1;
  });
  return {texts: texts, figures: figures};
}"""


class Page:
    def __init__(self, driver, path):
        self.driver = driver
        self.path = path
        self.problems = []

    def open(self):
        self.driver.get("file://" + self.path)
        for _ in range(200):
            if self.driver.execute_script("return document.body && document.body.dataset.ready === 'true'"):
                return
            time.sleep(0.02)
        raise RuntimeError("the page's script did not run (no data-ready on body)")

    def key(self, key):
        self.driver.find_element(By.TAG_NAME, "body").send_keys(key)

    def state(self):
        """What the page shows now, read from the DOM: the visible step's section (or the update-only
        note), its values as numbers, the highlight, the iteration and the parameter tables."""
        return self.driver.execute_script("return (" + STATE + ")();")

    def walk(self, count):
        """The state after each of `count` presses of the next button, from the current step, in one call
        (a round trip per step would make the test slow); the keys are pressed for real elsewhere."""
        return self.driver.execute_script(
            "const read = " + STATE + "; const states = [];"
            "for (let k = 0; k < arguments[0]; k++) { states.push(read()); if (k + 1 < arguments[0]) document.getElementById('next').click(); }"
            "return states;", count)

    def expect(self, condition, message):
        if not condition:
            self.problems.append(message)


PLACE = re.compile(r"(?:(\S+): )?iteration (\d+) of (\d+)")


def trace_steps(trace):
    """Steps by (run, number): run None in a trace of one run (version 2; version 1 has one list)."""
    runs = trace.get("runs") or [{"name": "main", "steps": trace.get("steps", [])}]
    return {(run["name"] if len(runs) > 1 else None, step["step"]): step for run in runs for step in run["steps"]}


def find(steps, text):
    """The trace's step that a label `RUN: iteration N of M` names."""
    match = PLACE.search(text)
    return steps.get((match.group(1), int(match.group(2)))) if match else None


def check(driver, page_path, trace_path, shots, max_steps):
    trace = json.load(open(trace_path))
    steps = trace_steps(trace)
    first_step = next(iter(steps.values()))
    checked = 0
    for name, (width, height) in [("laptop", (1366, 768)), ("projector", (1920, 1080))]:
        driver.set_window_size(width, height)
        page = Page(driver, page_path)
        try:
            page.open()
            state = page.state()
            total = int(state["where"].split(" of ")[1]) if " of " in state["where"] else 0
            projector = name == "projector"
            colours = driver.execute_script("return (" + COLOURS + ")();")
            for sel, ratio in colours["texts"]:
                page.expect(ratio >= 4.5, "%s: text contrast %.2f with what it is on, under 4.5" % (sel, ratio))
            page.expect(colours["texts"], "no text found to check its contrast")
            page.expect(all(r < 1.05 for r in colours["figures"]), "a figure's page is not the page's colour: ratios %r" % colours["figures"][:5])
            # Every step (on the laptop), or the first 30 (on the projector): what is shown is the trace's.
            last = min(total, max_steps if not projector else 12)
            # Real keys for the first steps, then the button for the rest (one call for all of them).
            keyed = min(last, 1 if projector else 4)
            states = []
            for k in range(keyed):
                states.append(page.state())
                if k + 1 < last:
                    page.key(Keys.ARROW_RIGHT)
            if last > keyed:
                states += page.walk(last - keyed)
            for k, state in enumerate(states):
                page.expect(state["where"] == "step %d of %d" % (k + 1, total), "step %d: the counter reads %r" % (k + 1, state["where"]))
                page.expect(state["section"] == "s%d" % k, "step %d: section %r is shown" % (k + 1, state["section"]))
                page.expect(len(state["on"]) == (1 if state["highlight"] else 0) and (not state["on"] or state["on"][0].replace(" ", "_") == state["highlight"]),
                            "step %d: highlighted %r, expected %r" % (k + 1, state["on"], state["highlight"]))
                page.expect(len(set(state["later"])) == len(state["hidden"]) and state["shownOfHidden"] == 0,
                            "step %d: %d labels hidden (%d lines of them shown), %d expected" % (k + 1, len(set(state["later"])), state["shownOfHidden"], len(state["hidden"])))
                checked += compare(page, state, steps, first_step, trace, k + 1)
            # Back and forth, and the ends.
            if total > 1 and not projector:
                page.key(Keys.ARROW_LEFT)
                page.expect(page.state()["where"] == "step %d of %d" % (max(1, last - 1), total), "← went back one step")
                page.key(Keys.END)
                page.expect(page.state()["where"] == "step %d of %d" % (total, total), "End goes to the last step")
                page.key(Keys.HOME)
                page.expect(page.state()["where"] == "step 1 of %d" % total, "Home goes to step 1")
            # Iterations: ↓ and PgDn move the slider; the tables show that iteration's parameters.
            if page.state()["iteration"] is not None and not projector:
                for key, label in [(Keys.ARROW_DOWN, "↓"), (Keys.ARROW_DOWN, "↓"), (Keys.PAGE_DOWN, "PgDn"), (Keys.ARROW_UP, "↑")]:
                    page.key(key)
                    state = page.state()
                    number_shown = state["iteration"]
                    step = find(steps, state["iteration"])
                    page.expect(step is not None, "%s: iteration %r is not in the trace" % (label, state["iteration"]))
                    if step:
                        nodes = {n["name"]: n for n in step.get("nodes") or []}
                        for pname, shown in state["params"]:
                            recorded = flat(step["params"][pname])
                            page.expect(len(shown) == len(recorded) and all(close(number(s), r) for s, r in zip(shown, recorded)),
                                        "%s: %s: %s shown %r, recorded %r" % (label, number_shown, pname, shown, recorded[:8]))
                            checked += len(shown)
                        page.expect(state["cursors"] <= 1, "%s: %d cursors shown" % (label, state["cursors"]))
                        checked += check_frame(page, state, steps, trace, label)
                        loss = step["loss"] if "loss" in step else nodes.get(step.get("output"), {}).get("value")
                        if isinstance(loss, (int, float)):
                            page.expect(state["loss"].startswith("L = ") and close(number(state["loss"][4:]), loss),
                                        "%s: %s: %r shown, the trace's loss is %r" % (label, number_shown, state["loss"], loss))
            # Screenshots (placed by the step list and the slider, the keys having been checked): a step in the
            # middle of the first iteration's backward pass, the last step, and an iteration recorded as its
            # update only (when there is one).
            def go(step=None, iteration=None):
                driver.execute_script(
                    "if (arguments[0] !== null) { const j = document.getElementById('jump'); j.value = String(arguments[0]); j.dispatchEvent(new Event('change')); }"
                    "if (arguments[1] !== null) { const s = document.getElementById('slider'); s.value = String(arguments[1]); s.dispatchEvent(new Event('input')); }",
                    step, iteration)
            if total:
                go(step=min(total, 8) - 1)
                driver.save_screenshot("%s-%s-step.png" % (shots, name))
            if page.state()["iteration"] is not None:
                if total:
                    go(step=total - 1)
                    driver.save_screenshot("%s-%s-end.png" % (shots, name))
                count = int(driver.execute_script("return document.getElementById('slider').max")) + 1
                go(iteration=(count * 9) // 10)
                driver.save_screenshot("%s-%s-iteration.png" % (shots, name))
                if driver.execute_script("return !!document.getElementById('frames')"):
                    driver.execute_script("document.getElementById('training').scrollIntoView()")
                    driver.save_screenshot("%s-%s-frame.png" % (shots, name))
                    driver.execute_script("window.scrollTo(0, 0)")
            # z shows the graph at its own size, scrolled to the step; z again fits it to the window.
            if total and not projector and driver.execute_script("return !!document.getElementById('zoom')"):
                go(step=min(total, 8) - 1)
                page.key("z")
                page.expect(driver.execute_script("return document.body.classList.contains('zoom')"), "z did not zoom the graph")
                driver.save_screenshot("%s-%s-zoom.png" % (shots, name))
                page.key("z")
                page.expect(not driver.execute_script("return document.body.classList.contains('zoom')"), "z again did not fit the graph")
            # No request left the page, nothing was logged as an error.
            for entry in driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                if message["method"] == "Network.requestWillBeSent":
                    url = message["params"]["request"]["url"]
                    page.expect(url == "file://" + page_path or url.startswith("data:"), "the page requested %s" % url)
            for entry in driver.get_log("browser"):
                page.expect(entry["level"] not in ("SEVERE", "ERROR", "WARNING"), "the console logged %s: %s" % (entry["level"], entry["message"]))
        finally:
            pass
        if page.problems:
            print("%s (%s): %d problems, first: %s" % (page_path, name, len(page.problems), "; ".join(page.problems[:5])))
            sys.exit(1)
    print("%s: %d numbers checked against the trace" % (page_path, checked))


def activation(name, s):
    return {"sigmoid": lambda v: 1 / (1 + math.exp(-v)), "tanh": math.tanh, "relu": lambda v: max(0.0, v)}[name](s)


def check_frame(page, state, steps, trace, label):
    """The figure beside the loss curve (decision regions or a perceptron's boundary), when the page has
    them: exactly one is shown, of the slider's run and labelled with the iteration it was drawn after;
    every sample is drawn where the trace's data puts it, with its class; the ringed (misclassified)
    samples are those the network of that iteration's W1, W2 in the trace gets wrong; a perceptron's
    boundary lies on w·x = 0 for that step's w. Returns how many numbers were compared."""
    frames = state["frames"]
    if not frames:
        # Expected for a plane of data (two inputs) with a network's W1 or a perceptron's w alone.
        inputs = (trace.get("data") or {}).get("inputs") or [[]]
        params = next(iter(steps.values()))["params"]
        drawable = len(inputs[0]) == 2 and ("W1" in params or list(params) == ["w"]) or "function" in str(trace["runs"][0].get("settings"))
        page.expect(not drawable, "%s: %s: no decision regions shown" % (label, state["iteration"]))
        return 0
    page.expect(len(frames) == 1, "%s: %d frames shown at once" % (label, len(frames)))
    frame = frames[0]
    shown = PLACE.search(state["iteration"])
    drawn = PLACE.search(frame["caption"])
    page.expect(drawn is not None and int(drawn.group(2)) == frame["number"], "%s: frame captioned %r, numbered %r" % (label, frame["caption"], frame["number"]))
    x0, x1, y0, y1 = frame["plane"] if len(frame["plane"]) == 4 else (0, 1, 0, 1)
    ax, ay, aw, ah = frame["area"] or (0, 0, 1, 1)
    def plane(px, py):
        return (x0 + (px - ax) / aw * (x1 - x0), y1 - (py - ay) / ah * (y1 - y0))
    if ", every run on the " in frame["caption"]:
        # An optimizer's contour: each run's path on the surface ends where the trace has it at that iteration.
        surface = frame["caption"].split(", every run on the ")[1]
        page.expect(shown is not None and (shown.group(1) or "").startswith(surface + "-"),
                    "%s: at %r the frame of %r is shown" % (label, state["iteration"], frame["caption"]))
        count = 0
        for name, px, py in frame["ends"]:
            step = steps.get((surface + "-" + name.split(" ")[0], frame["number"]))
            x, y = plane(px, py)
            if step is None or not (x0 <= step["params"]["x"] <= x1 and y0 <= step["params"]["y"] <= y1):
                continue
            page.expect(abs(x - step["params"]["x"]) <= 0.01 * (x1 - x0) and abs(y - step["params"]["y"]) <= 0.01 * (y1 - y0),
                        "%s: %s: %s drawn at (%g, %g), the trace has (%g, %g)" % (label, frame["caption"], name, x, y, step["params"]["x"], step["params"]["y"]))
            count += 2
        page.expect(count > 0, "%s: %s: no run's point inside the window" % (label, frame["caption"]))
        return count
    page.expect(drawn is not None and shown is not None and drawn.group(1) == shown.group(1),
                "%s: at %r the frame of %r is shown" % (label, state["iteration"], frame["caption"]))
    step = find(steps, frame["caption"])
    page.expect(step is not None, "%s: frame %r is not in the trace" % (label, frame["caption"]))
    if step is None or not frame["area"] or len(frame["plane"]) != 4:
        page.expect(False, "%s: frame %r without its plane" % (label, frame["caption"]))
        return 0
    inputs, targets = trace["data"]["inputs"], [t[0] if isinstance(t, list) else t for t in trace["data"]["targets"]]
    tolerance = 0.04 * max(x1 - x0, y1 - y0)
    def nearest(px, py):
        x, y = plane(px, py)
        k = min(range(len(inputs)), key=lambda i: math.hypot(inputs[i][0] - x, inputs[i][1] - y))
        return k, math.hypot(inputs[k][0] - x, inputs[k][1] - y)
    count = 0
    found = set()
    for cls, px, py in frame["samples"]:
        k, distance = nearest(px, py)
        page.expect(distance <= tolerance and targets[k] == cls,
                    "%s: a class-%d point drawn at %r, the nearest sample %r is class %r" % (label, cls, plane(px, py), inputs[k], targets[k]))
        found.add(k)
        count += 2
    page.expect(len(found) == len(inputs), "%s: %d of %d samples drawn" % (label, len(found), len(inputs)))
    params = step["params"]
    if "W1" in params:
        settings = dict(trace.get("settings", {}))
        act = settings.get("activation", "sigmoid")
        bias = settings.get("bias-column", True)
        W1, W2 = params["W1"], params["W2"]
        wrong = set()
        for i, (x, t) in enumerate(zip(inputs, targets)):
            row = list(x) + ([1.0] if bias else [])
            z = sum(activation(act, sum(row[r] * W1[r][j] for r in range(len(row)))) * W2[j][0] for j in range(len(W2)))
            if (1 if activation("sigmoid", z) >= 0.5 else 0) != t:
                wrong.add(i)
        ringed = {nearest(px, py)[0] for px, py in frame["rings"]}
        page.expect(ringed == wrong, "%s: %s: ringed samples %r, the trace's W1, W2 misclassify %r" % (label, frame["caption"], sorted(ringed), sorted(wrong)))
        count += len(inputs)
    elif "w" in params:
        w = params["w"]
        ends = [float(v) for v in re.findall(r"-?[0-9.]+", frame["boundary"])]
        scale = abs(w[1]) + abs(w[2])
        for px, py in zip(ends[0::2], ends[1::2]):
            x, y = plane(px, py)
            page.expect(abs(w[0] + w[1] * x + w[2] * y) <= 0.01 * scale * max(x1 - x0, y1 - y0) + 1e-12,
                        "%s: the boundary passes (%g, %g), where w·x = %g for w = %r" % (label, x, y, w[0] + w[1] * x + w[2] * y, w))
            count += 2
    return count


def compare(page, state, steps, first_step, trace, k):
    """The visible step's numbers against the trace's step of its iteration. Returns how many were compared."""
    place = state["place"]
    step = first_step
    if "iteration " in place:
        step = find(steps, place)
        if step is None:
            page.expect(False, "step %d: %r is not in the trace" % (k, place))
            return 0
    nodes = {n["name"]: n for n in step.get("nodes") or []}
    if not nodes and list(step["params"]) == ["w"] and step.get("samples") and "iteration " in place:
        # A perceptron's presentation recorded as its update only: x from the data with its leading 1, w
        # after the presentation before, s = x·w, y = step(s), computed here again.
        match = PLACE.search(place)
        before = steps.get((match.group(1), int(match.group(2)) - 1))
        if before is not None:
            x = [1.0] + list(trace["data"]["inputs"][step["samples"][0]])
            w = before["params"]["w"]
            s = sum(a * b for a, b in zip(x, w))
            nodes = {"x": {"value": x}, "w": {"value": w}, "s": {"value": s}, "y": {"value": 1.0 if s > 0 else 0.0}}
    count = 0

    def same(label, shown, recorded):
        recorded = flat(recorded)
        ok = len(shown) == len(recorded) and all(close(number(s), r) for s, r in zip(shown, recorded))
        page.expect(ok, "step %d (%s): %s shown %r, the trace has %r" % (k, state["formula"], label, shown[:6], recorded[:6]))
        return len(shown)

    formula = state["formula"]
    if state["phase"] == "forward":
        name = formula.split(" = ")[0]
        page.expect(name in nodes, "step %d: %r names no node of the trace" % (k, name))
        if name in nodes:
            count += same(name, state["values"][0][2], nodes[name]["value"])
            page.expect(not state["values"][0][1], "step %d: a forward value is not in the values' colour" % k)
    elif state["phase"] == "backward":
        label, gradient, shown = state["values"][-1]
        page.expect(gradient, "step %d: a gradient is not in the gradients' colour" % k)
        target = formula.split(" = ")[0].split("/∂", 1)[1]
        if " · " in formula:
            consumer = formula.split(" = ")[1].split(" · ")[0].split("/∂", 1)[1]
            node = nodes.get(consumer)
            if node and target in node["inputs"]:
                count += same("message to %s from %s" % (target, consumer), shown, node["messages"][node["inputs"].index(target)])
            else:
                page.expect(False, "step %d: no edge %s→%s in the trace" % (k, target, consumer))
        elif target in nodes and "grad" in nodes[target]:
            count += same("∂/∂" + target, shown, nodes[target]["grad"])
    elif state["phase"] == "update" and not step.get("grads") and "samples" in step:
        # A perceptron's presentation (no gradient): d, y, x and the weights after, w ← w + α(d − y)x.
        name = formula.split(" ← ")[0]
        targets = trace["data"]["targets"]
        target = targets[step["samples"][0]]
        count += same("d", state["values"][0][2], target[0] if isinstance(target, list) else target)
        count += same("y", state["values"][1][2], nodes["y"]["value"])
        count += same("x", state["values"][2][2], nodes["x"]["value"])
        count += same(name, state["values"][3][2], step["params"][name])
    elif state["phase"] == "update":
        name = formula.split(" ← ")[0]
        count += same("∂L/∂" + name, state["values"][0][2], step["grads"][name])
        count += same(name, state["values"][1][2], step["params"][name])
    return count


def bench(page_path, runs):
    driver = browser(1366, 768)
    loads, firsts, keys, downs = [], [], [], []
    try:
        for _ in range(runs):
            driver.get("about:blank")
            driver.get("file://" + page_path)
            timing = driver.execute_script("""
              const n = performance.getEntriesByType('navigation')[0];
              return [n.loadEventEnd, Number(document.body.dataset.shownAt || n.loadEventEnd)];""")
            loads.append(timing[0])
            firsts.append(timing[1])
            # A step: from the key's event to the next frame painted with it.
            for _ in range(20):
                keys.append(driver.execute_async_script("""
                  const done = arguments[0];
                  const t0 = performance.now();
                  document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
                  requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));"""))
            # An iteration (↓: the slider, the parameters and the figure drawn at it), the same way.
            for _ in range(10):
                downs.append(driver.execute_async_script("""
                  const done = arguments[0];
                  const t0 = performance.now();
                  document.dispatchEvent(new KeyboardEvent('keydown', {key: 'PageDown', bubbles: true}));
                  requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));"""))
    finally:
        driver.quit()
    size = len(open(page_path, "rb").read())
    keys.sort()
    downs.sort()
    print("%s: %.2f MB; open (navigation to load event) median %.0f ms (max %.0f) over %d loads; first step shown at %.0f ms; a step shown %.1f ms median, %.1f ms 90th percentile (max %.1f) over %d keys; 10 iterations on (PgDn) %.1f ms median, %.1f ms 90th percentile over %d keys"
          % (page_path, size / 1e6, statistics.median(loads), max(loads), runs, statistics.median(firsts), statistics.median(keys),
             keys[int(0.9 * (len(keys) - 1))], keys[-1], len(keys), statistics.median(downs), downs[int(0.9 * (len(downs) - 1))], len(downs)))


if __name__ == "__main__":
    if len(sys.argv) >= 6 and sys.argv[1] == "check" and len(sys.argv) % 2 == 0:
        shots, max_steps = sys.argv[2], int(sys.argv[3])
        driver = browser(1366, 768)
        try:
            for i in range(4, len(sys.argv), 2):
                page = sys.argv[i]
                check(driver, page, sys.argv[i + 1], shots + "/" + sys.argv[i + 1].split("/")[-1].removesuffix(".json"), max_steps)
        finally:
            driver.quit()
    elif len(sys.argv) >= 3 and sys.argv[1] == "bench":
        bench(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    else:
        print(__doc__)
        sys.exit(64)
