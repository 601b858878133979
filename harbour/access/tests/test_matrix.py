"""Every URL, asked by every role and by someone not signed in, answers as declared here.

A new view with no line in this table fails the suite: decide who may use it first."""

from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in

R = Role
ANON = "anonymous"
ROLES = [ANON, *Role]
STAFF = [r for r in Role if r not in (R.PARTNER_REFERRER, R.INSPECTOR, R.ADMINISTRATOR)]
NORTH = [R.SOCIAL_WORKER, R.FAMILY_SUPPORT_WORKER, R.SENIOR_PRACTITIONER, R.TEAM_MANAGER]
WITH_A_REASON = [
    R.PERSONAL_ADVISER,
    R.CONFERENCE_CHAIR,
    R.IRO,
    R.MASH_SCREENER,
    R.PERFORMANCE_OFFICER,
    R.SENIOR_LEADER,
    R.ADMINISTRATOR,
    *NORTH,
]
SIGN_IN = 302  # to the sign-in page
SERVICE_WIDE = [R.SERVICE_MANAGER, R.SENIOR_LEADER, R.PERFORMANCE_OFFICER, R.INSPECTOR]
DATA_QUALITY = [R.TEAM_MANAGER, *SERVICE_WIDE]


def expect(default, anonymous=SIGN_IN, **by_status):
    """Status for every role: `default`, except roles listed under a status."""
    table = dict.fromkeys(Role, default)
    for status, roles in by_status.items():
        for role in roles:
            table[role] = int(status.lstrip("s"))
    table[ANON] = anonymous
    return table


CASES = {
    # name: (url name, url kwargs from the world, {role: status})
    "home": ("home", {}, expect(200)),
    "login": ("login", {}, expect(302, anonymous=200)),
    "logout": ("logout", {}, expect(405, anonymous=405)),
    "two-factor": ("two-factor", {}, expect(200)),
    "two-factor-setup": ("two-factor-setup", {}, expect(302)),
    "my work": ("my-work", {}, expect(403, s200=STAFF)),
    "my work export": ("my-work-export", {}, expect(403, s200=STAFF)),
    "a worker's work": (
        "worker-work",
        {"staff_id": "sw"},
        expect(403, s200=[R.SOCIAL_WORKER, R.TEAM_MANAGER, R.SERVICE_MANAGER]),
    ),
    "a team": (
        "team-work",
        {"team_id": "north"},
        expect(
            403,
            s200=[*NORTH, R.SERVICE_MANAGER, R.SENIOR_LEADER, R.PERFORMANCE_OFFICER, R.INSPECTOR],
        ),
    ),
    "teams side by side": (
        "service-work",
        {},
        expect(
            403,
            s200=[
                R.TEAM_MANAGER,
                R.SERVICE_MANAGER,
                R.SENIOR_LEADER,
                R.PERFORMANCE_OFFICER,
                R.INSPECTOR,
            ],
        ),
    ),
    "search": ("search", {}, expect(200, s403=[R.PARTNER_REFERRER])),
    "a child in my work": (
        "child",
        {"reference": "ours"},
        expect(
            302,
            s200=[
                *NORTH,
                R.SERVICE_MANAGER,
                R.CONFERENCE_CHAIR,
                R.IRO,
                R.MASH_SCREENER,
                R.INSPECTOR,
            ],
            s404=[R.PARTNER_REFERRER],
        ),
    ),
    "a child in another team": (
        "child",
        {"reference": "theirs"},
        expect(302, s200=[R.SERVICE_MANAGER, R.INSPECTOR], s404=[R.PARTNER_REFERRER]),
    ),
    "a restricted child": (
        "child",
        {"reference": "restricted"},
        expect(404, s200=[R.TEAM_MANAGER]),
    ),
    "open another team's child": (
        "open-with-reason",
        {"reference": "theirs"},
        expect(404, s200=WITH_A_REASON, s302=[R.SERVICE_MANAGER], s403=[R.INSPECTOR]),
    ),
    "open a restricted child": (
        "open-with-reason",
        {"reference": "restricted"},
        expect(404, s302=[R.TEAM_MANAGER]),
    ),
    "who viewed a record": (
        "record-viewers",
        {"reference": "ours"},
        expect(403, s200=[R.TEAM_MANAGER, R.SERVICE_MANAGER], s404=[R.PARTNER_REFERRER]),
    ),
    "alerts": ("alerts", {}, expect(403, s200=STAFF)),
    # Never for oneself (the world's social worker asks for their own): a password is not enough.
    "give a worker an enrolment code": (
        "enrolment-code",
        {"staff_id": "sw"},
        expect(403, s200=[R.TEAM_MANAGER, R.SERVICE_MANAGER]),
    ),
    "an alert": ("alert", {"alert_id": "theirs"}, expect(405, anonymous=405)),
    "single sign-on start": ("oidc_authentication_init", {}, expect(404, anonymous=404)),
    "single sign-on return": ("oidc_authentication_callback", {}, expect(404, anonymous=404)),
    "admin": ("admin:index", {}, expect(302, s200=[R.ADMINISTRATOR])),
    "refer a child": ("refer", {}, expect(403, s200=[R.PARTNER_REFERRER])),
    "statutory returns": ("returns", {}, expect(403, s200=[R.PERFORMANCE_OFFICER])),
    "a return being made": ("return-run", {"run_id": 1}, expect(403, s200=[R.PERFORMANCE_OFFICER])),
    "download a return": (
        "return-download",
        {"run_id": 1},
        expect(403, s200=[R.PERFORMANCE_OFFICER]),
    ),
    "make a return again": (
        "return-again",
        {"run_id": 1},
        expect(403, s405=[R.PERFORMANCE_OFFICER]),
    ),
    "insight": ("insight", {}, expect(200, s403=[R.ADMINISTRATOR])),
    "a team's dashboard": (
        "dashboard-team",
        {"team_id": "north"},
        expect(403, s200=[*NORTH, *SERVICE_WIDE]),
    ),
    "the service manager's dashboard": (
        "dashboard-service",
        {},
        expect(403, s200=[R.TEAM_MANAGER, *SERVICE_WIDE]),
    ),
    "the director's dashboard": ("dashboard-director", {}, expect(403, s200=SERVICE_WIDE)),
    "the partnership view": ("dashboard-partnership", {}, expect(200, s403=[R.ADMINISTRATOR])),
    "the children behind the authority's figure": (
        "indicator-children",
        {"indicator_id": "cp_plans", "?": "period"},
        expect(403, s200=[R.TEAM_MANAGER, *SERVICE_WIDE]),
    ),
    "the children behind a team's figure": (
        "indicator-children",
        {"indicator_id": "cp_plans", "?": "period", "team": "north"},
        expect(403, s200=[*NORTH, *SERVICE_WIDE]),
    ),
    "asking for children behind a figure without saying which period": (
        "indicator-children",
        {"indicator_id": "cp_plans"},
        expect(403, s400=[R.TEAM_MANAGER, *SERVICE_WIDE]),
    ),
    "referrals sent": ("referrals-sent", {}, expect(403, s200=[R.PARTNER_REFERRER])),
    "a referral sent": (
        "referral-sent",
        {"contact_id": "partner's"},
        expect(403, s200=[R.PARTNER_REFERRER]),
    ),
    "data quality": ("data-quality", {}, expect(403, s200=DATA_QUALITY)),
    "data quality spreadsheet": ("data-quality-csv", {}, expect(403, s200=DATA_QUALITY)),
    # The performance report holds numbers, no child: the authority's for everyone who may see
    # the partnership's figures, a team's for those who may see the team's dashboard.
    "the authority's performance report (PDF)": (
        "performance-report-pdf",
        {},
        expect(200, s403=[R.ADMINISTRATOR]),
    ),
    "the authority's performance report (workbook)": (
        "performance-report-xlsx",
        {},
        expect(200, s403=[R.ADMINISTRATOR]),
    ),
    "a team's performance report (PDF)": (
        "performance-report-pdf",
        {"?": "report", "team": "north"},
        expect(
            403,
            s200=[*NORTH, R.SERVICE_MANAGER, R.SENIOR_LEADER, R.PERFORMANCE_OFFICER, R.INSPECTOR],
        ),
    ),
    "a team's performance report (workbook)": (
        "performance-report-xlsx",
        {"?": "report", "team": "north"},
        expect(
            403,
            s200=[*NORTH, R.SERVICE_MANAGER, R.SENIOR_LEADER, R.PERFORMANCE_OFFICER, R.INSPECTOR],
        ),
    ),
}


def _extension_cases() -> dict:
    """Cases declared beside the views they cover: every `harbour/*/tests/matrix_cases*.py`
    holds a `CASES` dict like the one above. A kwarg's value may be a function of the world,
    for objects the world does not build itself."""
    import importlib

    found = {}
    for module in sorted(Path(__file__).resolve().parents[2].glob("*/tests/matrix_cases*.py")):
        name = f"harbour.{module.parent.parent.name}.tests.{module.stem}"
        found.update(importlib.import_module(name).CASES)
    return found


CASES.update(_extension_cases())


def _an_alert(world):
    from harbour.access.models import Alert

    return Alert.objects.create(recipient=world.users[R.TEAM_MANAGER], message="Opened")


def _a_return(world):
    from django.conf import settings

    from harbour.returns.models import ReturnRun

    output = Path(settings.DATA_DIR) / "returns" / "matrix" / "cin-census.xml"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("<Message/>")
    return ReturnRun.objects.create(
        kind="cin",
        year=2026,
        state="done",
        output=str(output),
        requested_by=world.users[R.PERFORMANCE_OFFICER],
    )


def _query(world, kwargs) -> str:
    """A query string for views that need one (`"?"` in a case's kwargs)."""
    if "?" not in kwargs:
        return ""
    from django.utils import timezone
    from django.utils.http import urlencode

    today = timezone.localdate().isoformat()
    query = {"as_of": today, "start": today, "end": today, "part": "numerator"}
    if "team" in kwargs:
        query["team"] = world.teams[kwargs["team"]].pk
    return "?" + urlencode(query)


def _kwargs(world, kwargs):
    resolved = {}
    for key, value in kwargs.items():
        if callable(value):
            resolved[key] = value(world)
        elif key == "reference":
            resolved[key] = world.children[value].reference
        elif key == "staff_id":
            resolved[key] = world.staff[R.SOCIAL_WORKER].pk
        elif key == "team_id":
            resolved[key] = world.teams[value].pk
        elif key == "run_id":
            resolved[key] = _a_return(world).pk
        elif key == "contact_id":
            resolved[key] = world.partner_contact.pk
        elif key == "alert_id":
            resolved[key] = _an_alert(world).pk
        elif key == "indicator_id":
            resolved[key] = value
    return resolved


def _names(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _names(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def test_every_url_is_in_the_table():
    declared = {name for name, _, _ in CASES.values()}
    undeclared = {n for n in _names() if not n.startswith("admin:")} - declared
    assert undeclared == set(), f"views with no access rule declared: {sorted(undeclared)}"


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(CASES))
def test_each_role_gets_what_the_table_says(client, settings, case):
    settings.HARBOUR_TWO_FACTOR_REQUIRED = True
    world = build()
    name, kwargs, expected = CASES[case]
    url = reverse(name, kwargs=_kwargs(world, kwargs)) + _query(world, kwargs)
    answers = {}
    for role in ROLES:
        client.logout()
        if role != ANON:
            sign_in(client, world.users[role])
        answers[role] = client.get(url).status_code
    wrong = {str(r): (answers[r], expected[r]) for r in ROLES if answers[r] != expected[r]}
    assert wrong == {}, f"{case}: role: (got, expected): {wrong}"


@pytest.mark.django_db
def test_every_admin_page_is_for_administrators_only(client, settings):
    settings.HARBOUR_TWO_FACTOR_REQUIRED = True
    world = build()
    urls = [reverse(n) for n in _names() if n.startswith("admin:") and n.endswith("changelist")]
    assert len(urls) >= 10
    for role in (R.SOCIAL_WORKER, R.INSPECTOR, R.ADMINISTRATOR):
        client.logout()
        sign_in(client, world.users[role])
        for url in urls:
            status = client.get(url).status_code
            assert status == (200 if role == R.ADMINISTRATOR else 302), (role, url, status)
