"""A throwaway PostgreSQL cluster for the tests (used by the `pg_url` fixture in conftest.py).

`RESNET_COURSE_TEST_PG` set (a `postgresql://` URL of a server you run): the tests use it. Otherwise, where the Debian
server binaries exist (/usr/lib/postgresql/<version>/bin, or $RESNET_COURSE_PG_BIN), the fixture runs `initdb` into a
temporary folder, starts the server on 127.0.0.1 at a free port with a random password, and stops and deletes it at the
end of the session. PostgreSQL refuses to run as root: as root the server runs as the `postgres` user (`runuser`).
Nothing there: the PostgreSQL tests skip and say why (or fail, with RESNET_COURSE_REQUIRE_PG=1, as `make test` sets).

    python tests/pg_cluster.py      # start one by hand, print its URL, stop it on Enter
"""
from __future__ import annotations

import glob, os, secrets, shutil, socket, subprocess, tempfile, time
from pathlib import Path


def pg_bin():
    "Folder of initdb and pg_ctl, or None"
    cands = [os.environ.get('RESNET_COURSE_PG_BIN', '')] + sorted(glob.glob('/usr/lib/postgresql/*/bin'), reverse=True)
    return next((Path(c) for c in cands if c and (Path(c) / 'initdb').exists() and (Path(c) / 'pg_ctl').exists()), None)


def _prefix():
    "How to run the server's commands: as ourselves, or as `postgres` when we are root"
    if os.geteuid() != 0: return []
    if shutil.which('runuser') is None: raise RuntimeError('running as root and there is no runuser to become postgres')
    import pwd
    try: pwd.getpwnam('postgres')
    except KeyError: raise RuntimeError('running as root and there is no postgres user to run the server as')
    return ['runuser', '-u', 'postgres', '--']


def why_not():
    "Why no cluster can be started here ('' when one can)"
    if pg_bin() is None: return 'no PostgreSQL server binaries (apt-get install postgresql, or set RESNET_COURSE_PG_BIN)'
    try: import psycopg  # noqa: F401
    except ImportError: return 'no PostgreSQL driver: pip install "resnet_course[postgres]"'
    try: _prefix()
    except RuntimeError as e: return str(e)
    return ''


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


class Cluster:
    "initdb + pg_ctl start in a temporary folder; `url` is the superuser's URL of database `postgres`"
    def __init__(self):
        self.bin, self.prefix = pg_bin(), _prefix()
        self.root = Path(tempfile.mkdtemp(prefix='resnet_course_pg_'))
        self.data, self.password, self.port = self.root / 'data', secrets.token_hex(16), _free_port()
        pw = self.root / 'pw'
        pw.write_text(self.password + '\n')
        if self.prefix:
            import pwd
            u = pwd.getpwnam('postgres')
            os.chown(self.root, u.pw_uid, u.pw_gid); os.chown(pw, u.pw_uid, u.pw_gid)
        self._run('initdb', '-D', str(self.data), '-U', 'postgres', '--auth=scram-sha-256', f'--pwfile={pw}',
                  '-E', 'UTF8', '--no-sync')
        pw.unlink()
        opts = f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c full_page_writes=off"
        self._run('pg_ctl', '-D', str(self.data), '-o', opts, '-l', str(self.root / 'log'), '-w', '-t', '60', 'start')
        self.url = f'postgresql://postgres:{self.password}@127.0.0.1:{self.port}/postgres'

    def _run(self, tool, *args):
        p = subprocess.run([*self.prefix, str(self.bin / tool), *args], capture_output=True, text=True, cwd=self.root)
        if p.returncode:
            log = (self.root / 'log').read_text()[-2000:] if (self.root / 'log').exists() else ''
            raise RuntimeError(f'{tool} failed ({p.returncode}): {p.stderr.strip()[-2000:]}\n{log}')

    def stop(self):
        try: self._run('pg_ctl', '-D', str(self.data), '-m', 'fast', '-w', 'stop')
        except RuntimeError: pass
        shutil.rmtree(self.root, ignore_errors=True)


def new_database(url, name):
    "CREATE DATABASE `name` on the server of `url` (a superuser's URL); the new database's URL"
    import psycopg
    with psycopg.connect(url, autocommit=True) as con: con.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit('/', 1)[0] + '/' + name


if __name__ == '__main__':
    t0 = time.monotonic(); c = Cluster()
    print(f'{c.url}  (started in {time.monotonic() - t0:.1f} s; Enter stops and deletes it)')
    try: input()
    finally: c.stop()
