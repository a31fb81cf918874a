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
        // One point a line: the set's name, its inputs, then its target (a class, or line-noisy's d).
        var points: [String: [(x: [Double], k: Double)]] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            try #require(fields.count == 3 || fields.count == 4, "\(line)")
            let numbers = try fields.dropFirst().map { try #require(Double($0), "\(line)") }
            points[fields[0], default: []].append((Array(numbers.dropLast()), numbers[numbers.count - 1]))
        }
        #expect(Set(points.keys) == Set(DataSet.generated.map(\.name)))
        for set in DataSet.generated {
            let reference = try #require(points[set.name])
            #expect(reference.count == set.inputs.count, "\(set.name)")
            for (i, (point, (x, k))) in zip(reference, zip(set.inputs, set.targets)).enumerated() {
                // Bit for bit: the same 64-bit patterns, not merely close.
                #expect(point.x.map(\.bitPattern) == x.map(\.bitPattern), "\(set.name) row \(i + 1): \(point.x) against \(x)")
                #expect(point.k.bitPattern == k.bitPattern, "\(set.name) row \(i + 1)")
            }
        }
    }

    /// line-noisy is the regression line its documentation says: 30 points, x = 5·i/29, and d within four
    /// noise deviations (0.5 each) of 2x + 1; its least-squares line, from the normal equations here, is near 2x + 1.
    @Test func lineNoisyIsALine() {
        let set = DataSet.lineNoisy
        #expect(set.inputs.count == 30 && set.inputNames == ["x"] && set.targetName == "d")
        for (i, (x, d)) in zip(set.inputs, set.targets).enumerated() {
            #expect(x == [5 * Double(i) / 29])
            #expect(abs(d - (2 * x[0] + 1)) < 4 * 0.5)
        }
        let n = 30.0, sx = set.inputs.reduce(0) { $0 + $1[0] }, sd = set.targets.reduce(0, +)
        let sxx = set.inputs.reduce(0) { $0 + $1[0] * $1[0] }, sxd = zip(set.inputs, set.targets).reduce(0) { $0 + $1.0[0] * $1.1 }
        let slope = (n * sxd - sx * sd) / (n * sxx - sx * sx), intercept = (sd - slope * sx) / n
        #expect(abs(slope - 2) < 0.3 && abs(intercept - 1) < 0.6, "d ≈ \(slope)x + \(intercept)")
        #expect(DataSet.regression.map(\.name) == ["line", "line-noisy"])
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
