"""Demo logins for a synthetic county: one account per role, each a real member of the county's
workforce (or, for partners and inspectors, an outside account), all with one shared password.

Only for demonstrations and training on synthetic data: `harbour demo` refuses to run unless
the database holds the synthetic county.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from harbour.access.roles import Role
from harbour.workforce.models import Staff

DEMO_PASSWORD = "harbour-demo"


@dataclass
class DemoLogin:
    role: str
    username: str
    name: str
    team: str


def _current_staff(role: str):
    today = timezone.localdate()
    current = Q(allocations__ends_on__isnull=True) | Q(allocations__ends_on__gte=today)
    return (
        Staff.objects.filter(role=role, ends_on__isnull=True)
        .annotate(children=Count("allocations", filter=current))
        .select_related("team", "user")
        .order_by("-children", "id")
    )


def _authenticator(user) -> None:
    """Each demo login has an authenticator already set up; the sign-in page shows its code
    (demo settings with synthetic data only)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Demo authenticator"}
    )


@transaction.atomic
def ensure_demo_logins() -> list[DemoLogin]:
    User = get_user_model()
    logins = []
    social_worker = _current_staff(Role.SOCIAL_WORKER).first()
    for role in Role:
        username = role.value
        if role in (Role.PARTNER_REFERRER, Role.INSPECTOR, Role.ADMINISTRATOR):
            user = User.objects.filter(username=username).first() or User(username=username)
            user.first_name, user.last_name = {
                Role.PARTNER_REFERRER: ("Pat", "Referrer"),
                Role.INSPECTOR: ("Ida", "Inspector"),
                Role.ADMINISTRATOR: ("Ada", "Administrator"),
            }[role]
            user.external_role = "" if role == Role.ADMINISTRATOR else role.value
            user.organisation = {
                Role.PARTNER_REFERRER: "Northmoor Police (synthetic)",
                Role.INSPECTOR: "Inspectorate (synthetic)",
            }.get(role, "")
            user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
            user.is_active = True
            user.set_password(DEMO_PASSWORD)
            user.save()
            _authenticator(user)
            logins.append(
                DemoLogin(
                    role.label,
                    username,
                    user.get_full_name(),
                    user.organisation or "Harbour administration",
                )
            )
            continue
        existing = Staff.objects.filter(user__username=username).select_related("team").first()
        if existing:
            staff = existing
        elif role == Role.TEAM_MANAGER and social_worker:
            staff = Staff.objects.filter(
                role=role, team=social_worker.team, ends_on__isnull=True
            ).first()
        elif role == Role.SOCIAL_WORKER:
            staff = social_worker
        else:
            staff = _current_staff(role).first()
        if staff is None:
            continue
        user = staff.user
        user.username = username
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        _authenticator(user)
        logins.append(DemoLogin(role.label, username, staff.name, staff.team.name))
    return logins
