import CZlib
import Testing
@testable import Render

/// Decodes what PNGEncoder writes, independently: chunks, CRCs, zlib inflate, the Up filter undone.
struct DecodedPNG {
    var width = 0, height = 0, channels = 0
    var pixels: [UInt8] = []

    init(_ bytes: [UInt8]) throws {
        try #require(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var offset = 8, idat: [UInt8] = []
        func u32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        while offset < bytes.count {
            let length = u32(offset)
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            let body = Array(bytes[offset + 4..<offset + 8 + length])
            let crc = body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
            #expect(Int(crc) == u32(offset + 8 + length), "CRC of \(type)")
            let data = Array(body.dropFirst(4))
            if type == "IHDR" {
                width = u32(offset + 8); height = u32(offset + 12)
                channels = data[9] == 2 ? 3 : 4
            }
            if type == "IDAT" { idat += data }
            offset += 12 + length
        }
        let rowBytes = width * channels
        var raw = [UInt8](repeating: 0, count: (rowBytes + 1) * height)
        var length = uLong(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { o in idat.withUnsafeBufferPointer { uncompress(o.baseAddress, &length, $0.baseAddress, uLong($0.count)) } }
        try #require(status == Z_OK && Int(length) == raw.count)
        var previous = [UInt8](repeating: 0, count: rowBytes)
        for y in 0..<height {
            try #require(raw[y * (rowBytes + 1)] == 2)
            let row = (0..<rowBytes).map { raw[y * (rowBytes + 1) + 1 + $0] &+ previous[$0] }
            pixels += row
            previous = row
        }
    }

    func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(pixels[(y * width + x) * channels..<(y * width + x + 1) * channels]) }
}

@Suite struct PNGEncoderTests {
    func square(_ fill: Color, background: Color?) -> DisplayList {
        let box: [PathElement] = [.move(Point(10, 10)), .line(Point(30, 10)), .line(Point(30, 30)), .line(Point(10, 30)), .close]
        return DisplayList(size: Size(40, 40), background: background, items: [.path(PathShape(box, fill: fill))])
    }

    /// An animated PNG's chunks in the order the APNG specification asks (acTL before the first IDAT, an
    /// fcTL before each frame, sequence numbers 0, 1, 2, … across fcTL and fdAT), each frame's data the
    /// still's, and frames of another size refused.
    @Test func animatedPNGChunksAndRefusals() throws {
        let red = try CairoRenderer.render(square(Color(red: 1, green: 0, blue: 0), background: .white), as: .png, pngScale: 1)
        let blue = try CairoRenderer.render(square(Color(red: 0, green: 0, blue: 1), background: .white), as: .png, pngScale: 1)
        let animation = try AnimatedPNG.assemble([red, blue, red])
        let chunks = try #require(AnimatedPNG.chunks(animation))
        #expect(chunks.map(\.type) == ["IHDR", "acTL", "fcTL", "IDAT", "fcTL", "fdAT", "fcTL", "fdAT", "IEND"])
        func number(_ bytes: [UInt8], at i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        #expect(number(chunks[1].data, at: 0) == 3 && number(chunks[1].data, at: 4) == 0)
        #expect([2, 4, 5, 6, 7].map { number(chunks[$0].data, at: 0) } == [0, 1, 2, 3, 4])
        let stillData = try #require(AnimatedPNG.chunks(blue)).filter { $0.type == "IDAT" }.flatMap(\.data)
        #expect(Array(chunks[5].data.dropFirst(4)) == stillData)
        // The first frame is the still image for a decoder without APNG.
        #expect(try DecodedPNG(animation).pixels == DecodedPNG(red).pixels)
        let small = try CairoRenderer.render(DisplayList(size: Size(20, 20), background: .white), as: .png, pngScale: 1)
        #expect(throws: AnimatedPNG.Problem.sizeDiffers(frame: 1)) { try AnimatedPNG.assemble([red, small]) }
        #expect(throws: AnimatedPNG.Problem.notPNG(frame: 0)) { try AnimatedPNG.assemble([[1, 2, 3]]) }
    }

    @Test func opaquePageIsRGBWithExactColours() throws {
        let png = try DecodedPNG(CairoRenderer.render(square(Color(red: 1, green: 0, blue: 0), background: .white), as: .png, pngScale: 1))
        #expect(png.width == 40 && png.height == 40 && png.channels == 3)
        #expect(png.pixel(20, 20) == [255, 0, 0])
        #expect(png.pixel(2, 2) == [255, 255, 255])
        #expect(png.pixel(39, 39) == [255, 255, 255])
    }

    @Test func transparentPageIsRGBAWithAlphaUnpremultiplied() throws {
        let fill = Color(red: 0, green: 0, blue: 1, alpha: 0.5)
        let png = try DecodedPNG(CairoRenderer.render(square(fill, background: nil), as: .png, pngScale: 2))
        #expect(png.width == 80 && png.channels == 4)
        #expect(png.pixel(0, 0) == [0, 0, 0, 0])
        let inside = png.pixel(40, 40)
        #expect(inside[2] == 255 && inside[0] == 0 && abs(Int(inside[3]) - 128) <= 1)
    }
}
