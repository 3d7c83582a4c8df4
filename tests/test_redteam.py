"""Red team: one hostile or broken submission per attack, graded in one batch with honest ones by
`resnet_course.autograde`. Each attack must score no more than its honest score, and the honest submissions in the
same batch must get exactly their expected scores. The attacks are built in tests/course_tools.py (`ATTACKS`)."""
import json, shutil, sqlite3, tempfile
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
    res = autograde(course, workers=2, timeout=15, memory_mb=6144, progress=False)
    yield course, res, written
    shutil.rmtree(root, ignore_errors=True)


def test_honest_submissions_in_the_batch(batch):
    course, res, _ = batch
    assert res.results[f'honest_correct/{A}']['score'] == FULL['correct'], res.results[f'honest_correct/{A}']
    assert res.results[f'honest_partial/{A}']['score'] == FULL['partial'], res.results[f'honest_partial/{A}']
    assert len(res.graded) == 2 + len(ct.ATTACKS)


@pytest.mark.parametrize('attack', sorted(ct.ATTACKS))
def test_attack_scores_no_more_than_honest(batch, attack):
    course, res, written = batch
    r = res.results[f'attack_{attack}/{A}']
    assert r['status'] in ('graded', 'unreadable'), r
    assert r['score'] <= HONEST[attack], (attack, r['score'], r.get('failures'), r.get('problems'))
    if ct.ATTACKS[attack] == 'correct' and HONEST[attack]:   # broken, not cheating: every right answer still counts
        assert r['score'] == HONEST[attack], (attack, r['score'], r.get('failures'), r.get('problems'))
    # the submission itself is never changed
    assert (course / 'submitted' / f'attack_{attack}' / A / f'{A}.ipynb').read_bytes() == written[f'attack_{attack}']


def test_sandbox_was_isolated(batch):
    "Reading the hidden tests and writing the gradebook only fail because Landlock hides the course folder"
    course, res, _ = batch
    assert res.results[f'honest_correct/{A}'].get('landlock', 0) >= 1, 'no Landlock: grade in a container (CONTRIBUTING.md)'


def test_gradebook_intact_and_outputs_bounded(batch):
    course, res, _ = batch
    con = sqlite3.connect(course / 'gradebook.db')
    assert con.execute('pragma integrity_check').fetchone()[0] == 'ok'
    con.close()
    big = course / 'autograded' / 'attack_huge_output' / A / f'{A}.ipynb'
    assert big.exists() and big.stat().st_size < 2_000_000, big.stat().st_size


def test_unreadable_submission_gets_a_reason(batch):
    r = batch[1].results[f'attack_invalid_json/{A}']
    assert r['status'] == 'unreadable' and r['score'] == 0 and any('invalid JSON' in p for p in r['problems']), r


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
