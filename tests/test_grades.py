"""Grades as the instructor sees and keeps them (resnet_course.autograde): pending items never shown as 0, one source
of truth (the gradebook) for the CLI, CSV, report and feedback, due dates, extensions and a course-local late-penalty
plugin, feedback without hidden tests and without active content, Moodle/Canvas files, and nothing lost on failure."""
import contextlib, csv, io, json, re, shutil, zipfile
from pathlib import Path
import nbformat, pytest
import course_tools as ct

A = 'ch14_further_research'
SCORES = json.loads((Path(__file__).parent / 'course' / f'{A}.json').read_text())['scores']
PLUGIN = '''import math
from nbgrader.plugins import LateSubmissionPlugin
class PerDay(LateSubmissionPlugin):
    "one point per started day late"
    def late_submission_penalty(self, student_id, score, total_seconds_late):
        return math.ceil(total_seconds_late / 86400)
'''


@pytest.fixture(scope='module')
def course():
    from resnet_course.cli import main
    root, c, src, rel, recipe = ct.scratch_course('resnet_course_grades_', A)
    (c / 'late_plugin.py').write_text(PLUGIN)             # next to nbgrader_config.py, as nbgrader documents
    with open(c / 'nbgrader_config.py', 'a') as f: f.write("\nc.AssignLatePenalties.plugin_class = 'late_plugin.PerDay'\n")
    ct.make_submission(c, A, 'alice', ct.correct_submission(src, rel))
    ct.make_submission(c, A, 'bob', ct.partial_submission(src, rel, recipe['partial']))
    (c / 'submitted' / 'bob' / A / 'timestamp.txt').write_text('2026-01-03 12:00:00.000000 UTC\n')
    out = io.StringIO()
    with contextlib.redirect_stdout(out): main(['autograde', '--course', str(c), '--workers', '2'])
    yield c, src, rel, out.getvalue()
    shutil.rmtree(root, ignore_errors=True)


def _csv(path): return {r['student_id']: r for r in csv.DictReader(open(path))}


def _pending_is_its_own_state(course):
    from resnet_course.autograde import gradebook_grades, export, report, feedback
    c, _, _, cli = course
    g = gradebook_grades(c)
    alice = g['subs'][('alice', A)]
    assert 'einsum_written' in alice['pending'] and alice['items']['einsum_written'] is None
    assert alice['final'] == SCORES['correct'] and alice['pending_points'] > 0
    assert re.search(rf"alice/{A}: graded, {SCORES['correct']:g} / \d+ \+ \d item\(s\) worth [\d.]+ point\(s\) pending by hand", cli), cli
    assert 'awaiting a grader (not counted as 0)' in cli
    rows = _csv(export(c, c.parent / 'g.csv'))
    assert rows['alice'][f'{A}:einsum_written'] == '' and int(rows['alice'][f'{A}:pending']) == len(alice['pending'])
    assert float(rows['alice'][f'{A}:final']) == SCORES['correct']
    html, _ = report(c, c.parent / 'report')
    assert 'class=pending' in html.read_text()
    res = feedback(c, progress=False)                      # both have items awaiting a grader: skipped by default
    assert res.written == [] and sorted(res.pending) == [f'alice/{A}', f'bob/{A}'] and 'include-pending' in res.summary()
    res = feedback(c, progress=False, include_pending=True, students=['alice'])
    page = (c / 'feedback' / 'alice' / A / f'{A}.html').read_text()
    assert 'einsum_written: awaiting a grader' in page and 'einsum_written: 0' not in page


def _feedback_hides_tests_and_active_content(course):
    from resnet_course.autograde import feedback
    c, src, rel, _ = course
    p = c / 'autograded' / 'bob' / A / f'{A}.ipynb'
    nb = nbformat.read(str(p), as_version=4)
    hostile = ('<script>alert(1)</script><iframe src="https://x"></iframe><img src=x onerror="alert(2)">'
               '<a href="javascript:alert(3)">link</a><svg onload="alert(4)"><script>alert(5)</script></svg>'
               '<object data="x"></object><embed src="x"><b onclick="alert(6)">bold</b>')
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(hostile))
    code = nbformat.v4.new_code_cell('x')
    code.outputs = [nbformat.v4.new_output('display_data', data={'text/html': hostile, 'text/plain': 'x'})]
    nb.cells.insert(2, code)
    nbformat.write(nb, str(p))
    feedback(c, progress=False, include_pending=True, students=['bob'])
    page = (c / 'feedback' / 'bob' / A / f'{A}.html').read_text()
    for bad in ('<script', '<iframe', 'javascript:', '<svg', '<object', '<embed'):
        assert bad not in page.lower(), bad
    assert not re.search(r'<[^>]*\son\w+\s*=', page, re.I)       # no event-handler attribute in any tag
    assert '<b>bold</b>' in page
    hidden = [l.strip() for cell in src.cells for l in cell.source.split('### BEGIN HIDDEN TESTS')[-1].splitlines()
              if '### BEGIN HIDDEN TESTS' in cell.source and len(l.strip()) > 25 and 'END HIDDEN' not in l
              and l.strip() not in '\n'.join(x.source for x in rel.cells)]              # lines only the hidden tests have
    assert hidden and not [h for h in hidden if h in page]      # never the answer key
    assert 'Test <code>topk_test</code>' in page and 'class=err' in page   # the failed test: its name and message
    with pytest.raises(ValueError, match='no due date'):
        feedback(c, progress=False, include_pending=True, students=['bob'], show_tests=True)
    feedback(c, progress=False, include_pending=True, students=['bob'], show_tests=True, force=True)
    assert any(h in (c / 'feedback' / 'bob' / A / f'{A}.html').read_text() for h in hidden)
    feedback(c, progress=False, include_pending=True, students=['bob'])       # back to the safe version


def _failed_feedback_keeps_earlier_files(course):
    from resnet_course.cli import main
    c, _, _, _ = course
    main(['feedback', '--course', str(c), '--include-pending'])
    files = {p: p.read_bytes() for p in (c / 'feedback').rglob('*.html')}
    assert len(files) == 2
    with pytest.raises(SystemExit) as e:
        main(['feedback', '--course', str(c), '--include-pending', '--db', f"sqlite:///{c.parent / 'empty.db'}"])
    assert 'has none of the 2 autograded submission(s)' in str(e.value) and 'left as it was' in str(e.value)
    assert {p: p.read_bytes() for p in (c / 'feedback').rglob('*.html')} == files


def _due_extension_and_late_penalty_everywhere(course):
    from resnet_course.autograde import export, report, feedback, format_grades, gradebook_grades
    from resnet_course.cli import main
    c, _, _, _ = course
    with contextlib.redirect_stdout(io.StringIO()) as out: main(['due', A, '2026-01-02T12:00', '--course', str(c)])
    assert '2026-01-02 12:00 UTC' in out.getvalue()
    bob = gradebook_grades(c)['subs'][('bob', A)]
    assert bob['late_seconds'] == 86400 and bob['penalty'] == 1 and bob['final'] == SCORES['partial'] - 1
    assert gradebook_grades(c)['subs'][('alice', A)]['penalty'] == 0
    row = _csv(export(c, c.parent / 'g.csv'))['bob']
    assert (float(row[f'{A}:raw']), float(row[f'{A}:penalty']), float(row[f'{A}:final'])) == (SCORES['partial'], 1, SCORES['partial'] - 1)
    html, _ = report(c, c.parent / 'report')
    assert '-1 (late 24.0 h)' in html.read_text()
    feedback(c, progress=False, include_pending=True, students=['bob'])
    assert 'late penalty -1' in (c / 'feedback' / 'bob' / A / f'{A}.html').read_text()
    assert 'late penalty -1' in format_grades(c)
    with pytest.raises(SystemExit, match='must be after the due date'): main(['extend', A, 'bob', '2026-01-01T00:00', '--course', str(c)])
    with contextlib.redirect_stdout(io.StringIO()): main(['extend', A, 'bob', '2026-01-04T00:00', '--course', str(c)])
    assert json.loads((c / '.resnet_course' / 'extensions.json').read_text()) == {A: {'bob': '2026-01-04T00:00:00'}}
    bob = gradebook_grades(c)['subs'][('bob', A)]
    assert bob['late_seconds'] == 0 and bob['penalty'] == 0 and bob['final'] == SCORES['partial']


def _hand_grade_shows_everywhere(course):
    "a manual score given in the gradebook (nbgrader's API, as formgrader does) reaches every output"
    from nbgrader.api import Gradebook
    from resnet_course.autograde import export, report, feedback, format_grades
    c, _, _, _ = course
    with Gradebook(f"sqlite:///{c / 'gradebook.db'}") as gb:
        pending = [g for g in gb.find_submission_notebook(A, A, 'alice').grades if g.needs_manual_grade]
        assert 'einsum_written' in [g.name for g in pending] and len(pending) >= 2
        full = 0.0
        for g in pending:   # every item awaiting a person: 0.5 for the einsum reflection, full marks for the others
            g.manual_score = 0.5 if g.name == 'einsum_written' else g.max_score
            full += 0 if g.name == 'einsum_written' else g.max_score
            g.needs_manual_grade = False
        cm = gb.find_comment('einsum_written', A, A, 'alice'); cm.manual_comment = 'Count the multiplications.'
        gb.db.commit()
    final = SCORES['correct'] + 0.5 + full
    row = _csv(export(c, c.parent / 'g.csv'))['alice']
    assert float(row[f'{A}:einsum_written']) == 0.5 and float(row[f'{A}:final']) == final and row[f'{A}:pending'] == '0'
    html, _ = report(c, c.parent / 'report')
    assert f'<td>{final:g} / ' in html.read_text() and f'final mean {(final + SCORES["partial"]) / 2:.1f}' in html.read_text()
    res = feedback(c, progress=False, students=['alice'])      # nothing pending now: written by default
    page = (c / 'feedback' / 'alice' / A / f'{A}.html').read_text()
    assert res.written == [f'alice/{A}'] and f'Score: {final:g} / ' in page and 'einsum_written: 0.5 / ' in page
    assert 'Count the multiplications.' in page and 'awaiting a grader' not in page
    assert f'{final:.1f} / ' in format_grades(c)


def _lms_exports_and_bundles(course):
    from resnet_course.autograde import export, feedback, feedback_bundle
    c, _, _, _ = course
    (c / '.resnet_course' / 'students.json').write_text(json.dumps({
        'alice': dict(name='Alice Adams', first_name='Alice', last_name='Adams', email='alice@example.edu',
                      moodle_participant_id='1001', canvas_user_id='2001', sis_id='S1'),
        'bob': dict(name='Bob Brown', email='bob@example.edu', moodle_participant_id='1002')}))
    (c / '.resnet_course' / 'submissions.json').write_text(json.dumps({
        'alice': {A: dict(time='2026-01-01T12:00:00Z', time_source='canvas', late_marker=False,
                          original_name=f'adamsalice_2001_3001_{A}.ipynb')}}))
    m = export(c, c.parent / 'moodle.csv', format='moodle')
    rows = list(csv.reader(open(m)))
    assert rows[0] == ['First name', 'Last name', 'ID number', 'Email address', A]
    alice = next(r for r in rows if r[3] == 'alice@example.edu')
    assert alice[:3] == ['Alice', 'Adams', 'S1'] and float(alice[4]) > SCORES['correct']
    bob = next(r for r in rows if r[3] == 'bob@example.edu')
    assert bob[4] == '' and any('bob/' in w and 'pending' in w for w in m.warnings)   # pending: empty, never 0
    w = list(csv.DictReader(open(export(c, c.parent / 'ws.csv', format='moodle-worksheet'))))
    assert [r['Identifier'] for r in w] == ['Participant 1001', 'Participant 1002'] and w[0]['Maximum Grade']
    cv = export(c, c.parent / 'canvas.csv', format='canvas')
    rows = list(csv.reader(open(cv)))
    assert rows[0][:5] == ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section'] and rows[1][0] == 'Points Possible'
    assert rows[2][:3] == ['Adams, Alice', '2001', 'S1'] and len(rows) == 3
    assert any('canvas_user_id for bob' in x for x in cv.warnings)
    with pytest.raises(ValueError, match='unknown format'): export(c, c.parent / 'x.csv', format='blackboard')
    feedback(c, progress=False, include_pending=True)
    (mz,), missing = feedback_bundle(c, 'moodle', c.parent / 'bundles')
    assert sorted(zipfile.ZipFile(mz).namelist()) == [f'Alice Adams_1001_assignsubmission_file_{A}_feedback.html',
                                                       f'Bob Brown_1002_assignsubmission_file_{A}_feedback.html'] and not missing
    (cz,), missing = feedback_bundle(c, 'canvas', c.parent / 'bundles')
    assert zipfile.ZipFile(cz).namelist() == [f'adamsalice_2001_3001_{A}_feedback.html']
    assert missing == [f'{A}: no Canvas user and attachment id (from the Canvas download name): bob']


def test_failed_regrade_keeps_autograded_copy_and_says_why(course):
    from resnet_course.autograde import grade_one
    c, _, _, _ = course
    ag = c / 'autograded' / 'alice' / A / f'{A}.ipynb'
    before = ag.read_bytes()
    cfg = c / 'nbgrader_config.py'
    good = cfg.read_text()
    cfg.write_text(good.replace("'late_plugin.PerDay'", "'late_plugin.Missing'"))
    try: r = grade_one(c, A, 'alice', timeout=30)
    finally: cfg.write_text(good)
    assert r['status'] == 'error' and ag.read_bytes() == before
    assert 'Missing' in r['problems'][-1] and 'see the above traceback' not in r['problems'][-1].lower(), r['problems']
    assert 'Traceback' in r['nbgrader_log']


def test_resume_state_is_keyed_by_gradebook(course):
    from resnet_course.autograde import autograde
    c, _, _, _ = course
    db = f"sqlite:///{c.parent / 'other.db'}"
    r = autograde(c, students=['alice'], workers=1, db=db, progress=False)
    assert r.graded == [f'alice/{A}']                       # another gradebook: graded again there
    assert autograde(c, students=['alice'], workers=1, db=db, progress=False).unchanged == [f'alice/{A}']


def _submission_time_from_collect_records(course):
    "no timestamp.txt: the time `collect` recorded (.resnet_course/submissions.json) is the submission time"
    from datetime import datetime
    from resnet_course.autograde import sync_extensions, gradebook_grades, set_due
    c, _, _, _ = course
    p = c / '.resnet_course' / 'submissions.json'
    meta = json.loads(p.read_text()) if p.exists() else {}
    meta['carol'] = {A: dict(time='2026-01-05T09:00:00Z', time_source='moodle', late_marker=False, original_name='x')}
    p.write_text(json.dumps(meta))
    set_due(c, A, '2026-01-02T12:00')
    sync_extensions(c, pairs=[(A, 'carol')])
    sub = gradebook_grades(c)['subs'][('carol', A)]
    assert sub['timestamp'] == datetime(2026, 1, 5, 9, 0) and sub['late_seconds'] == 2 * 86400 + 21 * 3600


def _report_shows_platform_records_and_bad_input_is_one_line(course):
    from resnet_course.autograde import report
    from resnet_course.cli import main
    c, _, _, _ = course
    p = c / '.resnet_course' / 'submissions.json'
    meta = json.loads(p.read_text()) if p.exists() else {}
    meta['alice'] = {A: dict(time='2026-01-01T12:00:00Z', time_source='canvas', late_marker=True, original_name='x')}
    p.write_text(json.dumps(meta))
    page = report(c, c.parent / 'report')[0].read_text()
    assert 'the platform marked it late, but it is on time against the due date here' in page and '(canvas)' in page
    for argv, msg in [(['due', A, 'next friday'], 'is not a date and time'), (['due', 'nope', '2026-01-01'], "no assignment 'nope'"),
                      (['export', '--format', 'moodle-worksheet', '--assignment', 'nope'], "no assignment 'nope'")]:
        with pytest.raises(SystemExit) as e: main(argv + ['--course', str(c)])
        assert msg in str(e.value) and '\n' not in str(e.value), e.value


def test_report_never_replaces_a_folder_it_did_not_write(course):
    from resnet_course.autograde import report
    c, _, _, _ = course
    mine = c.parent / 'my_notes'; mine.mkdir(); (mine / 'todo.txt').write_text('keep me')
    with pytest.raises(ValueError, match='did not write'): report(c, mine)
    assert (mine / 'todo.txt').read_text() == 'keep me'
    html, _ = report(c, c.parent / 'report'); html2, _ = report(c, c.parent / 'report')   # our own: replaced
    assert html2.exists() and (c.parent / 'report' / '.resnet_course_report').exists()


def test_a_term(course):
    """One course through the term, in order (each step builds on the gradebook the one before left; one test so
    that pytest-xdist never splits the steps across workers)"""
    for step in (_pending_is_its_own_state, _feedback_hides_tests_and_active_content, _failed_feedback_keeps_earlier_files,
                 _due_extension_and_late_penalty_everywhere, _hand_grade_shows_everywhere, _lms_exports_and_bundles,
                 _submission_time_from_collect_records, _report_shows_platform_records_and_bad_input_is_one_line):
        step(course)
