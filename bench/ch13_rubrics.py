"""Figures quoted in ch13_review's rubrics (not a test), computed with the notebook's own reference code:

- Q19: multiply-accumulates of the 7x7 ResNet stem and of the three-3x3 stem (Bag of Tricks' ResNet-C) at 224 px,
  with `resnet_course.resnet.layer_costs`;
- FR3b: validation accuracy on the digits of the chapter's order (conv -> ReLU -> BN) and of conv -> BN -> ReLU,
  with the notebook's `fit_digits` and the reference `conv_block`, 3 epochs, seeds 0-2, one CPU thread.

    .venv/bin/python bench/ch13_rubrics.py
"""
import os, sys, math, random, copy, json
from pathlib import Path
os.environ.setdefault('OMP_NUM_THREADS', '1')
import torch, torch.nn as nn, torch.nn.functional as F
from resnet_course.resnet import layer_costs

SRC = Path(__file__).resolve().parents[1]/'nbs'/'_course'/'source'/'ch13_review'/'ch13_review.ipynb'

def stem_macs(sz=224):
    "MACs of the 7x7 stem conv and of the three-3x3 stem convs on one `sz` image"
    s7 = nn.Sequential(nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False))
    s3 = nn.Sequential(nn.Conv2d(3, 32, 3, stride=2, padding=1, bias=False), nn.Conv2d(32, 32, 3, padding=1, bias=False),
                       nn.Conv2d(32, 64, 3, padding=1, bias=False))
    return sum(r['macs'] for r in layer_costs(s7, sz)), sum(r['macs'] for r in layer_costs(s3, sz))

def notebook_code():
    "The notebook's provided digits code and the reference conv_block, run here"
    cells = {c['metadata'].get('nbgrader', {}).get('grade_id'): ''.join(c['source']) for c in json.loads(SRC.read_text())['cells']}
    ns = dict(torch=torch, nn=nn, F=F, math=math, random=random, copy=copy, os=os)
    exec(cells['digits_provided'], ns)
    exec('\n'.join(l for l in cells['fr3a'].splitlines() if 'SOLUTION' not in l), ns)
    return ns

def fr3b(seeds=(0, 1, 2), epochs=3):
    ns = notebook_code()
    out = {}
    for bn_first, name in ((False, 'conv->ReLU->BN (chapter)'), (True, 'conv->BN->ReLU')):
        accs = []
        for s in seeds:
            torch.manual_seed(s)
            m = nn.Sequential(ns['conv_block'](1, 16, bn_first), ns['conv_block'](16, 32, bn_first), ns['conv_block'](32, 64, bn_first),
                              nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))
            accs.append(ns['fit_digits'](m, epochs=epochs, seed=s))
        out[name] = accs
    return out

if __name__ == '__main__':
    a, b = stem_macs()
    print(f'Q19 stems at 224 px: 7x7 {a/1e6:.0f} M MACs, three 3x3 {b/1e6:.0f} M MACs, ratio {b/a:.2f}')
    for name, accs in fr3b().items():
        print(f'FR3b {name}: ' + ', '.join(f'{x:.3f}' for x in accs) + f' (min {min(accs):.3f}, max {max(accs):.3f})')
