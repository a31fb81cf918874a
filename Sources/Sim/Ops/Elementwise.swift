/// An operation applied entry by entry to one input: give its value and its derivative, and the
/// forward and backward passes follow.
public protocol ElementwiseFunction: Operation {
    /// f(x).
    func value(_ x: Double) -> Double
    /// f′(x), given x and y = f(x) (many derivatives read best in terms of y: σ′ = y(1 − y)).
    func derivative(_ x: Double, _ y: Double) -> Double
}

extension ElementwiseFunction {
    public var arity: Int { 1 }

    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        inputs[0].map(value)
    }

    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let local = Tensor(checkedShape: output.shape,
                           scalars: zip(inputs[0].scalars, output.scalars).map { derivative($0, $1) })
        let message = Tensor(checkedShape: output.shape, scalars: zip(upstream.scalars, local.scalars).map(*))
        return [EdgeGradient(local: local, message: message)]
    }

    public func notation(_ arguments: [String]) -> String { "\(name)(\(arguments[0]))" }
}

/// An operation combining two inputs entry by entry, with NumPy broadcasting: give its value and its two
/// partial derivatives, and the passes follow (messages to a broadcast operand are summed back to its shape).
public protocol ElementwiseBinaryFunction: Operation {
    func value(_ a: Double, _ b: Double) -> Double
    /// (∂y/∂a, ∂y/∂b) at a, b with y = value(a, b).
    func partials(_ a: Double, _ b: Double, _ y: Double) -> (Double, Double)
}

extension ElementwiseBinaryFunction {
    public var arity: Int { 2 }

    public func forward(_ inputs: [Tensor]) throws(ShapeError) -> Tensor {
        try Broadcast.zip(inputs[0], inputs[1], operation: name, value)
    }

    public func backward(inputs: [Tensor], output: Tensor, upstream: Tensor) -> [EdgeGradient] {
        let (a, b) = (inputs[0], inputs[1])
        let ia = Broadcast.indices(from: a.shape, to: output.shape)
        let ib = Broadcast.indices(from: b.shape, to: output.shape)
        var localA = [Double](), localB = [Double]()
        localA.reserveCapacity(output.count)
        localB.reserveCapacity(output.count)
        for k in 0..<output.count {
            let (da, db) = partials(a.scalars[ia[k]], b.scalars[ib[k]], output.scalars[k])
            localA.append(da)
            localB.append(db)
        }
        func edge(_ local: [Double], _ shape: [Int]) -> EdgeGradient {
            let full = Tensor(checkedShape: output.shape, scalars: zip(upstream.scalars, local).map(*))
            return EdgeGradient(local: Tensor(checkedShape: output.shape, scalars: local),
                                message: Broadcast.reduce(full, to: shape))
        }
        return [edge(localA, a.shape), edge(localB, b.shape)]
    }
}
