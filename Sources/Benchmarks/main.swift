// Engine and figure benchmark: time to build, differentiate and trace a 10,000-node graph, and peak memory growth at
// 1k, 10k and 100k nodes. Build in release: `swift build -c release --product nnsim-bench`.
//
// Two graph shapes: a long chain (x, then y = 1.0001·y repeated) and a wide sum (n/2 inputs added up in a
// balanced tree). Times are wall clock, the median of several repetitions. Memory is measured in a fresh
// child process per size (`nnsim-bench --memory SHAPE N`), as the growth of its peak resident size
// (VmHWM in /proc/self/status) over the whole build, backward, trace and write. FigureBenchmark times the
// figures.
import Foundation
import Sim

enum Shape: String, CaseIterable {
    case chain, sum
}

/// Builds a graph of about `nodes` nodes of the given shape; returns it and its output.
func build(_ shape: Shape, nodes: Int) throws -> (Graph, Var) {
    let g = Graph()
    switch shape {
    case .chain:
        var y = try g.input("x", Tensor(0.5))
        for _ in 1..<nodes { y = try g.apply(Scale(1.0001), [y]) }
        return (g, y)
    case .sum:
        var level = try (0..<(nodes + 1) / 2).map { try g.input("x\($0)", Tensor(Double($0 % 7) - 3)) }
        while level.count > 1 {
            var next: [Var] = []
            for pair in stride(from: 0, to: level.count - 1, by: 2) {
                next.append(try g.apply(Add(), [level[pair], level[pair + 1]]))
            }
            if level.count % 2 == 1, let last = level.last { next.append(last) }
            level = next
        }
        return (g, level[0])
    }
}

/// Records one step of the graph into a trace and writes it to `path`.
func traceAndWrite(_ g: Graph, _ grads: Gradients, to path: String) throws {
    let trace = Trace(source: .graph(name: "bench", expression: "benchmark"), settings: ["seed": 0],
                      runs: [TraceRun(name: "main", steps: [TraceStep(step: 1, graph: g, gradients: grads)])])
    try trace.write(toFile: path)
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Peak resident memory so far, in kB.
func peakKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return 0
}

let temporary = FileManager.default.temporaryDirectory.path + "/nnsim-bench-\(getpid()).json"
defer { try? FileManager.default.removeItem(atPath: temporary) }

func timings(_ shape: Shape, nodes: Int, repetitions: Int) throws {
    var times: [String: [Double]] = [:]
    var bytes = 0
    for _ in 0..<repetitions {
        let clock = ContinuousClock()
        var start = clock.now
        let (g, output) = try build(shape, nodes: nodes)
        times["forward build", default: []].append(seconds(clock.now - start))
        start = clock.now
        let grads = try g.backward(from: output)
        times["backward", default: []].append(seconds(clock.now - start))
        start = clock.now
        let step = TraceStep(step: 1, graph: g, gradients: grads)
        times["trace: record step", default: []].append(seconds(clock.now - start))
        let trace = Trace(source: .graph(name: "bench", expression: "benchmark"), settings: ["seed": 0], runs: [TraceRun(name: "main", steps: [step])])
        start = clock.now
        let encoded = try trace.encoded()
        times["trace: encode JSON", default: []].append(seconds(clock.now - start))
        start = clock.now
        try trace.write(toFile: temporary)
        times["trace: encode + write file", default: []].append(seconds(clock.now - start))
        bytes = encoded.count
        start = clock.now
        _ = try Trace.read(fromFile: temporary)
        times["trace: read back (parse + check)", default: []].append(seconds(clock.now - start))
    }
    print("\(shape.rawValue), \(nodes) nodes, median of \(repetitions) (trace file \(bytes / 1024) KiB):")
    for phase in ["forward build", "backward", "trace: record step", "trace: encode JSON", "trace: encode + write file",
                  "trace: read back (parse + check)"] {
        let ms = median(times[phase] ?? []) * 1000
        print("  \(phase.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(format: "%9.2f", ms)) ms")
    }
}

/// In a child process: the peak memory growth of one full run at this size, printed in kB.
func memoryProbe(_ shape: Shape, nodes: Int) throws {
    let before = peakKilobytes()
    let (g, output) = try build(shape, nodes: nodes)
    let grads = try g.backward(from: output)
    try traceAndWrite(g, grads, to: temporary)
    print(peakKilobytes() - before)
    try FileManager.default.removeItem(atPath: temporary)
}

let arguments = CommandLine.arguments
if arguments.count == 4, arguments[1] == "--memory", let shape = Shape(rawValue: arguments[2]), let n = Int(arguments[3]) {
    try memoryProbe(shape, nodes: n)
    exit(0)
}
// `nnsim-bench --read-trace FILE`: the median of 5 reads of a trace file (read, parse, check), in ms
// (benchmarks/trace-size).
if arguments.count == 3, arguments[1] == "--read-trace" {
    var times: [Double] = []
    for _ in 0..<5 {
        let start = ContinuousClock.now
        _ = try Trace.read(fromFile: arguments[2], limits: JSONLimits(maxBytes: 1 << 30))
        times.append(seconds(ContinuousClock.now - start))
    }
    print(times.sorted()[2] * 1000)
    exit(0)
}

let repetitions = 7
for shape in Shape.allCases {
    try timings(shape, nodes: 10_000, repetitions: repetitions)
}
try FigureBenchmark.run(repetitions: 21)

print("peak memory growth (fresh process per size; build + backward + trace + write):")
let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? arguments[0]
for shape in Shape.allCases {
    var line = "  \(shape.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0))"
    for n in [1_000, 10_000, 100_000] {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: executable)
        child.arguments = ["--memory", shape.rawValue, String(n)]
        let pipe = Pipe()
        child.standardOutput = pipe
        try child.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        let kilobytes = Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        line += String(format: "  %7d nodes: %8d kB (%5.2f kB/node)", n, kilobytes, Double(kilobytes) / Double(n))
    }
    print(line)
}
