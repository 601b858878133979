"""The demo's logins sign in as the README says, now that a password alone adds no
authenticator app: each has one already, and the code page shows its current code."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.access.roles import Role
from harbour.access.tests.world import build
from harbour.authority.models import Authority
from harbour.synth.demo import DEMO_PASSWORD, ensure_demo_logins

pytestmark = pytest.mark.django_db


def test_every_demo_login_has_an_authenticator_and_is_shown_its_code(client, settings):
    build()
    Authority.objects.create(name="Harbourshire (synthetic)", la_code="999", region="east")
    TOTPDevice.objects.all().delete()
    logins = ensure_demo_logins()
    assert {login.username for login in logins} == set(Role.values)
    settings.HARBOUR_TWO_FACTOR_REQUIRED = True
    settings.HARBOUR_DEMO_CODES = True
    for login in logins:
        client.logout()
        client.post(reverse("login"), {"username": login.username, "password": DEMO_PASSWORD})
        assert client.get("/").url.startswith(reverse("two-factor")), login.username
        page = client.get(reverse("two-factor")).content.decode()
        assert "this account's current code is" in page, login.username
