#!/usr/bin/env python3
"""Golden values for DigitsCore from an independent NumPy implementation (float64).

Writes Tests/DigitsCoreTests/NumPyGoldenData.swift: for three small MLPs (ReLU + cross-entropy with
Nesterov momentum; sigmoid + squared error on softmax with classical momentum and weight decay;
tanh + cross-entropy with plain SGD and weight decay) the initial weights, a batch, the logits/outputs, the loss, every parameter gradient, the loss before
each of three SGD steps on that batch, and the parameters after them. The weights and inputs are
rounded to float32 first, so both sides start from the same numbers.

Run from the repository root:  python3 tools/golden/core_golden.py
"""
import math
import pathlib

import numpy as np


def pattern(rows, cols, phase, scale=1.0):
    k = np.arange(rows * cols, dtype=np.float64)
    return (scale * np.sin(1.7 * (k + 1) + phase)).reshape(rows, cols).astype(np.float32).astype(np.float64)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ACTIVATIONS = {
    "relu": (lambda z: np.maximum(z, 0), lambda z, a: (z > 0).astype(np.float64)),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z, a: a * (1 - a)),
    "tanh": (np.tanh, lambda z, a: 1 - a * a),
}


def forward_backward(params, x, t, activation, loss):
    act, dact = ACTIVATIONS[activation]
    zs, activations = [], [x]
    a = x
    for i, (w, b) in enumerate(params):
        z = a @ w.T + b
        zs.append(z)
        a = act(z) if i < len(params) - 1 else z
        activations.append(a)
    batch = x.shape[0]
    p = softmax(zs[-1])
    if loss == "cross-entropy":
        value = -np.sum(t * np.log(p)) / batch
        output = zs[-1]
        dz = (p - t) / batch
    else:
        value = 0.5 * np.sum((p - t) ** 2) / batch
        output = p
        dp = (p - t) / batch
        dz = p * (dp - np.sum(dp * p, axis=1, keepdims=True))
    grads = [None] * len(params)
    for i in reversed(range(len(params))):
        w, _ = params[i]
        grads[i] = (dz.T @ activations[i], dz.sum(axis=0, keepdims=True))
        if i > 0:
            da = dz @ w
            dz = da * dact(zs[i - 1], activations[i])
    return value, output, grads


def sgd_step(params, grads, velocities, lr, momentum, nesterov, decay):
    for i, ((w, b), (dw, db)) in enumerate(zip(params, grads)):
        for j, (theta, g, lam) in enumerate(((w, dw, decay), (b, db, 0.0))):
            g = g + lam * theta
            v = momentum * velocities[i][j] + g
            velocities[i][j] = v
            theta -= lr * (g + momentum * v if nesterov else v)


def swift_matrix(m):
    rows = ", ".join("[" + ", ".join(repr(float(v)) for v in row) + "]" for row in m)
    return f"Matrix([{rows}])"


def case(name, sizes, activation, loss, batch, labels, lr, momentum, nesterov, decay):
    params = [(pattern(o, i, 0.3 + 1.1 * n, 0.9), pattern(1, o, 0.7 + 1.1 * n, 0.3))
              for n, (i, o) in enumerate(zip(sizes, sizes[1:]))]
    initial = [(w.copy(), b.copy()) for w, b in params]
    x = pattern(batch, sizes[0], 2.0, 1.5)
    t = np.eye(sizes[-1])[labels]
    value, output, grads = forward_backward(params, x, t, activation, loss)
    velocities = [[np.zeros_like(w), np.zeros_like(b)] for w, b in params]
    losses = []
    for _ in range(3):
        step_loss, _, step_grads = forward_backward(params, x, t, activation, loss)
        losses.append(step_loss)
        sgd_step(params, step_grads, velocities, lr, momentum, nesterov, decay)
    lines = [f"    static let {name} = NumPyGoldenCase(",
             f"        architecture: Architecture(layerSizes: {sizes}, activation: .{activation}, "
             f"loss: .{'crossEntropy' if loss == 'cross-entropy' else 'meanSquaredError'}),",
             f"        settings: SGDSettings(learningRate: {lr}, momentum: {momentum}, nesterov: {str(nesterov).lower()}, "
             f"weightDecay: {decay}),",
             f"        input: {swift_matrix(x)},",
             f"        labels: {labels},",
             "        parameters: [" + ", ".join(f"(weight: {swift_matrix(w)}, bias: {swift_matrix(b)})" for w, b in initial) + "],",
             f"        output: {swift_matrix(output)},",
             f"        loss: {float(value)!r},",
             "        gradients: [" + ", ".join(f"(weight: {swift_matrix(w)}, bias: {swift_matrix(b)})" for w, b in grads) + "],",
             f"        lossesBeforeSteps: {[float(v) for v in losses]},",
             "        parametersAfterSteps: [" + ", ".join(f"(weight: {swift_matrix(w)}, bias: {swift_matrix(b)})" for w, b in params) + "])"]
    return "\n".join(lines)


def main():
    root = pathlib.Path(__file__).resolve().parents[2]
    body = "\n\n".join([
        case("reluCrossEntropy", [5, 4, 3], "relu", "cross-entropy", 4, [0, 2, 1, 2],
             lr=0.5, momentum=0.9, nesterov=True, decay=0.0),
        case("sigmoidSquaredError", [3, 6, 5, 4], "sigmoid", "mse", 5, [3, 0, 1, 2, 3],
             lr=2.0, momentum=0.5, nesterov=False, decay=0.01),
        case("tanhCrossEntropy", [7, 7, 2], "tanh", "cross-entropy", 3, [1, 0, 1],
             lr=0.3, momentum=0.0, nesterov=False, decay=0.05),
    ])
    text = f"""// Generated by tools/golden/core_golden.py (NumPy {np.__version__}, float64) — do not edit; rerun the script.
import DigitsCore

extension NumPyGoldenCase {{
{body}
}}
"""
    out = root / "Tests/DigitsCoreTests/NumPyGoldenData.swift"
    out.write_text(text)
    print(f"wrote {out.relative_to(root)}")


if __name__ == "__main__":
    main()
