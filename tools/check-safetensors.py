#!/usr/bin/env python3
"""Checks that digits model and checkpoint files load in Python's `safetensors` and NumPy.

    python3 tools/check-safetensors.py FILE...          check each file, print a summary, exit 1 on a problem
    python3 tools/check-safetensors.py --write-fixture OUT --like FILE
                                                        write a tiny digits-mlp file with safetensors' own
                                                        writer (preprocessing metadata copied from FILE),
                                                        read by the Swift tests as Tests/DigitsModelFixtures/python-written.safetensors

Each file is read three ways and all must agree: safetensors.numpy.load_file, safetensors.safe_open
(for the metadata), and a by-hand parse of the layout with NumPy (8-byte little-endian header length,
JSON header, 8-byte aligned data section tiled by the tensors, little-endian float32 row-major).
Needs `pip install safetensors numpy`; the Swift tests do not need Python.
"""
import json
import struct
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file


def check(path):
    problems = []
    tensors = load_file(path)
    with safe_open(path, framework="numpy") as f:
        metadata = f.metadata() or {}

    # The layout by hand, independent of the library.
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    if (8 + n) % 8 != 0:
        problems.append(f"data section starts at {8 + n}, not a multiple of 8")
    data = raw[8 + n:]
    spans = sorted((v["data_offsets"][0], v["data_offsets"][1], k) for k, v in header.items() if k != "__metadata__")
    position = 0
    for begin, end, name in spans:
        if begin != position:
            problems.append(f"tensor {name} starts at {begin}, expected {position}")
        position = end
        entry = header[name]
        by_hand = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])
        if entry["dtype"] != "F32":
            problems.append(f"tensor {name} has dtype {entry['dtype']}")
        if not np.array_equal(by_hand.view("<u4"), tensors[name].view("<u4")):
            problems.append(f"tensor {name}: safetensors and the by-hand read disagree")
    if position != len(data):
        problems.append(f"tensors cover {position} of {len(data)} data bytes")
    if header.get("__metadata__", {}) != metadata:
        problems.append("metadata differs between safe_open and the raw header")

    fmt = metadata.get("format")
    if fmt in ("digits-mlp", "digits-checkpoint"):
        version = metadata.get("format_version")
        if version not in ("1", "2"):
            problems.append(f"format_version {version!r}")
        sizes = [int(s) for s in metadata["layer_sizes"].split(",")]
        # Format 2 writes the JSON inside the metadata with snake_case keys, format 1 with camelCase.
        preprocessing = json.loads(metadata["preprocessing"])
        box_key = "target_box_size" if version == "2" else "targetBoxSize"
        if box_key not in preprocessing:
            problems.append(f"preprocessing has no {box_key!r} (format {version}): {sorted(preprocessing)}")
        labels = json.loads(metadata["class_labels"])
        if len(labels) != sizes[-1]:
            problems.append(f"{len(labels)} class labels for {sizes[-1]} classes")
        prefixes = ["layers"] + (["velocity"] if fmt == "digits-checkpoint" else [])
        if fmt == "digits-checkpoint" and any(name.startswith("best.") for name in tensors):
            prefixes.append("best")   # the best epoch's weights
        expected = {}
        for prefix in prefixes:
            for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
                expected[f"{prefix}.{i}.weight"] = (n_out, n_in)
                expected[f"{prefix}.{i}.bias"] = (n_out,)
        for name, shape in expected.items():
            if name not in tensors:
                problems.append(f"missing tensor {name}")
            elif tensors[name].shape != shape:
                problems.append(f"tensor {name} has shape {tensors[name].shape}, expected {shape}")
            elif not np.all(np.isfinite(tensors[name])):
                problems.append(f"tensor {name} has non-finite values")
        for name in tensors:
            if name not in expected:
                problems.append(f"unexpected tensor {name}")
        if fmt == "digits-checkpoint":
            int(metadata["generator_state"])
            history = json.loads(metadata["history"])
            if version == "2" and any(k != k.lower() for record in history for k in record):
                problems.append("history keys are not snake_case")
            options = json.loads(metadata.get("training_options", "{}"))
            if version == "2" and "preprocessing" in options:
                problems.append("training_options repeat the preprocessing settings (format 2 stores them once)")
    else:
        problems.append(f"format {fmt!r} is not digits-mlp or digits-checkpoint")

    summary = ", ".join(f"{k} {tuple(v.shape)}" for k, v in tensors.items())
    print(f"{path}: {fmt} {metadata.get('layer_sizes', '')}: {summary}")
    for p in problems:
        print(f"{path}: {p}", file=sys.stderr)
    return not problems


def write_fixture(out, like):
    with safe_open(like, framework="numpy") as f:
        preprocessing = f.metadata()["preprocessing"]
        version = f.metadata()["format_version"]   # the preprocessing JSON's keys depend on it
    weight = (np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5).astype("<f4")
    bias = np.array([-0.0, np.float32(1e-45)], dtype="<f4")   # -0.0 and the smallest subnormal
    save_file({"layers.0.weight": weight, "layers.0.bias": bias}, out, metadata={
        "format": "digits-mlp", "format_version": version, "layer_sizes": "3,2", "activation": "relu",
        "loss": "cross-entropy", "class_labels": json.dumps(["0", "1"]), "preprocessing": preprocessing,
        "dataset": "numpy",
    })
    print(f"wrote {out}")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--write-fixture"] and len(args) == 4 and args[2] == "--like":
        write_fixture(args[1], args[3])
        sys.exit(0)
    if not args or args[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    sys.exit(0 if all([check(p) for p in args]) else 1)
