import pytest


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The audit log's append-only triggers would stop the test database being emptied between
    tests; they are dropped here, and the test of them puts them back inside its transaction."""
    from django.db import connection

    from harbour.access.migrations import _append_only

    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        _append_only.drop(editor)
