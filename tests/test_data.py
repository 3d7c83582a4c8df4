"The data module: the offline tree, the chapter's pipeline on it, clear errors, the explicit mode switch."
import json, pytest
from pathlib import Path
from resnet_course.data import make_digits_tree, get_data, check_data_path, data_mode, lesson_setup


def test_tree_layout(digits_tree):
    assert {p.name for p in digits_tree.iterdir() if not p.name.startswith('.')} == {'train', 'val'}
    for split in ('train', 'val'):
        assert sorted(p.name for p in (digits_tree/split).iterdir()) == [f'digit_{i}' for i in range(10)]
    files = list(digits_tree.glob('*/*/*.jpg'))
    assert len(files) == 1797
    from PIL import Image
    im = Image.open(files[0]); assert im.format == 'JPEG' and im.mode == 'RGB' and im.size == (32, 32)
    meta = json.loads((digits_tree/'.complete').read_text())
    assert sum(meta['counts'].values()) == 1797 and 0.15 < meta['counts']['val']/1797 < 0.25


def test_partial_or_other_tree_is_rebuilt(tmp_path):
    d = make_digits_tree(tmp_path/'t', size=16)
    (d/'.complete').write_text('{not json')   # a corrupt record: rebuilt
    assert make_digits_tree(tmp_path/'t', size=16) == d and len(list(d.glob('*/*/*.jpg'))) == 1797
    d2 = make_digits_tree(tmp_path/'t', size=20)   # other settings: rebuilt at the new size
    from PIL import Image
    assert Image.open(next(d2.glob('train/*/*.jpg'))).size == (20, 20)


def test_foreign_folder_is_never_touched(tmp_path):
    (tmp_path/'mine').mkdir(); (tmp_path/'mine'/'thesis.txt').write_text('precious')
    with pytest.raises(FileExistsError, match='not made by make_digits_tree'): make_digits_tree(tmp_path/'mine')
    assert (tmp_path/'mine'/'thesis.txt').read_text() == 'precious'


def test_get_data_runs_the_chapter_pipeline(digits_tree):
    dls = get_data(digits_tree, presize=32, resize=24, bs=8, num_workers=0)
    xb, yb = dls.one_batch()
    assert tuple(xb.shape) == (8, 3, 24, 24) and dls.c == 10
    assert abs(float(xb.mean())) < 2   # normalised with ImageNet statistics
    assert len(dls.train_ds) + len(dls.valid_ds) == 1797


@pytest.mark.parametrize('make', [lambda p: p/'missing', lambda p: (p/'x'/'train').mkdir(parents=True) or p/'x'])
def test_folder_without_train_and_val_is_a_clear_error(tmp_path, make):
    path = make(tmp_path)
    with pytest.raises(FileNotFoundError, match='does not exist|no val/'): get_data(path, 32, 24)


def test_mode_is_explicit(monkeypatch):
    monkeypatch.setenv('RESNET_COURSE_DATA', 'offline'); assert data_mode() == 'offline'
    monkeypatch.delenv('RESNET_COURSE_DATA'); assert data_mode() == 'imagenette'
    monkeypatch.setenv('RESNET_COURSE_DATA', 'mnist')
    with pytest.raises(ValueError, match='must be one of'): data_mode()


def test_imagenette_setup_is_the_chapters():
    s, l = lesson_setup('imagenette'), lesson_setup('imagenette', large=True)
    assert (s.presize, s.resize, s.epochs, s.lr, s.bs) == (160, 128, 5, 3e-3, 128) and 'imagenette2-160' in s.source
    assert (l.presize, l.resize, l.epochs) == (320, 224, 20) and 'imagenette2-320' in l.source
