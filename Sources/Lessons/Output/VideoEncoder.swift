import Foundation
import Render

/// MP4 videos (H.264) of a sequence of frames — the step frames, the decision regions over training —
/// for slide software that plays a video but not an animated PNG (`--format mp4`).
///
/// nnsim writes its animated PNGs itself (AnimatedPNG); an H.264 encoder is a project of its own, so
/// videos are made by ffmpeg where it is installed (Debian's `ffmpeg`), found on PATH. Asked for without
/// ffmpeg, mp4 is refused before anything is computed. The video is the frames' PNGs as drawn, each held
/// for the animation's 1.5 s, at 4 frames a second (players handle rates under 1 poorly), padded to even
/// sides (yuv420p needs them), and written on one thread with ffmpeg's bit-exact flags and no metadata,
/// so one ffmpeg build writes the same bytes every time; another ffmpeg version may encode differently.
enum VideoEncoder {
    /// Seconds each frame is shown: AnimatedPNG's default delay.
    static let secondsPerFrame = 1.5

    /// The ffmpeg on PATH, or nil.
    static func ffmpeg(path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        for folder in (path ?? "/usr/bin:/bin").split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/ffmpeg"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Refuses mp4 among `formats` when no ffmpeg is installed (before a run computes anything).
    static func check(_ formats: [OutputFormat]) throws(LessonError) {
        if formats.contains(.mp4), ffmpeg() == nil {
            throw LessonError("--format mp4 needs ffmpeg, which is not on PATH (on Debian: apt-get install ffmpeg); the animated PNGs (--format png) need nothing")
        }
    }

    /// The MP4 of `frames` (whole PNG files of one size), named `name` in messages. The frames go to
    /// ffmpeg as files in a folder of their own (no pipe to fill or to break), removed afterwards.
    static func encode(_ frames: [[UInt8]], name: String, background: Color) throws(LessonError) -> [UInt8] {
        guard let ffmpeg = ffmpeg() else { throw LessonError("cannot write \(name): ffmpeg is not on PATH") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-video-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("video.mp4")
        let messages = folder.appendingPathComponent("ffmpeg.txt")
        let process = Process()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            for (index, frame) in frames.enumerated() {
                try Data(frame).write(to: folder.appendingPathComponent(String(format: "%05d.png", index)))
            }
            guard FileManager.default.createFile(atPath: messages.path, contents: nil) else { throw LessonError("cannot create \(messages.path)") }
            process.executableURL = URL(fileURLWithPath: ffmpeg)
            process.arguments = [
                "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-framerate", "2/3", "-i", folder.appendingPathComponent("%05d.png").path,
                "-vf", "fps=4,pad=ceil(iw/2)*2:ceil(ih/2)*2:color=0x\(background.hexString.dropFirst()),format=yuv420p",
                "-c:v", "libx264", "-preset", "medium", "-crf", "18", "-tune", "stillimage",
                "-threads", "1", "-x264-params", "threads=1",
                "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1",
                // The index first, so that a slide or a browser can start playing before the end is read.
                "-movflags", "+faststart", "-f", "mp4", output.path,
            ]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: messages)
            try process.run()
        } catch {
            throw LessonError("cannot write \(name): \(error)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0, let video = try? Data(contentsOf: output) else {
            let text = ((try? String(contentsOf: messages, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            throw LessonError("cannot write \(name): ffmpeg exited with status \(process.terminationStatus)\(text.isEmpty ? "" : ": \(text.prefix(400))")")
        }
        return [UInt8](video)
    }
}
