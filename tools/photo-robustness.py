#!/usr/bin/env python3
"""How well `digits classify` reads people-like images: accuracy per data set x dressing.

The set is fixed and never chosen by looking at a prediction: the FIRST K test images of each
digit (lowest indices with that label; default K=20, so 200 per data set) of USPS test (never
trained on) and of MNIST test. Each image is dressed as every kind of picture tools/make-samples.py
makes (phone photo, chalkboard, paint drawing, transparent canvas, blue ink, 1-bit fax, palette,
16-bit, ...; the dressing functions are imported from that file, not copied), in two geometries:

  fixed     the digit box exactly where make-samples.py puts it (its size and position);
  jittered  per image, from a seeded RNG: rotation uniform in +-10 degrees, the digit box scaled by
            0.6-1.0, and placed anywhere on the canvas that keeps it whole (off-centre).

"as-stored" is the data-set image itself (16x16 or 28x28 grey, light ink on black) written as a
PNG: the baseline; its jittered form is rotated / shrunk / moved inside its own small frame.

All PNGs go into a temporary directory (removed at the end unless --keep); the built binary runs
once per dressing kind, with all that kind's files, from the repository root, and its --json
lines are matched back to the files. A file the binary refuses counts as wrong ("unread").

Deterministic: every draw comes from numpy's default_rng seeded by (kind, data set, image index).
Phone photos pass through JPEG, so their bytes depend on Pillow's libjpeg.

Usage (from anywhere):
    python3 tools/photo-robustness.py [--binary PATH] [--model PATH] [--k K] [--json]
                                      [--kinds a,b] [--keep] [--misses N] [--mnist DIR] [--usps DIR]
--binary defaults to .build/release/digits in the repository; --model to the binary's own
default (models/default.safetensors). Data directories are found as make-samples.py finds them.
Needs numpy and Pillow (and pypng for the interlaced kind); installs them with pip if missing.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from concurrent.futures import ProcessPoolExecutor

import numpy as np

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tool_modules import load_tool  # noqa: E402  (tools/ scripts as modules)

ms = load_tool("make_samples", "make-samples.py")  # installs Pillow / pypng with pip if they are missing
from PIL import Image  # noqa: E402  (make-samples made sure it is importable)

DATASETS = list(ms.DATASETS)  # ["mnist", "usps"]
MAX_ANGLE = 10.0
SCALE_RANGE = (0.6, 1.0)


def kinds_from_make_samples():
    """(kind name, maker, imitates) for each distinct maker in make-samples.py's SAMPLES, in order.
    The name is the sample's file name without its digit: `2-phone-photo.png` -> `phone-photo`."""
    kinds, seen = [], set()
    for name, _digit, _set, _polarity, make, _seed, imitates in ms.SAMPLES:
        if make in seen:
            continue
        seen.add(make)
        if make is ms.original:
            kind, imitates = "as-stored", "the data-set test image as stored: 8-bit grey, light ink on black"
        else:
            kind = name.split("-", 1)[1].rsplit(".", 1)[0]
        kinds.append((kind, make, imitates))
    kinds.sort(key=lambda k: k[0] != "as-stored")  # the baseline first
    return kinds




def fast_blur(a, sigma):
    """make-samples' blur (separable Gaussian, edges extended), computed with whole-array shifts
    instead of one np.convolve per row: the same sums, a few times faster. Checked at start-up."""
    r = int(np.ceil(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    a = np.pad(a.astype(np.float32), r, mode="edge").astype(np.float64)
    h, w = a.shape[0] - 2 * r, a.shape[1] - 2 * r
    columns = sum(k[j] * a[j:j + h, :] for j in range(2 * r + 1))
    return sum(k[j] * columns[:, j:j + w] for j in range(2 * r + 1)).astype(np.float32)


_check = np.random.default_rng(0).random((23, 31)).astype(np.float32)
if all(np.array_equal(ms.blur(_check, s), fast_blur(_check, s)) for s in (0.6, 0.8, 1.2, 1.6)):
    ms.blur = fast_blur
else:  # a changed make-samples.blur: use it as it is
    print("photo-robustness: make-samples' blur differs from fast_blur; using the slow original", file=sys.stderr)

# ---------------------------------------------------------------- geometry jitter
# make-samples' makers all draw the digit as `place(upscale(src, box, box), W, H, left, top)`.
# For the jittered geometry those two module functions are swapped, while one image is made, for
# versions that rotate and shrink the upscaled digit and put it at a random spot of the canvas.

_original_upscale, _original_place = ms.upscale, ms.place


def jittered_helpers(angle, scale, u, v):
    def upscale(src, width, height):
        w, h = max(2, round(width * scale)), max(2, round(height * scale))
        ink = _original_upscale(src, w, h)
        turned = Image.fromarray(ink).rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=0.0)
        return np.clip(np.asarray(turned, dtype=np.float32), 0.0, 1.0)

    def place(ink, width, height, left, top):
        h, w = ink.shape
        if h > height or w > width:  # rotated past the frame (only the as-stored kind): keep the middle
            y0, x0 = max(0, (h - height) // 2), max(0, (w - width) // 2)
            ink = ink[y0:y0 + min(h, height), x0:x0 + min(w, width)]
            h, w = ink.shape
        return _original_place(ink, width, height, round(u * (width - w)), round(v * (height - h)))

    return upscale, place


def as_stored_jittered(src, angle, scale, u, v):
    """The data-set image, rotated / shrunk / moved inside its own n x n frame, light ink on black."""
    n = src.shape[0]
    upscale, place = jittered_helpers(angle, scale, u, v)
    ink = place(upscale(src, n, n), n, n, 0, 0)
    return ms.grey(ink * 255.0)


def seed_for(kind, dataset, index, purpose):
    return [zlib.crc32(kind.encode()), DATASETS.index(dataset), int(index), purpose]


def make_one(job):
    """Writes one dressed PNG; returns its path. Runs in a worker process."""
    kind, dataset, index, geometry, src, path = job
    make = KINDS[kind]
    rng = np.random.default_rng(seed_for(kind, dataset, index, 0))
    if geometry == "fixed":
        result = make(src, rng)
    else:
        g = np.random.default_rng(seed_for(kind, dataset, index, 1))
        angle = g.uniform(-MAX_ANGLE, MAX_ANGLE)
        scale = g.uniform(*SCALE_RANGE)
        u, v = g.uniform(0.0, 1.0, 2)
        if make is ms.original:
            result = as_stored_jittered(src, angle, scale, u, v)
        else:
            ms.upscale, ms.place = jittered_helpers(angle, scale, u, v)
            try:
                result = make(src, rng)
            finally:
                ms.upscale, ms.place = _original_upscale, _original_place
    if isinstance(result, tuple):  # ("pypng", grey pixels): Adam7-interlaced, as make-samples writes it
        pixels = result[1]
        with open(path, "wb") as f:
            ms.png.Writer(width=pixels.shape[1], height=pixels.shape[0], greyscale=True, bitdepth=8,
                          interlace=True).write(f, pixels.tolist())
    else:
        result.save(path, compress_level=1)  # pixels as made; light zlib effort (most of the time otherwise)
    return path


KINDS = {}  # kind name -> maker, filled in at import (workers import this module too)
for _kind, _make, _ in kinds_from_make_samples():
    KINDS[_kind] = _make


# ---------------------------------------------------------------- running the binary


def start_classify(binary, model, paths, out_dir):
    """Starts `digits classify --json` on `paths` from the repository root, output into files."""
    command = [binary, "classify", "--json"] + (["--model", model] if model else []) + paths
    stdout = open(os.path.join(out_dir, "classify.jsonl"), "w")
    stderr = open(os.path.join(out_dir, "classify.stderr"), "w")
    process = subprocess.Popen(command, cwd=REPO, stdout=stdout, stderr=stderr, text=True)
    stdout.close()
    stderr.close()
    return process


def finish_classify(process, out_dir):
    """{path: (digit, confidence)} for the files the binary answered, and its stderr."""
    code = process.wait()
    with open(os.path.join(out_dir, "classify.stderr")) as f:
        stderr = f.read()
    if code not in (0, 1) or (code == 1 and not stderr.strip()):
        sys.exit(f"photo-robustness: {process.args[0]} exited with {code}: {stderr.strip()[:2000]}")
    answers = {}
    with open(os.path.join(out_dir, "classify.jsonl")) as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                answers[record["file"]] = (int(record["digit"]), float(record["confidence"]))
    return answers, stderr


def first_k_per_digit(labels, k):
    """The selection rule: for each digit, the K lowest indices with that label (in index order)."""
    chosen = []
    for digit in range(10):
        where = np.flatnonzero(labels == digit)[:k]
        if len(where) < k:
            sys.exit(f"photo-robustness: only {len(where)} test images of digit {digit}")
        chosen.extend(int(i) for i in where)
    return sorted(chosen)


def row_name(kind, geometry):
    return kind + (" +jitter" if geometry == "jittered" else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.split("\n")[2:]))
    parser.add_argument("--binary", help="digits executable (default: .build/release/digits in the repository)")
    parser.add_argument("--model", help="model file passed to `digits classify --model` (default: the binary's own)")
    parser.add_argument("--k", type=int, default=20, help="test images per digit and data set (default 20)")
    parser.add_argument("--kinds", help="comma-separated dressing kinds to run (default: all)")
    parser.add_argument("--geometry", choices=["jittered", "fixed", "both"], default="jittered",
                        help="jittered (default): every dressing jittered, plus as-stored exactly as stored; "
                             "fixed: make-samples.py's geometry only; both: all of it (about twice the time)")
    parser.add_argument("--json", action="store_true", help="print the table as JSON instead of text")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory of PNGs")
    parser.add_argument("--misses", type=int, default=0, metavar="N",
                        help="also list up to N misclassified files per row and data set (with --keep to look)")
    parser.add_argument("--mnist", help="directory of MNIST's t10k-*-idx*-ubyte.gz")
    parser.add_argument("--usps", help="directory of USPS's test-*-idx*-ubyte.gz")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes drawing images")
    args = parser.parse_args()

    binary = os.path.abspath(args.binary) if args.binary else os.path.join(REPO, ".build", "release", "digits")
    if not os.access(binary, os.X_OK):
        sys.exit(f"photo-robustness: no executable at {binary}; build it: "
                 "swift build -c release --product digits (or pass --binary PATH)")
    model = os.path.abspath(args.model) if args.model else None
    if model and not os.path.exists(model):
        sys.exit(f"photo-robustness: no model file {model}")
    kinds = list(KINDS) if not args.kinds else [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        sys.exit(f"photo-robustness: unknown kind(s) {', '.join(unknown)}; known: {', '.join(KINDS)}")
    if ms.png is None and "interlaced-scan" in kinds:
        print("photo-robustness: pypng unavailable, skipping interlaced-scan", file=sys.stderr)
        kinds.remove("interlaced-scan")
    rows = []  # (kind, geometry), each one run of the binary
    for kind in kinds:
        if args.geometry in ("fixed", "both") or kind == "as-stored":
            rows.append((kind, "fixed"))
        if args.geometry in ("jittered", "both"):
            rows.append((kind, "jittered"))

    started = time.monotonic()
    sets = {}
    for dataset in DATASETS:
        directory = ms.find_dir(dataset, getattr(args, dataset))
        images, labels = ms.load_test(dataset, directory)
        sets[dataset] = (images, labels, first_k_per_digit(labels, args.k), os.path.abspath(directory))

    temp = tempfile.mkdtemp(prefix="digits-robustness-")
    cells, misses, notes = {}, {}, []
    wrong_images = {}  # (kind, geometry, dataset) -> test indices read wrong (or not read)

    def collect(row, process, out_dir, paths, truth):
        answers, stderr = finish_classify(process, out_dir)
        if stderr.strip():
            notes.append(f"{row_name(*row)}: {stderr.strip().splitlines()[0]}")
        for path in paths:
            dataset, digit = truth[path]
            cell = cells.setdefault(row + (dataset,), {"correct": 0, "n": 0, "unread": 0, "wrong_confident": 0})
            cell["n"] += 1
            answer = answers.get(path)
            if answer is None or answer[0] != digit:
                wrong_images.setdefault(row + (dataset,), set()).add(int(os.path.basename(path).split("-")[1]))
            if answer is None:
                cell["unread"] += 1
            elif answer[0] == digit:
                cell["correct"] += 1
            else:
                cell["wrong_confident"] += int(answer[1] >= 0.9)
                misses.setdefault(row + (dataset,), []).append((path, digit, answer[0], answer[1]))

    try:
        running = None  # the binary reads one row's files while the next row's are drawn
        with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for kind, geometry in rows:
                out_dir = os.path.join(temp, f"{kind}-{geometry}")
                os.makedirs(out_dir)
                jobs, truth = [], {}
                for dataset in DATASETS:
                    images, labels, chosen, _ = sets[dataset]
                    for index in chosen:
                        digit = int(labels[index])
                        path = os.path.join(out_dir, f"{dataset}-{index:05d}-true{digit}.png")
                        jobs.append((kind, dataset, index, geometry, images[index], path))
                        truth[path] = (dataset, digit)
                paths = list(pool.map(make_one, jobs, chunksize=8))
                if running:
                    collect(*running)
                running = ((kind, geometry), start_classify(binary, model, paths, out_dir), out_dir, paths, truth)
            if running:
                collect(*running)
    finally:
        if args.keep:
            print(f"photo-robustness: images kept in {temp}", file=sys.stderr)
        else:
            shutil.rmtree(temp, ignore_errors=True)
    seconds = time.monotonic() - started

    imitates = {k: text for k, _, text in kinds_from_make_samples()}
    baseline = ("as-stored", "fixed") if ("as-stored", "fixed") in rows else None

    def new_errors(row, dataset):
        """Images read wrong in this row that are read right as stored: what the dressing costs."""
        wrong = wrong_images.get(row + (dataset,), set())
        return sorted(wrong - wrong_images.get(baseline + (dataset,), set())) if baseline else None

    if args.json:
        table = {
            "binary": binary, "model": model or "(binary default)", "k_per_digit": args.k,
            "jitter": {"rotation_degrees": [-MAX_ANGLE, MAX_ANGLE], "box_scale": list(SCALE_RANGE),
                       "placement": "uniform over the canvas, digit box whole"},
            "datasets": {d: {"directory": sets[d][3], "indices": sets[d][2]} for d in DATASETS},
            "seconds": round(seconds, 1),
            "results": [dict(kind=k, geometry=g, imitates=imitates[k], dataset=d,
                             accuracy=round(c["correct"] / c["n"], 4), **c,
                             new_errors_vs_as_stored=new_errors((k, g), d),
                             misses=[{"image": int(os.path.basename(p).split("-")[1]), "true": t,
                                      "predicted": pr, "confidence": round(cf, 4)}
                                     for p, t, pr, cf in misses.get((k, g, d), [])])
                        for (k, g, d), c in cells.items()],
        }
        print(json.dumps(table, indent=1))
        return

    print(f"digits classify --json on the first {args.k} test images of each digit ({10 * args.k} per data set), "
          "dressed as tools/make-samples.py dresses them")
    print(f"binary: {binary}; model: {model or 'the binary default (models/default.safetensors)'}")
    print(f"+jitter: per image, rotation ±{MAX_ANGLE:g}°, digit box ×{SCALE_RANGE[0]:g}–{SCALE_RANGE[1]:g}, "
          "anywhere on the canvas; no suffix: make-samples.py's own size and place")
    print()
    extra = baseline is not None
    header = f"| {'dressing':31} |" + "".join(f" {d.upper() + ' test':>19} |" + (" new |" if extra else "")
                                              for d in DATASETS)
    print(header)
    print("|" + "-" * 33 + "|" + "".join("-" * 20 + ":|" + ("----:|" if extra else "") for _ in DATASETS))
    for row in rows:
        line = f"| {row_name(*row):31} |"
        for d in DATASETS:
            c = cells[row + (d,)]
            text = f"{100.0 * c['correct'] / c['n']:.1f} % ({c['correct']}/{c['n']})"
            line += f" {text:>19} |"
            if extra:
                line += f" {len(new_errors(row, d)):>3} |"
        print(line)
    unread = sum(c["unread"] for c in cells.values())
    confident = sum(c["wrong_confident"] for c in cells.values())
    wrong = sum(c["n"] - c["correct"] - c["unread"] for c in cells.values())
    print()
    if extra:
        print("new: images read wrong in that row that are read right as stored (what the dressing costs).")
    print(f"{wrong} wrong answers, {confident} of them with confidence >= 0.9; {unread} files unread "
          f"(counted wrong). {seconds:.0f} s.")
    for note in notes:
        print(f"  stderr of {note}")
    if args.misses:
        for (kind, geometry, d), items in misses.items():
            print(f"\n{row_name(kind, geometry)}, {d}: {len(items)} wrong")
            for path, t, p, cf in items[:args.misses]:
                print(f"  {path}  true {t}, read {p} ({cf:.2f})")


if __name__ == "__main__":
    main()
