"""Grading time per honest submission, main tree against this tree, alternately in one run (issue 9).

usage: python bench/grading_ab.py /path/to/other/tree [rounds] [assignment] [--cold]
Grades the solved source notebook of an assignment (default ch14_questionnaire; every answer right, hidden tests
included), each tree its own, with `grade_notebook`, in a fresh process per tree and round (warm zygote after the
first notebook), and prints the ratio. With --cold each process grades one notebook with nothing warmed up, as
grading a single submission does (its time includes starting the zygote)."""
import json, subprocess, sys, os, statistics
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
ONE = r'''
import sys, time, json, nbformat
from resnet_course.grade import grade_notebook
nb0 = nbformat.read(sys.argv[1], as_version=4)
cold = len(sys.argv) > 2
if not cold: grade_notebook(nbformat.from_dict(nb0), timeout=60)            # warm the zygote
ts = []
for _ in range(1 if cold else 3):
    nb = nbformat.from_dict(nb0); t = time.perf_counter(); s = grade_notebook(nb, timeout=60); ts.append(time.perf_counter() - t)
    assert all(v is None for v in s['tests'].values()), s['tests']
print(json.dumps(ts))
'''

def run(tree, nb, cold=False):
    env = dict(os.environ, PYTHONPATH=str(tree), OMP_NUM_THREADS='1', MKL_NUM_THREADS='1', RESNET_COURSE_DATA='offline')
    out = subprocess.run([sys.executable, '-c', ONE, str(nb), *(['cold'] if cold else [])], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])

if __name__ == '__main__':
    other, rounds = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3
    a = sys.argv[3] if len(sys.argv) > 3 and not sys.argv[3].startswith('--') else 'ch14_questionnaire'
    nb = lambda tree: tree / 'nbs' / '_course' / 'source' / a / f'{a}.ipynb'
    times = {'other': [], 'this': []}
    for r in range(rounds):
        for name, tree in (('other', other), ('this', HERE)):
            times[name] += run(tree, nb(tree), '--cold' in sys.argv)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{a}{' (cold)' if '--cold' in sys.argv else ''}: per honest notebook (median of {len(times['this'])}): {other}: {med['other']:.2f} s, "
          f"this tree ({HERE}): {med['this']:.2f} s, ratio {med['this'] / med['other']:.3f}")
