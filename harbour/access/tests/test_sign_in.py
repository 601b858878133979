"""Signing in: a second factor for everyone, lockout after repeated failures, single sign-on
through a council's provider, and work kept when a session runs out."""

import re
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.access.drafts import OWNER_COOKIE
from harbour.access.models import AuditEvent, User
from harbour.access.roles import Role
from harbour.access.second_factor import issue_enrolment_code
from harbour.access.tests.world import PASSWORD, build, sign_in
from harbour.authority.models import Authority

pytestmark = pytest.mark.django_db


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def two_factor(settings):
    settings.HARBOUR_TWO_FACTOR_REQUIRED = True
    settings.HARBOUR_DEMO_CODES = False


def wrong(device) -> str:
    return "000000" if current_code(device) != "000000" else "111111"


def test_first_sign_in_sets_up_an_authenticator_then_asks_for_its_code(client, two_factor):
    user = User.objects.create_user(username="new", password=PASSWORD)
    enrolment_code = issue_enrolment_code(user=user, issued_by=None)
    client.post(reverse("login"), {"username": "new", "password": PASSWORD})
    response = client.get("/")
    assert response.url.startswith(reverse("two-factor-setup"))
    client.post(response.url, {"enrolment_code": enrolment_code})
    page = client.get(response.url)
    assert "QR code" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="new")
    wrong_code = client.post(response.url, {"code": wrong(device)})
    assert "The code is not right" in wrong_code.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next one wait a moment
    done = client.post(response.url, {"code": current_code(device), "next": "/"})
    assert done.url == "/"
    assert client.get("/").status_code == 200

    client.logout()
    client.post(reverse("login"), {"username": "new", "password": PASSWORD})
    assert client.get("/").url.startswith(reverse("two-factor"))
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # codes are used once only
    client.post(reverse("two-factor"), {"code": current_code(device), "next": "/"})
    assert client.get("/").status_code == 200


def test_hostile_codes_are_refused_with_a_message(client, two_factor):
    user = User.objects.create_user(username="new", password=PASSWORD)
    client.post(reverse("login"), {"username": "new", "password": PASSWORD})
    for code in ("", "12345", "abcdef", "<script>", "1" * 8, "x" * 100):
        page = client.post(reverse("two-factor-setup"), {"enrolment_code": code}).content.decode()
        assert "There is a problem" in page and "<script>" not in page
    client.post(
        reverse("two-factor-setup"),
        {"enrolment_code": issue_enrolment_code(user=user, issued_by=None)},
    )
    for code in ("", "12345", "abcdef", "<script>", "1" * 8):
        page = client.post(reverse("two-factor-setup"), {"code": code}).content.decode()
        assert "There is a problem" in page and "<script>" not in page


def test_a_right_code_while_the_app_must_wait_says_wait_not_wrong(client, two_factor):
    world = build()
    user = world.users[Role.SOCIAL_WORKER]
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    # Five wrong codes just now: django-otp checks no code for the next 16 seconds.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    page = client.post(reverse("two-factor"), {"code": current_code(device)}).content.decode()
    wait = re.search(r"Too many attempts: wait (\d+) seconds?, then enter the newest code", page)
    assert wait and 1 <= int(wait.group(1)) <= 16
    assert "The code is not right" not in page
    assert "_otp_device_id" not in client.session


def test_both_steps_of_signing_in_are_in_the_audit_log(client, two_factor):
    world = build()
    user = world.users[Role.SOCIAL_WORKER]
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    client.post(reverse("two-factor"), {"code": wrong(device)})
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    client.post(reverse("two-factor"), {"code": current_code(device), "next": "/"})
    steps = list(
        AuditEvent.objects.filter(username=user.username)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert steps == [
        AuditEvent.Action.PASSWORD_ACCEPTED,
        AuditEvent.Action.SECOND_FACTOR_FAILED,
        AuditEvent.Action.LOGIN,
    ]
    assert client.get("/").status_code == 200


def test_the_draft_cookie_is_set_only_once_the_second_factor_is_given(client, two_factor):
    world = build()
    user = world.users[Role.SOCIAL_WORKER]
    device = TOTPDevice.objects.get(user=user)
    password_only = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert OWNER_COOKIE not in password_only.cookies
    assert OWNER_COOKIE not in client.get(reverse("two-factor")).cookies
    done = client.post(reverse("two-factor"), {"code": current_code(device), "next": "/"})
    assert OWNER_COOKIE in done.cookies


def test_the_demo_shows_codes_only_for_demo_logins_with_synthetic_data(client, settings):
    settings.HARBOUR_TWO_FACTOR_REQUIRED = True
    world = build()
    Authority.objects.create(name="Harbourshire (synthetic)", la_code="999", region="east")
    user = world.users[Role.SOCIAL_WORKER]
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    settings.HARBOUR_DEMO_CODES = True
    assert current_code(device) in client.get(reverse("two-factor")).content.decode()
    settings.HARBOUR_DEMO_CODES = False  # as under the production settings
    assert "current code" not in client.get(reverse("two-factor")).content.decode()


def test_five_wrong_passwords_lock_the_account_for_a_while(client, settings):
    settings.AXES_ENABLED = True
    User.objects.create_user(username="target", password=PASSWORD)
    for _ in range(5):
        client.post(reverse("login"), {"username": "target", "password": "guess"})
    locked = client.post(reverse("login"), {"username": "target", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_password_sprayed_at_many_accounts_locks_the_address(client, settings):
    settings.AXES_ENABLED = True
    for n in range(11):
        User.objects.create_user(username=f"worker{n}", password=PASSWORD)
    for n in range(10):
        for _ in range(4):  # one short of each account's own limit
            client.post(reverse("login"), {"username": f"worker{n}", "password": "Summer2026!"})
    locked = client.post(reverse("login"), {"username": "worker10", "password": PASSWORD})
    assert locked.status_code == 429 and "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    elsewhere = client.post(
        reverse("login"), {"username": "worker10", "password": PASSWORD}, REMOTE_ADDR="192.0.2.7"
    )
    assert elsewhere.status_code == 302 and "_auth_user_id" in client.session


def test_a_few_wrong_passwords_from_an_address_lock_no_one_else(client, settings):
    settings.AXES_ENABLED = True
    for n in range(4):
        User.objects.create_user(username=f"worker{n}", password=PASSWORD)
    for n in range(3):
        for _ in range(4):
            client.post(reverse("login"), {"username": f"worker{n}", "password": "guess"})
    fine = client.post(reverse("login"), {"username": "worker3", "password": PASSWORD})
    assert fine.status_code == 302


def test_sessions_end_after_thirty_minutes_without_a_request():
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST


def test_a_form_sent_after_the_session_ran_out_comes_back_filled_in(client):
    world = build()
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    url = reverse("open-with-reason", args=[world.children["theirs"].reference])
    client.get(url)
    Session.objects.all().delete()  # the session runs out while the worker types
    reason = "Covering for a colleague: the hospital rang about an injury."
    response = client.post(url, {"reason": reason})
    assert response.url.startswith(reverse("login"))
    assert "draft=1" in response.url
    assert not Session.objects.exists()  # kept on the server for the worker, not in a session
    client.post(reverse("login"), {"username": "social_worker", "password": PASSWORD})
    page = client.get(url).content.decode()
    assert reason in page and "what you had typed has been kept" in page
    assert reason not in client.get(url).content.decode()  # the draft is given back once


def test_who_has_viewed_a_record_is_itself_logged(client):
    world = build()
    manager = world.users[Role.TEAM_MANAGER]
    sign_in(client, manager)
    child = world.children["ours"]
    assert client.get(reverse("record-viewers", args=[child.reference])).status_code == 200
    viewed = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, username=manager.username)
    assert viewed.child_id == child.pk and viewed.detail == {"page": "who has viewed this record"}


class FakeProvider:
    """A council's OpenID Connect provider, as far as Harbour's part of the exchange goes."""

    def __init__(self, secret: str, email: str):
        self.secret, self.email, self.nonce = secret, email, None

    def post(self, url, data=None, **kwargs):
        assert url == "https://sso.council.invalid/token" and data["code"] == "good-code"
        token = jwt.encode(
            {"sub": "p1", "email": self.email, "nonce": self.nonce, "aud": "harbour"},
            self.secret,
            algorithm="HS256",
        )
        return _Response({"id_token": token, "access_token": "access"})

    def get(self, url, headers=None, **kwargs):
        assert url == "https://sso.council.invalid/userinfo"
        return _Response({"sub": "p1", "email": self.email})


class _Response:
    status_code = 200
    headers = {"content-type": "application/json"}

    def __init__(self, body):
        self.body = body

    def json(self):
        return self.body

    def raise_for_status(self):
        return None


def test_single_sign_on_through_the_councils_provider(client, settings, monkeypatch):
    secret = "a-test-client-secret-of-at-least-32-bytes"
    settings.HARBOUR_TWO_FACTOR_REQUIRED = True
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "harbour"
    settings.OIDC_RP_CLIENT_SECRET = secret
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://sso.council.invalid/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://sso.council.invalid/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://sso.council.invalid/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://sso.council.invalid/jwks"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "harbour.access.oidc.CouncilOIDCBackend",
    ]
    User.objects.create_user(username="sam", email="Sam.Worker@council.invalid")
    provider = FakeProvider(secret, "sam.worker@council.invalid")
    from mozilla_django_oidc import auth

    monkeypatch.setattr(auth.requests, "post", provider.post)
    monkeypatch.setattr(auth.requests, "get", provider.get)

    start = client.get(reverse("oidc_authentication_init"))
    sent = urlparse(start.url)
    assert f"{sent.scheme}://{sent.netloc}{sent.path}" == settings.OIDC_OP_AUTHORIZATION_ENDPOINT
    query = parse_qs(sent.query)
    state = query["state"][0]
    provider.nonce = client.session["oidc_states"][state]["nonce"]
    back = client.get(
        reverse("oidc_authentication_callback"), {"code": "good-code", "state": state}
    )
    assert back.status_code == 302
    # The provider asked for its own second factor, so Harbour does not ask again.
    home = client.get("/")
    assert home.status_code == 200 and home.context["user"].username == "sam"


def test_single_sign_on_is_not_there_when_not_configured(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
