import Foundation
import Lessons
import Testing

@Suite struct GradescopeBundleTests {
    /// The same entries give the same bytes; text is deflated, what deflate cannot shrink (nothing, noise)
    /// is stored; the end record counts the entries.
    @Test func zipFilesAreDeterministic() throws {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let entries = [ZipArchive.Entry("run_autograder", bytes: Array(String(repeating: "echo hi\n", count: 100).utf8), executable: true),
                       ZipArchive.Entry("empty", bytes: []), ZipArchive.Entry("noise", bytes: noise)]
        let zip = try ZipArchive.bytes(entries)
        #expect(try ZipArchive.bytes(entries) == zip)
        // Local headers: method at offset 8 (8 deflate, 0 stored).
        #expect(Array(zip[0..<4]) == [0x50, 0x4B, 0x03, 0x04] && zip[8] == 8)
        let end = Array(zip.suffix(22))
        #expect(Array(end[0..<4]) == [0x50, 0x4B, 0x05, 0x06] && end[10] == 3)
        #expect(zip.count < 4096 + 800 + 200)
    }

    /// DT_NEEDED of a system executable: glibc, and nothing of a Swift toolchain.
    @Test func neededLibrariesOfAnExecutable() throws {
        let elf = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "/usr/bin/env")))
        let needed = try #require(GradescopeBundle.neededLibraries(elf))
        #expect(needed.contains("libc.so.6") && GradescopeBundle.toolchainLibraries(needed).isEmpty)
        // This machine's env asks for some glibc from 2.2.5 on, and no newer one than this machine has.
        let glibc = try #require(GradescopeBundle.newestGlibc(elf))
        #expect(glibc.count == 2 && glibc[0] == 2 && (3...99).contains(glibc[1]), "\(glibc)")
        #expect(GradescopeBundle.neededLibraries(Array("#!/bin/sh\n".utf8)) == nil)
        #expect(GradescopeBundle.toolchainLibraries(["libswiftCore.so", "libFoundation.so", "libc.so.6", "libcairo.so.2"]) == ["libswiftCore.so", "libFoundation.so"])
    }
}
