import os, pytest

# Tests never download: every data path runs on the offline digits tree, kept in one place for the session.
os.environ.setdefault('RESNET_COURSE_DATA', 'offline')


@pytest.fixture(scope='session')
def digits_tree(tmp_path_factory):
    from resnet_course.data import make_digits_tree
    return make_digits_tree(tmp_path_factory.getbasetemp().parent/'digits_32', size=32)
