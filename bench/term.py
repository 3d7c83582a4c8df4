"""The instructor's term on the 16 sample submissions: seconds per step, in one run.

In a scratch copy of the course: collect the Moodle-style zip with the roster, set due dates and an extension,
autograde (`--workers`, the sandboxed grader), give every hand-graded item a grade and a comment (what the
`resnet-course handgrade` page saves), then feedback, the CSV / Moodle / Canvas exports, the report (with the
similarity page) and a re-collect + autograde of one changed submission. Prints one line per step.

Usage: python bench/term.py [--workers 2]
"""
import argparse, shutil, sys, tempfile, time, zipfile
from pathlib import Path


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--workers', type=int, default=2)
    a = p.parse_args(argv)
    from resnet_course.collect import collect, copy_course, course_dir
    from resnet_course.autograde import autograde, set_due, extend, feedback, export, report
    from resnet_course.handgrade import manual_items, save_grade
    tmp = Path(tempfile.mkdtemp(prefix='bench_term_'))
    times = []
    def step(name, fn):
        t = time.perf_counter(); out = fn(); times.append((name, time.perf_counter() - t))
        print(f'{name:<44} {times[-1][1]:7.1f} s   {out}', flush=True)
        return out
    try:
        work = copy_course(tmp/'course', course_dir(), subs=('source', 'release', 'samples'))
        zp, roster = work/'samples'/'submissions.zip', work/'samples'/'roster.csv'
        step('collect (zip of 16, roster)', lambda: collect(zp, work, roster).summary())
        step('due dates and an extension', lambda: (set_due(work, 'ch14_questionnaire', '2026-11-21T00:00'),
                                                    set_due(work, 'ch14_further_research', '2026-11-20T00:00'),
                                                    extend(work, 'ch14_further_research', 'alice', '2026-11-21T00:00')) and 'set')
        step(f'autograde (--workers {a.workers})', lambda: autograde(work, workers=a.workers, progress=False).summary().splitlines()[0])
        def hand():
            items = [i for i in manual_items(work) if i['pending']]
            for i in items: save_grade(work, None, i['assignment'], i['notebook'], i['student'], i['grade_id'], i['max_score'] / 2, 'see the rubric')
            return f'{len(items)} written answers graded'
        step('hand grading (every pending item saved)', hand)
        step('feedback', lambda: feedback(work, progress=False).summary())
        step('export csv', lambda: export(work, tmp/'grades.csv').path.name)
        step('export moodle', lambda: export(work, tmp/'moodle.csv', format='moodle').path.name)
        step('report (plots, table, similarity page)', lambda: report(work, tmp/'report')[0].name)
        def resubmit():   # one student hands in again: only that notebook is graded
            src = next(work.glob('submitted/*/ch14_questionnaire/ch14_questionnaire.ipynb'))
            zp2 = tmp/'again.zip'
            with zipfile.ZipFile(zp) as z: name = next(n for n in z.namelist() if 'ch14_questionnaire' in n)
            with zipfile.ZipFile(zp2, 'w') as z:
                z.writestr(zipfile.ZipInfo(name, date_time=(2026, 11, 20, 18, 0, 0)), src.read_text().replace('"execution_count": null', '"execution_count": null ', 1))
            c = collect(zp2, work, roster).summary()
            return c + '; ' + autograde(work, workers=a.workers, progress=False).summary().splitlines()[0]
        step('resubmission: collect + autograde again', resubmit)
        print(f"{'total':<44} {sum(t for _, t in times):7.1f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__': main()
