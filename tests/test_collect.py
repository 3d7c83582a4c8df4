"`resnet_course.collect`: matching file names, collecting folders and zips without losing data, releasing."
import json, os, shutil, subprocess, sys, zipfile
from pathlib import Path

import pytest

from resnet_course import collect as C
from resnet_course.cli import main

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT/'nbs'/'_course'
ASG = ['ch13_review', 'ch14_further_research', 'ch14_questionnaire']


def nb_bytes(x):
    return json.dumps({'cells': [{'cell_type': 'code', 'source': f'x = {x}', 'metadata': {}, 'outputs': [], 'execution_count': None}],
                       'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}).encode()


@pytest.fixture
def course(tmp_path):
    "A scratch course with the real configuration and the three assignment names (collect needs no more)."
    c = tmp_path/'course'
    c.mkdir()
    shutil.copy(COURSE/'nbgrader_config.py', c/'nbgrader_config.py')
    for a in ASG:
        (c/'source'/a).mkdir(parents=True)
        (c/'source'/a/f'{a}.ipynb').write_bytes(nb_bytes(0))
    return c


@pytest.fixture
def roster(tmp_path):
    p = tmp_path/'roster.csv'
    p.write_text('student_id,name,email,aliases\n'
                 'jdoe,Jane Doe,jane.doe@uni.edu,doejane;12345\n'
                 'bsmith,Bob Smith,bob@uni.edu,\n'
                 's003,Ann Lee,,annlee\n')
    return p


def tree(root):
    return sorted(p.relative_to(root).as_posix() for p in Path(root).rglob('*') if p.is_file())


def make_zip(path, members):
    with zipfile.ZipFile(path, 'w') as z:
        for name, data, when in members:
            z.writestr(zipfile.ZipInfo(name, when), data)
    return path


OLD, NEW = (2026, 1, 1, 10, 0, 0), (2026, 1, 2, 10, 0, 0)


# --------------------------------------------------------------------------- matching
@pytest.mark.parametrize('name, want', [
    ('jdoe_ch14_questionnaire.ipynb', ('jdoe', 'ch14_questionnaire')),
    ('JDoe - CH14-Questionnaire.ipynb', ('jdoe', 'ch14_questionnaire')),
    ('jdoe/ch14_questionnaire (3).ipynb', ('jdoe', 'ch14_questionnaire')),
    ('Jane Doe_12345_assignsubmission_file_ch14_questionnaire.ipynb', ('jane_doe', 'ch14_questionnaire')),
    ('Jane Doe_12345_assignsubmission_file_/Copy of ch14_questionnaire.ipynb', ('jane_doe', 'ch14_questionnaire')),
    ('doejane_12345_67890_ch14_questionnaire-1.ipynb', ('doejane', 'ch14_questionnaire')),
    ('doejane_LATE_12345_67890_ch13_review.ipynb', ('doejane', 'ch13_review')),
    ('jdoe/Copy of ch14_questionnaire.ipynb', ('jdoe', 'ch14_questionnaire')),
    ('jdoe\\Copy of ch14_questionnaire (1).ipynb', ('jdoe', 'ch14_questionnaire')),
    ('submitted/jdoe/ch14_further_research/ch14_further_research.ipynb', ('jdoe', 'ch14_further_research')),
    ('ch13_review_jdoe.ipynb', ('jdoe', 'ch13_review')),
])
def test_match_without_roster(name, want):
    m = C.match_submission(name, ASG)
    assert m and tuple(m) == want, m


@pytest.mark.parametrize('name, want', [
    ('ch14_questionnaire (3).ipynb', None),   # nothing names the student
    ('Jane Doe/ch14_questionnaire (3).ipynb', 'jdoe'),
    ('Jane Doe_12345_assignsubmission_file_ch14_questionnaire.ipynb', 'jdoe'),
    ('doejane_12345_67890_ch14_questionnaire-1.ipynb', 'jdoe'),
    ('smithbob_777_888_ch14_questionnaire.ipynb', 'bsmith'),
    ('bob@uni.edu_ch14_questionnaire.ipynb', 'bsmith'),
    ('annlee/Copy of ch14_questionnaire.ipynb', 's003'),
    ('s003_ch14_questionnaire.ipynb', 's003'),
    ('Lee Ann - ch14_questionnaire.ipynb', 's003'),
    ('zed_ch14_questionnaire.ipynb', None),   # not in the roster: unmatched, not invented
])
def test_match_with_roster(name, want, roster):
    m = C.match_submission(name, ASG, C.load_roster(roster))
    if want is None: assert not m and 'no roster student' in m.reason
    else: assert tuple(m) == (want, 'ch14_questionnaire'), m


@pytest.mark.parametrize('name, reason', [
    ('jdoe_ch14_questionnaire.pdf', 'not a notebook'),
    ('jdoe_ch14_questionnaire', 'not a notebook'),
    ('jdoe_homework.ipynb', 'no assignment name'),
    ('ch14_questionnaire.ipynb', 'no student name'),
    ('jdoe_ch13_review_and_ch14_questionnaire.ipynb', 'more than one assignment'),
    ('jdoe_ch14_questionnaires.ipynb', 'no assignment name'),   # whole words only
    ('__MACOSX/jdoe/._Copy of ch14_questionnaire.ipynb', 'macOS metadata'),   # a Mac's zip: never mistaken for the notebook
    ('jdoe/.ipynb_checkpoints/ch14_questionnaire-checkpoint.ipynb', 'checkpoint'),
])
def test_match_refusals(name, reason):
    m = C.match_submission(name, ASG)
    assert not m and reason in m.reason, m


def test_match_ambiguous_roster(roster):
    m = C.match_submission('jdoe_bsmith_ch14_questionnaire.ipynb', ASG, C.load_roster(roster))
    assert not m and 'several roster students' in m.reason and 'bsmith, jdoe' in m.reason


def test_roster_errors(tmp_path):
    p = tmp_path/'r.csv'
    p.write_text('id,name\nx,y\n')
    with pytest.raises(ValueError, match='no student_id column'): C.load_roster(p)
    p.write_text('student_id\n../../etc\n')
    with pytest.raises(ValueError, match='not a usable student id'): C.load_roster(p)


# --------------------------------------------------------------------------- collecting
def test_collect_folder(course, tmp_path):
    src = tmp_path/'in'
    for name, data in [('jdoe/Copy of ch14_questionnaire.ipynb', nb_bytes(1)), ('bsmith/ch14_questionnaire (2).ipynb', nb_bytes(2)),
                       ('bsmith/notes.pdf', b'%PDF'), ('readme.txt', b'hi'), ('mystery.ipynb', nb_bytes(3))]:
        (src/name).parent.mkdir(parents=True, exist_ok=True)
        (src/name).write_bytes(data)
    r = C.collect(src, course)
    assert sorted(r.collected) == [('bsmith/ch14_questionnaire (2).ipynb', 'bsmith', 'ch14_questionnaire'),
                                   ('jdoe/Copy of ch14_questionnaire.ipynb', 'jdoe', 'ch14_questionnaire')]
    assert sorted(n for n, _ in r.unmatched) == ['bsmith/notes.pdf', 'mystery.ipynb', 'readme.txt']
    assert not r.errors and not r.duplicates and not r.warnings
    sub = course/'submitted'
    assert tree(sub) == ['bsmith/ch14_questionnaire/ch14_questionnaire.ipynb', 'bsmith/ch14_questionnaire/timestamp.txt',
                         'jdoe/ch14_questionnaire/ch14_questionnaire.ipynb', 'jdoe/ch14_questionnaire/timestamp.txt']
    assert (sub/'jdoe'/'ch14_questionnaire'/'ch14_questionnaire.ipynb').read_bytes() == nb_bytes(1)
    assert len(tree(src)) == 5   # the input is never touched


def test_collect_zip_with_roster(course, roster, tmp_path):
    z = make_zip(tmp_path/'moodle.zip', [
        ('Jane Doe_12345_assignsubmission_file_ch14_questionnaire.ipynb', nb_bytes(1), NEW),
        ('Bob Smith_555_assignsubmission_file_ch13_review.ipynb', nb_bytes(2), NEW),
        ('Zed Unknown_999_assignsubmission_file_ch13_review.ipynb', nb_bytes(3), NEW),
        ('folder/', b'', NEW)])
    r = C.collect(z, course, roster)
    assert sorted((s, a) for _, s, a in r.collected) == [('bsmith', 'ch13_review'), ('jdoe', 'ch14_questionnaire')]
    assert [n for n, _ in r.unmatched] == ['Zed Unknown_999_assignsubmission_file_ch13_review.ipynb']
    assert (course/'submitted'/'bsmith'/'ch13_review'/'ch13_review.ipynb').read_bytes() == nb_bytes(2)
    assert (course/'submitted'/'bsmith'/'ch13_review'/'timestamp.txt').read_text().startswith('2026-01-0')


@pytest.mark.parametrize('evil', ['../../jdoe_ch13_review.ipynb', '/tmp/jdoe_ch13_review.ipynb',
                                  'C:/x/jdoe_ch13_review.ipynb', 'a/../../jdoe_ch13_review.ipynb', '..\\jdoe_ch13_review.ipynb'])
def test_zip_slip_refused(course, tmp_path, evil):
    z = make_zip(tmp_path/'evil.zip', [(evil, nb_bytes(9), NEW), ('bsmith_ch13_review.ipynb', nb_bytes(1), NEW)])
    before = tree(tmp_path)
    r = C.collect(z, course)
    assert [n for n, _ in r.errors] == [evil] and 'refused zip member' in r.errors[0][1]
    assert [s for _, s, _ in r.collected] == ['bsmith']   # the batch goes on
    after = set(tree(tmp_path)) - set(before)
    assert after == {'course/submitted/bsmith/ch13_review/ch13_review.ipynb', 'course/submitted/bsmith/ch13_review/timestamp.txt',
                     'course/.resnet_course/submissions.json', 'course/.resnet_course/students.json'}


def test_recollect_unchanged_then_backup(course, tmp_path):
    src = tmp_path/'in'
    (src/'jdoe').mkdir(parents=True)
    f = src/'jdoe'/'Copy of ch13_review.ipynb'
    f.write_bytes(nb_bytes(1))
    assert len(C.collect(src, course).collected) == 1
    d = course/'submitted'/'jdoe'/'ch13_review'
    stamp = (d/'timestamp.txt').read_text()
    r = C.collect(src, course)
    assert r.unchanged == [('jdoe/Copy of ch13_review.ipynb', 'jdoe', 'ch13_review')] and not r.collected and not r.backups
    assert sorted(p.name for p in d.iterdir()) == ['ch13_review.ipynb', 'timestamp.txt'] and (d/'timestamp.txt').read_text() == stamp
    for v in (2, 3):   # each new version keeps the previous one
        f.write_bytes(nb_bytes(v))
        r = C.collect(src, course)
        assert len(r.collected) == 1 and len(r.backups) == 1 and r.backups[0].read_bytes() == nb_bytes(v - 1)
    baks = sorted(p for p in d.iterdir() if p.name.endswith('.bak'))
    assert len(baks) == 2 and all(p.name.startswith('ch13_review.ipynb.') for p in baks)
    assert sorted(p.read_bytes() for p in baks) == sorted([nb_bytes(1), nb_bytes(2)])
    assert (d/'ch13_review.ipynb').read_bytes() == nb_bytes(3)
    assert not [p for p in d.iterdir() if p.name.endswith('.incoming')]


def test_duplicates_keep_newer(course, tmp_path):
    src = tmp_path/'in'
    (src/'jdoe').mkdir(parents=True)
    a, b = src/'jdoe'/'Copy of ch13_review.ipynb', src/'jdoe_ch13_review (1).ipynb'
    a.write_bytes(nb_bytes('"new"')); b.write_bytes(nb_bytes('"old"'))
    os.utime(b, (1_700_000_000, 1_700_000_000)); os.utime(a, (1_800_000_000, 1_800_000_000))
    r = C.collect(src, course)
    assert r.duplicates == [('jdoe_ch13_review (1).ipynb', 'jdoe', 'ch13_review', 'jdoe/Copy of ch13_review.ipynb')]
    assert (course/'submitted'/'jdoe'/'ch13_review'/'ch13_review.ipynb').read_bytes() == nb_bytes('"new"')
    # in a zip the member times decide, whatever the order
    z = make_zip(tmp_path/'d.zip', [('jdoe_ch14_questionnaire-2.ipynb', nb_bytes(2), NEW), ('jdoe_ch14_questionnaire-1.ipynb', nb_bytes(1), OLD)])
    r = C.collect(z, course)
    assert [d[0] for d in r.duplicates] == ['jdoe_ch14_questionnaire-1.ipynb']
    assert (course/'submitted'/'jdoe'/'ch14_questionnaire'/'ch14_questionnaire.ipynb').read_bytes() == nb_bytes(2)


def test_mac_zip_metadata_never_wins(course, tmp_path):
    z = make_zip(tmp_path/'mac.zip', [('subs/jdoe_ch13_review.ipynb', nb_bytes(1), OLD),
                                      ('__MACOSX/subs/._jdoe_ch13_review.ipynb', b'\x00\x05\x16\x07 resource fork', NEW)])
    r = C.collect(z, course)
    assert [n for n, *_ in r.collected] == ['subs/jdoe_ch13_review.ipynb'] and not r.duplicates
    assert [n for n, _ in r.unmatched] == ['__MACOSX/subs/._jdoe_ch13_review.ipynb']


def test_broken_and_hostile_files(course, tmp_path):
    src = tmp_path/'in'
    src.mkdir()
    (src/'jdoe_ch13_review.ipynb').write_bytes(b'{"cells": [')   # half-finished upload
    (src/'bsmith_ch13_review.ipynb').write_bytes(b'\xff\xfe\x00garbage')
    outside = tmp_path/'secret_ch14_questionnaire.ipynb'
    outside.write_bytes(nb_bytes(7))
    (src/'ann_ch14_questionnaire.ipynb').symlink_to(outside)
    r = C.collect(src, course)
    assert sorted(s for _, s, _ in r.collected) == ['bsmith', 'jdoe']   # collected as handed in ...
    assert sorted(n for n, _ in r.warnings) == ['bsmith_ch13_review.ipynb', 'jdoe_ch13_review.ipynb']   # ... with a warning
    assert r.unmatched == [('ann_ch14_questionnaire.ipynb', 'symbolic link, not followed')]
    assert not (course/'submitted'/'ann').exists() and outside.read_bytes() == nb_bytes(7)


def test_unreadable_folder_reported(course, tmp_path, monkeypatch):
    src = tmp_path/'in'
    src.mkdir()
    (src/'bsmith_ch13_review.ipynb').write_bytes(nb_bytes(2))
    real_walk = os.walk
    def walk(top, onerror=None, **kw):   # a sub-folder we may not list (chmod 0 means nothing to root, so simulate it)
        onerror(PermissionError(13, 'Permission denied', str(Path(top)/'locked')))
        yield from real_walk(top, onerror=onerror, **kw)
    monkeypatch.setattr(os, 'walk', walk)
    r = C.collect(src, course)
    assert r.errors == [('locked', 'cannot list this folder: Permission denied')]
    assert [s for _, s, _ in r.collected] == ['bsmith']


def test_student_folder_link_outside_refused(course, tmp_path):
    elsewhere = tmp_path/'elsewhere'
    elsewhere.mkdir()
    (course/'submitted').mkdir()
    (course/'submitted'/'jdoe').symlink_to(elsewhere)
    z = make_zip(tmp_path/'s.zip', [('jdoe_ch13_review.ipynb', nb_bytes(1), NEW)])
    r = C.collect(z, course)
    assert [n for n, _ in r.errors] == ['jdoe_ch13_review.ipynb'] and 'outside' in r.errors[0][1]
    assert not list(elsewhere.rglob('*'))   # nothing written or created there


def test_bad_inputs(course, tmp_path):
    with pytest.raises(FileNotFoundError, match='does not exist'): C.collect(tmp_path/'nope.zip', course)
    (tmp_path/'x.txt').write_text('x')
    with pytest.raises(ValueError, match='neither a folder nor a zip'): C.collect(tmp_path/'x.txt', course)
    with pytest.raises(FileNotFoundError, match='no nbgrader_config.py'): C.collect(tmp_path, tmp_path)


def test_cli_collect(course, roster, tmp_path, capsys):
    z = make_zip(tmp_path/'c.zip', [('doejane_12345_67890_ch14_questionnaire-1.ipynb', nb_bytes(1), NEW),
                                    ('slides.pptx', b'x', NEW), ('../evil_ch13_review.ipynb', nb_bytes(2), NEW)])
    with pytest.raises(SystemExit) as e:
        main(['collect', str(z), '--roster', str(roster), '--course', str(course)])
    assert e.value.code == 1   # an error (the refused member) makes the exit status 1 ...
    out = capsys.readouterr().out
    assert out.splitlines()[0] == 'collected 1, unchanged 0, unmatched 1, duplicates 0, errors 1'
    assert '  slides.pptx: not a notebook (.pptx)' in out and '../evil_ch13_review.ipynb' in out
    assert (course/'submitted'/'jdoe'/'ch14_questionnaire'/'ch14_questionnaire.ipynb').exists()   # ... after the batch ran
    with pytest.raises(SystemExit) as e:
        main(['collect', str(tmp_path/'none.zip'), '--course', str(course)])
    assert 'does not exist' in str(e.value.code) and '\n' not in str(e.value.code)


# --------------------------------------------------------------------------- identity: the platform's part of a path decides
JANE, BOB = 'Jane Doe_12345_assignsubmission_file_', 'Bob Smith_555_assignsubmission_file_'


@pytest.mark.parametrize('forged', [
    f'{BOB}/{JANE}ch14_questionnaire.ipynb',                   # Moodle's folder layout: Bob's folder, a file named like Jane's entry
    f'{BOB}{JANE}ch14_questionnaire.ipynb',                    # Moodle's flat layout: the same upload
    f'{BOB}/doejane_12345_67890_ch14_questionnaire.ipynb',     # named like a Canvas entry
    'Jane Doe_12345_assignsubmission_file__555_assignsubmission_file_ch14_questionnaire.ipynb',   # a profile name made to look like an entry
])
@pytest.mark.parametrize('with_roster', [False, True])
def test_forged_name_is_an_error_not_a_match(course, roster, tmp_path, forged, with_roster, capsys):
    "A student uploads a file named like another student's Moodle entry, later than the real one: it never takes the slot"
    z = make_zip(tmp_path/'moodle.zip', [(f'{JANE}/ch14_questionnaire.ipynb', nb_bytes('"jane"'), OLD),
                                         (forged, nb_bytes('"forged"'), NEW)])
    r = C.collect(z, course, roster if with_roster else None)
    jane = 'jdoe' if with_roster else 'jane_doe'
    assert [(n, s) for n, s, _ in r.collected] == [(f'{JANE}/ch14_questionnaire.ipynb', jane)]
    assert [n for n, _ in r.errors] == [forged] and 'claims' in r.errors[0][1]
    assert not r.duplicates and not r.unmatched
    assert (course/'submitted'/jane/'ch14_questionnaire'/'ch14_questionnaire.ipynb').read_bytes() == nb_bytes('"jane"')
    assert sorted(p.name for p in (course/'submitted').iterdir()) == [jane]   # the forged file went nowhere
    with pytest.raises(SystemExit) as e:
        main(['collect', str(z), '--course', str(course)] + (['--roster', str(roster)] if with_roster else []))
    assert e.value.code == 1 and 'claims' in capsys.readouterr().out


def test_platform_folder_beats_the_file_name(course, roster, tmp_path):
    z = make_zip(tmp_path/'m.zip', [(f'{BOB}/jdoe_ch13_review.ipynb', nb_bytes(1), NEW), (f'{JANE}/Copy of ch13_review.ipynb', nb_bytes(2), NEW)])
    r = C.collect(z, course)   # without a roster 'jdoe' is just a word: the folder says Bob
    assert sorted((n, s) for n, s, _ in r.collected) == [(f'{BOB}/jdoe_ch13_review.ipynb', 'bob_smith'), (f'{JANE}/Copy of ch13_review.ipynb', 'jane_doe')]
    r = C.collect(z, course, roster)   # with a roster 'jdoe' is another student: an error, and Jane keeps her own
    assert [n for n, _ in r.errors] == [f'{BOB}/jdoe_ch13_review.ipynb'] and 'roster student jdoe' in r.errors[0][1]
    assert [(n, s) for n, s, _ in r.collected] == [(f'{JANE}/Copy of ch13_review.ipynb', 'jdoe')]


def test_roster_platform_ids_first(course, tmp_path):
    p = tmp_path/'ids.csv'
    p.write_text('student_id,name,email,moodle_participant_id,canvas_user_id\n'
                 'u1,Robert Smith,rs@uni.edu,555,\nu2,Jane Doe,jd@uni.edu,,67890\n')
    z = make_zip(tmp_path/'m.zip', [(f'{BOB}/ch13_review.ipynb', nb_bytes(1), NEW),       # Moodle calls him Bob, the roster Robert: the id decides
                                    ('doejane_67890_4444_ch14_questionnaire.ipynb', nb_bytes(2), NEW)])
    r = C.collect(z, course, p)
    assert sorted((s, a) for _, s, a in r.collected) == [('u1', 'ch13_review'), ('u2', 'ch14_questionnaire')] and not r.errors


def test_two_participants_with_one_name_are_errors(course, tmp_path):
    "Two Moodle participants called John Lee map to one student id without a roster: neither is a duplicate of the other"
    z = make_zip(tmp_path/'m.zip', [('John Lee_1_assignsubmission_file_ch13_review.ipynb', nb_bytes(1), OLD),
                                    ('John Lee_2_assignsubmission_file_ch13_review.ipynb', nb_bytes(2), NEW)])
    r = C.collect(z, course)
    assert not r.collected and not r.duplicates and len(r.errors) == 2 and 'two different platform entries' in r.errors[0][1]
    assert not (course/'submitted').exists() or not list((course/'submitted').rglob('*.ipynb'))


# --------------------------------------------------------------------------- names printed escaped
def test_printed_names_are_escaped(course, tmp_path, capsys):
    forged = 'x\x1b[2K\r collected 0, unchanged 0, unmatched 0, duplicates 0, errors 0\x1b[8m.txt'
    z = make_zip(tmp_path/'e.zip', [(forged, b'x', NEW), ('jdoe_notes\nfake line\u202e.pdf', b'x', NEW),
                                    ('../\x1b]0;pwned\x07_ch13_review.ipynb', nb_bytes(1), NEW),
                                    ('bsmith_ch13_review.ipynb', nb_bytes(2), NEW)])
    with pytest.raises(SystemExit) as e:
        main(['collect', str(z), '--course', str(course)])
    assert e.value.code == 1
    out = capsys.readouterr().out
    assert not any(c in out for c in '\x1b\r\x07\u202e'), repr(out)
    lines = out.splitlines()
    assert lines[0] == 'collected 1, unchanged 0, unmatched 2, duplicates 0, errors 1'
    assert len(lines) == 6, lines   # the summary, 'unmatched:' and its 2 names, 'errors:' and its 1: no forged line
    assert '  x\\x1b[2K\\r collected 0,' in out and 'jdoe_notes\\nfake line\\u202e.pdf' in out and '\\x1b]0;pwned\\x07' in out


def test_safe_name():
    assert C.safe_name('Zoë_ch14 (2).ipynb') == 'Zoë_ch14 (2).ipynb'
    assert C.safe_name('a\nb\x1b[31m\u2066c\u2028') == 'a\\nb\\x1b[31m\\u2066c\\u2028'
    assert C.safe_name('\udcff') == '\\udcff'   # an undecodable byte of a file name never raises at print time


# --------------------------------------------------------------------------- submission times and records
def read_json(p): return json.loads(Path(p).read_text())


def test_times_from_the_platform(course, tmp_path):
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import parse_utc
    z = make_zip(tmp_path/'m.zip', [(f'{JANE}/ch13_review.ipynb', nb_bytes(1), (2026, 1, 2, 10, 30, 6)),
                                    ('doejane_LATE_12345_67890_ch14_questionnaire.ipynb', nb_bytes(2), (2026, 1, 3, 8, 0, 0)),
                                    ('bsmith_ch13_review.ipynb', nb_bytes(3), (2026, 1, 4, 9, 0, 0))])
    r = C.collect(z, course, tz='Europe/Berlin')   # the zip's DOS times (2 s steps) are Berlin local time (UTC+1 in January)
    subs = read_json(course/'.resnet_course'/'submissions.json')
    assert subs['jane_doe']['ch13_review'] == {'time': '2026-01-02T09:30:06+00:00', 'time_source': 'moodle', 'late_marker': False,
                                               'original_name': f'{JANE}/ch13_review.ipynb', 'moodle_participant_id': '12345'}
    assert subs['doejane']['ch14_questionnaire']['late_marker'] is True and subs['doejane']['ch14_questionnaire']['time_source'] == 'canvas'
    assert subs['doejane']['ch14_questionnaire']['canvas_user_id'] == '12345'   # login_LATE_<user id>_<submission id>_
    assert subs['bsmith']['ch13_review']['time_source'] == 'zip'
    assert r.submissions[('doejane', 'ch14_questionnaire')]['late_marker'] is True
    d = course/'submitted'/'jane_doe'/'ch13_review'
    assert (d/'timestamp.txt').read_text() == '2026-01-02 09:30:06.000000 UTC\n'
    got = CourseDirectory(root=str(course)).get_existing_timestamp(str(d))   # what nbgrader's autograde reads
    assert got == parse_utc('2026-01-02T09:30:06Z') and got.isoformat() == '2026-01-02T09:30:06'
    assert not [p for p in (course/'.resnet_course').iterdir() if p.name not in ('submissions.json', 'students.json')]   # no temp files


def test_times_from_roster_and_mtime(course, tmp_path, capsys):
    p = tmp_path/'r.csv'
    p.write_text('student_id,name,submitted_at,submitted_at_ch14_questionnaire\njdoe,Jane Doe,2026-01-05T12:00:00Z,2026-01-06T12:00:00+02:00\n'
                 'bsmith,Bob Smith,,\n')
    src = tmp_path/'in'
    src.mkdir()
    for n in ('jdoe_ch13_review.ipynb', 'jdoe_ch14_questionnaire.ipynb', 'bsmith_ch13_review.ipynb'): (src/n).write_bytes(nb_bytes(n[:3]))
    os.utime(src/'bsmith_ch13_review.ipynb', (1_767_000_000, 1_767_000_000))
    C.collect(src, course, p)
    subs = read_json(course/'.resnet_course'/'submissions.json')
    assert (subs['jdoe']['ch13_review']['time'], subs['jdoe']['ch13_review']['time_source']) == ('2026-01-05T12:00:00+00:00', 'roster')
    assert subs['jdoe']['ch14_questionnaire']['time'] == '2026-01-06T10:00:00+00:00'
    assert (subs['bsmith']['ch13_review']['time'], subs['bsmith']['ch13_review']['time_source']) == ('2025-12-29T09:20:00+00:00', 'mtime')
    assert (course/'submitted'/'jdoe'/'ch14_questionnaire'/'timestamp.txt').read_text() == '2026-01-06 10:00:00.000000 UTC\n'
    with pytest.raises(SystemExit) as e:
        main(['collect', str(src), '--course', str(course), '--tz', 'Mars/Olympus'])
    assert 'unknown time zone' in str(e.value.code)
    capsys.readouterr()
    main(['collect', str(src), '--course', str(course)])   # no roster now: every time is the file's, and the command says so
    assert "time taken from the file's modification time" in capsys.readouterr().out


def test_better_time_record_updates_an_unchanged_file(course, tmp_path):
    src = tmp_path/'in'
    src.mkdir()
    (src/'jdoe_ch13_review.ipynb').write_bytes(nb_bytes(1))
    os.utime(src/'jdoe_ch13_review.ipynb', (1_767_000_000, 1_767_000_000))
    C.collect(src, course)
    ts = course/'submitted'/'jdoe'/'ch13_review'/'timestamp.txt'
    assert ts.read_text() == '2025-12-29 09:20:00.000000 UTC\n'
    p = tmp_path/'r.csv'
    p.write_text('student_id,submitted_at\njdoe,2025-12-20T08:00:00Z\n')
    r = C.collect(src, course, p)   # the same file, and now the platform's record of when it came: the record wins
    assert r.unchanged and not r.collected and ts.read_text() == '2025-12-20 08:00:00.000000 UTC\n'
    assert read_json(course/'.resnet_course'/'submissions.json')['jdoe']['ch13_review']['time_source'] == 'roster'
    C.collect(src, course)          # a worse source never overwrites a better one
    assert ts.read_text() == '2025-12-20 08:00:00.000000 UTC\n'


def test_records_merged_and_students_kept(course, tmp_path):
    p = tmp_path/'r.csv'
    p.write_text('Student ID,First name,Last name,Email address,SIS User ID,Canvas User ID\njdoe,Jane,Doe,jane@uni.edu,S1,67890\n'
                 'bsmith,Bob,Smith,bob@uni.edu,S2,\n')
    z = make_zip(tmp_path/'a.zip', [(f'{JANE}/ch13_review.ipynb', nb_bytes(1), OLD)])
    C.collect(z, course, p)
    z2 = make_zip(tmp_path/'b.zip', [('smithbob_555_777_ch14_questionnaire.ipynb', nb_bytes(2), NEW)])
    C.collect(z2, course, p)
    people = read_json(course/'.resnet_course'/'students.json')
    assert people['jdoe'] == {'first_name': 'Jane', 'last_name': 'Doe', 'email': 'jane@uni.edu', 'sis_id': 'S1', 'canvas_user_id': '67890',
                              'name': 'Jane Doe', 'moodle_participant_id': '12345'}
    assert people['bsmith'] == {'first_name': 'Bob', 'last_name': 'Smith', 'email': 'bob@uni.edu', 'sis_id': 'S2', 'canvas_user_id': '555'}
    subs = read_json(course/'.resnet_course'/'submissions.json')
    assert sorted((s, a) for s in subs for a in subs[s]) == [('bsmith', 'ch14_questionnaire'), ('jdoe', 'ch13_review')]   # merged
    (course/'.resnet_course'/'submissions.json').write_text('{not json')
    r = C.collect(z, course, p)   # unchanged, and a broken record file is kept aside, never lost
    assert r.unchanged and any('moved aside' in w for _, w in r.warnings)
    assert [q.read_text() for q in (course/'.resnet_course').glob('submissions.json.*.bak')] == ['{not json']
    assert read_json(course/'.resnet_course'/'submissions.json')['jdoe']['ch13_review']['time_source'] == 'moodle'


# --------------------------------------------------------------------------- release and packaging
def test_release_one_assignment(tmp_path, capsys):
    "`resnet-course release NAME --course DIR` on a scratch copy makes exactly the committed release (generate_assignment only)"
    course = C.copy_course(tmp_path/'course', COURSE, subs=('source',))
    for a in C.list_assignments(course):
        if a != 'ch13_review': shutil.rmtree(course/'source'/a)
    main(['release', 'ch13_review', '--course', str(course), '--no-validate'])   # validate: tests/test_validate.py
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith('released 1 assignment(s) in ') and line.endswith(': ch13_review'), line
    sys.path.insert(0, str(ROOT/'tests'))
    import course_tools as ct
    got = ct.release_signature(course/'release'/'ch13_review'/'ch13_review.ipynb')
    assert got == ct.release_signature(COURSE/'release'/'ch13_review'/'ch13_review.ipynb'), 'committed release differs: run `resnet-course release`'
    assert sorted(p.name for p in course.iterdir()) == ['nbgrader_config.py', 'release', 'source']   # no gradebook, no log
    with pytest.raises(ValueError, match='unknown assignment'): C.release(course, ['ch14_questionnaire'])


def test_course_tools_uses_package():
    sys.path.insert(0, str(ROOT/'tests'))
    import course_tools as ct
    assert ct.load_config is C.load_config and ct.generate is C.generate
    assert ct.assignments() == C.list_assignments(COURSE) == ASG


def test_import_is_light():
    code = "import sys, resnet_course.collect; print([m for m in ('torch', 'fastai', 'nbgrader', 'fastprogress') if m in sys.modules])"
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == '[]'
