"""Hidden tests that used to pass wrong answers or fail right ones (issue 10): one case per direction and test.

Each case is the correct submission with one or more answer cells replaced; all cases of an assignment are graded in
ONE batch by `resnet_course.autograde` (the production grader: tests in the grader, student code in its own
process) and each case states which graded test must pass or fail. Where no right answer was rejected before (the
ban tests), the "right" case guards the new check against rejecting an honest variant.
"""
import shutil

import pytest

import course_tools as ct

FCN_MAXPOOL = '''def mnist_fcn(n_out=10):
    """downsampling with stride-1 convolutions and 2x2 max pooling (used to fail: no stride-2 convolution)"""
    return nn.Sequential(conv_bn(1, 16, stride=1), nn.MaxPool2d(2), conv_bn(16, 32, stride=1), nn.MaxPool2d(2),
                         conv_bn(32, 64, stride=1), nn.MaxPool2d(2), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, n_out))'''

FCN_RESIZE = '''class _Resize(nn.Module):
    def forward(self, x): return F.interpolate(x, size=(28, 28), mode='bilinear', align_corners=False)
class _Net(nn.Module):
    """resizes every input to 28x28 and flattens a fixed 4x4 grid; carries an adaptive pool it never uses (used to pass)"""
    def __init__(self, n_out):
        super().__init__()
        self.body = nn.Sequential(_Resize(), conv_bn(1, 16), conv_bn(16, 32), conv_bn(32, 32))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * 16, n_out))
    def forward(self, x): return self.head(self.body(x))
def mnist_fcn(n_out=10): return _Net(n_out)'''

FCN_RESIZE_POOLED = '''def mnist_fcn(n_out=10):
    """resizes to 28x28 first, then a real adaptive pool (the grid at the pool never changes: used to pass)"""
    return nn.Sequential(nn.Upsample(size=(28, 28)), conv_bn(1, 16), conv_bn(16, 32), conv_bn(32, 64),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, n_out))'''

FCN_HEAD10 = '''def mnist_fcn(n_out=10):
    """ignores n_out: always 10 outputs (used to pass whenever the test drew n_out = 10)"""
    return nn.Sequential(conv_bn(1, 16), conv_bn(16, 32), conv_bn(32, 64),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))'''

EINSUM_ALIAS = '''from torch.nn.functional import conv2d as _c2d
def conv1x1_einsum(x, weight, bias=None):
    """a dummy einsum call, then an alias of F.conv2d taken before the ban (used to pass)"""
    torch.einsum('i->i', torch.ones(1))
    return _c2d(x, weight, bias)'''

EINSUM_RESHAPED = '''def conv1x1_einsum(x, weight, bias=None):
    """einsum on a reshaped x and a list of operands (right; guards the operand check)"""
    n, ni, h, w = x.shape
    out = torch.einsum('oi,nip->nop', [weight.reshape(weight.shape[0], ni), x.reshape(n, ni, h * w)]).reshape(n, -1, h, w)
    return out if bias is None else out + bias.reshape(1, -1, 1, 1)'''

TOPK_ALIAS = '''_tk = torch.topk
def top_k_accuracy(preds, targs, k=5):
    """the k-th largest score through an alias of topk taken before the ban, ties handled (used to pass)"""
    if k >= preds.shape[1]: return 1.0
    kth = _tk(preds, k, dim=1).values[:, -1:]
    return (preds.gather(1, targs.reshape(-1, 1).long()) >= kth).float().mean().item()'''

TOPK_SORT = '''def top_k_accuracy(preds, targs, k=5):
    """the k-th largest score from a sort, ties handled (right logic, but a shortcut; used to pass: sort was not off)"""
    t = targs.reshape(-1, 1).long()
    if k >= preds.shape[1]: return 1.0
    kth = preds.sort(dim=1, descending=True).values[:, k - 1:k]
    return (preds.gather(1, t) >= kth).float().mean().item()'''

TOPK_LOOP = '''def top_k_accuracy(preds, targs, k=5):
    """plain Python loops over the rows (right)"""
    t = targs.reshape(-1).tolist(); rows = preds.tolist()
    hits = sum(sum(v > r[y] for v in r) < k for r, y in zip(rows, t))
    return hits / len(rows)'''

Q13_ALIAS = '''_conv = F.conv2d
def conv1x1_at(x, weight, n, i, j):
    """F.conv2d through an alias taken before the ban (used to pass)"""
    return _conv(x[n:n + 1, :, i:i + 1, j:j + 1], weight)[0, :, 0, 0]'''

Q13_MATMUL = '''def conv1x1_at(x, weight, n, i, j):
    """one matrix-vector product: nf dot products at once (right)"""
    return weight.flatten(1) @ x[n, :, i, j]'''

# (assignment, case name, {solution grade_id: new source}, graded test, must pass?)
CASES = [
    ("ch14_further_research", "fcn_maxpool", {"fcn_sol": FCN_MAXPOOL}, "fcn_arch_test", True),
    ("ch14_further_research", "fcn_maxpool_learns", {"fcn_sol": FCN_MAXPOOL}, "fcn_learn_test", True),
    ("ch14_further_research", "fcn_resize_unused_pool", {"fcn_sol": FCN_RESIZE}, "fcn_arch_test", False),
    ("ch14_further_research", "fcn_resize_then_pool", {"fcn_sol": FCN_RESIZE_POOLED}, "fcn_arch_test", False),
    ("ch14_further_research", "fcn_head_fixed_10", {"fcn_sol": FCN_HEAD10}, "fcn_arch_test", False),
    ("ch14_further_research", "einsum_alias", {"einsum_sol": EINSUM_ALIAS}, "einsum_test", False),
    ("ch14_further_research", "einsum_reshaped", {"einsum_sol": EINSUM_RESHAPED}, "einsum_test", True),
    ("ch14_further_research", "topk_alias", {"topk_sol": TOPK_ALIAS}, "topk_test", False),
    ("ch14_further_research", "topk_sort", {"topk_sol": TOPK_SORT}, "topk_test", False),
    ("ch14_further_research", "topk_loops", {"topk_sol": TOPK_LOOP}, "topk_test", True),
    ("ch14_questionnaire", "q13_alias", {"q13_sol": Q13_ALIAS}, "q13_test", False),
    ("ch14_questionnaire", "q13_matmul", {"q13_sol": Q13_MATMUL}, "q13_test", True),
]
ASSIGNMENTS = sorted({c[0] for c in CASES})


def _case_nb(src, rel, replacements):
    sols = ct.solutions(src)
    assert set(replacements) <= set(sols), set(replacements) - set(sols)
    return ct.fill(rel, {**sols, **replacements})


@pytest.fixture(scope="module")
def graded():
    from resnet_course.autograde import autograde
    out = {}
    for a in ASSIGNMENTS:
        root, course, src, rel, _ = ct.scratch_course(f"resnet_course_cases_{a}_", a)
        try:
            for a2, name, rep, _, _ in CASES:
                if a2 == a:
                    ct.make_submission(course, a, name, _case_nb(src, rel, rep))
            res = autograde(course, assignments=[a], workers=2, timeout=30, memory_mb=6144, progress=False)
            out.update({name: res.results[f"{name}/{a}"] for a2, name, *_ in CASES if a2 == a})
        finally:
            shutil.rmtree(root, ignore_errors=True)
    return out


@pytest.mark.parametrize("name,test,must_pass", [(c[1], c[3], c[4]) for c in CASES], ids=[c[1] for c in CASES])
def test_case(graded, name, test, must_pass):
    r = graded[name]
    assert r["status"] == "graded", r
    failed = r.get("failures") or {}
    if must_pass:
        assert test not in failed, f"{name}: a right answer fails {test}: {failed[test]}"
    else:
        assert test in failed, f"{name}: a wrong answer passes {test}"
