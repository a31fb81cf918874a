// swift-tools-version:6.0
import PackageDescription

// The engine and the drawing are compiled with the optimizer in debug builds too (the main job's build and
// the tests'): the tests run every lesson, and unoptimized, generic code in the standard library (map, zip)
// made them 10–30 times slower. Lessons and the command line stay unoptimized (-Onone), for debugging.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "nnsim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nnsim", targets: ["nnsim"]),
        .library(name: "Sim", targets: ["Sim"]),
        .library(name: "Render", targets: ["Render"]),
        .library(name: "Lessons", targets: ["Lessons"]),
        .library(name: "SafeFiles", targets: ["SafeFiles"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Writing files: every output goes through one transaction (checked, staged, swapped in atomically).
        .target(name: "CFileSystem"),
        .target(name: "SafeFiles", dependencies: ["CFileSystem"]),

        // The engine: tensors, graphs, backward, optimizers, learning rules, random numbers, traces.
        // Numbers written for people: one formatter for the terminal, tables and figures (Sim re-exports it).
        .target(name: "CNumbers"),
        .target(name: "Numbers", dependencies: ["CNumbers"]),
        .target(name: "Sim", dependencies: ["SafeFiles", "Numbers"], swiftSettings: optimizedInDebug),

        // Drawing: figure descriptions, display lists, and Cairo as the one backend.
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]
        ),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Render", dependencies: ["CCairo", "CZlib", "Numbers"], exclude: ["Theme/README.md"],
                swiftSettings: optimizedInDebug),

        // Lessons, reports and assignments: wires Sim to Render.
        // The built-in lesson scripts travel inside the binary: BuiltInScripts links to lessons/.
        .target(name: "Lessons", dependencies: ["Sim", "Render", "SafeFiles", "CZlib", .product(name: "Yams", package: "Yams")],
                exclude: ["Kinds/README.md"], resources: [.embedInCode("BuiltInScripts")]),

        // The command line, kept thin.
        .executableTarget(
            name: "nnsim",
            dependencies: [
                "Sim", "Render", "Lessons", "SafeFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The readers of untrusted input as fuzz targets (docs/fuzzing.md): driven by Tests/Fuzz, and by
        // nnsim-fuzz, which `scripts/fuzz` builds with libFuzzer (-sanitize=fuzzer) into .build-fuzz.
        .target(name: "Fuzzing", dependencies: ["Sim", "Lessons"]),
        .executableTarget(name: "nnsim-fuzz", dependencies: ["Fuzzing"]),

        // Engine and figure benchmarks: `swift build -c release --product nnsim-bench`.
        .executableTarget(name: "nnsim-bench", dependencies: ["Sim", "Render", "Lessons"], path: "Sources/Benchmarks"),

        // Tests (Swift Testing).
        .testTarget(name: "SimTests", dependencies: ["Sim", "Numbers"], exclude: ["Fixtures"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "CZlib"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "Sim", "Render"]),
        .testTarget(name: "nnsimTests", dependencies: ["nnsim", "Sim"]),
        .testTarget(name: "SafeFilesTests", dependencies: ["SafeFiles"]),
        // Replays the seeds and every kept crash (Tests/Fuzz/regressions), then a short seeded mutation run.
        .testTarget(name: "FuzzTests", dependencies: ["Fuzzing", "Sim"], path: "Tests/Fuzz", exclude: ["regressions"]),
    ],
    swiftLanguageModes: [.v6]
)
