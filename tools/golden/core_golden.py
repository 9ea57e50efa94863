#!/usr/bin/env python3
"""Golden values for DigitsCore from an independent NumPy implementation (float64).

Also (the toolbox, issue 11): the first three steps of Adam (coupled L2 decay), AdamW (decoupled
decay), RMSProp and Adagrad, the last on ELU and the multiclass hinge loss, in the same form.

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
    "elu": (lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0))), lambda z, a: np.where(z > 0, 1.0, np.exp(np.minimum(z, 0)))),
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
    elif loss == "hinge":
        s = zs[-1]
        correct = np.sum(s * t, axis=1, keepdims=True)
        margins = (s - correct + 1) * (1 - t)          # the label's own column contributes nothing
        violated = (margins > 0).astype(np.float64)    # at the kink (margin exactly 0) the subgradient is 0
        value = np.sum(np.maximum(margins, 0)) / batch
        output = s
        dz = (violated - t * violated.sum(axis=1, keepdims=True)) / batch
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


def adaptive_step(params, grads, state, step, kind, lr, decay, beta1=0.9, beta2=0.999, rho=0.9, eps=1e-8,
                  decoupled=False):
    """Adam/AdamW, RMSProp, Adagrad as in Sources/DigitsCore (PyTorch's formulas); biases are not decayed."""
    for i, ((w, b), (dw, db)) in enumerate(zip(params, grads)):
        for j, (theta, grad, lam) in enumerate(((w, dw, decay), (b, db, 0.0))):
            if kind == "adam":
                g = grad if decoupled else grad + lam * theta
                m, v = state[i][j]
                m = beta1 * m + (1 - beta1) * g
                v = beta2 * v + (1 - beta2) * g * g
                state[i][j] = (m, v)
                m_hat = m / (1 - beta1 ** step)
                v_hat = v / (1 - beta2 ** step)
                if decoupled:
                    theta *= 1 - lr * lam
                theta -= lr * m_hat / (np.sqrt(v_hat) + eps)
            else:
                g = grad + lam * theta
                (s,) = state[i][j]
                s = rho * s + (1 - rho) * g * g if kind == "rmsprop" else s + g * g
                state[i][j] = (s,)
                theta -= lr * g / (np.sqrt(s) + eps)


def swift_matrix(m):
    rows = ", ".join("[" + ", ".join(repr(float(v)) for v in row) + "]" for row in m)
    return f"Matrix([{rows}])"


LOSS_NAMES = {"cross-entropy": "crossEntropy", "mse": "meanSquaredError", "hinge": "hinge"}


def case(name, sizes, activation, loss, batch, labels, lr, momentum=0.0, nesterov=False, decay=0.0, optimizer="sgd",
         adaptive=None):
    params = [(pattern(o, i, 0.3 + 1.1 * n, 0.9), pattern(1, o, 0.7 + 1.1 * n, 0.3))
              for n, (i, o) in enumerate(zip(sizes, sizes[1:]))]
    initial = [(w.copy(), b.copy()) for w, b in params]
    x = pattern(batch, sizes[0], 2.0, 1.5)
    t = np.eye(sizes[-1])[labels]
    value, output, grads = forward_backward(params, x, t, activation, loss)
    velocities = [[np.zeros_like(w), np.zeros_like(b)] for w, b in params]
    slots = 2 if optimizer == "adam" else 1
    state = [[(np.zeros_like(w),) * slots, (np.zeros_like(b),) * slots] for w, b in params]
    adaptive = adaptive or {}
    losses = []
    for step in range(1, 4):
        step_loss, _, step_grads = forward_backward(params, x, t, activation, loss)
        losses.append(step_loss)
        if optimizer == "sgd":
            sgd_step(params, step_grads, velocities, lr, momentum, nesterov, decay)
        else:
            adaptive_step(params, step_grads, state, step, optimizer, lr, decay, **adaptive)
    lines = [f"    static let {name} = NumPyGoldenCase(",
             f"        architecture: Architecture(layerSizes: {sizes}, activation: .{activation}, "
             f"loss: .{LOSS_NAMES[loss]}),",
             f"        settings: SGDSettings(learningRate: {lr}, momentum: {momentum}, nesterov: {str(nesterov).lower()}, "
             f"weightDecay: {decay}),"]
    if optimizer != "sgd":
        arguments = ", ".join(f"{ {'decoupled': 'decoupledWeightDecay', 'eps': 'epsilon'}.get(k, k)}: {str(v).lower() if isinstance(v, bool) else v}"
                              for k, v in adaptive.items())
        lines.append(f"        optimizer: .{optimizer}, adaptive: AdaptiveSettings({arguments}),")
    lines += [
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
        case("adamReLU", [5, 4, 3], "relu", "cross-entropy", 4, [0, 2, 1, 2],
             lr=0.05, decay=0.01, optimizer="adam"),
        case("adamWTanh", [7, 7, 2], "tanh", "cross-entropy", 3, [1, 0, 1],
             lr=0.05, decay=0.1, optimizer="adam", adaptive={"beta1": 0.8, "beta2": 0.99, "decoupled": True}),
        case("rmspropSigmoidSquaredError", [3, 6, 5, 4], "sigmoid", "mse", 5, [3, 0, 1, 2, 3],
             lr=0.01, decay=0.01, optimizer="rmsprop", adaptive={"rho": 0.9}),
        case("adagradELUHinge", [5, 4, 3], "elu", "hinge", 4, [0, 2, 1, 2],
             lr=0.1, decay=0.0, optimizer="adagrad", adaptive={"eps": 1e-08}),
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
