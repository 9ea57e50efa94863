#!/usr/bin/env python3
"""Writes the small test fixtures of DigitsData into Tests/DigitsDataTests/Fixtures/.

Only the standard library and numpy: PNGs are encoded here by hand (chunks, filters, Adam7),
so every colour type and bit depth is made exactly as the PNG specification lays it out,
independently of the libpng the Swift code reads them with.

Values encode their own index, so a test can say what every element or pixel must be:
- IDX arrays have dimensions [2, 3, 4]; element i is the formula in IDX_VALUES.
- PNGs are 5 x 3 (odd width: rows end mid-byte at low bit depths); pixel i (row-major) has
  sample i mod 2^depth at depths 1/2/4, i*17 at depth 8 and i*0x1111 at depth 16,
  i.e. grey i*17/255 wherever the depth allows it.
Re-run after changing: python3 tools/make-fixtures.py
"""
import gzip
import os
import struct
import zlib

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "DigitsDataTests", "Fixtures")

# ---------------------------------------------------------------- IDX

IDX_TYPES = {  # name: (type code, numpy big-endian dtype)
    "u8": (0x08, ">u1"), "i8": (0x09, ">i1"), "i16": (0x0B, ">i2"),
    "i32": (0x0C, ">i4"), "f32": (0x0D, ">f4"), "f64": (0x0E, ">f8"),
}
IDX_SHAPE = (2, 3, 4)
IDX_VALUES = {  # element i of the 24; the Swift tests use the same formulas
    "u8": lambda i: i * 10,              # 0…230
    "i8": lambda i: i * 10 - 120,        # −120…110
    "i16": lambda i: i * 1000 - 12000,   # beyond a byte, negative too
    "i32": lambda i: i * 100000 - 1000000,
    "f32": lambda i: (i - 12) * 0.25,    # exact in binary
    "f64": lambda i: i / 3,              # not exact in Float: checks all 8 bytes are read
}


def idx_bytes(code, dims, data=b""):
    return bytes([0, 0, code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims) + data


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def make_idx():
    count = int(np.prod(IDX_SHAPE))
    for name, (code, dtype) in IDX_TYPES.items():
        values = np.array([IDX_VALUES[name](i) for i in range(count)], dtype=dtype)
        raw = idx_bytes(code, IDX_SHAPE, values.tobytes())
        write(f"{name}.idx", raw)
        write(f"{name}.idx.gz", gz(raw))
    u8 = idx_bytes(0x08, IDX_SHAPE, bytes(IDX_VALUES["u8"](i) for i in range(count)))
    write("u8-gzipped-without-suffix.idx", gz(u8))   # gzip is told by magic, not by name
    write("u8-two-members.idx.gz", gz(u8[:30]) + gz(u8[30:]))  # `cat a.gz b.gz` is valid gzip

    # Broken: each must give its own error.
    write("empty.idx", b"")
    write("text.idx", b"hello, this is not IDX\n")
    write("bad-magic.idx", bytes([1, 2, 0x08, 1]) + struct.pack(">I", 3) + b"abc")
    write("bad-type.idx", bytes([0, 0, 0x0A, 1]) + struct.pack(">I", 3) + b"abc")
    write("zero-dimensions.idx", bytes([0, 0, 0x08, 0]))
    write("truncated-header.idx", bytes([0, 0, 0x08, 3]) + struct.pack(">I", 2))
    write("truncated.idx", idx_bytes(0x08, [10], bytes(range(7))))
    write("truncated.idx.gz", gz(idx_bytes(0x08, [10], bytes(range(7)))))
    whole = gz(idx_bytes(0x08, [1000], bytes(i % 251 for i in range(1000))))
    write("cut-gzip.idx.gz", whole[: len(whole) // 2])  # the compressed stream itself stops
    write("overlong.idx", idx_bytes(0x08, [10], bytes(range(12))))
    write("overlong.idx.gz", gz(idx_bytes(0x08, [10], bytes(range(12)))))
    write("huge-dimensions.idx", idx_bytes(0x08, [60000, 10000, 10000]))          # 6e12 bytes
    write("overflowing-dimensions.idx", idx_bytes(0x0E, [0xFFFFFFFF] * 4))       # > Int.max
    # Found by tools/fuzz: no data, but rows × columns overflow.
    write("empty-huge-dimensions.idx", idx_bytes(0x08, [0, 0xFEFFFFFF, 0xFFFFFFFF]))
    write("lying-header.idx.gz", gz(idx_bytes(0x08, [1000, 1000, 1000], b"\0" * 100)))  # 1 GB promised
    write("corrupt-gzip.idx.gz", b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"this is not deflate data")
    write("trailing-garbage.idx.gz", gz(u8) + b"junk")

    # Image/label pairs: 3 images of 2 x 2, pixel j of image k = 10k + j.
    images = idx_bytes(0x08, [3, 2, 2], bytes(10 * k + j for k in range(3) for j in range(4)))
    write("images-3.idx", images)
    write("labels-3.idx", idx_bytes(0x08, [3], bytes([7, 0, 9])))
    write("labels-4.idx", idx_bytes(0x08, [4], bytes([7, 0, 9, 1])))
    write("labels-out-of-range.idx", idx_bytes(0x08, [3], bytes([7, 10, 9])))
    write("labels-negative.idx", idx_bytes(0x09, [3], struct.pack(">3b", 1, 2, -1)))
    write("labels-2d.idx", idx_bytes(0x08, [3, 1], bytes([1, 2, 3])))
    write("labels-float.idx", idx_bytes(0x0D, [3], struct.pack(">3f", 1, 2, 3)))
    write("images-f32.idx", idx_bytes(0x0D, [3, 2, 2], struct.pack(">12f", *[(10 * k + j) / 255 for k in range(3) for j in range(4)])))
    write("images-i16.idx", idx_bytes(0x0B, [3, 2, 2], struct.pack(">12h", *range(12))))


# ---------------------------------------------------------------- PNG

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
W, H = 5, 3


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def scanline(samples, depth):
    """One filter-0 scanline from a flat list of samples."""
    if depth == 16:
        body = b"".join(struct.pack(">H", s) for s in samples)
    elif depth == 8:
        body = bytes(samples)
    else:
        bits = "".join(format(s, f"0{depth}b") for s in samples)
        bits += "0" * (-len(bits) % 8)
        body = bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))
    return b"\x00" + body


def png(pixels, color_type, depth, palette=None, trns=None, interlace=False):
    """pixels: array (height, width, channels) of samples."""
    height, width = pixels.shape[:2]
    if interlace:
        raw = b""
        for x0, y0, dx, dy in ADAM7:
            sub = pixels[y0::dy, x0::dx]
            if sub.shape[0] and sub.shape[1]:
                raw += b"".join(scanline(list(row.reshape(-1)), depth) for row in sub)
    else:
        raw = b"".join(scanline(list(row.reshape(-1)), depth) for row in pixels)
    out = b"\x89PNG\r\n\x1a\n"
    out += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, int(interlace)))
    if palette is not None:
        out += chunk(b"PLTE", bytes(v for rgb in palette for v in rgb))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    out += chunk(b"IDAT", zlib.compress(raw, 9))
    return out + chunk(b"IEND", b"")


def index_samples(depth):
    """Sample of pixel i, shape (H, W, 1)."""
    i = np.arange(W * H)
    s = {1: i % 2, 2: i % 4, 4: i % 16, 8: i * 17, 16: i * 0x1111}[depth]
    return s.reshape(H, W, 1)


def make_png():
    for depth in (1, 2, 4, 8, 16):
        write(f"gray-{depth}.png", png(index_samples(depth), 0, depth))
    write("gray-1-interlaced.png", png(index_samples(1), 0, 1, interlace=True))
    write("gray-8-interlaced.png", png(index_samples(8), 0, 8, interlace=True))
    for depth in (8, 16):
        g = index_samples(depth)
        write(f"rgb-{depth}.png", png(np.concatenate([g, g, g], axis=2), 2, depth))
    write("rgb-8-interlaced.png", png(np.concatenate([index_samples(8)] * 3, axis=2), 2, 8, interlace=True))
    # Palette: entry k is grey k*17 (k < 16), pixel i uses entry i mod 2^depth.
    for depth in (1, 2, 4, 8):
        entries = min(2 ** depth, 16)
        palette = [(k * 17,) * 3 for k in range(entries)]
        index = np.arange(W * H).reshape(H, W, 1) % entries
        write(f"palette-{depth}.png", png(index, 3, depth, palette=palette))

    # Alpha: pixel i is black ink; alpha 0 on even i (→ white paper), 255 on odd i,
    # except pixel 7, alpha half (→ between). Depth 16 scales the same by 257.
    alpha8 = np.where(np.arange(W * H) % 2 == 0, 0, 255)
    alpha8[7] = 128
    alpha8 = alpha8.reshape(H, W, 1)
    black8 = np.zeros((H, W, 1), dtype=int)
    write("gray-alpha-8.png", png(np.concatenate([black8, alpha8], axis=2), 4, 8))
    write("gray-alpha-16.png", png(np.concatenate([black8, alpha8 * 257], axis=2), 4, 16))
    write("rgba-8.png", png(np.concatenate([black8] * 3 + [alpha8], axis=2), 6, 8))
    write("rgba-16.png", png(np.concatenate([black8] * 3 + [alpha8 * 257], axis=2), 6, 16))
    write("rgba-8-interlaced.png", png(np.concatenate([black8] * 3 + [alpha8], axis=2), 6, 8, interlace=True))
    # tRNS: palette entry 0 transparent (entry 1 black); grey 0 transparent (odd pixels grey 85).
    write("palette-transparent.png",
          png(np.arange(W * H).reshape(H, W, 1) % 2, 3, 8, palette=[(0, 0, 0), (0, 0, 0)], trns=bytes([0])))
    write("gray-transparent.png", png(np.arange(W * H).reshape(H, W, 1) % 2 * 85, 0, 8, trns=struct.pack(">H", 0)))
    # Colour: black, white, red, green, blue — grey by luminance.
    colours = np.array([[[0, 0, 0], [255, 255, 255], [255, 0, 0], [0, 255, 0], [0, 0, 255]]])
    write("rgb-colours.png", png(colours, 2, 8))

    write("one-pixel.png", png(np.array([[[0]]]), 0, 8))
    write("blank.png", png(np.full((16, 16, 1), 255), 0, 8))
    good = png(index_samples(8), 0, 8)
    write("truncated.png", good[: len(good) - 30])  # cut inside IDAT
    write("not-a-png.png", b"GIF89a, or anything else with a .png name\n")
    # A header claiming 20,000 x 20,000: refused from the header, before decoding.
    huge = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0))
    write("huge-header.png", huge + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b""))

    # A digit for the end-to-end preprocessing test: a "7" in black on a transparent 40 x 60
    # canvas, off-centre (as a drawing app saves it), and the same 7 white on black,
    # 20 pixels tall in a 28 x 28 frame (as MNIST has it).
    write("seven-on-transparent.png", png(seven_rgba(), 6, 8))
    write("seven-light-on-dark.png", png(seven_grey(), 0, 8))


SEVEN = [((0.15, 0.05), (0.85, 0.05)), ((0.85, 0.05), (0.45, 0.95))]


def stroke_mask(width, height, segments, box, thickness=0.09):
    """Anti-aliased coverage (4 x 4 supersampling) of thick segments given in the unit square
    of `box` = (x, y, size) in pixels; the stroke is `thickness` x size wide."""
    bx, by, size = box
    ys, xs = np.mgrid[0:height * 4, 0:width * 4]
    px, py = ((xs + 0.5) / 4 - bx) / size, ((ys + 0.5) / 4 - by) / size
    inside = np.zeros(px.shape, dtype=bool)
    for (x0, y0), (x1, y1) in segments:
        dx, dy = x1 - x0, y1 - y0
        t = np.clip(((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy), 0, 1)
        inside |= np.hypot(px - (x0 + t * dx), py - (y0 + t * dy)) < thickness / 2
    return inside.reshape(height, 4, width, 4).mean(axis=(1, 3))


def seven_rgba():
    alpha = np.rint(stroke_mask(40, 60, SEVEN, (4, 20, 34)) * 255).astype(int)[..., None]
    return np.concatenate([np.zeros_like(alpha)] * 3 + [alpha], axis=2)


def seven_grey():
    return np.rint(stroke_mask(28, 28, SEVEN, (4, 4, 20)) * 255).astype(int)[..., None]


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    make_idx()
    make_png()
    print(f"fixtures written to {os.path.normpath(OUT)}: {len(os.listdir(OUT))} files")
