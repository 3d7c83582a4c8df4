#| export
import html, json, os, re, secrets, shutil, sys, tempfile, threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from resnet_course.collect import course_dir, list_assignments

#| export
def validate(course=None, # the course folder (default: `course_dir()`)
             assignments=None, # assignments to check (default: every one in `source/`)
             timeout=None): # seconds per cell (default: the course's `Execute.timeout`)
    """Grade each source notebook, solutions in place, with this grader (sandbox and all) in a scratch copy of the
    course; {assignment: [one line per lost point]} for those that do not earn full autograded marks"""
    from resnet_course.collect import copy_course
    from resnet_course.autograde import autograde, scores, grading_config
    course = course_dir(course)
    have = list_assignments(course)
    todo = list(assignments) if assignments else have
    unknown = sorted(set(todo) - set(have))
    if unknown: raise ValueError(f'unknown assignment(s) {unknown}; the course has {have}')
    bad, student = {}, 'source_check'
    with tempfile.TemporaryDirectory(prefix='resnet_course_validate_') as tmp:
        work = copy_course(Path(tmp)/'course', course, subs=('source', 'release'))
        for a in todo:
            if not (work/'release'/a).exists():   # not released yet: nbgrader's release of the source, in the scratch copy
                from resnet_course.collect import release
                r = release(work, [a], progress=False)
                if r.failed: bad[a] = [f'release: {r.failed[a].splitlines()[0] if r.failed[a] else "failed"}']; continue
            dest = work/'submitted'/student/a
            dest.mkdir(parents=True)
            for nb in (work/'source'/a).glob('*.ipynb'): shutil.copy2(nb, dest/nb.name)
            res = autograde(work, [a], [student], workers=1, timeout=timeout, force=True, progress=False).results[f'{student}/{a}']
            if res['status'] != 'graded':
                bad[a] = [f"{res['status']}: {p}" for p in res['problems']] or [res['status']]; continue
            items, _, _ = scores(work, grading_config(work), a, student)
            lost = [f"{k}: {s or 0:g} / {m:g}: {res['failures'].get(k, 'points lost')}" for k, (s, m, manual) in sorted(items.items())
                    if not manual and (s or 0) < m]
            lost += [f'problem: {p}' for p in res['problems']]
            if lost: bad[a] = lost
    return bad

#| export
def rubric(course, assignment, notebook, grade_id):
    "The text of the solution cell `grade_id` in the source notebook (the rubric of a hand-graded item), markers dropped"
    import nbformat
    p = Path(course)/'source'/assignment/f'{notebook}.ipynb'
    if not p.exists(): return ''
    for c in nbformat.read(str(p), as_version=4).cells:
        if c.get('metadata', {}).get('nbgrader', {}).get('grade_id') == grade_id:
            return '\n'.join(l for l in c.source.splitlines() if l.strip() not in ('### BEGIN SOLUTION', '### END SOLUTION')).strip()
    return ''

def _answer(course, assignment, notebook, student, grade_id):
    "The student's graded cell `grade_id` as it is in autograded/ (what the gradebook's score is about)"
    import nbformat
    p = Path(course)/'autograded'/student/assignment/f'{notebook}.ipynb'
    try: cells = nbformat.read(str(p), as_version=4).cells
    except Exception: return None
    return next((c.source for c in cells if c.get('metadata', {}).get('nbgrader', {}).get('grade_id') == grade_id), None)

def roster_names(course):
    "{student_id: name} from `.resnet_course/students.json` (written by `collect`), or {}"
    p = Path(course)/'.resnet_course'/'students.json'
    try: d = json.loads(p.read_text())
    except Exception: return {}
    return {k: v.get('name') for k, v in d.items() if isinstance(v, dict) and v.get('name')}

#| export
def manual_items(course=None, db=None):
    """Every hand-graded item of every submission in the gradebook (a graded cell that is also a solution cell, so no
    test scores it): dicts of assignment, notebook, student, name, grade_id, max_score, score, comment, answer, rubric"""
    from nbgrader.api import Gradebook
    from resnet_course.autograde import _db_url
    from resnet_course.collect import load_config
    course = course_dir(course)
    url = db or _db_url(course, load_config(course))
    names, rubrics, out = roster_names(course), {}, []
    with Gradebook(url) as gb:
        for a in sorted(gb.assignments, key=lambda a: a.name):
            for sub in sorted(a.submissions, key=lambda s: s.student.id):
                for nb in sub.notebooks:
                    manual = {c.name for c in nb.notebook.solution_cells}
                    comments = {c.name: c.manual_comment for c in nb.comments}
                    for g in sorted(nb.grades, key=lambda g: g.name):
                        if g.name not in manual: continue
                        key = (a.name, nb.name, g.name)
                        if key not in rubrics: rubrics[key] = rubric(course, *key)
                        out.append(dict(assignment=a.name, notebook=nb.name, student=sub.student.id,
                                        name=names.get(sub.student.id, sub.student.id), grade_id=g.name,
                                        max_score=float(g.max_score), score=g.manual_score, comment=comments.get(g.name) or '',
                                        pending=bool(g.needs_manual_grade), rubric=rubrics[key],
                                        auto_score=g.auto_score,
                                        answer=_answer(course, a.name, nb.name, sub.student.id, g.name)))
    return sorted(out, key=lambda i: (i['assignment'], i['notebook'], i['grade_id'], i['student']))

def save_grade(course, db, assignment, notebook, student, grade_id, score, comment=''):
    "Write a hand grade (0..max) and a comment into nbgrader's gradebook, as formgrader would; the score saved"
    from nbgrader.api import Gradebook
    from resnet_course.autograde import _db_url
    from resnet_course.collect import load_config
    course = course_dir(course)
    try: score = float(score)
    except (TypeError, ValueError): raise ValueError(f'score {score!r} is not a number')
    if score != score: raise ValueError('score is not a number')
    with Gradebook(db or _db_url(course, load_config(course))) as gb:
        sub = gb.find_submission_notebook(notebook, assignment, student)
        if grade_id not in {c.name for c in sub.notebook.solution_cells}: raise ValueError(f'{grade_id} is not graded by hand')
        g = gb.find_grade(grade_id, notebook, assignment, student)
        if not 0 <= score <= g.max_score: raise ValueError(f'score {score:g} is outside 0..{g.max_score:g}')
        g.manual_score, g.needs_manual_grade = score, False
        c = gb.find_comment(grade_id, notebook, assignment, student)
        c.manual_comment = comment
        gb.db.commit()
    return score

#| export
_CSS = """body{font-family:sans-serif;max-width:80em;margin:1em auto;color:#222} .item{border:1px solid #ccc;border-radius:6px;
margin:1em 0;padding:.6em 1em} .cols{display:flex;gap:1em} .cols>div{flex:1;min-width:0} pre{white-space:pre-wrap;
background:#f6f6f6;padding:.5em;border-radius:4px;font-size:90%} .rubric pre{background:#eef5ff} .pending{color:#b36b00}
.done{color:#1a7f37} .err{background:#ffe0e0;padding:.5em} h2{border-bottom:2px solid #ddd} label{margin-right:1em}"""

def _item_html(i, token):
    e = html.escape
    ident = f'{i["assignment"]}-{i["notebook"]}-{i["grade_id"]}-{i["student"]}'
    state = ('<span class="pending">waiting for a grade</span>' if i['pending'] else
             f'<span class="done">graded: {i["score"]:g} / {i["max_score"]:g}</span>' if i['score'] is not None else
             f'<span class="done">{i["auto_score"] or 0:g} / {i["max_score"]:g} from nbgrader (answer left as released)</span>')
    who = e(i['name']) + (f' <small>({e(i["student"])})</small>' if i['name'] != i['student'] else '')
    answer = '<em>(no answer found in autograded/)</em>' if i['answer'] is None else f'<pre>{e(i["answer"])}</pre>'
    score = '' if i['score'] is None else f'{i["score"]:g}'
    hidden = ''.join(f'<input type="hidden" name="{k}" value="{e(str(i[k]))}">' for k in ('assignment', 'notebook', 'student', 'grade_id'))
    return (f'<div class="item" id="{e(ident)}"><h3>{who} &middot; {state}</h3><div class="cols">'
            f'<div><b>Answer</b>{answer}</div><div class="rubric"><b>Rubric</b><pre>{e(i["rubric"] or "(no rubric in source/)")}</pre></div></div>'
            f'<form method="post" action="/{token}/grade">{hidden}<input type="hidden" name="csrf" value="{token}">'
            f'<label>Score (0 to {i["max_score"]:g}) <input name="score" type="number" min="0" max="{i["max_score"]:g}" step="any" required value="{score}"></label>'
            f'<label>Comment <textarea name="comment" rows="2" cols="60">{e(i["comment"])}</textarea></label>'
            '<button type="submit">Save</button></form></div>')

def page(items, token, msg=''):
    "The hand-grading page: one block per answer, grouped by item, student text escaped"
    e = html.escape
    parts = [f'<!doctype html><meta charset="utf-8"><title>resnet_course hand grading</title><style>{_CSS}</style>',
             '<h1>Hand grading</h1>', f'<p class="err">{e(msg)}</p>' if msg else '',
             f'<p>{sum(i["pending"] for i in items)} of {len(items)} hand-graded answer(s) waiting for a grade. '
             'Saved grades go into the gradebook; run <code>resnet-course export</code>, <code>report</code> and '
             '<code>feedback</code> afterwards.</p>']
    last = None
    for i in items:
        head = (i['assignment'], i['notebook'], i['grade_id'])
        if head != last:
            parts.append(f'<h2>{e(i["assignment"])} / {e(i["grade_id"])} ({i["max_score"]:g} point(s))</h2>'); last = head
        parts.append(_item_html(i, token))
    return ''.join(parts)

#| export
def make_server(course=None, db=None, port:int=0):
    """The hand-grading page on 127.0.0.1:`port` (0: a free one): (server, url). Every URL carries a random token made
    for this run, so no other local user (or web page) can read answers or post grades; posts must also carry it in
    the form (CSRF) and come from this origin. Student text is escaped and the page forbids scripts (CSP)."""
    from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
    from urllib.parse import quote
    course, token, lock = course_dir(course), secrets.token_urlsafe(24), threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a): pass
        def _send(self, code, body='', headers=()):
            b = body.encode()
            self.send_response(code)
            self.send_header('Content-Type', 'text/html; charset=utf-8'); self.send_header('Content-Length', str(len(b)))
            self.send_header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
            self.send_header('X-Content-Type-Options', 'nosniff'); self.send_header('Referrer-Policy', 'same-origin')
            self.send_header('Cache-Control', 'no-store')
            for k, v in headers: self.send_header(k, v)
            self.end_headers(); self.wfile.write(b)
        def _route(self):
            parts = urlsplit(self.path).path.strip('/').split('/')
            return secrets.compare_digest(parts[0].encode(), token.encode()), parts[1:]
        def do_GET(self):
            ok, rest = self._route()
            if not ok or rest not in ([], ['']): return self._send(404, 'not found')
            msg = parse_qs(urlsplit(self.path).query).get('msg', [''])[0][:300]
            try:
                with lock: items = manual_items(course, db)
            except Exception as e: return self._send(500, html.escape(f'could not read the gradebook: {e}'.splitlines()[0]))
            self._send(200, page(items, token, msg))
        def do_POST(self):
            ok, rest = self._route()
            if not ok or rest != ['grade']: return self._send(404, 'not found')
            host, port_ = self.server.server_address[:2]
            if self.headers.get('Origin') not in (None, f'http://{host}:{port_}'): return self._send(403, 'cross-origin post refused')
            n = int(self.headers.get('Content-Length') or 0)
            if n > 1_000_000: return self._send(413, 'too large')
            f = {k: v[0] for k, v in parse_qs(self.rfile.read(n).decode('utf-8', 'replace'), keep_blank_values=True).items()}
            if not secrets.compare_digest(f.get('csrf', '').encode(), token.encode()): return self._send(403, 'bad form token')
            ident = f'{f.get("assignment")}-{f.get("notebook")}-{f.get("grade_id")}-{f.get("student")}'
            try:
                with lock: save_grade(course, db, f.get('assignment'), f.get('notebook'), f.get('student'), f.get('grade_id'),
                                      f.get('score'), f.get('comment', ''))
                loc = f'/{token}/#{quote(ident)}'
            except Exception as e: loc = f'/{token}/?msg=' + quote(f'not saved ({ident}): {e}'.splitlines()[0][:300])
            self._send(303, '', [('Location', loc)])

    srv = ThreadingHTTPServer(('127.0.0.1', port), Handler)
    return srv, f'http://127.0.0.1:{srv.server_address[1]}/{token}/'

def serve(course=None, db=None, port:int=0):
    "`resnet-course handgrade`: serve the page until Ctrl-C"
    srv, url = make_server(course, db, port)
    print(f'hand grading for {course_dir(course)} at\n  {url}\n(only this URL works; Ctrl-C stops)', flush=True)
    try: srv.serve_forever()
    except KeyboardInterrupt: pass
    finally: srv.server_close()
