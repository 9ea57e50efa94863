#!/usr/bin/env python3
"""Checks tools/make-nondigit-training.py: the same seed gives the same files byte for byte whatever
the number of worker processes, another seed other pictures, and every picture is a 16 x 16 image
with ink, labelled 10.

    python3 tools/test_make_nondigit_training.py      (or: python3 -m pytest tools/test_make_nondigit_training.py)

Needs what the generator needs (numpy, Pillow, the fonts, MNIST in data/mnist); about 20 s.
"""
import gzip
import hashlib
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def generate(out, seed, jobs, count=45):
    subprocess.run([sys.executable, os.path.join(HERE, "make-nondigit-training.py"), "--out", out, "--train", str(count),
                    "--test", "15", "--seed", str(seed), "--jobs", str(jobs)], check=True, capture_output=True)
    return {name: hashlib.sha256(open(os.path.join(out, name), "rb").read()).hexdigest() for name in sorted(os.listdir(out))}


def test_same_seed_same_bytes_for_any_jobs_and_another_seed_differs():
    with tempfile.TemporaryDirectory() as directory:
        one = generate(os.path.join(directory, "one"), seed=3, jobs=1)
        two = generate(os.path.join(directory, "two"), seed=3, jobs=2)
        other = generate(os.path.join(directory, "other"), seed=4, jobs=2)
        assert len(one) == 4 and one == two, (one, two)
        assert other["train-images-idx3-ubyte.gz"] != one["train-images-idx3-ubyte.gz"]
        images = gzip.open(os.path.join(directory, "one", "train-images-idx3-ubyte.gz")).read()
        labels = gzip.open(os.path.join(directory, "one", "train-labels-idx1-ubyte.gz")).read()
        assert images[:16] == bytes([0, 0, 8, 3, 0, 0, 0, 45, 0, 0, 0, 16, 0, 0, 0, 16])
        assert labels[:8] == bytes([0, 0, 8, 1, 0, 0, 0, 45]) and set(labels[8:]) == {10}
        pixels = images[16:]
        assert len(pixels) == 45 * 256
        assert all(max(pixels[i * 256:(i + 1) * 256]) > 0 for i in range(45))  # no blank picture


if __name__ == "__main__":
    test_same_seed_same_bytes_for_any_jobs_and_another_seed_differs()
    print("make-nondigit-training: deterministic for a seed, whatever --jobs; labels 10; no blank picture")
