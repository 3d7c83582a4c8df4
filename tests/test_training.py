"Real learning: training on the offline digits raises accuracy well above chance (0.1)."
import pytest
from resnet_course.data import get_data, get_learner
from resnet_course.fcn import get_model
from resnet_course.resnet import resnet18


@pytest.mark.parametrize('make,epochs', [(get_model, 2), (resnet18, 2)])
def test_training_learns(digits_tree, make, epochs):
    from fastai.vision.all import set_seed
    set_seed(0)
    dls = get_data(digits_tree, presize=32, resize=32, bs=64, num_workers=0)
    learn = get_learner(dls, make(10))
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(epochs, 3e-3)
    acc = float(learn.recorder.values[-1][2])
    assert acc > 0.5, acc


def test_compare_cli_writes_results(tmp_path, capsys):
    from resnet_course.cli import main
    main(['compare', '--models', 'fcn', '--epochs', '1', '--mode', 'offline', '--out', str(tmp_path)])
    out = capsys.readouterr().out
    assert 'fcn' in out and 'best: fcn' in out
    assert (tmp_path/'results.csv').read_text().startswith('model,') and (tmp_path/'curves.png').stat().st_size > 1000


def test_cli_bad_model_is_one_line_error(capsys):
    from resnet_course.cli import main
    with pytest.raises(SystemExit) as e: main(['compare', '--models', 'resnet99', '--mode', 'offline'])
    assert 'unknown model' in str(e.value) and '\n' not in str(e.value)


def test_compare_cli_seeds(tmp_path, capsys):
    "--seeds 2: one row per seed, a summary with mean, spread and sampling error; the seed-42 run equals a single run"
    from resnet_course.cli import main
    main(['compare', '--models', 'fcn', '--epochs', '1', '--seeds', '2', '--mode', 'offline', '--out', str(tmp_path)])
    out = capsys.readouterr().out
    assert 'mean of 2 seeds' in out and 'sampling error' in out
    import csv
    rows = list(csv.DictReader(open(tmp_path/'results.csv')))
    summ = list(csv.DictReader(open(tmp_path/'summary.csv')))
    assert [r['seed'] for r in rows] == ['42', '43'] and summ[0]['seeds'] == '2' and float(summ[0]['std']) >= 0
    from resnet_course.compare import train_one
    assert train_one('fcn', 'offline', 1, seed=42)[0]['accuracy'] == float(rows[0]['accuracy'])
    with pytest.raises(SystemExit) as e: main(['compare', '--models', 'fcn', '--seeds', '0', '--mode', 'offline'])
    assert 'at least 1' in str(e.value)
