"""ch14 FR1 learning check: the accuracy an honest net reaches when trained as the grader trains its copy (rebuilt,
fresh_init, 100 Adam steps on fresh_digits, one thread), over 20 seeds, against the test's 0.4 threshold (issue 9).

    .venv/bin/python bench/fr1_threshold.py
"""
import os, torch, torch.nn as nn, torch.nn.functional as F, numpy as np, importlib.util
from resnet_course.twin import rebuilt, fresh_init, Adam
from resnet_course.grade import fresh_digits
torch.set_num_threads(1)
f = os.path.join(importlib.util.find_spec('sklearn').submodule_search_locations[0], 'datasets', 'data', 'digits.csv.gz')
a = np.loadtxt(f, delimiter=',', dtype=np.float32); imgs, labels = a[:, :-1].reshape(-1, 8, 8), a[:, -1].astype(np.int64)
x = F.interpolate(torch.tensor(imgs)[:, None] / 16, size=(28, 28), mode='bilinear', align_corners=False); x = (x - x.mean()) / x.std(); y = torch.tensor(labels)
def conv_bn(ni, nf, stride=2, act=True):
    l = [nn.Conv2d(ni, nf, 3, stride, 1, bias=False), nn.BatchNorm2d(nf)]
    if act: l.append(nn.ReLU())
    return nn.Sequential(*l)
accs = []
for seed in range(20):
    torch.manual_seed(seed); perm = torch.randperm(len(y)); tr, va = perm[:1400], perm[1400:]
    net = fresh_init(rebuilt(nn.Sequential(conv_bn(1, 16), conv_bn(16, 32), conv_bn(32, 64), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)), torch.randn(2, 1, 28, 28)), seed)
    x_tr, x_va = fresh_digits(x[tr], seed + 1), fresh_digits(x[va], seed)
    torch.manual_seed(seed); opt = Adam(net.parameters(), 3e-3); net.train()
    for step in range(100):
        idx = torch.randint(0, len(tr), (32,)); loss = F.cross_entropy(net(x_tr[idx]), y[tr][idx]); opt.zero_grad(); loss.backward(); opt.step()
    net.eval()
    with torch.no_grad(): accs.append((net(x_va).argmax(1) == y[va]).double().mean().item())
print('honest FR1 net trained as the grader trains its copy, 20 seeds: min %.3f median %.3f max %.3f' % (min(accs), sorted(accs)[10], max(accs)))
print(sorted(round(a, 3) for a in accs))
