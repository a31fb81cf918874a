import CZlib
import Foundation
import Sim

/// A zip file (PKWARE APPNOTE 6.3, no Zip64: every entry and the whole archive under 4 GiB), written the
/// same byte for byte for the same entries: entries in the order given, one fixed timestamp (1980-01-01
/// 00:00, the earliest a zip can say), Unix modes (0644, or 0755 for an executable) and nothing else from
/// the machine that wrote it. Each entry is deflated (raw deflate, zlib's level 1) unless that makes it larger,
/// then stored. Level 1, not zlib's default 6: an autograder's 74 MB nnsim binary deflates in 1.9 s instead of
/// 5.1 s, to 30 MB instead of 28 (measured 2026-11-30; every other entry is a few kB).
public enum ZipArchive {
    public struct Entry: Sendable {
        public let name: String
        public let bytes: [UInt8]
        public let executable: Bool

        public init(_ name: String, bytes: [UInt8], executable: Bool = false) {
            self.name = name
            self.bytes = bytes
            self.executable = executable
        }
    }

    public static func bytes(_ entries: [Entry]) throws(LessonError) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            guard !name.isEmpty, name.count < 0xFFFF, entry.bytes.count < 0xFFFF_FFFF else { throw LessonError("cannot put '\(entry.name)' in a zip file") }
            let crc = entry.bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
            let deflated = try deflate(entry.bytes)
            let (method, data): (UInt16, [UInt8]) = deflated.count < entry.bytes.count ? (8, deflated) : (0, entry.bytes)
            let offset = out.count
            guard offset + 30 + name.count + data.count < 0xFFFF_FFFF else { throw LessonError("the zip file would be larger than 4 GiB") }
            // Version 2.0 needed; bit 11: the name is UTF-8; DOS time 00:00, date 1980-01-01.
            var common: [UInt8] = []
            common += le16(20) + le16(1 << 11) + le16(method) + le16(0) + le16(0x21)
            common += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(entry.bytes.count)) + le16(UInt16(name.count)) + le16(0)
            out += le32(0x0403_4B50) + common + name + data
            let mode: UInt32 = entry.executable ? 0o100755 : 0o100644
            // Made by Unix (3), version 2.0; no comment, disk 0, internal attributes 0, the mode in the upper half.
            central += le32(0x0201_4B50) + le16(3 << 8 | 20) + common + le16(0) + le16(0) + le16(0) + le32(mode << 16) + le32(UInt32(offset)) + name
        }
        guard entries.count < 0xFFFF, out.count + central.count < 0xFFFF_FFFF else { throw LessonError("the zip file would be too large") }
        let directoryOffset = out.count
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        out += le32(UInt32(central.count)) + le32(UInt32(directoryOffset)) + le16(0)
        return out
    }

    /// A raw deflate stream (no zlib header) at level 1, in one call: deflateBound says how much room it
    /// needs. The z_stream is allocated, not a local: zlib keeps a pointer back to it and checks it.
    static func deflate(_ input: [UInt8]) throws(LessonError) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard deflateInit2_(stream, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw LessonError("zlib could not start compressing")
        }
        defer { deflateEnd(stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(input.count))) + 16)
        var input = input
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.pointee.next_in = source.baseAddress
                stream.pointee.avail_in = uInt(source.count)
                stream.pointee.next_out = target.baseAddress
                stream.pointee.avail_out = uInt(target.count)
                return CZlib.deflate(stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw LessonError("zlib could not compress (status \(status))") }
        return Array(output.prefix(Int(stream.pointee.total_out)))
    }

    static func le16(_ x: UInt16) -> [UInt8] { [UInt8(x & 0xFF), UInt8(x >> 8)] }
    static func le32(_ x: UInt32) -> [UInt8] { [UInt8(x & 0xFF), UInt8((x >> 8) & 0xFF), UInt8((x >> 16) & 0xFF), UInt8(x >> 24)] }
}
