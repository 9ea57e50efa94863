#!/usr/bin/env python3
"""Writes the sample images of Resources/samples/ (README demo, end-to-end tests) and their README.md.

Every image is a real person's handwriting, never a font: a TEST image of MNIST (28x28) or of
USPS (16x16). The model trains on the MNIST train split only, so neither is a digit it has seen.
Selection rule, fixed in SAMPLES below and never based on what a model predicts: each file takes
the FIRST test image of its digit in its set (lowest index whose label is that digit).

Each file imitates one kind of image a person might hand `digits classify`: a phone photo, a
paint-program drawing, a transparent canvas, a chalkboard, blue ink, a 1-bit fax, a 16-bit
scan, a palette PNG, an interlaced PNG, and the two original data-set images as they are.
The true digit is the first character of the file name: `<digit>-<description>.png`.

Deterministic: every random draw comes from numpy.random.default_rng(<fixed seed per file>).
(The phone photos go through a JPEG round trip, so their exact bytes depend on Pillow's libjpeg.)

Usage (from anywhere):
    python3 tools/make-samples.py [--mnist DIR] [--usps DIR] [--out DIR]
DIR defaults, relative to the repository, first one holding the test files wins:
    MNIST: $DIGITS_DATA/mnist, data/mnist, ../data/mnist
    USPS:  $DIGITS_DATA/usps,  data/usps,  ../shared/data/usps
Needs numpy and Pillow; pypng for the interlaced file (Pillow cannot write Adam7).
If Pillow or pypng cannot be imported, the script runs `pip install` for it and says so.
"""
import argparse
import importlib
import os
import struct
import subprocess
import sys

import numpy as np

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def import_or_install(module, package):
    try:
        return importlib.import_module(module)
    except ImportError:
        print(f"make-samples: cannot import {module}; running: {sys.executable} -m pip install {package}",
              file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", package], check=False)
        importlib.invalidate_caches()
        try:
            return importlib.import_module(module)
        except ImportError:
            return None


PIL = import_or_install("PIL", "pillow")
if PIL is None:
    sys.exit("make-samples: Pillow is required (pip install pillow)")
from PIL import Image, ImageFilter  # noqa: E402

png = import_or_install("png", "pypng")  # only for the interlaced file; skipped when missing

# ---------------------------------------------------------------- data


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from idx_files import read_idx  # noqa: E402  (the one IDX reader of tools/; numpy is imported above)


DATASETS = {  # name: (file prefix of the test split, size)
    "mnist": ("t10k", 28),
    "usps": ("test", 16),
}


def find_dir(name, given):
    prefix = DATASETS[name][0]
    if given:
        candidates = [given]
    else:
        candidates = []
        if os.environ.get("DIGITS_DATA"):
            candidates.append(os.path.join(os.environ["DIGITS_DATA"], name))
        candidates.append(os.path.join(REPO, "data", name))
        candidates.append(os.path.join(REPO, "..", "shared", "data", "usps") if name == "usps"
                          else os.path.join(REPO, "..", "data", "mnist"))
    for directory in candidates:
        if os.path.exists(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz")):
            return directory
    sys.exit(f"make-samples: no {name} test split ({prefix}-images-idx3-ubyte.gz) in any of: "
             + ", ".join(os.path.normpath(c) for c in candidates) + f"; pass --{name} DIR")


def load_test(name, directory):
    prefix, size = DATASETS[name]
    images = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"))
    if images.shape[1:] != (size, size) or len(images) != len(labels):
        sys.exit(f"make-samples: {directory}: unexpected shape {images.shape} / {labels.shape}")
    return images, labels


def first_of(labels, digit):
    """The selection rule: the lowest index whose label is `digit`."""
    return int(np.flatnonzero(labels == digit)[0])


# ---------------------------------------------------------------- drawing helpers
# `ink` arrays are float32 in [0, 1]: 1 where the writer's pen was (both sets store light ink on black).


def upscale(src, width, height):
    """The source digit (uint8, light ink) as float ink coverage, smoothly resized to width x height."""
    img = Image.fromarray(src.astype(np.float32) / 255.0)  # mode F
    big = img.resize((width, height), Image.BICUBIC)
    return np.clip(np.asarray(big, dtype=np.float32), 0.0, 1.0)


def place(ink, width, height, left, top):
    """A width x height canvas of zero coverage with `ink` pasted at (left, top)."""
    canvas = np.zeros((height, width), np.float32)
    h, w = ink.shape
    canvas[top:top + h, left:left + w] = ink
    return canvas


def blur(a, sigma):
    """Separable Gaussian blur of a 2-D float array (edges extended)."""
    r = int(np.ceil(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    a = np.pad(a.astype(np.float32), r, mode="edge")
    a = np.apply_along_axis(lambda v: np.convolve(v, k, mode="valid"), 0, a)
    return np.apply_along_axis(lambda v: np.convolve(v, k, mode="valid"), 1, a).astype(np.float32)


def smooth_noise(rng, width, height, cells):
    """Low-frequency noise in about [-1, 1]: random values on a coarse grid, smoothly enlarged."""
    coarse = rng.standard_normal((cells, cells)).astype(np.float32)
    img = Image.fromarray(coarse).resize((width, height), Image.BICUBIC)
    return np.asarray(img, dtype=np.float32)


def ramp(a, low, high):
    """0 below `low`, 1 above `high`, linear between: turns soft coverage into a firmer stroke."""
    return np.clip((a - low) / (high - low), 0.0, 1.0)


def mix(background, colour, alpha):
    """Colour composite: background (H, W, 3) float, colour (3,), alpha (H, W) in [0, 1]."""
    a = alpha[..., None]
    return background * (1.0 - a) + np.asarray(colour, np.float32) * a


def to_u8(a):
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


def rgb(a):
    return Image.fromarray(to_u8(a))  # (H, W, 3) uint8 -> RGB


def grey(a):
    return Image.fromarray(to_u8(a))  # (H, W) uint8 -> L


# ---------------------------------------------------------------- the kinds
# Each maker takes (source digit uint8, rng) and returns (PIL image or ("pypng", writer args), note).


def phone_photo(width, height, digit_box, left, top, light_from):
    """Dark pencil on greyish paper, photographed: uneven light, blur, noise, JPEG softness.
    The digit is scaled to a digit_box square pasted at (left, top) of a width x height photo;
    light_from weighs how fast the light falls off to the right and downwards."""
    def make(src, rng):
        ink = place(upscale(src, digit_box, digit_box), width, height, left, top)
        ink = blur(ramp(ink, 0.15, 0.75), 1.6) * 0.92  # camera focus; graphite never fully black
        ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
        # light from one corner, a soft shadow of the phone towards the other, a little vignetting
        light = 1.06 - 0.30 * (xs / width * light_from[0] + ys / height * light_from[1])
        r2 = ((xs - width / 2) / width) ** 2 + ((ys - height / 2) / height) ** 2
        light = light * (1.0 - 0.35 * r2) + 0.03 * smooth_noise(rng, width, height, 5)
        paper = np.broadcast_to(np.array([206, 201, 190], np.float32), (height, width, 3))
        img = mix(paper, [52, 50, 58], ink) * light[..., None]
        img = img + rng.normal(0.0, 4.0, img.shape)  # sensor noise
        photo = rgb(img).filter(ImageFilter.GaussianBlur(0.7))
        # JPEG round trip: the blocky, chroma-smeared softness of a photo that was once a JPEG
        from io import BytesIO
        buffer = BytesIO()
        photo.save(buffer, "JPEG", quality=62)
        buffer.seek(0)
        return Image.open(buffer).convert("RGB")
    return make


def drawn_in_paint(src, rng):
    """Black strokes on pure white, hard edges: a mouse/brush drawing in a paint program."""
    ink = place(upscale(src, 200, 200), 280, 280, 44, 36)
    hard = ink >= 0.5
    return grey(np.where(hard, 0, 255)).convert("RGB")


def transparent_canvas(src, rng):
    """RGBA: near-black opaque ink, background alpha 0 stored as transparent BLACK (as an HTML
    canvas exports it), so a reader that ignores alpha sees nothing but black."""
    ink = place(upscale(src, 224, 224), 256, 256, 16, 16)
    alpha = ramp(ink, 0.25, 0.55)
    out = np.zeros((256, 256, 4), np.uint8)
    out[..., 3] = to_u8(alpha * 255.0)
    out[..., 0:3] = np.where(out[..., 3:4] > 0, 24, 0)
    return Image.fromarray(out)  # RGBA


def grey_alpha(src, rng):
    """LA: the grey channel is one dark grey everywhere; the shape lives only in alpha
    (a mask-like export). Composited over white it is dark ink on white."""
    ink = place(upscale(src, 112, 112), 144, 144, 18, 14)
    alpha = ramp(ink, 0.2, 0.6)
    la = np.stack([np.full(alpha.shape, 40.0), alpha * 255.0], axis=-1)
    return Image.fromarray(to_u8(la))  # LA


def palette_pencil(src, rng):
    """Pencil on cream paper, reduced to a 16-colour palette (as a GIF-minded tool would save it)."""
    ink = place(upscale(src, 168, 168), 200, 200, 12, 20)
    paper = np.array([246, 238, 218], np.float32) + rng.normal(0.0, 2.0, (200, 200, 3))
    img = rgb(mix(paper, [72, 70, 82], ramp(ink, 0.1, 0.8) * 0.9))
    return img.quantize(colors=16, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def scan_16bit(src, rng):
    """16-bit greyscale scan: dark ink on light grey paper, values using the full 16-bit range."""
    ink = place(upscale(src, 128, 128), 160, 160, 16, 16)
    paper = 58000.0 + 1200.0 * smooth_noise(rng, 160, 160, 4) + rng.normal(0.0, 300.0, (160, 160))
    value = paper * (1.0 - ramp(ink, 0.1, 0.8)) + 9000.0 * ramp(ink, 0.1, 0.8)
    return Image.frombytes("I;16", (160, 160), np.clip(np.rint(value), 0, 65535).astype("<u2").tobytes())


def fax_1bit(src, rng):
    """1-bit black and white, as from a fax or a bilevel scan: black ink on white, hard threshold."""
    ink = place(upscale(src, 100, 100), 128, 128, 10, 18)
    return grey(np.where(ink >= 0.45, 0, 255)).convert("1", dither=Image.Dither.NONE)


def chalkboard(src, rng):
    """White chalk on a dark green board: light on dark, grainy strokes, faint old smudges."""
    w, h = 320, 240
    ink = place(upscale(src, 170, 170), w, h, 98, 30)
    texture = 1.0 + 0.10 * smooth_noise(rng, w, h, 6) + blur(rng.normal(0.0, 0.04, (h, w)), 0.8)
    board = np.array([38, 64, 50], np.float32)[None, None, :] * texture[..., None]
    smudge = np.clip(smooth_noise(rng, w, h, 4), 0.0, None) * 0.07  # half-erased earlier writing
    board = mix(board, [200, 205, 195], smudge)
    grain = blur(rng.standard_normal((h, w)), 1.2)  # chalk skips where the board's texture dips
    grain = np.clip(0.85 + 0.9 * grain, 0.0, 1.0)
    coverage = ramp(ink, 0.15, 0.6) * grain
    return rgb(mix(board, [236, 238, 228], blur(coverage, 0.6)))


def blue_ink(src, rng):
    """Blue ballpoint on white paper: thin-ish blue strokes."""
    w, h = 220, 260
    ink = place(upscale(src, 190, 190), w, h, 22, 40)
    paper = np.broadcast_to(np.array([250, 250, 247], np.float32), (h, w, 3))
    return rgb(mix(paper, [28, 48, 156], ramp(ink, 0.45, 0.75)))


def original(src, rng):
    """The data-set image exactly as stored: 8-bit grey, light ink on black."""
    return grey(src)


def interlaced_scan(src, rng):
    """8-bit grey, Adam7-interlaced: a flatbed scan of pencil on light paper. Written with pypng."""
    ink = place(upscale(src, 150, 150), 180, 180, 14, 16)
    paper = 228.0 + 4.0 * smooth_noise(rng, 180, 180, 3) + rng.normal(0.0, 1.5, (180, 180))
    value = mix(paper[..., None], [60], ramp(ink, 0.1, 0.8) * 0.95)[..., 0]
    return ("pypng", to_u8(value))


# ---------------------------------------------------------------- the set

# (file name, digit, set, polarity as displayed, maker, seed, what it imitates)
SAMPLES = [
    ("0-fax-1bit.png", 0, "mnist", "dark on light", fax_1bit, 100,
     "1-bit fax / bilevel scan: black ink on white"),
    ("1-blue-ink.png", 1, "mnist", "dark on light", blue_ink, 101,
     "blue ballpoint on white paper"),
    ("1-scan-16bit.png", 1, "usps", "dark on light", scan_16bit, 102,
     "16-bit greyscale scan: dark ink on light grey"),
    ("2-phone-photo.png", 2, "mnist", "dark on light",
     phone_photo(240, 320, 130, 16, 122, light_from=(0.55, 0.85)), 103,
     "phone photo (portrait): dark pencil on greyish paper, uneven light, blur, noise, JPEG softness, off-centre"),
    ("3-drawn-in-paint.png", 3, "usps", "dark on light", drawn_in_paint, 104,
     "paint-program drawing: black strokes on pure white, hard edges"),
    ("4-usps-original.png", 4, "usps", "light on dark", original, 105,
     "the USPS test image as stored: light ink on black"),
    ("5-chalkboard.png", 5, "usps", "light on dark", chalkboard, 106,
     "chalk on a dark green board: light ink on dark"),
    ("6-grey-alpha.png", 6, "usps", "dark on light", grey_alpha, 107,
     "grey+alpha export: shape only in alpha, over white it is dark on white"),
    ("7-mnist-original.png", 7, "mnist", "light on dark", original, 108,
     "the MNIST test image as stored: light ink on black"),
    ("8-drawn-on-transparent.png", 8, "mnist", "dark on light", transparent_canvas, 109,
     "drawing on a transparent canvas: opaque near-black ink, background transparent black"),
    ("8-phone-photo-landscape.png", 8, "usps", "dark on light",
     phone_photo(320, 240, 110, 172, 40, light_from=(0.9, 0.4)), 110,
     "phone photo (landscape): dark pencil on greyish paper, uneven light, blur, noise, JPEG softness, off-centre"),
    ("9-interlaced-scan.png", 9, "usps", "dark on light", interlaced_scan, 111,
     "Adam7-interlaced greyscale scan: pencil on light paper"),
    ("9-palette-pencil.png", 9, "mnist", "dark on light", palette_pencil, 112,
     "palette PNG (16 colours): pencil on cream paper"),
]

COLOUR_TYPES = {0: "grey", 2: "RGB", 3: "palette", 4: "grey+alpha", 6: "RGBA"}


def png_header(path):
    """(width, height, bit depth, colour type, interlaced) straight from the IHDR chunk."""
    with open(path, "rb") as f:
        head = f.read(33)
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", head[16:29])
    return width, height, depth, colour, interlace == 1


def polarity(path):
    """'dark on light' or 'light on dark', measured on the image composited over white
    (checks the polarity each sample declares)."""
    img = Image.open(path)
    if img.mode == "I;16":
        a = np.asarray(img, dtype=np.float64) / 65535.0 * 255.0
    else:
        img = img.convert("RGBA")
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        a = np.asarray(Image.alpha_composite(white, img).convert("L"), dtype=np.float64)
    # the background is most of the image, so the median sits on it; ink pulls the mean its way
    return "dark on light" if a.mean() < np.median(a) else "light on dark"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mnist", help="directory of t10k-images-idx3-ubyte.gz / t10k-labels-idx1-ubyte.gz")
    parser.add_argument("--usps", help="directory of test-images-idx3-ubyte.gz / test-labels-idx1-ubyte.gz")
    parser.add_argument("--out", default=os.path.join(REPO, "Resources", "samples"))
    args = parser.parse_args()

    sets = {name: load_test(name, find_dir(name, getattr(args, name))) for name in DATASETS}
    os.makedirs(args.out, exist_ok=True)

    rows, skipped = [], []
    for name, digit, dataset, declared, make, seed, imitates in SAMPLES:
        images, labels = sets[dataset]
        index = first_of(labels, digit)
        assert labels[index] == digit
        result = make(images[index], np.random.default_rng(seed))
        path = os.path.join(args.out, name)
        if isinstance(result, tuple):  # interlaced: pypng
            if png is None:
                skipped.append(name)
                print(f"make-samples: pypng unavailable, skipping {name}", file=sys.stderr)
                continue
            pixels = result[1]
            with open(path, "wb") as f:
                png.Writer(width=pixels.shape[1], height=pixels.shape[0], greyscale=True, bitdepth=8,
                           interlace=True).write(f, pixels.tolist())
        else:
            result.save(path, optimize=True)
        width, height, depth, colour, interlaced = png_header(path)
        kind = f"{COLOUR_TYPES[colour]} {depth}-bit" + (", interlaced" if interlaced else "")
        source = f"{dataset.upper()} test #{index} (first {digit} of the set)"
        measured = polarity(path)
        if measured != declared:
            sys.exit(f"make-samples: {name} should be {declared}, measures {measured}")
        rows.append((name, digit, imitates, kind, f"{width}×{height}", declared, source,
                     os.path.getsize(path)))
        print(f"{name:30} {kind:26} {width:>3}×{height:<3} {os.path.getsize(path):>6} B  {source}")

    total = sum(r[-1] for r in rows)
    print(f"{len(rows)} files, {total} bytes")
    write_readme(args.out, rows, skipped)


def write_readme(out, rows, skipped):
    lines = [
        "# Sample images",
        "",
        "Handwritten digits for the README demo and the end-to-end tests of `digits classify`.",
        "The true digit is the first character of each file name (`<digit>-<description>.png`).",
        "",
        "Every image is a real person's handwriting from a **test** split — MNIST t10k (28×28) or",
        "USPS test (16×16) — never a font. The model trains on the MNIST train split only.",
        "**Selection rule:** each file takes the *first* test image of its digit in its set",
        "(the lowest index with that label); no image was chosen by looking at a model's prediction.",
        "Each is then dressed up as one kind of image a person might hand the program.",
        "Polarity is of the image as displayed (transparent pixels composited over white).",
        "",
        "| file | true digit | imitates | PNG colour type / bit depth | size | polarity | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, digit, imitates, kind, size, pol, source, _ in rows:
        lines.append(f"| `{name}` | {digit} | {imitates} | {kind} | {size} | {pol} | {source} |")
    if skipped:
        lines += ["", "Not written (pypng missing, needed for Adam7 interlace): "
                  + ", ".join(f"`{s}`" for s in skipped) + "."]
    lines += [
        "",
        "## Regenerate",
        "",
        "```sh",
        "python3 tools/make-samples.py",
        "# MNIST from the first of $DIGITS_DATA/mnist, data/mnist, ../data/mnist;",
        "# USPS from the first of $DIGITS_DATA/usps, data/usps, ../shared/data/usps",
        "python3 tools/make-samples.py --mnist DIR --usps DIR",
        "```",
        "",
        "The script needs numpy and Pillow, and pypng for the interlaced file (it runs `pip install`",
        "itself, and says so, when an import fails). It is deterministic: fixed seeds per file. The",
        "phone photos pass through a JPEG round trip, so their bytes can differ with another libjpeg.",
        "",
    ]
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
