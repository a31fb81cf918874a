import Foundation
import Sim

/// The autograder zip Gradescope builds its image from (gradescope-autograders.readthedocs.io,
/// "Autograder Specifications"): `setup.sh` and `run_autograder` at the root, with nnsim itself, the
/// assignment and, if given, the class list. Gradescope unpacks it into /autograder/source, runs setup.sh
/// once as root on its Ubuntu image, and copies run_autograder to /autograder/run_autograder, which it runs
/// for every submission. The zip is the same byte for byte for the same inputs.
public enum GradescopeBundle {
    /// How long nnsim may take for one submission before run_autograder stops it and writes a zero saying
    /// so (Gradescope's own limit is 10 minutes by default, after which the student sees only a failure).
    public static let timeLimitSeconds = 300

    /// The zip's entries, in order.
    public static func entries(assignment: [UInt8], roster: [UInt8]?, nnsim: [UInt8]) -> [ZipArchive.Entry] {
        [
            ZipArchive.Entry("setup.sh", bytes: Array(setupScript.utf8), executable: true),
            ZipArchive.Entry("run_autograder", bytes: Array(runScript(roster: roster != nil).utf8), executable: true),
            ZipArchive.Entry("nnsim", bytes: nnsim, executable: true),
            ZipArchive.Entry("assignment.yaml", bytes: assignment),
        ] + (roster.map { [ZipArchive.Entry("roster.csv", bytes: $0)] } ?? [])
    }

    /// Run once, as root, when Gradescope builds the image. nnsim's Swift runtime and Foundation are inside
    /// the binary; what it still links from the system is Cairo (and zlib, glibc, libstdc++, in every
    /// Ubuntu image), and DejaVu Sans is the font it draws with. Running `nnsim --version` last makes a
    /// binary that cannot run here (built against a newer C library than the image's) fail the build,
    /// where the instructor sees it, instead of every submission.
    public static let setupScript = """
        #!/usr/bin/env bash
        # Gradescope runs this once, as root, when it builds the autograder image (written by nnsim assignment autograder).
        set -euo pipefail
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends libcairo2 zlib1g fonts-dejavu-core
        chmod 755 /autograder/source/nnsim /autograder/source/run_autograder
        /autograder/source/nnsim --version

        """

    /// Run for every submission. nnsim writes results.json itself, a zero with the reason for a missing or
    /// unreadable submission; should nnsim not finish (a crash, the time limit), a zero saying so is
    /// written here, so that Gradescope never shows the student "autograder failed". It needs bash and
    /// coreutils' `timeout` and `mkdir` only.
    public static func runScript(roster: Bool) -> String {
        """
        #!/usr/bin/env bash
        # Gradescope runs this for every submission (written by nnsim assignment autograder). It must leave
        # /autograder/results/results.json: nnsim writes it, and if nnsim does not finish, the lines below do.
        set -u
        source=/autograder/source
        results=/autograder/results/results.json
        mkdir -p /autograder/results
        cd "$source" 2>/dev/null || cd /
        timeout -k 10 \(timeLimitSeconds) "$source/nnsim" check "$source/assignment.yaml" /autograder/submission \\
            --metadata /autograder/submission_metadata.json\(roster ? " --roster \"$source/roster.csv\"" : "") --gradescope "$results"
        status=$?
        if [ ! -s "$results" ]; then
            case $status in
                124|137) reason="it took longer than \(timeLimitSeconds) seconds" ;;
                *) reason="nnsim ended with status $status and no results" ;;
            esac
            echo "run_autograder: no results from nnsim ($reason); writing a zero" >&2
            printf '{"score": 0.0, "output": "The autograder could not grade this submission (%s). Your instructor can see the details in the autograder output.", "output_format": "text", "stdout_visibility": "hidden", "tests": []}\\n' "$reason" > "$results"
        fi
        exit 0

        """
    }

    /// The shared libraries an ELF executable names (its DT_NEEDED entries), or nil when the bytes are not
    /// a 64-bit little-endian ELF file with a readable dynamic section (a fully static binary has none:
    /// an empty list).
    public static func neededLibraries(_ elf: [UInt8]) -> [String]? {
        dynamicSection(elf)?.needed
    }

    /// The newest glibc symbol version an ELF executable asks for (`GLIBC_2.35` as [2, 35]), from its
    /// version needs (DT_VERNEED): the oldest glibc, and so the oldest Ubuntu, it runs on. Nil when it asks
    /// for none or the bytes are not an ELF file.
    public static func newestGlibc(_ elf: [UInt8]) -> [Int]? {
        dynamicSection(elf)?.glibcVersions.max { $0.lexicographicallyPrecedes($1) }
    }

    private static func dynamicSection(_ elf: [UInt8]) -> (needed: [String], glibcVersions: [[Int]])? {
        func u(_ at: Int, _ size: Int) -> Int? {
            guard at >= 0, at + size <= elf.count else { return nil }
            var value: UInt64 = 0
            for k in (0..<size).reversed() { value = value << 8 | UInt64(elf[at + k]) }
            return value > UInt64(Int.max) ? nil : Int(value)
        }
        guard elf.count > 64, elf[0] == 0x7F, elf[1] == 0x45, elf[2] == 0x4C, elf[3] == 0x46, elf[4] == 2, elf[5] == 1,
              let phoff = u(0x20, 8), let phentsize = u(0x36, 2), let phnum = u(0x38, 2), phentsize >= 56 else { return nil }
        var loads: [(vaddr: Int, offset: Int, size: Int)] = []
        var dynamic: (offset: Int, size: Int)?
        for i in 0..<phnum {
            let at = phoff + i * phentsize
            guard let type = u(at, 4), let offset = u(at + 8, 8), let vaddr = u(at + 16, 8), let size = u(at + 32, 8) else { return nil }
            if type == 1 { loads.append((vaddr, offset, size)) }
            if type == 2 { dynamic = (offset, size) }
        }
        guard let dynamic else { return ([], []) }
        var needed: [Int] = []
        var stringTable: Int?, versionNeeds: Int?, versionNeedCount = 0
        var at = dynamic.offset
        while at + 16 <= dynamic.offset + dynamic.size, let tag = u(at, 8), let value = u(at + 8, 8), tag != 0 {
            switch tag {
            case 1: needed.append(value)                 // DT_NEEDED
            case 5: stringTable = value                  // DT_STRTAB
            case 0x6FFF_FFFE: versionNeeds = value       // DT_VERNEED
            case 0x6FFF_FFFF: versionNeedCount = value   // DT_VERNEEDNUM
            default: break
            }
            at += 16
        }
        func fileOffset(_ address: Int) -> Int? {
            loads.first { address >= $0.vaddr && address < $0.vaddr + $0.size }.map { address - $0.vaddr + $0.offset }
        }
        guard let address = stringTable, let table = fileOffset(address) else { return needed.isEmpty ? ([], []) : nil }
        func string(_ start: Int) -> String? {
            var end = table + start
            guard start >= 0, end < elf.count else { return nil }
            while end < elf.count, elf[end] != 0 { end += 1 }
            return String(decoding: elf[(table + start)..<end], as: UTF8.self)
        }
        // Elf64_Verneed (vn_cnt at 2, vn_aux at 8, vn_next at 12), each with vn_cnt Elf64_Vernaux (vna_name
        // at 8, vna_next at 12): the version names, such as GLIBC_2.34.
        var versions: [[Int]] = []
        if let start = versionNeeds.flatMap(fileOffset) {
            var need = start
            for _ in 0..<min(versionNeedCount, 1000) {
                guard let count = u(need + 2, 2), let aux = u(need + 8, 4), let next = u(need + 12, 4) else { break }
                var entry = need + aux
                for _ in 0..<min(count, 1000) {
                    guard let name = u(entry + 8, 4), let following = u(entry + 12, 4) else { break }
                    if let text = string(name), text.hasPrefix("GLIBC_") {
                        let parts = text.dropFirst(6).split(separator: ".").compactMap { Int($0) }
                        if !parts.isEmpty { versions.append(parts) }
                    }
                    if following == 0 { break }
                    entry += following
                }
                if next == 0 { break }
                need += next
            }
        }
        return (needed.compactMap(string), versions)
    }

    /// The glibc of each Ubuntu LTS Gradescope offers as a base image, oldest first.
    public static let ubuntuGlibc: [(ubuntu: String, glibc: [Int])] = [("18.04", [2, 27]), ("20.04", [2, 31]), ("22.04", [2, 35]), ("24.04", [2, 39])]

    /// Of an executable's libraries, those Gradescope's Ubuntu image does not have: the Swift runtime,
    /// Foundation, Dispatch and the ICU that Swift ships.
    public static func toolchainLibraries(_ needed: [String]) -> [String] {
        needed.filter { name in
            ["libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime", "libicu", "libXCTest", "libTesting"].contains { name.hasPrefix($0) }
        }
    }

    /// Questions whose lesson is a script file rather than a built-in lesson: the bundle holds the
    /// assignment only, so it refuses them (docs/assignments.md, Deploying on Gradescope).
    public static func scriptFileLessons(_ assignment: Assignment) -> [String] {
        assignment.questions.compactMap { question in
            switch question.subject {
            case .lesson(let name), .replay(let name):
                return name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml") ? "\(question.id) (\(name))" : nil
            default:
                return nil
            }
        }
    }
}
