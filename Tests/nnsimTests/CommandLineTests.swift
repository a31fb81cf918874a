import Foundation
import Testing

/// Runs the built `nnsim` binary, as a user would.
enum NNSimBinary {
    static var url: URL {
        // Tests run from the build products folder's xctest bundle; the binary sits beside it.
        Bundle.main.bundleURL.appendingPathComponent("nnsim")
    }

    struct Result { let status: Int32; let stdout: String; let stderr: String }

    /// Runs nnsim with `environment` added to this process's.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        try run(executable: url, arguments, stdin: stdin,
                environment: environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 })
    }

    /// Runs any program: in `directory` when given, with exactly `environment` when given (else this
    /// process's), standard input from `stdin` and then closed; its status and both outputs.
    static func run(executable: URL, _ arguments: [String], stdin: String? = nil, directory: String? = nil,
                    environment: [String: String]? = nil) throws -> Result {
        var process = Process()
        var out = Pipe(), err = Pipe(), input = Pipe()
        // A binary copied by a test is "Text file busy" (ETXTBSY) while a process another test forks at the
        // same moment still holds the copy's descriptor until its exec: tried again for up to a second.
        for attempt in 0..<20 {
            process = Process()
            process.executableURL = executable
            process.arguments = arguments
            if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
            if let environment { process.environment = environment }
            (out, err, input) = (Pipe(), Pipe(), Pipe())
            process.standardOutput = out
            process.standardError = err
            process.standardInput = input
            do {
                try process.run()
                break
            } catch let error as NSError where attempt < 19
                && (error.userInfo[NSUnderlyingErrorKey] as? NSError).map({ $0.domain == NSPOSIXErrorDomain && $0.code == Int(ETXTBSY) }) == true {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

@Suite struct CommandLineTests {
    @Test func printsVersion() throws {
        let result = try NNSimBinary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }
}
