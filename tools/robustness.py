#!/usr/bin/env python3
"""The robustness suite: how `digits classify` reads people-like pictures, and what it refuses.

Generated, not committed: every picture is drawn afresh into a temporary folder from a seed, the
binary runs `classify --json` once per kind with all that kind's files, and ONE table is printed:
kind -> n, accuracy (digit kinds) or rejection rate (non-digit kinds).

Source digits come only from TEST splits, chosen by index (a seeded permutation of each class's
indices), never by a prediction: MNIST t10k (28x28) and USPS test (16x16). The training splits are
never read. Kinds (each seeded, one generator function per kind below, its docstring says what it
stands for):

  reference       mnist-as-stored, usps-as-stored: the test images written as PNG unchanged
  pen width       pen-2px ... pen-12px: MNIST test skeletons drawn with a round pen on 280x280
  drawn           mouse (jittered polyline strokes, 3-5 px), european (flagged 1s, crossed 7s,
                  open 4s, straight-tailed 9s: a stand-in, see gen_european)
  printed         printed-liberation, printed-freefont, printed-urw: 0-9 in Debian's font packages
  framing         photo (pen on paper, photographed), tight-crop, huge-margin, frame-filling-16
  non-digits      letters, symbols, noise, blobs-scribbles, scenes, multi-digit

Scoring. A line with "digit": null, or a "verdict" other than "digit", is a REJECTION; an
{"file", "error"} line or no line at all is UNREADABLE. Digit kinds: accuracy = right / n (a
rejection or an unreadable file counts as wrong; the rejected share is shown beside it). Non-digit
kinds: rejection rate = rejected / n (unreadable files are shown apart, not counted as rejected);
multi-digit also shows the share answered "several-digits". One error is an answer: "blank image"
(classify found no ink and says so, naming no digit) counts as a rejection of a non-digit (listed
as "blank" among the answers) and as unreadable for a digit.

Deterministic: every draw comes from numpy's default_rng seeded by (--seed, kind, picture number);
the photo kind passes through JPEG, so its bytes depend on Pillow's libjpeg, and printed kinds on
the installed FreeType and font versions.

Usage (from anywhere):
    python3 tools/robustness.py [--binary PATH] [--model PATH] [--n N] [--seed S] [--kinds a,b]
                                [--json] [--keep DIR] [--misses N] [--detail] [--mnist DIR] [--usps DIR]
--binary defaults to .build/release/digits in the repository. --kinds takes kind names or
prefixes (`pen`, `printed`). Needs numpy and Pillow (installed with pip if missing, as
tools/make-samples.py does) and, for the printed kinds and the letters/symbols, Debian's
fonts-liberation, fonts-freefont-ttf and fonts-urw-base35 (installed with apt-get when missing
and running as root; a family that cannot be had is skipped with a note).
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter

import numpy as np

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tool_modules import load_tool  # noqa: E402  (tools/ scripts as modules)

# photo-robustness.py loads make-samples.py (which pip-installs Pillow if it is missing) and swaps
# in its faster, identical blur; its `ms` is that make-samples module: data discovery, IDX reading,
# drawing helpers and the phone-photo dressing come from there.
pr = load_tool("photo_robustness", "photo-robustness.py")
ms = pr.ms
from PIL import Image, ImageDraw, ImageFont  # noqa: E402  (make-samples made sure it is importable)


def note(message):
    print(f"robustness: {message}", file=sys.stderr)


# ================================================================ strokes
# A digit's strokes are a set of points (N x 2 float array of (y, x) pixel positions, about one per
# pixel along each stroke); `pen` turns them into ink coverage on a canvas.


def zhang_suen(mask):
    """Zhang-Suen thinning of a boolean image to a one-pixel-wide 8-connected skeleton (numpy)."""
    img = np.pad(mask.astype(np.uint8), 1)
    while True:
        changed = False
        for step in (0, 1):
            c = img[1:-1, 1:-1]
            p2, p3, p4 = img[:-2, 1:-1], img[:-2, 2:], img[1:-1, 2:]
            p5, p6, p7 = img[2:, 2:], img[2:, 1:-1], img[2:, :-2]
            p8, p9 = img[1:-1, :-2], img[:-2, :-2]
            ring = [p2, p3, p4, p5, p6, p7, p8, p9, p2]
            neighbours = sum(p.astype(np.int32) for p in ring[:8])
            transitions = sum(((ring[k] == 0) & (ring[k + 1] == 1)).astype(np.int32) for k in range(8))
            if step == 0:
                side = ((p2 & p4 & p6) == 0) & ((p4 & p6 & p8) == 0)
            else:
                side = ((p2 & p4 & p8) == 0) & ((p2 & p6 & p8) == 0)
            delete = (c == 1) & (neighbours >= 2) & (neighbours <= 6) & (transitions == 1) & side
            if delete.any():
                c[delete] = 0
                changed = True
        if not changed:
            return img[1:-1, 1:-1].astype(bool)


def ink_box(a, level):
    ys, xs = np.nonzero(a > level)
    if len(ys) == 0:
        return 0, a.shape[0], 0, a.shape[1]
    return ys.min(), ys.max() + 1, xs.min(), xs.max() + 1


def _ring(img):
    """The 8 neighbours of every pixel of a padded 0/1 image, clockwise from north, and the
    number of 0->1 transitions around that ring (the crossing number)."""
    p = [img[:-2, 1:-1], img[:-2, 2:], img[1:-1, 2:], img[2:, 2:],
         img[2:, 1:-1], img[2:, :-2], img[1:-1, :-2], img[:-2, :-2]]
    crossings = sum(((p[k] == 0) & (p[(k + 1) % 8] == 1)).astype(np.int32) for k in range(8))
    return sum(q.astype(np.int32) for q in p), crossings


def end_points(skel):
    neighbours, crossings = _ring(np.pad(skel.astype(np.uint8), 1))
    return skel & (crossings == 1) & (neighbours <= 2)


def prune(skel, length):
    """Removes side branches shorter than `length` px (the spurs thinning leaves at the corners of
    thick strokes), keeping the full length of the main strokes: strip end points `length` times,
    then regrow the surviving ends along the original skeleton (Gonzalez & Woods)."""
    x = skel.copy()
    for _ in range(length):
        ends = end_points(x)
        if not ends.any():
            break
        x &= ~ends
    grow = end_points(x)
    for _ in range(length):
        padded = np.pad(grow, 1)
        dilated = grow.copy()
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                dilated |= padded[1 + dy:1 + dy + grow.shape[0], 1 + dx:1 + dx + grow.shape[1]]
        grow = dilated & skel
    return x | grow


def skeleton_points(src, box):
    """A test digit's strokes: the ink box upsampled (bilinear) so its longer side is `box` px,
    smoothed a little, thresholded at half intensity, thinned (Zhang-Suen) and cleared of short
    spurs. Returns (y, x) points from (0, 0), about one per pixel along each stroke."""
    y0, y1, x0, x1 = ink_box(src, 40)
    crop = src[y0:y1, x0:x1].astype(np.float32) / 255.0
    h, w = crop.shape
    scale = box / max(h, w)
    big = Image.fromarray(np.pad(crop, 1)).resize((max(2, round((w + 2) * scale)), max(2, round((h + 2) * scale))),
                                                  Image.BILINEAR)
    smooth = ms.blur(np.asarray(big, np.float32), max(1.0, box / 70.0))
    return glyph_points(smooth >= 0.5, spur=max(3, round(0.07 * box)))


def pieces_of(pixels):
    """The 8-connected pieces of a set of (y, x) pixels, each a list of its pixels (the set is used up)."""
    while pixels:
        piece, todo = [], [pixels.pop()]
        while todo:
            y, x = todo.pop()
            piece.append((y, x))
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    if (y + dy, x + dx) in pixels:
                        pixels.discard((y + dy, x + dx))
                        todo.append((y + dy, x + dx))
        yield piece


def drop_specks(points, smallest):
    """Drops connected pieces (8-neighbours) of fewer than `smallest` pixels: the skeletons of
    stray specks of ink, which a pen would turn into dots."""
    keep = []
    for piece in pieces_of({(int(y), int(x)) for y, x in points}):
        if len(piece) >= smallest:
            keep += piece
    return np.array(sorted(keep), np.float64) if keep else points


def glyph_points(mask, spur=0):
    """Skeleton points of a boolean glyph image; with `spur`, pruned of shorter side branches and
    of pieces shorter than that."""
    skel = zhang_suen(mask)
    if spur:
        skel = prune(skel, spur)
    points = np.argwhere(skel).astype(np.float64)
    if spur:
        points = drop_specks(points, spur)
    return points - points.min(axis=0) if len(points) else points


def trace(points):
    """Orders skeleton pixels into strokes: walks from end points (then from whatever is left, for
    loops) to unvisited neighbours, 4-neighbours first; a stroke that starts or stops beside an
    earlier one is joined to it. Returns a list of (k, 2) arrays."""
    left = {(int(y), int(x)) for y, x in np.rint(points)}
    visited = set()
    around = [(-1, 0), (0, 1), (1, 0), (0, -1), (-1, 1), (1, 1), (1, -1), (-1, -1)]

    def neighbours(p, pool):
        return [(p[0] + dy, p[1] + dx) for dy, dx in around if (p[0] + dy, p[1] + dx) in pool]

    strokes = []
    while left:
        ends = [p for p in left if len(neighbours(p, left)) <= 1]
        start = min(ends) if ends else min(left)
        path = neighbours(start, visited)[:1] + [start]
        left.discard(start)
        visited.add(start)
        current = start
        while True:
            nxt = neighbours(current, left)
            if not nxt:
                break
            current = nxt[0]
            left.discard(current)
            visited.add(current)
            path.append(current)
        path += [q for q in neighbours(current, visited) if q not in path[-3:]][:1]
        strokes.append(np.array(path, float))
    return strokes


def segment(p0, p1, step=0.5):
    """Points every `step` px from p0 to p1 (both (y, x))."""
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    k = max(2, int(np.ceil(np.hypot(*(p1 - p0)) / step)) + 1)
    t = np.linspace(0.0, 1.0, k)[:, None]
    return p0 + t * (p1 - p0)


def polyline(vertices, step=0.5):
    return np.concatenate([segment(a, b, step) for a, b in zip(vertices[:-1], vertices[1:])])


def affine(points, rng, rotate=8.0, shear=0.15, aspect=0.1):
    """A mild random slant / rotation / aspect change of points about their centre."""
    a = np.deg2rad(rng.uniform(-rotate, rotate))
    s = rng.uniform(-shear, shear)
    r = np.exp(rng.uniform(-aspect, aspect))
    m = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) @ np.array([[r, 0.0], [s, 1.0 / r]])
    centre = points.mean(axis=0)
    out = (points - centre) @ m.T
    return out - out.min(axis=0)


def wobble(points, rng, amplitude, cells=5):
    """Points displaced by a smooth random field (up to about `amplitude` px): the slow drift of a
    hand or a mouse."""
    ext = extent(points).astype(int) + 2
    field = [ms.smooth_noise(rng, ext[1], ext[0], cells) * amplitude for _ in range(2)]
    base = points - points.min(axis=0)
    p = np.clip(np.rint(base).astype(int), 0, ext - 1)
    return points + np.stack([field[0][p[:, 0], p[:, 1]], field[1][p[:, 0], p[:, 1]]], axis=1)


def extent(points):
    return points.max(axis=0) - points.min(axis=0) + 1.0  # (height, width)


def pen(points, height, width, diameter, antialias=True):
    """Ink coverage in [0, 1] of a round pen of `diameter` px stamped at every point (rounded to the
    pixel grid). Antialiased: coverage = clip(d/2 + 1/2 - distance, 0, 1); else a hard disc."""
    mask = np.zeros((height, width), bool)
    p = np.rint(points).astype(int)
    keep = (p[:, 0] >= 0) & (p[:, 0] < height) & (p[:, 1] >= 0) & (p[:, 1] < width)
    mask[p[keep, 0], p[keep, 1]] = True
    r = int(np.ceil(diameter / 2.0)) + 1
    padded = np.pad(mask, r)
    by_distance = {}
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            d = float(np.hypot(dy, dx))
            if d <= r:
                by_distance.setdefault(d, []).append((dy, dx))
    distance = np.full((height, width), np.inf, np.float32)
    covered = np.zeros((height, width), bool)
    for d in sorted(by_distance):
        union = np.zeros((height, width), bool)
        for dy, dx in by_distance[d]:
            union |= padded[r + dy:r + dy + height, r + dx:r + dx + width]
        fresh = union & ~covered
        distance[fresh] = d
        covered |= union
    if antialias:
        return np.clip(diameter / 2.0 + 0.5 - distance, 0.0, 1.0).astype(np.float32)
    return (distance <= (diameter - 1) / 2.0 + 0.25).astype(np.float32)


def place_points(points, height, width, rng, margin, jitter):
    """Points centred on a height x width canvas, moved by up to `jitter` px, kept `margin` px
    from the edges."""
    ext = extent(points)
    centre = np.array([height, width], float) / 2.0 - ext / 2.0
    low = np.array([margin, margin], float)
    high = np.array([height, width], float) - ext - margin
    offset = centre + rng.uniform(-jitter, jitter, 2)
    offset = np.clip(offset, low, np.maximum(low, high))
    return points - points.min(axis=0) + offset


def picture(coverage, dark_on_light):
    """8-bit grey picture: dark ink on white paper, or light ink on black."""
    value = 255.0 * (1.0 - coverage) if dark_on_light else 255.0 * coverage
    return ms.grey(value)


def polarity_name(dark_on_light):
    return "dark" if dark_on_light else "light"


# ================================================================ sources


class Context:
    """The test sets, seeded choices of their indices, and the installed fonts."""

    def __init__(self, args):
        self.sets = {}
        for name in ("mnist", "usps"):
            directory = ms.find_dir(name, getattr(args, name))
            self.sets[name] = ms.load_test(name, directory)
        self.seed = args.seed
        self.fonts = None
        self._orders = {}

    def indices(self, dataset, kind, n, digits=range(10)):
        """n test indices, the classes taken in turn from `digits`, each class's indices in a
        permutation seeded by (seed, kind): chosen by index, never by a prediction."""
        key = (dataset, kind)
        if key not in self._orders:
            labels = self.sets[dataset][1]
            rng = np.random.default_rng([self.seed, zlib.crc32(kind.encode()), 7])
            self._orders[key] = {d: rng.permutation(np.flatnonzero(labels == d)) for d in range(10)}
        order = self._orders[key]
        digits = list(digits)
        return [int(order[digits[i % len(digits)]][i // len(digits)]) for i in range(n)]

    def image(self, dataset, index):
        images, labels = self.sets[dataset]
        return images[index], int(labels[index])


# ================================================================ fonts

FONT_FAMILIES = {  # row name: (Debian package, glob patterns of its files)
    "liberation": ("fonts-liberation", ["/usr/share/fonts/truetype/liberation/Liberation*.ttf"]),
    "freefont": ("fonts-freefont-ttf", ["/usr/share/fonts/truetype/freefont/Free*.ttf"]),
    "urw": ("fonts-urw-base35", ["/usr/share/fonts/opentype/urw-base35/*.otf"]),
}
NOT_TEXT_FONTS = ("D050000L", "StandardSymbolsPS")  # dingbats and Greek symbols, not Latin digits
SANS_FOR_PEN = ("LiberationSans-Regular", "FreeSans", "NimbusSans-Regular", "URWGothic-Book")


def font_files(family):
    return sorted(f for pattern in FONT_FAMILIES[family][1] for f in glob.glob(pattern)
                  if not os.path.basename(f).startswith(NOT_TEXT_FONTS))


def ensure_fonts(families):
    """{family: [font files]}; installs missing Debian font packages with apt-get when root."""
    missing = [f for f in families if not font_files(f)]
    if missing and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        packages = [FONT_FAMILIES[f][0] for f in missing]
        note(f"installing {' '.join(packages)} with apt-get")
        install = ["apt-get", "install", "-y", "-qq"] + packages
        if subprocess.run(install, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run(install, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    found = {f: font_files(f) for f in families}
    for family, files in found.items():
        if not files:
            note(f"no {family} fonts ({FONT_FAMILIES[family][0]} is not installed): its rows are skipped")
    return found


def font_name(path):
    return os.path.splitext(os.path.basename(path))[0]


def glyph(text, font_path, size):
    """Coverage of `text` rendered by FreeType (antialiased), cropped to its ink box."""
    font = ImageFont.truetype(font_path, size)
    left, top, right, bottom = font.getbbox(text)
    img = Image.new("L", (right - left + 4, bottom - top + 4), 0)
    ImageDraw.Draw(img).text((2 - left, 2 - top), text, fill=255, font=font)
    a = np.asarray(img, dtype=np.float32) / 255.0
    y0, y1, x0, x1 = ink_box(a, 0.05)
    return a[y0:y1, x0:x1]


def paste(coverage, height, width, top, left):
    canvas = np.zeros((height, width), np.float32)
    h, w = coverage.shape
    canvas[top:top + h, left:left + w] = np.maximum(canvas[top:top + h, left:left + w], coverage)
    return canvas


def printed_picture(text, font_path, size, rng, dark_on_light):
    """`text` printed in a font at `size` px on a canvas 1.2-3x the glyph, off-centre."""
    g = glyph(text, font_path, size)
    h, w = g.shape
    side = int(max(h, w) * rng.uniform(1.2, 3.0)) + 4
    height, width = side, int(side * rng.uniform(0.8, 1.25))
    width = max(width, w + 4)
    top = int(rng.integers(0, height - h + 1))
    left = int(rng.integers(0, width - w + 1))
    return picture(paste(g, height, width, top, left), dark_on_light)


def lost_piece_centres(mask, points):
    """The centre of every piece of a glyph (8-connected) that no skeleton point lies on: the dots
    of ? ! j ; and the like, whose skeletons are shorter than the spurs pruned away. A pen draws
    them as dots; without them a pen-drawn "?" is a 7-like hook and a "!" a 1."""
    kept = {(int(y), int(x)) for y, x in points}
    centres = [np.mean(np.array(piece, np.float64), axis=0)
               for piece in pieces_of({(int(y), int(x)) for y, x in np.argwhere(mask)})
               if not any(p in kept for p in piece)]
    return np.array(centres, np.float64).reshape(-1, 2)


def pen_glyph_points(text, font_path, rng):
    """A character drawn by hand: a sans font's glyph at ~200 px, thinned to its centre lines (its
    dots kept as dots) and given a random slant/rotation, for the pen to trace."""
    mask = glyph(text, font_path, 220) >= 0.5
    skeleton = np.argwhere(prune(zhang_suen(mask), 12)).astype(np.float64)
    points = drop_specks(skeleton, 12) if len(skeleton) else skeleton
    points = np.concatenate([points, lost_piece_centres(mask, points)])
    return affine(points - points.min(axis=0), rng, rotate=10, shear=0.25, aspect=0.15)


# ================================================================ the kinds
# Each generator: gen(i, rng, ctx) -> (PIL image, truth, label for the file name, detail) where
# truth is the digit 0-9 or None for a non-digit, and detail names a sub-group (--detail).


def gen_mnist_as_stored(i, rng, ctx):
    """Reference: the MNIST test image as stored (28x28 grey, light ink on black)."""
    index = ctx.indices("mnist", "mnist-as-stored", i + 1)[i]
    src, digit = ctx.image("mnist", index)
    return ms.grey(src), digit, f"mnist{index}", None


def gen_usps_as_stored(i, rng, ctx):
    """Reference: the USPS test image as stored (16x16 grey, light ink on black)."""
    index = ctx.indices("usps", "usps-as-stored", i + 1)[i]
    src, digit = ctx.image("usps", index)
    return ms.grey(src), digit, f"usps{index}", None


def pen_width_kind(width):
    def gen(i, rng, ctx):
        kind = f"pen-{width}px"
        index = ctx.indices("mnist", kind, i + 1)[i]
        src, digit = ctx.image("mnist", index)
        points = skeleton_points(src, rng.uniform(180, 215))
        points = place_points(points, 280, 280, rng, margin=width + 10, jitter=15)
        dark = i % 2 == 0
        return (picture(pen(points, 280, 280, width), dark), digit, f"mnist{index}-{polarity_name(dark)}",
                f"{polarity_name(dark)} ink")
    gen.__doc__ = (f"A digit drawn with a round {width}-px pen on a 280x280 canvas (a drawing app or a "
                   "tablet): the centre line of an MNIST test digit upsampled to a ~200 px box, dark on "
                   "white and light on black in turn, mild random offset.")
    return gen


def gen_mouse(i, rng, ctx):
    """Mouse-drawn: the skeleton traced into strokes, each displaced by a smooth random wobble and
    sampled as a mouse reports motion (every 3-7 px), the samples joined by straight segments;
    width 3-5 px on ~300 px canvases, both polarities, antialiased or hard-edged (a paint program)."""
    index = ctx.indices("mnist", "mouse", i + 1)[i]
    src, digit = ctx.image("mnist", index)
    size = int(rng.integers(270, 331))
    points = skeleton_points(src, size * rng.uniform(0.6, 0.75))
    step = int(rng.integers(3, 8))
    samples = []
    for stroke in trace(points):  # a mouse reports a point every few pixels of motion
        samples.append(stroke[sorted(set(range(0, len(stroke), step)) | {len(stroke) - 1})])
    moved = affine(np.concatenate(samples), rng, rotate=6, shear=0.1)  # one slant and one wobble
    moved = wobble(moved, rng, rng.uniform(0.5, 2.0))                  # for all the strokes
    strokes = []
    for piece in np.split(moved, np.cumsum([len(k) for k in samples])[:-1]):
        strokes.append(polyline(piece) if len(piece) > 1 else piece)
    points = np.concatenate(strokes)
    antialias = bool(rng.integers(0, 2))
    width = int(rng.integers(3, 6)) if antialias else int(rng.choice([3, 5]))
    points = place_points(points, size, size, rng, margin=width + 8, jitter=20)
    dark = i % 2 == 0
    label = f"mnist{index}-{polarity_name(dark)}-{width}px" + ("" if antialias else "-hard")
    return (picture(pen(points, size, size, width, antialias), dark), digit, label,
            f"{polarity_name(dark)} ink, {'antialiased' if antialias else 'hard-edged'}")


def printed_kind(family):
    def gen(i, rng, ctx):
        files = ctx.fonts[family]
        order = np.random.default_rng([ctx.seed, zlib.crc32(family.encode())]).permutation(len(files))
        digit = i % 10  # each round of ten: the ten digits, each in another font
        font = files[order[(i // 10 + digit * max(1, len(files) // 10)) % len(files)]]
        size = int(rng.choice([14, 20, 32, 48, 72, 120]))
        dark = rng.uniform() < 0.75
        img = printed_picture(str(digit), font, size, rng, dark)
        return img, digit, f"{font_name(font)}-{size}px-{polarity_name(dark)}", font_name(font)
    gen.__doc__ = (f"Printed digits 0-9 in the {family} fonts ({FONT_FAMILIES[family][0]}), every style the "
                   "package has (regular, bold, italic, bold italic), 14-120 px, on canvases 1.2-3x the "
                   "glyph, off-centre, mostly dark on white (a quarter light on dark).")
    return gen


def gen_photo(i, rng, ctx):
    """A thin-pen digit (2-4 px) on paper, photographed: make-samples.py's phone-photo dressing
    (grey paper, light falling off from a corner, vignetting, blur, sensor noise, JPEG round trip),
    portrait or landscape, the digit box 110-170 px, off-centre."""
    index = ctx.indices("mnist", "photo", i + 1)[i]
    src, digit = ctx.image("mnist", index)
    width, height = (240, 320) if i % 2 == 0 else (320, 240)
    points = skeleton_points(src, rng.uniform(110, 170))
    points = place_points(points, height, width, rng, margin=20, jitter=40)
    stroke = float(rng.uniform(2.0, 4.0))
    ink = pen(points, height, width, stroke)
    light = (float(rng.uniform(0.2, 1.0)), float(rng.uniform(0.2, 1.0)))
    dress = ms.phone_photo(width, height, 1, 0, 0, light_from=light)
    saved = ms.upscale, ms.place
    ms.upscale = lambda src_, w, h: None  # the phone_photo maker asks for place(upscale(...)):
    ms.place = lambda ink_, w, h, left, top: ink  # hand it the pen drawing instead
    try:
        img = dress(src, rng)
    finally:
        ms.upscale, ms.place = saved
    return img, digit, f"mnist{index}-{stroke:.1f}px", None


def gen_tight_crop(i, rng, ctx):
    """Ink touching the picture's edges: a pen digit (3-10 px) cropped to its ink box, then scaled
    so the longer side is 48-200 px (a user's careful crop), both polarities."""
    index = ctx.indices("mnist", "tight-crop", i + 1)[i]
    src, digit = ctx.image("mnist", index)
    stroke = float(rng.uniform(3.0, 10.0))
    points = place_points(skeleton_points(src, 200), 240, 240, rng, margin=stroke + 4, jitter=0)
    ink = pen(points, 240, 240, stroke)
    y0, y1, x0, x1 = ink_box(ink, 0.02)
    ink = ink[y0:y1, x0:x1]
    h, w = ink.shape
    scale = rng.uniform(48, 200) / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    ink = np.clip(np.asarray(Image.fromarray(ink).resize(size, Image.BILINEAR)), 0.0, 1.0)
    dark = i % 2 == 0
    return picture(ink, dark), digit, f"mnist{index}-{polarity_name(dark)}", f"{polarity_name(dark)} ink"


def gen_huge_margin(i, rng, ctx):
    """A small digit (40-90 px box, 2-4 px pen) anywhere on a 600x600 canvas: a digit drawn small
    on a big page or screen, both polarities."""
    index = ctx.indices("mnist", "huge-margin", i + 1)[i]
    src, digit = ctx.image("mnist", index)
    stroke = float(rng.uniform(2.0, 4.0))
    points = skeleton_points(src, rng.uniform(40, 90))
    points = place_points(points, 600, 600, rng, margin=10, jitter=280)
    dark = i % 2 == 0
    return (picture(pen(points, 600, 600, stroke), dark), digit, f"mnist{index}-{polarity_name(dark)}",
            f"{polarity_name(dark)} ink")


def gen_frame_filling_16(i, rng, ctx):
    """16x16 digits that fill the whole frame, binarised (0/255), thick strokes touching the
    border: a low-resolution bilevel scan or a digit a user enlarged to fill the picture. The ink
    box of a USPS or MNIST test digit (in turn) is stretched to the full 16 px height and width
    (narrow digits such as 1s only to 1.5x their own width), thresholded at 0.2-0.45 and, half of
    the time, thickened by one pixel; both polarities."""
    dataset = "usps" if i % 2 == 0 else "mnist"
    index = ctx.indices(dataset, "frame-filling-16", i // 2 + 1)[i // 2]
    src, digit = ctx.image(dataset, index)
    y0, y1, x0, x1 = ink_box(src, 40)
    crop = src[y0:y1, x0:x1].astype(np.float32) / 255.0
    h, w = crop.shape
    width = 16 if w / h >= 0.5 else max(2, min(16, round(16 * w / h * 1.5)))
    small = np.asarray(Image.fromarray(crop).resize((width, 16), Image.BILINEAR))
    a = paste(small, 16, 16, 0, (16 - width) // 2)
    ink = a >= rng.uniform(0.2, 0.45)
    thick = rng.uniform() < 0.5
    if thick:
        padded = np.pad(ink, 1)
        ink = ink | padded[:-2, 1:-1] | padded[2:, 1:-1] | padded[1:-1, :-2] | padded[1:-1, 2:]
    dark = (i // 2) % 2 == 0
    label = f"{dataset}{index}-{polarity_name(dark)}" + ("-thick" if thick else "")
    return picture(ink.astype(np.float32), dark), digit, label, f"{dataset}, {'thickened' if thick else 'as thresholded'}"


# --- european: a stand-in built from MNIST test skeletons and synthetic strokes

def one_with_flag(points, rng):
    """An MNIST 1's skeleton plus a flag (an up-stroke at the top going left and down) and, 40 % of
    the time, a horizontal foot."""
    height = extent(points)[0]
    top_y = points[:, 0].min()
    top = points[points[:, 0] <= top_y + 2].mean(axis=0)
    length = rng.uniform(0.25, 0.4) * height
    angle = np.deg2rad(rng.uniform(25, 55))
    strokes = [points, segment(top, top + length * np.array([np.sin(angle), -np.cos(angle)]))]
    if rng.uniform() < 0.4:
        bottom_y = points[:, 0].max()
        bottom = points[points[:, 0] >= bottom_y - 2].mean(axis=0)
        half = rng.uniform(0.15, 0.25) * height
        strokes.append(segment(bottom - [0, half], bottom + [0, half]))
    return np.concatenate(strokes)


def seven_crossed(points, rng):
    """An MNIST 7's skeleton plus a short crossbar through the stem at 45-60 % of its height."""
    top, height = points[:, 0].min(), extent(points)[0]
    y = top + rng.uniform(0.45, 0.6) * height
    near = points[np.abs(points[:, 0] - y) < 2.0]
    x = np.median(near[:, 1]) if len(near) else points[:, 1].mean()
    half = rng.uniform(0.18, 0.28) * height
    tilt = rng.uniform(-0.08, 0.08) * half
    return np.concatenate([points, segment((y + tilt, x - half), (y - tilt, x + half))])


def four_open(rng, height):
    """A synthetic open-top 4: a left stroke slanting down to the crossbar, the bar reaching past a
    separate stem (the two top ends never meet); every vertex jittered."""
    j = lambda: rng.uniform(-0.05, 0.05)  # noqa: E731
    v = [(0.0 + j(), 0.25 + j()), (0.62 + j(), 0.02 + j()), (0.62 + j(), 0.95 + j())]  # (y, x)
    stem_x = 0.68 + j()
    stem = [(0.02 + j(), stem_x), (1.0 + j(), stem_x - 0.05 + j())]
    w = rng.uniform(0.6, 0.8)
    scale = np.array([height, height * w])
    return np.concatenate([polyline(np.array(v) * scale), polyline(np.array(stem) * scale)])


def nine_straight(rng, height):
    """A synthetic 9 with a straight tail: an oval loop on top, a straight stroke down from its
    right side."""
    cy, cx = 0.27 + rng.uniform(-0.03, 0.03), 0.45
    ry, rx = rng.uniform(0.22, 0.28), rng.uniform(0.3, 0.4)
    t = np.linspace(0, 2 * np.pi, 200)
    loop = np.stack([cy + ry * np.sin(t), cx + rx * np.cos(t)], axis=1)
    start = (cy + rng.uniform(-0.05, 0.1), cx + rx)
    tail = segment(start, (1.0, cx + rx - rng.uniform(0.0, 0.2)), step=0.005)
    return np.concatenate([loop, tail]) * height


EUROPEAN_PLAN = [1, 1, 1, 1, 1, 7, 7, 7, 7, 7, 4, 4, 4, 9, 9, 9, 0, 2, 3, 5, 6, 8]


def gen_european(i, rng, ctx):
    """A STAND-IN for European handwriting styles, not real European writing: flagged 1s (40 % with
    a foot) and crossed 7s made by adding strokes to MNIST test skeletons, synthetic open-top 4s
    and straight-tailed 9s, and MNIST test 0/2/3/5/6/8 unchanged in the same pen; drawn with a
    3-8 px pen on ~200 px canvases with a random slant and a slow wobble, both polarities. It tests the style
    variants the issue names; it cannot stand for the many other ways real writers differ."""
    digit = EUROPEAN_PLAN[i % len(EUROPEAN_PLAN)]
    box = rng.uniform(120, 150)
    label = "synthetic"
    if digit in (4, 9):
        points = (four_open if digit == 4 else nine_straight)(rng, box)
        detail = "open-top 4" if digit == 4 else "straight-tail 9"
    else:
        # the how-many-th picture of this digit in the suite: its own seeded pick of test indices
        k = i // len(EUROPEAN_PLAN) * EUROPEAN_PLAN.count(digit) + EUROPEAN_PLAN[:i % len(EUROPEAN_PLAN)].count(digit)
        index = ctx.indices("mnist", "european", k + 1, digits=[digit])[k]
        src, _ = ctx.image("mnist", index)
        points = skeleton_points(src, box)
        label = f"mnist{index}"
        if digit == 1:
            points, detail = one_with_flag(points, rng), "flagged 1"
        elif digit == 7:
            points, detail = seven_crossed(points, rng), "crossed 7"
        else:
            detail = "other (unchanged)"
    points = wobble(affine(points, rng, rotate=6, shear=0.2, aspect=0.05), rng, rng.uniform(0.5, 2.5))
    size = int(rng.integers(180, 221))
    stroke = float(rng.uniform(3.0, 8.0))
    points = place_points(points, size, size, rng, margin=stroke + 6, jitter=12)
    dark = i % 2 == 0
    return picture(pen(points, size, size, stroke), dark), digit, f"{label}-{polarity_name(dark)}", detail


# --- non-digits

LETTERS = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" if c not in "OoQDIilZzSsBbGgqT"]
LETTERS_EXCLUDED = ("O o Q D (read as 0), I i l (1), Z z (2), S s (5), B (8), b G (6), g q (9), "
                    "T (7): handwritten, these are or nearly are digits, so refusing them is not a "
                    "fair demand")
SYMBOLS = list("?!#@&%+=*$<>~^{}§")  # no ( ) [ ] / \ |: drawn by hand they are 1s


def character_kind(characters):
    def gen(i, rng, ctx):
        ch = characters[int(rng.integers(0, len(characters)))]
        dark = rng.uniform() < 0.7
        if i % 2 == 0:  # printed
            files = [f for fam in FONT_FAMILIES for f in ctx.fonts.get(fam, [])]
            font = files[int(rng.integers(0, len(files)))]
            size = int(rng.choice([20, 32, 48, 72, 120]))
            img = printed_picture(ch, font, size, rng, dark)
            how = f"printed-{font_name(font)}"
        else:  # drawn with a pen
            files = [f for fam in FONT_FAMILIES for f in ctx.fonts.get(fam, []) if font_name(f) in SANS_FOR_PEN]
            font = files[int(rng.integers(0, len(files)))]
            points = pen_glyph_points(ch, font, rng)
            e = extent(points)
            points = wobble(points * (rng.uniform(150, 200) / max(e)), rng, rng.uniform(0.5, 3.0))
            size = int(rng.integers(220, 300))
            stroke = float(rng.uniform(3.0, 8.0))
            points = place_points(points, size, size, rng, margin=stroke + 6, jitter=15)
            img = picture(pen(points, size, size, stroke), dark)
            how = "pen"
        return img, None, f"{'U' + ch if ch.isupper() else ch if ch.isalnum() else 'sym%04x' % ord(ch)}-{how}", \
            ("printed" if i % 2 == 0 else "pen")
    return gen


gen_letters = character_kind(LETTERS)
gen_letters.__doc__ = (f"Latin letters, half printed (any installed family and style) and half drawn with a "
                       f"3-8 px pen along a sans font's centre lines with a random slant. Excluded: "
                       f"{LETTERS_EXCLUDED}.")
gen_symbols = character_kind(SYMBOLS)
gen_symbols.__doc__ = ("Symbols " + " ".join(SYMBOLS) + ", half printed, half pen-drawn as the letters are "
                       "(the slash, backslash, bar, parentheses and square brackets, which drawn by hand look like "
                       "a 1, are left out).")


def gen_noise(i, rng, ctx):
    """Pictures of no shape: uniform or Gaussian pixel noise, colour noise, salt and pepper on
    white, smooth cloudy texture, stripes, a checkerboard, blank-ish paper with grain."""
    size = int(rng.integers(28, 400))
    what = ["uniform", "gaussian", "colour", "salt-pepper", "texture", "stripes", "checker", "paper"][i % 8]
    if what == "uniform":
        return ms.grey(rng.uniform(0, 255, (size, size))), None, what, what
    if what == "gaussian":
        return ms.grey(rng.normal(rng.uniform(60, 200), rng.uniform(10, 60), (size, size))), None, what, what
    if what == "colour":
        return ms.rgb(rng.uniform(0, 255, (size, size, 3))), None, what, what
    if what == "salt-pepper":
        a = np.full((size, size), 255.0)
        a[rng.uniform(size=(size, size)) < rng.uniform(0.01, 0.1)] = 0.0
        return ms.grey(a), None, what, what
    if what == "texture":
        t = ms.smooth_noise(rng, size, size, int(rng.integers(3, 12)))
        return ms.grey(128 + 60 * t), None, what, what
    if what == "stripes":
        ys, xs = np.mgrid[0:size, 0:size]
        angle = rng.uniform(0, np.pi)
        period = rng.uniform(4, size / 3)
        v = np.sin(2 * np.pi * (xs * np.cos(angle) + ys * np.sin(angle)) / period)
        return ms.grey(127.5 + 127.5 * v), None, what, what
    if what == "checker":
        cell = int(rng.integers(2, max(3, size // 4)))
        ys, xs = np.mgrid[0:size, 0:size]
        return ms.grey(255.0 * (((ys // cell) + (xs // cell)) % 2)), None, what, what
    paper = 235 + 4 * ms.smooth_noise(rng, size, size, 4) + rng.normal(0, 3, (size, size))
    return ms.grey(paper), None, what, what


def gen_blobs_scribbles(i, rng, ctx):
    """Marks that are not digits: a random scribble (a wandering pen line), a filled blob, or a
    smiley face, drawn with a 3-10 px pen on 200-300 px canvases, both polarities."""
    size = int(rng.integers(200, 301))
    stroke = float(rng.uniform(3.0, 10.0))
    dark = rng.uniform() < 0.6
    what = ["scribble", "blob", "smiley"][i % 3]
    if what == "scribble":
        k = int(rng.integers(8, 30))
        heading = np.cumsum(rng.normal(0, 0.9, k))
        steps = rng.uniform(10, 30, k)[:, None] * np.stack([np.sin(heading), np.cos(heading)], axis=1)
        vertices = np.cumsum(steps, axis=0)
        points = polyline(vertices)
        e = extent(points)
        points = points * min(1.0, (size * 0.8) / max(e))
        points = place_points(points, size, size, rng, margin=stroke + 4, jitter=20)
        cov = pen(points, size, size, stroke)
    elif what == "blob":
        field = ms.smooth_noise(rng, size, size, int(rng.integers(2, 5)))
        ys, xs = np.mgrid[0:size, 0:size] / size - 0.5
        cov = ((field - 3.0 * (ys ** 2 + xs ** 2)) > rng.uniform(-0.3, 0.3)).astype(np.float32)
        cov = ms.blur(cov, 1.0)
    else:
        t = np.linspace(0, 2 * np.pi, 400)
        r = size * rng.uniform(0.3, 0.42)
        c = size / 2
        face = np.stack([c + r * np.sin(t), c + r * np.cos(t)], axis=1)
        eyes = [np.array([[c - 0.3 * r, c - s * 0.35 * r]]) + rng.normal(0, 1, (30, 2)) for s in (-1, 1)]
        u = np.linspace(np.pi * 0.2, np.pi * 0.8, 100)
        mouth = np.stack([c + 0.1 * r + 0.5 * r * np.sin(u), c + 0.5 * r * np.cos(u)], axis=1)
        cov = pen(np.concatenate([face, mouth] + eyes), size, size, stroke)
        cov = np.maximum(cov, pen(np.concatenate(eyes), size, size, stroke * 2.5))
    return picture(cov, dark), None, f"{what}-{polarity_name(dark)}", what


def gen_scenes(i, rng, ctx):
    """Synthetic colour scenes (no downloads): a two-colour gradient sky or wall, a horizon, and
    3-8 filled shapes (ellipses, rectangles, triangles) in random colours: a photo of no digit."""
    width, height = int(rng.integers(160, 420)), int(rng.integers(160, 420))
    ys = np.linspace(0, 1, height)[:, None, None]
    top, bottom = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
    img = Image.fromarray(ms.to_u8(np.broadcast_to(top * (1 - ys) + bottom * ys, (height, width, 3))))
    draw = ImageDraw.Draw(img)
    if rng.uniform() < 0.6:
        y = int(height * rng.uniform(0.4, 0.8))
        draw.rectangle([0, y, width, height], fill=tuple(int(v) for v in rng.uniform(0, 255, 3)))
    for _ in range(int(rng.integers(3, 9))):
        x0, y0 = rng.uniform(-0.1, 0.9) * width, rng.uniform(-0.1, 0.9) * height
        w, h = rng.uniform(0.05, 0.4) * width, rng.uniform(0.05, 0.4) * height
        colour = tuple(int(v) for v in rng.uniform(0, 255, 3))
        shape = int(rng.integers(0, 3))
        if shape == 0:
            draw.ellipse([x0, y0, x0 + w, y0 + h], fill=colour)
        elif shape == 1:
            draw.rectangle([x0, y0, x0 + w, y0 + h], fill=colour)
        else:
            draw.polygon([(x0, y0 + h), (x0 + w, y0 + h), (x0 + w * rng.uniform(), y0)], fill=colour)
    noisy = np.asarray(img, np.float32) + rng.normal(0, 3, (height, width, 3))
    return ms.rgb(noisy), None, "scene", None


def gen_multi_digit(i, rng, ctx):
    """Strings of 2-4 MNIST test digits side by side, separated by gaps (a number, not a digit):
    the right answer is a rejection as "several digits". Each digit is the test image upscaled
    (make-samples' bicubic) to 50-110 px high; both polarities."""
    images, labels = ctx.sets["mnist"]
    count = 2 + i % 3
    pick = np.random.default_rng([ctx.seed, zlib.crc32(b"multi-digit"), i]).integers(0, len(labels), count)
    h = int(rng.integers(50, 111))
    parts = []
    for index in pick:
        src = images[index]
        y0, y1, x0, x1 = ink_box(src, 40)
        crop = src[y0:y1, x0:x1]
        w = max(4, round(h * crop.shape[1] / crop.shape[0]))
        parts.append(ms.ramp(ms.upscale(crop, w, h), 0.1, 0.6))
    gaps = [int(h * rng.uniform(0.15, 0.5)) for _ in parts[1:]]
    margin = int(h * rng.uniform(0.2, 0.6))
    width = sum(p.shape[1] for p in parts) + sum(gaps) + 2 * margin
    height = h + 2 * margin + int(0.2 * h)
    canvas = np.zeros((height, width), np.float32)
    x = margin
    for k, part in enumerate(parts):
        y = margin + int(rng.integers(0, int(0.2 * h) + 1))
        canvas[y:y + h, x:x + part.shape[1]] = np.maximum(canvas[y:y + h, x:x + part.shape[1]], part)
        x += part.shape[1] + (gaps[k] if k < len(gaps) else 0)
    dark = i % 2 == 0
    digits = "".join(str(int(labels[j])) for j in pick)
    return picture(canvas, dark), None, f"{digits}-{polarity_name(dark)}", f"{count} digits"


# ================================================================ the table of kinds

KINDS = [  # (kind, group, generator)
    ("mnist-as-stored", "reference", gen_mnist_as_stored),
    ("usps-as-stored", "reference", gen_usps_as_stored),
] + [(f"pen-{w}px", "pen width", pen_width_kind(w)) for w in (2, 3, 4, 6, 8, 12)] + [
    ("mouse", "drawn", gen_mouse),
    ("european", "drawn", gen_european),
] + [(f"printed-{f}", "printed", printed_kind(f)) for f in FONT_FAMILIES] + [
    ("photo", "framing", gen_photo),
    ("tight-crop", "framing", gen_tight_crop),
    ("huge-margin", "framing", gen_huge_margin),
    ("frame-filling-16", "framing", gen_frame_filling_16),
    ("letters", "non-digit", gen_letters),
    ("symbols", "non-digit", gen_symbols),
    ("noise", "non-digit", gen_noise),
    ("blobs-scribbles", "non-digit", gen_blobs_scribbles),
    ("scenes", "non-digit", gen_scenes),
    ("multi-digit", "non-digit", gen_multi_digit),
]
NEEDS_FONTS = {"printed-liberation": ["liberation"], "printed-freefont": ["freefont"],
               "printed-urw": ["urw"], "letters": list(FONT_FAMILIES), "symbols": list(FONT_FAMILIES)}


def select_kinds(spec):
    names = [k for k, _, _ in KINDS]
    if not spec:
        return names
    chosen = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        matches = [k for k in names if k == part or k.startswith(part + "-") or k.startswith(part)]
        if not matches:
            sys.exit(f"robustness: unknown kind {part!r}; known: {', '.join(names)}")
        chosen += [m for m in matches if m not in chosen]
    return [k for k in names if k in chosen]


# ================================================================ running the binary


CLASSIFY_TIMEOUT = 900  # seconds for one kind's batch; far above the ~1 s it takes


def start_classify(binary, model, paths, out_dir):
    """`digits classify --json --model MODEL FILES...` from the repository root, output to files."""
    command = [binary, "classify", "--json"] + (["--model", model] if model else []) + paths
    stdout = open(os.path.join(out_dir, "classify.jsonl"), "w")
    stderr = open(os.path.join(out_dir, "classify.stderr"), "w")
    process = subprocess.Popen(command, cwd=REPO, stdout=stdout, stderr=stderr)
    stdout.close()
    stderr.close()
    return process


def read_answers(process, out_dir):
    """{path: answer} where answer is ("digit", d, confidence), ("rejected", verdict, confidence)
    or ("unreadable", message, None); files with no line are absent. Also the exit code and stderr."""
    try:
        code = process.wait(timeout=CLASSIFY_TIMEOUT)
    except subprocess.TimeoutExpired:  # a hung binary: what it printed so far still counts
        process.kill()
        code = process.wait()
        note(f"{process.args[0]} ran past {CLASSIFY_TIMEOUT} s on {out_dir}: killed")
    with open(os.path.join(out_dir, "classify.stderr"), errors="replace") as f:
        stderr = f.read()
    answers = {}
    with open(os.path.join(out_dir, "classify.jsonl"), errors="replace") as f:
        for line in f:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict) or "file" not in record:
                continue
            path = os.path.normpath(os.path.join(REPO, record["file"]))
            verdict = record.get("verdict", "digit")
            if "error" in record:
                # "blank image": classify found no ink at all and said so (score() decides what that means)
                blank = str(record["error"]).startswith("blank image")
                answers[path] = ("blank" if blank else "unreadable", str(record["error"]), None)
            elif record.get("digit") is None or verdict != "digit":
                answers[path] = ("rejected", verdict or "not-a-digit", record.get("confidence"))
            else:
                answers[path] = ("digit", int(record["digit"]), record.get("confidence"))
    return answers, code, stderr


def score(kind, group, files, answers):
    """The row of one kind: counts, the headline score, and what the model answered."""
    n = len(files)
    right = rejected = unreadable = several = 0
    said = Counter()
    misses, details = [], {}
    for path, truth, detail in files:
        answer = answers.get(path, ("unreadable", "no output line", None))
        if answer[0] == "blank":
            # A picture with no ink names no digit, with the reason: for a non-digit that is the right
            # answer (a refusal, "blank" among the answers); a digit read as blank is unreadable.
            answer = ("rejected", "blank", None) if truth is None else ("unreadable", answer[1], None)
        cell = details.setdefault(detail, [0, 0, 0, 0]) if detail else None  # good, n, rejected, unreadable
        if answer[0] == "unreadable":
            unreadable += 1
            said["unreadable"] += 1
        elif answer[0] == "rejected":
            rejected += 1
            several += answer[1] == "several-digits"
            said[answer[1]] += 1
        else:
            said[str(answer[1])] += 1
        good = (answer[0] == "digit" and answer[1] == truth) if truth is not None else answer[0] == "rejected"
        right += good
        if cell is not None:
            cell[0] += good
            cell[1] += 1
            cell[2] += answer[0] == "rejected"
            cell[3] += answer[0] == "unreadable"
        if not good:
            misses.append((path, truth, answer))
    digit_kind = group != "non-digit"
    return {
        "kind": kind, "group": group, "n": n,
        "measure": "accuracy" if digit_kind else "rejection rate",
        "score": right / n if n else 0.0,
        "correct": right,  # digit kinds: read right; non-digit kinds: rejected
        "rejected": rejected / n if n else 0.0,
        "unreadable": unreadable / n if n else 0.0,
        "several_digits": several / n if n else 0.0,
        "answers": dict(said.most_common()),
        "detail": {k: {"n": v[1], "score": v[0] / v[1], "rejected": v[2] / v[1], "unreadable": v[3] / v[1]}
                   for k, v in sorted(details.items())},
        "_misses": misses,
    }


def most_common_wrong(row):
    """The most frequent wrong digit answer, if any, and its share of all the row's pictures."""
    wrong = Counter()
    for path, truth, answer in row["_misses"]:
        if answer[0] == "digit":
            wrong[answer[1]] += 1
    if not wrong:
        return ""
    digit, count = wrong.most_common(1)[0]
    if row["measure"] == "accuracy":
        return f"most misses read as {digit} ({100.0 * count / row['n']:.0f} % of all)"
    return f"answered {digit} most often ({100.0 * count / row['n']:.0f} % of all)"


def print_table(rows, args, binary, model, seconds, detail):
    print(f"digits robustness suite: {args.n} pictures per kind, seed {args.seed}")
    print(f"binary: {binary}; model: {model or 'the binary default'}")
    print()
    kw = 34 if detail else 18
    print(f"| {'kind':{kw}} | {'n':>4} | {'score':>22} | {'rejected':>8} | {'unreadable':>10} | note |")
    print(f"|{'-' * (kw + 2)}|{'-' * 5}:|{'-' * 23}:|{'-' * 9}:|{'-' * 11}:|------|")
    for row in rows:
        what = "right" if row["measure"] == "accuracy" else "rejected"
        score_text = f"{100.0 * row['score']:5.1f} % {what}"
        text = most_common_wrong(row)
        if row["kind"] == "multi-digit":
            text = "; ".join(t for t in (f"answered several-digits: {100.0 * row['several_digits']:.1f} %", text) if t)
        print(f"| {row['kind']:{kw}} | {row['n']:>4} | {score_text:>22} | {100.0 * row['rejected']:6.1f} % "
              f"| {100.0 * row['unreadable']:8.1f} % | {text} |")
        if detail and row["detail"]:
            for name, cell in row["detail"].items():
                cell_text = f"{100.0 * cell['score']:5.1f} % {what}"
                print(f"|   {name:{kw - 2}.{kw - 2}} | {cell['n']:>4} | {cell_text:>22} "
                      f"| {100.0 * cell['rejected']:6.1f} % | {100.0 * cell['unreadable']:8.1f} % | |")
    print()
    print("score: digit kinds = right / n (a rejected or unreadable picture counts as wrong); "
          "non-digit kinds = rejected / n.")
    print(f"{seconds:.0f} s in all.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.split("\n")[2:]))
    parser.add_argument("--binary", help="digits executable (default: .build/release/digits in the repository)")
    parser.add_argument("--model", help="model file for `digits classify --model` (default: the binary's own)")
    parser.add_argument("--n", type=int, default=100, help="pictures per kind (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="seed of every draw (default 1)")
    parser.add_argument("--kinds", help="comma-separated kinds or prefixes (default: all)")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.add_argument("--keep", metavar="DIR", help="write the pictures into DIR/<kind>/ and keep them")
    parser.add_argument("--misses", type=int, default=0, metavar="N", help="list up to N missed files per kind")
    parser.add_argument("--detail", action="store_true",
                        help="also a line per font (printed), per style (european), per source and so on")
    parser.add_argument("--mnist", help="directory of MNIST's t10k-*-idx*-ubyte.gz")
    parser.add_argument("--usps", help="directory of USPS's test-*-idx*-ubyte.gz")
    args = parser.parse_args()

    binary = os.path.abspath(args.binary) if args.binary else os.path.join(REPO, ".build", "release", "digits")
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        sys.exit(f"robustness: no digits executable at {binary}; build it with "
                 "`swift build -c release --product digits`, or pass --binary PATH")
    model = os.path.abspath(args.model) if args.model else None
    if model and not os.path.isfile(model):
        sys.exit(f"robustness: no model file {model}")
    if args.n < 1:
        sys.exit("robustness: --n must be at least 1")
    kinds = select_kinds(args.kinds)

    started = time.monotonic()
    ctx = Context(args)
    families = sorted({f for k in kinds for f in NEEDS_FONTS.get(k, [])})
    ctx.fonts = ensure_fonts(families) if families else {}
    usable = []
    for kind in kinds:
        needed = NEEDS_FONTS.get(kind, [])
        if needed and not any(ctx.fonts.get(f) for f in needed):
            continue
        if kind in ("letters", "symbols") and not any(
                font_name(f) in SANS_FOR_PEN for fam in FONT_FAMILIES for f in ctx.fonts.get(fam, [])):
            note(f"no sans font to draw {kind} with a pen: skipped")
            continue
        usable.append(kind)
    generators = {k: (g, fn) for k, g, fn in KINDS}

    if args.keep:
        root = os.path.abspath(args.keep)
        os.makedirs(root, exist_ok=True)
    else:
        root = tempfile.mkdtemp(prefix="digits-robustness-")
    rows, notes = [], []

    def collect(kind, process, out_dir, files):
        answers, code, stderr = read_answers(process, out_dir)
        if code not in (0, 1):
            notes.append(f"{kind}: the binary exited with {code}")
        if stderr.strip():
            lines = stderr.strip().splitlines()
            notes.append(f"{kind}: stderr, {len(lines)} line(s), first: {lines[0][:200]}")
        rows.append(score(kind, generators[kind][0], files, answers))

    try:
        running = None  # the binary reads one kind's files while the next kind's are drawn
        for kind in usable:
            group, generate = generators[kind]
            out_dir = os.path.join(root, kind)
            os.makedirs(out_dir, exist_ok=True)
            files = []
            for i in range(args.n):
                rng = np.random.default_rng([args.seed, zlib.crc32(kind.encode()), i])
                img, truth, label, detail = generate(i, rng, ctx)
                name = f"{i:04d}-" + (f"true{truth}-" if truth is not None else "") + label + ".png"
                path = os.path.join(out_dir, name.replace("/", "_"))
                img.save(path, compress_level=1)
                files.append((os.path.normpath(path), truth, detail))
            if running:
                collect(*running)
            running = (kind, start_classify(binary, model, [f[0] for f in files], out_dir), out_dir, files)
        if running:
            collect(*running)
    finally:
        if args.keep:
            note(f"pictures kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    seconds = time.monotonic() - started

    if args.json:
        out = {"binary": binary, "model": model, "seed": args.seed, "n": args.n, "seconds": round(seconds, 1),
               "letters_excluded": LETTERS_EXCLUDED, "notes": notes,
               "rows": [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]}
        if args.misses:
            for json_row, row in zip(out["rows"], rows):
                json_row["misses"] = [{"file": p, "true": t, "answer": list(a)} for p, t, a in row["_misses"][:args.misses]]
        print(json.dumps(out, indent=1))
    else:
        print_table(rows, args, binary, model, seconds, args.detail)
        for line in notes:
            print(f"  note: {line}")
        if args.misses:
            for row in rows:
                if row["_misses"]:
                    print(f"\n{row['kind']}: {len(row['_misses'])} missed")
                    for path, truth, answer in row["_misses"][:args.misses]:
                        shown = path if args.keep else os.path.basename(path)
                        print(f"  {shown}  true {truth if truth is not None else 'not a digit'}, "
                              f"answered {answer[1]}" + (f" ({answer[2]:.2f})" if answer[2] is not None else ""))


if __name__ == "__main__":
    main()
