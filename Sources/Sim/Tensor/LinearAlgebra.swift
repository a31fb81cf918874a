/// Matrix algebra on tensors: products, transposes and reductions.
extension Tensor {
    /// The matrix product. Vectors take the role NumPy gives them: `[k]` on the left is a row,
    /// on the right a column, and the result drops that axis again.
    public func matmul(_ other: Tensor) throws(ShapeError) -> Tensor {
        guard rank >= 1, other.rank >= 1 else {
            throw .incompatible(operation: "matmul", shapes: [shape, other.shape])
        }
        let (m, k) = rank == 2 ? (shape[0], shape[1]) : (1, shape[0])
        let (k2, n) = other.rank == 2 ? (other.shape[0], other.shape[1]) : (other.shape[0], 1)
        guard k == k2 else { throw .incompatible(operation: "matmul", shapes: [shape, other.shape]) }
        var out = Array(repeating: 0.0, count: m * n)
        scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                for i in 0..<m {
                    for p in 0..<k {
                        let aip = a[i * k + p]
                        for j in 0..<n { out[i * n + j] += aip * b[p * n + j] }
                    }
                }
            }
        }
        let resultShape: [Int]
        switch (rank, other.rank) {
        case (2, 2): resultShape = [m, n]
        case (2, 1): resultShape = [m]
        case (1, 2): resultShape = [n]
        default: resultShape = []
        }
        return Tensor(checkedShape: resultShape, scalars: out)
    }

    /// The transpose of a matrix; a vector or scalar is its own transpose.
    public var transposed: Tensor {
        guard rank == 2 else { return self }
        let (r, c) = (shape[0], shape[1])
        var out = Array(repeating: 0.0, count: count)
        for i in 0..<r { for j in 0..<c { out[j * r + i] = scalars[i * c + j] } }
        return Tensor(checkedShape: [c, r], scalars: out)
    }

    /// The sum of all entries.
    public var sum: Double { scalars.reduce(0, +) }
}
