#!/usr/bin/env python3
"""Pictures of whole numbers for `digits read`: strings of 2-8 handwritten digits, with labels.

Every digit is a TEST digit (MNIST t10k, USPS test; the training splits are never read), picked by
a seeded generator, never by looking at a prediction. Each is cropped to its ink, upscaled (bicubic,
then firmed up as tools/robustness.py's multi-digit kind does) to the string's digit height times a
per-digit scale, sheared by the string's slant, and pasted on a baseline that wobbles. Categories:

  separated-5     5 digits with gaps of 0.08-0.45 digit heights (none touching)      target >= 95 %
  touching-5      5 digits, one neighbouring pair pushed together until their ink touches
                  (0-2 px further)                                                     target >= 85 %
  mixed           2-8 digits, gaps from a slight overlap of the boxes (ink apart) to 0.45 heights
  photo           3-7 separated digits as a phone photo of pencil on paper (tools/make-samples.py's
                  phone-photo dressing: uneven light, vignetting, blur, sensor noise, JPEG)

All categories: slant (shear) up to +-0.25, baseline wobble up to 0.12 digit heights, per-digit
scale 0.85-1.15, digit height 36-90 px (photos 50-90), both polarities (a third light on dark; photos
are always dark pencil on paper), MNIST or USPS per digit (3 : 1). Clean pictures are 8-bit grey
PNG; photos are RGB JPEG.

Output: DIR/<category>-<nnnn>-<number>.png|.jpg and DIR/labels.tsv (file, number, category,
source digits, details). Deterministic: every draw comes from numpy's default_rng seeded by (--seed,
category, picture number); photos pass through JPEG, so their bytes depend on Pillow's libjpeg.

With --isolated, also DIR/isolated/<picture stem>.<k>.png|.jpg (k from 1) and isolated/labels.tsv
(file, digit, string, position, category): each string's picture again with every digit but the
k-th erased — same canvas, paper, light, noise and polarity (the dressing runs on a copy of the
generator), so reading them shows what the classifier alone gets right (tools/read-accuracy.py
--ceiling). The strings themselves are the same bytes with or without it.

Usage:
    python3 tools/make-number-strings.py --out DIR [--n N] [--seed S] [--categories a,b]
                                         [--mnist DIR] [--usps DIR] [--isolated]
--n is per category (default 250). Data: `bash tools/fetch-mnist.sh` for MNIST; USPS as
tools/make-samples.py finds it. Needs numpy and Pillow (installed by make-samples.py if missing).
"""
import argparse
import copy
import os
import sys
import zlib

import numpy as np

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tool_modules import load_tool  # noqa: E402  (tools/ scripts as modules)

# photo-robustness.py loads make-samples.py (data discovery, IDX reading, the phone-photo dressing)
# and swaps in its faster, identical blur.
pr = load_tool("photo_robustness", "photo-robustness.py")
ms = pr.ms
from PIL import Image  # noqa: E402  (make-samples made sure it is importable)

CATEGORIES = ["separated-5", "touching-5", "mixed", "photo"]


class Digits:
    """The test splits, each digit cropped to its ink once."""

    def __init__(self, mnist_dir, usps_dir):
        self.sets = {name: ms.load_test(name, ms.find_dir(name, given))
                     for name, given in (("mnist", mnist_dir), ("usps", usps_dir))}

    def pick(self, rng):
        name = "mnist" if rng.uniform() < 0.75 else "usps"
        images, labels = self.sets[name]
        index = int(rng.integers(0, len(labels)))
        src = images[index]
        ys, xs = np.nonzero(src > 40)
        crop = src[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
        return crop, int(labels[index]), f"{name}{index}"


def digit_ink(crop, height, slant):
    """The digit as float ink coverage `height` px tall (aspect kept, at most square), sheared."""
    h, w = crop.shape
    width = max(3, min(height, round(height * w / h)))
    ink = ms.ramp(ms.upscale(crop, width, height), 0.1, 0.6)
    if slant == 0:
        return ink
    # x' = x + slant * (height/2 - y): the top leans right for a positive slant.
    extra = int(np.ceil(abs(slant) * height / 2)) + 1
    img = Image.fromarray(ink)  # mode F
    out_w = width + 2 * extra
    # PIL's affine maps output (x, y) to input (a x + b y + c, d x + e y + f).
    sheared = img.transform((out_w, height), Image.AFFINE,
                            (1, slant, -extra - slant * height / 2, 0, 1, 0), resample=Image.BILINEAR)
    out = np.asarray(sheared, np.float32)
    cols = np.nonzero(out.max(axis=0) > 0.05)[0]
    return np.clip(out[:, cols.min():cols.max() + 1], 0, 1)


def touches(canvas, ink, top, left):
    """Whether `ink` pasted at (top, left) shares an inked pixel (both > 0.5) with the canvas."""
    h, w = ink.shape
    region = canvas[top:top + h, left:left + w]
    return bool(np.any((region > 0.5) & (ink > 0.5)))


def near(canvas, ink, top, left):
    """Whether `ink` would come within one pixel of the canvas's ink (8-neighbourhood)."""
    grown = ink > 0.3
    grown = grown | np.roll(grown, 1, 0) | np.roll(grown, -1, 0)
    grown = grown | np.roll(grown, 1, 1) | np.roll(grown, -1, 1)
    h, w = ink.shape
    region = canvas[top:top + h, left:left + w]
    return bool(np.any((region > 0.3) & grown))


def compose(digits, rng, count, touching_pair, allow_overlap, height):
    """A string of `count` digits on a float canvas (light ink on 0): (canvas, number, sources)."""
    slant = float(rng.uniform(-0.25, 0.25))
    wobble = float(rng.uniform(0, 0.12)) * height
    phase, frequency = float(rng.uniform(0, 2 * np.pi)), float(rng.uniform(0.5, 1.5))
    parts = []
    for _ in range(count):
        crop, label, source = digits.pick(rng)
        scale = float(rng.uniform(0.85, 1.15))
        parts.append((digit_ink(crop, max(12, round(height * scale)), slant), label, source))
    margin = int(height * 0.4)
    total_width = sum(p[0].shape[1] for p in parts) + int(height * 0.5) * count + 2 * margin
    canvas_height = int(height * 1.15 + 2 * wobble + 2 * margin)
    canvas = np.zeros((canvas_height, total_width), np.float32)
    x = margin
    right = margin
    placed = []
    for k, (ink, _label, _source) in enumerate(parts):
        h, w = ink.shape
        baseline = margin + wobble + height * 1.15 + wobble * np.sin(phase + frequency * k)
        top = int(round(baseline - h))
        top = min(max(0, top), canvas_height - h)
        if k == 0:
            left = x
        elif touching_pair == k:
            # Slide in from clear of the previous digit until the inks touch, then 0-2 px further.
            left = right + 2
            while left > right - w // 2 and not touches(canvas, ink, top, left):
                left -= 1
            left -= int(rng.integers(0, 3))
        else:
            gap = rng.uniform(-0.08 if allow_overlap else 0.08, 0.45) * height
            left = int(round(right + gap))
            # Separated digits never touch: move right until there is a clear pixel between.
            while near(canvas, ink, top, left):
                left += 1
        left = max(0, left)
        if left + w > canvas.shape[1]:
            canvas = np.pad(canvas, ((0, 0), (0, left + w - canvas.shape[1] + margin)))
        canvas[top:top + h, left:left + w] = np.maximum(canvas[top:top + h, left:left + w], ink)
        right = max(right, left + w)
        placed.append((top, left, ink))
    canvas = canvas[:, :right + margin]
    number = "".join(str(p[1]) for p in parts)
    return canvas, number, [p[2] for p in parts], slant, placed


def alone(canvas, placed, k):
    """The string's canvas with every digit but the k-th erased: the same picture, one digit."""
    single = np.zeros_like(canvas)
    top, left, ink = placed[k]
    h, w = ink.shape
    single[top:top + h, left:left + w] = ink
    return single


def clean_picture(canvas, rng):
    """8-bit grey: dark ink on light paper two times in three, else light on dark; noiseless (the
    photo category has the noise), which also keeps the committed samples small."""
    dark = rng.uniform() < 2 / 3
    paper, ink = float(rng.uniform(200, 255)), float(rng.uniform(0, 70))
    if not dark:
        paper, ink = 255 - paper, 255 - ink
    grey = paper + (ink - paper) * canvas
    return ms.grey(grey), "dark-ink" if dark else "light-ink"


def photo_picture(canvas, rng):
    """The string as pencil on paper photographed (make-samples' phone-photo dressing), with room
    around it: the paper fills a landscape photo about 2.5x the string's height."""
    h, w = canvas.shape
    width = max(w + 40, int(w * rng.uniform(1.1, 1.4)))
    height = max(h + 40, int(h * rng.uniform(1.6, 2.4)))
    left = int(rng.integers(10, width - w - 10 + 1))
    top = int(rng.integers(10, height - h - 10 + 1))
    ink = np.zeros((height, width), np.float32)
    ink[top:top + h, left:left + w] = canvas
    light = (float(rng.uniform(0.2, 1.0)), float(rng.uniform(0.2, 1.0)))
    dress = ms.phone_photo(width, height, 1, 0, 0, light_from=light)
    saved = ms.upscale, ms.place
    ms.upscale = lambda src_, w_, h_: None  # phone_photo asks for place(upscale(...)):
    ms.place = lambda ink_, w_, h_, l_, t_: ink  # hand it the composed string instead
    try:
        return dress(np.zeros((1, 1), np.uint8), rng), "photo"
    finally:
        ms.upscale, ms.place = saved


def make(category, i, digits, seed, isolated=False):
    rng = np.random.default_rng([seed, zlib.crc32(category.encode()), i])
    if category == "separated-5":
        count, touching, overlap = 5, None, False
    elif category == "touching-5":
        count, touching, overlap = 5, int(rng.integers(1, 5)), False
    elif category == "mixed":
        count, touching, overlap = int(rng.integers(2, 9)), None, True
    else:
        count, touching, overlap = int(rng.integers(3, 8)), None, False
    height = int(rng.integers(50, 91)) if category == "photo" else int(rng.integers(36, 91))
    canvas, number, sources, slant, placed = compose(digits, rng, count, touching, overlap, height)
    dress = photo_picture if category == "photo" else clean_picture
    # Each digit alone (--isolated): dressed by a copy of the generator in the state the string's
    # dressing starts from, so paper, light, noise and polarity are the string's own.
    singles = [dress(alone(canvas, placed, k), copy.deepcopy(rng))[0] for k in range(len(placed))] if isolated else []
    image, dressing = dress(canvas, rng)
    details = f"height {height}, slant {slant:+.2f}, {dressing}" + (f", touching at {touching}" if touching else "")
    return image, number, sources, details, singles


def save(image, path, extension):
    if extension == "jpg":
        image.save(path, "JPEG", quality=85)
    else:
        image.save(path, "PNG", optimize=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--n", type=int, default=250, help="pictures per category")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--categories", default=",".join(CATEGORIES))
    parser.add_argument("--mnist")
    parser.add_argument("--usps")
    parser.add_argument("--isolated", action="store_true",
                        help="also write each digit alone, as DIR/isolated/<picture>.<k>.<ext> (k from 1)")
    args = parser.parse_args()
    categories = [c for c in args.categories.split(",") if c]
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        sys.exit(f"make-number-strings: unknown categories {unknown}; known: {CATEGORIES}")
    digits = Digits(args.mnist, args.usps)
    os.makedirs(args.out, exist_ok=True)
    rows = []
    singles_rows = []
    if args.isolated:
        os.makedirs(os.path.join(args.out, "isolated"), exist_ok=True)
    for category in categories:
        for i in range(args.n):
            image, number, sources, details, singles = make(category, i, digits, args.seed, args.isolated)
            extension = "jpg" if category == "photo" else "png"
            name = f"{category}-{i:04d}-{number}.{extension}"
            save(image, os.path.join(args.out, name), extension)
            rows.append((name, number, category, " ".join(sources), details))
            for k, single in enumerate(singles):
                single_name = f"{category}-{i:04d}-{number}.{k + 1}.{extension}"
                save(single, os.path.join(args.out, "isolated", single_name), extension)
                singles_rows.append((single_name, number[k], name, str(k + 1), category))
    if args.isolated:
        with open(os.path.join(args.out, "isolated", "labels.tsv"), "w") as f:
            f.write("file\tdigit\tstring\tposition\tcategory\n")
            for row in singles_rows:
                f.write("\t".join(row) + "\n")
    with open(os.path.join(args.out, "labels.tsv"), "w") as f:
        f.write("file\tnumber\tcategory\tsources\tdetails\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"make-number-strings: {len(rows)} pictures in {args.out} "
          f"({args.n} per category: {', '.join(categories)}; seed {args.seed})")


if __name__ == "__main__":
    main()
