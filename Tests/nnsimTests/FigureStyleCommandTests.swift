import Foundation
import Testing

/// `--theme`, `--aspect` and `--transparent` on the commands that draw figures (issue 14): the files as a
/// decoder sees them (Pillow, and poppler's pdftocairo for the PDF), the report left light, bad values named.
@Suite struct FigureStyleCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-style-\(UUID().uuidString)").path

    /// For each PNG: its size, mode and the alpha (or the colour) of its top-left pixel, as Pillow reads it.
    func inspect(_ pngs: [String]) throws -> String {
        let script = """
        import sys
        from PIL import Image
        for path in sys.argv[1:]:
            im = Image.open(path)
            print(im.size[0], im.size[1], im.mode, im.getpixel((0, 0)))
        """
        let result = try NNSimBinary.run(executable: URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script] + pngs)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func darkSquareTransparentFiguresAndALightReport() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let arguments = ["lesson", "xor", "--set", "steps=100", "--format", "png,svg,pdf", "--quiet", "--theme", "dark", "--aspect", "1:1", "--transparent"]
        let result = try NNSimBinary.run(arguments + ["--out", folder + "/a"])
        #expect(result.status == 0, "\(result.stderr)")
        let out = folder + "/a/xor"
        // 540 × 540 pt at 2 px a point, RGBA, the corner transparent.
        #expect(try inspect([out + "/loss.png", out + "/regions-000100.png"]) == "1080 1080 RGBA (0, 0, 0, 0)\n1080 1080 RGBA (0, 0, 0, 0)\n")
        // No background rectangle in the SVG; the PDF page rendered with transparency keeps alpha 0.
        let svg = try String(contentsOfFile: out + "/loss.svg", encoding: .utf8)
        #expect(svg.contains("width=\"540pt\" height=\"540pt\"") && !svg.contains("<rect x=\"0\" y=\"0\" width=\"540\" height=\"540\""))
        let cairo = try NNSimBinary.run(executable: URL(fileURLWithPath: "/usr/bin/pdftocairo"),
                                        ["-png", "-transp", "-singlefile", "-r", "36", out + "/loss.pdf", folder + "/loss-pdf"])
        #expect(cairo.status == 0, "\(cairo.stderr)")
        #expect(try inspect([folder + "/loss-pdf.png"]) == "270 270 RGBA (0, 0, 0, 0)\n")
        // The report is read on paper: its first page is white, A4.
        let report = try NNSimBinary.run(executable: URL(fileURLWithPath: "/usr/bin/pdftocairo"),
                                         ["-png", "-transp", "-singlefile", "-r", "18", out + "/report.pdf", folder + "/report"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(try inspect([folder + "/report.png"]).hasSuffix("RGBA (255, 255, 255, 255)\n"))
        // The same run again writes the same bytes.
        let again = try NNSimBinary.run(arguments + ["--out", folder + "/b"])
        #expect(again.status == 0, "\(again.stderr)")
        for name in try FileManager.default.contentsOfDirectory(atPath: out) where !name.hasPrefix(".") && name != "frames" {
            #expect(FileManager.default.contents(atPath: out + "/" + name) == FileManager.default.contents(atPath: folder + "/b/xor/" + name), "\(name) differs")
        }
    }

    @Test func graphFramesTakeTheStyle() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try NNSimBinary.run(["graph", "L = c*(a + 2*b)", "--at", "a=3,b=1,c=-2", "--out", folder, "--frames", "--format", "png",
                                          "--theme", "dark", "--aspect", "4:3"])
        #expect(result.status == 0, "\(result.stderr)")
        // 720 × 540 pt, opaque, the dark scheme's #1E1E1E.
        #expect(try inspect([folder + "/graph.png", folder + "/frames/01-forward-t1.png"]) == "1440 1080 RGB (30, 30, 30)\n1440 1080 RGB (30, 30, 30)\n")
    }

    @Test(arguments: [
        (["lesson", "xor", "--theme", "sepia"], "--theme \"sepia\" is not light, dark or print (see nnsim lesson --help)"),
        (["lesson", "xor", "--aspect", "3:2"], "--aspect \"3:2\" is not 16:9, 4:3 or 1:1 (see nnsim lesson --help)"),
        (["graph", "L = a*b", "--at", "a=1,b=2", "--theme", "Dark"], "--theme, --aspect and --transparent need --out DIR"),
        (["graph", "L = a*b", "--at", "a=1,b=2", "--out", "/tmp/never", "--aspect", "wide"], "--aspect \"wide\" is not 16:9, 4:3 or 1:1 (see nnsim graph --help)"),
    ])
    func badValuesAreNamed(arguments: [String], message: String) throws {
        let result = try NNSimBinary.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func helpSaysWhatTheOptionsDo() throws {
        let help = try NNSimBinary.run(["lesson", "--help"])
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for text in ["--theme <light|dark|print>", "--aspect <16:9|4:3|1:1>", "--transparent", "report.pdf is light, or print with print"] {
            #expect(words.contains(text), "\(text)")
        }
    }
}
