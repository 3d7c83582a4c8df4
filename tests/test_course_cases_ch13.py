"""Answers that ch13_review's hidden tests used to judge wrongly (issue 10), graded for real.

For every test fixed in issue 10 there is a right answer the old test rejected and/or a wrong answer it accepted
(where the old test rejected no right answer, or accepted no wrong one, the entry says so). Each answer replaces
an answer cell of the correct sample (the source's solutions, with the instructor's hidden tests); the cases are
grouped into two notebooks (all right answers plus the reference solutions of the other fixed tests, all wrong
ones) and each notebook is graded twice:

- by `resnet_course.grade.grade_notebook`, the grader of `resnet-course autograde` (student cells in a sandboxed
  child process, test cells in the grader), and
- by `nbgrader validate`, which runs the test cells in the student's own kernel (plain nbgrader).

Right answers must pass every test in both, wrong ones must fail their own test in both.
"""
import copy
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import course_tools as ct  # noqa: E402

A = "ch13_review"
SRC = ct.COURSE / "source" / A / f"{A}.ipynb"

# test cell -> (answer cell, right answer the old test rejected or None, wrong answer the old test accepted or None)
CASES = {
    "q2_test": ("q2",
        # right: the edge between the first and the second row of the window; the old test put it only between
        # the second and the third, where this kernel gives 0
        "def top_edge_kernel():\n    return torch.tensor([[-1., -1., -1.], [1., 1., 1.], [0., 0., 0.]])",
        # wrong: positive on a top edge at one offset but negative at the other one; the old test saw one offset
        "def top_edge_kernel():\n    return torch.tensor([[1., 1., 1.], [-3., -3., -3.], [2., 2., 2.]])"),
    "q3_test": ("q3", None,   # the old test rejected no right answer we found
        # wrong: a convolution by another name; the old test switched off only F.conv2d and torch.conv2d
        "def apply_kernel(img, row, col, kernel):\n"
        "    out = torch.convolution(img[None, None], kernel[None, None], None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1)\n"
        "    return out[0, 0, row, col].item()"),
    "q7_test": ("q7", None,
        # wrong for the question (it asks for a nested list comprehension): plain loops
        "def conv_lists(img, kernel):\n"
        "    k, out = len(kernel), []\n"
        "    for r in range(len(img) - k + 1):\n"
        "        row = []\n"
        "        for c in range(len(img[0]) - k + 1):\n"
        "            row.append(float(sum(kernel[i][j] * img[r + i][c + j] for i in range(k) for j in range(k))))\n"
        "        out.append(row)\n"
        "    return out"),
    "q10_test": ("q10", None,
        # wrong: the matrix read off a library convolution of basis images
        "def conv_matrix(kernel, h, w):\n"
        "    k = kernel.shape[0]\n"
        "    basis = torch.eye(h * w).reshape(h * w, 1, h, w)\n"
        "    out = torch.convolution(basis, kernel[None, None].float(), None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1)\n"
        "    return out.reshape(h * w, -1).T.contiguous()"),
    "q15b_test": ("q15b",
        # right: counts the output grid the stride really gives (the old test wanted the input grid's 7x7 count)
        "def conv_mults(n_in, n_out, ks, h, w, stride=1, padding=0):\n"
        "    oh, ow = (h + 2 * padding - ks) // stride + 1, (w + 2 * padding - ks) // stride + 1\n"
        "    return n_in * n_out * ks * ks * oh * ow",
        # wrong: multiplies by the input grid, like the chapter's 7*7*(1168-16) for a stride-2 layer
        "def conv_mults(n_in, n_out, ks, h, w, stride=1, padding=0):\n"
        "    return h * w * n_in * n_out * ks * ks"),
    "q21_test": ("q21", None,
        "def color_conv_pixel(img, kernel, row, col):\n"
        "    out = torch.convolution(img[None], kernel[None], None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1)\n"
        "    return out[0, 0, row, col].item()"),
    "q38_test": ("q38", None,
        # the library answers for the student (the question asks them to know what is trained)
        "def bn_trainable_params(nf):\n    return sum(p.numel() for p in nn.BatchNorm2d(nf).parameters() if p.requires_grad)"),
    "fr3a_test": ("fr3a",
        # right: the chapter's order (conv -> ReLU -> BN) as the default; the old task called the other order the chapter's
        "def conv_block(ni, nf, bn_first=False):\n"
        "    conv = nn.Conv2d(ni, nf, 3, stride=2, padding=1, bias=not bn_first)\n"
        "    return nn.Sequential(conv, nn.BatchNorm2d(nf), nn.ReLU()) if bn_first else nn.Sequential(conv, nn.ReLU(), nn.BatchNorm2d(nf))",
        # wrong: conv -> BN -> ReLU presented as the chapter's order (the old reference solution)
        "def conv_block(ni, nf, act_before_bn=False):\n"
        "    conv = nn.Conv2d(ni, nf, 3, stride=2, padding=1, bias=bool(act_before_bn))\n"
        "    return nn.Sequential(conv, nn.ReLU(), nn.BatchNorm2d(nf)) if act_before_bn else nn.Sequential(conv, nn.BatchNorm2d(nf), nn.ReLU())"),
    "fr1_haar_test": ("fr1_haar", None,   # new in issue 10 (FR1 had no graded code part): the box above minus the one below
        "def integral_image(img):\n    return F.pad(img.cumsum(0).cumsum(1), (1, 0, 1, 0))\n\n"
        "def haar_top_edge(ii, r, c, h, w):\n"
        "    box = lambda r0: ii[r0 + h, c + w] - ii[r0, c + w] - ii[r0 + h, c] + ii[r0, c]\n"
        "    return float(box(r) - box(r + h))"),
}
# Needs switched_off to act below Python attributes (the sandbox work): an alias taken before the test runs.
ALIAS = {"q3_test": ("q3",
    "_conv = F.conv2d   # taken before the test switches F.conv2d off\n"
    "def apply_kernel(img, row, col, kernel):\n"
    "    return _conv(img[None, None], kernel[None, None], padding=1)[0, 0, row, col].item()")}


def _gid(c):
    return c.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _notebook(answers):
    "The correct sample with the instructor's tests, cut down to the setup and the cells of `answers` ({test: (cell, source)})"
    src = nbformat.read(str(SRC), as_version=4)
    sols = ct.solutions(src)
    want = {"setup_imports"} | {t for t in answers} | {cell for cell, _ in answers.values()}
    nb = copy.deepcopy(src)
    nb.cells = [c for c in nb.cells if c.cell_type == "code" and _gid(c) in want]
    repl = {cell: s for cell, s in answers.values()}
    for c in nb.cells:
        g = _gid(c)
        if g in sols:
            c.source = repl.get(g, sols[g])
    return nb


def _by_grader(nb):
    "grade_id -> None (passed) or the error, graded the way `resnet-course autograde` grades"
    from resnet_course.grade import grade_notebook
    return grade_notebook(copy.deepcopy(nb), timeout=60)["tests"]


def _by_nbgrader(nb):
    "grade_id -> None (passed) or the error, with `nbgrader validate` (tests run in the student's kernel)"
    d = Path(tempfile.mkdtemp(prefix="resnet_course_cases_", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    try:
        course = ct.copy_course(d / "course")
        p = course / "source" / A / "cases.ipynb"
        nbformat.write(nb, str(p))
        res = ct.validate(p, course_dir=course)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    tests = {_gid(c): c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}
    out = {g: None for g in tests}
    for c in res.get("failed", []):
        g = next((g for g, s in tests.items() if s.strip() == c.get("source", "").strip()), None)
        assert g is not None, f"validate reported a failure in a cell that is not a test: {c.get('source', '')[:80]!r}"
        out[g] = (c.get("error") or c.get("raw_error") or "failed").strip().split("\n")[-1]
    assert set(res) <= {"failed"}, res
    return out


GRADERS = {"grader": _by_grader, "nbgrader": _by_nbgrader}


@pytest.mark.parametrize("how", GRADERS)
def test_right_answers_pass(how):
    "The right answers, and the reference solution where the old test rejected no right answer"
    sols = ct.solutions(nbformat.read(str(SRC), as_version=4))
    answers = {t: (cell, right or sols[cell]) for t, (cell, right, _) in CASES.items()}
    got = GRADERS[how](_notebook(answers))
    assert {t: got.get(t, "not graded") for t in answers} == {t: None for t in answers}


@pytest.mark.parametrize("how", GRADERS)
def test_wrong_answers_fail(how):
    answers = {t: (cell, wrong) for t, (cell, _, wrong) in CASES.items() if wrong}
    got = GRADERS[how](_notebook(answers))
    passed = [t for t in answers if got.get(t, "not graded") is None]
    assert not passed, f"wrong answers passed: {passed}"


def _aliases_blocked(how):
    "Does switched_off stop a function taken before it started (needed below attribute level)?"
    import torch
    import torch.nn.functional as F
    if how == "grader":
        from resnet_course.child import switched_off
    else:
        from resnet_course.grade import switched_off
    f = F.conv2d
    try:
        with switched_off("torch.nn.functional.conv2d", "torch.conv2d", "torch.convolution"):
            f(torch.zeros(1, 1, 3, 3), torch.zeros(1, 1, 3, 3))
    except Exception:
        return True
    return False


@pytest.mark.parametrize("how", GRADERS)
def test_aliased_shortcut_fails(how):
    if not _aliases_blocked(how):
        pytest.skip("switched_off patches module attributes only here; an alias taken earlier needs the sandbox's "
                    "enforcement below Python attributes")
    got = GRADERS[how](_notebook(ALIAS))
    assert all(got.get(t) is not None for t in ALIAS), got


def _rubric(gid):
    nb = nbformat.read(str(SRC), as_version=4)
    return next(c.source for c in nb.cells if _gid(c) == gid)


def test_q19_rubric_stem_figures():
    "The Q19 rubric's stem costs are what layer_costs measures (bench/ch13_rubrics.py prints them)"
    sys.path.insert(0, str(ct.REPO / "bench"))
    import ch13_rubrics
    a, b = ch13_rubrics.stem_macs(224)
    text = _rubric("q19")
    assert f"{b / a:.1f}×" in text and f"{b / 1e6:.0f} M against {a / 1e6:.0f} M" in text, (a, b)
    assert "*not* cheaper" in text


def test_fr3_follows_the_chapter():
    "FR3's text and rubric name the chapter's order (conv -> ReLU -> BN), as fastbook ch13's `conv` builds it"
    nb = nbformat.read(str(SRC), as_version=4)
    i = next(i for i, c in enumerate(nb.cells) if _gid(c) == "fr3a")
    assert "applies the convolution, then the ReLU, then batch norm" in nb.cells[i - 1].source
    assert "with `bn_first=False`, the chapter's order: `nn.ReLU()` then `nn.BatchNorm2d(nf)`" in nb.cells[i - 1].source
    assert "the chapter's conv→ReLU→BN" in _rubric("fr3b")
