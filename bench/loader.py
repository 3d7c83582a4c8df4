"""Loader throughput: the chapter's `get_data`, the per-item fast path and the whole-batch fast path, with 2 workers, on an Imagenette-160-sized tree.

Writes a JPEG tree shaped like Imagenette 160 (shortest side 160 px, aspect ratios from 3:4 to 16:9, 10 classes) into
a scratch folder, then times full training epochs of three pipelines, interleaved, and prints images per second and
the ratios to the chapter's pipeline:

- `book`: `get_data(...)`, the chapter's `DataBlock` (decode + resize every JPEG every epoch);
- `item`: `get_data(..., fast=True, batch=False)`, the uint8 cache read through fastai's per-item pipeline;
- `batch`: `get_data(..., fast=True)`, whole batches cut from the cache (`BatchCacheDL`).

Two figures per pipeline:

- `loader`: what the CPU must do per image (worker processes decode/resize or read the cache, collate); the batch
  transforms (random resized crop, flips, warp, lighting, normalisation) are left out because on a GPU they run there
  on whole batches, the same for both pipelines.
- `loader+aug on DEVICE`: the whole `DataLoader` including the batch transforms, run on the GPU when there is one
  (batches moved there as uint8 and converted there), else on this machine's CPU (what a CPU-only run gets; the
  augmentation is then the same large cost for all); timed on the first `--aug-batches` batches.

Usage: python bench/loader.py [--n 4000] [--bs 64] [--repeats 3] [--workers 2] [--aug-batches 12] [--dir DIR]
"""
import argparse, os, shutil, statistics, sys, tempfile, time
from pathlib import Path
import numpy as np

RATIOS = [(4, 3), (3, 4), (3, 2), (1, 1), (16, 9), (5, 4), (2, 3)]  # width:height mixes seen in Imagenette


def write_tree(dest: Path, n: int, short: int = 160, n_classes: int = 10, valid_pct: float = 0.2, seed: int = 0):
    "An Imagenette-shaped JPEG tree of `n` photo-like images (smooth colour fields plus texture), shortest side `short`"
    from PIL import Image
    marker = dest/'.bench_complete'
    if marker.exists() and marker.read_text() == f'{n},{short},{n_classes},{valid_pct},{seed}': return dest
    if dest.exists(): shutil.rmtree(dest)
    rng = np.random.default_rng(seed)
    for i in range(n):
        rw, rh = RATIOS[i % len(RATIOS)]
        w, h = (round(short*rw/rh), short) if rw >= rh else (short, round(short*rh/rw))
        low = rng.integers(0, 256, (max(2, h//24), max(2, w//24), 3), dtype=np.uint8)  # smooth colour regions ...
        img = np.asarray(Image.fromarray(low).resize((w, h), Image.BICUBIC), dtype=np.int16)
        img = np.clip(img + rng.normal(0, 12, img.shape), 0, 255).astype(np.uint8)  # ... plus texture, like a photo
        split = 'val' if rng.random() < valid_pct else 'train'
        folder = dest/split/f'n{i % n_classes:08d}'
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(img).save(folder/f'img_{i:05d}.JPEG', quality=90)
    marker.write_text(f'{n},{short},{n_classes},{valid_pct},{seed}')
    return dest


def epoch_rate(dl, max_batches=None):
    "Images per second over one pass of `dl` (worker start-up included, as a student's epoch has it), or its first `max_batches`"
    t, n = time.perf_counter(), 0
    for i, (xb, yb) in enumerate(dl):
        n += len(yb)
        if max_batches and i + 1 >= max_batches: break
    return n/(time.perf_counter() - t)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n', type=int, default=4000, help='images in the tree (default 4000)')
    p.add_argument('--bs', type=int, default=64)
    p.add_argument('--workers', type=int, default=2)
    p.add_argument('--repeats', type=int, default=3, help='interleaved epochs per pipeline (the median is reported)')
    p.add_argument('--aug-batches', type=int, default=12, help='batches per pass for the slow loader+aug-on-CPU figure (default 12)')
    p.add_argument('--dir', default=None, help='where to write the tree (default: a scratch folder, deleted after)')
    a = p.parse_args(argv)
    import torch
    from fastai.vision.all import set_seed
    from resnet_course.data import get_data
    from resnet_course.fastdata import build_cache
    scratch = Path(a.dir) if a.dir else Path(tempfile.mkdtemp(prefix='bench_loader_'))
    try:
        t = time.perf_counter(); tree = write_tree(scratch/'imagenette160', a.n)
        print(f'tree: {a.n} JPEGs, shortest side 160, in {tree} ({time.perf_counter()-t:.1f} s to write)', flush=True)
        t = time.perf_counter(); build_cache(tree, 160, scratch/'cache', verbose=False)
        print(f'fast-path cache built once in {time.perf_counter()-t:.1f} s ({os.cpu_count()} processes)', flush=True)
        dev = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
        kw = dict(presize=160, resize=128, bs=a.bs, num_workers=a.workers, device=dev)
        set_seed(0); book = get_data(tree, **kw)
        set_seed(0); item = get_data(tree, fast=True, batch=False, cache_dir=scratch/'cache', **kw)
        set_seed(0); fast = get_data(tree, fast=True, cache_dir=scratch/'cache', **kw)
        n_train = len(book.train_ds)
        print(f'{n_train} training images per epoch, batch size {a.bs}, {a.workers} workers, presize 160, crops 128, '
              f'torch {torch.__version__}, {os.cpu_count()} CPUs', flush=True)
        from resnet_course.fastdata import BatchCacheDL
        procs = fast.train.new(after_batch=[]); procs.in_process = False   # the batch path in 2 worker processes
        r = [(epoch_rate(fast.train.new(after_batch=[])), epoch_rate(procs)) for _ in range(a.repeats)]
        print(f'batch path in the main process {statistics.median(x for x, _ in r):7.0f} img/s, in {a.workers} worker processes '
              f'{statistics.median(y for _, y in r):7.0f} img/s (why BatchCacheDL.in_process is True)', flush=True)
        res = {}
        for label, strip, nb in [('loader', True, None), (f'loader+aug on {dev.type.upper()}', False, a.aug_batches)]:
            dls = {name: (d.train.new(after_batch=[]) if strip else d.train) for name, d in [('book', book), ('item', item), ('batch', fast)]}
            rates = {name: [] for name in dls}
            for r in range(a.repeats):
                for name, dl in dls.items(): rates[name].append(epoch_rate(dl, nb))
            res[label] = {k: statistics.median(v) for k, v in rates.items()}
            b, i, f = (res[label][k] for k in ('book', 'item', 'batch'))
            print(f'{label:>18}: book {b:7.0f} img/s   item {i:7.0f} img/s ({i/b:5.2f}x)   batch {f:7.0f} img/s ({f/b:5.2f}x, '
                  f'{f/i:4.2f}x item)   per pass: ' + ', '.join(f'{k} {[round(x) for x in v]}' for k, v in rates.items()), flush=True)
        return res
    finally:
        if not a.dir: shutil.rmtree(scratch, ignore_errors=True)


if __name__ == '__main__': main()
