"The chapter's models: parameter counts and parity with fastai's xresnet, shapes, ResBlock properties, gradients, bad input."
import pytest, torch
from torch import nn
from resnet_course.fcn import get_model, avg_pool, FlatCNN, ConvLayer
from resnet_course.resblock import ResBlock, resblock_model, noop
from resnet_course.bottleneck import Bottleneck
from resnet_course.resnet import ResNet, resnet18, resnet34, resnet50, resnet_stem

n_params = lambda m: sum(p.numel() for p in m.parameters() if p.requires_grad)


@pytest.mark.parametrize('layers,expansion,expected', [([2,2,2,2], 1, 11_200_874), ([3,4,6,3], 4, 23_547_754)])
def test_param_counts_match_xresnet(layers, expansion, expected):
    from fastai.vision.models.xresnet import xresnet18, xresnet50
    ours = ResNet(10, layers, expansion)
    theirs = (xresnet18 if expansion == 1 else xresnet50)(n_out=10)
    assert n_params(ours) == expected == n_params(theirs)


def _randomise_bn(model, gen):
    "Give every batchnorm non-trivial running statistics and affine parameters"
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.normal_(0, 0.1, generator=gen); m.running_var.uniform_(0.5, 1.5, generator=gen)
            m.weight.data.uniform_(0.5, 1.5, generator=gen); m.bias.data.normal_(0, 0.1, generator=gen)


@pytest.mark.parametrize('layers,expansion', [([2,2,2,2], 1), ([3,4,6,3], 4)])
def test_weights_copy_positionally_into_xresnet(layers, expansion):
    from fastai.vision.models.xresnet import xresnet18, xresnet50
    gen = torch.Generator().manual_seed(0)
    ours = ResNet(10, layers, expansion).eval()
    _randomise_bn(ours, gen)
    theirs = (xresnet18 if expansion == 1 else xresnet50)(n_out=10).eval()
    src, dst = list(ours.state_dict().values()), theirs.state_dict()
    assert len(src) == len(dst)
    assert [tuple(t.shape) for t in src] == [tuple(t.shape) for t in dst.values()]
    theirs.load_state_dict({k: v.clone() for k, v in zip(dst, src)})
    x = torch.randn(2, 3, 64, 64, generator=gen)
    with torch.no_grad(): a, b = ours(x), theirs(x)
    assert a.abs().max() > 1e-3   # non-trivial logits
    torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)


FCNS = {'fcn': lambda: get_model(10), 'resblock1': lambda: resblock_model(10, 1), 'resblock2': lambda: resblock_model(10, 2),
        'resnet18': lambda: resnet18(10), 'resnet34': lambda: resnet34(10), 'resnet50': lambda: resnet50(10)}


@pytest.mark.parametrize('name', FCNS)
@pytest.mark.parametrize('size', [(64, 64), (128, 128), (160, 160), (224, 224), (97, 131)])
def test_fully_convolutional_any_size(name, size):
    m = FCNS[name]().eval()
    with torch.no_grad():
        assert m(torch.randn(2, 3, *size)).shape == (2, 10)
        if size == (64, 64): assert m(torch.randn(1, 3, *size)).shape == (1, 10)   # batch size 1


def test_batch_size_one_in_training_mode_fails_clearly_only_where_batchnorm_must():
    # batchnorm cannot compute batch statistics from 1 value per channel: that is PyTorch's own clear error
    m = resnet18(10).train()
    with pytest.raises(ValueError, match='more than 1 value per channel'): m(torch.randn(1, 3, 32, 32))
    assert m(torch.randn(1, 3, 64, 64)).shape == (1, 10)   # a 2x2 final grid is enough


def test_avg_pool_matches_adaptive_pool():
    x = torch.randn(3, 8, 5, 7)
    torch.testing.assert_close(avg_pool(x), nn.AdaptiveAvgPool2d(1)(x).flatten(1))


def test_resblock_stride2_odd_grid_and_channel_change():
    x = torch.randn(2, 16, 7, 7)
    blk = ResBlock(16, 32, stride=2)
    assert blk(x).shape == (2, 32, 4, 4)
    assert isinstance(blk.idconv, ConvLayer) and blk.idconv[0].kernel_size == (1, 1)
    assert isinstance(blk.pool, nn.AvgPool2d) and blk.pool.ceil_mode
    same = ResBlock(16, 16)
    assert same.idconv is noop and same.pool is noop and same(x).shape == x.shape
    assert ResBlock(16, 32)(x).shape == (2, 32, 7, 7)   # channels change, grid does not


@pytest.mark.parametrize('block', [ResBlock(16, 32, stride=2), ResBlock(16, 16), Bottleneck(16, 64, stride=2), Bottleneck(64, 64)])
def test_residual_branch_outputs_zeros_at_init(block):
    x = torch.randn(4, block.convs[0][0].in_channels, 9, 9)
    block.train()
    out = block.convs(x)
    assert torch.count_nonzero(out) == 0
    assert torch.equal(block(x), torch.relu(block.idconv(block.pool(x))))


def test_bottleneck_shape_and_width():
    blk = Bottleneck(256, 256)
    assert [c[0].out_channels for c in blk.convs] == [64, 64, 256]
    assert [c[0].kernel_size for c in blk.convs] == [(1, 1), (3, 3), (1, 1)]


@pytest.mark.parametrize('name', ['fcn', 'resblock2', 'resnet18', 'resnet50'])
def test_every_parameter_gets_a_gradient(name):
    torch.manual_seed(0)
    m = FCNS[name]().train()
    x, y = torch.randn(4, 3, 64, 64), torch.randint(0, 10, (4,))
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    for step in range(2):   # at init, zero-initialised batchnorm blocks the gradient of its branch's convs: one step opens it
        opt.zero_grad()
        loss = nn.functional.cross_entropy(m(x), y)
        loss.backward()
        assert torch.isfinite(loss)
        for n, p in m.named_parameters():
            assert p.grad is not None, n
            assert torch.isfinite(p.grad).all(), n
        if step == 1:
            dead = [n for n, p in m.named_parameters() if p.grad.abs().sum() == 0]
            assert not dead, dead
        opt.step()


def test_stem_and_stage_shapes():
    stem = nn.Sequential(*resnet_stem(3, 32, 32, 64))
    assert stem(torch.randn(1, 3, 128, 128)).shape == (1, 64, 32, 32)
    m = resnet18(10)
    assert m.block_szs == [64, 64, 128, 256, 512] and resnet50(10).block_szs == [64, 256, 512, 1024, 2048]


@pytest.mark.parametrize('layers', [[2, 2, 2], [2, 2, 2, 2, 2], [2, 0, 2, 2], [2, 2.5, 2, 2], '2222', None])
def test_wrong_layers_list_is_a_clear_error(layers):
    with pytest.raises(ValueError, match='each of the 4 stages'): ResNet(10, layers)


def test_wrong_expansion_is_a_clear_error():
    with pytest.raises(ValueError, match='expansion must be 1'): ResNet(10, [2, 2, 2, 2], 2)


def test_image_too_small_is_a_clear_error():
    with pytest.raises(ValueError, match='at least 32x32 px, got 16x16'): resnet18(10).eval()(torch.randn(1, 3, 16, 16))
    with pytest.raises(ValueError, match='expects 3 channels'): resnet18(10)(torch.randn(1, 1, 64, 64))
    with pytest.raises(ValueError, match='batch of images'): get_model(10)(torch.randn(3, 64, 64))
    with pytest.raises(ValueError, match='built for 128x128'): FlatCNN(10, 128)(torch.randn(1, 3, 64, 64))
