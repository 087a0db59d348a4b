#!/usr/bin/env python3
"""The PyTorch side of `Sequential.Benchmarks --anatomy`: where one step of the peer's MLP loop goes.

Same network, batch, optimizer and data (Fashion-MNIST from Debian's dataset-fashion-mnist) as
../shared/peer/torch_peer.py. Prints the median over 12 rounds of 300 steps, in microseconds, as a Markdown table.
Usage: /usr/bin/python3 benchmarks/peer_step_anatomy.py [--threads N] [--data DIR]
"""
import argparse, gzip, os, statistics, struct, time
import numpy as np
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, default=0)
ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
a = ap.parse_args()
if a.threads:
    torch.set_num_threads(a.threads)


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = struct.unpack(">I", data[:4])[0] & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


torch.manual_seed(0)
x = torch.from_numpy(read_idx(os.path.join(a.data, "train-images-idx3-ubyte.gz")).astype(np.float32) / 255.0).reshape(60000, 784)
y = torch.from_numpy(read_idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz")).astype(np.int64))
net = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
lossf = nn.CrossEntropyLoss()
perm = torch.randperm(60000)
phases = ["batch gather", "forward + loss", "backward", "optimizer (torch.optim.Adam)", "whole step"]
samples = {p: [] for p in phases}
w, g, xb0 = torch.randn(128, 784), torch.randn(32, 128), x[:32]
ops = {"matmul [32, 784] x [784, 128] (Dense forward)": lambda: xb0 @ w.t(),
       "matmul [128, 32] x [32, 784] (kernel gradient)": lambda: g.t() @ xb0}
op_samples = {k: [] for k in ops}
start = 0
for _ in range(12):
    t = [0.0] * 5
    for _ in range(300):
        t0 = time.perf_counter()
        if start + 32 > 60000:
            start = 0
        idx = perm[start:start + 32]
        start += 32
        xb, yb = x[idx], y[idx]
        t1 = time.perf_counter()
        opt.zero_grad()
        loss = lossf(net(xb), yb)
        t2 = time.perf_counter()
        loss.backward()
        t3 = time.perf_counter()
        opt.step()
        t4 = time.perf_counter()
        for i, d in enumerate((t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0)):
            t[i] += d
    for p, total in zip(phases, t):
        samples[p].append(total / 300 * 1e6)
    for k, f in ops.items():
        f()
        t0 = time.perf_counter()
        for _ in range(300):
            f()
        op_samples[k].append((time.perf_counter() - t0) / 300 * 1e6)

print(f"### PyTorch {torch.__version__}, {torch.get_num_threads()} threads: anatomy of one MLP step (median of 12 rounds of 300)\n")
print("| part | microseconds |\n|---|---:|")
for p in phases:
    print(f"| {p} | {statistics.median(samples[p]):.0f} |")
for k in ops:
    print(f"| single op: {k} | {statistics.median(op_samples[k]):.0f} |")
