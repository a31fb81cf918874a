import CZlib

/// Encodes a Cairo image surface's pixels as PNG. Cairo's own writer goes through libpng's adaptive
/// filtering, which costs 50 ms for a 1920×1080 slide; this one uses the Up filter on every row and zlib at
/// level 1, and streams: each row is converted, filtered and handed to zlib in turn, so no copy of the image
/// is made. Opaque images are written as RGB, others as RGBA with Cairo's premultiplied alpha undone the
/// way Cairo does it.
enum PNGEncoder {
    /// `pixels` holds `height` rows of `stride` bytes; each pixel is a native-endian UInt32 0xAARRGGBB.
    static func encode(pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int, opaque: Bool) throws(RenderError) -> [UInt8] {
        guard let image = pixels.baseAddress else { throw .cairo(status: "no pixels", context: "encoding the PNG") }
        let channels = opaque ? 3 : 4
        let rowBytes = width * channels
        let compressor = try Compressor()
        // The row being encoded and the one above (zeros above the first), as bytes, then the filtered row:
        // filter type 2 (Up) and each byte minus the one above it. Each has a spare byte at the end.
        let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * (rowBytes + 1))
        defer { memory.deallocate() }
        memory.initialize(repeating: 0, count: 3 * (rowBytes + 1))
        var above = memory, current = memory + rowBytes + 1
        let filtered = memory + 2 * (rowBytes + 1)
        filtered[0] = 2
        for y in 0..<height {
            convert(row: image + y * stride, width: width, opaque: opaque, into: current)
            for i in 0..<rowBytes { filtered[i + 1] = current[i] &- above[i] }
            try compressor.add(UnsafeBufferPointer(start: filtered, count: rowBytes + 1))
            swap(&above, &current)
        }
        try compressor.finish()

        var header: [UInt8] = []
        header += bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, opaque ? 2 : 6, 0, 0, 0]  // 8 bits, RGB or RGBA, deflate, adaptive filters, no interlace
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", header)
        png += chunk("IDAT", compressor.output)
        png += chunk("IEND", [])
        return png
    }

    /// One row of Cairo pixels as RGB bytes, or as RGBA with the alpha divided out. `out` has room for one
    /// byte more than the row: an RGB pixel is stored as four bytes, the fourth overwritten by the next pixel.
    private static func convert(row: UnsafeRawPointer, width: Int, opaque: Bool, into out: UnsafeMutablePointer<UInt8>) {
        let bytes = UnsafeMutableRawPointer(out)
        for x in 0..<width {
            let pixel = row.loadUnaligned(fromByteOffset: x * 4, as: UInt32.self)
            if opaque {
                // 0x00RRGGBB byte-swapped is 0xBBGGRR00: shifted down and stored little-endian, R, G, B, 0.
                bytes.storeBytes(of: (pixel.byteSwapped >> 8).littleEndian, toByteOffset: 3 * x, as: UInt32.self)
                continue
            }
            var r = (pixel >> 16) & 0xFF, g = (pixel >> 8) & 0xFF, b = pixel & 0xFF
            let a = pixel >> 24
            if a > 0 && a < 255 {
                r = (r * 255 + a / 2) / a; g = (g * 255 + a / 2) / a; b = (b * 255 + a / 2) / a
            }
            let o = out + 4 * x
            o[0] = UInt8(r); o[1] = UInt8(g); o[2] = UInt8(b); o[3] = UInt8(a)
        }
    }

    /// zlib data as `compress2` at level 1 writes it: the header 78 01, a raw deflate stream, the Adler-32 of
    /// the input. zlib is asked for the raw stream only and the checksum is summed here, 8 bytes at a time
    /// where they are all zero (a run of zeros only adds a multiple of s1 to s2): most of a filtered slide is
    /// zeros. The z_stream is allocated once and never moves: zlib keeps a pointer back to it.
    private final class Compressor {
        private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        private var chunk = [UInt8](repeating: 0, count: 1 << 16)
        private(set) var output: [UInt8] = [0x78, 0x01]
        private var s1: UInt64 = 1, s2: UInt64 = 0

        init() throws(RenderError) {
            stream.initialize(to: z_stream())
            let status = deflateInit2_(stream, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else {
                stream.deallocate()
                throw .cairo(status: "zlib error \(status)", context: "encoding the PNG")
            }
        }

        deinit {
            deflateEnd(stream)
            stream.deallocate()
        }

        /// Compresses one row (the sums are reduced once per call, which holds them far below 2⁶⁴ for
        /// rows of up to 131,069 bytes, the widest a PNG page can have).
        func add(_ bytes: UnsafeBufferPointer<UInt8>) throws(RenderError) {
            var a = s1, b = s2, i = 0
            if let base = bytes.baseAddress {
                while i + 8 <= bytes.count {
                    if UnsafeRawPointer(base).loadUnaligned(fromByteOffset: i, as: UInt64.self) == 0 {
                        b += 8 * a
                    } else {
                        for k in i..<(i + 8) { a += UInt64(base[k]); b += a }
                    }
                    i += 8
                }
                while i < bytes.count { a += UInt64(base[i]); b += a; i += 1 }
            }
            s1 = a % 65521
            s2 = b % 65521
            try run(bytes, flush: Z_NO_FLUSH)
        }

        /// Compresses what is left, ends the stream and appends the checksum.
        func finish() throws(RenderError) {
            try run(UnsafeBufferPointer(start: nil, count: 0), flush: Z_FINISH)
            let adler = UInt32(s2 << 16 | s1)
            output += [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
        }

        private func run(_ input: UnsafeBufferPointer<UInt8>, flush: Int32) throws(RenderError) {
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.pointee.avail_in = uInt(input.count)
            var status = Z_OK
            // Until zlib has taken all the input (Z_NO_FLUSH) or written the end of the stream (Z_FINISH).
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = uInt(out.count)
                    status = deflate(stream, flush)
                    return out.count - Int(stream.pointee.avail_out)
                }
                output += chunk.prefix(produced)
            } while status == Z_OK && (flush == Z_FINISH || stream.pointee.avail_out == 0)
            stream.pointee.next_in = nil
            let expected = flush == Z_FINISH ? Z_STREAM_END : Z_OK
            // Z_BUF_ERROR only says that a call could make no progress: all input was already taken.
            guard status == expected || (flush != Z_FINISH && status == Z_BUF_ERROR) else {
                throw .cairo(status: "zlib error \(status)", context: "encoding the PNG")
            }
        }
    }

    /// A chunk: its length, type, data and the CRC of type and data (also AnimatedPNG's).
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        return bigEndian(UInt32(data.count)) + body + bigEndian(UInt32(crc))
    }

    static func bigEndian(_ x: UInt32) -> [UInt8] {
        [UInt8(x >> 24), UInt8((x >> 16) & 0xFF), UInt8((x >> 8) & 0xFF), UInt8(x & 0xFF)]
    }
}
