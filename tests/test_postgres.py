"""The gradebook on a real PostgreSQL server (issue 11.7): the grading pipeline, two graders at once on one gradebook,
and the one-line message when the driver is missing. The server comes from the `pg_server` fixture (conftest.py):
$RESNET_COURSE_TEST_PG, or a throwaway cluster started for the session (tests/pg_cluster.py)."""
import csv, json, os, shutil, subprocess, sys
from pathlib import Path
import pytest
import course_tools as ct
from resnet_course.collect import copy_course

A = 'ch14_further_research'
SCORES = json.loads((Path(__file__).parent / 'course' / f'{A}.json').read_text())['scores']
REPO = Path(__file__).resolve().parents[1]


def _cli(*args):
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get('PYTHONPATH', ''))
    env['PATH'] = os.path.dirname(sys.executable) + os.pathsep + env.get('PATH', '')
    return subprocess.Popen([sys.executable, '-c', 'import sys; from resnet_course.cli import main; main(sys.argv[1:])', *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)


@pytest.fixture(scope='module')
def course():
    root, c, src, rel, recipe = ct.scratch_course('resnet_course_pg_', A)
    ct.make_submission(c, A, 'alice', ct.correct_submission(src, rel))
    ct.make_submission(c, A, 'bob', ct.partial_submission(src, rel, recipe['partial']))
    yield root, c
    shutil.rmtree(root, ignore_errors=True)


def test_two_graders_at_once(course, pg_db):
    """Two `resnet-course autograde --student` processes, as on two grading machines (each its own copy of the course
    folder), grade different students into one new PostgreSQL gradebook at the same moment; both land, scores exact,
    and export / report read them back from the server."""
    root, c = course
    other = copy_course(root / 'machine2', c, subs=('source', 'release', 'submitted'))
    procs = {s: _cli('autograde', A, '--course', str(d), '--db', pg_db, '--student', s, '--workers', '1')
             for s, d in [('alice', c), ('bob', other)]}
    outs = {s: p.communicate(timeout=300)[0] for s, p in procs.items()}
    for s, p in procs.items(): assert p.returncode == 0, outs[s]
    assert f"{SCORES['correct']:g} / " in outs['alice'] and f"{SCORES['partial']:g} / " in outs['bob'], outs
    from resnet_course.autograde import export, grades_table, report
    rows = {r['student_id']: r for r in csv.DictReader(open(export(c, root / 'pg.csv', pg_db)))}
    assert sorted(rows) == ['alice', 'bob']
    assert float(rows['alice'][f'{A}:final']) == SCORES['correct'] and float(rows['bob'][f'{A}:final']) == SCORES['partial']
    html, _ = report(c, root / 'pg_report', pg_db)
    assert 'alice' in html.read_text()   # its status table lists this folder's gradings (the per-folder state)
    from nbgrader.api import Gradebook                   # the rows really are on the server, not in a SQLite file
    with Gradebook(pg_db) as gb:
        assert sorted(s.id for s in gb.students) == ['alice', 'bob']
        assert gb.find_submission(A, 'bob').score == SCORES['partial']


def test_missing_driver_is_one_line(course, tmp_path):
    "Without psycopg, --db postgresql://... is one line naming the extra to install, not a traceback"
    _, c = course
    code = ("import sys; sys.modules['psycopg'] = None; sys.modules['psycopg2'] = None\n"
            "from resnet_course.cli import main\n"
            f"main(['export', '--course', {str(c)!r}, '--db', 'postgresql://u:p@127.0.0.1:1/x', '--out', {str(tmp_path / 'x.csv')!r}])")
    p = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert p.returncode == 1 and 'Traceback' not in p.stderr, p.stderr
    assert p.stderr.strip().count('\n') == 0 and 'pip install "resnet_course[postgres]"' in p.stderr, p.stderr
