import Foundation
import Fuzzing

#if NNSIM_LIBFUZZER
// Built by scripts/fuzz with -sanitize=fuzzer. SwiftPM names this program's entry point itself, so main()
// hands over to libFuzzer's driver, which calls `fuzzOneInput` for every input, run on a worker-sized
// stack; the target comes from the environment, since libFuzzer owns the command line.
private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["NNSIM_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("set NNSIM_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = target.runOnWorkerStack(bytes)
    return 0
}

/// libFuzzer's driver (compiler-rt's FuzzerDriver.cpp): parses its options from argv and fuzzes.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@main struct FuzzDriver {
    static func main() {
        _ = target
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runDriver(&argc, &argv, fuzzOneInput))
    }
}
#else
/// Without libFuzzer: `nnsim-fuzz seeds TARGET DIR` writes the seed corpus into DIR, and
/// `nnsim-fuzz TARGET FILE…` runs files through a target (to reproduce a crash in a debugger).
@main struct FuzzDriver {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
        if arguments.count == 3, arguments[0] == "seeds", let target = FuzzTarget(rawValue: arguments[1]) {
            let folder = arguments[2]
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for (i, seed) in FuzzSeeds.seeds(for: target, root: root).enumerated() {
                    try Data(seed).write(to: URL(fileURLWithPath: folder + "/" + String(format: "seed-%03d", i)))
                }
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                exit(1)
            }
            return
        }
        guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[0]) else {
            FileHandle.standardError.write(Data("usage: nnsim-fuzz seeds \(names) DIR | nnsim-fuzz \(names) FILE…\n".utf8))
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("error: cannot read \(path)\n".utf8))
                exit(1)
            }
            switch target.runOnWorkerStack(Array(data)) {
            case .accepted: print("\(path): accepted")
            case .refused(let why): print("\(path): refused: \(why)")
            }
        }
    }
}
#endif
