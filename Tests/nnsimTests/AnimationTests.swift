import Foundation
import Testing

/// Animated PNGs (issue 14): the frames of a step-through and the decision regions over training, decoded
/// by a real decoder (Pillow, as a browser or slide tool would), each frame equal pixel for pixel to its
/// still PNG.
@Suite struct AnimationTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-animation-\(UUID().uuidString)").path

    /// Decodes `animation` with Pillow and compares frame k with `stills[k]`: the frame count, the loop
    /// count, the delay, then one line per frame that differs.
    func decode(_ animation: String, stills: [String]) throws -> String {
        let script = """
        import sys
        from PIL import Image, ImageChops
        im = Image.open(sys.argv[1])
        print(im.format, im.n_frames, im.info.get("loop"), im.info.get("duration"))
        for k, still in enumerate(sys.argv[2:]):
            im.seek(k)
            if ImageChops.difference(im.convert("RGB"), Image.open(still).convert("RGB")).getbbox() is not None:
                print("frame", k, "differs from", still)
        """
        let result = try NNSimBinary.run(executable: URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, animation] + stills)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func framesAndDecisionRegionsAreAnimated() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let graph = try NNSimBinary.run(["graph", "d = 2*b; e = a + d; L = c*e", "--at", "a=3,b=1,c=-2", "--out", folder + "/g", "--frames", "--format", "png"])
        #expect(graph.status == 0, "\(graph.stderr)")
        let frames = try FileManager.default.contentsOfDirectory(atPath: folder + "/g/frames").filter { $0.hasSuffix(".png") && $0 != "animation.png" }.sorted()
        #expect(frames.count == 8)
        #expect(try decode(folder + "/g/frames/animation.png", stills: frames.map { folder + "/g/frames/" + $0 }) == "PNG 8 0 1500.0\n")

        let lesson = try NNSimBinary.run(["lesson", "xor", "--set", "steps=200", "--out", folder + "/l", "--format", "png", "--quiet"])
        #expect(lesson.status == 0, "\(lesson.stderr)")
        let regions = try FileManager.default.contentsOfDirectory(atPath: folder + "/l/xor").filter { $0.hasPrefix("regions-0") }.sorted()
        #expect(regions.count >= 2)
        #expect(try decode(folder + "/l/xor/regions-animation.png", stills: regions.map { folder + "/l/xor/" + $0 }) == "PNG \(regions.count) 0 1500.0\n")
        // Without PNG among the formats, no animation.
        let svg = try NNSimBinary.run(["graph", "L = a*b", "--at", "a=1,b=2", "--out", folder + "/s", "--frames", "--format", "svg"])
        #expect(svg.status == 0 && !FileManager.default.fileExists(atPath: folder + "/s/frames/animation.png"))
    }
}
