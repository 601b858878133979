import os

import pytest

# Fixtures through which a test reaches the database.
# (Not django_db_blocker: pytest-django hands that to every test.)
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def _uses_the_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    """The suite runs twice, on SQLite then on PostgreSQL (tools/test.py). A test that never
    touches a database gives the same answer both times, so the PostgreSQL pass leaves it out
    (the generator's volume and determinism tests are most of them, and slow)."""
    url = os.environ.get("HARBOUR_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    skip = pytest.mark.skip(reason="no database: run once, in the SQLite pass")
    for item in items:
        if not _uses_the_database(item):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Strong hashing is the point in production and a needless wait in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_sign_in(settings):
    """Most tests sign in with a password alone; the tests of two-factor sign-in and of lockout
    turn those back on (see harbour/access/tests)."""
    settings.HARBOUR_TWO_FACTOR_REQUIRED = False
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def own_audit_checkpoints(settings, tmp_path):
    """Each test its own checkpoint file: tests roll their lines back, and several databases
    run at once under xdist, so none may read another's checkpoints."""
    settings.HARBOUR_AUDIT_CHECKPOINTS = str(tmp_path / "audit-checkpoints.log")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The audit log's append-only triggers would stop the test database being emptied between
    tests; they are dropped here, and the test of them puts them back inside its transaction."""
    from django.db import connection

    from harbour.access.migrations import _append_only

    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        _append_only.drop(editor)


@pytest.fixture(autouse=True)
def fresh_insight_readings():
    """Insight keeps the county's tables for a minute between requests; each test has its own
    records, so none may see another's."""
    from harbour.insight.performance import forget_readings

    forget_readings()
    yield
    forget_readings()
