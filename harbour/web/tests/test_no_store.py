"""Every page Harbour serves, to every role that may open it, tells browsers and proxies not to
keep it (issue 12, finding 8: shared computers in offices); static files may be cached."""

import pytest
from django.urls import reverse

from harbour.access.tests.test_matrix import ANON, CASES, ROLES, _kwargs, _query
from harbour.access.tests.world import build, sign_in

pytestmark = pytest.mark.django_db


def test_no_page_is_kept_in_a_cache(client):
    world = build()
    checked = 0
    for name, kwargs, expected in CASES.values():
        url = reverse(name, kwargs=_kwargs(world, kwargs)) + _query(world, kwargs)
        role = next((r for r in ROLES if r != ANON and expected[r] == 200), None)
        client.logout()
        if role is not None:
            sign_in(client, world.users[role])
        response = client.get(url)
        if response.status_code in (200, 403, 404):
            control = response.get("Cache-Control", "")
            assert "no-store" in control and "private" in control, (url, role, control)
            checked += 1
    assert checked > 30


def test_the_sign_in_page_and_errors_are_not_kept_either(client):
    for url in ("/login/", "/no-such-page/"):
        assert "no-store" in client.get(url).get("Cache-Control", "")
