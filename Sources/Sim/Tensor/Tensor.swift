/// A tensor of Doubles of rank 0 (scalar), 1 (vector) or 2 (row-major matrix).
///
/// Tensors are plain values: every operation returns a new tensor, so a recorded value never changes
/// behind a trace's back.
public struct Tensor: Sendable, Hashable {
    /// The extent of each axis: `[]` for a scalar, `[n]` for a vector, `[rows, columns]` for a matrix.
    public let shape: [Int]
    /// The entries in row-major order; `scalars.count` is the product of `shape`.
    public private(set) var scalars: [Double]

    /// Creates a tensor, or fails when the rank is above 2, an extent is negative, or the count does not fit.
    public init(shape: [Int], scalars: [Double]) throws(ShapeError) {
        guard shape.count <= 2, shape.allSatisfy({ $0 >= 0 }) else { throw .unsupportedShape(shape) }
        guard shape.reduce(1, *) == scalars.count else {
            throw .countMismatch(shape: shape, count: scalars.count)
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// Internal initializer for shapes the caller has already checked.
    init(checkedShape shape: [Int], scalars: [Double]) {
        assert(shape.count <= 2 && shape.reduce(1, *) == scalars.count)
        self.shape = shape
        self.scalars = scalars
    }

    /// The one entry of a scalar, where the engine's construction guarantees one: the upstream gradient
    /// of an operation whose output is a scalar. Anything else would make a gradient silently wrong, so it stops.
    var onlyScalar: Double {
        guard shape.isEmpty, scalars.count == 1 else {
            preconditionFailure("a scalar was expected, not a tensor of shape \(shape)")
        }
        return scalars[0]
    }

    public init(_ scalar: Double) {
        self.init(checkedShape: [], scalars: [scalar])
    }

    public init(vector: [Double]) {
        self.init(checkedShape: [vector.count], scalars: vector)
    }

    /// A matrix from its rows; fails when the rows differ in length.
    /// A column vector as an n×1 matrix.
    public init(column: [Double]) {
        self.init(checkedShape: [column.count, 1], scalars: column)
    }

    public init(rows: [[Double]]) throws(ShapeError) {
        let columns = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == columns }) else { throw .raggedRows(rows.map(\.count)) }
        self.init(checkedShape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// A tensor of the given shape with every entry equal to `value`.
    public init(repeating value: Double, shape: [Int]) throws(ShapeError) {
        guard shape.count <= 2, shape.allSatisfy({ $0 >= 0 }) else { throw .unsupportedShape(shape) }
        self.init(checkedShape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
    }

    public var rank: Int { shape.count }
    public var count: Int { scalars.count }
    public var isScalar: Bool { shape.isEmpty }

    /// The single entry of a scalar (or of any one-entry tensor).
    public var scalar: Double? { scalars.count == 1 ? scalars[0] : nil }

    /// Rows of a matrix (a vector is one row, a scalar one row of one entry).
    public var rows: [[Double]] {
        switch rank {
        case 2:
            let columns = shape[1]
            return (0..<shape[0]).map { Array(scalars[($0 * columns)..<(($0 + 1) * columns)]) }
        default:
            return [scalars]
        }
    }

    /// Entry `(row, column)` of a matrix.
    public subscript(row: Int, column: Int) -> Double {
        precondition(rank == 2, "two indices need a matrix")
        return scalars[row * shape[1] + column]
    }

    /// A tensor of the same shape with `transform` applied to every entry.
    public func map(_ transform: (Double) -> Double) -> Tensor {
        Tensor(checkedShape: shape, scalars: scalars.map(transform))
    }

    /// Every entry finite (no inf, no nan).
    public var isFinite: Bool { scalars.allSatisfy(\.isFinite) }

    /// Shape written the way the figures and messages show it: `scalar`, `4`, `3×4`.
    public var shapeDescription: String {
        shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "×")
    }
}

/// Why a tensor could not be built or combined.
public enum ShapeError: Error, Equatable, Sendable, CustomStringConvertible {
    case unsupportedShape([Int])
    case countMismatch(shape: [Int], count: Int)
    case raggedRows([Int])
    case incompatible(operation: String, shapes: [[Int]])

    public var description: String {
        func show(_ s: [Int]) -> String { s.isEmpty ? "scalar" : s.map(String.init).joined(separator: "×") }
        switch self {
        case .unsupportedShape(let s): return "shape [\(s.map(String.init).joined(separator: ", "))] is not supported (rank 0 to 2, no negative extents)"
        case .countMismatch(let s, let n): return "shape \(show(s)) needs \(s.reduce(1, *)) entries, got \(n)"
        case .raggedRows(let counts): return "matrix rows differ in length: \(counts.map(String.init).joined(separator: ", "))"
        case .incompatible(let op, let shapes): return "\(op) cannot combine shapes \(shapes.map(show).joined(separator: " and "))"
        }
    }
}
