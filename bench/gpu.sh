#!/usr/bin/env bash
# The GPU figures of issue 13, as one prepared command for a session that is lent a GPU (about 5-8 minutes on an H200):
# epoch time per data pipeline vs GPU-resident tensors (loader held to 2 cores), then ResNet-18/50 step time vs xresnet.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
$PY -c "import torch, fastai; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'fastai', fastai.__version__)"
$PY bench/gpu_epoch.py --cores 2 --rounds 2 "$@"
$PY bench/step.py --device cuda --bs 64 --size 128 --rounds 7 --steps 10
$PY bench/step.py --device cuda --bs 64 --size 128 --rounds 7 --steps 10 --channels-last
