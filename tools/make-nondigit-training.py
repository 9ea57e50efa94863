#!/usr/bin/env python3
"""Writes the `nondigits` data set: pictures that are NOT one digit, for the model's 11th class
("not a digit"), as the 16x16 network inputs they become.

    python3 tools/make-nondigit-training.py [--out data/nondigits] [--train N] [--test N] [--seed S]
                                            [--model models/default.safetensors] [--jobs J]

Why a trained class: a confidence threshold alone cannot refuse 90 % of non-digits while keeping
99.5 % of MNIST (README, "not a digit"): a softmax over ten digits is often sure of a letter or a
scribble. Examples of what is not a digit, fed as label 10, teach the network a region of its own.

What is drawn (each picture one kind, chosen by its number; both polarities; 28-110 px canvases):
  letter    Latin letters that are not drawn like a digit, printed from the fonts of
            tools/make-printed-digits.py (never the robustness suite's Liberation, FreeFont or URW),
            turned, slanted, thickened or thinned, sometimes blurred
  pen-letter the same letters as drawn with a pen: a thin face's glyph (Thin, Hairline, Light),
            slanted, bent by a smooth random warp, traced with a round pen
  symbol    symbols and signs from the same fonts (no / \\ | ( ) [ ] - _ . , which look like a 1 or
            are too small to be a shape); pen-symbol: drawn with a pen as pen-letter
  scribble  wandering pen lines (fitted to the canvas), zigzags, spirals, hatching, with a round pen
  blob      filled ellipses and polygons, thresholded smooth noise, blurred
  shape     outline triangles, stars, crosses, arrows, grids (no circles or rectangles: a 0)
  noise     uniform, Gaussian and salt-and-pepper noise, smooth texture, stripes, checkers, paper grain
  scene     a grey gradient with filled shapes (a photo of no digit)
  several   2-3 MNIST *training* digits side by side, touching or apart (the suite uses test digits)
Every picture is then preprocessed by tools/preprocess_reference.py with the settings of --model
(the Swift preprocessor's step-by-step twin, photo path included for sides >= 48), so the stored
16x16 image is what `digits classify` gives the network for such a picture; pictures it finds
blank are drawn again. Stored as light ink on black, 8-bit, gzipped IDX like the other data sets
(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, test-...), every label 10.

Deterministic: picture i of a split is drawn from numpy's default_rng([seed, split, i, attempt]),
so the files are the same whatever --jobs is (given the same fonts, Pillow and MNIST). Needs numpy,
Pillow, MNIST (bash tools/fetch-mnist.sh) and the font packages of make-printed-digits.py.
"""
import argparse
import os
import sys
from multiprocessing import Pool

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, ".."))

# Letters not drawn like a digit (left out, as the suite does: O o Q D 0; I l i 1; Z z 2; S s 5; G b 6; T 7; B 8; g q 9).
LETTERS = "ACEFHJKLMNPRUVWXYacdefhjkmnprtuvwxyÆæŒœßðþ"
SYMBOLS = "?!#%&@*+=$<>~^{}§¶€£¥©®±÷×√∞≈≠≤≥µπΩΔΣΦΨλ¿¡※†‡♠♣♥♦☺★☆✓✗"
# Weighted towards what the first model refused least (pen-drawn symbols, wandering scribbles, blobs: 69 %,
# 34 % and 69 % of the robustness suite's, seed 7) and away from what it already refused (noise, printed letters).
KINDS = ["letter", "pen-letter", "pen-letter", "symbol", "pen-symbol", "pen-symbol", "pen-symbol", "scribble",
         "scribble", "scribble", "blob", "blob", "shape", "noise", "scene", "several"]
# Faces drawn with a thin, even line: a pen's trace once thickened (`pen_glyph`).
THIN_FACES = ("thin", "hairline", "light", "extralight")
SPLIT_STREAMS = {"train": 0, "test": 1}
MISSING = "\U0010FFFD"  # a private-use code point no face draws


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tool_modules import load_tool  # noqa: E402  (tools/ scripts as modules)

reference = load_tool("preprocess_reference", "preprocess_reference.py")
printed = load_tool("make_printed_digits", "make-printed-digits.py")
idx_files = load_tool("idx_files", "idx_files.py")  # read_idx, write_idx (shared with make-style-digits.py)
read_idx, write_idx = idx_files.read_idx, idx_files.write_idx

# Per worker process: set by `setup`.
STATE = {}


def setup(settings, fonts, mnist_path):
    STATE["settings"] = settings
    STATE["fonts"] = fonts
    STATE["thin_fonts"] = [f for f in fonts if any(w in os.path.basename(f).lower() for w in THIN_FACES)]
    STATE["mnist"] = read_idx(mnist_path)


def canvas_side(rng):
    # A third below the photo path's 48 px, the rest above it (most pictures people pass are big).
    return int(rng.integers(28, 48)) if rng.random() < 0.33 else int(rng.integers(48, 111))


def glyph_picture(text, rng, side):
    font_path = STATE["fonts"][int(rng.integers(len(STATE["fonts"])))]
    size = int(side * rng.uniform(0.5, 0.9))
    font = ImageFont.truetype(font_path, size)
    if np.array_equal(np.asarray(font.getmask(text)), np.asarray(font.getmask(MISSING))):
        return None  # the face has no such glyph: its .notdef box would look like a 0
    image = Image.new("L", (side * 2, side * 2), 0)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text((side - (left + right) / 2, side - (top + bottom) / 2), text, fill=255, font=font)
    slant = float(rng.uniform(-0.25, 0.25))
    image = image.transform(image.size, Image.Transform.AFFINE, (1, slant, -slant * side, 0, 1, 0),
                            resample=Image.Resampling.BILINEAR)
    image = image.rotate(float(rng.uniform(-15, 15)), resample=Image.Resampling.BILINEAR)
    weight = rng.random()
    if weight < 0.2:
        image = image.filter(ImageFilter.MaxFilter(3))
    elif weight < 0.3:
        image = image.filter(ImageFilter.MinFilter(3))
    box = image.getbbox()
    if box is None:
        return None
    ink = np.asarray(image.crop(box), np.float32) / 255
    return place(ink, side, rng)


def pen_glyph(text, rng, side):
    """A character as drawn with a pen: a thin face's glyph, bent by a smooth random warp and traced
    with a round pen 1.5-6 % of the canvas wide (people draw centre lines, not outlines)."""
    faces = STATE["thin_fonts"] or STATE["fonts"]
    font_path = faces[int(rng.integers(len(faces)))]
    font = ImageFont.truetype(font_path, 160)
    if np.array_equal(np.asarray(font.getmask(text)), np.asarray(font.getmask(MISSING))):
        return None
    big = Image.new("L", (320, 320), 0)
    draw = ImageDraw.Draw(big)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text((160 - (left + right) / 2, 160 - (top + bottom) / 2), text, fill=255, font=font)
    slant = float(rng.uniform(-0.3, 0.3))
    big = big.transform(big.size, Image.Transform.AFFINE, (1, slant, -slant * 160, 0, 1, 0), resample=Image.Resampling.BILINEAR)
    ink = np.asarray(big, np.float32) / 255
    # A smooth warp: each pixel fetched from up to ~8 px away, varying over ~80 px.
    ys, xs = np.mgrid[0:320, 0:320].astype(np.float32)
    dx = smooth_noise(rng, 320, 5) * rng.uniform(2, 8)
    dy = smooth_noise(rng, 320, 5) * rng.uniform(2, 8)
    sx = np.clip(np.round(xs + dx), 0, 319).astype(int)
    sy = np.clip(np.round(ys + dy), 0, 319).astype(int)
    core = ink[sy, sx] > 0.5
    if not core.any():
        return None
    width = max(3, int(round(320 * rng.uniform(0.015, 0.06))) | 1)
    traced = Image.fromarray(np.uint8(core) * 255).filter(ImageFilter.MaxFilter(width))
    box = traced.getbbox()
    return None if box is None else place(np.asarray(traced.crop(box), np.float32) / 255, side, rng)


def place(ink, side, rng):
    """Ink (1 = ink) scaled to fit 50-90 % of a side x side canvas, at a random place."""
    h, w = ink.shape
    scale = side * rng.uniform(0.5, 0.9) / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    small = np.asarray(Image.fromarray(ink).resize((nw, nh), Image.Resampling.BILINEAR))
    out = np.zeros((side, side), np.float32)
    y = int(rng.integers(0, side - nh + 1))
    x = int(rng.integers(0, side - nw + 1))
    out[y:y + nh, x:x + nw] = small
    return out


def pen_lines(lines, side, width):
    image = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(image)
    for points in lines:
        draw.line([tuple(map(float, p)) for p in points], fill=255, width=max(1, int(round(width))), joint="curve")
    return np.asarray(image, np.float32) / 255


def smooth_noise(rng, side, cells):
    coarse = rng.normal(0, 1, (cells, cells)).astype(np.float32)
    return np.asarray(Image.fromarray(coarse).resize((side, side), Image.Resampling.BICUBIC))


def gen_letter(rng, side):
    return glyph_picture(LETTERS[int(rng.integers(len(LETTERS)))], rng, side)


def gen_symbol(rng, side):
    return glyph_picture(SYMBOLS[int(rng.integers(len(SYMBOLS)))], rng, side)


def gen_pen_letter(rng, side):
    return pen_glyph(LETTERS[int(rng.integers(len(LETTERS)))], rng, side)


def gen_pen_symbol(rng, side):
    return pen_glyph(SYMBOLS[int(rng.integers(len(SYMBOLS)))], rng, side)


def gen_scribble(rng, side):
    width = side * rng.uniform(0.015, 0.07)
    what = int(rng.choice(4, p=[0.6, 0.15, 0.1, 0.15]))
    centre = side / 2
    if what == 0:  # a wandering line, the commonest scribble
        k = int(rng.integers(5, 31))
        heading = np.cumsum(rng.normal(0, rng.uniform(0.6, 1.3), k))
        steps = rng.uniform(0.08, 0.25, k)[:, None] * side * np.stack([np.cos(heading), np.sin(heading)], 1)
        points = np.cumsum(steps, 0)
        points -= (points.min(0) + points.max(0)) / 2  # centred and fitted to 50-90 % of the canvas
        points *= side * rng.uniform(0.5, 0.9) / max(1e-6, np.ptp(points, axis=0).max())
        lines = [points + centre]
    elif what == 1:  # zigzag
        k = int(rng.integers(4, 10))
        xs = np.linspace(0.1, 0.9, k) * side
        ys = np.where(np.arange(k) % 2 == 0, 0.2, 0.8) * side + rng.normal(0, side * 0.05, k)
        lines = [np.stack([xs, ys], 1)]
    elif what == 2:  # spiral
        t = np.linspace(0, rng.uniform(3, 6) * np.pi, 200)
        r = side * 0.45 * t / t[-1]
        lines = [np.stack([centre + r * np.cos(t), centre + r * np.sin(t)], 1)]
    else:  # hatching
        angle = rng.uniform(0, np.pi)
        d = np.array([np.cos(angle), np.sin(angle)])
        n = np.array([-d[1], d[0]])
        k = int(rng.integers(3, 7))
        lines = [[centre + n * o - d * side * 0.4, centre + n * o + d * side * 0.4]
                 for o in np.linspace(-0.35, 0.35, k) * side]
    return pen_lines(lines, side, width)


def gen_blob(rng, side):
    if rng.random() < 0.5:
        image = Image.new("L", (side, side), 0)
        draw = ImageDraw.Draw(image)
        for _ in range(int(rng.integers(1, 4))):
            cx, cy = rng.uniform(0.2, 0.8, 2) * side
            if rng.random() < 0.5:
                rx, ry = rng.uniform(0.1, 0.4, 2) * side
                draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=255)
            else:
                angles = np.sort(rng.uniform(0, 2 * np.pi, int(rng.integers(3, 8))))
                radii = rng.uniform(0.15, 0.45, len(angles)) * side
                draw.polygon([(cx + r * np.cos(a), cy + r * np.sin(a)) for a, r in zip(angles, radii)], fill=255)
        ink = np.asarray(image, np.float32) / 255
    else:
        field = smooth_noise(rng, side, int(rng.integers(2, 6)))
        ys, xs = np.mgrid[0:side, 0:side] / side - 0.5
        ink = ((field - 3.0 * (ys ** 2 + xs ** 2)) > rng.uniform(-0.4, 0.4)).astype(np.float32)
    if rng.random() < 0.5:
        blurred = Image.fromarray(np.uint8(ink * 255)).filter(ImageFilter.GaussianBlur(side / 40))
        ink = np.asarray(blurred, np.float32) / 255
    return ink


def gen_shape(rng, side):
    width = side * rng.uniform(0.03, 0.08)
    c = side / 2
    r = side * rng.uniform(0.3, 0.45)
    what = int(rng.integers(5))
    if what == 0:  # triangle
        a = rng.uniform(0, 2 * np.pi) + np.array([0, 2, 4, 6]) * np.pi / 3
        lines = [np.stack([c + r * np.cos(a), c + r * np.sin(a)], 1)]
    elif what == 1:  # star
        k = int(rng.integers(5, 8))
        a = rng.uniform(0, np.pi) + np.arange(2 * k + 1) * np.pi / k
        radius = np.where(np.arange(2 * k + 1) % 2 == 0, r, r * 0.45)
        lines = [np.stack([c + radius * np.cos(a), c + radius * np.sin(a)], 1)]
    elif what == 2:  # a cross, upright or turned
        a = rng.uniform(0, np.pi / 2)
        d = np.array([np.cos(a), np.sin(a)])
        n = np.array([-d[1], d[0]])
        lines = [[c - d * r, c + d * r], [c - n * r, c + n * r]]
    elif what == 3:  # an arrow
        a = rng.uniform(0, 2 * np.pi)
        d = np.array([np.cos(a), np.sin(a)])
        n = np.array([-d[1], d[0]])
        tip = c + d * r
        lines = [[c - d * r, tip], [tip, tip - d * r * 0.4 + n * r * 0.4], [tip, tip - d * r * 0.4 - n * r * 0.4]]
    else:  # a grid of 3-4 lines each way
        k = int(rng.integers(3, 5))
        offsets = np.linspace(-r, r, k)
        lines = [[(c + o, c - r), (c + o, c + r)] for o in offsets] + [[(c - r, c + o), (c + r, c + o)] for o in offsets]
    return pen_lines(lines, side, width)


def gen_noise(rng, side):
    what = int(rng.integers(7))
    if what == 0:
        return rng.random((side, side)).astype(np.float32)
    if what == 1:
        return np.clip(rng.normal(rng.uniform(0.3, 0.7), rng.uniform(0.05, 0.3), (side, side)), 0, 1)
    if what == 2:
        return (rng.random((side, side)) < rng.uniform(0.02, 0.3)).astype(np.float32)
    if what == 3:
        t = smooth_noise(rng, side, int(rng.integers(3, 14)))
        return np.clip(0.5 + 0.2 * t, 0, 1)
    ys, xs = np.mgrid[0:side, 0:side].astype(np.float32)
    if what == 4:
        angle = rng.uniform(0, np.pi)
        period = rng.uniform(3, side / 2.5)
        return 0.5 + 0.5 * np.sin(2 * np.pi * (xs * np.cos(angle) + ys * np.sin(angle)) / period)
    if what == 5:
        cell = int(rng.integers(2, max(3, side // 3)))
        return (((ys // cell) + (xs // cell)) % 2).astype(np.float32)
    return np.clip(0.9 + 0.02 * smooth_noise(rng, side, 4) + rng.normal(0, 0.02, (side, side)), 0, 1)


def gen_scene(rng, side):
    ys = np.linspace(0, 1, side)[:, None]
    top, bottom = rng.uniform(0, 1, 2)
    image = Image.fromarray(np.uint8(255 * np.broadcast_to(top * (1 - ys) + bottom * ys, (side, side))))
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(2, 7))):
        x0, y0 = rng.uniform(-0.1, 0.9, 2) * side
        w, h = rng.uniform(0.1, 0.5, 2) * side
        fill = int(rng.integers(0, 256))
        if rng.random() < 0.5:
            draw.ellipse((x0, y0, x0 + w, y0 + h), fill=fill)
        else:
            draw.rectangle((x0, y0, x0 + w, y0 + h), fill=fill)
    return np.asarray(image, np.float32) / 255 + rng.normal(0, 0.01, (side, side)).astype(np.float32)


def gen_several(rng, side):
    mnist = STATE["mnist"]
    count = int(rng.integers(2, 4))
    parts = []
    for index in rng.integers(0, len(mnist), count):
        digit = mnist[index].astype(np.float32) / 255
        ys, xs = np.nonzero(digit > 0.2)
        parts.append(digit[ys.min():ys.max() + 1, xs.min():xs.max() + 1])
    gap = int(rng.integers(-3, 6))  # negative: touching or overlapping
    height = max(p.shape[0] for p in parts)
    width = sum(p.shape[1] for p in parts) + gap * (count - 1) + 8
    strip = np.zeros((height + 4, max(width, 8)), np.float32)
    x = 2
    for p in parts:
        y = int(rng.integers(0, height - p.shape[0] + 1)) + 2
        strip[y:y + p.shape[0], x:x + p.shape[1]] = np.maximum(strip[y:y + p.shape[0], x:x + p.shape[1]], p)
        x += p.shape[1] + gap
    return place(strip, side, rng)


GENERATORS = {"letter": gen_letter, "pen-letter": gen_pen_letter, "symbol": gen_symbol, "pen-symbol": gen_pen_symbol,
              "scribble": gen_scribble, "blob": gen_blob,
              "shape": gen_shape, "noise": gen_noise, "scene": gen_scene, "several": gen_several}
# Kinds drawn as ink on a background (the others are whole pictures already).
INK_KINDS = {"letter", "pen-letter", "symbol", "pen-symbol", "scribble", "blob", "shape", "several"}


def picture(split, seed, i):
    """Picture i of a split as the network's 16x16 input (uint8), and its kind."""
    kind = KINDS[i % len(KINDS)]
    for attempt in range(20):
        rng = np.random.default_rng([seed, SPLIT_STREAMS[split], i, attempt])
        side = canvas_side(rng)
        grey = GENERATORS[kind](rng, side)
        if grey is None:
            continue
        grey = np.clip(np.asarray(grey, np.float32), 0, 1)
        if kind in INK_KINDS:  # ink on paper: a paper grey, an ink grey, a little noise
            paper, ink = rng.uniform(0.75, 1.0), rng.uniform(0.0, 0.35)
            grey = paper + (ink - paper) * grey + rng.normal(0, 0.01, grey.shape)
        if rng.random() < 0.5:
            grey = 1 - grey
        grey = np.clip(np.round(grey * 255) / 255, 0, 1).astype(np.float32)  # as a PNG would hold it
        try:
            out = reference.preprocess(grey, STATE["settings"])
        except ValueError:  # blank: draw again
            continue
        return np.uint8(np.clip(np.round(out * 255), 0, 255)), kind
    raise RuntimeError(f"picture {i} of {split}: blank in 20 attempts")


def make(task):
    split, seed, i = task
    return picture(split, seed, i)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(REPO, "data", "nondigits"))
    parser.add_argument("--train", type=int, default=14000)
    parser.add_argument("--test", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--model", default=os.path.join(REPO, "models", "default.safetensors"),
                        help="the model whose recorded preprocessing settings are applied")
    parser.add_argument("--mnist", default=os.path.join(REPO, "data", "mnist", "train-images-idx3-ubyte.gz"))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    printed.ensure_packages()
    fonts = printed.font_paths()
    if not fonts:
        sys.exit("make-nondigit-training: no fonts found")
    if not os.path.exists(args.mnist):
        sys.exit(f"make-nondigit-training: no {args.mnist}; fetch it with `bash tools/fetch-mnist.sh`")
    settings = reference.settings_from_model(args.model)
    os.makedirs(args.out, exist_ok=True)
    with Pool(args.jobs, initializer=setup, initargs=(settings, fonts, args.mnist)) as pool:
        for split, count in (("train", args.train), ("test", args.test)):
            results = pool.map(make, [(split, args.seed, i) for i in range(count)], chunksize=50)
            images = np.stack([image for image, _ in results])
            write_idx(os.path.join(args.out, f"{split}-images-idx3-ubyte.gz"), images)
            write_idx(os.path.join(args.out, f"{split}-labels-idx1-ubyte.gz"), np.full(count, 10, np.uint8))
            kinds = {k: sum(1 for _, kind in results if kind == k) for k in GENERATORS}
            print(f"make-nondigit-training: {split}: {count} pictures (" +
                  ", ".join(f"{k} {n}" for k, n in kinds.items()) + ")")
    print(f"make-nondigit-training: in {os.path.normpath(args.out)}, from {len(fonts)} font files")


if __name__ == "__main__":
    main()
