#!/usr/bin/env python3
"""Writes a seeded set of pictures that are not one digit, as 40x40 8-bit grey PNGs (dark on white):
letters that do not look like digits and symbols from three fonts, noise, blobs, smileys, scribbles,
and multi-digit strings (kind "several").  Used by tools/reject_tradeoff.py and the rejection tests.

    python3 tools/make-nondigits.py OUTDIR [--per-kind N] [--seed S] [--side 40]

Each file is named KIND-INDEX.png (letter, symbol, noise, blob, smiley, scribble, several). Needs
numpy and Pillow, and the fonts of Debian's fonts-dejavu-core / fonts-freefont-ttf / fonts-liberation.
"""
import argparse, glob, os
import numpy as np
from PIL import Image, ImageDraw, ImageFont

# Letters that are not drawn like a digit (no O/o/Q/D: 0, I/l/i/j/J: 1, Z/z: 2, S/s: 5, G/b: 6, T: 7,
# B: 8, g/q/a: 9 are left out: reading them as digits is not a mistake a shape can tell).
LETTERS = 'ACEFHKMNPRUVWXYcefhkmnprtuvwxy'
SYMBOLS = '?!#%&@*+=$<>'
FONT_PATTERNS = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/freefont/FreeSerif.ttf',
                 '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf']


def fonts(size):
    found = [path for pattern in FONT_PATTERNS for path in glob.glob(pattern)]
    return [ImageFont.truetype(path, size) for path in found] or [ImageFont.load_default(size)]


def text_image(text, font, side, rng):
    image = Image.new('L', (side, side), 255)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (side - (right - left)) / 2 - left + rng.uniform(-2, 2)
    y = (side - (bottom - top)) / 2 - top + rng.uniform(-2, 2)
    draw.text((x, y), text, fill=0, font=font)
    return image


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('out')
    parser.add_argument('--per-kind', type=int, default=40)
    parser.add_argument('--seed', type=int, default=8)
    parser.add_argument('--side', type=int, default=40)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    side, n = args.side, args.per_kind
    os.makedirs(args.out, exist_ok=True)
    font_set = fonts(int(side * 0.7))
    small_fonts = fonts(int(side * 0.45))
    images = {}
    images['letter'] = [text_image(LETTERS[i % len(LETTERS)], font_set[(i // len(LETTERS)) % len(font_set)], side, rng)
                        for i in range(n)]
    images['symbol'] = [text_image(SYMBOLS[i % len(SYMBOLS)], font_set[(i // len(SYMBOLS)) % len(font_set)], side, rng)
                        for i in range(n)]
    images['several'] = [text_image(''.join(str(d) for d in rng.integers(0, 10, 2 + i % 2)),
                                    small_fonts[i % len(small_fonts)], side, rng) for i in range(n)]
    noise = []
    for i in range(n):
        level = rng.uniform(0.2, 0.8)
        noise.append(Image.fromarray(((rng.random((side, side)) > level) * 255).astype(np.uint8)))
    images['noise'] = noise
    blobs = []
    for i in range(n):
        image = Image.new('L', (side, side), 255)
        draw = ImageDraw.Draw(image)
        for _ in range(1 + i % 3):
            cx, cy = rng.uniform(8, side - 8, 2)
            rx, ry = rng.uniform(3, side / 3, 2)
            draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=0)
        blobs.append(image)
    images['blob'] = blobs
    smileys = []
    for i in range(n):
        image = Image.new('L', (side, side), 255)
        draw = ImageDraw.Draw(image)
        r = rng.uniform(side * 0.3, side * 0.45)
        c = side / 2 + rng.uniform(-2, 2)
        width = max(1, int(side / 20))
        draw.ellipse((c - r, c - r, c + r, c + r), outline=0, width=width)
        for dx in (-0.35, 0.35):
            draw.ellipse((c + dx * r - 2, c - 0.3 * r - 2, c + dx * r + 2, c - 0.3 * r + 2), fill=0)
        draw.arc((c - 0.55 * r, c - 0.4 * r, c + 0.55 * r, c + 0.55 * r), 20, 160, fill=0, width=width)
        smileys.append(image)
    images['smiley'] = smileys
    scribbles = []
    for i in range(n):
        image = Image.new('L', (side, side), 255)
        draw = ImageDraw.Draw(image)
        points = [tuple(p) for p in rng.uniform(4, side - 4, (6 + i % 6, 2))]
        draw.line(points, fill=0, width=max(1, int(side / 16)), joint='curve')
        scribbles.append(image)
    images['scribble'] = scribbles
    for kind, pictures in images.items():
        for index, picture in enumerate(pictures):
            picture.save(os.path.join(args.out, f'{kind}-{index:03d}.png'))
    print(f'{sum(len(p) for p in images.values())} pictures in {args.out}: ' + ', '.join(f'{k} {len(v)}' for k, v in images.items()))


if __name__ == '__main__':
    main()
