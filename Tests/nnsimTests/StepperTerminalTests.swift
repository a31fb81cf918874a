import Foundation
import Testing

/// kill(2), by a name that TmuxSession's own `kill()` does not shadow.
private func endProcess(_ pid: Int32) { _ = kill(pid, SIGKILL) }

/// A tmux session on its own server socket, running a command in a pseudo-terminal of a given size: keys
/// go in with send-keys, the screen comes back with capture-pane. A machine without tmux fails the tests
/// that need it with a message saying how to install it (scripts/setup does).
struct TmuxSession {
    let socket = "nnsim-test-\(UUID().uuidString.prefix(8))"
    let name = "stepper"

    static func tmux() throws -> String {
        for path in ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw TmuxError("tmux is not installed, so the stepper cannot be tested in a real terminal: run scripts/setup (it installs tmux) or apt-get install tmux")
    }

    struct TmuxError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs tmux and waits for it; its output. Spawned and reaped directly (posix_spawn, waitpid), with
    /// its output in a file: the server that new-session starts inherits nothing to wait for.
    @discardableResult
    func run(_ arguments: [String], capture: Bool = true) throws -> String {
        let tmux = try Self.tmux()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-tmux-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture ? output : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let all = [tmux, "-L", socket, "-f", "/dev/null"] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = all.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tmux, &actions, nil, argv, environ)
        guard spawned == 0 else { throw TmuxError("could not start tmux: error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            throw TmuxError("tmux \(arguments.joined(separator: " ")) failed with status \(status)")
        }
        return capture ? (try String(contentsOfFile: output, encoding: .utf8)) : ""
    }

    /// The script the window runs, written to a file (no quoting through tmux's shell).
    let script = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-tmux-\(UUID().uuidString).sh").path

    /// Starts `shell` (sh commands) in a window of `width`×`height` with `environment` set; after it the
    /// window shows `EXIT=status` and stays.
    init(_ shell: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
        // The test runner's own colour settings do not leak in; each test sets what it means.
        let exports = "unset NO_COLOR COLORTERM\n" + environment.sorted { $0.key < $1.key }.map { "export \($0.key)='\($0.value)'\n" }.joined()
        try Data("\(exports)\(shell)\necho EXIT=$?\nsleep 120\n".utf8).write(to: URL(fileURLWithPath: script))
        try run(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), "sh " + script], capture: false)
        server = Int32(try run(["display-message", "-p", "#{pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// The tmux server's process, ended by `kill()` even if kill-server does not reach it.
    private(set) var server: Int32 = 0

    func send(_ keys: String...) throws { try run(["send-keys", "-t", name] + keys) }
    /// Characters typed as they are, not as key names.
    func type(_ text: String) throws { try run(["send-keys", "-t", name, "-l", text]) }
    func screen(escapes: Bool = false) throws -> String { try run(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : [])) }
    func resize(width: Int, height: Int) throws { try run(["resize-window", "-t", name, "-x", String(width), "-y", String(height)]) }
    func kill() {
        _ = try? run(["kill-server"])
        // Only while that process is still this session's server (its number is not reused by another).
        if server > 0, let command = try? String(contentsOfFile: "/proc/\(server)/cmdline", encoding: .utf8), command.contains(socket) {
            endProcess(server)
        }
        try? FileManager.default.removeItem(atPath: script)
        try? FileManager.default.removeItem(atPath: "/tmp/tmux-\(getuid())/\(socket)")
    }

    /// Waits until the screen contains `text` (and `also`), up to `seconds`; the screen.
    @discardableResult
    func wait(for text: String, seconds: Double = 60, escapes: Bool = false) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try screen(escapes: escapes)
            if last.contains(text) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TmuxError("waited \(seconds) s for '\(text)'; the screen:\n\(last)")
    }
}

/// The stepper as its user meets it: the built binary in a real pseudo-terminal under tmux.
@Suite(.serialized, .timeLimit(.minutes(2))) struct StepperTerminalTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-step-\(UUID().uuidString)").path
    var binary: String { NNSimBinary.url.path }

    /// A training lesson: title page, steps, iterations, jumps, invalid input, resizing, Ctrl-D.
    @Test func steppingThroughXOR() throws {
        let tmux = try TmuxSession("stty -g > \(folder).tty; \(binary) lesson xor --set steps=300 --step --out \(folder) --format svg\n"
                                   + "status=$?; [ \"$(stty -g)\" = \"$(cat \(folder).tty)\" ] && echo TERMINAL-RESTORED; (exit $status)", width: 100, height: 32)
        defer { tmux.kill(); try? FileManager.default.removeItem(atPath: folder); try? FileManager.default.removeItem(atPath: folder + ".tty") }
        // Before step 1: the title, the settings, the keys.
        var screen = try tmux.wait(for: "→ starts")
        #expect(screen.hasPrefix("XOR and the hidden layer"))
        #expect(screen.contains("steps = 300"))
        #expect(screen.contains("Keys: →/n next"))

        try tmux.send("Right")
        screen = try tmux.wait(for: "step 1 of")
        #expect(screen.contains("step 1 of 378 · iteration 1 of 300 · forward"))
        #expect(screen.contains("graph: X W1 W2 Y ▸z1 h z2 yhat L"))
        #expect(screen.contains("▶ 1 forward z1 = X·W1"))
        #expect(screen.contains("    z1 = [ 0.7343   0.1034  0.8651    0.9144 ]"))
        // The screen is redrawn in place: one title, at the top.
        #expect(screen.components(separatedBy: "XOR and the hidden layer").count == 2)

        for _ in 0..<8 { try tmux.send("Right") }
        screen = try tmux.wait(for: "step 9 of")
        #expect(screen.contains("▶ 9 backward ∂L/∂h = ∂L/∂z2 · ∂z2/∂h"))
        #expect(screen.contains("    = ∂L/∂z2·W2ᵀ"))
        #expect(screen.contains("  8 backward ∂L/∂z2 = ∂L/∂yhat · ∂yhat/∂z2"))
        #expect(!screen.contains("∂L/∂X"))
        try tmux.send("Left")
        screen = try tmux.wait(for: "step 8 of")
        #expect(screen.contains("local derivative ∂yhat/∂z2 = σ′(z2) = σ(z2)(1 − σ(z2))"))

        // A number jumps to that iteration; g to a step; ↓ to the next iteration.
        try tmux.type("150")
        try tmux.wait(for: "go to iteration: 150")
        try tmux.send("Enter")
        screen = try tmux.wait(for: "iteration 150 of 300")
        #expect(screen.contains("▶ 202 forward z1 = X·W1"))
        try tmux.send("Down")
        screen = try tmux.wait(for: "iteration 151 of 300 · update")
        #expect(screen.contains("only the update is recorded for this iteration"))
        try tmux.send("Up")
        try tmux.wait(for: "step 202 of 378 · iteration 150")
        try tmux.type("g5")
        try tmux.send("Enter")
        try tmux.wait(for: "step 5 of 378")

        // Invalid input says so and stays.
        try tmux.type("x")
        screen = try tmux.wait(for: "'x' is not a key here")
        #expect(screen.contains("step 5 of 378"))
        try tmux.type("0")
        try tmux.send("Enter")
        screen = try tmux.wait(for: "there is no iteration 0: the iterations are 1 to 300")
        #expect(screen.contains("step 5 of 378"))

        // A narrower window: redrawn at its width, no line wider, a matrix split between columns.
        try tmux.send("Left", "Left", "Left", "Left")
        try tmux.wait(for: "step 1 of 378")
        try tmux.resize(width: 40, height: 30)
        screen = try tmux.wait(for: "columns 1–")
        for line in screen.split(separator: "\n") { #expect(line.count <= 40, "\(line)") }
        #expect(screen.contains("z1 = columns 1–"))

        // Ctrl-D quits: the summary on its own line, the terminal as it was.
        try tmux.send("C-d")
        screen = try tmux.wait(for: "EXIT=0")
        let lines = screen.split(separator: "\n").map(String.init)
        #expect(lines.contains("stopped at step 1 of 378 (iteration 1)"))
        #expect(lines.contains { $0.hasPrefix("after 300 iterations: L = ") })
        #expect(lines.contains("TERMINAL-RESTORED"))
    }

    @Test func ctrlCQuitsAndRestoresTheTerminal() throws {
        let tmux = try TmuxSession("stty -g > \(folder).tty; \(binary) lesson backprop --step --out \(folder) --format svg\n"
                                   + "status=$?; [ \"$(stty -g)\" = \"$(cat \(folder).tty)\" ] && echo TERMINAL-RESTORED; (exit $status)")
        defer { tmux.kill(); try? FileManager.default.removeItem(atPath: folder); try? FileManager.default.removeItem(atPath: folder + ".tty") }
        try tmux.wait(for: "→ starts")
        try tmux.send("Right", "Right")
        try tmux.wait(for: "step 2 of 12")
        try tmux.send("C-c")
        let screen = try tmux.wait(for: "EXIT=0")
        #expect(screen.contains("stopped at step 2 of 12\n"))
        #expect(screen.contains("TERMINAL-RESTORED"))
    }

    /// `nnsim graph --step`: no iterations, a number is a step, colours as in the figures.
    @Test func steppingThroughAnExpression() throws {
        let tmux = try TmuxSession("\(binary) graph 'L = c*(a + 2*b)' --at a=3,b=1,c=-2 --step", environment: ["TERM": "xterm-256color"])
        defer { tmux.kill() }
        var screen = try tmux.wait(for: "→ starts")
        #expect(screen.contains("nnsim graph: L = c*(a + 2*b)"))
        #expect(screen.contains("\n  a = 3\n"))
        try tmux.type("7")
        try tmux.send("Enter")
        screen = try tmux.wait(for: "step 7 of 9 · backward")
        #expect(screen.contains("graph: a b c t1 t2 L") == false)
        #expect(screen.contains("▸a"))
        #expect(screen.contains("▶ 7 backward ∂L/∂a = ∂L/∂t2 · ∂t2/∂a"))
        #expect(screen.contains("    upstream ∂L/∂t2 = −2"))
        #expect(screen.contains("    local ∂t2/∂a = 1"))
        #expect(screen.contains("    message ∂L/∂a = −2 · 1 = −2"))
        // Without --theme, colours that read on light and dark terminals: gradients vermillion (256-colour
        // 130), values bluish green (29).
        let coloured = try tmux.screen(escapes: true)
        #expect(coloured.contains("38;5;130m−2"))
        try tmux.send("Left", "Left", "Left", "Left")
        #expect(try tmux.wait(for: "step 3 of 9", escapes: true).contains("38;5;29m−10"))
        try tmux.send("Down")
        try tmux.wait(for: "this run has no iterations")
        try tmux.type("q")
        screen = try tmux.wait(for: "EXIT=0")
        #expect(screen.contains("stopped at step 3 of 9\ngradients: ∂L/∂a = −2, ∂L/∂b = −4, ∂L/∂c = 5"))
    }

    /// A lesson of several runs: a typed number is an iteration counted across the runs, and the screen
    /// names the run and the iteration within it.
    @Test func jumpingToAnIterationOfSymmetrysSecondStart() throws {
        let tmux = try TmuxSession("\(binary) lesson symmetry --set steps=300 --step --out \(folder) --format svg", width: 120, height: 40)
        defer { tmux.kill(); try? FileManager.default.removeItem(atPath: folder) }
        var screen = try tmux.wait(for: "→ starts")
        #expect(screen.contains("iterations 1 to 1200"))
        try tmux.type("303")
        try tmux.send("Enter")
        screen = try tmux.wait(for: "iteration 303 of 1200")
        #expect(screen.contains("iteration 303 of 1200 (zero: iteration 3 of 300) · update"))
        #expect(screen.contains("update L = 0.5; W1, W2 updated (only the update is recorded for this iteration)"))
        try tmux.send("Down")
        screen = try tmux.wait(for: "iteration 304 of 1200")
        try tmux.type("301")
        try tmux.send("Enter")
        screen = try tmux.wait(for: "iteration 301 of 1200 (zero: iteration 1 of 300) · note")
        #expect(screen.contains("zero start: W1 = "))
        try tmux.type("q")
        screen = try tmux.wait(for: "EXIT=0")
        #expect(screen.contains("(iteration 301)"))
    }

    /// `--theme dark`: the dark scheme's values and gradients in 24 bits; `--theme print`: no colours, the
    /// current node still in reverse video.
    @Test func theThemeChoosesTheColours() throws {
        let dark = try TmuxSession("\(binary) graph 'L = c*(a + 2*b)' --at a=3,b=1,c=-2 --step --theme dark",
                                   environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"])
        defer { dark.kill() }
        try dark.wait(for: "→ starts")
        try dark.type("7")
        try dark.send("Enter")
        #expect(try dark.wait(for: "step 7 of 9", escapes: true).contains("38;2;232;113;26m−2"))
        try dark.type("q")
        try dark.wait(for: "EXIT=0")
        let print = try TmuxSession("\(binary) graph 'L = c*(a + 2*b)' --at a=3,b=1,c=-2 --step --theme print", environment: ["TERM": "xterm-256color"])
        defer { print.kill() }
        try print.wait(for: "→ starts")
        try print.send("Right")
        let screen = try print.wait(for: "step 1 of 9", escapes: true)
        #expect(!screen.contains("38;5;") && !screen.contains("38;2;"))
        #expect(screen.contains("[7m"))
        try print.type("q")
        try print.wait(for: "EXIT=0")
    }

    @Test func noColourWithNO_COLOR() throws {
        let tmux = try TmuxSession("\(binary) graph 'L = c*(a + 2*b)' --at a=3,b=1,c=-2 --step",
                                   environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
        defer { tmux.kill() }
        try tmux.wait(for: "→ starts")
        try tmux.send("Right")
        let screen = try tmux.wait(for: "step 1 of 9", escapes: true)
        #expect(!screen.contains("38;5;"))
        #expect(!screen.contains("38;2;"))
        try tmux.type("q")
        try tmux.wait(for: "EXIT=0")
    }

    /// Without a terminal every step is printed, one per line, and nothing waits.
    @Test func aPipeGetsEveryStep() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try NNSimBinary.run(["lesson", "xor", "--set", "steps=20", "--step", "--out", folder, "--format", "svg"], stdin: "q\n")
        #expect(result.status == 0, "\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("[") }
        // Iterations 1, 2, 10 and 20 in full (5 forward, 7 backward without X and Y, 2 updates), 16 as updates.
        #expect(steps.count == 4 * 14 + 16)
        let withData = try NNSimBinary.run(["lesson", "xor", "--set", "steps=20", "--step", "--show-data-gradients", "--out", folder, "--format", "svg"])
        #expect(withData.stdout.split(separator: "\n").filter { $0.hasPrefix("[") }.count == 4 * 16 + 16)
        #expect(withData.stdout.contains("∂L/∂X = ∂L/∂z1 · ∂z1/∂X = ∂L/∂z1·W1ᵀ = ["))
        #expect(result.stdout.hasPrefix("XOR and the hidden layer\nSettings (--set name=value):\n"))
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(!result.stdout.contains("∂L/∂X"))
        #expect(!result.stdout.contains("Enter"))
        let graph = try NNSimBinary.run(["graph", "L = c*(a + 2*b)", "--at", "a=3,b=1,c=-2", "--step"])
        #expect(graph.stdout.contains("[9/9] backward ∂L/∂b = ∂L/∂t1 · ∂t1/∂b = −2 · 2 = −4\ngradients: ∂L/∂a = −2"))
    }
}
