"""The 10,000-node program of benchmarks/graph-vs-micrograd, in Karpathy's micrograd (PyPI 0.1.0):
t_0 = x; t_i = t_(i-1)*0.999 + t_(i-1)/(1 + t_(i-1)^2), forward, backward, values and gradients as JSON."""
import json, sys, threading
from micrograd.engine import Value

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    out = sys.argv[2] if len(sys.argv) > 2 else "/dev/null"
    x = Value(0.5)
    t = x
    named = [("x", x)]
    for i in range(1, n + 1):
        t = t * 0.999 + t / (1 + t ** 2)
        named.append((f"t{i}", t))
    t.backward()
    # every node of the graph, in topological order, with its value and gradient
    topo, seen = [], set()
    stack = [(t, False)]
    while stack:
        v, done = stack.pop()
        if done:
            topo.append(v); continue
        if id(v) in seen: continue
        seen.add(id(v)); stack.append((v, True))
        for c in v._prev: stack.append((c, False))
    nodes = [{"op": v._op, "value": v.data, "gradient": v.grad} for v in topo]
    with open(out, "w") as f:
        json.dump({"nodes": nodes, "named": {k: [v.data, v.grad] for k, v in named}}, f, indent=2)

sys.setrecursionlimit(1_000_000)
threading.stack_size(512 * 1024 * 1024)
thread = threading.Thread(target=main); thread.start(); thread.join()
