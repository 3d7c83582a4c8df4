"""Epoch time of ResNet-18 for each data pipeline against the GPU-bound limit, with the loader held to 2 CPU cores.

For a session that is lent a GPU (run as one prepared command, e.g. `python bench/gpu_epoch.py`). Writes the same
synthetic Imagenette-160-sized JPEG tree as `bench/loader.py`, pins this process (and so its DataLoader workers) to
`--cores` CPU cores, then times one training epoch (forward, loss, backward, SGD step) of our ResNet-18 at `--size` px
for each pipeline:

- `book`: the chapter's `get_data` (decode + resize every JPEG every epoch, 2 workers);
- `item`: `get_data(..., fast=True, batch=False)`, the uint8 cache through fastai's per-item pipeline;
- `batch`: `get_data(..., fast=True)`, whole uint8 batches cut from the cache (`BatchCacheDL`);
- `resident`: the same number of steps on uint8 batches that already sit on the device (the GPU-bound limit): only
  the batch transforms (augmentation, normalisation) and the training step run.

Every pipeline runs the same batch transforms on the device. Each configuration (precision fp32/fp16/bf16, channels-last
or not) is timed in interleaved rounds; the median epoch time and the ratio to `resident` are printed (goal for `batch`:
within 1.1x). On a CPU it runs too (small settings, for a smoke test): `--device cpu --n 200 --size 32 --bs 16`.

Usage: python bench/gpu_epoch.py [--n 9469] [--size 128] [--bs 64] [--cores 2] [--rounds 2]
       [--precisions fp32,fp16,bf16] [--channels-last both|yes|no] [--pipelines book,item,batch,resident] [--dir DIR]
"""
import argparse, os, shutil, statistics, sys, tempfile, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from loader import write_tree  # noqa: E402  (the same synthetic tree as the loader benchmark)


def train_epoch(model, opt, batches, after_batch, dtype, fmt, sync, scaler):
    "Seconds for one pass: for every batch, the batch transforms, then forward, loss, backward and step"
    import torch, torch.nn.functional as F
    dev_type = next(model.parameters()).device.type
    t, n = time.perf_counter(), 0
    for xb, yb in batches:
        if after_batch is not None: xb, yb = after_batch((xb, yb))
        xb, yb = xb.as_subclass(torch.Tensor).contiguous(memory_format=fmt), yb.as_subclass(torch.Tensor)  # plain tensors, as fastai's Learner passes them on
        with torch.autocast(dev_type, dtype=dtype, enabled=dtype is not None):
            loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(set_to_none=True)
        if scaler is not None: scaler.scale(loss).backward(); scaler.step(opt); scaler.update()
        else: loss.backward(); opt.step()
        n += len(yb)
    sync()
    return time.perf_counter() - t, n


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n', type=int, default=9469, help='images in the tree (default: as many as Imagenette has for training)')
    p.add_argument('--size', type=int, default=128)
    p.add_argument('--presize', type=int, default=160)
    p.add_argument('--bs', type=int, default=64)
    p.add_argument('--cores', type=int, default=2, help='CPU cores for the whole process and its loader workers')
    p.add_argument('--workers', type=int, default=2)
    p.add_argument('--rounds', type=int, default=2)
    p.add_argument('--device', default=None, help='default: cuda if available, else cpu')
    p.add_argument('--precisions', default='fp32,fp16,bf16')
    p.add_argument('--channels-last', default='both', choices=['both', 'yes', 'no'])
    p.add_argument('--pipelines', default='book,item,batch,resident')
    p.add_argument('--dir', default=None, help='where to write the tree (default: a scratch folder, deleted after)')
    a = p.parse_args(argv)
    if hasattr(os, 'sched_setaffinity'):
        cores = sorted(os.sched_getaffinity(0))[:a.cores]
        os.sched_setaffinity(0, cores)
    import torch
    from fastai.vision.all import set_seed
    from resnet_course.data import get_data
    from resnet_course.resnet import resnet18
    dev = torch.device(a.device or ('cuda' if torch.cuda.is_available() else 'cpu'))
    sync = (lambda: torch.cuda.synchronize()) if dev.type == 'cuda' else (lambda: None)
    torch.set_num_threads(len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else a.cores)
    scratch = Path(a.dir) if a.dir else Path(tempfile.mkdtemp(prefix='bench_gpu_'))
    try:
        tree = write_tree(scratch/'imagenette160', a.n, short=a.presize)
        kw = dict(presize=a.presize, resize=a.size, bs=a.bs, num_workers=a.workers, device=dev)
        pipes = a.pipelines.split(',')
        dls = {}
        set_seed(0); dls['book'] = get_data(tree, **kw)
        set_seed(0); dls['item'] = get_data(tree, fast=True, batch=False, cache_dir=scratch/'cache', **kw)
        set_seed(0); dls['batch'] = get_data(tree, fast=True, cache_dir=scratch/'cache', **kw)
        raw = dls['batch'].train.new(after_batch=[])
        resident = [(x.to(dev), y.to(dev)) for x, y in raw]   # uint8 batches already on the device
        name = torch.cuda.get_device_name(dev) if dev.type == 'cuda' else 'CPU'
        print(f'{name}, torch {torch.__version__}, {len(os.sched_getaffinity(0))} CPU cores for the loader, '
              f'{len(resident)} steps of {a.bs} images at {a.size} px per epoch, ResNet-18', flush=True)
        dtypes = {'fp32': None, 'fp16': torch.float16, 'bf16': torch.bfloat16}
        cl = {'both': [False, True], 'yes': [True], 'no': [False]}[a.channels_last]
        for prec in a.precisions.split(','):
            if prec == 'fp16' and dev.type != 'cuda': continue
            if prec == 'bf16' and dev.type == 'cuda' and not torch.cuda.is_bf16_supported(): continue
            for last in cl:
                fmt = torch.channels_last if last else torch.contiguous_format
                set_seed(0)
                model = resnet18(10).to(dev, memory_format=fmt).train()
                opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
                scaler = torch.amp.GradScaler(dev.type) if prec == 'fp16' else None
                after = dls['batch'].train.after_batch
                train_epoch(model, opt, resident[:3], after, dtypes[prec], fmt, sync, scaler)   # warm-up
                times = {k: [] for k in pipes}
                for _ in range(a.rounds):
                    for k in pipes:
                        if k == 'resident': s, n = train_epoch(model, opt, resident, after, dtypes[prec], fmt, sync, scaler)
                        else: s, n = train_epoch(model, opt, dls[k].train, None, dtypes[prec], fmt, sync, scaler)
                        times[k].append(s)
                med = {k: statistics.median(v) for k, v in times.items()}
                lim = med.get('resident')
                print(f'{prec} {"channels-last" if last else "contiguous  "}: ' + '   '.join(
                    f'{k} {med[k]:6.1f} s' + (f' ({med[k]/lim:4.2f}x limit)' if lim and k != 'resident' else '') for k in pipes),
                    flush=True)
    finally:
        if not a.dir: shutil.rmtree(scratch, ignore_errors=True)


if __name__ == '__main__': main()
