import os, pytest

# Tests never download: every data path runs on the offline digits tree, kept in one place for the session.
os.environ.setdefault('RESNET_COURSE_DATA', 'offline')


@pytest.fixture(scope='session')
def digits_tree(tmp_path_factory):
    from resnet_course.data import make_digits_tree
    return make_digits_tree(tmp_path_factory.getbasetemp().parent/'digits_32', size=32)


@pytest.fixture(scope='session')
def pg_server():
    """The superuser URL of a PostgreSQL server for the tests: $RESNET_COURSE_TEST_PG, else a throwaway cluster
    (tests/pg_cluster.py) for this session; skips with the reason when neither can be had (fails instead under
    RESNET_COURSE_REQUIRE_PG=1, which `make test` sets, so CI never skips them silently)."""
    import pg_cluster
    if os.environ.get('RESNET_COURSE_TEST_PG'):
        yield os.environ['RESNET_COURSE_TEST_PG']; return
    why = pg_cluster.why_not()
    if why:
        if os.environ.get('RESNET_COURSE_REQUIRE_PG') == '1': pytest.fail(f'PostgreSQL tests required but: {why}')
        pytest.skip(f'PostgreSQL: {why}; set RESNET_COURSE_TEST_PG=postgresql://... to use a server of yours')
    c = pg_cluster.Cluster()
    try: yield c.url
    finally: c.stop()


@pytest.fixture
def pg_db(pg_server):
    "A fresh, empty PostgreSQL database per test: its URL"
    import pg_cluster, secrets
    return pg_cluster.new_database(pg_server, f'rc_test_{secrets.token_hex(4)}')
