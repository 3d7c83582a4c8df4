"""Repair of student submissions before grading (resnet_course.repair, nbs/10_repair.ipynb).

Every case starts from the real released notebooks in nbs/_course/release and the solutions in nbs/_course/source
(tests/course_tools.py builds the submissions). Most checks compare the repaired notebook with what nbgrader should
see: the released cells in the released order, answers from the student. One end-to-end test autogrades a
metadata-stripped submission with nbgrader, unrepaired and repaired.
"""
import copy
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import course_tools as ct  # noqa: E402
from resnet_course.repair import MAX_BYTES, Repaired, repair, repair_file  # noqa: E402

ASSIGNMENTS = ["ch14_questionnaire", "ch14_further_research", "ch13_review"]


# ------------------------------------------------------------------------------------------ helpers
def _src(a):
    return ct.COURSE / "source" / a / f"{a}.ipynb"


def _rel_path(a):
    return ct.COURSE / "release" / a / f"{a}.ipynb"


_cache = {}


def _rel(a):
    if a not in _cache:
        _cache[a] = nbformat.read(str(_rel_path(a)), as_version=4)
    return copy.deepcopy(_cache[a])


def _correct(a):
    return ct.correct_submission(_src(a), _rel(a))


def _m(c):
    return c.get("metadata", {}).get("nbgrader", {})


def _gid(c):
    return _m(c).get("grade_id")


def _idx(nb, gid):
    return next(i for i, c in enumerate(nb.cells) if _gid(c) == gid)


def _strip(nb):
    "Every cell's metadata removed, as some editors do"
    for c in nb.cells:
        c.metadata = {}
    return nb


def _js(nb):
    return json.dumps(nb)


def _answers(nb):
    "grade_id -> source of every answer (solution) cell"
    return {_gid(c): c.source for c in nb.cells if _m(c).get("solution")}


def _cells(nb):
    return [(c.cell_type, _gid(c), c.source) for c in nb.cells]


def _check(r, a):
    """The common promises of a repaired notebook: valid nbformat 4.5 with unique cell ids, no outputs, and the
    release's structure (its cells in its order, with its metadata); extra cells carry no nbgrader metadata."""
    assert isinstance(r, Repaired) and r.error is None and r.nb is not None, r.error
    nb = r.nb
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids))
    assert all(not c.outputs and c.execution_count is None for c in nb.cells if c.cell_type == "code")
    rel = _rel(a)
    assert nb.metadata == rel.metadata
    released = [c for c in nb.cells if not c.id.startswith("extra-")]
    assert [(c.id, c.cell_type, c.metadata) for c in released] == [(c.id, c.cell_type, c.metadata) for c in rel.cells]
    for got, want in zip(released, rel.cells):
        if not _m(want).get("solution"):
            assert got.source == want.source, f"{_gid(want)}: not the release's source"
    assert all(not c.metadata for c in nb.cells if c.id.startswith("extra-"))
    return nb


# ------------------------------------------------------------------------------------------ packaging
def test_import_is_light():
    code = "import sys, resnet_course.repair; print([m for m in ('torch', 'fastai', 'fastcore') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


# ------------------------------------------------------------------------------------------ nothing to repair
@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_untouched_release_needs_no_repair(a):
    r = repair(_rel_path(a), _rel_path(a))
    nb = _check(r, a)
    assert r.log == [] and r.missing == []
    assert _cells(nb) == _cells(_rel(a))


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_correct_submission_is_kept_as_it_is(a):
    sub = _correct(a)
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    assert r.log == [] and r.missing == []
    assert _cells(nb) == _cells(sub)


def test_inputs_accepted_as_bytes_text_path_and_notebook(tmp_path):
    a = "ch14_further_research"
    sub = _correct(a)
    p = ct.write_notebook(sub, tmp_path / "sub.ipynb")
    results = [repair(p, _rel_path(a)), repair(str(p), _rel_path(a)), repair(p.read_bytes(), _rel_path(a)),
               repair(p.read_text(), _rel(a)), repair(p.read_bytes(), str(_rel_path(a)))]
    assert all(_cells(r.nb) == _cells(sub) for r in results)


def test_deterministic():
    a = "ch14_questionnaire"
    sub = _js(ct.colab_resave(_strip(_correct(a))))
    one, two = repair(sub, _rel_path(a)), repair(sub, _rel_path(a))
    assert nbformat.writes(one.nb) == nbformat.writes(two.nb) and one.log == two.log


# ------------------------------------------------------------------------------------------ cosmetic repairs
@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_colab_resave_keeps_every_answer(a):
    sub = ct.colab_resave(_correct(a), seed=3)
    assert sub.nbformat_minor == 0 and "colab" in sub.metadata
    r = repair(_js(sub).encode(), _rel_path(a))
    nb = _check(r, a)
    assert _answers(nb) == _answers(_correct(a)) and r.missing == []
    assert [c.id for c in nb.cells] == [c.id for c in _rel(a).cells]   # fresh ids: the release's
    assert r.log == ["nbformat 4.0 upgraded to 4.5 (cell ids from the release)",      # one line per kind,
                     "notebook metadata dropped: accelerator, colab",                  # not one per cell
                     f"cell metadata dropped: id ({len(sub.cells)} cells)"]


def test_jupyter_run_outputs_and_metadata_cleared():
    a = "ch14_questionnaire"
    sub = _correct(a)
    sub.metadata["language_info"] = {"name": "python", "version": "3.11.0"}
    sub.metadata["vscode"] = {"interpreter": {"hash": "x"}}
    for k, c in enumerate(sub.cells):
        if c.cell_type == "code":
            c.execution_count = k + 1
            c.outputs = [nbformat.v4.new_output("stream", text="x" * 10_000)]
            c.metadata["execution"] = {"iopub.status.busy": "2026-01-01"}
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    assert _answers(nb) == _answers(_correct(a))
    n_code = sum(c.cell_type == "code" for c in sub.cells)
    assert r.log == ["notebook metadata dropped: vscode", f"cell metadata dropped: execution ({n_code} cells)",
                     f"outputs cleared from {n_code} code cells (grading runs the notebook again)"]


def test_nbformat3_notebook_is_converted():
    a = "ch14_further_research"
    v3 = nbformat.convert(_correct(a), 3)
    r = repair(nbformat.writes(v3, version=3), _rel_path(a))
    nb = _check(r, a)
    assert _answers(nb) == _answers(_correct(a))
    assert r.log[0] == "nbformat 3 converted to 4.5 (cell ids from the release)"


# ------------------------------------------------------------------------------------------ stripped metadata
@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_stripped_metadata_every_answer_recovered_by_alignment(a):
    sub = ct.colab_resave(_strip(_correct(a)))
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    assert r.missing == []
    assert _cells(nb) == _cells(_correct(a))
    n_graded = sum(1 for c in _rel(a).cells if _gid(c))
    assert f"nbgrader metadata missing from {n_graded} cells: matched to the release by position and content" in "\n".join(r.log)


def test_stripped_metadata_partial_submission_keeps_stubs_and_wrong_answers():
    "Unanswered stubs and wrong answers are recovered in their places too (nothing is 'missing')"
    a = "ch13_review"
    recipe = json.loads((Path(__file__).parent / "course" / f"{a}.json").read_text())["partial"]
    sub = ct.partial_submission(_src(a), _rel(a), recipe)
    r = repair(_js(_strip(copy.deepcopy(sub))), _rel_path(a))
    nb = _check(r, a)
    assert r.missing == [] and _answers(nb) == _answers(sub)


# ------------------------------------------------------------------------------------------ duplicates
@pytest.mark.parametrize("where", ["before", "after"])
def test_duplicated_answer_cell_keeps_the_students_work(where):
    a = "ch14_questionnaire"
    sub = _correct(a)
    i = _idx(sub, "q4a_sol")
    stub = copy.deepcopy(_rel(a).cells[i])                  # the stub pasted again, metadata and all
    sub.cells.insert(i if where == "before" else i + 1, stub)
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    assert _cells(nb) == _cells(_correct(a))
    assert r.log == ["q4a_sol: answer cell found 2 times; the last changed copy is graded"]


def test_duplicated_answer_both_changed_last_one_graded_other_kept():
    a = "ch14_questionnaire"
    sub = _correct(a)
    i = _idx(sub, "q4b_sol")
    older = copy.deepcopy(sub.cells[i])
    older.source = older.source.replace("q4_shape =", "q4_shape_old_try =")
    sub.cells.insert(i, older)
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    assert _answers(nb) == _answers(_correct(a))
    j, rel = _idx(nb, "q4b_sol"), _rel(a)
    assert nb.cells[j - 1].id.startswith("extra-") and nb.cells[j - 1].source == older.source   # where the student had it
    assert nb.cells[j - 2].source == rel.cells[_idx(rel, "q4b_sol") - 1].source                 # after the question
    assert "q4b_sol: answer cell found 2 times" in r.log[0] and "1 other changed copy kept" in r.log[0]


@pytest.mark.parametrize("strip_copy", [False, True])
def test_duplicated_test_cell_kept_once(strip_copy):
    a = "ch14_further_research"
    sub = _correct(a)
    i = _idx(sub, "einsum_test")
    dup = copy.deepcopy(sub.cells[i])
    if strip_copy:
        dup.metadata = {}
    sub.cells.insert(i + 1, dup)
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    assert _cells(nb) == _cells(_correct(a))
    assert r.log == ["einsum_test: test cell duplicated by the student (2 copies); one copy from the release kept"]


# ------------------------------------------------------------------------------------------ tests edited or deleted
@pytest.mark.parametrize("strip", [False, True])
def test_edited_test_cell_restored(strip):
    a = "ch14_questionnaire"
    sub = _correct(a)
    i = _idx(sub, "q10_test")
    sub.cells[i].source = sub.cells[i].source.replace("assert ", "pass  # assert ")
    if strip:
        _strip(sub)
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    assert _cells(nb) == _cells(_correct(a))
    assert "q10_test: test cell edited by the student; restored from the release" in r.log


@pytest.mark.parametrize("strip", [False, True])
def test_deleted_test_cell_restored(strip):
    a = "ch13_review"
    sub = _correct(a)
    del sub.cells[_idx(sub, "q31_test")]
    if strip:
        _strip(sub)
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    assert _cells(nb) == _cells(_correct(a))
    assert "q31_test: test cell deleted by the student; restored from the release" in r.log


def test_edited_read_only_cell_restored():
    a = "ch13_review"
    sub = _correct(a)
    i = _idx(sub, "digits_provided")
    sub.cells[i].source = "# I do not need this"
    r = repair(_js(sub), _rel_path(a))
    _check(r, a)
    assert "digits_provided: read-only cell edited by the student; restored from the release" in r.log


# ------------------------------------------------------------------------------------------ moved, split, deleted answers
def test_moved_answer_found_by_grade_id():
    a = "ch14_questionnaire"
    sub = _correct(a)
    sub.cells.append(sub.cells.pop(_idx(sub, "q3_sol")))        # moved to the end of the notebook
    sub.cells.insert(2, sub.cells.pop(_idx(sub, "q12_sol")))     # and one near the start
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    assert _cells(nb) == _cells(_correct(a)) and r.log == [] and r.missing == []


def test_moved_answer_without_metadata_found_by_the_stubs_lines():
    """Metadata stripped and the answer moved: it is not between its anchors any more, so it is found by the lines
    it kept from the stub (its docstring or def line), logged as found out of place."""
    a = "ch14_questionnaire"
    sub = _correct(a)
    sub.cells.append(sub.cells.pop(_idx(sub, "q3_sol")))
    r = repair(_js(_strip(sub)), _rel_path(a))
    nb = _check(r, a)
    assert _cells(nb) == _cells(_correct(a)) and r.missing == []
    assert f"q3_sol: answer cell found out of place (student cell {len(sub.cells) - 1}) by the lines it shares with the stub" in r.log


def test_moved_written_answer_without_metadata_is_missing():
    """Documented limit: a written (markdown) answer has no stub lines to recognise it by, so once it has lost its
    metadata and left its place it is reported missing rather than guessed; its cell stays where the student put it,
    for the person who grades it."""
    a = "ch14_further_research"
    sub = _correct(a)
    sub.cells.append(sub.cells.pop(_idx(sub, "einsum_written")))
    r = repair(_js(_strip(sub)), _rel_path(a))
    nb = _check(r, a)
    assert r.missing == ["einsum_written"]
    assert nb.cells[_idx(nb, "einsum_written")].source == "YOUR ANSWER HERE"
    want = _answers(_correct(a))
    written, want["einsum_written"] = want["einsum_written"], "YOUR ANSWER HERE"
    assert _answers(nb) == want
    assert nb.cells[-1].id.startswith("extra-") and (nb.cells[-1].cell_type, nb.cells[-1].source) == ("markdown", written)


@pytest.mark.parametrize("how", ["metadata_on_first", "metadata_on_both", "stripped"])
def test_split_answer_cell_both_parts_kept_in_order(how):
    "q3's answer split in two cells (Jupyter's split cell copies the metadata to both halves; other tools do not)"
    a = "ch14_questionnaire"
    sub = _correct(a)
    i = _idx(sub, "q3_sol")
    first, second = sub.cells[i].source.rsplit("\n", 1)
    sub.cells[i].source = first
    part2 = nbformat.v4.new_code_cell(second)
    if how == "metadata_on_both":
        part2.metadata = copy.deepcopy(sub.cells[i].metadata)
    sub.cells.insert(i + 1, part2)
    if how == "stripped":
        _strip(sub)
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    k, rel = _idx(nb, "q3_test"), _rel(a)
    assert [c.source for c in nb.cells[k - 2:k]] == [first, second]             # both parts, in order, before the test,
    assert nb.cells[k - 3].source == rel.cells[_idx(rel, "q3_sol") - 1].source  # after the question
    graded = nb.cells[_idx(nb, "q3_sol")].source
    assert graded == (second if how == "metadata_on_both" else first)          # with metadata on both: the last copy
    assert len(nb.cells) == len(rel.cells) + 1


@pytest.mark.parametrize("strip", [False, True])
def test_extra_student_cells_kept_in_place(strip):
    "Added code and markdown stay where the student had them; empty and raw cells and copies of instructions go"
    a = "ch14_further_research"
    sub = _correct(a)
    i = _idx(sub, "topk_sol")
    sub.cells.insert(i, nbformat.v4.new_code_cell("def _helper(x):\n    return x"))
    sub.cells.insert(i, nbformat.v4.new_markdown_cell("My notes on this question."))
    sub.cells.insert(i, copy.deepcopy(sub.cells[i - 1]))             # the question's text pasted twice
    sub.cells.insert(0, nbformat.v4.new_code_cell(""))               # an empty cell
    sub.cells.append(nbformat.v4.new_raw_cell("raw text"))
    if strip:
        _strip(sub)
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    assert _answers(nb) == _answers(_correct(a))
    rel, j = _rel(a), _idx(nb, "topk_sol")
    assert len(nb.cells) == len(rel.cells) + 2
    assert [(c.cell_type, c.source) for c in nb.cells[j - 2:j]] == [("markdown", "My notes on this question."),
                                                                    ("code", "def _helper(x):\n    return x")]
    assert all(c.id.startswith("extra-") for c in nb.cells[j - 2:j])
    assert nb.cells[j - 3].source == rel.cells[_idx(rel, "topk_sol") - 1].source
    k = next(i for i, c in enumerate(sub.cells) if c.source.startswith("My notes"))
    assert (f"2 cells added by the student (1 code, 1 markdown) kept after the released cell they followed "
            f"(student cells {k}, {k + 1})") in r.log
    assert "1 raw cell added by the student dropped (not graded)" in r.log
    assert "1 copy of released instruction cells or stubs dropped" in r.log


def test_edited_unlocked_code_cell_release_first_then_the_students():
    a = "ch14_further_research"
    sub = _correct(a)
    sub.cells[0].source += "\nimport numpy as np"
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    assert nb.cells[0].source == _rel(a).cells[0].source and nb.cells[1].source == sub.cells[0].source


def test_answer_cell_turned_markdown_graded_as_code():
    a = "ch14_questionnaire"
    sub = _correct(a)
    i = _idx(sub, "q2_answer_sol")
    c = sub.cells[i]
    sub.cells[i] = nbformat.v4.new_markdown_cell(c.source, metadata=c.metadata)
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    assert _cells(nb) == _cells(_correct(a))
    assert "q2_answer_sol: the student's cell had become markdown; graded as code, as released" in r.log


@pytest.mark.parametrize("strip", [False, True])
def test_deleted_answer_is_missing(strip):
    a = "ch14_questionnaire"
    sub = _correct(a)
    del sub.cells[_idx(sub, "q13_sol")]
    if strip:
        _strip(sub)
    r = repair(_js(sub), _rel_path(a))
    nb = _check(r, a)
    assert r.missing == ["q13_sol"]
    assert "q13_sol: answer cell not found; the released stub is graded (0 points)" in r.log
    want = _answers(_correct(a))
    want["q13_sol"] = _rel(a).cells[_idx(_rel(a), "q13_sol")].source
    assert _answers(nb) == want                                     # every other answer is still there


# ------------------------------------------------------------------------------------------ bad input
_BAD = {
    "empty": (b"", "empty file"),
    "blank": (b" \n\t\n", "empty file"),
    "truncated": (_rel_path("ch13_review").read_bytes()[:5000], "not a notebook: invalid JSON at line "),  # a broken download
    "random": (random.Random(0).randbytes(4096), "not a notebook: not UTF-8 text"),
    "json_list": (b"[1, 2, 3]", "not a notebook: the JSON is a list, not an object"),
    "no_cells": (b'{"metadata": {}, "nbformat": 4}', "not a notebook: the JSON has no 'cells' list"),
    "no_cell_left": (b'{"cells": [], "metadata": {}}', "the notebook has no cells"),
    "cells_not_objects": (b'{"cells": [1, "x", null]}', "the notebook has no cells"),
    "text": ("Dear professor, my notebook is attached.", "not a notebook: invalid JSON at line 1 column 1"),
}


@pytest.mark.parametrize("kind", sorted(_BAD))
def test_bad_input_gives_a_one_line_error(kind):
    data, msg = _BAD[kind]
    r = repair(data, _rel_path("ch14_questionnaire"))
    assert r.nb is None and r.error.startswith(msg) and "\n" not in r.error, r.error


@pytest.mark.parametrize("other", [a for a in ASSIGNMENTS if a != "ch14_questionnaire"])
@pytest.mark.parametrize("strip", [False, True])
def test_other_assignment_refused(other, strip):
    sub = _correct(other)
    if strip:
        _strip(sub)
    r = repair(_js(sub), _rel_path("ch14_questionnaire"))
    assert r.nb is None and r.error.startswith("not a submission of ch14_questionnaire: only "), r.error


def test_odd_but_readable_json_is_repaired(tmp_path):
    "Cells that are not objects, sources that are numbers, grade_ids that are not strings, a lone surrogate"
    a = "ch14_further_research"
    d = json.loads(_js(_correct(a)))
    d["cells"][0]["metadata"] = {"nbgrader": {"grade_id": 3}}
    d["cells"][1]["source"] = 12
    d["cells"][_idx(_correct(a), "topk_sol")]["source"] += '\nx = "\ud800"'
    d["cells"][:0] = [5, None, {"metadata": {"nbgrader": "x"}}]
    d["metadata"], d["nbformat"] = "x", "4"
    p = tmp_path / "odd.ipynb"
    p.write_text(json.dumps(d))                 # json.dumps escapes the surrogate: valid JSON text
    r = repair_file(p, _rel_path(a), tmp_path / "out.ipynb")
    nb = _check(r, a)
    assert nb.cells[_idx(nb, "topk_sol")].source.endswith('x = "?"')
    nbformat.validate(nbformat.read(str(tmp_path / "out.ipynb"), as_version=4))


def test_huge_file_refused_unread(tmp_path):
    p = tmp_path / "huge.ipynb"
    with open(p, "wb") as f:                       # sparse: 60 MB on paper, nothing on disk
        f.truncate(60 * 2**20)
    r = repair(p, _rel_path("ch14_questionnaire"))
    assert r.nb is None and r.error == "too large to be a notebook: 60 MB (limit 50 MB)"
    assert MAX_BYTES == 50 * 2**20


def test_programmer_errors_raise(tmp_path):
    with pytest.raises(FileNotFoundError):
        repair(tmp_path / "no_such_submission.ipynb", _rel_path("ch14_questionnaire"))
    with pytest.raises(FileNotFoundError):
        repair(b"{}", tmp_path / "no_such_release.ipynb")


# ------------------------------------------------------------------------------------------ repair_file
def test_repair_file_never_modifies_the_submission(tmp_path):
    a = "ch14_questionnaire"
    sub = ct.write_notebook(ct.colab_resave(_strip(_correct(a))), tmp_path / "in" / "sub.ipynb")
    os.utime(sub, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = (sub.read_bytes(), sub.stat().st_mtime_ns)
    out = tmp_path / "out" / "sub.ipynb"
    r = repair_file(sub, _rel_path(a), out)
    assert (sub.read_bytes(), sub.stat().st_mtime_ns) == before
    written = nbformat.read(str(out), as_version=4)
    nbformat.validate(written)
    assert _cells(written) == _cells(_correct(a)) and r.missing == []
    assert sorted(p.name for p in out.parent.iterdir()) == ["sub.ipynb"]    # no temporary file left behind
    first = out.read_bytes()
    repair_file(sub, _rel_path(a), out)
    assert out.read_bytes() == first                                         # deterministic
    with pytest.raises(ValueError, match="never overwrites"):
        repair_file(sub, _rel_path(a), sub)
    assert (sub.read_bytes(), sub.stat().st_mtime_ns) == before


def test_repair_file_writes_nothing_for_bad_input(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_bytes(b'{"cells": [')
    out = tmp_path / "out.ipynb"
    r = repair_file(bad, _rel_path("ch14_questionnaire"), out)
    assert r.nb is None and r.error and not out.exists()
    assert bad.read_bytes() == b'{"cells": ['


# ------------------------------------------------------------------------------------------ end to end with nbgrader
_FAST_TMP = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def test_nbgrader_full_score_only_after_repair():
    """A correct submission whose cell metadata an editor stripped: nbgrader alone scores it 0 (every test "needs
    manual grade"); the repaired notebook gets every autograded point."""
    a = "ch14_further_research"
    scratch = Path(tempfile.mkdtemp(prefix="resnet_course_repair_", dir=_FAST_TMP))
    try:
        course = ct.copy_course(scratch / "course")
        ct.release(course, a)
        rel = course / "release" / a / f"{a}.ipynb"
        stripped = _strip(_correct(a))
        ct.make_submission(course, a, "unrepaired", stripped)
        d = ct.make_submission(course, a, "repaired", _rel(a))      # placeholder, replaced by repair_file
        sub = ct.write_notebook(stripped, scratch / "handed_in.ipynb")
        r = repair_file(sub, rel, d / f"{a}.ipynb")
        assert r.missing == [] and r.error is None
        full = ct.max_auto_points(_src(a))
        assert ct.autograde(course, a, "unrepaired") == {a: 0.0}
        assert ct.autograde(course, a, "repaired") == {a: full}, ct.failures(course, a, "repaired")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
