"""Note 001's ~11-line numpy XOR network, plus matplotlib drawing just a loss curve and the decision
regions, each in PNG, SVG and PDF: the baseline `benchmarks/xor-vs-numpy` compares `nnsim lesson xor` with."""
import sys
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

out = sys.argv[1]
np.random.seed(1)
X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
Y = np.array([[0, 1, 1, 0]]).T
W0 = 2 * np.random.random((3, 4)) - 1
W1 = 2 * np.random.random((4, 1)) - 1
losses = []
for i in range(5000):
    l1 = 1 / (1 + np.exp(-np.matmul(X, W0)))
    l2 = 1 / (1 + np.exp(-np.matmul(l1, W1)))
    losses.append(0.5 * float(np.sum((Y - l2) ** 2)))
    delta_l2 = (Y - l2) * (l2 * (1 - l2))
    delta_l1 = np.matmul(delta_l2, W1.T) * (l1 * (1 - l1))
    W1 = W1 + np.matmul(l1.T, delta_l2)
    W0 = W0 + np.matmul(X.T, delta_l1)

fig, ax = plt.subplots(figsize=(9.6, 5.4))
ax.semilogy(range(1, 5001), losses)
ax.set_xlabel("iteration"); ax.set_ylabel("loss")
for ext in ("png", "svg", "pdf"):
    fig.savefig(f"{out}/loss.{ext}", dpi=200)
plt.close(fig)

g = np.linspace(-0.5, 1.5, 160)
xx, yy = np.meshgrid(g, g)
grid = np.c_[xx.ravel(), yy.ravel(), np.ones(xx.size)]
p = 1 / (1 + np.exp(-np.matmul(1 / (1 + np.exp(-np.matmul(grid, W0))), W1)))
fig, ax = plt.subplots(figsize=(9.6, 5.4))
ax.contourf(xx, yy, p.reshape(xx.shape), levels=20, cmap="RdBu")
ax.contour(xx, yy, p.reshape(xx.shape), levels=[0.5], colors="k")
ax.scatter(X[:, 0], X[:, 1], c=Y.ravel(), edgecolors="k")
for ext in ("png", "svg", "pdf"):
    fig.savefig(f"{out}/regions.{ext}", dpi=200)
plt.close(fig)
