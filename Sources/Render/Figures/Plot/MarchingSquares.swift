/// Level lines of a function sampled on a grid, by marching squares: each grid cell whose corners lie on
/// both sides of the level contributes a segment between the two edges the level crosses (found by linear
/// interpolation). Saddle cells are split by the cell's centre value.
enum MarchingSquares {
    /// Segments of the level `level` in data coordinates. `values[j][i]` is f(xs[i], ys[j]).
    static func segments(level: Double, xs: [Double], ys: [Double], values: [[Double]]) -> [(Point, Point)] {
        crossings(level: level, xs: xs, ys: ys, values: values).map { ($0.a, $0.b) }
    }

    /// The level's segments joined into polylines where they meet on a grid edge (each is one line on
    /// the page instead of hundreds of two-point pieces: a fifth of the points, and joins instead of caps).
    /// A closed line ends on its first point. In the order of the first segment of each line.
    static func lines(level: Double, xs: [Double], ys: [Double], values: [[Double]]) -> [[Point]] {
        let pieces = crossings(level: level, xs: xs, ys: ys, values: values)
        // The pieces at each grid edge (at most two: the cells on either side).
        var at: [Int: [Int]] = [:]
        for (k, piece) in pieces.enumerated() {
            at[piece.edgeA, default: []].append(k)
            at[piece.edgeB, default: []].append(k)
        }
        var used = [Bool](repeating: false, count: pieces.count)
        /// The points from `edge` on, following unused pieces: the other end of each.
        func walk(from edge: Int, _ used: inout [Bool]) -> [Point] {
            var points: [Point] = [], edge = edge
            while let next = at[edge]?.first(where: { !used[$0] }) {
                used[next] = true
                let piece = pieces[next]
                points.append(piece.edgeA == edge ? piece.b : piece.a)
                edge = piece.edgeA == edge ? piece.edgeB : piece.edgeA
            }
            return points
        }
        var result: [[Point]] = []
        for (k, piece) in pieces.enumerated() where !used[k] {
            used[k] = true
            let forward = walk(from: piece.edgeB, &used)
            let backward = walk(from: piece.edgeA, &used)
            result.append(backward.reversed() + [piece.a, piece.b] + forward)
        }
        return result
    }

    /// A segment and the grid edges its ends lie on (2·(j·columns + i) for the edge along x from point
    /// (i, j), one more for the edge along y).
    struct Piece {
        let a: Point, b: Point
        let edgeA: Int, edgeB: Int
    }

    static func crossings(level: Double, xs: [Double], ys: [Double], values: [[Double]]) -> [Piece] {
        var result: [Piece] = []
        guard xs.count > 1, ys.count > 1 else { return result }
        let columns = xs.count
        for j in 0..<(ys.count - 1) {
            for i in 0..<(xs.count - 1) {
                // Most cells lie on one side of the level: they are passed over before any array is made.
                let below = values[j][i] < level
                if (values[j][i + 1] < level) == below, (values[j + 1][i + 1] < level) == below, (values[j + 1][i] < level) == below { continue }
                let v = [values[j][i], values[j][i + 1], values[j + 1][i + 1], values[j + 1][i]]
                guard v.allSatisfy(\.isFinite) else { continue }
                let corners = [Point(xs[i], ys[j]), Point(xs[i + 1], ys[j]), Point(xs[i + 1], ys[j + 1]), Point(xs[i], ys[j + 1])]
                // The grid edge k of this cell (corner k → corner k+1): bottom, right, top, left.
                let edges = [2 * (j * columns + i), 2 * (j * columns + i + 1) + 1, 2 * ((j + 1) * columns + i), 2 * (j * columns + i) + 1]
                // Crossing point on edge k (corner k → corner k+1), if the level crosses it.
                func crossing(_ k: Int) -> Point? {
                    let a = v[k], b = v[(k + 1) % 4]
                    guard (a < level) != (b < level) else { return nil }
                    let t = (level - a) / (b - a)
                    let p = corners[k], q = corners[(k + 1) % 4]
                    return Point(p.x + t * (q.x - p.x), p.y + t * (q.y - p.y))
                }
                let points = (0..<4).compactMap { k in crossing(k).map { (k, $0) } }
                func piece(_ m: Int, _ n: Int) -> Piece {
                    Piece(a: points[m].1, b: points[n].1, edgeA: edges[points[m].0], edgeB: edges[points[n].0])
                }
                if points.count == 2 {
                    result.append(piece(0, 1))
                } else if points.count == 4 {
                    // Saddle: pair edges so the centre's side is kept connected.
                    let centre = v.reduce(0, +) / 4
                    if (centre < level) == (v[0] < level) {
                        result.append(piece(0, 3)); result.append(piece(1, 2))
                    } else {
                        result.append(piece(0, 1)); result.append(piece(2, 3))
                    }
                }
            }
        }
        return result
    }
}
