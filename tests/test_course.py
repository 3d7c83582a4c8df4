"""Checks of the nbgrader course in nbs/_course (see tests/course_tools.py).

Every assignment with a notebook in nbs/_course/source/<a>/<a>.ipynb is checked:
 1. the committed release is what generate_assignment makes from the source;
 2. `nbgrader validate` passes on the source (instructor) notebook;
 3. `nbgrader validate --invert` passes on the untouched release (no graded test passes on the stubs);
 4. sample submissions autograde to the exact scores written by hand in tests/course/<a>.json:
    correct, untouched release, partly wrong, and the correct one re-saved the way Google Colab saves it.
All grading happens in tmp copies of the course; nothing is written into nbs/_course.
Run `pytest -s tests/test_course.py` to see the autograde time of each submission.
"""
import atexit
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import course_tools as ct  # noqa: E402

ASSIGNMENTS = ct.assignments()
SUBMISSIONS = ["correct", "release", "partial", "colab"]
EXPECTED = Path(__file__).parent / "course"


def _src(a):
    return ct.COURSE / "source" / a / f"{a}.ipynb"


def _rel(a):
    return ct.COURSE / "release" / a / f"{a}.ipynb"


def _expected(a):
    p = EXPECTED / f"{a}.json"
    if not p.exists():
        pytest.fail(f"no expected scores for {a}: add {p.relative_to(ct.REPO)} "
                    '({"partial": {"fill": [...], "wrong": {...}}, "scores": {...}})')
    return json.loads(p.read_text())


_courses = {}
# nbgrader commits to its SQLite gradebook once per cell; on a disk that costs seconds per notebook, so the
# tmp courses go to a RAM-backed folder when the machine has one.
_FAST_TMP = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def _scratch(prefix):
    d = Path(tempfile.mkdtemp(prefix=f"resnet_course_{prefix}_", dir=_FAST_TMP))
    atexit.register(shutil.rmtree, d, True)
    return d


@pytest.fixture
def tmp_course():
    "A fresh copy of the course in a scratch folder (removed when the test process ends)."
    return ct.copy_course(_scratch("course") / "course")


@pytest.fixture
def graded_course():
    """A scratch copy of the course in which generate_assignment has been run for the assignment
    (that fills the gradebook with the source's grade cells, which autograde needs). One per assignment
    and test process, shared by the tests of that process; each submission uses its own student id."""
    def get(a):
        if a not in _courses:
            course = ct.copy_course(_scratch(a) / "course")
            ct.release(course, a)
            _courses[a] = course
        return _courses[a]
    return get


def test_assignments_found():
    assert "ch13_review" in ASSIGNMENTS, ASSIGNMENTS


# ------------------------------------------------------------------------------------------ hygiene
@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_source_is_clean_and_well_formed(a):
    nb = nbformat.read(str(_src(a)), as_version=4)
    ids = []
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None, f"{a}: source has outputs; run nbdev_clean --fname nbs/_course/source"
        m = c.metadata.get("nbgrader")
        if not m:
            continue
        ids.append(m["grade_id"])
        if m.get("grade"):
            assert m.get("points", 0) > 0, f"{a}/{m['grade_id']}: a graded cell needs points"
    assert len(ids) == len(set(ids)), f"{a}: duplicate grade_id"
    assert ct.max_auto_points(_src(a)) > 0


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_release_exists(a):
    assert _rel(a).exists(), f"no release for {a}: run `python tests/course_tools.py release`"


# ------------------------------------------------------------------------------------------ 1. release
@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_release_matches_source(a, graded_course):
    course = graded_course(a)
    fresh = course / "release" / a
    committed = ct.COURSE / "release" / a
    assert sorted(p.name for p in fresh.iterdir()) == sorted(p.name for p in committed.iterdir())
    got, want = ct.release_signature(committed / f"{a}.ipynb"), ct.release_signature(fresh / f"{a}.ipynb")
    assert len(got) == len(want), f"{a}: release has {len(got)} cells, generate_assignment gives {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"{a}: release cell {i} differs from generate_assignment; run `python tests/course_tools.py release`"


# ------------------------------------------------------------------------------------------ 2. validate
@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_source_validates(a, tmp_course):
    course = tmp_course
    res = ct.validate(course / "source" / a / f"{a}.ipynb", course_dir=course)
    assert res == {}, _summary(res)


# ------------------------------------------------------------------------------------------ 3. invert
@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_release_stub_fails_every_test(a, tmp_course):
    course = tmp_course
    res = ct.validate(course / "release" / a / f"{a}.ipynb", invert=True, course_dir=course)
    assert res == {}, _summary(res)


def _summary(res):
    out = []
    for kind, cells in res.items():
        for c in cells:
            out.append(f"{kind}: {c.get('source', '')[:80]!r}: {(c.get('raw_error') or '').strip()[-300:]}")
    return "\n".join(out)


# ------------------------------------------------------------------------------------------ 4. autograde
def _submission(a, kind):
    src = nbformat.read(str(_src(a)), as_version=4)
    rel = nbformat.read(str(_rel(a)), as_version=4)
    if kind == "correct":
        return ct.correct_submission(src, rel)
    if kind == "release":
        return rel
    if kind == "partial":
        return ct.partial_submission(src, rel, _expected(a)["partial"])
    if kind == "colab":
        return ct.colab_resave(ct.correct_submission(src, rel), seed=len(a))
    raise ValueError(kind)


@pytest.mark.parametrize("kind", SUBMISSIONS)
@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_autograde_scores(a, kind, graded_course, record_property):
    want = _expected(a)["scores"][kind]
    course = graded_course(a)
    student = f"student_{kind}"
    ct.make_submission(course, a, student, _submission(a, kind))
    t = time.time()
    scores = ct.autograde(course, a, student)
    dt = time.time() - t
    print(f"\n[autograde] {a} / {kind}: score {scores.get(a)} of {ct.max_auto_points(_src(a))} in {dt:.1f} s")
    record_property("autograde_seconds", round(dt, 1))
    assert scores == {a: float(want)}, (f"{a}/{kind}: got {scores}, expected {want}; failed cells: "
                                        f"{ct.failures(course, a, student)}")


def test_expected_scores_are_consistent():
    "The hand-written numbers agree with the notebooks: full marks = the autograded points, release = 0."
    for a in ASSIGNMENTS:
        exp = _expected(a)
        full = ct.max_auto_points(_src(a))
        assert exp["scores"]["correct"] == full == exp["scores"]["colab"], (a, exp["scores"], full)
        assert exp["scores"]["release"] == 0
        assert 0 < exp["scores"]["partial"] < full


# ------------------------------------------------------------------------------------------ config
def _tiny_assignment(course, name):
    "A two-question assignment: a correct answer whose test emits a UserWarning, and one that writes plain stderr."
    def meta(gid, **kw):
        m = {"grade": False, "grade_id": gid, "locked": False, "schema_version": 3, "solution": False, "task": False}
        m.update(kw)
        return {"nbgrader": m}
    cells = [
        nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", metadata=meta("sol", solution=True)),
        nbformat.v4.new_code_cell('import warnings\nwarnings.warn("x", UserWarning)\nassert x == 1',
                                  metadata=meta("warns", grade=True, locked=True, points=1)),
        nbformat.v4.new_code_cell('import sys\nprint("not a warning", file=sys.stderr)\nassert x == 1',
                                  metadata=meta("stderr", grade=True, locked=True, points=1)),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    d = course / "source" / name
    d.mkdir(parents=True)
    nbformat.write(nb, str(d / f"{name}.ipynb"))
    return nb


def test_warnings_do_not_fail_a_correct_answer():
    course = _scratch("tiny") / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text((ct.COURSE / "nbgrader_config.py").read_text())
    nb = _tiny_assignment(course, "tiny")
    ct.release(course, "tiny")
    sub = ct.correct_submission(nb, nbformat.read(str(course / "release" / "tiny" / "tiny.ipynb"), as_version=4))
    ct.make_submission(course, "tiny", "s1", sub)
    # the UserWarning test passes (IgnorePattern drops it); plain stderr output still fails, as nbgrader intends
    assert ct.autograde(course, "tiny", "s1") == {"tiny": 1.0}


def test_config_is_self_contained(tmp_path):
    course = ct.copy_course(tmp_path / "course")
    cfg = ct.load_config(course)
    assert cfg.CourseDirectory.root == str(course)
    assert cfg.CourseDirectory.course_id == "resnet_course"
    assert cfg.CourseDirectory.db_url == f"sqlite:///{course}/gradebook.db"
    assert cfg.IgnorePattern.enabled is True and cfg.Execute.timeout <= 60


def test_gitignore_covers_grading_state():
    text = (ct.REPO / ".gitignore").read_text().split()
    for entry in ["gradebook.db", "submitted/", "autograded/", "feedback/", ".nbgrader.log"]:
        assert f"nbs/_course/{entry}" in text, entry
