/// Broadcasting for rank ≤ 2, as in NumPy: shapes are aligned on the right and an extent of 1 (or a
/// missing axis) stretches to match. A bias vector `[k]` adds to every row of an `[n, k]` matrix.
public enum Broadcast {
    /// The shape two operands broadcast to, or nil when they do not fit together.
    public static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let pa = Array(repeating: 1, count: rank - a.count) + a
        let pb = Array(repeating: 1, count: rank - b.count) + b
        var result: [Int] = []
        for (x, y) in Swift.zip(pa, pb) {
            if x == y || y == 1 { result.append(x) } else if x == 1 { result.append(y) } else { return nil }
        }
        return result
    }

    /// The flat index into a tensor of `source` shape for each flat index of the broadcast `target` shape.
    static func indices(from source: [Int], to target: [Int]) -> [Int] {
        let padded = Array(repeating: 1, count: target.count - source.count) + source
        let count = target.reduce(1, *)
        switch target.count {
        case 0: return [0]
        case 1: return (0..<count).map { padded[0] == 1 ? 0 : $0 }
        default:
            let (rows, columns) = (target[0], target[1])
            var result: [Int] = []
            result.reserveCapacity(count)
            for r in 0..<rows {
                for c in 0..<columns {
                    result.append((padded[0] == 1 ? 0 : r) * padded[1] + (padded[1] == 1 ? 0 : c))
                }
            }
            return result
        }
    }

    /// Combines two tensors entry by entry after broadcasting them to a common shape.
    public static func zip(_ a: Tensor, _ b: Tensor, operation: String,
                           _ combine: (Double, Double) -> Double) throws(ShapeError) -> Tensor {
        if a.shape == b.shape {
            return Tensor(checkedShape: a.shape, scalars: Swift.zip(a.scalars, b.scalars).map(combine))
        }
        guard let target = shape(a.shape, b.shape) else {
            throw .incompatible(operation: operation, shapes: [a.shape, b.shape])
        }
        let ia = indices(from: a.shape, to: target), ib = indices(from: b.shape, to: target)
        return Tensor(checkedShape: target,
                      scalars: (0..<ia.count).map { combine(a.scalars[ia[$0]], b.scalars[ib[$0]]) })
    }

    /// Sums a gradient of the broadcast shape back down to an operand's own shape: the sum rule for an
    /// operand that was used once per row (or per entry).
    public static func reduce(_ gradient: Tensor, to shape: [Int]) -> Tensor {
        if gradient.shape == shape { return gradient }
        var sums = Array(repeating: 0.0, count: shape.reduce(1, *))
        for (i, j) in indices(from: shape, to: gradient.shape).enumerated() { sums[j] += gradient.scalars[i] }
        return Tensor(checkedShape: shape, scalars: sums)
    }
}
