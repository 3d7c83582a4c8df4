"The fast data path: the cache is rebuilt when stale, partial or corrupt, never deletes what it did not make, and feeds the same data as the book's pipeline."
import json, os, shutil
from pathlib import Path
import numpy as np
import pytest
from resnet_course.fastdata import build_cache, check_cache, ImageCache, fast_dataloaders, default_cache_dir
from resnet_course.data import get_data, setup_data, Setup


def small_tree(src: Path, dest: Path, n_train=12, n_val=4):
    "A copy of `n_train`/`n_val` images per class of the digits tree (fast to cache)"
    for split, n in (('train', n_train), ('val', n_val)):
        for cls in sorted((src/split).iterdir()):
            (dest/split/cls.name).mkdir(parents=True)
            for f in sorted(cls.iterdir())[:n]: shutil.copy2(f, dest/split/cls.name/f.name)
    return dest


def wide_tree(dest: Path):
    "A few non-square JPEGs (64x32 and 32x48) with a horizontal/vertical ramp, so where a crop is taken shows"
    from PIL import Image
    for split in ('train', 'val'):
        for k, (w, h) in enumerate([(64, 32), (32, 48)]):
            d = dest/split/f'c{k}'; d.mkdir(parents=True)
            x = np.linspace(0, 255, max(w, h)).astype(np.uint8)
            a = np.broadcast_to(x[None, :w, None] if w > h else x[:h, None, None], (h, w, 3)).copy()
            Image.fromarray(a).save(d/'a.png')
    return dest


@pytest.fixture
def tree(digits_tree, tmp_path):
    return small_tree(digits_tree, tmp_path/'data')


def test_cache_layout_and_reuse(tree, tmp_path, capsys):
    dest = build_cache(tree, 32, tmp_path/'c', num_workers=0)
    assert 'building' in capsys.readouterr().out
    assert {p.name for p in dest.iterdir()} == {'.resnet_course_cache', 'COMPLETE', 'manifest.json', 'train.u8', 'val.u8'}
    man = json.loads((dest/'manifest.json').read_text())
    assert len(man['splits']['train']['files']) == 120 and len(man['splits']['val']['files']) == 40
    assert man['splits']['train']['labels'][0] == 'digit_0'
    done = (dest/'COMPLETE').stat().st_mtime_ns
    build_cache(tree, 32, tmp_path/'c', num_workers=0)   # up to date: reused, not rebuilt
    assert capsys.readouterr().out == '' and (dest/'COMPLETE').stat().st_mtime_ns == done
    c = ImageCache(dest)
    from PIL import Image
    f = sorted(c.index)[0]
    assert c[f].dtype == np.uint8 and c[f].shape == (3, 32, 32)
    assert np.abs(c[f].transpose(1, 2, 0).astype(int) - np.asarray(Image.open(f).convert('RGB'))).max() <= 1  # same pixels (32 px source)


def _flip_first_byte(dest, tree):
    with open(dest/'train.u8', 'r+b') as f: b = f.read(1); f.seek(0); f.write(bytes([b[0] ^ 0xFF]))

def _touch_source(dest, tree):
    f = next((tree/'val'/'digit_1').iterdir()); os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))

def _new_source(dest, tree):
    f = next((tree/'train'/'digit_2').iterdir()); shutil.copy(f, f.with_name('new.jpg'))

def _removed_source(dest, tree):
    next((tree/'train'/'digit_4').iterdir()).unlink()

DAMAGE = {
    'partial: no COMPLETE': lambda d, t: (d/'COMPLETE').unlink(),
    'corrupt: truncated data': lambda d, t: os.truncate(d/'val.u8', 100),
    'corrupt: garbage manifest': lambda d, t: (d/'manifest.json').write_text('{"version": 1, "splits'),
    'corrupt: manifest of another presize': lambda d, t: (d/'manifest.json').write_text(json.dumps({**json.loads((d/'manifest.json').read_text()), 'presize': 99})),
    'corrupt: flipped byte': _flip_first_byte,
    'stale: touched file': _touch_source,
    'stale: new file': _new_source,
    'stale: removed file': _removed_source,
}

@pytest.mark.parametrize('damage', list(DAMAGE))
def test_stale_partial_or_corrupt_cache_is_rebuilt(tree, tmp_path, damage):
    dest = build_cache(tree, 32, tmp_path/'c', num_workers=0, verbose=False)
    DAMAGE[damage](dest, tree)
    assert check_cache(dest, tree, 32) is not None, 'damage not detected'
    assert build_cache(tree, 32, tmp_path/'c', num_workers=0, verbose=False) == dest
    assert check_cache(dest, tree, 32, verify='full') is None
    fresh = build_cache(tree, 32, tmp_path/'fresh', num_workers=0, verbose=False)
    assert (dest/'train.u8').read_bytes() == (fresh/'train.u8').read_bytes() and (dest/'val.u8').read_bytes() == (fresh/'val.u8').read_bytes()
    assert [p.name for p in tmp_path.iterdir() if '.tmp-' in p.name or '.old-' in p.name] == []


def test_full_verify_reads_every_byte(tree, tmp_path):
    dest = build_cache(tree, 32, tmp_path/'c', num_workers=0, verbose=False)
    n = (dest/'train.u8').stat().st_size
    def flip(off):
        with open(dest/'train.u8', 'r+b') as f: f.seek(off); b = f.read(1); f.seek(off); f.write(bytes([b[0] ^ 1]))
    for off in range(0, n, 997):
        flip(off)
        if check_cache(dest, tree, 32) is None:   # the quick (sampled) check missed this byte ...
            assert check_cache(dest, tree, 32, verify='full') == 'corrupt: train.u8 full digest differs'   # ... the full one does not
            break
        flip(off)
    else: pytest.fail('the quick check sampled every byte: use a larger tree')


def test_parallel_build_equals_serial(tree, tmp_path):
    a = build_cache(tree, 32, tmp_path/'a', num_workers=0, verbose=False)
    b = build_cache(tree, 32, tmp_path/'b', num_workers=2, verbose=False)
    assert (a/'train.u8').read_bytes() == (b/'train.u8').read_bytes() and (a/'val.u8').read_bytes() == (b/'val.u8').read_bytes()


def test_never_deletes_what_it_did_not_make(tree, tmp_path):
    mine = tmp_path/'mine'; mine.mkdir(); (mine/'thesis.txt').write_text('precious')
    with pytest.raises(FileExistsError, match='not made by resnet_course.fastdata'): build_cache(tree, 32, mine, num_workers=0)
    assert (mine/'thesis.txt').read_text() == 'precious'
    dead = tmp_path/'c.tmp-999999999-0000abcd'; dead.mkdir(); (dead/'.resnet_course_cache').write_text('')   # a dead builder's leftover
    foreign = tmp_path/'c.tmp-999999998-0000abcd'; foreign.mkdir(); (foreign/'keep.txt').write_text('x')   # same pattern, not ours
    build_cache(tree, 32, tmp_path/'c', num_workers=0, verbose=False)
    assert not dead.exists() and (foreign/'keep.txt').exists()


def test_default_cache_dir_under_data_home(tree, monkeypatch, tmp_path):
    monkeypatch.setenv('RESNET_COURSE_HOME', str(tmp_path/'home'))
    d = default_cache_dir(tree, 40)
    assert d.parent == tmp_path/'home'/'fastdata' and d.name.startswith('data-') and d.name.endswith('-40')


def test_same_items_labels_vocab_and_validation_batches_as_the_book(tree, tmp_path):
    import torch
    from fastai.vision.all import set_seed
    set_seed(0); book = get_data(tree, 40, 32, bs=16, num_workers=0)
    set_seed(0); fast = get_data(tree, 40, 32, bs=16, num_workers=0, fast=True, cache_dir=tmp_path/'c')
    assert list(fast.vocab) == list(book.vocab)
    assert list(fast.valid_ds.items) == list(book.valid_ds.items) and sorted(fast.train_ds.items) == sorted(book.train_ds.items)
    assert [int(y) for _, y in fast.valid_ds] == [int(y) for _, y in book.valid_ds]
    vb, vf = list(book.valid), list(fast.valid)
    assert len(vb) == len(vf) == 3
    for (xb, yb), (xf, yf) in zip(vb, vf): assert torch.equal(xb, xf) and torch.equal(yb, yf)
    set_seed(1); xb = torch.cat([b[0] for b in book.train]); set_seed(1); xf = torch.cat([b[0] for b in fast.train])
    assert xb.shape == xf.shape and abs(float(xb.mean() - xf.mean())) < 0.15 and abs(float(xb.std() - xf.std())) < 0.15


def test_workers_read_the_cache(tree, tmp_path):
    import torch
    a = fast_dataloaders(tree, 32, 32, bs=16, num_workers=0, cache_dir=tmp_path/'c')
    b = fast_dataloaders(tree, 32, 32, bs=16, num_workers=2, cache_dir=tmp_path/'c')
    for (x0, y0), (x1, y1) in zip(a.valid, b.valid): assert torch.equal(x0, x1) and torch.equal(y0, y1)
    assert sum(len(y) for _, y in b.train) == (120//16)*16   # drop_last on the training set, as in the book


def _cached_image(tl): return next(f for f in tl.tfms.fs if type(f).__name__ == 'CachedImage')


def test_training_crops_move_like_the_books_resize(tmp_path, monkeypatch):
    "A random square along the long side every epoch (as fastai's Resize); validation is the centre square"
    import torch, random
    from fastai.vision.all import Resize, PILImage
    tree = wide_tree(tmp_path/'wide')
    dls = fast_dataloaders(tree, 24, 24, bs=2, num_workers=0, cache_dir=tmp_path/'c')
    tl = dls.train_ds.tls[0]; tfm = _cached_image(tl)
    i = next(i for i, f in enumerate(tl.items) if f.parent.name == 'c0')   # 64x32: the square can move sideways
    crops = set()
    for s in range(20): random.seed(s); crops.add(tuple(tl[i][0, 0].tolist()))
    assert len(crops) > 5
    for p in [0., 0.5, 1.]:   # the same square as the book's Resize (same random draw), within interpolation error
        monkeypatch.setattr(random, 'random', lambda: p)
        fast = tfm(tl.items[i], split_idx=0).float()
        book = torch.from_numpy(np.asarray(Resize(24)(PILImage.create(tl.items[i]), split_idx=0))).permute(2, 0, 1).float()
        assert fast.shape == book.shape == (3, 24, 24) and (fast - book).abs().mean() < 3, (p, (fast - book).abs().mean())
    monkeypatch.undo()
    vl = dls.valid_ds.tls[0]
    assert all(torch.equal(vl[j], vl[j]) for j in range(len(vl)))   # validation: the centre, every time


def test_augmentation_runs_on_the_batch(tree, tmp_path):
    import torch
    dls = fast_dataloaders(tree, 40, 32, bs=8, num_workers=0, cache_dir=tmp_path/'c')
    dl = dls.train.new(shuffle=False)
    raw = dl.do_batch([dl.do_item(i) for i in range(8)])
    assert raw[0].dtype == torch.uint8 and tuple(raw[0].shape) == (8, 3, 40, 40)   # items: uint8 presize squares
    names = [type(t).__name__ for t in dl.after_batch.fs]
    assert names[0] == 'IntToFloatTensor' and 'RandomResizedCropGPU' in names and 'Flip' in names and names[-1] == 'Normalize'
    x1, x2 = dl.after_batch(raw)[0], dl.after_batch(raw)[0]
    assert tuple(x1.shape) == (8, 3, 32, 32) and x1.dtype == torch.float32 and not torch.equal(x1, x2)
    book = get_data(tree, 40, 32, bs=8, num_workers=0)
    assert [type(t).__name__ for t in book.train.after_batch.fs] == names   # the same batch transforms as the book


def test_setup_data_switches_with_one_argument(tree, monkeypatch, tmp_path):
    monkeypatch.setenv('RESNET_COURSE_HOME', str(tmp_path/'home'))
    s = Setup('offline', tree, 40, 32, 16, 1)
    dls = setup_data(s, fast=True)
    _cached_image(dls.train_ds.tls[0])
    with pytest.raises(StopIteration): _cached_image(setup_data(s).train_ds.tls[0])
    assert (tmp_path/'home'/'fastdata').is_dir()


def _raw_epochs(dl, num_workers, seed, epochs=2):
    "The uint8 training batches (before the batch transforms) of `epochs` passes of a copy of `dl`, seeded with `seed`"
    import random, torch
    d = dl.new(after_batch=[], num_workers=num_workers)
    d.in_process = num_workers == 0   # really use worker processes when asked to
    d.rng = random.Random(seed)
    return [[(x.clone(), y.clone()) for x, y in d] for _ in range(epochs)]


def test_batch_path_is_the_default_and_cuts_the_item_paths_squares(tmp_path):
    "`get_data(fast=True)` cuts whole batches; each image is the same square the per-item path cuts at the same position"
    import torch
    tree = wide_tree(tmp_path/'wide')
    dls = fast_dataloaders(tree, 24, 24, bs=2, num_workers=0, cache_dir=tmp_path/'c')
    assert type(dls.train).__name__ == 'BatchCacheDL' and type(dls.valid).__name__ == 'BatchCacheDL'
    assert type(fast_dataloaders(tree, 24, 24, bs=2, num_workers=0, cache_dir=tmp_path/'c', batch=False).train).__name__ == 'TfmdDL'
    dl = dls.train.new(after_batch=[], shuffle=False)
    dl.before_iter()
    assert dl._p is not None, 'fell back to the per-item path'
    tl = dls.train_ds.tls[0]; tfm = _cached_image(tl)
    idxs = np.arange(len(tl.items))
    for p in [0., 0.3, 0.5, 1.]:
        dl._pcts = np.tile([p, 1 - p], (len(idxs), 1))   # (along the width, along the height), as fastai's Resize
        x, y = dl._cut(idxs)
        tfm.pcts = (p, 1 - p)
        for j in idxs:
            assert torch.equal(x[j], tfm.encodes(tl.items[j])), (p, j)
        assert y.tolist() == [int(dls.train_ds[j][1]) for j in idxs]


def test_batch_path_depends_on_the_seed_only_not_on_workers(tmp_path):
    import torch
    tree = wide_tree(tmp_path/'wide')
    for k in range(6): shutil.copy(tree/'train'/'c0'/'a.png', tree/'train'/'c0'/f'b{k}.png')   # 7 wide images: squares can move
    dls = fast_dataloaders(tree, 24, 24, bs=3, num_workers=0, cache_dir=tmp_path/'c')
    a, b, c = _raw_epochs(dls.train, 0, seed=5), _raw_epochs(dls.train, 2, seed=5), _raw_epochs(dls.train, 0, seed=6)
    same = lambda u, v: len(u) == len(v) and all(torch.equal(p[0], q[0]) and torch.equal(p[1], q[1]) for p, q in zip(u, v))
    assert all(same(u, v) for u, v in zip(a, b)), 'batches changed with the number of workers'
    assert not same(a[0], a[1]), 'the same batches in two epochs: squares or order never move'
    assert not same(a[0], c[0]), 'another seed gave the same batches'
    assert sum(len(y) for _, y in a[0]) == 6   # drop_last on the training set, as in the book
