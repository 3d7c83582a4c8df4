"Colab: every lesson's badge and install cell match settings.ini; plots saved by the package leave the session's plots alone."
import json, os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_lesson_matches_settings():
    "The first cells of every numbered notebook (and every Colab link) are what `python -m resnet_course.colab --fix` writes"
    r = subprocess.run([sys.executable, '-m', 'resnet_course.colab', '--root', str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr + '\nrun `python -m resnet_course.colab --fix`, then nbdev_clean, and commit'


def test_sync_fixes_a_new_lesson_and_a_new_host(tmp_path):
    "A lesson without the cells (as a new one arrives) is detected and fixed; so is a change of host in settings.ini"
    from resnet_course.colab import sync_course, BADGE_ID, INSTALL_ID
    (tmp_path/'nbs').mkdir()
    ini = (ROOT/'settings.ini').read_text().replace('user = resnet-course', 'user = someone').replace('branch = main', 'branch = fall26')
    (tmp_path/'settings.ini').write_text(ini.replace('git_url = https://github.com/resnet-course/resnet_course', 'git_url = https://github.com/someone/resnet_course'))
    cells = [dict(cell_type='markdown', id='a', metadata={}, source=['# New lesson\n', '\n', '> A summary.']),
             dict(cell_type='code', id='b', metadata={}, outputs=[], execution_count=None, source=['#| default_exp landscape']),
             dict(cell_type='code', id='c', metadata={}, outputs=[], execution_count=None, source=['x = 1'])]
    nb = tmp_path/'nbs'/'02a_landscape.ipynb'
    nb.write_text(json.dumps(dict(cells=cells, metadata={}, nbformat=4, nbformat_minor=5)))
    assert sync_course(tmp_path) == ['nbs/02a_landscape.ipynb']
    assert sync_course(tmp_path, fix=True) == ['nbs/02a_landscape.ipynb']
    assert sync_course(tmp_path) == []
    got = json.loads(nb.read_text())['cells']
    assert [c['id'] for c in got] == ['a', 'b', BADGE_ID, INSTALL_ID, 'c']
    assert 'github/someone/resnet_course/blob/fall26/nbs/02a_landscape.ipynb' in ''.join(got[2]['source'])
    assert 'git+https://github.com/someone/resnet_course.git@fall26' in ''.join(got[3]['source'])


def test_install_cell_runs_outside_colab():
    "The generated install cell is valid Python and, outside Colab with offline data, only prints the runtime line"
    from resnet_course.colab import install_source, host_settings
    code = install_source(host_settings(ROOT))
    env = dict(os.environ, RESNET_COURSE_DATA='offline', PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env=env)
    assert r.returncode == 0 and 'offline' in r.stdout, r.stderr


def test_plots_still_show_after_compare_and_plot_run(tmp_path):
    "In a real Jupyter kernel: compare and plot_run save their figures, and the next cell's plot is still displayed"
    nbformat = pytest.importorskip('nbformat'); nbclient = pytest.importorskip('nbclient')
    cells = [f"""import matplotlib, matplotlib.pyplot as plt
from resnet_course.compare import compare
from resnet_course.train import plot_run
before = matplotlib.get_backend()
rows = compare(['fcn'], mode='offline', epochs=1, out={str(tmp_path)!r})
plot_run([dict(epoch=1, train_loss=1.0, valid_loss=0.9, accuracy=0.5, top5=0.9)], {str(tmp_path/'run.png')!r})
assert matplotlib.get_backend() == before, (before, matplotlib.get_backend())""",
             "plt.plot([0, 1], [1, 0]); plt.show()"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    env = dict(os.environ, RESNET_COURSE_DATA='offline', PYTHONPATH=str(ROOT))
    env.pop('MPLBACKEND', None)
    old = dict(os.environ); os.environ.clear(); os.environ.update(env)
    try: nbclient.NotebookClient(nb, timeout=300, kernel_name='python3', resources={'metadata': {'path': str(tmp_path)}}).execute()
    finally: os.environ.clear(); os.environ.update(old)
    images = [[o for o in c.outputs if 'image/png' in o.get('data', {})] for c in nb.cells]
    assert not images[0], 'saved figures must not be displayed'
    assert images[1], 'the plot after compare/plot_run was not displayed'
    assert (tmp_path/'curves.png').stat().st_size > 1000 and (tmp_path/'run.png').stat().st_size > 1000
