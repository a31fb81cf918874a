import Foundation
import Testing

/// `nnsim graph` with vectors and matrices (issue 16), as a user runs it (its one-line errors are among
/// GraphCommandTests').
@Suite struct GraphTensorCommandTests {
    @Test func theIssuesExampleRuns() throws {
        let result = try NNSimBinary.run(["graph", "z = W@x + b; y = sigmoid(z); L = sum((y - t)^2)",
                                          "--at", "W=[[1,2],[3,4]],x=[1,-1],b=[0,1],t=[0,1]"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("  t1 = W·x = [1, 2; 3, 4]·[1, −1] = [−1, −1]   (shapes 2×2, 2 → 2)\n"))
        #expect(result.stdout.contains("  ∂L/∂W = [0.1058, −0.1058; −0.25, 0.25]   (shape 2×2)\n"))
    }

    /// `--at` may be repeated, and a file gives a larger value; the same run as values typed in.
    @Test func valuesFromAFileAndRepeatedAt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnsim-w-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("1,2\n3,4\n".utf8).write(to: URL(fileURLWithPath: path))
        let typed = try NNSimBinary.run(["graph", "L = sum(W@x)", "--at", "W=[[1,2],[3,4]],x=[1,-1]"])
        let file = try NNSimBinary.run(["graph", "L = sum(W@x)", "--at", "x=[1,-1]", "--at", "W=@\(path)"])
        #expect(typed.status == 0 && file.status == 0)
        #expect(file.stdout == typed.stdout.replacingOccurrences(of: "  W = [1, 2; 3, 4]   (shape 2×2)\n  x = [1, −1]   (shape 2)\n",
                                                               with: "  x = [1, −1]   (shape 2)\n  W = [1, 2; 3, 4]   (shape 2×2)\n")
                    .replacingOccurrences(of: "  ∂L/∂W = [1, −1; 1, −1]   (shape 2×2)\n  ∂L/∂x = [4, 6]   (shape 2)\n",
                                          with: "  ∂L/∂x = [4, 6]   (shape 2)\n  ∂L/∂W = [1, −1; 1, −1]   (shape 2×2)\n"))
    }
}
