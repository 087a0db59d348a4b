#!/usr/bin/python3
"""Pillow's scaled-decode limit, per stage, in thread CPU time (issue 12 part 5).

  pillow_limit.py DIR [--size 150] [--limit 500] [--rounds 2]

Stages as Keras's load_img + ImageDataGenerator do them, but with img.draft (libjpeg-turbo's DCT scaling):
open + draft + decode, resize (bilinear and nearest), to float32 array, flip half, rescale. One JSON line.
"""
import argparse, glob, io, json, os, time
import numpy as np
from PIL import Image

ap = argparse.ArgumentParser()
ap.add_argument('dir')
ap.add_argument('--size', type=int, default=150)
ap.add_argument('--limit', type=int, default=500)
ap.add_argument('--rounds', type=int, default=2)
a = ap.parse_args()
files = sorted(glob.glob(os.path.join(a.dir, '**', '*.jpg'), recursive=True))[:a.limit]
t = time.thread_time
names = ['read file', 'open + draft + decode 1/2 (DCT)', 'decode full size (reference)', 'resize bilinear',
         'resize nearest', 'to float32 array', 'flip (half of images)', 'rescale 1/255']
tot = [0.0] * len(names)
n = 0
for r in range(a.rounds):
    for i, f in enumerate(files):
        t0 = t()
        with open(f, 'rb') as fh:
            data = fh.read()
        t1 = t()
        img = Image.open(io.BytesIO(data))
        img.draft('RGB', (a.size, a.size))
        img = img.convert('RGB')
        t2 = t()
        full = Image.open(io.BytesIO(data)).convert('RGB')
        t3 = t()
        small = img.resize((a.size, a.size), Image.BILINEAR)
        t4 = t()
        img.resize((a.size, a.size), Image.NEAREST)
        t5 = t()
        x = np.asarray(small, dtype=np.float32)
        t6 = t()
        if i % 2 == 0:
            x = x[:, ::-1, :]
        t7 = t()
        x = x * (1. / 255)
        t8 = t()
        ts = [t0, t1, t2, t3, t4, t5, t6, t7, t8]
        for s in range(len(names)):
            tot[s] += ts[s + 1] - ts[s]
        n += 1
print(json.dumps({"images": n, "draft_size": list(img.size),
                  "us_per_image": {k: round(v / n * 1e6, 1) for k, v in zip(names, tot)}}), flush=True)
