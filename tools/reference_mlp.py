#!/usr/bin/env python3
"""A plain NumPy float32 MLP trained by minibatch SGD: the reference the Swift trainer is timed against.

Same work per step as digits' Trainer (gather a shuffled batch, forward through Linear+ReLU layers,
fused softmax cross-entropy, backward without the first layer's input gradient, SGD with momentum),
on MNIST-sized synthetic data. Run with one BLAS thread for a like-for-like comparison:
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 tools/reference_mlp.py --sizes 256,128,10
Prints one line: `reference <sizes> batch <B>: median <s> s/epoch of <N>`.
"""
import argparse
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="256,128,10")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--examples", type=int, default=60000)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = np.random.default_rng(42)
    x = rng.random((args.examples, sizes[0]), dtype=np.float32)
    y = rng.integers(0, sizes[-1], args.examples)
    weights = [(rng.uniform(-1, 1, (o, i)).astype(np.float32) * np.float32(np.sqrt(6 / i)),
                np.zeros(o, np.float32)) for i, o in zip(sizes, sizes[1:])]
    velocities = [(np.zeros_like(w), np.zeros_like(b)) for w, b in weights]
    lr, mu = np.float32(0.01), np.float32(0.9)

    def epoch():
        order = rng.permutation(args.examples)
        for start in range(0, args.examples, args.batch):
            idx = order[start:start + args.batch]
            a = x[idx]
            activations = [a]
            for k, (w, b) in enumerate(weights):
                z = a @ w.T + b
                a = np.maximum(z, 0) if k < len(weights) - 1 else z
                activations.append(a)
            z = activations[-1]
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(idx)), y[idx]] -= 1
            delta = p / np.float32(len(idx))
            for k in range(len(weights) - 1, -1, -1):
                w, b = weights[k]
                dw = delta.T @ activations[k]
                db = delta.sum(axis=0)
                if k > 0:
                    delta = (delta @ w) * (activations[k] > 0)
                vw, vb = velocities[k]
                vw *= mu; vw += dw; w -= lr * vw
                vb *= mu; vb += db; b -= lr * vb

    epoch()  # warm-up
    times = []
    for _ in range(args.epochs):
        start = time.perf_counter()
        epoch()
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"reference {args.sizes} batch {args.batch}: median {times[len(times) // 2]:.3f} s/epoch of {args.epochs}")


if __name__ == "__main__":
    main()
