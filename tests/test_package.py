"Packaging: the import stays light, the notebooks are clean and in sync with the module, README agrees with index.ipynb."
import os, shutil, subprocess, sys, filecmp
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_import_is_light():
    code = "import sys, resnet_course; bad = [m for m in ('torch', 'fastai', 'matplotlib') if m in sys.modules]; print(bad)"
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == '[]'
    code = "import sys, resnet_course.resnet, resnet_course.data, resnet_course.cli; print([m for m in sys.modules if m.startswith('fastai')])"
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == '[]'   # the models need only torch; fastai loads when data or training is used


def _copy_project(dst):
    for name in ('nbs', 'resnet_course', 'settings.ini', 'setup.py', 'README.md'):
        src = ROOT/name
        if src.is_dir(): shutil.copytree(src, dst/name, ignore=shutil.ignore_patterns('__pycache__', '.ipynb_checkpoints'))
        else: shutil.copy(src, dst/name)


def _diff_trees(a, b):
    cmp = filecmp.dircmp(a, b, ignore=['__pycache__', '.ipynb_checkpoints'])
    out = [f'{a}/{n}' for n in cmp.diff_files + cmp.left_only + cmp.right_only]
    for sub in cmp.common_dirs: out += _diff_trees(Path(a)/sub, Path(b)/sub)
    return out


def test_module_in_sync_with_notebooks(tmp_path):
    "nbdev_export in a copy of the project changes nothing in resnet_course/"
    _copy_project(tmp_path)
    subprocess.run([BIN/'nbdev_export'], cwd=tmp_path, check=True, capture_output=True)
    assert not _diff_trees(ROOT/'resnet_course', tmp_path/'resnet_course'), 'run `make export` (nbdev_export) and commit'


def test_notebooks_are_clean(tmp_path):
    "nbdev_clean in a copy of the project changes no notebook (nbgrader's cell metadata is allowed)"
    _copy_project(tmp_path)
    subprocess.run([BIN/'nbdev_clean'], cwd=tmp_path, check=True, capture_output=True)
    source = tmp_path/'nbs'/'_course'/'source'   # release/ is nbgrader's output, checked against generate_assignment instead
    if source.exists(): subprocess.run([BIN/'nbdev_clean', '--fname', str(source)], cwd=tmp_path, check=True, capture_output=True)
    assert not _diff_trees(ROOT/'nbs', tmp_path/'nbs'), 'run `make export` (nbdev_clean) and commit'


def test_readme_matches_index():
    "README.md is nbs/index.ipynb rendered by `make readme` (nbconvert, since Quarto cannot be installed here)"
    out = subprocess.run([BIN/'jupyter', 'nbconvert', '--to', 'markdown', '--stdout', ROOT/'nbs'/'index.ipynb'],
                         capture_output=True, text=True, check=True).stdout
    assert (ROOT/'README.md').read_text() == out, 'run `make readme` and commit'
