import Lessons
import Sim
import Testing
@testable import nnsim

/// The stepper's state machine (keys → position) and its screen, without a terminal.
@Suite struct StepperModelTests {
    /// Three iterations: 1 and 3 in detail (3 steps each), 2 as one update.
    static let training: [LessonStep] = [
        LessonStep(.forward, "z = x·w").with(iteration: 1, detail: nil),
        LessonStep(.backward, "∂L/∂w").with(iteration: 1, detail: nil),
        LessonStep(.update, "w ← w − η·∂L/∂w").with(iteration: 1, detail: nil),
        LessonStep(.update, "iteration 2").with(iteration: 2, detail: nil),
        LessonStep(.forward, "z = x·w").with(iteration: 5, detail: nil),
        LessonStep(.backward, "∂L/∂w").with(iteration: 5, detail: nil),
    ]

    static func model(_ keys: [Key], steps: [LessonStep] = training) -> StepperModel {
        var model = StepperModel(steps: steps)
        for key in keys { model.handle(key) }
        return model
    }

    @Test func startsOnTheTitlePageAndStepsBothWays() {
        #expect(Self.model([]).position == 0)
        #expect(Self.model([.right]).position == 1)
        #expect(Self.model([.right, .character("n"), .enter, .character(" ")]).position == 4)
        #expect(Self.model([.right, .right, .left]).position == 1)
        #expect(Self.model([.right, .right, .character("p")]).position == 1)
        #expect(Self.model([.right, .left]).position == 0)
    }

    @Test func saysSoAtTheEnds() {
        let start = Self.model([.left])
        #expect(start.position == 0)
        #expect(start.message == "this is the beginning")
        let end = Self.model(Array(repeating: .right, count: 7))
        #expect(end.position == 6)
        #expect(end.message == "this is the last step: q quits")
        // The message lasts one key.
        #expect(Self.model(Array(repeating: .right, count: 7) + [.left]).message == nil)
    }

    @Test func movesByIteration() {
        #expect(Self.model([.down]).position == 1)
        #expect(Self.model([.down, .down]).position == 4)
        #expect(Self.model([.down, .character("N"), .character("]")]).position == 5)
        #expect(Self.model([.down, .pageDown, .pageDown, .up]).position == 4)
        #expect(Self.model([.down, .pageDown, .pageDown, .character("P"), .character("[")]).position == 1)
        #expect(Self.model([.down, .down, .down, .down]).message == "this is the last iteration: q quits")
        #expect(Self.model([.down, .pageUp]).message == "this is the first iteration")
    }

    /// Steps outside every iteration before the training runs (saturation's neurons and chain): ↓ goes
    /// to the first iteration, not past it.
    @Test func movesByIterationFromAStepOutsideIterations() {
        let steps = [LessonStep(.forward, "σ′(0) = 0.25"), LessonStep(.backward, "chain")] + Self.training
        #expect(Self.model([.right, .down], steps: steps).position == 3)
        #expect(Self.model([.right, .right, .down, .down], steps: steps).position == 6)
        let back = Self.model([.right, .right, .up], steps: steps)
        #expect(back.position == 2)
        #expect(back.message == "this is the first iteration")
    }

    /// A step of one of several runs names the run and its iteration there.
    @Test func aStepOfOneOfSeveralRunsNamesItsRun() {
        let steps = [LessonStep(.update, "zero, iteration 3: L = 0.5").with(iteration: 303, detail: nil).with(run: StepRun("zero", iteration: 3, of: 300))]
        var model = StepperModel(steps: steps)
        model.handle(.right)
        let text = StepScreen(title: "t", preamble: [], showDataGradients: false).lines(model, width: 80, height: 24).map { $0.map(\.text).joined() }
        #expect(text[1] == "step 1 of 1 · iteration 303 of 303 (zero: iteration 3 of 300) · update")
    }

    @Test func aNumberJumpsToThatIterationAndGToAStep() {
        #expect(Self.model([.character("5"), .enter]).position == 5)
        #expect(Self.model([.character("2"), .enter]).position == 4)
        #expect(Self.model([.character("g"), .character("3"), .enter]).position == 3)
        // Typing shows what is typed, and Backspace and Esc edit it.
        #expect(Self.model([.character("1"), .character("2")]).entry == .iteration("12"))
        #expect(Self.model([.character("1"), .character("2"), .backspace, .enter]).position == 1)
        #expect(Self.model([.right, .right, .character("5"), .escape]).position == 2)
        #expect(Self.model([.right, .right, .character("5"), .escape]).entry == nil)
    }

    @Test func invalidInputSaysSoAndStays() {
        let zero = Self.model([.right, .right, .character("0"), .enter])
        #expect(zero.position == 2)
        #expect(zero.message == "there is no iteration 0: the iterations are 1 to 5")
        let unrecorded = Self.model([.right, .character("3"), .enter])
        #expect(unrecorded.position == 1)
        #expect(unrecorded.message == "iteration 3 was not recorded")
        let letters = Self.model([.right, .right, .character("a"), .character("b"), .character("c")])
        #expect(letters.position == 2)
        #expect(letters.message == "'c' is not a key here: → or n next, ← or p back, q quits")
        let step = Self.model([.right, .character("g"), .character("9"), .enter])
        #expect(step.position == 1)
        #expect(step.message == "there is no step 9: the steps are 1 to 6")
        let letterInNumber = Self.model([.right, .character("1"), .character("x")])
        #expect(letterInNumber.position == 1)
        #expect(letterInNumber.message == "type a number, then Enter (Esc cancels)")
        #expect(Self.model([.right, .unknown]).position == 1)
        #expect(Self.model([.right, .character("\u{7}")]).message?.hasPrefix("that key") == true)
    }

    @Test func withoutIterationsANumberIsAStep() {
        let steps = [LessonStep(.forward, "a"), LessonStep(.forward, "b"), LessonStep(.backward, "c")]
        #expect(Self.model([.character("2"), .enter], steps: steps).position == 2)
        #expect(Self.model([.right, .down], steps: steps).message == "this run has no iterations: → and ← move by step")
        #expect(Self.model([.right, .down], steps: steps).position == 1)
    }

    @Test func quitsOnQCtrlCAndCtrlD() {
        for key in [Key.character("q"), .interrupt, .endOfInput] {
            let model = Self.model([.right, key])
            #expect(model.finished)
            #expect(model.position == 1)
        }
        #expect(Self.model([.character("1"), .endOfInput]).finished)
        #expect(!Self.model([.right, .right]).finished)
    }
}

@Suite struct KeyDecoderTests {
    @Test func decodesArrowsPagesAndLetters() {
        var bytes: [UInt8] = [0x1B, 0x5B, 0x43, 0x1B, 0x5B, 0x44, 0x1B, 0x5B, 0x41, 0x1B, 0x5B, 0x42, 0x1B, 0x4F, 0x43]
        bytes += Array("\u{1B}[5~\u{1B}[6~\u{1B}[H".utf8)
        bytes += [0x0D, 0x7F, 0x03, 0x04, 0x1B]
        bytes += Array("n9é".utf8)
        let expected: [Key] = [.right, .left, .up, .down, .right, .pageUp, .pageDown, .unknown, .enter, .backspace,
                               .interrupt, .endOfInput, .escape, .character("n"), .character("9"), .character("é")]
        #expect(KeyDecoder.keys(bytes) == expected)
    }
}

@Suite struct MatrixBlockTests {
    static let matrix = (try? Tensor(rows: [[0.7343, -0.6094, 12.5, 3], [1.129, 0.1443, -0.007235, 1e-5]])) ?? Tensor(0)

    @Test func alignsColumnsOnTheDecimalPoint() {
        let block = MatrixBlock.lines(label: "z1", value: Self.matrix, width: 200)
        #expect(block.lines == [
            "z1 = [ 0.7343  −0.6094  12.5       3    ]",
            "     [ 1.129    0.1443  −0.007235  1e−5 ]",
        ])
        #expect(block.labelWidth == 5)
        // Every row's decimal points in one column.
        let points = block.lines.map { Array($0).firstIndex(of: ".") }
        #expect(Set(points).count == 1)
    }

    @Test func scalarsAndVectors() {
        #expect(MatrixBlock.lines(label: "L", value: Tensor(-0.25), width: 80).lines == ["L = −0.25"])
        #expect(MatrixBlock.lines(label: "∂L/∂z2", value: Tensor(column: [0.1241, -0.03178]), width: 80).lines ==
                ["∂L/∂z2 = [  0.1241  ]", "         [ −0.03178 ]"])
    }

    @Test func wrapsBetweenColumnsNeverInsideANumber() {
        let numbers = Set(Self.matrix.scalars.map { NumberFormat.display($0) })
        for width in 12...60 {
            let block = MatrixBlock.lines(label: "z1", value: Self.matrix, width: width)
            var seen: [String] = []
            for line in block.lines where !line.contains("columns") {
                // A line wider than the width only holds a single column that could not be split.
                let words: [String] = line.dropFirst(block.labelWidth).split(separator: " ").map(String.init)
                let tokens = words.filter { word in word != "[" && word != "]" }
                for token in tokens { #expect(numbers.contains(token), "width \(width): '\(token)' in '\(line)'") }
                seen += tokens
                if line.count > width { #expect(tokens.count <= 1, "width \(width): '\(line)'") }
            }
            #expect(seen.sorted() == Self.matrix.scalars.map { NumberFormat.display($0) }.sorted(), "width \(width)")
        }
        let narrow = MatrixBlock.lines(label: "z1", value: Self.matrix, width: 30).lines
        #expect(narrow.first == "z1 = columns 1–2 of 4")
        #expect(narrow.contains("     columns 3–4 of 4"))
    }
}

@Suite struct StepScreenTests {
    @Test func fitsTheWindowAndMarksTheNode() throws {
        let run = try ExpressionRun(source: "L = c*(a + 2*b)", at: [("a", 3), ("b", 1), ("c", -2)])
        let steps = run.walkthrough.lessonSteps(graph: run.graph)
        var model = StepperModel(steps: steps)
        for _ in 0..<7 { model.handle(.right) }
        let screen = StepScreen(title: "test", preamble: [], showDataGradients: false)
        for (width, height) in [(40, 12), (80, 24), (132, 50)] {
            let lines = screen.lines(model, width: width, height: height)
            #expect(lines.count == height)
            for line in lines { #expect(line.map(\.text).joined().count <= width) }
        }
        let text = screen.lines(model, width: 80, height: 24).map { $0.map(\.text).joined() }
        #expect(text[1] == "step 7 of 9 · backward")
        #expect(text[2].contains("▸a"))
        #expect(text.contains("▶ 7 backward ∂L/∂a = ∂L/∂t2 · ∂t2/∂a"))
        #expect(text.contains("    local derivative ∂t2/∂a = 1"))
        #expect(text.contains("    upstream ∂L/∂t2 = −2"))
        #expect(text.contains("    message ∂L/∂a = −2 · 1 = −2"))
    }

    @Test func coloursFollowTheEnvironment() {
        #expect(ColourMode.from(environment: ["TERM": "xterm-256color"]) == .palette256)
        #expect(ColourMode.from(environment: ["TERM": "xterm", "COLORTERM": "truecolor"]) == .truecolor)
        #expect(ColourMode.from(environment: ["TERM": "xterm", "NO_COLOR": "1"]) == .none)
        #expect(ColourMode.from(environment: ["TERM": "dumb"]) == .none)
        #expect(ColourMode.from(environment: [:]) == .none)
        #expect(TerminalColours(mode: .none, scheme: nil).write([Segment("x", .gradient)]) == "x")
    }

    /// `--theme` chooses the stepper's colours: the scheme's forward and gradient colours for light and
    /// dark, none for print (bold and reverse video stay), and without it colours that read on light and
    /// dark terminals alike (ColorScheme.unknownPage, 4.5:1 on white and on black: ThemeTests).
    @Test func coloursFollowTheTheme() {
        let any = TerminalColours(mode: .truecolor, scheme: nil)
        #expect(any.start(.value) == "\u{1B}[38;2;0;135;95m" && any.start(.gradient) == "\u{1B}[38;2;194;85;0m")
        let dark = TerminalColours(mode: .truecolor, scheme: .dark)
        #expect(dark.start(.value) == "\u{1B}[38;2;29;168;125m" && dark.start(.gradient) == "\u{1B}[38;2;232;113;26m")
        let light = TerminalColours(mode: .truecolor, scheme: .light)
        #expect(light.start(.value) == "\u{1B}[38;2;1;122;89m" && light.start(.gradient) == "\u{1B}[38;2;176;77;0m")
        let print = TerminalColours(mode: .truecolor, scheme: .print)
        #expect(print.start(.value) == "" && print.start(.gradient) == "" && print.start(.marked) == "\u{1B}[7m" && print.start(.bold) == "\u{1B}[1m")
        // 256 colours: the nearest of xterm's cube (levels 0, 95, 135, 175, 215, 255), worked by hand:
        // #00875F is (0, 135, 95) = 16 + 36·0 + 6·2 + 1 = 29; #C25500 → (175, 95, 0) = 16 + 108 + 6 = 130;
        // #1DA87D → (0, 175, 135) = 16 + 18 + 2 = 36; #E8711A → (215, 95, 0) = 16 + 144 + 6 = 166.
        #expect(TerminalColours(mode: .palette256, scheme: nil).start(.value) == "\u{1B}[38;5;29m")
        #expect(TerminalColours(mode: .palette256, scheme: nil).start(.gradient) == "\u{1B}[38;5;130m")
        #expect(TerminalColours(mode: .palette256, scheme: .dark).start(.value) == "\u{1B}[38;5;36m")
        #expect(TerminalColours(mode: .palette256, scheme: .dark).start(.gradient) == "\u{1B}[38;5;166m")
    }
}
