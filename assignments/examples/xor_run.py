"""A student's own XOR network (note 001's loop) that dumps its run for `nnsim check`.

    python3 xor_run.py > run.csv
    nnsim check assignments/own-code.yaml run.csv --student ID --question xor

The CSV has the columns step,quantity,value (docs/assignments.md): step 0 holds the data and the initial
weights, step k the forward values of iteration k, its gradients and the weights after its update.
"""
import numpy as np

def dump(step, name, array):
    array = np.atleast_2d(array) if np.ndim(array) else array
    if np.ndim(array) == 0:
        print(f"{step},{name},{float(array)!r}")
        return
    for (i, j), v in np.ndenumerate(array):
        print(f"{step},{name}[{i}][{j}],{float(v)!r}")

np.random.seed(1)
X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
y = np.array([[0], [1], [1], [0]], dtype=float)
W1 = 2 * np.random.random((3, 4)) - 1
W2 = 2 * np.random.random((4, 1)) - 1
sigmoid = lambda z: 1 / (1 + np.exp(-z))

print("step,quantity,value")
dump(0, "X", X); dump(0, "Y", y); dump(0, "W1", W1); dump(0, "W2", W2)
for step in range(1, 21):
    z1 = X @ W1; h = sigmoid(z1); z2 = h @ W2; yhat = sigmoid(z2)
    L = 0.5 * np.sum((yhat - y) ** 2)
    delta2 = (yhat - y) * yhat * (1 - yhat)
    dW2 = h.T @ delta2
    delta1 = (delta2 @ W2.T) * h * (1 - h)
    dW1 = X.T @ delta1
    W1 = W1 - dW1; W2 = W2 - dW2
    for name, value in [("z1", z1), ("h", h), ("z2", z2), ("yhat", yhat), ("L", L), ("dL/dW1", dW1), ("dL/dW2", dW2), ("W1", W1), ("W2", W2)]:
        dump(step, name, value)
