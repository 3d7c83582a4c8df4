"""The structure attacks of tests/course_tools.py (`SOLUTION_ATTACKS`: a lying skip path, a resizing net with a decoy
pooling layer, a two-faced forward, a lookup of the public digits) graded by another tree's grader and course, next to
an honest submission: what they scored before `twin` (issue 9). Run it with the other tree first on the path:

    git worktree add /tmp/old ff239ef
    PYTHONPATH=/tmp/old .venv/bin/python bench/structure_attacks.py /tmp/old
"""
import sys, shutil
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'tests'))
import course_tools as ct                                   # this tree's attacks ...
import resnet_course
from resnet_course.autograde import autograde              # ... graded by whichever resnet_course is first on the path

if __name__ == '__main__':
    other = Path(sys.argv[1]).resolve()
    ct.COURSE = other / 'nbs' / '_course'                    # ... on that tree's course (its source, release and tests)
    print('grader:', Path(resnet_course.__file__).parent, '| course:', ct.COURSE)
    for A, kinds in [('ch14_questionnaire', ['lying_modules']), ('ch14_further_research', sorted(ct.FR_ATTACKS))]:
        root, course, src, rel, recipe = ct.scratch_course('structure_attacks_', A)
        try:
            for k in kinds:
                ct.write_notebook(ct.attack_submission(src, rel, k), ct.make_submission(course, A, f'attack_{k}', rel) / f'{A}.ipynb')
            ct.write_notebook(ct.correct_submission(src, rel), ct.make_submission(course, A, 'honest', rel) / f'{A}.ipynb')
            res = autograde(course, workers=2, timeout=30, progress=False)
            for key, r in sorted(res.results.items()):
                why = {k: v[:120] for k, v in (r.get('failures') or {}).items() if 'fcn' in k or 'q12' in k}
                print(f"{key:45s} {r['score']:5.1f}  {why or ''}")
        finally: shutil.rmtree(root, ignore_errors=True)
