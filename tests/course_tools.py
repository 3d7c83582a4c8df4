"""Helpers for the nbgrader course in nbs/_course (used by tests/test_course.py).

Releasing, loading the configuration and copying a course live in `resnet_course.collect` (the
`resnet-course release` command); they are imported from there. Instructor commands kept for convenience:

    python tests/course_tools.py release [ASSIGNMENT ...]   # same as `resnet-course release [ASSIGNMENT ...]`
    python tests/course_tools.py validate                   # nbgrader validate every source notebook

Everything here takes a course directory so the tests can work on a tmp copy of nbs/_course.
"""
from __future__ import annotations

import copy
import json
import textwrap
import os
import random
import re
import string
import subprocess
import sys
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "nbs" / "_course"
NBGRADER = [sys.executable, "-m", "nbgrader"]

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


# --------------------------------------------------------------------------- configuration and release
# One implementation, in the package (nbs/07_collect.ipynb); the names below keep this module's interface.
from resnet_course.collect import load_config, ensure_path, copy_course as _copy_course, generate, list_assignments  # noqa: E402
from resnet_course import collect as _collect  # noqa: E402


def assignments(course_dir=COURSE):
    "Names of the assignments that have a source notebook."
    return list_assignments(course_dir)


def copy_course(dest, course_dir=COURSE):
    "Copy the course (config, source, release; no grading state) to `dest` and return its path."
    return _copy_course(dest, course_dir)


def _env():
    "nbgrader calls `alembic` (and Jupyter kernels) by name: put this interpreter's bin folder first on PATH."
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def _nbgrader(course_dir, *args, check=True):
    "Run the nbgrader command line inside `course_dir` (where it finds nbgrader_config.py)."
    p = subprocess.run([*NBGRADER, *args], cwd=str(course_dir), capture_output=True, text=True, env=_env())
    if check and p.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p


def _api(course_dir):
    return _collect.nbgrader_api(course_dir)


def release(course_dir, assignment, cli=False):
    """Run generate_assignment for one assignment, in place (into `course_dir`/release), with nbgrader's Python
    API (or its command line, `cli=True`; both run the same code, the API skips a process start)."""
    if cli:
        _nbgrader(course_dir, "generate_assignment", assignment, "--force")
        return Path(course_dir) / "release" / assignment / f"{assignment}.ipynb"
    return generate(course_dir, assignment)


# --------------------------------------------------------------------------- validate
def validate(nb_path, invert=False, course_dir=None):
    """`nbgrader validate` (in process) on one notebook; returns nbgrader's result dict.

    An empty dict means: all tests pass (or, with invert=True, none of the graded tests passes).
    Keys otherwise: 'failed' / 'passed' (invert) / 'changed' / 'type_changed'.
    """
    from nbgrader.validator import Validator

    ensure_path()
    nb_path = Path(nb_path).resolve()
    cfg = load_config(course_dir) if course_dir else load_config(COURSE)
    v = Validator(config=cfg)
    v.invert = invert
    return v.validate(str(nb_path))


# --------------------------------------------------------------------------- submissions
def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def strip_solution_markers(src: str) -> str:
    "The solution with nbgrader's BEGIN/END SOLUTION marker lines removed."
    return "\n".join(l for l in src.split("\n") if l.strip() not in SOLUTION_MARKERS).strip("\n")


def solutions(source_nb) -> dict:
    "grade_id -> solution source (markers stripped) for every solution cell of a source notebook."
    nb = nbformat.read(str(source_nb), as_version=4) if not isinstance(source_nb, dict) else source_nb
    return {_meta(c)["grade_id"]: strip_solution_markers(c.source)
            for c in nb.cells if _meta(c).get("solution")}


def fill(release_nb, replacements: dict):
    "A copy of a released notebook with the solution cells named in `replacements` given new source."
    nb = copy.deepcopy(release_nb)
    for c in nb.cells:
        gid = _meta(c).get("grade_id")
        if _meta(c).get("solution") and gid in replacements:
            c.source = replacements[gid]
    return nb


def correct_submission(source_nb, release_nb):
    "The release with every solution cell replaced by the source solution."
    return fill(release_nb, solutions(source_nb))


def partial_submission(source_nb, release_nb, recipe: dict):
    "recipe = {'fill': [grade_id, ...], 'wrong': {grade_id: source}} (see tests/course/<assignment>.json)."
    sols = solutions(source_nb)
    missing = [g for g in list(recipe.get("fill", [])) + list(recipe.get("wrong", {})) if g not in sols]
    if missing:
        raise KeyError(f"not solution cells: {missing}")
    repl = {g: sols[g] for g in recipe.get("fill", [])}
    repl.update(recipe.get("wrong", {}))
    return fill(release_nb, repl)


def colab_resave(nb, seed=0):
    """The notebook as Google Colab saves it: nbformat 4.4-style (no cell ids), `colab`/`accelerator`
    notebook metadata, and Colab's own random cell id in each cell's metadata (nbgrader metadata kept)."""
    rnd = random.Random(seed)
    nb = copy.deepcopy(nb)
    nb.nbformat, nb.nbformat_minor = 4, 0
    nb.metadata["colab"] = {"provenance": []}
    nb.metadata["accelerator"] = "GPU"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    for c in nb.cells:
        c.pop("id", None)
        c.metadata["id"] = "".join(rnd.choice(string.ascii_letters + string.digits + "-_") for _ in range(12))
        if c.cell_type == "code":
            c.setdefault("outputs", [])
            c.setdefault("execution_count", None)
    return nb


def write_notebook(nb, path):
    "Write without nbformat's validation/upgrade, so a Colab-style 4.0 notebook stays as it is."
    import json

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def make_submission(course_dir, assignment, student, nb):
    "Place `nb` as `student`'s submission of `assignment` in `course_dir`/submitted."
    d = Path(course_dir) / "submitted" / student / assignment
    write_notebook(nb, d / f"{assignment}.ipynb")
    (d / "timestamp.txt").write_text("2026-01-01 12:00:00.000000 UTC\n")
    return d


# --------------------------------------------------------------------------- autograde
def autograde(course_dir, assignment, student):
    """Autograde one submission with nbgrader's Python API; returns {notebook_name: auto score}.

    The score is the sum of the autograded points (manually graded answers count 0 until graded).
    """
    from nbgrader.api import Gradebook

    api, cfg = _api(course_dir)
    res = api.autograde(assignment, student, force=True, create=True)
    if not res.get("success"):
        raise RuntimeError(f"autograde {assignment}/{student} failed:\n{res.get('error')}\n{res.get('log')}")
    scores = {}
    with Gradebook(cfg.CourseDirectory.db_url) as gb:
        sub = gb.find_submission(assignment, student)
        for nb in sub.notebooks:
            auto = 0.0
            for g in nb.grades:
                if g.auto_score is not None:
                    auto += g.auto_score
            scores[nb.name] = auto
    return scores


def failures(course_dir, assignment, student):
    "grade_id -> last line of the error, for every graded cell that failed in an autograded submission."
    out = {}
    d = Path(course_dir) / "autograded" / student / assignment
    for path in sorted(d.glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        for c in nb.cells:
            m = _meta(c)
            if c.cell_type != "code" or not m.get("grade"):
                continue
            errs = [("\n".join(o.get("traceback", [])) or o.get("evalue", "")) if o.output_type == "error" else o.get("text", "")
                    for o in c.outputs
                    if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")]
            if errs:
                last = re.sub(r"\x1b\[[0-9;]*m", "", errs[-1]).strip().split("\n")[-1]
                out[m["grade_id"]] = last[:300]
    return out


def max_auto_points(source_nb) -> float:
    "Total points of the autograded test cells of a source notebook."
    nb = nbformat.read(str(source_nb), as_version=4)
    return float(sum(_meta(c).get("points", 0) for c in nb.cells
                     if _meta(c).get("grade") and not _meta(c).get("solution")))


# --------------------------------------------------------------------------- compare releases
def release_signature(nb_path):
    "What must match between a committed release and a fresh generate_assignment: cells and nbgrader metadata."
    nb = nbformat.read(str(nb_path), as_version=4)
    return [(c.cell_type, c.source, _meta(c)) for c in nb.cells]


# --------------------------------------------------------------------------- attacks (red team) and samples
def answer_names(source_nb):
    "Names the solution cells define: (variables, functions)"
    import ast
    vs, fs = [], []
    for src in solutions(source_nb).values():
        try: tree = ast.parse(src)
        except SyntaxError: continue
        for node in tree.body:
            if isinstance(node, ast.Assign):
                vs += [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.FunctionDef): fs.append(node.name)
    return vs, fs

_RIGGED = """class _Yes(str):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = str.__hash__
class _YesT(tuple):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = tuple.__hash__
class _Any:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __getattr__(self, name): return _Any()
    def __call__(self, *a, **k): return _Any()
    def __float__(self): return 0.0
"""

_PATCH_COMPARE = """import math, torch, numpy, numpy.testing, torch.testing
math.isclose = lambda *a, **k: True
torch.allclose = lambda *a, **k: True
torch.equal = lambda *a, **k: True
torch.testing.assert_close = lambda *a, **k: None
numpy.allclose = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None
numpy.testing.assert_array_equal = lambda *a, **k: None
"""

_READ_HIDDEN = r"""import os, glob, re, json
_found = {}
for _root in {os.getcwd(), os.path.expanduser('~'), '/dev/shm', '/tmp', '/work', os.path.dirname(os.getcwd())}:
    for _p in glob.glob(os.path.join(_root, '**', '*.ipynb'), recursive=True)[:2000]:
        try: _t = open(_p).read()
        except OSError: continue
        if 'BEGIN SOLUTION' not in _t: continue
        for _c in json.loads(_t)['cells']:
            _s = ''.join(_c['source'])
            if 'BEGIN SOLUTION' in _s:
                _body = '\n'.join(l for l in _s.splitlines() if 'SOLUTION' not in l)
                try: exec(_body, globals()); _found[_p] = 1
                except Exception: pass
print('solutions read from', len(_found), 'files')
"""

_WRITE_GRADEBOOK = r"""import os, glob
_n = 0
for _root in {os.getcwd(), os.path.expanduser('~'), '/dev/shm', '/tmp', '/work', os.path.dirname(os.getcwd())}:
    for _p in glob.glob(os.path.join(_root, '**', 'gradebook.db'), recursive=True)[:50]:
        try:
            open(_p, 'r+b').write(b'\0' * 4096); _n += 1
        except OSError: pass
print('gradebooks overwritten:', _n)
"""

ATTACKS = {
    # name: (base submission, cells to add after the first code cell, how the released cells change)
    'always_equal': 'blank', 'patched_compare': 'blank', 'ipython_patch': 'blank', 'read_hidden': 'blank',
    'write_gradebook': 'blank', 'nbgrader_execution': 'blank', 'deleted_tests': 'blank', 'edited_tests': 'blank',
    'duplicated_tests': 'blank', 'os_exit': 'correct', 'sys_exit': 'correct', 'segfault': 'correct',
    'infinite_loop': 'correct', 'memory_bomb': 'correct', 'huge_output': 'correct', 'invalid_json': 'correct',
    'shadowed_modules': 'blank',
    # issue 9: the sandbox itself (each prints a 'LEAKED-' marker, built at run time, where it gets through)
    'lingering_process': 'blank', 'sysv_shm': 'blank', 'network': 'blank', 'read_environ': 'blank',
    'lift_output_cap': 'correct', 'reply_bomb': 'blank', 'replay_loop': 'blank', 'module_decoder': 'blank',
}
# Structure and learning checks that must rest on the grader's own copy of a model (resnet_course.twin), never on what
# the student's process says about it. Each replaces one solution cell; ch14_questionnaire ones join ATTACKS' batch,
# ch14_further_research ones get a batch of their own (tests/test_redteam.py).
_SKIP_LIAR = """class _SkipPath(nn.Module):
    "Copies channels instead of using a 1x1 convolution, and lists a 1x1 convolution it never uses"
    def __init__(self, ni, nf, stride):
        super().__init__()
        self.ni, self.nf, self.stride = ni, nf, stride
        self.pool = nn.AvgPool2d(2, ceil_mode=True)
        self.decoy = nn.Conv2d(ni, nf, 1, bias=False)
    def modules(self):                       # what a structure check that asks this process is shown
        yield self; yield self.decoy
    def forward(self, x):
        if self.stride != 1: x = self.pool(x)
        if self.ni != self.nf: x = x.repeat(1, -(-self.nf // self.ni), 1, 1)[:, :self.nf]
        return x

def skip_path(ni, nf, stride=1):
    return _SkipPath(ni, nf, stride)
"""
_FCN_LIAR = """class _Resized(nn.Module):
    "Resizes every input to 28x28, shows a decoy adaptive pooling a grid that grows with the image, and lists it first"
    def __init__(self, n_out):
        super().__init__()
        self.body = nn.Sequential(conv_bn(1, 16), conv_bn(16, 32), conv_bn(32, 64), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, n_out))
        self.decoy = nn.AdaptiveAvgPool2d(1)
    def modules(self):
        yield self; yield self.decoy; yield from self.body.modules()
    def forward(self, x):
        self.decoy(x[:, :1, ::8, ::8])                    # forward hooks on the pooling layers see this grid first
        return self.body(F.interpolate(x, size=(28, 28), mode='bilinear', align_corners=False))

def mnist_fcn(n_out=10):
    return _Resized(n_out)
"""
_FCN_LOOKUP = """class _Lookup(nn.Module):
    "Recognises scikit-learn's public digits by looking each image up: it learns nothing"
    def __init__(self, n_out):
        super().__init__()
        from sklearn.datasets import load_digits
        d = load_digits()
        t = F.interpolate(torch.tensor(d.images, dtype=torch.float32)[:, None] / 16, size=(28, 28), mode='bilinear', align_corners=False)
        self.register_buffer('table', ((t - t.mean()) / t.std()).flatten(1))
        self.register_buffer('labels', torch.tensor(d.target))
        self.n_out, self.p = n_out, nn.Parameter(torch.zeros(1))
    def forward(self, x):
        near = torch.cdist(x.flatten(1), self.table).argmin(1)
        return F.one_hot(self.labels[near], max(self.n_out, 10))[:, :self.n_out].float() * 10 + self.p * 0

def mnist_fcn(n_out=10):
    return _Lookup(n_out)
"""
_FCN_TWO_FACED = """class _TwoFaced(nn.Module):
    "Shows torch.fx an honest net and runs a resizing one"
    def __init__(self, n_out):
        super().__init__()
        self.net = nn.Sequential(conv_bn(1, 16), conv_bn(16, 32), conv_bn(32, 64), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, n_out))
    def forward(self, x):
        if isinstance(x, torch.fx.Proxy): return self.net(x)                 # what a tracer sees
        return self.net(F.interpolate(x, size=(28, 28), mode='nearest'))      # what really runs

def mnist_fcn(n_out=10):
    return _TwoFaced(n_out)
"""
SOLUTION_ATTACKS = {'lying_modules': {'q12_sol': _SKIP_LIAR}}
FR_ATTACKS = {'lying_fcn': {'fcn_sol': _FCN_LIAR}, 'digits_lookup': {'fcn_sol': _FCN_LOOKUP},
              'two_faced': {'fcn_sol': _FCN_TWO_FACED}}
SOLUTION_ATTACKS.update(FR_ATTACKS)
ATTACKS['lying_modules'] = 'blank'
# issue 9.6: markup that would run in the instructor's browser (feedback, report); every right answer is still there
ATTACKS['active_content'] = 'correct'
ACTIVE_HTML = ('<script>alert(1)</script><iframe src="https://example.com"></iframe><img src=x onerror="alert(2)">'
               '<a href="javascript:alert(3)">link</a><svg onload="alert(4)"></svg><object data="x"></object>'
               '<b onclick="alert(5)">bold</b>')

REDTEAM_COMM, REDTEAM_SHM_KEY, REDTEAM_UDP_PORT = 'rcredteam', 0x5eed1234, 47011
REDTEAM_SECRET_VAR = 'RESNET_REDTEAM_SECRET'

_LINGER = r'''import os, time, glob, socket, ctypes
_keep = []
if os.fork() == 0:                      # double fork + setsid: a process that outlives the notebook's process group
    os.setsid()
    if os.fork() == 0:
        ctypes.CDLL(None).prctl(15, b'%s', 0, 0, 0)
        _end = time.time() + 120
        while time.time() < _end:         # speak for the next notebooks: connect to every grader socket in sight
            for _p in glob.glob('/tmp/**/*.sock', recursive=True) + glob.glob('/dev/shm/**/*.sock', recursive=True):
                try: _s = socket.socket(socket.AF_UNIX); _s.connect(_p); _keep.append(_s)
                except OSError: pass
            time.sleep(0.05)
        os._exit(0)
    os._exit(0)
time.sleep(0.3)
''' % REDTEAM_COMM

_SHM = r'''import ctypes
_libc = ctypes.CDLL(None, use_errno=True)
_shm = _libc.shmget(%d, 1 << 20, 0o1666)      # IPC_CREAT: a segment that would outlive every process
print('shm id', _shm)
''' % REDTEAM_SHM_KEY

_NETWORK = r'''import socket
try:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'L' + b'EAKED-udp', ('127.0.0.1', %d))
    print('L' + 'EAKED-udp sent')
except OSError as e: print('udp refused:', e)
try:
    socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3)); print('L' + 'EAKED-packet socket')
except (OSError, AttributeError) as e: print('packet socket refused:', e)
''' % REDTEAM_UDP_PORT

_ENVIRON = r'''import glob
for _p in glob.glob('/proc/*/environ'):
    try: _d = open(_p, 'rb').read()
    except OSError: continue
    if b'%s' in _d: print('L' + 'EAKED-environ', _d[_d.find(b'%s'):][:80])
''' % (REDTEAM_SECRET_VAR, REDTEAM_SECRET_VAR)

_LIFT_CAP = r'''import sys
for _m in list(sys.modules.values()):
    if hasattr(_m, 'MAX_OUT'): _m.MAX_OUT = 1 << 40          # child.py's own cap, lifted from inside
print('w' * 20_000_000)
'''

_REPLY_BOMB = r'''import sys
_bomb = [[] for _ in range(3_000_000)]              # a 12 MB reply that expands into 3 million lists
_main = sys.modules['__main__']
if hasattr(_main, 'enc'): _main.enc = lambda x, *a, **k: _bomb   # past the child's own checks
'''

_REPLAY = r'''import os, time
time.sleep(4)                                       # replayed after every crash...
get_ipython().events.register('pre_run_cell', lambda *a, **k: os._exit(3))   # ...and every later cell crashes
'''

def attack_submission(source_nb, release_nb, kind):
    """A hostile or broken submission (a notebook dict, or bytes for `invalid_json`). 'blank' attacks answer nothing
    honestly, so their honest score is 0; 'correct' ones carry every right answer plus something that breaks plain
    grading, so their honest score is full marks."""
    if kind in SOLUTION_ATTACKS:                 # a released notebook with one answer that lies about itself
        return fill(release_nb, SOLUTION_ATTACKS[kind])
    vs, fs = answer_names(source_nb)
    base = correct_submission(source_nb, release_nb) if ATTACKS[kind] == 'correct' else copy.deepcopy(release_nb)
    rig = _RIGGED + '\n'.join(f'{v} = _Yes("a")' for v in vs) + '\n' + \
          '\n'.join(f'def {f}(*a, **k): return _Any()' for f in fs) + '\n'
    extra = {
        'always_equal': rig,
        'patched_compare': _PATCH_COMPARE + rig,
        'ipython_patch': "ip = get_ipython()\nip.showtraceback = lambda *a, **k: None\n"
                         "ip.input_transformers_post.append(lambda lines: ['pass\\n'])\n",
        'read_hidden': _READ_HIDDEN,
        'write_gradebook': _WRITE_GRADEBOOK,
        'shadowed_modules': rig + "torch = nn = F = np = numpy = math = _Any()\n",
        'lingering_process': _LINGER, 'sysv_shm': _SHM, 'network': _NETWORK, 'read_environ': _ENVIRON,
        'lift_output_cap': _LIFT_CAP, 'replay_loop': _REPLAY,
        'reply_bomb': _REPLY_BOMB + '\n'.join(f'{v} = _bomb' for v in vs) + '\n',
        'module_decoder': "import types\n_m = types.ModuleType('IPython.__main__')\n" + '\n'.join(f'{v} = _m' for v in vs) + '\n',
        'nbgrader_execution': "import os\nif os.environ.get('NBGRADER_EXECUTION'):\n" +
                              textwrap.indent(_PATCH_COMPARE + rig, '    '),
        'active_content': "from IPython.display import HTML, display\ndisplay(HTML(%r))\nprint(%r)\n" % (ACTIVE_HTML, ACTIVE_HTML),
        'os_exit': "import os\nos._exit(0)\n",
        'sys_exit': "import sys\nsys.exit(0)\n",
        'segfault': "import ctypes\nctypes.string_at(0)\n",
        'infinite_loop': "while True:\n    pass\n",
        'memory_bomb': "_hog = []\nwhile True:\n    _hog.append(b'x' * 10**8)\n",
        'huge_output': "import os, sys\nprint('x' * 20_000_000)\nos.write(1, b'y' * 20_000_000)\nsys.stderr.write('z' * 5_000_000)\n",
    }.get(kind)
    cells = base.cells
    if extra:
        first = next(i for i, c in enumerate(cells) if c.cell_type == 'code')
        at = first + 1 if ATTACKS[kind] == 'blank' else len(cells) // 2
        cells.insert(at, nbformat.v4.new_code_cell(extra))
        if kind == 'active_content': cells.insert(at, nbformat.v4.new_markdown_cell('My answer: ' + ACTIVE_HTML))
    tests = [c for c in cells if _meta(c).get('grade') and not _meta(c).get('solution') and c.cell_type == 'code']
    if kind == 'deleted_tests': base.cells = [c for c in cells if c not in tests]
    if kind == 'edited_tests':
        for c in tests: c.source = 'pass'
    if kind == 'duplicated_tests':
        out = []
        for c in cells:
            out.append(c)
            if c in tests: d = copy.deepcopy(c); d.source = 'pass'; out.append(d)
        base.cells = out
    if kind == 'invalid_json':
        text = json.dumps(base, indent=1)
        return text[: len(text) // 2].encode()
    return base

def scratch_course(prefix, assignment):
    """A scratch copy of the course (source and release; in /dev/shm where there is one) and the assignment's
    source notebook, released notebook and score recipe: (root folder to delete, course, src, rel, recipe)"""
    import tempfile
    root = Path(tempfile.mkdtemp(prefix=prefix, dir='/dev/shm' if Path('/dev/shm').is_dir() else None))
    course = _copy_course(root / 'course', COURSE, subs=('source', 'release'))
    src = nbformat.read(str(course / 'source' / assignment / f'{assignment}.ipynb'), as_version=4)
    rel = nbformat.read(str(course / 'release' / assignment / f'{assignment}.ipynb'), as_version=4)
    recipe = json.loads((Path(__file__).parent / 'course' / f'{assignment}.json').read_text())
    return root, course, src, rel, recipe

def sample_batch(course=COURSE):
    """The demo's submissions: {(student, assignment): notebook dict or bytes}. Eight students, two assignments;
    honest, partly right, Colab-saved, blank, metadata stripped by an editor, and hostile ones."""
    out = {}
    for a in ('ch14_questionnaire', 'ch14_further_research'):
        src = nbformat.read(str(Path(course)/'source'/a/f'{a}.ipynb'), as_version=4)
        rel = nbformat.read(str(Path(course)/'release'/a/f'{a}.ipynb'), as_version=4)
        recipe = json.loads((Path(__file__).parent/'course'/f'{a}.json').read_text())
        good = correct_submission(src, rel)
        stripped = copy.deepcopy(good)
        for c in stripped.cells: c.metadata.pop('nbgrader', None)
        out[('alice', a)] = good
        out[('bob', a)] = partial_submission(src, rel, recipe['partial'])
        out[('carol', a)] = colab_resave(good)
        out[('dave', a)] = copy.deepcopy(rel)
        out[('erin', a)] = stripped
        out[('frank', a)] = attack_submission(src, rel, 'patched_compare')
        out[('grace', a)] = attack_submission(src, rel, 'os_exit' if a == 'ch14_questionnaire' else 'invalid_json')
        out[('heidi', a)] = attack_submission(src, rel, 'read_hidden' if a == 'ch14_questionnaire' else 'infinite_loop')
    return out

NAMES = {'alice': 'Alice Adams', 'bob': 'Bob Brown', 'carol': 'Carol Chen', 'dave': 'Dave Diaz', 'erin': 'Erin Evans',
         'frank': 'Frank Fox', 'grace': 'Grace Green', 'heidi': 'Heidi Hill'}

def write_samples(dest=COURSE / 'samples'):
    "The demo's submissions as one Moodle-style zip, plus the roster (deterministic bytes)"
    import zipfile, io
    dest = Path(dest); dest.mkdir(parents=True, exist_ok=True)
    ids = {s: 1001 + i for i, s in enumerate(NAMES)}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        for (s, a), nb in sorted(sample_batch().items()):
            data = nb if isinstance(nb, bytes) else (json.dumps(nb, indent=1, ensure_ascii=False) + '\n').encode()
            info = zipfile.ZipInfo(f'{NAMES[s]}_{ids[s]}_assignsubmission_file_{a}.ipynb', date_time=(2026, 11, 20, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    (dest/'submissions.zip').write_bytes(buf.getvalue())
    (dest/'roster.csv').write_text('student_id,name,email\n' + ''.join(f'{s},{n},{s}@example.edu\n' for s, n in NAMES.items()))
    return dest


# --------------------------------------------------------------------------- CLI
def _main(argv):
    cmd = argv[1] if len(argv) > 1 else "help"
    if cmd == "release":
        try:
            res = _collect.release(COURSE, argv[2:] or None)
        except ValueError as e:
            print(e)
            return 2
        print(res.summary())
        for a, err in res.failed.items():
            print(f"  {a}: {err}")
        return 1 if res.failed else 0
    if cmd == "samples":
        print("wrote", write_samples())
        return 0
    if cmd == "validate":
        bad = 0
        for a in assignments():
            t = time.time()
            r = validate(COURSE / "source" / a / f"{a}.ipynb")
            print(f"{a}: {'OK' if not r else 'FAILED'} ({time.time() - t:.1f} s)")
            for kind, cells in r.items():
                for c in cells:
                    err = (c.get("raw_error") or "").strip().split("\n")[-1:]
                    print(f"  {kind}: {c.get('source', '')[:70]!r} -> {err}")
            bad += bool(r)
        return 1 if bad else 0
    print(__doc__)
    return 0 if cmd == "help" else 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
