"""Hand grading (issue 11.2) in a real browser, and `validate` (issue 11.8).

The browser test drives Debian's headless Chromium (/usr/bin/chromium + chromedriver) with Selenium: it gives a hand
grade and a comment on the `resnet-course handgrade` page and checks that export, report and feedback show them. It
skips (fails under RESNET_COURSE_REQUIRE_BROWSER=1, as `make test` sets) where Chromium or Selenium is missing."""
import csv, json, os, shutil, tempfile, threading
from pathlib import Path
import nbformat, pytest
import course_tools as ct

A = 'ch14_further_research'          # hand-graded items (written answers) and quick tests
SRC = json.loads((Path(__file__).parents[1] / 'nbs' / '_course' / 'source' / A / f'{A}.ipynb').read_text())
MANUAL = sorted(c['metadata']['nbgrader']['grade_id'] for c in SRC['cells']   # the written answers, from the source
                if c.get('metadata', {}).get('nbgrader', {}).get('grade') and c['metadata']['nbgrader'].get('solution'))
SCORES = json.loads((Path(__file__).parent / 'course' / f'{A}.json').read_text())['scores']
HOSTILE = '<script>document.title="pwned"</script><img src=x onerror="document.title=\'pwned\'"> einsum is slower'


@pytest.fixture(scope='module')
def graded():
    from resnet_course.autograde import autograde
    root, c, src, rel, recipe = ct.scratch_course('resnet_course_hg_', A)
    ct.make_submission(c, A, 'alice', ct.correct_submission(src, rel))
    bob = ct.partial_submission(src, rel, recipe['partial'])
    for cell in bob.cells:
        if cell.get('metadata', {}).get('nbgrader', {}).get('grade_id') == 'einsum_written': cell.source = HOSTILE
    ct.make_submission(c, A, 'bob', bob)
    (c / '.resnet_course').mkdir(exist_ok=True)
    (c / '.resnet_course' / 'students.json').write_text(json.dumps({'alice': {'name': 'Alice Liddell', 'email': 'a@x.org'}}))
    r = autograde(c, workers=2, progress=False)
    assert {k: v['status'] for k, v in r.results.items()} == {f'alice/{A}': 'graded', f'bob/{A}': 'graded'}
    yield root, c
    shutil.rmtree(root, ignore_errors=True)


def test_items_and_validation(graded):
    from resnet_course.handgrade import manual_items, save_grade
    _, c = graded
    items = manual_items(c)
    assert sorted((i['student'], i['grade_id']) for i in items) == [
        (s, g) for s in ('alice', 'bob') for g in MANUAL]
    assert {'einsum_written', 'imagenette_written'} <= set(MANUAL)
    alice = next(i for i in items if i['student'] == 'alice' and i['grade_id'] == 'einsum_written')
    assert alice['name'] == 'Alice Liddell' and alice['pending'] and alice['max_score'] == 2
    assert 'Rubric' in alice['rubric'] and 'BEGIN SOLUTION' not in alice['rubric']
    bob = next(i for i in items if i['student'] == 'bob' and i['grade_id'] == 'einsum_written')
    assert bob['answer'] == HOSTILE and bob['name'] == 'bob'
    for bad, why in [(3, 'outside 0..2'), (-1, 'outside'), ('x', 'not a number'), ('nan', 'not a number')]:
        with pytest.raises(ValueError, match=why): save_grade(c, None, A, A, 'alice', 'einsum_written', bad)
    with pytest.raises(ValueError, match='not graded by hand'):
        save_grade(c, None, A, A, 'alice', next(k for k in SCORES_ITEMS(c) if k not in MANUAL), 1)


def SCORES_ITEMS(c):
    from resnet_course.autograde import scores, grading_config
    return scores(c, grading_config(c), A, 'alice')[0]


def _browser():
    "A headless Chromium (Debian's) under Selenium, or pytest.skip/fail with the reason"
    why = ''
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError: why = 'selenium is not installed (pip install -e ".[dev]")'
    chrome = shutil.which('chromium') or '/usr/bin/chromium'
    driver = shutil.which('chromedriver') or '/usr/bin/chromedriver'
    if not why and not (os.path.exists(chrome) and os.path.exists(driver)):
        why = 'no chromium/chromedriver (apt-get install chromium chromium-driver)'
    if why:
        if os.environ.get('RESNET_COURSE_REQUIRE_BROWSER') == '1': pytest.fail(f'browser test required but: {why}')
        pytest.skip(why)
    profile = tempfile.mkdtemp(prefix='resnet_course_chromium_')
    o = webdriver.ChromeOptions()
    o.binary_location = chrome
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
              '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', f'--user-data-dir={profile}', '--window-size=1400,1000'):
        o.add_argument(a)
    return webdriver.Chrome(service=Service(executable_path=driver), options=o), profile


def test_hand_grade_in_browser(graded):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from resnet_course.handgrade import make_server
    from resnet_course.autograde import export, report, feedback
    root, c = graded
    srv, url = make_server(c)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    drv, profile = _browser()
    try:
        drv.get(url.rsplit('/', 2)[0] + '/wrong-token/')                 # without the token: nothing
        assert 'Hand grading' not in drv.page_source
        drv.get(url)
        assert drv.title == 'resnet_course hand grading'                  # bob's <script> / onerror did not run
        assert 'Alice Liddell' in drv.page_source and 'Rubric (2 points' in drv.page_source   # names and rubric
        assert '&lt;script&gt;document.title' in drv.page_source
        box = drv.find_element(By.ID, f'{A}-{A}-einsum_written-alice')
        box.find_element(By.NAME, 'score').send_keys('1.5')
        box.find_element(By.NAME, 'comment').send_keys('Right count of multiply-adds; the cause is <b>vague</b>.')
        box.find_element(By.TAG_NAME, 'button').click()
        WebDriverWait(drv, 20).until(lambda d: 'graded: 1.5 / 2' in d.page_source or 'not saved' in d.page_source)
        assert 'not saved' not in drv.page_source, drv.find_element(By.CLASS_NAME, 'err').text
        box = drv.find_element(By.ID, f'{A}-{A}-einsum_written-bob')        # the second answer: bob (id only, no roster name)
        s = box.find_element(By.NAME, 'score'); s.send_keys('1')
        box.find_element(By.TAG_NAME, 'button').click()
        WebDriverWait(drv, 20).until(lambda d: 'graded: 1 / 2' in d.page_source)
        if os.environ.get('RESNET_COURSE_SCREENSHOT'): drv.save_screenshot(os.environ['RESNET_COURSE_SCREENSHOT'])
    finally:
        drv.quit(); srv.shutdown(); srv.server_close(); shutil.rmtree(profile, ignore_errors=True)
    rows = {r['student_id']: r for r in csv.DictReader(open(export(c, root / 'hg.csv')))}
    assert float(rows['alice'][f'{A}:einsum_written']) == 1.5 and float(rows['bob'][f'{A}:einsum_written']) == 1
    html, _ = report(c, root / 'hg_report')
    assert html.exists()
    res = feedback(c, progress=False)                      # alice's other written answers still await a grader: held back
    assert res.pending == [f'alice/{A}'] and f'alice/{A}' not in res.written
    res = feedback(c, progress=False, include_pending=True)
    assert len(res.written) == res.total == 2
    fb = next((c / 'feedback' / 'alice' / A).glob('*.html')).read_text()
    assert 'Right count of multiply-adds' in fb and '1.5' in fb and 'awaiting a grader' in fb


def test_handgrade_rejects_forged_posts(graded):
    "A post without the form token, or from another origin, changes nothing"
    import urllib.request, urllib.error, urllib.parse
    from resnet_course.handgrade import make_server, manual_items
    _, c = graded
    srv, url = make_server(c)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        form = dict(assignment=A, notebook=A, student='alice', grade_id='imagenette_written', score='2', comment='forged')
        for extra, headers in [({}, {}), ({'csrf': 'guess'}, {}), ({'csrf': url.split('/')[-2]}, {'Origin': 'http://evil.example'})]:
            req = urllib.request.Request(url + 'grade', data=urllib.parse.urlencode({**form, **extra}).encode(), headers=headers)
            with pytest.raises(urllib.error.HTTPError) as e: urllib.request.urlopen(req)
            assert e.value.code == 403
    finally: srv.shutdown(); srv.server_close()
    assert next(i for i in manual_items(c) if i['student'] == 'alice' and i['grade_id'] == 'imagenette_written')['score'] is None


def test_handgrade_command(graded):
    "`resnet-course handgrade` prints its URL and serves the page there"
    import subprocess, sys, urllib.request
    _, c = graded
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    p = subprocess.Popen([sys.executable, '-c', 'import sys; from resnet_course.cli import main; main(sys.argv[1:])',
                          'handgrade', '--course', str(c)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert p.stdout.readline().startswith('hand grading for')
        url = p.stdout.readline().strip()
        assert url.startswith('http://127.0.0.1:')
        body = urllib.request.urlopen(url, timeout=30).read().decode()
        assert 'Alice Liddell' in body and 'einsum_written' in body
    finally: p.terminate(); p.wait(10)
