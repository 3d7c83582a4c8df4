"""resnet_course.autograde on a scratch course: parallel grading, resuming, re-grading only what changed, --db,
the CSV export, the report and the command line. (The attacks are in test_redteam.py.)"""
import csv, json, shutil, tempfile
from pathlib import Path
import nbformat, pytest
import course_tools as ct

A = 'ch14_further_research'          # the quickest assignment to grade
SCORES = json.loads((Path(__file__).parent / 'course' / f'{A}.json').read_text())['scores']


@pytest.fixture(scope='module')
def course():
    root, c, src, rel, recipe = ct.scratch_course('resnet_course_ag_', A)
    ct.make_submission(c, A, 'alice', ct.correct_submission(src, rel))
    ct.make_submission(c, A, 'bob', ct.partial_submission(src, rel, recipe['partial']))
    yield c, src, rel
    shutil.rmtree(root, ignore_errors=True)


def test_resume_and_regrade_only_changes(course):
    from resnet_course.autograde import autograde, load_state
    c, src, rel = course
    r1 = autograde(c, students=['alice'], workers=1, progress=False)          # an "interrupted" run: one done
    assert r1.graded == [f'alice/{A}'] and r1.results[f'alice/{A}']['score'] == SCORES['correct']
    r2 = autograde(c, workers=2, progress=False)                              # picks up the rest only
    assert r2.graded == [f'bob/{A}'] and r2.unchanged == [f'alice/{A}']
    assert r2.results[f'bob/{A}']['score'] == SCORES['partial']
    ct.make_submission(c, A, 'bob', ct.correct_submission(src, rel))          # bob hands in again
    r3 = autograde(c, workers=2, progress=False)
    assert r3.graded == [f'bob/{A}'] and r3.results[f'bob/{A}']['score'] == SCORES['correct']
    assert load_state(c)[f'bob/{A}']['score'] == SCORES['correct']
    assert 'unchanged' in autograde(c, progress=False).summary()


def test_export_and_report(course):
    from resnet_course.autograde import autograde, export, report, grades_table
    c, _, _ = course
    autograde(c, workers=2, progress=False)
    out = export(c, c.parent / 'grades.csv')
    rows = list(csv.DictReader(open(out)))
    assert {r['student_id'] for r in rows} >= {'alice', 'bob'}
    cols = rows[0].keys()
    assert f'{A}:topk_test' in cols and f'{A}:final' in cols and f'{A}:pending' in cols and 'total' in cols
    alice = next(r for r in rows if r['student_id'] == 'alice')
    assert float(alice[f'{A}:final']) == SCORES['correct'] and float(alice[f'{A}:topk_test']) > 0
    html, figs = report(c, c.parent / 'report')
    assert html.exists() and len(figs) >= 1 and all(f.stat().st_size > 1000 for f in figs)
    assert 'alice' in html.read_text()


def test_other_database_url(course):
    "--db: any SQLAlchemy URL; here a second SQLite file outside the course folder"
    from resnet_course.autograde import autograde, grades_table
    c, _, _ = course
    db = f"sqlite:///{c.parent / 'other.db'}"
    r = autograde(c, students=['alice'], workers=1, db=db, force=True, progress=False)
    assert r.results[f'alice/{A}']['score'] == SCORES['correct']
    assert (c.parent / 'other.db').exists()
    assert [row['student_id'] for row in grades_table(c, db)[1]] == ['alice']


def test_cli(course, capsys):
    from resnet_course.cli import main
    c, _, _ = course
    main(['autograde', '--course', str(c), '--workers', '1'])   # whatever was graded into another --db is graded here
    capsys.readouterr()
    main(['autograde', '--course', str(c), '--workers', '1'])
    out = capsys.readouterr().out
    assert 'autograded 0 submission(s)' in out and '2 unchanged' in out
    main(['export', '--course', str(c), '--out', str(c.parent / 'g.csv')])
    assert 'student(s) written to' in capsys.readouterr().out
    with pytest.raises(SystemExit) as e: main(['autograde', '--course', str(c.parent)])
    assert 'no nbgrader_config.py' in str(e.value)
