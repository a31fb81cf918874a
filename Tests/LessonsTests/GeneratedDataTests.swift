import Foundation
import Testing
@testable import Lessons

/// The built-in data sets drawn from the seeded generator are the ones docs/random-numbers.md specifies:
/// docs/reference_random.py, written from that text, prints every point, and each coordinate and class
/// agrees bit for bit.
@Suite struct GeneratedDataTests {
    @Test func everyPointIsThePythonReferences() throws {
        let path = LessonTraceTests.docs("reference_random.py")
        let (status, output) = try LessonTraceTests.python(
            "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')", [path, "datasets"])
        #expect(status == 0, "\(output)")
        var points: [String: [(x: [Double], k: Double)]] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            try #require(fields.count == 4, "\(line)")
            let x1 = try #require(Double(fields[1])), x2 = try #require(Double(fields[2])), k = try #require(Double(fields[3]))
            points[fields[0], default: []].append(([x1, x2], k))
        }
        #expect(Set(points.keys) == Set(DataSet.generated.map(\.name)))
        for set in DataSet.generated {
            let reference = try #require(points[set.name])
            #expect(reference.count == set.inputs.count, "\(set.name)")
            for (i, (point, (x, k))) in zip(reference, zip(set.inputs, set.targets)).enumerated() {
                // Bit for bit: the same 64-bit patterns, not merely close.
                #expect(point.x.map(\.bitPattern) == x.map(\.bitPattern), "\(set.name) row \(i + 1): \(point.x) against \(x)")
                #expect(point.k == k, "\(set.name) row \(i + 1)")
            }
        }
    }

    @Test func classesAreCountedAndOneHot() throws {
        #expect(try DataSet.blobs.classLabels().count == 3)
        #expect(try DataSet.spiral.classLabels().count == 3)
        #expect(try DataSet.moons.classLabels().count == 2)
        let hot = try DataSet.blobs.oneHot(classes: 3)
        #expect(hot.shape == [90, 3])
        #expect(hot.rows[0] == [1, 0, 0] && hot.rows[45] == [0, 1, 0] && hot.rows[89] == [0, 0, 1])
        let bad = DataSet(name: "bad", inputNames: ["x"], inputs: [[0], [1]], targets: [0, 1.5])
        #expect(throws: LessonError.self) { try bad.classLabels() }
        let one = DataSet(name: "one", inputNames: ["x"], inputs: [[0], [1]], targets: [0, 0])
        #expect(throws: LessonError.self) { try one.classLabels() }
    }
}
