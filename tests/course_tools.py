"""Helpers for the nbgrader course in nbs/_course (used by tests/test_course.py).

Releasing, loading the configuration and copying a course live in `resnet_course.collect` (the
`resnet-course release` command); they are imported from there. Instructor commands kept for convenience:

    python tests/course_tools.py release [ASSIGNMENT ...]   # same as `resnet-course release [ASSIGNMENT ...]`
    python tests/course_tools.py validate                   # nbgrader validate every source notebook

Everything here takes a course directory so the tests can work on a tmp copy of nbs/_course.
"""
from __future__ import annotations

import copy
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
