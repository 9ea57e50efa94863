#!/usr/bin/env python3
"""Writes the `styles` data set: MNIST *training* 1s as many Europeans write them, with a flag and
sometimes a foot, as MNIST-like IDX files.

    python3 tools/make-style-digits.py [--out data/styles] [--train N] [--test N] [--seed S] [--mnist DIR]

Why: MNIST's writers were American: their 1 is a bare stroke, and a network trained on them reads a
1 with a long flag (the stroke from its top down to the left) as a 7 — 76 % of the robustness
suite's flagged 1s were right with the model trained before this set, every other European style
(crossed 7s, open 4s, straight-tailed 9s) 97-100 %. Format-level augmentation cannot invent the
flag; this set draws it on real training 1s.

Each picture: an MNIST train 1 (28 x 28, light ink on black; chosen by the seed, train and test from
disjoint halves of the 1s), upsampled 4x; the top of its stroke found (the mean column of the ink in
its top rows); a straight flag drawn from there down to the left, 20-40 % of the digit's height long
at 30-65 degrees below the horizontal (longer, flatter flags make a 7), with a round pen as wide as the digit's own stroke (the median
ink run of its rows); for 30 % also a foot, a horizontal bar under the stroke 40-80 % of the height
wide; then back to 28 x 28 by area averaging, taken as the maximum with the original ink. If the flag
would leave the frame the picture is shifted right (MNIST 1s leave room). Labels are all 1.

Deterministic for a seed: numpy's default_rng([seed, split]). Gzipped IDX, written atomically.
Needs numpy, Pillow and MNIST (bash tools/fetch-mnist.sh).
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, ".."))
SCALE = 4


def flagged(one, rng, np, Image, ImageDraw):
    """A training 1 with a flag (and sometimes a foot), 28 x 28 uint8."""
    ink = one.astype(np.float32) / 255
    rows = np.nonzero((ink > 0.5).any(axis=1))[0]
    if len(rows) < 8:
        return None
    top, bottom = int(rows[0]), int(rows[-1])
    height = bottom - top + 1
    top_columns = np.nonzero(ink[top:top + 2] > 0.5)[1]
    bottom_columns = np.nonzero(ink[bottom - 1:bottom + 1] > 0.5)[1]
    runs = [int((ink[y] > 0.5).sum()) for y in range(top, bottom + 1)]
    width = max(1.5, float(np.median(runs)))
    start = np.array([top_columns.mean(), top + 0.5])
    length = height * rng.uniform(0.2, 0.4)
    angle = np.radians(rng.uniform(30, 65))
    end = start + length * np.array([-np.cos(angle), np.sin(angle)])
    shift = max(0, int(np.ceil(1.5 - (end[0] - width / 2))))
    big = Image.new("L", (28 * SCALE, 28 * SCALE), 0)
    draw = ImageDraw.Draw(big)
    pen = max(1, int(round(width * SCALE)))

    def line(a, b):
        a, b = (a + [shift, 0]) * SCALE, (b + [shift, 0]) * SCALE
        draw.line([tuple(a), tuple(b)], fill=255, width=pen)
        for p in (a, b):  # round ends
            draw.ellipse([p[0] - pen / 2, p[1] - pen / 2, p[0] + pen / 2, p[1] + pen / 2], fill=255)

    line(start, end)
    if rng.random() < 0.3:
        centre = np.array([bottom_columns.mean(), bottom + 0.5])
        half = height * rng.uniform(0.2, 0.4)
        line(centre - [half, 0], centre + [half, 0])
    drawn = np.asarray(big.resize((28, 28), Image.Resampling.BOX), np.float32) / 255
    moved = np.zeros_like(ink)
    moved[:, shift:] = ink[:, :28 - shift] if shift else ink
    return np.uint8(np.round(np.clip(np.maximum(moved, drawn), 0, 1) * 255))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(REPO, "data", "styles"))
    parser.add_argument("--train", type=int, default=3000)
    parser.add_argument("--test", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mnist", default=os.path.join(REPO, "data", "mnist"))
    args = parser.parse_args()
    try:
        import numpy as np
        from PIL import Image, ImageDraw
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "numpy", "Pillow"], check=True)
        import numpy as np
        from PIL import Image, ImageDraw
    # The IDX reader and writer the other generators use (loaded once numpy is there).
    sys.path.insert(0, HERE)
    from tool_modules import load_tool

    idx_files = load_tool("idx_files", "idx_files.py")
    images_path = os.path.join(args.mnist, "train-images-idx3-ubyte.gz")
    labels_path = os.path.join(args.mnist, "train-labels-idx1-ubyte.gz")
    if not (os.path.exists(images_path) and os.path.exists(labels_path)):
        sys.exit(f"make-style-digits: no MNIST training set in {args.mnist}; fetch it with `bash tools/fetch-mnist.sh`")
    images, labels = idx_files.read_idx(images_path), idx_files.read_idx(labels_path)
    ones = np.nonzero(labels == 1)[0]
    halves = {"train": ones[: len(ones) // 2], "test": ones[len(ones) // 2:]}
    os.makedirs(args.out, exist_ok=True)
    for split, count, stream in (("train", args.train, 0), ("test", args.test, 1)):
        rng = np.random.default_rng([args.seed, stream])
        pool = halves[split]
        made = []
        while len(made) < count:
            picture = flagged(images[pool[int(rng.integers(len(pool)))]], rng, np, Image, ImageDraw)
            if picture is not None:
                made.append(picture)
        idx_files.write_idx(os.path.join(args.out, f"{split}-images-idx3-ubyte.gz"), np.stack(made))
        idx_files.write_idx(os.path.join(args.out, f"{split}-labels-idx1-ubyte.gz"), np.ones(count, np.uint8))
        print(f"make-style-digits: {split}: {count} flagged 1s")
    print(f"make-style-digits: in {os.path.normpath(args.out)}")


if __name__ == "__main__":
    main()
