"""Adding an authenticator app needs a one-time enrolment code from an administrator or the
person's manager: a password alone never shows the key."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.access.models import AuditEvent, EnrolmentCode, User
from harbour.access.roles import Role
from harbour.access.second_factor import issue_enrolment_code, normalise
from harbour.access.tests.world import PASSWORD, build, sign_in
from harbour.workforce.models import Staff

pytestmark = pytest.mark.django_db

SETUP = "/login/two-factor/setup/"


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture(autouse=True)
def two_factor(settings):
    settings.HARBOUR_TWO_FACTOR_REQUIRED = True
    settings.HARBOUR_DEMO_CODES = False


@pytest.fixture
def newcomer(client):
    """Someone with a password and no authenticator app yet, signed in with the password."""
    user = User.objects.create_user(username="newcomer", password=PASSWORD)
    client.post(reverse("login"), {"username": "newcomer", "password": PASSWORD})
    return user


def shows_a_key(page) -> bool:
    return "QR code" in page or "Key:" in page


def test_a_password_alone_shows_no_key(client, newcomer):
    page = client.get(SETUP).content.decode()
    assert "Enter your enrolment code" in page and not shows_a_key(page)
    assert not TOTPDevice.objects.filter(user=newcomer).exists()  # no key made, none to show
    page = client.post(SETUP, {"code": "123456"}).content.decode()  # skipping the step
    assert not shows_a_key(page) and not TOTPDevice.objects.filter(user=newcomer).exists()


def test_an_enrolment_code_then_the_apps_code_add_the_authenticator(client, newcomer):
    code = issue_enrolment_code(user=newcomer, issued_by=None)
    stored = EnrolmentCode.objects.get(user=newcomer)
    assert normalise(code) not in stored.code_hash and code not in stored.code_hash
    wrong = client.post(SETUP, {"enrolment_code": "ABCD-EFGH-JKMN"}).content.decode()
    assert "The enrolment code is not right" in wrong and not shows_a_key(wrong)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.SECOND_FACTOR_FAILED, detail__step="enrolment code"
    ).exists()

    client.post(SETUP, {"enrolment_code": code.lower().replace("-", " ")})
    page = client.get(SETUP).content.decode()
    assert shows_a_key(page)
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    done = client.post(SETUP, {"code": current_code(device), "next": "/"})
    assert done.status_code == 302 and done.url == "/"
    device.refresh_from_db()
    stored.refresh_from_db()
    assert device.confirmed and stored.used_at is not None
    assert client.get("/").status_code == 200
    actions = list(AuditEvent.objects.filter(username="newcomer").values_list("action", flat=True))
    assert actions[-2:] == [AuditEvent.Action.AUTHENTICATOR_ADDED, AuditEvent.Action.LOGIN]


def test_a_code_works_once_and_not_after_it_expires(client, newcomer):
    code = issue_enrolment_code(user=newcomer, issued_by=None)
    client.post(SETUP, {"enrolment_code": code})
    device = TOTPDevice.objects.get(user=newcomer)
    client.post(SETUP, {"code": current_code(device)})
    # The app is lost and removed: the used code does not add another.
    TOTPDevice.objects.filter(user=newcomer).delete()
    client.logout()
    client.post(reverse("login"), {"username": "newcomer", "password": PASSWORD})
    page = client.post(SETUP, {"enrolment_code": code}).content.decode()
    assert "The enrolment code is not right" in page and not shows_a_key(page)

    late = issue_enrolment_code(user=newcomer, issued_by=None)
    EnrolmentCode.objects.filter(used_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    page = client.post(SETUP, {"enrolment_code": late}).content.decode()
    assert "The enrolment code is not right" in page and not shows_a_key(page)


def test_a_new_code_stops_the_old_one_working(client, newcomer):
    old = issue_enrolment_code(user=newcomer, issued_by=None)
    new = issue_enrolment_code(user=newcomer, issued_by=None)
    assert "not right" in client.post(SETUP, {"enrolment_code": old}).content.decode()
    client.post(SETUP, {"enrolment_code": new})
    assert shows_a_key(client.get(SETUP).content.decode())


def test_a_code_given_then_expiring_before_the_app_is_confirmed_adds_nothing(client, newcomer):
    code = issue_enrolment_code(user=newcomer, issued_by=None)
    client.post(SETUP, {"enrolment_code": code})
    device = TOTPDevice.objects.get(user=newcomer)
    EnrolmentCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = client.post(SETUP, {"code": current_code(device)}).content.decode()
    assert "Enter your enrolment code" in page
    device.refresh_from_db()
    assert not device.confirmed


def test_wrong_enrolment_codes_count_towards_the_lockout(client, newcomer, settings):
    settings.AXES_ENABLED = True
    code = issue_enrolment_code(user=newcomer, issued_by=None)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page = client.post(SETUP, {"enrolment_code": "ABCD-EFGH-JKMN"})
        assert page.status_code == 200
    locked = client.post(SETUP, {"enrolment_code": "ABCD-EFGH-JKMN"})
    assert locked.status_code == 429 and "Too many attempts" in locked.content.decode()
    # Even the right code now waits out the lockout, and so does the password.
    assert client.post(SETUP, {"enrolment_code": code}).status_code == 429
    assert not TOTPDevice.objects.filter(user=newcomer).exists()
    client.logout()
    again = client.post(reverse("login"), {"username": "newcomer", "password": PASSWORD})
    assert again.status_code == 429


def test_a_team_manager_gives_a_code_to_a_worker_in_their_team_and_sees_it_once(client):
    world = build()
    worker = world.staff[Role.SOCIAL_WORKER]
    TOTPDevice.objects.filter(user=worker.user).delete()  # a new phone, the old one removed
    sign_in(client, world.users[Role.TEAM_MANAGER])
    url = reverse("enrolment-code", args=[worker.pk])
    assert "Give an enrolment code" in client.get(url).content.decode()
    assert not EnrolmentCode.objects.exists()  # looking gives no code
    response = client.post(url)
    assert "no-store" in response["Cache-Control"]  # shown once, kept in no cache
    shown = response.context["code"]
    assert shown in response.content.decode()
    issued = EnrolmentCode.objects.get(user=worker.user)
    assert issued.issued_by == world.users[Role.TEAM_MANAGER]
    logged = AuditEvent.objects.get(action=AuditEvent.Action.ENROLMENT_CODE)
    assert logged.username == "team_manager" and logged.detail["for"] == "social_worker"
    assert shown not in client.get(url).content.decode()  # never shown again

    client.logout()
    client.post(reverse("login"), {"username": "social_worker", "password": PASSWORD})
    client.post(SETUP, {"enrolment_code": shown})
    assert shows_a_key(client.get(SETUP).content.decode())


def test_only_the_workers_manager_or_a_service_manager_may_give_one(client):
    world = build()
    worker = world.staff[Role.SOCIAL_WORKER]
    url = reverse("enrolment-code", args=[worker.pk])
    for role, status in (
        (Role.SOCIAL_WORKER, 403),  # never oneself: a password alone must not be enough
        (Role.SENIOR_PRACTITIONER, 403),
        (Role.IRO, 403),
        (Role.SERVICE_MANAGER, 200),
    ):
        client.logout()
        sign_in(client, world.users[role])
        assert client.post(url).status_code == status, role
    manager = world.staff[Role.TEAM_MANAGER]
    client.logout()
    sign_in(client, manager.user)
    own = reverse("enrolment-code", args=[manager.pk])
    assert client.post(own).status_code == 403  # not for themselves either
    south = Staff.objects.get(forename="South")  # another team's worker
    assert client.post(reverse("enrolment-code", args=[south.pk])).status_code == 403
    assert EnrolmentCode.objects.filter(issued_by=manager.user).count() == 0


def test_no_code_for_someone_who_has_an_app_or_no_account(client):
    world = build()
    sign_in(client, world.users[Role.SERVICE_MANAGER])
    worker = world.staff[Role.SOCIAL_WORKER]
    page = client.post(reverse("enrolment-code", args=[worker.pk])).content.decode()
    assert "already has an authenticator app" in page
    south = Staff.objects.get(forename="South")
    page = client.post(reverse("enrolment-code", args=[south.pk])).content.decode()
    assert "has no account" in page
    assert not EnrolmentCode.objects.exists()


def test_an_administrator_gives_codes_from_the_users_list(client):
    world = build()
    newcomer = User.objects.create_user(username="newcomer", password=PASSWORD)
    sign_in(client, world.users[Role.ADMINISTRATOR])
    page = client.post(
        reverse("admin:access_user_changelist"),
        {
            "action": "give_enrolment_codes",
            "_selected_action": [newcomer.pk, world.users[Role.SOCIAL_WORKER].pk],
        },
    )
    assert page.status_code == 200
    [(user, code)] = page.context["issued"]
    assert user == newcomer and code in page.content.decode()
    assert "already has an authenticator app" in page.content.decode()
    assert EnrolmentCode.objects.get().issued_by == world.users[Role.ADMINISTRATOR]


def test_the_command_prints_a_code(capsys):
    User.objects.create_user(username="newcomer", password=PASSWORD)
    call_command("enrolment_code", "newcomer")
    assert "Enrolment code for newcomer:" in capsys.readouterr().out
    assert EnrolmentCode.objects.filter(user__username="newcomer").count() == 1
    with pytest.raises(CommandError, match="no account called 'nobody'"):
        call_command("enrolment_code", "nobody")


def test_the_managers_view_of_a_workers_tray_links_to_the_code_page(client):
    world = build()
    worker = world.staff[Role.SOCIAL_WORKER]
    link = reverse("enrolment-code", args=[worker.pk])
    sign_in(client, world.users[Role.TEAM_MANAGER])
    assert link in client.get(reverse("worker-work", args=[worker.pk])).content.decode()
    client.logout()
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    assert link not in client.get(reverse("worker-work", args=[worker.pk])).content.decode()


def test_an_administrator_removes_a_lost_app_and_the_person_enrols_again(client):
    world = build()
    worker = world.users[Role.SOCIAL_WORKER]
    sign_in(client, world.users[Role.ADMINISTRATOR])
    client.post(
        reverse("admin:access_user_changelist"),
        {"action": "remove_authenticators", "_selected_action": [worker.pk]},
    )
    assert not TOTPDevice.objects.filter(user=worker).exists()
    removed = AuditEvent.objects.get(detail__authenticator_removed="social_worker")
    assert removed.username == "administrator"
    client.logout()
    client.post(reverse("login"), {"username": "social_worker", "password": PASSWORD})
    page = client.get(SETUP).content.decode()
    assert "Enter your enrolment code" in page and not shows_a_key(page)
