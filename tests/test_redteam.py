"""Red team: one hostile or broken submission per attack, graded in one batch with honest ones by
`resnet_course.autograde`. Each attack must score no more than its honest score, and the honest submissions in the
same batch must get exactly their expected scores. The attacks are built in tests/course_tools.py (`ATTACKS`)."""
import json, os, shutil, socket, sqlite3, tempfile, time
from pathlib import Path
import nbformat, pytest
import course_tools as ct

A = 'ch14_questionnaire'
FULL = json.loads((Path(__file__).parent / 'course' / f'{A}.json').read_text())['scores']
HONEST = {k: (0 if base == 'blank' else FULL['correct']) for k, base in ct.ATTACKS.items()}
HONEST['invalid_json'] = 0      # half a file: nothing can be read, so nothing can be credited


@pytest.fixture(scope='module')
def batch():
    from resnet_course.autograde import autograde
    root, course, src, rel, recipe = ct.scratch_course('resnet_course_redteam_', A)
    subs = {'honest_correct': ct.correct_submission(src, rel),
            'honest_partial': ct.partial_submission(src, rel, recipe['partial'])}
    subs.update({f'attack_{k}': ct.attack_submission(src, rel, k) for k in ct.ATTACKS})
    written = {}
    for student, nb in subs.items():
        d = ct.make_submission(course, A, student, rel)            # folder + timestamp
        p = d / f'{A}.ipynb'
        if isinstance(nb, bytes): p.write_bytes(nb)
        else: ct.write_notebook(nb, p)
        written[student] = p.read_bytes()
    secret = f'hunter2-{os.getpid()}-{time.time()}'            # what a student must never see of the grader's env
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try: udp.bind(('127.0.0.1', ct.REDTEAM_UDP_PORT)); udp.setblocking(False)
    except OSError: udp.close(); udp = None
    scratch = root / 'tmp'; scratch.mkdir()                   # where the sandboxes' folders go (TMPDIR)
    os.chmod(root, 0o711); os.chmod(scratch, 0o711)           # reachable (not listable) by `nobody`, as a TMPDIR must be
    old = {k: os.environ.get(k) for k in (ct.REDTEAM_SECRET_VAR, 'TMPDIR')}
    os.environ[ct.REDTEAM_SECRET_VAR], os.environ['TMPDIR'] = secret, str(scratch)
    old_tempdir, tempfile.tempdir = tempfile.tempdir, str(scratch)
    try: res = autograde(course, workers=2, timeout=15, memory_mb=6144, progress=False)
    finally:
        tempfile.tempdir = old_tempdir
        for k, v in old.items():
            if v is None: os.environ.pop(k, None)
            else: os.environ[k] = v
    got = []
    while udp is not None:
        try: got.append(udp.recv(100))
        except BlockingIOError: break
    if udp is not None: udp.close()
    yield dict(course=course, res=res, written=written, root=root, scratch=scratch, secret=secret, udp=got,
               udp_listened=udp is not None)
    shutil.rmtree(root, ignore_errors=True)


def test_honest_submissions_in_the_batch(batch):
    course, res = batch['course'], batch['res']
    assert res.results[f'honest_correct/{A}']['score'] == FULL['correct'], res.results[f'honest_correct/{A}']
    assert res.results[f'honest_partial/{A}']['score'] == FULL['partial'], res.results[f'honest_partial/{A}']
    assert len(res.graded) == 2 + len(ct.ATTACKS)


@pytest.mark.parametrize('attack', sorted(ct.ATTACKS))
def test_attack_scores_no_more_than_honest(batch, attack):
    course, res, written = batch['course'], batch['res'], batch['written']
    r = res.results[f'attack_{attack}/{A}']
    assert r['status'] in ('graded', 'unreadable'), r
    assert r['score'] <= HONEST[attack], (attack, r['score'], r.get('failures'), r.get('problems'))
    if ct.ATTACKS[attack] == 'correct' and HONEST[attack]:   # broken, not cheating: every right answer still counts
        assert r['score'] == HONEST[attack], (attack, r['score'], r.get('failures'), r.get('problems'))
    # the submission itself is never changed
    assert (course / 'submitted' / f'attack_{attack}' / A / f'{A}.ipynb').read_bytes() == written[f'attack_{attack}']


def test_sandbox_was_isolated(batch):
    "Reading the hidden tests and writing the gradebook only fail because Landlock hides the course folder"
    course, res = batch['course'], batch['res']
    assert res.results[f'honest_correct/{A}'].get('landlock', 0) >= 1, 'no Landlock: grade in a container (CONTRIBUTING.md)'


def test_gradebook_intact_and_outputs_bounded(batch):
    course, res = batch['course'], batch['res']
    con = sqlite3.connect(course / 'gradebook.db')
    assert con.execute('pragma integrity_check').fetchone()[0] == 'ok'
    con.close()
    for kind in ('huge_output', 'lift_output_cap'):          # the cap is the grader's, whatever child.py says
        big = course / 'autograded' / f'attack_{kind}' / A / f'{A}.ipynb'
        assert big.exists() and big.stat().st_size < 2_000_000, (kind, big.stat().st_size)


def test_feedback_and_report_free_of_active_content(batch):
    "Feedback and the report for the whole batch carry no script, frame, plugin, javascript: link or event handler"
    import re
    from resnet_course.autograde import feedback, report
    course = batch['course']
    feedback(course, progress=False, include_pending=True)
    report(course, out=course / 'report')
    pages = list((course / 'feedback').rglob('*.html')) + list((course / 'report').rglob('*.html'))
    assert (course / 'feedback' / 'attack_active_content' / A / f'{A}.html').exists(), pages
    assert len(pages) >= len(batch['res'].graded), len(pages)
    from html.parser import HTMLParser
    class Tags(HTMLParser):          # the markup a browser would act on (escaped text is only text)
        def __init__(self): super().__init__(); self.bad = []
        def handle_starttag(self, tag, attrs):
            if tag in ('script', 'iframe', 'object', 'embed', 'svg', 'frame', 'base'): self.bad.append(tag)
            for k, v in attrs:
                if k.startswith('on') or (k in ('href', 'src', 'action', 'formaction') and (v or '').strip().lower().startswith('javascript:')):
                    self.bad.append(f'{tag} {k}={v}')
    seen_marker = False
    for page in pages:
        text = page.read_text(errors='replace')
        t = Tags(); t.feed(text)
        assert not t.bad, (page, t.bad)
        seen_marker |= 'My answer:' in text
    assert seen_marker, 'the hostile markdown should still be shown, as inert text'


def test_unreadable_submission_gets_a_reason(batch):
    r = batch['res'].results[f'attack_invalid_json/{A}']
    assert r['status'] == 'unreadable' and r['score'] == 0 and any('invalid JSON' in p for p in r['problems']), r


def _pids():
    return [int(p) for p in os.listdir('/proc') if p.isdigit()]

def _read(path):
    try: return Path(path).read_bytes()
    except OSError: return b''

def test_nothing_left_behind(batch):
    "No process, System V segment or scratch folder of any notebook outlives the batch (double fork + setsid included)"
    root, scratch = batch['root'], batch['scratch']
    for _ in range(50):                   # a zygote ends when its worker does: give it a moment
        left = []
        for pid in _pids():
            comm = _read(f'/proc/{pid}/comm').strip().decode(errors='replace')
            try: cwd = os.readlink(f'/proc/{pid}/cwd')
            except OSError: cwd = ''
            if comm == ct.REDTEAM_COMM or cwd.startswith(str(root)): left.append((pid, comm, cwd))
        if not left: break
        time.sleep(0.1)
    assert not left, left
    shm = _read('/proc/sysvipc/shm').decode().splitlines()[1:]
    assert not [l for l in shm if l.split() and int(l.split()[0]) == ct.REDTEAM_SHM_KEY], shm
    assert list(scratch.iterdir()) == [], list(scratch.iterdir())

def test_no_network_no_secrets_no_other_processes(batch):
    "UDP to the loopback, packet sockets and the grader's environment are out of reach; every summary says what was obtained"
    course, res = batch['course'], batch['res']
    if batch['udp_listened']: assert batch['udp'] == [], batch['udp']
    for nb in (course / 'autograded').rglob('*.ipynb'):
        text = nb.read_text(errors='replace')
        assert 'LEAKED-' not in text.replace("'L' + 'EAKED-", ''), nb
        assert batch['secret'] not in text, nb
    iso = res.results[f'honest_correct/{A}']
    print('sandbox obtained:', iso.get('isolation') or 'everything', '| landlock ABI', iso.get('landlock'))
    if iso.get('isolation'): assert 'WARNING: the kernel refused part of the sandbox' in res.summary()
    if os.geteuid() == 0 and not [m for m in iso.get('isolation') or [] if 'namespace' in m]:   # root, namespaces granted:
        assert not [m for m in iso.get('isolation') or [] if 'uid 0' in m or 'as root' in m], iso['isolation']   # student code is `nobody`

def test_attacks_on_the_grader_itself(batch):
    "Reply bombs, replay loops and module names get a one-line reason; the grader's workers stay small"
    res = batch['res']
    rs = {k.split('/')[0]: r for k, r in res.results.items()}
    bomb = ' '.join(rs['attack_reply_bomb']['failures'].values())
    assert 'nested values' in bomb or 'malformed' in bomb or 'raised in your code' in bomb, rs['attack_reply_bomb']
    mod = ' '.join(rs['attack_module_decoder']['failures'].values())
    assert 'IPython.__main__ is not available' in mod, rs['attack_module_decoder']
    assert rs['attack_replay_loop']['seconds'] < 60, rs['attack_replay_loop']
    peak = max(r.get('grader_rss_mb') or 0 for r in rs.values())
    print(f'grader workers: peak RSS {peak} MB; replay loop held its worker {rs["attack_replay_loop"]["seconds"]} s')
    assert 0 < peak < 3000, peak

def test_plain_nbgrader_is_fooled(tmp_path_factory):
    "Control: the IPython-transformer attack really works on plain nbgrader (tests run in the student's kernel)"
    course = ct.copy_course(Path(tempfile.mkdtemp(dir='/dev/shm' if Path('/dev/shm').is_dir() else None)) / 'c')
    try:
        ct.release(course, A)
        src = nbformat.read(str(course / 'source' / A / f'{A}.ipynb'), as_version=4)
        rel = nbformat.read(str(course / 'release' / A / f'{A}.ipynb'), as_version=4)
        ct.make_submission(course, A, 'mallory', ct.attack_submission(src, rel, 'ipython_patch'))
        assert ct.autograde(course, A, 'mallory')[A] > 0
    finally:
        shutil.rmtree(course.parent, ignore_errors=True)


# --- the sandbox's parts, each on a small notebook of its own -----------------------------------------------------
def _nb(*cells):
    "A notebook from (kind, source) pairs: kind 'student' or a test cell's grade_id"
    nb = nbformat.v4.new_notebook()
    for kind, src in cells:
        c = nbformat.v4.new_code_cell(src)
        if kind != 'student': c.metadata['nbgrader'] = dict(grade=True, solution=False, grade_id=kind, points=1, locked=True)
        nb.cells.append(c)
    return nb

_CONV = """import torch, torch.nn.functional as F
_c, _t = F.conv2d, torch.convolution               # saved before any ban
def saved(x, w): return _c(x, w)
def lowlevel(x, w): return _t(x, w, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1)
def aten(x, w): return torch.ops.aten.convolution(x, w, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1)
def by_hand(x, w): return torch.einsum('nchw,oc->nohw', x, w[:, :, 0, 0])
"""
_BAN_TEST = """from resnet_course.grade import switched_off
import torch
x, w = torch.randn(1, 2, 4, 4), torch.randn(3, 2, 1, 1)
with switched_off('torch.nn.functional.conv2d', 'torch.conv2d', why='do it by hand (test {f})'):
    got = {f}(x, w)
assert torch.allclose(got, torch.nn.functional.conv2d(x, w), atol=1e-5), 'wrong'
"""

def test_bans_hold_below_python_attributes():
    "A saved F.conv2d, torch.convolution or torch.ops.aten reach the same ATen operator: banned; the test's message reaches the student"
    from resnet_course.grade import grade_notebook
    fs = ('saved', 'lowlevel', 'aten', 'by_hand')
    nb = _nb(('student', _CONV), *[(f, _BAN_TEST.format(f=f)) for f in fs])
    s = grade_notebook(nb, timeout=30)
    assert s['tests']['by_hand'] is None, s['tests']
    for f in fs[:-1]: assert s['tests'][f] and f'do it by hand (test {f})' in s['tests'][f], (f, s['tests'][f])
    tb = ''.join(nb.cells[1].outputs[-1]['traceback'])
    assert 'child.py' not in tb and 'grade.py' not in tb, tb           # no grader-internal frames
    assert tb.count('do it by hand (test saved)') == 1, tb              # the last line once
    assert any('.convolution' in f for f in s['flags']) and any('.aten' in f for f in s['flags']), s['flags']

def test_ban_scan_reads_the_students_source():
    "The grader's own reading of the student's cells flags the sideways routes to a banned function; honest code is not flagged"
    from resnet_course.grade import ban_scan
    bans = ['torch.nn.functional.conv2d', 'torch.conv2d']
    src = ("from torch.nn.functional import conv2d as c\nk = getattr(F, 'conv' + '2d')\n_c = F.conv2d\n"
           "y = torch.convolution(x, w, None, [1], [0], [1], False, [0], 1)\nz = torch.ops.aten.convolution\n")
    got = ' | '.join(ban_scan(src, bans))
    for what in ('imports conv2d as c', 'getattr with a computed name', 'saves a reference to conv2d', 'uses .convolution', 'uses .aten'):
        assert what in got, (what, got)
    assert ban_scan('m = nn.Conv2d(1, 2, 3)\ny = F.relu(m(x))\nz = F.conv2d(x, w)\n', bans) == []

def test_replays_and_notebook_share_one_time_budget():
    "A notebook that crashes every later cell and sleeps in the replayed one is cut off, with a reason"
    from resnet_course.grade import grade_notebook
    nb = _nb(('student', "import os, time\ntime.sleep(2)\nget_ipython().events.register('pre_run_cell', lambda *a, **k: os._exit(3))"),
             *[('student', 'x = 1')] * 6, ('t', 'assert True'))
    t0 = time.monotonic(); s = grade_notebook(nb, timeout=3); took = time.monotonic() - t0
    assert took < 25 and s['restarts'] <= 3, (took, s)
    why = ' '.join(str(o.get('evalue', '')) for c in nb.cells for o in c.outputs)
    assert 'took too long' in why or 'time budget' in why or 'stopped' in why, why
    nb = _nb(*[('student', 'import time; time.sleep(1.5)')] * 6)
    t0 = time.monotonic(); s = grade_notebook(nb, timeout=3, budget=4); took = time.monotonic() - t0
    assert took < 15 and any('time budget' in str(o.get('evalue', '')) for c in nb.cells for o in c.outputs), took

def test_the_decoder_imports_nothing_it_is_told():
    import sys, math
    from resnet_course.grade import decode, _trusted_class
    had = 'IPython.__main__' in sys.modules
    with pytest.raises(ValueError, match='not available'): decode({'__t': 'module', 'name': 'IPython.__main__'})
    assert _trusted_class(['IPython.__main__.Thing', 'torch.nothing_here.X']) is object
    assert had or 'IPython.__main__' not in sys.modules
    assert decode({'__t': 'module', 'name': 'math'}) is math

def test_numpy_scalars_are_judged_as_in_the_students_kernel():
    "np.float64 stays np.float64: `type(x) is float` fails under the grader exactly as in the student's own check"
    from resnet_course.grade import grade_notebook
    nb = _nb(('student', 'import numpy as np\nr = np.float64(0.5)\nq = 0.5'),
             ('np', 'assert type(r) is float, "return a Python float"'), ('py', 'assert type(q) is float'),
             ('val', 'assert r == 0.5 and abs(r - 0.5) < 1e-9'))
    s = grade_notebook(nb, timeout=30)
    assert s['tests']['py'] is None and s['tests']['val'] is None and 'return a Python float' in s['tests']['np'], s['tests']

def test_only_the_forked_child_holds_the_connection():
    "No named socket anyone could connect to: the control channel is a socketpair end inherited from the zygote"
    from resnet_course.grade import Sandbox
    sb = Sandbox(timeout=10).start()
    try:
        files = [p for p in Path(sb.dir).rglob('*') if p.is_socket()]
        assert files == [] and sb.request(op='run', source='x = 1')['ok'] is True, files
        assert sb.info['isolation'].get('pid') in (True, False)
    finally: sb.close()

def test_isinstance_with_a_notebook_class():
    "isinstance(x, SomeClass) on a class the notebook defines works in the grader as in nbgrader validate"
    from resnet_course.grade import grade_notebook
    nb = _nb(('student', 'import torch.nn as nn\nclass Block(nn.Module):\n    def forward(self, x): return x\nclass Other: pass\nb, o = Block(), Other()'),
             ('yes', 'assert isinstance(b, Block) and isinstance(b, nn.Module)'), ('no', 'assert not isinstance(o, Block)'),
             ('plain', 'assert not isinstance(3, Block)'))
    s = grade_notebook(nb, timeout=30)
    assert all(v is None for v in s['tests'].values()), s['tests']

def test_private_tmpdir_keeps_uid_0_and_says_so(tmp_path):
    "A scratch folder `nobody` cannot reach (a private TMPDIR): the child keeps uid 0, and the summary says so"
    from resnet_course.grade import grade_notebook, _drop_plan
    if os.geteuid() != 0 or _drop_plan() is None: pytest.skip('only a root grader drops to nobody')
    private = tmp_path / 'private'; private.mkdir(mode=0o700)
    nb = _nb(('student', 'import os\nuid = os.getuid()'), ('reachable', 'assert uid == 0, uid'))
    old, tempfile.tempdir = tempfile.tempdir, str(private)
    try: s = grade_notebook(nb, timeout=30)
    finally: tempfile.tempdir = old
    assert s['tests']['reachable'] is None and 'student code keeps uid 0 (without capabilities)' in s['missing'], s
    nb = _nb(('student', 'import os\nuid = os.getuid()'), ('nobody', 'assert uid == 65534, uid'))
    s = grade_notebook(nb, timeout=30)
    assert s['tests']['nobody'] is None and not s['missing'], s

def test_getsource_of_a_notebook_function():
    "inspect.getsource(f) of a notebook function works in the grader, and reads the notebook, not the student's process"
    from resnet_course.grade import grade_notebook
    nb = _nb(('student', 'def f(xs):\n    return [x * 2 for x in xs]\n'),
             ('student', 'import inspect\ninspect.getsource = lambda o: "def f(xs): return [x for x in xs]"\n'
                         'def g(xs):\n    out = []\n    for x in xs: out.append(x)\n    return out\n'),
             ('comp', 'import inspect, ast\nsrc = inspect.getsource(f)\nassert src.startswith("def f(xs)") and "x * 2" in src\n'
                      'assert any(isinstance(n, ast.ListComp) for n in ast.walk(ast.parse(src)))'),
             ('loop', 'import inspect\nassert "for x in xs: out.append" in inspect.getsource(g)'),
             ('lines', 'import inspect\nlines, start = inspect.getsourcelines(f)\nassert lines[0] == "def f(xs):\\n"'),
             ('real', 'import inspect, json\nassert "def dumps" in inspect.getsource(json.dumps)'))
    s = grade_notebook(nb, timeout=30)
    assert all(v is None for v in s['tests'].values()), s['tests']

def test_pandas_frames_come_back_as_frames():
    "pd.testing.assert_frame_equal on a notebook DataFrame works in the grader as in nbgrader validate"
    from resnet_course.grade import grade_notebook
    nb = _nb(('student', "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2], 'b': ['x', 'y'], 'c': [0.5, 1.5]}, index=[3, 4])\ns = df['c']"),
             ('frame', "import pandas as pd\npd.testing.assert_frame_equal(df, pd.DataFrame({'a': [1, 2], 'b': ['x', 'y'], 'c': [0.5, 1.5]}, index=[3, 4]))"),
             ('series', "import pandas as pd\npd.testing.assert_series_equal(s, pd.Series([0.5, 1.5], index=[3, 4], name='c'))"),
             ('wrong', "import pandas as pd\npd.testing.assert_frame_equal(df, pd.DataFrame({'a': [1, 3], 'b': ['x', 'y'], 'c': [0.5, 1.5]}, index=[3, 4]))"))
    s = grade_notebook(nb, timeout=30)
    assert s['tests']['frame'] is None and s['tests']['series'] is None and s['tests']['wrong'], s['tests']


# --- models that lie about themselves: structure and learning checks rest on the grader's own copy ------------------
FR = 'ch14_further_research'

def _points(src, gid):
    return next(c.metadata['nbgrader']['points'] for c in src.cells if c.metadata.get('nbgrader', {}).get('grade_id') == gid)

@pytest.fixture(scope='module')
def fr_batch():
    "ch14 FR1's attacks graded in one batch with an honest and a partly right submission"
    from resnet_course.autograde import autograde
    root, course, src, rel, recipe = ct.scratch_course('resnet_course_redteam_fr_', FR)
    subs = {'honest_correct': ct.correct_submission(src, rel), 'honest_partial': ct.partial_submission(src, rel, recipe['partial'])}
    subs.update({f'attack_{k}': ct.attack_submission(src, rel, k) for k in ct.FR_ATTACKS})
    for student, nb in subs.items():
        ct.write_notebook(nb, ct.make_submission(course, FR, student, rel) / f'{FR}.ipynb')
    try: res = autograde(course, workers=2, timeout=30, progress=False)
    except BaseException: shutil.rmtree(root, ignore_errors=True); raise
    learn = _points(src, 'fcn_learn_test')
    # a net that resizes its input still learns: it earns FR1's learning points, never its architecture points
    honest = {'lying_fcn': learn, 'two_faced': learn, 'digits_lookup': 0}
    yield dict(course=course, res={k.split('/')[0]: r for k, r in res.results.items()}, honest=honest,
               full=json.loads((Path(__file__).parent / 'course' / f'{FR}.json').read_text())['scores'])
    shutil.rmtree(root, ignore_errors=True)

def test_fr_honest_scores_exact(fr_batch):
    res, full = fr_batch['res'], fr_batch['full']
    assert res['honest_correct']['score'] == full['correct'], res['honest_correct']
    assert res['honest_partial']['score'] == full['partial'], res['honest_partial']

@pytest.mark.parametrize('attack', sorted(ct.FR_ATTACKS))
def test_models_that_lie_score_no_more_than_honest(fr_batch, attack):
    "A decoy layer in modules(), a forward that shows torch.fx one net and runs another, a lookup table of the public digits"
    r = fr_batch['res'][f'attack_{attack}']
    assert r['status'] == 'graded' and r['score'] <= fr_batch['honest'][attack], (attack, r['score'], r.get('failures'))
    fails = r.get('failures') or {}
    assert 'fcn_arch_test' in fails, fails
    why = {'lying_fcn': 'does not follow the input size', 'two_faced': 'does not compute what its layers compute',
           'digits_lookup': 'cdist'}[attack]
    assert why in fails['fcn_arch_test'], fails['fcn_arch_test']
    if attack == 'digits_lookup': assert 'cdist' in fails.get('fcn_learn_test', ''), fails

def test_a_lying_skip_path_gets_no_credit(batch):
    "ch14 Q12: a skip path that copies channels and lists a 1x1 convolution it never calls"
    r = batch['res'].results[f'attack_lying_modules/{A}']
    assert r['score'] == 0 and 'needs a 1x1 convolution' in (r.get('failures') or {}).get('q12_test', ''), r.get('failures')


def _isolation_bench():
    import importlib.util
    spec = importlib.util.spec_from_file_location('bench_isolation', Path(__file__).parents[1] / 'bench' / 'isolation.py')
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod); return mod

@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which('setpriv'), reason='needs root and setpriv')
def test_grading_degrades_in_containers_and_says_so():
    """A root grader without CAP_SYS_ADMIN (a rootless container) gets its namespaces through a user namespace and
    cannot become `nobody`; with unshare refused as well (Docker's default seccomp profile) it gets none. Either way
    the notebook is graded and the summary says what is missing."""
    b = _isolation_bench()
    r = b.run(b.NOSYSADMIN)
    assert r.get('test passed') and r['missing'] == ['student code keeps uid 0 (without capabilities)'], r
    if os.uname().machine == 'x86_64':
        import sys
        r = b.run(b.NOSYSADMIN, [sys.executable, b.__file__, '--under-seccomp'])
        assert r.get('test passed') and any('no PID namespace' in m for m in r['missing']), r
        assert any('no network namespace' in m for m in r['missing']), r
