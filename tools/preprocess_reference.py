#!/usr/bin/env python3
"""A reference for digits' preprocessing: one grey image -> the network's 256 inputs.

It reads the preprocessing settings recorded in a model file (safetensors metadata key
"preprocessing") or a JSON file, and follows Sources/DigitsData/Preprocessor.swift and
Preprocessor+Stroke.swift step by step, in float32 like the Swift code, so that a port in another
language has something small to check itself against, photo path (Preprocessor+Photo.swift: a
fitted paper surface, Otsu, speck removal) included for images whose shorter side is at least
settings.photo.minimumSide (48 by default). What it deliberately is not: fast.

    python3 tools/preprocess_reference.py --model models/default.safetensors digit.pgm
    python3 tools/preprocess_reference.py --settings settings.json digit.pgm --out inputs.txt

Images: binary PGM (P5, 8 or 16 bit), grey = value / maxval, 0 = black; or, with Pillow
installed, PNG (converted to 8-bit grey by Pillow, which may differ from libpng's conversion of
colour by a grey level). Output: 16 lines of 16 numbers, row-major, ink high, in [0, 1].
Needs only numpy.
"""
import argparse
import json
import math
import struct
import sys

import numpy as np

F = np.float32
SIDE = 16


# ---------------------------------------------------------------- settings and images

def settings_from_model(path):
    with open(path, 'rb') as f:
        (length,) = struct.unpack('<Q', f.read(8))
        header = json.loads(f.read(length))
    return json.loads(header['__metadata__']['preprocessing'])


def camel_case(settings):
    """Format-2 model files store snake_case keys (`ink_threshold`); the code below reads Swift's names."""
    def key(name):
        head, *rest = name.split('_')
        return head + ''.join(part[:1].upper() + part[1:] for part in rest)
    return {key(k): camel_case(v) if isinstance(v, dict) else v for k, v in settings.items()}


def with_defaults(settings):
    """Fields absent from older model files mean: off (and the photo constants of then)."""
    s = camel_case(settings)
    s.setdefault('strokeWidth', None)
    s.setdefault('renormaliseContrast', False)
    photo = dict(PHOTO_DEFAULTS)
    photo.update(s.get('photo') or {})
    s['photo'] = photo
    return s


def read_pgm(path):
    with open(path, 'rb') as f:
        data = f.read()
    tokens, position = [], 0
    while len(tokens) < 4:
        while data[position:position + 1].isspace():
            position += 1
        if data[position:position + 1] == b'#':
            position = data.index(b'\n', position)
            continue
        start = position
        while not data[position:position + 1].isspace():
            position += 1
        tokens.append(data[start:position])
    if tokens[0] != b'P5':
        raise ValueError(f'{path}: only binary PGM (P5) is read')
    width, height, maxval = int(tokens[1]), int(tokens[2]), int(tokens[3])
    position += 1  # one whitespace byte after maxval
    dtype = np.dtype('>u2') if maxval > 255 else np.uint8
    values = np.frombuffer(data, dtype=dtype, count=width * height, offset=position).reshape(height, width)
    return values.astype(F) / F(maxval)


def read_image(path):
    if path.lower().endswith('.png'):
        from PIL import Image  # optional
        image = Image.open(path)
        if image.mode in ('RGBA', 'LA', 'P'):
            image = image.convert('RGBA')
            white = Image.new('RGBA', image.size, (255, 255, 255, 255))
            image = Image.alpha_composite(white, image)
        return np.asarray(image.convert('L')).astype(F) / F(255)
    return read_pgm(path)


# ---------------------------------------------------------------- steps 1-3: ink and its box

def border_median(grey):
    h, w = grey.shape
    border = np.concatenate([grey[0, :], grey[h - 1, :] if h > 1 else [],
                             grey[1:h - 1, 0] if h > 2 else [], grey[1:h - 1, w - 1] if h > 2 and w > 1 else []])
    levels = np.floor(np.clip(border.astype(F), 0, 1) * F(255) + F(0.5)).astype(int)
    histogram = np.bincount(levels, minlength=256)
    seen = 0
    for level, count in enumerate(histogram):
        seen += count
        if 2 * seen >= len(levels):
            return F(level) / F(255)
    return F(0)


def ink_image(grey, s):
    """Ink high, background 0, and the ink's box (min_x, min_y, max_x, max_y), or None if blank."""
    grey = np.nan_to_num(grey.astype(F), nan=0.0)
    grey = np.clip(grey, 0, 1).astype(F)
    polarity = s['polarity']
    if polarity == 'light-ink':
        background, dark = F(0), False
    elif polarity == 'dark-ink':
        background, dark = F(1), True
    else:  # auto: background from the border, ink on the side the mean leans to
        background = border_median(grey)
        dark = F(grey.astype(np.float64).sum() / grey.size) < background
    sign = F(-1) if dark else F(1)
    ink = np.maximum(F(0), sign * (grey - background)).astype(F)
    strongest = ink.max()
    ys, xs = np.nonzero(ink > F(s['inkThreshold']))
    if len(xs) == 0:
        return ink, None
    box = (xs.min(), ys.min(), xs.max(), ys.max())
    if s['stretchContrast'] and strongest < 1:
        ink = (ink * (F(1) / strongest)).astype(F)
    return ink, box


# ---------------------------------------------------------------- steps 2-3 for photos (Preprocessor+Photo.swift)

PHOTO_DEFAULTS = dict(minimumSide=48, bandFraction=0.125, paperSigmas=3, sampleBudget=10000, noiseCap=0.05,
                      noiseFloorSigmas=6, softThresholdSigmas=2, histogramBins=1024, strongInkDivisor=10,
                      speckAreaRatio=5, speckMarginDivisor=8, gridCells=256, speckInLineDivisor=None,
                      flatStartQuantile=None)


def sequential_sum(values):
    """A float32 sum in index order, as Swift's loop adds."""
    values = np.asarray(values, F)
    return np.cumsum(values, dtype=F)[-1] if values.size else F(0)


def median(values):
    values = np.sort(np.asarray(values, F))
    return values[len(values) // 2] if values.size else F(0)


def least_squares(u, v, grey):
    """The six coefficients of the paper surface (normal equations in float64), or None."""
    if len(u) < 6:
        return None
    u, v = u.astype(np.float64), v.astype(np.float64)
    basis = np.stack([np.ones_like(u), u, v, u * u, u * v, v * v], axis=1)
    normal = np.concatenate([basis.T @ basis, (basis.T @ grey.astype(np.float64))[:, None]], axis=1)
    for column in range(6):
        pivot = column + int(np.argmax(np.abs(normal[column:, column])))
        if not abs(normal[pivot, column]) > 1e-9 * len(u):
            return None
        normal[[column, pivot]] = normal[[pivot, column]]
        for row in range(6):
            if row != column:
                normal[row, column:] -= normal[row, column] / normal[column, column] * normal[column, column:]
    return np.array([normal[i, 6] / normal[i, i] for i in range(6)], F)


def surface_at(c, u, v):
    return c[0] + c[1] * u + c[2] * v + c[3] * u * u + c[4] * u * v + c[5] * v * v


def fit_paper(grey, p):
    height, width = grey.shape
    step = max(1, int(math.ceil(math.sqrt(width * height / p['sampleBudget']))))
    rows = np.arange(step // 2, height, step)
    columns = np.arange(step // 2, width, step)
    u_of = lambda col: (F(2) * F(col) + F(1)) / F(width) - F(1)
    v_of = lambda row: (F(2) * F(row) + F(1)) / F(height) - F(1)
    vv, uu = np.meshgrid(v_of(rows.astype(F)), u_of(columns.astype(F)), indexing='ij')
    u, v = uu.ravel().astype(F), vv.ravel().astype(F)
    g = grey[np.ix_(rows, columns)].ravel().astype(F)
    coefficients = np.zeros(6, F)

    def residuals():
        return (g - surface_at(coefficients, u, v)).astype(F)

    def refit(include):
        nonlocal coefficients
        fitted = least_squares(u[include], v[include], g[include])
        coefficients = fitted if fitted is not None else np.array([median(g[include]), 0, 0, 0, 0, 0], F)

    band = max(1, int(F(min(width, height)) * F(p['bandFraction'])))
    band_u = F(1) - F(2) * F(band) / F(width)
    band_v = F(1) - F(2) * F(band) / F(height)
    in_band = (np.abs(u) > band_u) | (np.abs(v) > band_v)
    def trimmed_refit():  # the band's half nearest the current surface, refitted
        size = np.abs(residuals())
        half = median(size[in_band])
        chosen = in_band & (size <= half)
        refit(chosen)
        return chosen

    refit(in_band)
    paper = trimmed_refit()
    band_sizes = np.abs(residuals())[in_band]
    quantile = p.get('flatStartQuantile')
    if quantile is not None and band_sizes.size:  # the flat start, when the level alone fits the band better
        greys = g[in_band]
        level = median(greys)
        rank = min(band_sizes.size - 1, int(F(quantile) * F(band_sizes.size)))
        if np.sort(np.abs(greys - level).astype(F))[rank] < np.sort(band_sizes)[rank]:
            coefficients = np.array([level, 0, 0, 0, 0, 0], F)
            paper = trimmed_refit()
            band_sizes = np.abs(residuals())[in_band]
    sigma = F(1.4826) * median(band_sizes)
    for _ in range(2):
        size = np.abs(residuals())
        paper = size <= max(F(p['paperSigmas']) * sigma, F(1) / F(255))
        refit(paper)
        sigma = F(1.4826) * median(np.abs(residuals())[paper])
    values = (g - residuals()).astype(F)
    if values.max() - values.min() < F(1) / F(255):
        coefficients = np.array([sequential_sum(values) / F(len(values)), 0, 0, 0, 0, 0], F)
    noise = min(F(p['noiseCap']), F(1.4826) * median(np.abs(residuals())[paper]))
    return coefficients, noise


def otsu(histogram):
    bins = len(histogram)
    total = float(histogram.sum())
    moment_total = float((histogram * np.arange(bins)).sum())
    below = below_moment = 0.0
    best = (-1.0, 0)
    for level in range(bins - 1):
        below += float(histogram[level])
        below_moment += float(histogram[level]) * level
        above = total - below
        if below <= 0 or above <= 0:
            continue
        difference = below_moment / below - (moment_total - below_moment) / above
        variance = below * above * difference * difference
        if variance > best[0]:
            best = (variance, level)
    return F(best[1] + 1) / F(bins)


def block_regions(is_ink):
    """8-connected regions of the ink blocks: per block its region (-1: none), and per region its box and area."""
    rows, columns = is_ink.shape
    labels = -np.ones((rows, columns), int)
    regions = []
    for seed in zip(*np.nonzero(is_ink)):
        if labels[seed] >= 0:
            continue
        index = len(regions)
        labels[seed] = index
        stack = [seed]
        box = [seed[1], seed[0], seed[1], seed[0], 0]
        while stack:
            y, x = stack.pop()
            box = [min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y), box[4] + 1]
            for ny in range(max(0, y - 1), min(rows, y + 2)):
                for nx in range(max(0, x - 1), min(columns, x + 2)):
                    if is_ink[ny, nx] and labels[ny, nx] < 0:
                        labels[ny, nx] = index
                        stack.append((ny, nx))
        regions.append(box)
    return labels, regions


def kept_regions(regions, p):
    largest = max((r[4] for r in regions), default=0)
    kept = [p['speckAreaRatio'] * r[4] >= largest for r in regions]
    changed = True
    while changed:
        changed = False
        chosen = [r for r, k in zip(regions, kept) if k]
        if not chosen:
            break
        box = [min(r[0] for r in chosen), min(r[1] for r in chosen), max(r[2] for r in chosen), max(r[3] for r in chosen)]
        size = max(box[2] - box[0], box[3] - box[1])
        margin = max(1, size // p['speckMarginDivisor'])
        in_line = max(1, size // p['speckInLineDivisor']) if p.get('speckInLineDivisor') else None

        def touches(r, m):
            return r[0] <= box[2] + m and r[2] >= box[0] - m and r[1] <= box[3] + m and r[3] >= box[1] - m

        def is_in_line(r):  # above, below or beside the box (its columns or rows widened by margin), within in_line
            shares = (r[0] <= box[2] + margin and r[2] >= box[0] - margin) or (r[1] <= box[3] + margin and r[3] >= box[1] - margin)
            return in_line is not None and shares and touches(r, in_line)

        for i, r in enumerate(regions):
            if not kept[i] and (touches(r, margin) or is_in_line(r)):
                kept[i] = True
                changed = True
    return kept


def photo_ink_image(grey, s):
    p = s['photo']
    grey = np.clip(np.nan_to_num(grey.astype(F), nan=0.0), 0, 1).astype(F)
    height, width = grey.shape
    c, noise = fit_paper(grey, p)
    u = ((F(2) * np.arange(width, dtype=F) + F(1)) / F(width) - F(1)).astype(F)
    rows = []
    for row in range(height):
        v = (F(2) * F(row) + F(1)) / F(height) - F(1)
        a, b, cc = c[0] + c[2] * v + c[5] * v * v, c[1] + c[4] * v, c[3]
        rows.append(grey[row] - (a + (b + cc * u) * u))
    residual = np.stack(rows).astype(F)
    noise_floor = F(p['noiseFloorSigmas']) * noise
    threshold0 = max(F(s['inkThreshold']), noise_floor)
    if s['polarity'] == 'light-ink':
        dark = False
    elif s['polarity'] == 'dark-ink':
        dark = True
    else:
        darker = -sequential_sum(residual[residual < -threshold0])
        lighter = sequential_sum(residual[residual > threshold0])
        dark = darker > lighter
    ink = np.maximum(F(0), (F(-1) if dark else F(1)) * residual).astype(F)
    bins = p['histogramBins']
    histogram = np.bincount(np.minimum(bins - 1, (ink * F(bins)).astype(int)).ravel(), minlength=bins)
    strongest = ink.max()
    if not strongest > threshold0:
        return ink, None
    threshold = max(otsu(histogram), F(s['inkThreshold']) * strongest, noise_floor)
    side = max(1, (max(width, height) + p['gridCells'] - 1) // p['gridCells'])
    block_rows, block_columns = -(-height // side), -(-width // side)
    padded = np.zeros((block_rows * side, block_columns * side), F)
    padded[:height, :width] = ink
    block_max = padded.reshape(block_rows, side, block_columns, side).max(axis=(1, 3))
    is_ink = block_max > threshold
    labels, regions = block_regions(is_ink)
    kept = kept_regions(regions, p)
    kept_block = np.array([labels_row >= 0 for labels_row in labels.ravel()]).reshape(labels.shape)
    kept_block &= np.array([kept[l] if l >= 0 else False for l in labels.ravel()]).reshape(labels.shape)
    per_pixel_kept = np.repeat(np.repeat(kept_block, side, 0), side, 1)[:height, :width]
    per_pixel_ink_block = np.repeat(np.repeat(is_ink, side, 0), side, 1)[:height, :width]
    ink[~per_pixel_kept & per_pixel_ink_block] = 0
    ys, xs = np.nonzero(per_pixel_kept & (ink > threshold))
    if len(xs) == 0:
        return ink, None
    box = (xs.min(), ys.min(), xs.max(), ys.max())
    # the level stretched to 1: the ink's 90th percentile (from the top of the histogram)
    first = min(bins - 1, int(threshold * F(bins)))
    ink_pixels = histogram[first:].sum()
    strong = strongest
    seen = 0
    for level in range(bins - 1, first - 1, -1):
        seen += histogram[level]
        if p['strongInkDivisor'] * seen >= ink_pixels:
            strong = min(strongest, (F(level) + F(0.5)) / F(bins))
            break
    noise_level = F(p['softThresholdSigmas']) * noise
    gain = F(1) / max(strong - noise_level, np.finfo(F).tiny) if s['stretchContrast'] else F(1)
    ink = np.minimum(F(1), np.maximum(F(0), ink - noise_level) * gain).astype(F)
    return ink, box


# ---------------------------------------------------------------- step 3 1/2: stroke width

def squared_distances(sites):
    """Exact squared Euclidean distance from each pixel to the nearest True pixel (inf if none):
    the distance down each column, then the minimum over each row of g(x')^2 + (x - x')^2."""
    h, w = sites.shape
    g = np.full((h, w), np.inf)
    last = np.full(w, -np.inf)
    for y in range(h):
        last = np.where(sites[y], y, last)
        g[y] = y - last
    last = np.full(w, np.inf)
    for y in range(h - 1, -1, -1):
        last = np.where(sites[y], y, last)
        g[y] = np.minimum(g[y], last - y)
    x = np.arange(w)
    offsets = (x[:, None] - x[None, :]) ** 2  # [x, x']
    return np.stack([(g[y][None, :] ** 2 + offsets).min(axis=1) for y in range(h)]).astype(np.float64)


def normalise_stroke(ink, box, s):
    min_x, min_y, max_x, max_y = box
    height, width = ink.shape
    inside = ink[min_y:max_y + 1, min_x:max_x + 1]
    strongest = inside.max()
    if strongest <= 0:
        return ink, box
    core = inside > strongest / F(2)
    if not core.any():
        return ink, box
    # b. width from the mean distance of core pixels to the nearest non-core pixel (box padded).
    inner = squared_distances(~np.pad(core, 1))[1:-1, 1:-1]
    mean = F(np.sqrt(inner[core].astype(F)).astype(np.float64).sum()) / F(core.sum())
    stroke = max(F(1), F(4) * mean - F(2))
    # c. the pen's radius
    target = F(s['strokeWidth'])
    if s['framing'] == 'fit-ink':
        longer = F(max(max_x - min_x + 1, max_y - min_y + 1))
        target_box = F(s['targetBoxSize'])
        radius = (target * longer / target_box - stroke) / (F(2) * (F(1) - target / target_box))
    else:
        scale = min(F(SIDE) / F(width), F(SIDE) / F(height))
        radius = (target / scale - stroke) / F(2)
    if not radius > 0:
        return ink, box
    # d. redraw with a round pen of that radius around the core
    reach = int(math.ceil(radius + F(0.5)))
    x0, x1 = max(0, min_x - reach), min(width - 1, max_x + reach)
    y0, y1 = max(0, min_y - reach), min(height - 1, max_y + reach)
    is_core = np.zeros((y1 - y0 + 1, x1 - x0 + 1), bool)
    is_core[min_y - y0:max_y - y0 + 1, min_x - x0:max_x - x0 + 1] = core
    distance = np.sqrt(squared_distances(is_core).astype(F))
    pen = (strongest * np.minimum(F(1), np.maximum(F(0), (radius + F(0.5)) - distance))).astype(F)
    ink = ink.copy()
    ink[y0:y1 + 1, x0:x1 + 1] = np.maximum(ink[y0:y1 + 1, x0:x1 + 1], pen)
    ys, xs = np.nonzero(pen > F(s['inkThreshold']) * strongest)
    box = (min(min_x, x0 + xs.min()), min(min_y, y0 + ys.min()),
           max(max_x, x0 + xs.max()), max(max_y, y0 + ys.max())) if len(xs) else box
    return ink, box


# ---------------------------------------------------------------- steps 4-6: map, resample, renormalise

def schoolbook_round(x):
    return F(math.floor(x + 0.5)) if x >= 0 else F(-math.floor(-x + 0.5))


def placing(start, length, centre, scale, frame=SIDE):
    scaled = F(length) * scale
    wanted = F(frame) / F(2) - (centre - F(start)) * scale
    room = max(F(0), F(frame) - scaled)
    if scale == 1:
        offset = min(max(schoolbook_round(wanted), F(0)), F(math.floor(room)))
    else:
        offset = min(max(wanted, F(0)), room)
    return F(start), scale, F(offset)


def axis_weights(origin, scale, offset, source_length):
    """Per output pixel: first source index and its area weights."""
    span = F(1) / scale
    stride = int(math.ceil(span)) + 2
    rows = []
    for u in range(SIDE):
        low = origin + (F(u) - offset) * span
        high = low + span
        first = max(0, int(math.floor(low)))
        end = min(source_length, int(math.ceil(high)), first + stride)
        weights = [max(F(0), min(high, F(i + 1)) - max(low, F(i))) * scale for i in range(first, max(first, end))]
        rows.append((first, [F(w) for w in weights]))
    return rows


def resample(ink, x_map, y_map):
    height, width = ink.shape
    columns = axis_weights(*x_map, width)
    rows = axis_weights(*y_map, height)
    # rows pass: each source row's 16 horizontal means, summed in source order
    across = np.zeros((height, SIDE), F)
    for u, (first, weights) in enumerate(columns):
        total = np.zeros(height, F)
        for k, weight in enumerate(weights):
            total = (total + weight * ink[:, first + k]).astype(F)
        across[:, u] = total
    out = np.zeros((SIDE, SIDE), F)
    for v, (first, weights) in enumerate(rows):
        total = np.zeros(SIDE, F)
        for k, weight in enumerate(weights):
            total = (total + weight * across[first + k]).astype(F)
        out[v] = total
    return np.minimum(out, F(1))


def preprocess(grey, settings):
    s = with_defaults(settings)
    photo = min(grey.shape) >= s['photo']['minimumSide']
    ink, box = photo_ink_image(grey, s) if photo else ink_image(grey, s)
    if box is None:
        raise ValueError(f"blank image: no pixel differs from the background by more than {s['inkThreshold']}")
    if s['strokeWidth'] is not None:
        ink, box = normalise_stroke(ink, box, s)
    height, width = ink.shape
    min_x, min_y, max_x, max_y = box
    if s['framing'] == 'resize-frame':
        x_map = (F(0), F(SIDE) / F(width), F(0))
        y_map = (F(0), F(SIDE) / F(height), F(0))
    else:
        box_width, box_height = max_x - min_x + 1, max_y - min_y + 1
        scale = F(s['targetBoxSize']) / F(max(box_width, box_height))
        if s['centring'] == 'mass':
            region = ink[min_y:max_y + 1, min_x:max_x + 1].astype(np.float64)
            mass = region.sum()
            centre_x = F((region * (np.arange(min_x, max_x + 1) + 0.5)[None, :]).sum() / mass)
            centre_y = F((region * (np.arange(min_y, max_y + 1) + 0.5)[:, None]).sum() / mass)
        else:
            centre_x = F(min_x) + F(box_width) / F(2)
            centre_y = F(min_y) + F(box_height) / F(2)
        x_map = placing(min_x, box_width, centre_x, scale)
        y_map = placing(min_y, box_height, centre_y, scale)
    out = resample(ink, x_map, y_map)
    if s['renormaliseContrast']:
        strongest = out.max()
        if 0 < strongest < 1:
            out = (out / strongest).astype(F)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument('--model', help='a digits model file: its recorded preprocessing settings are used')
    source.add_argument('--settings', help='a JSON file holding PreprocessingSettings')
    parser.add_argument('image', help='a binary PGM (or PNG, with Pillow)')
    parser.add_argument('--out', help='write the 256 values here instead of standard output')
    args = parser.parse_args()
    if args.model:
        settings = settings_from_model(args.model)
    else:
        with open(args.settings) as f:
            settings = json.load(f)
    try:
        out = preprocess(read_image(args.image), settings)
    except ValueError as error:
        sys.exit(f'preprocess_reference: {args.image}: {error}')
    text = '\n'.join(' '.join(f'{value:.9g}' for value in row) for row in out) + '\n'
    if args.out:
        with open(args.out, 'w') as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == '__main__':
    main()
