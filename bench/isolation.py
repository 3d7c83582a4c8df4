"""What the sandbox obtains from the kernel, as the grader runs here and as it would in two kinds of container (issue 9).

usage: python bench/isolation.py
Grades a two-cell notebook with `grade_notebook` three ways and prints, for each, what `missing_isolation` reports
and the uid student code ran as:
  as is             this process's privileges;
  no CAP_SYS_ADMIN  the grader started under `setpriv` without CAP_SYS_ADMIN, as in a rootless container (Podman,
                    Docker with user namespaces): namespaces come only through a user namespace;
  no namespaces     as above, and a seccomp filter that makes unshare(2) and setns(2) fail with EPERM (x86-64), as
                    Docker's default seccomp profile does for a container without CAP_SYS_ADMIN.
"""
import json, os, subprocess, sys
from pathlib import Path

ONE = r'''
import json, nbformat
from resnet_course.grade import grade_notebook
nb = nbformat.v4.new_notebook()
nb.cells = [nbformat.v4.new_code_cell('import os\nuid = os.getuid()\nprint(os.getuid())'),
            nbformat.v4.new_code_cell('assert uid >= 0')]
nb.cells[1].metadata['nbgrader'] = dict(grade=True, solution=False, grade_id='t', points=1, locked=True)
s = grade_notebook(nb, timeout=60)
out = ''.join(o.get('text', '') for o in nb.cells[0].outputs).strip()
print(json.dumps({'missing': s['missing'], 'student uid': out, 'test passed': s['tests']['t'] is None}))
'''

def run(prefix=(), cmd=None):
    env = dict(os.environ, OMP_NUM_THREADS='1', RESNET_COURSE_DATA='offline')
    p = subprocess.run([*prefix, *(cmd or [sys.executable, '-c', ONE])], env=env, capture_output=True, text=True)
    if p.returncode: return {'error': p.stderr.strip().splitlines()[-1:] }
    return json.loads(p.stdout.strip().splitlines()[-1])

NOSYSADMIN = ['setpriv', '--bounding-set', '-sys_admin', '--inh-caps', '-sys_admin', '--']

def _no_unshare():
    "Install a seccomp filter: unshare (272) and setns (308) fail with EPERM, everything else is allowed (x86-64 only)"
    import ctypes, struct
    ins = lambda code, jt, jf, k: struct.pack('HBBI', code, jt, jf, k)
    prog = b''.join([ins(0x20, 0, 0, 4), ins(0x15, 0, 3, 0xc000003e),      # arch == x86-64, else allow
                     ins(0x20, 0, 0, 0), ins(0x15, 2, 0, 272), ins(0x15, 1, 0, 308),
                     ins(0x06, 0, 0, 0x7fff0000), ins(0x06, 0, 0, 0x00050000 | 1)])   # allow; errno EPERM
    buf = ctypes.create_string_buffer(prog)
    class FProg(ctypes.Structure): _fields_ = [('len', ctypes.c_ushort), ('filter', ctypes.c_void_p)]
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(38, 1, 0, 0, 0)                                            # PR_SET_NO_NEW_PRIVS
    if libc.prctl(22, 2, ctypes.byref(FProg(len(prog) // 8, ctypes.addressof(buf))), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), 'seccomp filter refused')

if __name__ == '__main__' and sys.argv[1:2] == ['--under-seccomp']:
    _no_unshare(); os.execv(sys.executable, [sys.executable, '-c', ONE])
elif __name__ == '__main__':
    print('kernel', os.uname().release, '| machine', os.uname().machine, '| euid', os.geteuid())
    print(f"{'as is':17s}", run())
    print(f"{'no CAP_SYS_ADMIN':17s}", run(NOSYSADMIN))
    if os.uname().machine == 'x86_64':
        print(f"{'no namespaces':17s}", run(NOSYSADMIN, [sys.executable, __file__, '--under-seccomp']))
