import Foundation
import Testing
@testable import Sim

/// The worked examples of the lecture notes, checked exactly.
@Suite struct WorkedExampleTests {
    /// Note 000: L = c(a + 2b) at a = 3, b = 1, c = −2 gives L = −10, ∂L/∂a = −2, ∂L/∂b = −4, ∂L/∂c = 5.
    @Test func lectureGraph() throws {
        let g = Graph()
        let a = try g.input("a", Tensor(3)), b = try g.input("b", Tensor(1)), c = try g.input("c", Tensor(-2))
        let d = try g.apply(Scale(2), [b], name: "d")
        let e = try g.apply(Add(), [a, d], name: "e")
        let L = try g.apply(Multiply(), [c, e], name: "L")
        let grads = try g.backward(from: L)
        #expect(L.value == Tensor(-10))
        #expect(grads[a.id] == Tensor(-2))
        #expect(grads[b.id] == Tensor(-4))
        #expect(grads[c.id] == Tensor(5))
        #expect(grads[d.id] == Tensor(-2))
        // ∂L/∂d = ∂L/∂e · ∂e/∂d = −2 · 1: the recorded local derivative and message of edge e → d.
        let edge = try #require(grads.edge(from: e.id, input: 1))
        #expect(edge.local == Tensor(1))
        #expect(edge.message == Tensor(-2))
    }

    /// Note 001 (CS231n): f = (x + y)z at x = −2, y = 5, z = −4 gives f = −12, ∂f/∂x = ∂f/∂y = −4, ∂f/∂z = 3.
    @Test func cs231nGraph() throws {
        let g = Graph()
        let x = try g.input("x", Tensor(-2)), y = try g.input("y", Tensor(5)), z = try g.input("z", Tensor(-4))
        let f = (x + y) * z
        let grads = try g.backward(from: f)
        #expect(f.value == Tensor(-12))
        #expect(grads[x.id] == Tensor(-4))
        #expect(grads[y.id] == Tensor(-4))
        #expect(grads[z.id] == Tensor(3))
    }

    /// A node used twice gets both edges and the summed gradient: b = a + a; c = b + b gives ∂c/∂a = 4.
    @Test func reusedNodeSumsGradients() throws {
        let g = Graph()
        let a = try g.input("a", Tensor(1.5))
        let b = a + a
        let c = b + b
        let grads = try g.backward(from: c)
        #expect(grads[a.id] == Tensor(4))
        let square = a * a
        #expect(try g.backward(from: square)[a.id] == Tensor(3))
    }

    /// Running backward again gives the same gradients, not doubled ones.
    @Test func backwardTwiceDoesNotAccumulate() throws {
        let g = Graph()
        let a = try g.input("a", Tensor(2))
        let y = a * a * a
        let first = try g.backward(from: y)
        let second = try g.backward(from: y)
        #expect(first[a.id] == Tensor(12))
        #expect(second[a.id] == Tensor(12))
    }

    /// A chain of 20,000 nodes runs backward without recursion.
    @Test func deepChain() throws {
        let g = Graph()
        let x = try g.input("x", Tensor(0.5))
        var y = x
        for _ in 0..<20_000 { y = y * 1.0001 }
        let grads = try g.backward(from: y)
        let expected = pow(1.0001, 20_000.0)
        let got = try #require(grads[x.id]?.scalar)
        #expect(abs(got - expected) <= 1e-9 * expected)
    }
}

/// docs/engine.md's example, as written there: the tape of L = c(a + 2b) and its backward pass.
@Suite struct EngineTourTests {
    @Test func theTourExampleGivesTheNotesNumbers() throws {
        let g = Graph()
        let a = try g.input("a", Tensor(3)), b = try g.input("b", Tensor(1)), c = try g.input("c", Tensor(-2))
        let d = try g.apply(Scale(2), [b], name: "d")
        let e = try g.apply(Add(), [a, d], name: "e")
        let L = try g.apply(Multiply(), [c, e], name: "L")
        #expect(d.value == Tensor(2) && e.value == Tensor(5) && L.value == Tensor(-10))
        let gradients = try g.backward(from: L)
        #expect(gradients[a.id] == Tensor(-2) && gradients[b.id] == Tensor(-4) && gradients[c.id] == Tensor(5))
        #expect(gradients.order.map { g[$0].name } == ["L", "e", "d", "c", "b", "a"])
        // Twice: the same record, not doubled gradients.
        #expect(try g.backward(from: L).gradients == gradients.gradients)
    }
}
