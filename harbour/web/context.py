from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject


def display_name(user) -> str:
    """The name Harbour shows for a person: their staff record's, else their account's."""
    staff = getattr(user, "staff", None)
    if staff is not None:
        return staff.name
    return user.get_full_name() or user.username


@dataclass(frozen=True)
class Section:
    """One entry in the service navigation."""

    label: str
    url: str
    current: str = ""  # aria-current: "page" on the section's own page, "true" within it
    unread: int | None = None


def _sections(user):
    """(label, url, permission, object) for every part of Harbour that exists, in order."""
    staff = getattr(user, "staff", None)
    team = staff.team if staff is not None and staff.team_id else None
    yield "Your work", "my-work", "timescales.view_own_work", None
    yield "Find a child", "search", "people.search_children", None
    yield "Front door", "front-door", "front_door.screen_contacts", None
    yield "Refer a child", "refer", "front_door.refer", None
    if team is not None:
        yield "Team", reverse("team-work", args=[team.pk]), "timescales.view_team", team
    yield "Insight", "insight", "insight.view_partnership_dashboard", None
    yield "Returns", "returns", "returns.make_returns", None
    yield "Alerts", "alerts", "access.view_alerts", None
    yield "Administration", "admin:index", "access.use_admin_site", None


def navigation(request) -> list[Section]:
    """The parts of Harbour the signed-in person may use, asked of the same rules the views
    ask; the section holding the page being shown is marked current."""
    from harbour.access.models import Alert

    entries = []
    for label, target, permission, obj in _sections(request.user):
        if not request.user.has_perm(permission, obj):
            continue
        url = target if target.startswith("/") else reverse(target)
        unread = None
        if target == "alerts":
            unread = Alert.objects.filter(recipient=request.user, read_at__isnull=True).count()
        current = "page" if request.path == url else "true" if request.path.startswith(url) else ""
        entries.append(Section(label, url, current, unread))
    return entries


def service(request):
    context = {"service_name": settings.HARBOUR_SERVICE_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["display_name"] = display_name(user)
        context["session_seconds"] = settings.SESSION_COOKIE_AGE
        # Worked out only if the page shows it (the administration site's pages do not).
        context["navigation"] = SimpleLazyObject(lambda: navigation(request))
    return context
