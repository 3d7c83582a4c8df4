"""A clean install with only the runtime requirements, as a student or a programmer gets it (`make check-install`).

In a throwaway virtual environment: `pip install .` (no dev extras: the newest torch, fastai and fastcore the registry
offers within the requirements), then import every public module, check that `import resnet_course` stays light, build
every model and run a forward pass, train the plain net for one epoch on the offline digits, and run `resnet-course
--help` and `resnet-course train --help`. Prints the versions it tested and how long it took.

Not part of `make test`: it installs torch (with its CUDA libraries: GBs) into a new environment, which takes minutes.

    python tests/check_install.py [--python PYTHON] [--keep]     # default PYTHON: pyenv's newest 3.12, else this one
"""
import argparse, glob, json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHECK = r'''
import importlib, pkgutil, subprocess, sys, json, os, time
out = {}
r = subprocess.run([sys.executable, '-c', "import sys, resnet_course; print([m for m in ('torch', 'fastai', 'matplotlib') if m in sys.modules])"], capture_output=True, text=True, check=True)
assert r.stdout.strip() == '[]', 'import resnet_course loaded ' + r.stdout
import resnet_course
assert 'site-packages' in resnet_course.__file__, f'not the installed package: {resnet_course.__file__}'
mods = sorted(m.name for m in pkgutil.iter_modules(resnet_course.__path__) if not m.name.startswith('_'))
for m in mods: importlib.import_module('resnet_course.' + m)
out['modules'] = mods
import torch
from resnet_course.train import ARCHS, make_model
for name in ARCHS:
    m = make_model(name, 10).eval()
    with torch.no_grad(): y = m(torch.randn(2, 3, 64, 64))
    assert tuple(y.shape) == (2, 10), (name, y.shape)
out['models'] = list(ARCHS)
import numpy, fastai, fastcore, matplotlib
out['versions'] = dict(python=sys.version.split()[0], torch=torch.__version__, fastai=fastai.__version__, fastcore=fastcore.__version__,
                       numpy=numpy.__version__, matplotlib=matplotlib.__version__, resnet_course=resnet_course.__version__)
out['nbformat_installed'] = importlib.util.find_spec('nbformat') is not None
out['accelerate_installed'] = importlib.util.find_spec('accelerate') is not None
print(json.dumps(out))
'''

def run(cmd, **kw):
    shown = ' '.join(map(str, cmd)); print('$', shown if len(shown) < 200 else shown[:120] + ' ...', flush=True)
    return subprocess.run(cmd, check=True, **kw)

def default_python():
    found = sorted(glob.glob(os.path.expanduser('~/.pyenv/versions/3.12*/bin/python3')))
    return found[-1] if found else sys.executable

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--python', default=None, help='the interpreter to test (default: pyenv 3.12 if present, else this one)')
    p.add_argument('--keep', action='store_true', help='keep the environment (printed at the end)')
    a = p.parse_args(argv)
    py = a.python or default_python()
    t0 = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix='resnet_course-install-'))
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'VIRTUAL_ENV', 'PYTHONHOME')}
    env.update(RESNET_COURSE_DATA='offline', RESNET_COURSE_HOME=str(work/'home'), OMP_NUM_THREADS='1', MPLBACKEND='Agg')
    try:
        run([py, '-m', 'venv', work/'venv'], env=env)
        bin_ = work/'venv'/'bin'
        t = time.perf_counter()
        run([bin_/'python', '-m', 'pip', 'install', '-q', str(ROOT)], env=env, cwd=work)   # runtime requirements only
        t_pip = time.perf_counter() - t
        r = run([bin_/'python', '-c', CHECK], env=env, cwd=work, capture_output=True, text=True)
        info = json.loads(r.stdout.strip().splitlines()[-1])
        print('modules imported:', ', '.join(info['modules'])); print('models built and run forward:', ', '.join(info['models']))
        print('without nbformat' if not info['nbformat_installed'] else 'nbformat present', '/',
              'without accelerate' if not info['accelerate_installed'] else 'accelerate present')
        run([bin_/'resnet-course', '--help'], env=env, cwd=work, stdout=subprocess.DEVNULL)
        run([bin_/'resnet-course', 'train', '--help'], env=env, cwd=work, stdout=subprocess.DEVNULL)
        t = time.perf_counter()
        run([bin_/'resnet-course', 'train', '--model', 'fcn', '--data', 'offline', '--epochs', '1', '--no-bar', '--out', work/'run'], env=env, cwd=work)
        t_train = time.perf_counter() - t
        size = sum(f.stat().st_size for f in (work/'venv').rglob('*') if f.is_file()) / 2**30
        v = ' '.join(f'{k} {x}' for k, x in info['versions'].items())
        print(f'check-install passed: {v}; pip install {t_pip:.0f} s, environment {size:.1f} GiB, one offline epoch {t_train:.0f} s, '
              f'{time.perf_counter() - t0:.0f} s in all')
    except subprocess.CalledProcessError as e:
        if getattr(e, 'stderr', None): print(e.stderr[-4000:], file=sys.stderr)
        sys.exit(f'check-install failed: {" ".join(map(str, e.cmd))} (exit status {e.returncode})')
    finally:
        if a.keep: print(f'environment kept in {work}/venv')
        else: shutil.rmtree(work, ignore_errors=True)

if __name__ == '__main__': main()
