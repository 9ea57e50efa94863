"""Reading and writing gzipped IDX files (the MNIST format) for the data-set generators in tools/.

    read_idx(path) -> numpy uint8 array of the file's shape
    write_idx(path, array): gzipped, atomically (a temporary file, then a rename), with no time in
    the gzip header, so the same array always gives the same bytes

Needs numpy (the generators install it when missing before loading this module).
"""
import gzip
import os
import struct

import numpy as np


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[0:3] != b"\x00\x00\x08":
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def write_idx(path, array):
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + b"".join(struct.pack(">I", d) for d in array.shape)
    temporary = path + ".tmp"
    with open(temporary, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:  # same bytes each run
        out.write(header + array.astype(np.uint8).tobytes())
    os.replace(temporary, path)
