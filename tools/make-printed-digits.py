#!/usr/bin/env python3
"""Writes the `printed` data set: digits 0-9 rendered from fonts, as MNIST-like IDX files.

    python3 tools/make-printed-digits.py [--out data/printed] [--train N] [--test N] [--seed S]

Why: a network trained on handwriting alone misreads some printed styles (Courier's closed-top 4 as
9, an oblique sans 1 as 7). Training on printed digits from many faces fixes that, but the fonts the
robustness suite tests on (tools/robustness.py: Liberation, FreeFont, URW base35) are never used
here, so the suite still measures fonts the model never saw.

Faces: every .ttf/.otf of the Debian packages in PACKAGES (installed with apt-get when missing and
running as root), in sorted path order. Each image: one face chosen at random, the digit drawn light
on black at a random size, turned by up to +-6 degrees and slanted by up to +-0.15, cropped to its
ink, the longer side scaled to 20 px (as MNIST) and centred by box in a 28 x 28 frame; a random
stroke-weight change (a 3x3 max or min filter) for a quarter of them. Labels cycle 0-9 so each
digit is a tenth of a split. Deterministic for a seed and a set of installed fonts: numpy's
default_rng(seed), faces in path order; train and test draw from disjoint streams.

Writes train-images-idx3-ubyte.gz / train-labels-idx1-ubyte.gz and test-... (gzipped IDX, as the
other data sets), atomically (a temporary file, then a rename). Needs numpy and Pillow.
"""

import argparse
import glob
import gzip
import os
import struct
import subprocess
import sys

PACKAGES = [
    "fonts-dejavu-core", "fonts-dejavu-extra", "fonts-open-sans", "fonts-lato", "fonts-go", "fonts-cantarell",
    "fonts-hack", "fonts-inconsolata", "fonts-linuxlibertine", "fonts-crosextra-carlito",
    "fonts-crosextra-caladea", "fonts-roboto-unhinted", "fonts-firacode", "fonts-noto-mono", "fonts-comic-neue",
]
# The robustness suite's printed fonts: never trained on.
EXCLUDED = ("liberation", "freefont", "urw-base35")


def ensure_packages():
    missing = [p for p in PACKAGES
               if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True)
               .stdout.find("install ok installed") < 0]
    if not missing:
        return
    if os.geteuid() != 0:
        print(f"make-printed-digits: missing font packages {' '.join(missing)}; install them with apt-get",
              file=sys.stderr)
        sys.exit(1)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)


def font_paths():
    paths = []
    for pattern in ("/usr/share/fonts/truetype/**/*.ttf", "/usr/share/fonts/opentype/**/*.otf",
                    "/usr/share/fonts/truetype/**/*.otf"):
        paths += glob.glob(pattern, recursive=True)
    keep = []
    for path in sorted(set(paths)):
        low = path.lower()
        if any(name in low for name in EXCLUDED) or "math" in low or "symbol" in low:
            continue
        keep.append(path)
    return keep


def render(digit, font_path, rng, np, Image, ImageDraw, ImageFont, ImageFilter):
    size = int(rng.integers(28, 80))
    font = ImageFont.truetype(font_path, size)
    canvas = Image.new("L", (size * 3, size * 3), 0)
    ImageDraw.Draw(canvas).text((size, size // 2), str(digit), fill=255, font=font)
    slant = float(rng.uniform(-0.15, 0.15))
    canvas = canvas.transform(canvas.size, Image.Transform.AFFINE, (1, slant, -slant * canvas.size[1] / 2, 0, 1, 0),
                              resample=Image.Resampling.BILINEAR)
    canvas = canvas.rotate(float(rng.uniform(-6, 6)), resample=Image.Resampling.BILINEAR)
    weight = rng.random()
    if weight < 0.125:
        canvas = canvas.filter(ImageFilter.MaxFilter(3))
    elif weight < 0.25:
        canvas = canvas.filter(ImageFilter.MinFilter(3))
    box = canvas.getbbox()
    if box is None:
        return None
    ink = canvas.crop(box)
    w, h = ink.size
    scale = 20 / max(w, h)
    ink = ink.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.LANCZOS)
    frame = Image.new("L", (28, 28), 0)
    frame.paste(ink, ((28 - ink.size[0]) // 2, (28 - ink.size[1]) // 2))
    pixels = np.asarray(frame, dtype=np.uint8)
    return pixels if pixels.max() > 64 else None


def write_idx(path, array, np):
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + b"".join(struct.pack(">I", d) for d in array.shape)
    temporary = path + ".tmp"
    with gzip.open(temporary, "wb") as out:
        out.write(header + array.astype(np.uint8).tobytes())
    os.replace(temporary, path)


def make_split(count, seed, fonts, modules):
    np = modules[0]
    rng = np.random.default_rng(seed)
    images, labels = [], []
    index = 0
    while len(images) < count:
        digit = index % 10
        index += 1
        pixels = render(digit, fonts[int(rng.integers(len(fonts)))], rng, *modules)
        if pixels is None:
            continue  # a face without this glyph (drawn as nothing): draw again
        images.append(pixels)
        labels.append(digit)
    return np.stack(images), np.array(labels, dtype=np.uint8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "data", "printed"))
    parser.add_argument("--train", type=int, default=6000)
    parser.add_argument("--test", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    try:
        import numpy as np
        from PIL import Image, ImageDraw, ImageFilter, ImageFont
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "numpy", "Pillow"], check=True)
        import numpy as np
        from PIL import Image, ImageDraw, ImageFilter, ImageFont
    ensure_packages()
    fonts = font_paths()
    if not fonts:
        print("make-printed-digits: no fonts found", file=sys.stderr)
        sys.exit(1)
    modules = (np, Image, ImageDraw, ImageFont, ImageFilter)
    os.makedirs(args.out, exist_ok=True)
    for split, count, seed in (("train", args.train, args.seed), ("test", args.test, args.seed + 1_000_003)):
        images, labels = make_split(count, seed, fonts, modules)
        write_idx(os.path.join(args.out, f"{split}-images-idx3-ubyte.gz"), images, np)
        write_idx(os.path.join(args.out, f"{split}-labels-idx1-ubyte.gz"), labels, np)
    print(f"make-printed-digits: {args.train} training and {args.test} test digits from {len(fonts)} font files "
          f"in {os.path.normpath(args.out)}")


if __name__ == "__main__":
    main()
