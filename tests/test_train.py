"`resnet-course train`: outputs written, resume really resumes, options take effect, one-line errors, data-parallel under accelerate."
import csv, importlib.util, json, os, shutil, subprocess, sys
from pathlib import Path
import pytest
from resnet_course.train import train, main, load_trained, add_train_parser, train_cmd

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope='module')
def tree(digits_tree, tmp_path_factory):
    "40 training and 10 validation digits per class: a few batches per epoch"
    dest = tmp_path_factory.mktemp('train')/'data'
    for split, n in (('train', 40), ('val', 10)):
        for cls in sorted((digits_tree/split).iterdir()):
            (dest/split/cls.name).mkdir(parents=True)
            for f in sorted(cls.iterdir())[:n]: shutil.copy2(f, dest/split/cls.name/f.name)
    return dest


@pytest.fixture(autouse=True)
def home(monkeypatch, tmp_path):
    monkeypatch.setenv('RESNET_COURSE_HOME', str(tmp_path/'home'))   # caches of this test only


KW = dict(model='fcn', size=32, presize=32, bs=32, lr=1e-2, bar=False)


def test_outputs_written(tree, tmp_path):
    r = train(data=str(tree), epochs=2, out=tmp_path/'run', **KW)
    out = tmp_path/'run'
    rows = list(csv.DictReader(open(out/'metrics.csv')))
    assert [int(x['epoch']) for x in rows] == [1, 2]
    assert {'train_loss', 'valid_loss', 'accuracy', 'top5', 'seconds', 'train_batches'} <= set(rows[0])
    assert all(0 <= float(x['accuracy']) <= float(x['top5']) <= 1 for x in rows)
    assert int(rows[0]['train_batches']) == 400//32
    assert (out/'curves.png').read_bytes()[:8] == b'\x89PNG\r\n\x1a\n' and (out/'curves.png').stat().st_size > 5000
    cfg = json.loads((out/'config.json').read_text())
    assert (cfg['model'], cfg['epochs'], cfg['size'], cfg['precision'], cfg['fast'], cfg['world_size']) == ('fcn', 2, 32, 'fp32', True, 1)
    import torch
    model, vocab = load_trained(out)
    assert vocab == [f'digit_{i}' for i in range(10)] and model(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
    assert [p.name for p in out.iterdir() if '.tmp-' in p.name] == []   # every file was renamed into place


def test_resume_really_resumes(tree, tmp_path):
    "Two epochs in one go == one epoch, an interruption, and a resume: the same weights and the same metrics"
    import torch
    a = train(data=str(tree), epochs=2, out=tmp_path/'a', **KW)
    b1 = train(data=str(tree), epochs=2, out=tmp_path/'b', stop_after=1, **KW)
    assert [r['epoch'] for r in b1['rows']] == [1] and not (tmp_path/'b'/'model.pth').exists()
    b2 = train(out=tmp_path/'b', resume=True, bar=False)   # every option comes from the saved run
    assert [r['epoch'] for r in b2['rows']] == [1, 2]
    n = len(b1['learn'].recorder.hps['lr'])   # batches of the first epoch
    assert b2['learn'].recorder.hps['lr'] == pytest.approx(a['learn'].recorder.hps['lr'][n:])   # the schedule continues, it does not restart
    sa, sb = torch.load(tmp_path/'a'/'model.pth')['state_dict'], torch.load(tmp_path/'b'/'model.pth')['state_dict']
    assert sa.keys() == sb.keys() and all(torch.allclose(sa[k].float(), sb[k].float(), atol=1e-5) for k in sa)
    key = lambda rows: [(r['epoch'], round(r['valid_loss'], 4), r['accuracy']) for r in rows]
    assert key(a['rows']) == key(b2['rows'])
    assert train(out=tmp_path/'b', resume=True, bar=False)['rows'] == b2['rows']   # nothing left to do


def test_options_take_effect(tree, tmp_path):
    import torch
    from fastai.vision.all import MixUp, LabelSmoothingCrossEntropyFlat
    r = train(data=str(tree), epochs=1, out=tmp_path/'run', label_smoothing=0.1, mixup=0.4, channels_last=True,
              fast=False, **KW)
    learn = r['learn']
    assert isinstance(learn.loss_func, LabelSmoothingCrossEntropyFlat) and learn.loss_func.eps == 0.1
    assert any(isinstance(c, MixUp) for c in learn.cbs)
    w = next(p for p in learn.model.parameters() if p.dim() == 4)
    assert w.is_contiguous(memory_format=torch.channels_last) and not w.is_contiguous()
    assert type(learn.dls.train_ds.tls[0].tfms.fs[-1]).__name__ != 'CachedImage'   # --no-fast: the book's pipeline
    assert (tmp_path/'run'/'model.pth').exists()


def one_line_error(argv):
    with pytest.raises(SystemExit) as e: main(argv)
    msg = str(e.value)
    assert msg.startswith('resnet-course train: error: ') and '\n' not in msg
    return msg


def test_bad_input_is_a_one_line_error(tree, tmp_path):
    base = ['--data', str(tree), '--model', 'fcn', '--no-bar']
    assert 'epochs must be at least 1' in one_line_error(base + ['--epochs', '0', '--out', str(tmp_path/'x')])
    assert 'size must be at least 32' in one_line_error(base + ['--size', '16', '--out', str(tmp_path/'x')])
    assert 'does not exist' in one_line_error(['--data', str(tmp_path/'nowhere'), '--out', str(tmp_path/'x')])
    assert 'nothing to resume' in one_line_error(['--resume', '--out', str(tmp_path/'empty')])
    assert 'stop_after must be between 1 and epochs' in one_line_error(base + ['--epochs', '1', '--stop-after', '3', '--out', str(tmp_path/'x')])
    import torch
    if not torch.cuda.is_available():
        assert 'needs a CUDA GPU' in one_line_error(base + ['--precision', 'fp16', '--out', str(tmp_path/'x')])
        assert 'needs a CUDA GPU' in one_line_error(base + ['--precision', 'bf16', '--out', str(tmp_path/'x')])
    assert not (tmp_path/'x').exists()   # nothing written for a refused run
    train(data=str(tree), epochs=2, stop_after=1, out=tmp_path/'run', **KW)
    assert 'already holds a run' in one_line_error(base + ['--out', str(tmp_path/'run')])
    assert "epochs is 2 in the saved run, not 3" in one_line_error(['--resume', '--epochs', '3', '--out', str(tmp_path/'run')])
    (tmp_path/'run'/'checkpoint.pth').write_bytes(b'not a checkpoint')
    assert 'cannot read' in one_line_error(['--resume', '--out', str(tmp_path/'run')])


def test_subcommand_parser():
    import argparse
    p = argparse.ArgumentParser(prog='resnet-course'); add_train_parser(p.add_subparsers(dest='cmd'))
    a = p.parse_args(['train', '--model', 'resnet34', '--data', 'imagenette320', '--precision', 'bf16', '--channels-last',
                      '--label-smoothing', '0.1', '--mixup', '0.2', '--epochs', '20', '--resume'])
    assert (a.model, a.data, a.precision, a.channels_last, a.label_smoothing, a.mixup, a.epochs, a.resume, a.fast, a.func) == \
           ('resnet34', 'imagenette320', 'bf16', True, 0.1, 0.2, 20, True, None, train_cmd)
    with pytest.raises(SystemExit): p.parse_args(['train', '--model', 'resnet99'])


@pytest.mark.skipif(importlib.util.find_spec('accelerate') is None,
                    reason='accelerate is not installed (pip install accelerate): data-parallel training cannot be launched')
def test_two_process_data_parallel_on_cpu(tree, tmp_path):
    "accelerate launch --multi_gpu --num_processes 2 without GPUs: two processes train (gloo), each on half of the batches; one writes the files"
    env = {**os.environ, 'PYTHONPATH': str(ROOT), 'OMP_NUM_THREADS': '1', 'RESNET_COURSE_HOME': str(tmp_path/'home')}
    cmd = [sys.executable, '-m', 'accelerate.commands.launch', '--multi_gpu', '--num_processes', '2', '--num_machines', '1',
           '--mixed_precision', 'no', '--dynamo_backend', 'no', '-m', 'resnet_course.train',
           '--data', str(tree), '--model', 'fcn', '--size', '32', '--presize', '32', '--bs', '32', '--epochs', '1',
           '--out', str(tmp_path/'ddp'), '--no-bar']
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    assert p.stdout.count('epoch 1/1: accuracy') == 1   # only the first process reports
    assert json.loads((tmp_path/'ddp'/'config.json').read_text())['world_size'] == 2
    rows = list(csv.DictReader(open(tmp_path/'ddp'/'metrics.csv')))
    assert int(rows[0]['train_batches']) == (400//32 + 1)//2   # each process: half of the 12 batches
    assert (tmp_path/'ddp'/'model.pth').exists()


_NO_ACCELERATE = """import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == 'accelerate' or name.startswith('accelerate.'): raise ModuleNotFoundError(f"No module named {name!r}")
sys.meta_path.insert(0, Block())
from resnet_course.train import main
main(sys.argv[1:])
"""

def test_train_without_accelerate(tmp_path):
    "Without the accelerate package: one process trains; a data-parallel launch gets a one-line message, not NameError"
    env = dict(os.environ, RESNET_COURSE_DATA='offline', RESNET_COURSE_HOME=str(tmp_path/'home'), OMP_NUM_THREADS='1')
    args = ['--model', 'fcn', '--data', 'offline', '--epochs', '1', '--no-bar', '--no-fast']
    r = subprocess.run([sys.executable, '-c', _NO_ACCELERATE, *args, '--out', str(tmp_path/'one')], capture_output=True, text=True, env=env)
    assert r.returncode == 0 and (tmp_path/'one'/'model.pth').exists(), r.stderr[-2000:]
    r = subprocess.run([sys.executable, '-c', _NO_ACCELERATE, *args, '--out', str(tmp_path/'two')], capture_output=True, text=True,
                       env=dict(env, WORLD_SIZE='2', RANK='0', LOCAL_RANK='0'))
    last = r.stderr.strip().splitlines()[-1]
    assert r.returncode == 1 and 'pip install accelerate' in last and 'Traceback' not in r.stderr, r.stderr[-2000:]
