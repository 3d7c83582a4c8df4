"`resnet_course.similarity`: near-identical answers across students are flagged for a person, independent ones are not."
import json, shutil, subprocess, sys
from pathlib import Path

import pytest

from resnet_course import similarity as S
from resnet_course.cli import main

ROOT = Path(__file__).resolve().parents[1]

STUB = 'def window_means(values, k):\n    # YOUR CODE HERE\n    raise NotImplementedError()'
STUB2 = 'def count_params(model):\n    # YOUR CODE HERE\n    raise NotImplementedError()'
ORIG = ('def window_means(values, k):\n    # the mean of every window of k values\n'
        '    return [sum(values[i:i + k]) / k for i in range(len(values) - k + 1)]')
RENAMED = ('def window_means(data, width):\n  return [sum(data[s:s+width]) / width  # average of a window\n'
           '          for s in range(len(data) - width + 1)]\n')
LOOP = ('def window_means(values, k):\n    total, means = sum(values[:k]), []\n    means.append(total / k)\n'
        '    for i in range(k, len(values)):\n        total += values[i] - values[i - k]\n        means.append(total / k)\n    return means')
CUMSUM = ('def window_means(values, k):\n    import numpy\n    c = numpy.cumsum([0] + list(values))\n    return list((c[k:] - c[:-k]) / k)')
PARAMS_A = 'def count_params(model):\n    return sum(p.numel() for p in model.parameters() if p.requires_grad)'
PARAMS_B = 'def count_params(model):\n    n = 0\n    for w in model.parameters():\n        if w.requires_grad: n += w.numel()\n    return n'


def nb(*cells):
    return json.dumps({'cells': [{'cell_type': 'code', 'source': src, 'outputs': [], 'execution_count': None,
                                  'metadata': {'nbgrader': {'solution': True, 'grade': False, 'grade_id': gid, 'schema_version': 3}}}
                                 for gid, src in cells], 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5})


@pytest.fixture
def course(tmp_path):
    "A course with a released notebook of two answer cells (stubs) and no grading state"
    c = tmp_path/'course'
    (c/'source'/'hw').mkdir(parents=True)
    (c/'nbgrader_config.py').write_text('c = get_config()\n')
    (c/'source'/'hw'/'hw.ipynb').write_text(nb(('means', ORIG), ('params', PARAMS_A)))
    (c/'release'/'hw').mkdir(parents=True)
    (c/'release'/'hw'/'hw.ipynb').write_text(nb(('means', STUB), ('params', STUB2)))
    return c


def hand_in(course, student, text, base='submitted'):
    d = course/base/student/'hw'
    d.mkdir(parents=True, exist_ok=True)
    (d/'hw.ipynb').write_text(text)


def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in Path(root).rglob('*') if p.is_file()}


def test_tokens_ignore_names_comments_layout():
    assert S.code_tokens(ORIG) == S.code_tokens(RENAMED)
    assert S.code_tokens(ORIG) != S.code_tokens(LOOP)
    assert S.code_tokens('x = "secret"') == S.code_tokens("y = 'other'") != S.code_tokens('x = "a"', keep_strings=True)
    assert S.code_tokens('x.relu()') == ['V', '.', 'relu', '(', ')', ';']   # attribute names are part of the answer


def test_threshold_separates_copies_from_independent_work(course):
    "The threshold's justification: identical and renamed copies flagged, independent solutions and bare stubs not"
    for s, means in [('orig', ORIG), ('copy', ORIG), ('renamed', RENAMED), ('loop', LOOP), ('cumsum', CUMSUM)]:
        hand_in(course, s, nb(('means', means), ('params', PARAMS_B if s == 'loop' else PARAMS_A if s == 'cumsum' else STUB2)))
    hand_in(course, 'blank1', nb(('means', STUB), ('params', STUB2)))
    hand_in(course, 'blank2', nb(('means', STUB), ('params', STUB2)))
    every = S.similar_pairs(course, 'hw', threshold=1e-9)
    for p in every: print(p)
    score = {frozenset((p['a'], p['b'])): p['score'] for p in every}
    copies = [frozenset(x) for x in [('orig', 'copy'), ('orig', 'renamed'), ('copy', 'renamed')]]
    assert all(score[c] == 1.0 for c in copies)
    independent = [v for k, v in score.items() if k & {'loop', 'cumsum'}]
    assert max(independent) < S.THRESHOLD / 4, independent   # far below the threshold ...
    assert min(score[c] for c in copies) > S.THRESHOLD * 1.5  # ... and far above it
    flagged = S.similar_pairs(course, 'hw')
    assert {frozenset((p['a'], p['b'])) for p in flagged} == set(copies)
    assert all(p['cells'] == [('means', 1.0)] for p in flagged)
    assert not any({'blank1', 'blank2'} & {p['a'], p['b']} for p in every)   # the stub's own text is never evidence


def test_one_copied_cell_of_two_is_flagged(course):
    hand_in(course, 'a', nb(('means', LOOP), ('params', PARAMS_A)))
    hand_in(course, 'b', nb(('means', CUMSUM), ('params', PARAMS_A.replace('model', 'net').replace(' p ', ' q ').replace('p.', 'q.'))))
    (p,) = S.similar_pairs(course, 'hw')
    assert (p['a'], p['b']) == ('a', 'b') and p['cells'] == [('params', 1.0)] and p['score'] < 0.6


def test_repaired_notebook_preferred_and_hostile_files(course):
    hand_in(course, 'a', nb(('means', ORIG)))
    hand_in(course, 'b', '{"cells": [')                       # not JSON: no answers, no crash
    hand_in(course, 'b', nb(('means', RENAMED)), base='repaired')   # ... but autograde's rebuilt copy has them
    hand_in(course, 'c', json.dumps({'cells': 'no', 'metadata': []}))
    hand_in(course, 'd', json.dumps({'cells': [None, 3, {'metadata': {'nbgrader': 'x'}}, {'source': 7, 'metadata': {'nbgrader': {'solution': True, 'grade_id': 'means'}}}]}))
    assert [(p['a'], p['b']) for p in S.similar_pairs(course, 'hw')] == [('a', 'b')]
    with pytest.raises(ValueError, match='threshold'): S.similar_pairs(course, 'hw', threshold=0)


def test_report_is_escaped_and_changes_nothing(course, tmp_path, capsys):
    hand_in(course, 'a', nb(('means', ORIG + '  # </pre><script>alert(1)</script>')))
    hand_in(course, '<img src=x onerror=alert(1)>', nb(('means', RENAMED)))
    hand_in(course, '=HYPERLINK("x")', nb(('means', ORIG)))
    before = tree(course)
    main(['similarity', '--course', str(course), '--out', str(tmp_path/'out')])
    out = capsys.readouterr().out
    assert out.startswith('3 pair(s) with an answer at least 0.5 similar, in 1 assignment(s)')
    page = (tmp_path/'out'/'similarity.html').read_text()
    assert '<script>' not in page and '<img' not in page and '&lt;script&gt;' in page and '&lt;img src=x' in page
    rows = (tmp_path/'out'/'similarity.csv').read_text().splitlines()
    assert rows[0] == 'assignment,student_a,student_b,score,cells' and len(rows) == 4
    assert not any(r.split(',')[1].startswith('=') or r.split(',')[2].startswith('=') for r in rows[1:])   # no spreadsheet formula
    assert tree(course) == before   # only reads the course: no score, gradebook or notebook touched
    with pytest.raises(SystemExit, match='unknown assignment'): main(['similarity', 'nope', '--course', str(course)])


def test_import_is_light():
    code = "import sys, resnet_course.similarity; print([m for m in ('torch', 'fastai', 'nbgrader') if m in sys.modules])"
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == '[]'
