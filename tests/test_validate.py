"""`resnet-course validate` (issue 11.8): a source notebook must earn full autograded marks in this grader; `release`
refuses one that does not."""
import shutil
from pathlib import Path
import nbformat, pytest
import course_tools as ct

A = 'ch14_further_research'


@pytest.fixture(scope='module')
def course():
    root, c, src, rel, recipe = ct.scratch_course('resnet_course_val_', A)
    bad = c / 'source' / 'wrong_one'                     # the same assignment, one solution made wrong
    bad.mkdir()
    nb = nbformat.read(str(c / 'source' / A / f'{A}.ipynb'), as_version=4)
    cell = next(x for x in nb.cells if x.cell_type == 'code' and x.metadata.get('nbgrader', {}).get('solution')
                and 'def ' in x.source)
    name = cell.source.split('def ', 1)[1].split('(')[0]
    cell.source = f'### BEGIN SOLUTION\ndef {name}(*args, **kwargs): return None\n### END SOLUTION'
    nbformat.write(nb, str(bad / 'wrong_one.ipynb'))
    yield c, name
    shutil.rmtree(root, ignore_errors=True)


def test_validate(course, capsys):
    from resnet_course.cli import main
    c, name = course
    main(['validate', A, '--course', str(c)])
    assert 'full autograded marks' in capsys.readouterr().out
    with pytest.raises(SystemExit) as e: main(['release', 'wrong_one', '--course', str(c)])   # release validates first
    assert e.value.code == 1 and not (c / 'release' / 'wrong_one').exists()
    lines = capsys.readouterr().out.strip().splitlines()
    print('\n'.join(lines))
    assert lines and all(l.startswith('wrong_one: ') for l in lines), lines
    assert any(' / ' in l and 'Error' in l for l in lines), lines          # test name, points, and the message
    main(['release', 'wrong_one', '--course', str(c), '--no-validate'])
    assert (c / 'release' / 'wrong_one' / 'wrong_one.ipynb').exists()
