#!/usr/bin/env python3
"""How fast one `digits classify` process is, as ratios against `digits --version` in the same run.

    python3 tools/classify-benchmark.py [--bin .build/release] [--runs 40] [--baseline DIR]

With `--baseline DIR` (the executables of another build, say of the commit before a change) every
case runs for both builds in the same rounds, and each build is reported with its own ratios and
the two side by side: the change measured in one run, under the same load.

The cases run round robin (one run of each, then the next round), so that whatever else the shared
machine does falls on all of them alike; each is reported by its median wall time. The pictures are
made here, seeded: 1,000 distinct 28×28 digit PNGs (MNIST-like: white ink on black) and 1,000 distinct
240×320 "photos" (a dark digit on grey paper with a lighting gradient and noise).

Targets (issue 9): one 28×28 PNG ≤ 1.3× `--version`; one photo ≤ 1.6×; 1,000 PNGs in one call
≥ 20,000 images/s (28×28) and ≥ 500 images/s (photos); `digits read` of a 5-digit 800×200 photo ≤ 50 ms.
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

try:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "numpy", "Pillow"])
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


def font(size):
    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def digit_picture(rng, text, width, height, size, ink, paper):
    """A digit string drawn, rotated a little and blurred."""
    picture = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(picture)
    face = font(size)
    box = draw.textbbox((0, 0), text, font=face)
    x = (width - (box[2] - box[0])) / 2 - box[0] + rng.uniform(-2, 2)
    y = (height - (box[3] - box[1])) / 2 - box[1] + rng.uniform(-2, 2)
    draw.text((x, y), text, fill=ink, font=face)
    picture = picture.rotate(rng.uniform(-12, 12), fillcolor=paper, resample=Image.BILINEAR)
    return picture.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))


def photo(rng, text, width, height, size):
    picture = np.asarray(digit_picture(rng, text, width, height, size, 40, 255), dtype=np.float32) / 255
    ys, xs = np.mgrid[0:height, 0:width]
    light = 0.55 + 0.25 * (xs / width) + 0.1 * (ys / height)
    pixels = picture * light + rng.normal(0, 0.03, picture.shape)
    return Image.fromarray(np.clip(pixels * 255, 0, 255).astype(np.uint8))


def make_sets(folder):
    rng = np.random.default_rng(2026)
    small, photos = folder / "mnist-like", folder / "photos"
    small.mkdir()
    photos.mkdir()
    for index in range(1000):
        digit = str(index % 10)
        digit_picture(rng, digit, 28, 28, 22, 255, 0).save(small / f"{index:04d}-{digit}.png")
        photo(rng, digit, 240, 320, 200).save(photos / f"{index:04d}-{digit}.png")
    number = photo(rng, "90210", 800, 200, 150)
    number.save(folder / "number.png")
    return small, photos, folder / "number.png"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=".build/release", help="folder of the built executables")
    parser.add_argument("--runs", type=int, default=40, help="rounds of the one-picture cases")
    parser.add_argument("--folder-runs", type=int, default=5, help="rounds of the 1,000-picture cases")
    parser.add_argument("--baseline", help="folder of another build's executables, measured in the same rounds")
    arguments = parser.parse_args()
    builds = [("", str(pathlib.Path(arguments.bin) / "digits"))]
    if arguments.baseline:
        builds = [("before: ", str(pathlib.Path(arguments.baseline) / "digits")), ("after:  ", builds[0][1])]
    environment = dict(os.environ)

    with tempfile.TemporaryDirectory() as scratch:
        small, photos, number = make_sets(pathlib.Path(scratch))
        one_small, one_photo = str(sorted(small.iterdir())[7]), str(sorted(photos.iterdir())[7])
        cases = []
        for label, digits in builds:
            listing = subprocess.run([digits, "--help"], capture_output=True, env=environment).stdout.decode()
            has_read = any(line.split()[:1] == ["read"] for line in listing.splitlines())
            cases += [
                (label, "digits --version", [digits, "--version"], arguments.runs),
                (label, "classify one 28×28 PNG", [digits, "classify", one_small], arguments.runs),
                (label, "classify one 240×320 photo", [digits, "classify", one_photo], arguments.runs),
                (label, "classify 1,000 28×28 PNGs (one call)", [digits, "classify", str(small)], arguments.folder_runs),
                (label, "classify 1,000 240×320 photos (one call)", [digits, "classify", str(photos)], arguments.folder_runs),
            ]
            if has_read:
                cases.append((label, "read a 5-digit 800×200 photo", [digits, "read", str(number)], arguments.runs))
        for _, _, command, _ in cases:  # warm the page cache, and check each case works
            result = subprocess.run(command, capture_output=True, env=environment)
            if result.returncode != 0:
                sys.exit(f"classify-benchmark: {' '.join(command)} failed: {result.stderr.decode().strip()}")
        # Wall time, and CPU time (user + system, of the process and its threads): on a shared
        # machine the CPU time is the steadier of the two.
        times = {(label, name): [] for label, name, _, _ in cases}
        cpu = {(label, name): [] for label, name, _, _ in cases}
        for round_index in range(max(runs for _, _, _, runs in cases)):
            for label, name, command, runs in cases:
                if round_index >= runs:
                    continue
                start = time.perf_counter()
                process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
                _, _, usage = os.wait4(process.pid, 0)
                times[(label, name)].append(time.perf_counter() - start)
                cpu[(label, name)].append(usage.ru_utime + usage.ru_stime)

    print(f"{'case':<52} {'median':>10} {'min':>10} {'× --version':>12} {'CPU':>9} {'CPU ×':>7}  throughput")
    for label, digits in builds:
        reference = statistics.median(times[(label, "digits --version")])
        cpu_reference = statistics.median(cpu[(label, "digits --version")])
        for case_label, name, _, _ in cases:
            if case_label != label:
                continue
            median, fastest = statistics.median(times[(label, name)]), min(times[(label, name)])
            cpu_median = statistics.median(cpu[(label, name)])
            throughput = f"{1000 / median:,.0f} images/s" if "1,000" in name else ""
            print(f"{label + name:<52} {median * 1000:8.1f} ms {fastest * 1000:7.1f} ms {median / reference:11.2f}× "
                  f"{cpu_median * 1000:6.1f} ms {cpu_median / cpu_reference:6.2f}×  {throughput}")
    print(f"({', '.join(digits for _, digits in builds)}; {arguments.runs} rounds of single pictures, "
          f"{arguments.folder_runs} of folders; load average {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
