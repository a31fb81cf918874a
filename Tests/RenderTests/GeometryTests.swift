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
