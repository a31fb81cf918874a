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

    /// `--format mp4`: the frames as an H.264 video written by ffmpeg, decoded here by ffmpeg (installed by
    /// the test set-up): the frame count and rate, frame k (held 1.5 s at 4 frames a second) close to the
    /// still PNG k (H.264 is lossy), the same bytes from a second run, and without png no still PNGs.
    @Test func framesAsAVideo() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ffmpeg = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        try #require(FileManager.default.isExecutableFile(atPath: ffmpeg.path), "ffmpeg is installed by scripts/setup tests")
        let run = try NNSimBinary.run(["graph", "d = 2*b; e = a + d; L = c*e", "--at", "a=3,b=1,c=-2", "--out", folder + "/v", "--frames", "--format", "png,mp4"])
        #expect(run.status == 0, "\(run.stderr)")
        let video = folder + "/v/frames/animation.mp4"
        let stills = try FileManager.default.contentsOfDirectory(atPath: folder + "/v/frames").filter { $0.hasSuffix(".png") && $0 != "animation.png" }.sorted()
        #expect(stills.count == 8)
        // 8 frames of 1.5 s at 4 a second: 48 video frames; frame k of the stills is video frame 6k + 3.
        let probe = try NNSimBinary.run(executable: URL(fileURLWithPath: "/usr/bin/ffprobe"),
                                        ["-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
                                         "stream=codec_name,width,height,r_frame_rate,nb_read_frames", "-of", "csv=p=0", video])
        #expect(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "h264,1920,1080,4/1,48", "\(probe.stdout) \(probe.stderr)")
        /// The pixels of an image or of one video frame, as ffmpeg decodes them (8-bit RGB), at a quarter of
        /// the width and height (each pixel the mean of 16: the same for both, and 16 times fewer values for
        /// the unoptimized comparison below, which took 10 s of the suite's CPU at full size).
        func pixels(_ path: String, frame: Int = 0) throws -> [UInt8] {
            let out = folder + "/pixels-\(UUID().uuidString).rgb"
            let decoded = try NNSimBinary.run(executable: ffmpeg, ["-v", "error", "-i", path, "-vf", "select=eq(n\\,\(frame)),scale=480:270:flags=area",
                                                                    "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", out])
            #expect(decoded.status == 0, "\(decoded.stderr)")
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        for k in [0, 3, 7] {
            let still = try pixels(folder + "/v/frames/" + stills[k])
            let frame = try pixels(video, frame: 6 * k + 3)
            try #require(still.count == 480 * 270 * 3 && frame.count == still.count, "frame \(k): \(frame.count) bytes")
            var total = 0, far = 0
            for i in still.indices {
                let d = abs(Int(still[i]) - Int(frame[i]))
                total += d
                if d > 48 { far += 1 }
            }
            // Lossy, but the same picture: on average within 2.5 levels of 255 (2.0 measured: the video's
            // frame is scaled before its colours are converted, the still after), at most 0.5% of values off
            // by more than 48.
            #expect(Double(total) / Double(still.count) < 2.5 && Double(far) / Double(still.count) < 0.005, "frame \(k): mean \(Double(total) / Double(still.count)), far \(far)")
            // And not the neighbour's picture: each frame matches its own still better than the next one's.
            if k < 7 {
                let next = try pixels(folder + "/v/frames/" + stills[k + 1])
                let other = zip(next, frame).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
                #expect(total < other, "frame \(k) is closer to still \(k + 1)")
            }
        }
        // The same bytes again; mp4 alone writes the video without the stills.
        let again = try NNSimBinary.run(["graph", "d = 2*b; e = a + d; L = c*e", "--at", "a=3,b=1,c=-2", "--out", folder + "/w", "--frames", "--format", "mp4"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/w/frames/animation.mp4")) == Data(contentsOf: URL(fileURLWithPath: video)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/w/frames").filter { $0.hasSuffix(".png") }.isEmpty)
    }

    /// Without ffmpeg on PATH, mp4 is refused before anything is computed or written.
    @Test func videoWithoutFFmpegIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try NNSimBinary.run(["lesson", "xor", "--out", folder, "--format", "png,mp4"], environment: ["PATH": "/nonexistent"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--format mp4 needs ffmpeg"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder))
    }
}
