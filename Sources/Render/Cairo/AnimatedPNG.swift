/// An animated PNG (APNG, the W3C PNG 3rd edition's `acTL`/`fcTL`/`fdAT` chunks) made from PNGs of one
/// size, as nnsim's own encoder writes them: each frame's image data is moved over as it is, so the
/// animation costs no more drawing and its frames are bit for bit the still PNGs. Every browser shows it,
/// slide software that does not know APNG shows the first frame, and Pillow and ffmpeg decode it.
///
/// Written here rather than as a GIF: GIF has 256 colours (the figures' antialiased text would dither)
/// and would need an encoder of its own, while APNG reuses the PNG encoder's zlib streams unchanged.
public enum AnimatedPNG {
    /// Why frames cannot be put together.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notPNG(frame: Int)
        case sizeDiffers(frame: Int)
        case noFrames

        public var description: String {
            switch self {
            case .notPNG(let frame): return "frame \(frame + 1) is not a PNG nnsim wrote"
            case .sizeDiffers(let frame): return "frame \(frame + 1) differs in size or colour type from the first"
            case .noFrames: return "an animation needs at least one frame"
            }
        }
    }

    /// The animation of `frames` (whole PNG files of one size and colour type), each shown for
    /// `delay` = numerator/denominator seconds, looping `loops` times (0: for ever).
    public static func assemble(_ frames: [[UInt8]], delay: (numerator: UInt16, denominator: UInt16) = (3, 2),
                                loops: UInt32 = 0) throws(Problem) -> [UInt8] {
        guard !frames.isEmpty else { throw .noFrames }
        var header: [UInt8]?
        var data: [[UInt8]] = []
        for (index, png) in frames.enumerated() {
            guard let chunks = chunks(png) else { throw .notPNG(frame: index) }
            guard let ihdr = chunks.first(where: { $0.type == "IHDR" })?.data, ihdr.count == 13 else { throw .notPNG(frame: index) }
            if let header, header != ihdr { throw .sizeDiffers(frame: index) }
            header = ihdr
            data.append(chunks.filter { $0.type == "IDAT" }.flatMap(\.data))
        }
        guard let header else { throw .noFrames }
        var out: [UInt8] = signature
        out += PNGEncoder.chunk("IHDR", header)
        out += PNGEncoder.chunk("acTL", PNGEncoder.bigEndian(UInt32(frames.count)) + PNGEncoder.bigEndian(loops))
        var sequence: UInt32 = 0
        for (index, image) in data.enumerated() {
            // fcTL: sequence, width, height, x and y offsets 0, the delay, dispose none, blend source.
            out += PNGEncoder.chunk("fcTL", PNGEncoder.bigEndian(sequence) + Array(header[0..<8]) + PNGEncoder.bigEndian(0) + PNGEncoder.bigEndian(0)
                         + bigEndian16(delay.numerator) + bigEndian16(delay.denominator) + [0, 0])
            sequence += 1
            if index == 0 {
                out += PNGEncoder.chunk("IDAT", image)   // the first frame is also the still image
            } else {
                out += PNGEncoder.chunk("fdAT", PNGEncoder.bigEndian(sequence) + image)
                sequence += 1
            }
        }
        out += PNGEncoder.chunk("IEND", [])
        return out
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A PNG's chunks (type and data), or nil when it is not a well-formed PNG.
    static func chunks(_ png: [UInt8]) -> [(type: String, data: [UInt8])]? {
        guard png.count >= 8, Array(png[0..<8]) == signature else { return nil }
        var result: [(type: String, data: [UInt8])] = []
        var i = 8
        while i + 12 <= png.count {
            let length = Int(png[i]) << 24 | Int(png[i + 1]) << 16 | Int(png[i + 2]) << 8 | Int(png[i + 3])
            guard length >= 0, i + 12 + length <= png.count else { return nil }
            let type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
            result.append((type, Array(png[(i + 8)..<(i + 8 + length)])))
            i += 12 + length
            if type == "IEND" { return result }
        }
        return nil
    }

    private static func bigEndian16(_ x: UInt16) -> [UInt8] { [UInt8(x >> 8), UInt8(x & 0xFF)] }
}
