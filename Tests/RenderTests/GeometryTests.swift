import Testing
@testable import Render

@Suite struct GeometryTests {
    @Test func overlapExcludesTouchingEdges() {
        let a = Rect(x: 0, y: 0, width: 10, height: 10)
        #expect(a.overlaps(Rect(x: 5, y: 5, width: 10, height: 10)))
        #expect(!a.overlaps(Rect(x: 10, y: 0, width: 5, height: 5)))
        #expect(a.contains(Rect(x: 1, y: 1, width: 2, height: 2)))
        #expect(!a.contains(Rect(x: 9, y: 9, width: 2, height: 2)))
    }
}

/// A measurer with fixed advances, for layout tests that need no font: each character is 0.6 em wide.
struct FixedWidthMeasurer: TextMeasurer {
    func measure(_ text: String, font: FontStyle) -> TextExtents {
        TextExtents(width: Double(text.count) * font.size * 0.6, ascent: font.size * 0.8, descent: font.size * 0.2)
    }
    func missingGlyphs(in text: String, font: FontStyle) -> [Character] { [] }
}

@Suite struct LabelPlacementTests {
    let font = FontStyle(family: "DejaVu Sans", size: 10)

    @Test func centredLabelBoxIsCentredOnPoint() {
        let run = TextRun.placed("abcd", font: font, color: .black, at: Point(100, 50), measurer: FixedWidthMeasurer())
        // 4 characters × 6 pt = 24 pt wide, 10 pt tall.
        #expect(run.bounds == Rect(x: 88, y: 45, width: 24, height: 10))
        #expect(run.origin == Point(88, 53))
    }

    @Test func quarterTurnSwapsTheBox() {
        let run = TextRun.placed("abcd", font: font, color: .black, at: Point(100, 50), angle: .pi / 2,
                                 measurer: FixedWidthMeasurer())
        #expect(abs(run.bounds.width - 10) < 1e-9 && abs(run.bounds.height - 24) < 1e-9)
        #expect(abs(run.bounds.center.x - 100) < 1e-9 && abs(run.bounds.center.y - 50) < 1e-9)
    }
}
