"""Benchmark (not a test): grade the 16 sample submissions (nbs/_course/samples) with plain sequential
`nbgrader autograde` and with `resnet-course autograde --workers 2`, in two scratch copies of the course, and print
both times and the ratio; then the grading overhead per submission relative to simply executing the notebook.

    .venv/bin/python bench/autograde.py            # or: make bench-grading
"""
import os, sys, time, json, shutil, subprocess, tempfile
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1]/'tests'))
os.environ.setdefault('OMP_NUM_THREADS', '1')
import nbformat
import course_tools as ct
from resnet_course.collect import copy_course, collect, course_dir, ensure_path
from resnet_course import autograde as ag

def scratch(root, name):
    work = copy_course(root/name, course_dir(), subs=('source', 'release', 'samples'))
    collect(work/'samples'/'submissions.zip', work, work/'samples'/'roster.csv')
    return work

def main(workers=2):
    ensure_path()
    root = Path(tempfile.mkdtemp(prefix='resnet-course-bench-', dir='/dev/shm' if Path('/dev/shm').is_dir() else None))
    try:
        plain, ours = scratch(root, 'plain'), scratch(root, 'ours')
        names = sorted({p.parent.name for p in (plain/'submitted').glob('*/*/*.ipynb')})
        n = len(list((plain/'submitted').glob('*/*/*.ipynb')))
        for a in names:                                   # both gradebooks know the assignments before timing
            ct.release(plain, a); ag.ensure_gradebook(ours, a)
        nbgrader = [sys.executable, '-m', 'nbgrader']
        t = time.perf_counter()
        for a in names:
            subprocess.run([*nbgrader, 'autograde', a, '--force'], cwd=plain, capture_output=True)
        t_plain = time.perf_counter() - t
        t = time.perf_counter()
        res = ag.autograde(ours, workers=workers, progress=False)
        t_ours = time.perf_counter() - t
        print(f'{n} submissions, {os.cpu_count()} cores')
        print(f'plain nbgrader autograde, sequential:        {t_plain:7.1f} s  ({t_plain / n:.1f} s per submission)')
        print(f'resnet-course autograde --workers {workers}:          {t_ours:7.1f} s  ({t_ours / n:.1f} s per submission)')
        print(f'ratio (plain / ours):                         {t_plain / t_ours:7.2f}x')
        # overhead per submission: our full grading of one honest submission, one worker, vs executing it
        from nbclient import NotebookClient
        for a in names:
            sub = ours/'submitted'/'alice'/a/f'{a}.ipynb'
            nb = nbformat.read(str(sub), as_version=4)
            t = time.perf_counter()
            os.environ['NBGRADER_EXECUTION'] = 'autograde'   # the same work grading does (GPU-only cells skipped)
            NotebookClient(nb, timeout=120, kernel_name='python3', allow_errors=True,
                           resources={'metadata': {'path': str(sub.parent)}}).execute()
            t_exec = time.perf_counter() - t; os.environ.pop('NBGRADER_EXECUTION')
            t = time.perf_counter(); r = ag.grade_one(ours, a, 'alice'); t_grade = time.perf_counter() - t
            print(f'{a}: executing the notebook {t_exec:.1f} s, grading it (repair, sandbox, checks, gradebook) '
                  f'{t_grade:.1f} s: overhead {t_grade / t_exec:.2f}x (score {r.get("score")})')
    finally:
        shutil.rmtree(root, ignore_errors=True)

if __name__ == '__main__': main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
