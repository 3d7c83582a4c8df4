"The GPU benchmark is run only in sessions that are lent a GPU: keep it working in between with a tiny run on the CPU."
import subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_gpu_epoch_benchmark_runs_on_the_cpu(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT/'bench'/'gpu_epoch.py'), '--device', 'cpu', '--n', '120', '--size', '32',
                        '--presize', '40', '--bs', '16', '--rounds', '1', '--precisions', 'fp32', '--channels-last', 'no',
                        '--pipelines', 'batch,resident', '--dir', str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    line = next(l for l in r.stdout.splitlines() if l.startswith('fp32'))
    assert 'batch' in line and 'x limit' in line and 'resident' in line, r.stdout
