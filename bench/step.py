"""Training-step time: our ResNet-18/-50 vs fastai's xresnet18/xresnet50 on the same random input.

One step = forward, cross-entropy, backward, SGD-with-momentum update. The four models are timed in interleaved
rounds (ours, fastai's, ours, ...) so that a change in machine load hits both sides alike; the median step time of
each, the ratio of the medians and the median of the per-round ratios (ours/fastai's, each from adjacent timings)
are printed. On a CPU the default is a small setting (batch 16, 64 px, one thread:
with two threads on a shared 2-core machine the timings were several times noisier) so that the whole run takes a
minute or two; on a GPU pass e.g. `--bs 64 --size 128 --device cuda`.

Usage: python bench/step.py [--bs 16] [--size 64] [--rounds 7] [--steps 3] [--threads 1] [--device cpu] [--channels-last]
"""
import argparse, os, statistics, time


def step_time(model, x, y, opt, steps, sync):
    import torch.nn.functional as F
    t = time.perf_counter()
    for _ in range(steps):
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()
    sync()
    return (time.perf_counter() - t)/steps


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--bs', type=int, default=16)
    p.add_argument('--size', type=int, default=64)
    p.add_argument('--rounds', type=int, default=7, help='interleaved rounds (the median is reported)')
    p.add_argument('--steps', type=int, default=3, help='steps per model per round')
    p.add_argument('--device', default='cpu')
    p.add_argument('--channels-last', action='store_true')
    p.add_argument('--threads', type=int, default=1, help='torch CPU threads (default 1)')
    a = p.parse_args(argv)
    import torch
    torch.set_num_threads(a.threads)
    from fastai.vision.models.xresnet import xresnet18, xresnet50
    from resnet_course.resnet import resnet18, resnet50
    torch.manual_seed(0)
    dev = torch.device(a.device)
    sync = (lambda: torch.cuda.synchronize()) if dev.type == 'cuda' else (lambda: None)
    fmt = torch.channels_last if a.channels_last else torch.contiguous_format
    x = torch.randn(a.bs, 3, a.size, a.size, device=dev).contiguous(memory_format=fmt)
    y = torch.randint(0, 10, (a.bs,), device=dev)
    pairs = [('resnet18', resnet18, xresnet18), ('resnet50', resnet50, xresnet50)]
    models = {}
    for name, ours, theirs in pairs:
        for who, make in (('ours', lambda: ours(10)), ('fastai', lambda: theirs(n_out=10))):
            m = make().to(dev, memory_format=fmt).train()
            models[(name, who)] = (m, torch.optim.SGD(m.parameters(), lr=1e-3, momentum=0.9))
    n_params = {k: sum(p.numel() for p in m.parameters()) for k, (m, _) in models.items()}
    print(f'device {dev} ({torch.get_num_threads()} threads), torch {torch.__version__}, batch {a.bs} x 3 x {a.size} x {a.size}, '
          f'{a.rounds} interleaved rounds x {a.steps} steps', flush=True)
    for k, (m, o) in models.items(): step_time(m, x, y, o, 1, sync)   # warm-up (allocator, kernels)
    times = {k: [] for k in models}
    for r in range(a.rounds):
        for k, (m, o) in models.items(): times[k].append(step_time(m, x, y, o, a.steps, sync))
    for name, _, _ in pairs:
        ours, theirs = statistics.median(times[(name, 'ours')]), statistics.median(times[(name, 'fastai')])
        per_round = [o/t for o, t in zip(times[(name, 'ours')], times[(name, 'fastai')])]
        print(f"{name}: ours {ours*1e3:8.1f} ms/step  fastai x{name} {theirs*1e3:8.1f} ms/step  ratio of medians {ours/theirs:5.3f}  "
              f"median of per-round ratios {statistics.median(per_round):5.3f}  (params {n_params[(name, 'ours')]:,} vs "
              f"{n_params[(name, 'fastai')]:,}; per-round ratios {[round(r, 3) for r in per_round]})", flush=True)


if __name__ == '__main__': main()
