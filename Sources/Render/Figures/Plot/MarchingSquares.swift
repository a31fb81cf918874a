/// Level lines of a function sampled on a grid, by marching squares: each grid cell whose corners lie on
/// both sides of the level contributes a segment between the two edges the level crosses (found by linear
/// interpolation). Saddle cells are split by the cell's centre value.
enum MarchingSquares {
    /// Segments of the level `level` in data coordinates. `values[j][i]` is f(xs[i], ys[j]).
    static func segments(level: Double, xs: [Double], ys: [Double], values: [[Double]]) -> [(Point, Point)] {
        var result: [(Point, Point)] = []
        guard xs.count > 1, ys.count > 1 else { return result }
        for j in 0..<(ys.count - 1) {
            for i in 0..<(xs.count - 1) {
                let v = [values[j][i], values[j][i + 1], values[j + 1][i + 1], values[j + 1][i]]
                guard v.allSatisfy(\.isFinite) else { continue }
                let corners = [Point(xs[i], ys[j]), Point(xs[i + 1], ys[j]), Point(xs[i + 1], ys[j + 1]), Point(xs[i], ys[j + 1])]
                // Crossing point on edge k (corner k → corner k+1), if the level crosses it.
                func crossing(_ k: Int) -> Point? {
                    let a = v[k], b = v[(k + 1) % 4]
                    guard (a < level) != (b < level) else { return nil }
                    let t = (level - a) / (b - a)
                    let p = corners[k], q = corners[(k + 1) % 4]
                    return Point(p.x + t * (q.x - p.x), p.y + t * (q.y - p.y))
                }
                let points = (0..<4).compactMap { k in crossing(k).map { (k, $0) } }
                if points.count == 2 {
                    result.append((points[0].1, points[1].1))
                } else if points.count == 4 {
                    // Saddle: pair edges so the centre's side is kept connected.
                    let centre = v.reduce(0, +) / 4
                    if (centre < level) == (v[0] < level) {
                        result.append((points[0].1, points[3].1)); result.append((points[1].1, points[2].1))
                    } else {
                        result.append((points[0].1, points[1].1)); result.append((points[2].1, points[3].1))
                    }
                }
            }
        }
        return result
    }
}
