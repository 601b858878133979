import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Strong hashing is the point in production and a needless wait in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
