"""Hostile input to every form: never a server error, never a script stored and shown."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harbour.access.models import Alert, ReasonedAccess
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in

pytestmark = pytest.mark.django_db
NASTY = st.one_of(
    st.text(max_size=300),
    st.text(
        alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "So"]), max_size=100
    ),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            '=HYPERLINK("x")',
            "'; DROP TABLE people_child; --",
            "\x00\x01\x1b[31m",
            "A" * 100_000,
            "../../etc/passwd",
            "{{ 7*7 }}",
            "%s%s%n",
            "\u202etxt.exe",
            "😀" * 500,
        ]
    ),
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def world():
    return build()


def _no_raw_script(html: str, text: str) -> None:
    """Shown back, the input is text: its tags are escaped, never live markup."""
    for tag in ("<script>alert", "<img src=x"):
        if tag in text:
            assert tag not in html


@FUZZ
@given(username=NASTY, password=NASTY)
def test_sign_in_form(client, world, username, password):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 200
    _no_raw_script(response.content.decode(), username)


@FUZZ
@given(query=NASTY)
def test_search_form(client, world, query):
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    _no_raw_script(response.content.decode(), query)


@FUZZ
@given(code=NASTY)
def test_code_form(client, world, code):
    client.force_login(world.users[Role.SOCIAL_WORKER])
    response = client.post(reverse("two-factor"), {"code": code})
    assert response.status_code in (200, 302)
    _no_raw_script(response.content.decode(), code)


@FUZZ
@given(reason=NASTY)
def test_reason_form_and_what_it_shows_later(client, world, reason):
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    theirs = world.children["theirs"]
    response = client.post(reverse("open-with-reason", args=[theirs.reference]), {"reason": reason})
    assert response.status_code in (200, 302)
    if response.status_code == 302 and Alert.objects.exists():
        client.logout()
        sign_in(client, world.users[Role.TEAM_MANAGER])
        _no_raw_script(client.get(reverse("alerts")).content.decode(), reason)
    ReasonedAccess.objects.all().delete()
    Alert.objects.all().delete()


def test_wrong_encodings_and_odd_bodies_are_not_server_errors(client, world):
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    url = reverse("open-with-reason", args=[world.children["theirs"].reference])
    for body in (b"reason=%ff%fe%fd", b"reason=\xff\xfe", b"\x00\x00", b"reason=" + b"%00" * 50):
        response = client.generic(
            "POST", url, body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in (200, 302, 400), body
    for query in ("q=%ff%fe", "q=%ED%B3%BF", "q=%00", "q=" + "%41" * 5000):
        response = client.generic("GET", f"{reverse('search')}?{query}")
        assert response.status_code in (200, 400), query


@FUZZ
@given(year=NASTY, as_of=NASTY, kind=st.sampled_from(["cin", "903", "annex-a", "x", ""]))
def test_returns_forms(client, world, year, as_of, kind):
    from django.test import override_settings

    sign_in(client, world.users[Role.PERFORMANCE_OFFICER])
    data = {"kind": kind, f"{kind}-year": year, f"{kind}-as_of": as_of}
    with override_settings(HARBOUR_RETURNS_IN_BACKGROUND=True):
        from unittest import mock

        with mock.patch("subprocess.Popen"):
            response = client.post(reverse("returns"), data)
    assert response.status_code in (200, 302, 404)
    _no_raw_script(response.content.decode(), f"{year}{as_of}")


def test_annex_a_dates_far_in_the_past_are_refused_with_a_message(client, world):
    sign_in(client, world.users[Role.PERFORMANCE_OFFICER])
    for as_of in ("0001-01-01", "1899-12-31"):
        response = client.post(reverse("returns"), {"kind": "annex-a", "annex-a-as_of": as_of})
        assert response.status_code == 200
        assert "must be 1 January 2000 or later" in response.content.decode()


@FUZZ
@given(action=NASTY, alert_id=st.integers(min_value=-(2**70), max_value=2**70))
def test_alert_actions(client, world, action, alert_id):
    sign_in(client, world.users[Role.TEAM_MANAGER])
    alert = Alert.objects.create(recipient=world.users[Role.TEAM_MANAGER], message="m")
    for target in (alert.pk, alert_id):
        response = client.post(f"/alerts/{target}/", {"action": action})
        assert response.status_code in (302, 404)
    Alert.objects.all().delete()


@FUZZ
@given(code=NASTY)
def test_enrolment_code_form(client, world, code):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    newcomer = world.users[Role.SOCIAL_WORKER]
    TOTPDevice.objects.filter(user=newcomer).delete()  # no authenticator yet: asked for a code
    client.force_login(newcomer)
    response = client.post(reverse("two-factor-setup"), {"enrolment_code": code})
    assert response.status_code in (200, 302, 429)
    assert b"harbour-key" not in response.content  # no key shown for a wrong code
    _no_raw_script(response.content.decode(), code)
