#!/usr/bin/env python3
"""Fetches a third writer population, never trained on: the UCI "optdigits" test set, as PNGs.

1,797 digits written by 13 people on NIST forms (E. Alpaydin and C. Kaynak, 1998): each was
scanned, cut out and scaled by NIST's routines to fill a 32 x 32 bitmap (its aspect ratio NOT
kept: a 1 is stretched towards a square), then counted in 4 x 4 blocks into 8 x 8 grey levels
0..16. So these are people's digits from neither MNIST's nor USPS's writers, in a form no person
hands us (eight pixels a side, stretched to fill): a hard, honest check of how far the model
travels, not a picture of everyday use.

Source: the copy shipped inside scikit-learn's wheel on PyPI (sklearn/datasets/data/digits.csv.gz,
57,523 bytes), fetched with `pip download --no-deps` and checked against its SHA-256. Written as
data/optdigits/<digit>/<index>.png (index = row of the CSV; dark ink on white, grey = 255 - 255 v/16)
for `digits evaluate --folder data/optdigits`. Re-running when the folder is complete does nothing;
the folder is written under a temporary name and renamed, so an interrupted run leaves nothing half made.

    python3 tools/fetch-optdigits.py [--data-dir DIR]
"""
import argparse
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
import zlib
import struct

CSV_SHA256 = '09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22'
CSV_MEMBER = 'sklearn/datasets/data/digits.csv.gz'
COUNT = 1797


def png_gray(width, height, pixels):
    """A minimal 8-bit greyscale PNG (no Pillow needed)."""
    raw = b''.join(b'\x00' + bytes(pixels[y * width:(y + 1) * width]) for y in range(height))

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)

    header = struct.pack('>IIBBBBB', width, height, 8, 0, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')


def fetch_csv(work):
    subprocess.run([sys.executable, '-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:',
                    '--dest', work, 'scikit-learn'], check=True)
    wheels = [name for name in os.listdir(work) if name.startswith('scikit_learn') and name.endswith('.whl')]
    if not wheels:
        sys.exit('fetch-optdigits: pip downloaded no scikit-learn wheel')
    with zipfile.ZipFile(os.path.join(work, wheels[0])) as wheel:
        data = wheel.read(CSV_MEMBER)
    digest = hashlib.sha256(data).hexdigest()
    if digest != CSV_SHA256:
        sys.exit(f'fetch-optdigits: {wheels[0]}:{CSV_MEMBER} has SHA-256 {digest}, expected {CSV_SHA256}')
    return gzip.decompress(data).decode('ascii')


def complete(target):
    if not os.path.isdir(target):
        return False
    return sum(len(os.listdir(os.path.join(target, str(d)))) for d in range(10)
               if os.path.isdir(os.path.join(target, str(d)))) == COUNT


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument('--data-dir', default=os.environ.get('DIGITS_DATA') or os.path.join(root, 'data'))
    args = parser.parse_args()
    target = os.path.join(args.data_dir, 'optdigits')
    if complete(target):
        print(f'{target}: already complete ({COUNT} pictures)')
        return
    os.makedirs(args.data_dir, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix='optdigits-') as work:
        rows = [line for line in fetch_csv(work).splitlines() if line.strip()]
        if len(rows) != COUNT:
            sys.exit(f'fetch-optdigits: {len(rows)} rows, expected {COUNT}')
        staging = tempfile.mkdtemp(prefix='.optdigits-', dir=args.data_dir)
        try:
            for index, row in enumerate(rows):
                values = [int(float(v)) for v in row.split(',')]
                pixels, label = values[:64], values[64]
                if len(values) != 65 or not 0 <= label <= 9 or not all(0 <= v <= 16 for v in pixels):
                    sys.exit(f'fetch-optdigits: row {index} is not 64 levels 0..16 and a digit')
                folder = os.path.join(staging, str(label))
                os.makedirs(folder, exist_ok=True)
                grey = [255 - round(255 * v / 16) for v in pixels]
                with open(os.path.join(folder, f'{index:04d}.png'), 'wb') as f:
                    f.write(png_gray(8, 8, grey))
            if os.path.exists(target):
                shutil.rmtree(target)
            os.rename(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    print(f'{target}: {COUNT} pictures (8 x 8) in folders 0..9')


if __name__ == '__main__':
    main()
