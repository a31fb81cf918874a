/// Small dense linear algebra for the lessons: least squares through the normal equations (note 002's
/// pseudo-inverse solution w = (XᵀX)⁻¹Xᵀd when X has full column rank) and the eigenvalues of a
/// symmetric matrix (for Adaline's largest stable rate 2/λmax of XᵀX).
public enum LeastSquares {
    public enum Failure: Error, Equatable, Sendable {
        /// XᵀX is singular: the columns of X are linearly dependent.
        case rankDeficient
    }

    /// w minimising ½Σ(d − Xw)², by Gaussian elimination with partial pivoting on XᵀX w = Xᵀd.
    public static func solve(_ X: [[Double]], _ d: [Double]) throws(Failure) -> [Double] {
        let n = X.first?.count ?? 0
        var A = gram(X)
        var b = (0..<n).map { j in zip(X, d).reduce(0) { $0 + $1.0[j] * $1.1 } }
        let scale = A.flatMap { $0 }.map(abs).max() ?? 0
        for k in 0..<n {
            guard let pivot = (k..<n).max(by: { abs(A[$0][k]) < abs(A[$1][k]) }), abs(A[pivot][k]) > 1e-12 * max(scale, 1e-300) else {
                throw .rankDeficient
            }
            A.swapAt(k, pivot)
            b.swapAt(k, pivot)
            for i in (k + 1)..<n {
                let f = A[i][k] / A[k][k]
                for j in k..<n { A[i][j] -= f * A[k][j] }
                b[i] -= f * b[k]
            }
        }
        var w = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            let rest = ((i + 1)..<n).reduce(0) { $0 + A[i][$1] * w[$1] }
            w[i] = (b[i] - rest) / A[i][i]
        }
        return w
    }

    /// XᵀX.
    public static func gram(_ X: [[Double]]) -> [[Double]] {
        let n = X.first?.count ?? 0
        return (0..<n).map { i in (0..<n).map { j in X.reduce(0) { $0 + $1[i] * $1[j] } } }
    }

    /// The eigenvalues of a symmetric matrix, ascending, by cyclic Jacobi rotations.
    public static func symmetricEigenvalues(_ matrix: [[Double]]) -> [Double] {
        var a = matrix
        let n = a.count
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where i != j { off += a[i][j] * a[i][j] } }
            if off < 1e-30 { break }
            for p in 0..<n {
                for q in (p + 1)..<n where a[p][q] != 0 {
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k][p], akq = a[k][q]
                        a[k][p] = c * akp - s * akq
                        a[k][q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p][k], aqk = a[q][k]
                        a[p][k] = c * apk - s * aqk
                        a[q][k] = s * apk + c * aqk
                    }
                }
            }
        }
        return (0..<n).map { a[$0][$0] }.sorted()
    }
}
