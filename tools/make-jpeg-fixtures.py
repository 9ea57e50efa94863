#!/usr/bin/env python3
"""Writes the JPEG (and other-format) fixtures of DigitsData into Tests/DigitsDataTests/Fixtures/.

Needs Pillow (pip install pillow) and numpy; tools/make-fixtures.py writes the PNG and IDX ones.
Pillow encodes, libjpeg-turbo (through digits) decodes: two implementations meet in the tests.

Pictures are flat 8 x 8 blocks (JPEG stores a flat block as its DC value alone, so the decoded grey
is the written grey within a step or two) and 4:4:4 colour (no chroma blur across blocks):
- jpeg-gray / jpeg-progressive / jpeg-rgb / jpeg-cmyk-adobe / jpeg-cmyk-plain: 16 x 8, a left and a
  right block whose greys the tests know (BLOCKS below, with their luminance worked out);
- jpeg-orientation-N (N = 1..8): shown upright they are 24 wide, 16 high, white with a black 8 x 8
  square in the top-left corner; stored turned so that EXIF orientation N turns them back.
  Odd N carry little-endian ("II") EXIF, even N big-endian ("MM");
- damaged files: truncated, corrupt, lying headers and EXIF;
- one GIF, one BMP, one WebP, one TIFF and a text file, which must be named and refused;
- jpeg-two-rotated.jpg: Resources/samples/2-phone-photo.png at half size, stored turned a quarter
  turn with EXIF orientation 6: read without the turn, it is a sideways 2.
Re-run after changing: python3 tools/make-jpeg-fixtures.py (it checks its own output with Pillow).
"""
import io
import os
import struct

import numpy as np
from PIL import Image, ImageOps

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "DigitsDataTests", "Fixtures")
SEEDS = os.path.join(ROOT, "tools", "fuzz", "seeds", "jpeg")

# Left block, right block. Luminance Y = 0.299 R + 0.587 G + 0.114 B:
# red (255, 0, 0) -> 76.2; cyan (0, 255, 255) -> 178.8; CMYK ink (C=255) is cyan; K=255 is black.
GREYS = (40, 200)
RGB = ((255, 0, 0), (0, 255, 255))              # grey 76, 179
CMYK_INK = ((0, 0, 0, 255), (255, 0, 0, 0))      # black 0, cyan 179


def write(name, data, folder=OUT):
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def jpeg(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, subsampling=0, **options)
    return buffer.getvalue()


def blocks(mode, left, right):
    image = Image.new(mode, (16, 8))
    image.paste(left, (0, 0, 8, 8))
    image.paste(right, (8, 0, 16, 8))
    return image


def segments(data):
    """(offset, marker, length) of each marker segment before the first scan."""
    offset, found = 2, []
    while data[offset] == 0xFF and data[offset + 1] != 0xDA:
        length = struct.unpack(">H", data[offset + 2:offset + 4])[0]
        found.append((offset, data[offset + 1], length))
        offset += 2 + length
    return found


def without_marker(data, marker):
    for offset, kind, length in segments(data):
        if kind == marker:
            return data[:offset] + data[offset + 2 + length:]
    raise ValueError(f"no marker {marker:#x}")


def exif(orientation, little_endian, value_type=3, count=1):
    """APP1 body: Exif header, TIFF header, IFD0 with one entry, the orientation."""
    e = "<" if little_endian else ">"
    tiff = (b"II" if little_endian else b"MM") + struct.pack(e + "HI", 42, 8)
    tiff += struct.pack(e + "H", 1)
    tiff += struct.pack(e + "HHI", 0x0112, value_type, count) + struct.pack(e + "HH", orientation, 0)
    tiff += struct.pack(e + "I", 0)  # no next IFD
    return b"Exif\x00\x00" + tiff


# Pillow's transpose that turns a stored image upright, per orientation (as ImageOps.exif_transpose);
# the stored image is made with the inverse.
UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
           5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
           8: Image.Transpose.ROTATE_90}
INVERSE = {**UPRIGHT, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}


def make_colour_spaces():
    write("jpeg-gray.jpg", jpeg(blocks("L", *GREYS)))
    write("jpeg-progressive.jpg", jpeg(blocks("L", *GREYS), progressive=True))
    write("jpeg-rgb.jpg", jpeg(blocks("RGB", *RGB)))
    # Pillow writes CMYK as Photoshop does: samples inverted (255 - ink), with an Adobe APP14 marker.
    adobe = jpeg(blocks("CMYK", *CMYK_INK))
    assert any(kind == 0xEE for _, kind, _ in segments(adobe)), "Pillow wrote no Adobe marker"
    write("jpeg-cmyk-adobe.jpg", adobe)
    # Plain CMYK: samples are the ink itself and there is no Adobe marker. Handing Pillow 255 - ink
    # makes it store the ink; the marker is then cut out.
    inverted = tuple(tuple(255 - v for v in ink) for ink in CMYK_INK)
    write("jpeg-cmyk-plain.jpg", without_marker(jpeg(blocks("CMYK", *inverted)), 0xEE))


def make_orientations():
    upright = Image.new("L", (24, 16), 255)
    upright.paste(0, (0, 0, 8, 8))
    for n in range(1, 9):
        stored = upright if n == 1 else upright.transpose(INVERSE[n])
        data = jpeg(stored, exif=exif(n, little_endian=n % 2 == 1))
        shown = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
        assert shown.size == (24, 16), (n, shown.size)
        assert np.abs(np.asarray(shown, dtype=int) - np.asarray(upright, dtype=int)).max() < 16, n
        write(f"jpeg-orientation-{n}.jpg", data)
    # Stored turned for 6, but the tag is not a SHORT, or out of range: the pixels are taken as stored.
    stored6 = upright.transpose(INVERSE[6])
    write("jpeg-orientation-long.jpg", jpeg(stored6, exif=exif(6, True, value_type=4)))
    write("jpeg-orientation-9.jpg", jpeg(stored6, exif=exif(9, True)))
    # IFD0 offset far outside the segment, and an entry count of 65535 with no entries behind it.
    lying = b"Exif\x00\x00II" + struct.pack("<HI", 42, 0xFFFFFFF0)
    write("jpeg-exif-lying-offset.jpg", jpeg(stored6, exif=lying))
    lying_count = b"Exif\x00\x00MM" + struct.pack(">HIH", 42, 8, 0xFFFF) + b"\x01\x12\x00\x03"
    write("jpeg-exif-lying-count.jpg", jpeg(stored6, exif=lying_count))


def make_damaged():
    rng = np.random.default_rng(9)
    noise = Image.fromarray(rng.integers(0, 256, (64, 64), dtype=np.uint8), "L")
    whole = jpeg(noise)
    write("jpeg-truncated.jpg", whole[: len(whole) // 2])
    header_end = [o for o in range(len(whole) - 1) if whole[o:o + 2] == b"\xff\xda"][0]
    # A marker in the middle of the entropy-coded data, where none may be.
    write("jpeg-corrupt.jpg", whole[: header_end + 300] + b"\xff\xd3" + whole[header_end + 302:])
    # Sample precision 7 in the frame header: no JPEG decoder supports that.
    sof = [o for o, kind, _ in segments(whole) if kind == 0xC0][0]
    write("jpeg-bad-precision.jpg", whole[: sof + 4] + b"\x07" + whole[sof + 5:])
    # 60000 x 60000 in the frame header: refused from the header alone.
    write("jpeg-huge-header.jpg", whole[: sof + 5] + struct.pack(">HH", 60000, 60000) + whole[sof + 9:])
    write("jpeg-only-start.jpg", b"\xff\xd8\xff")


def make_other_formats():
    image = blocks("L", *GREYS)
    for name, kind in (("tiny.gif", "GIF"), ("tiny.bmp", "BMP"), ("tiny.webp", "WEBP"), ("tiny.tif", "TIFF")):
        buffer = io.BytesIO()
        image.save(buffer, kind)
        write(name, buffer.getvalue())
    write("notes.txt", b"These are my digit scans, 2024.\n")


def make_sample_photo():
    photo = Image.open(os.path.join(ROOT, "Resources", "samples", "2-phone-photo.png")).convert("RGB")
    photo = photo.resize((photo.width // 2, photo.height // 2), Image.Resampling.LANCZOS)
    stored = photo.transpose(INVERSE[6])
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=85, exif=exif(6, little_endian=True))
    write("jpeg-two-rotated.jpg", buffer.getvalue())
    # A photo-sized seed for the fuzzer (the photo path of the preprocessor), progressive, with EXIF.
    os.makedirs(SEEDS, exist_ok=True)
    small = photo.resize((48, 64)).convert("L")
    write("two-48x64-progressive.jpg", jpeg(small, progressive=True, exif=exif(3, False)), SEEDS)


if __name__ == "__main__":
    make_colour_spaces()
    make_orientations()
    make_damaged()
    make_other_formats()
    make_sample_photo()
