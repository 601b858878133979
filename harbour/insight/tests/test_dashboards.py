"""The dashboards: each figure with its comparators, charts and tables; every number leading
to the children behind it, named only where the access rules allow; the partnership's view
naming no child."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from harbour.access.models import AuditEvent, Grant, Restriction
from harbour.access.roles import Role
from harbour.authority.models import Authority
from harbour.insight import charts
from harbour.insight.models import PublishedFigure
from harbour.insight.published.extract import ENGLAND_CODE
from harbour.web.tests.browser import accessibility_violations, sign_in
from harbour.web.tests.records import PASSWORD, allocate, make_child, make_worker, on_a_plan
from harbour.workforce.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(django_user_model):
    """Two teams: North holds Ada and Ben (Ben's record restricted), South holds Cal; all three
    on child protection plans. England's re-referral rate is published."""
    Authority.objects.create(
        name="Harbourshire (synthetic)", la_code="926", ons_code="E10000020", region="east"
    )
    north = Team.objects.create(name="North safeguarding", kind=Team.Kind.SAFEGUARDING)
    south = Team.objects.create(name="South safeguarding", kind=Team.Kind.SAFEGUARDING)
    manager_user, manager = make_worker(django_user_model, "manager", "Mo", "Reed", north)
    manager.role = Role.TEAM_MANAGER
    manager.save()
    _, north_worker = make_worker(django_user_model, "north", "Nia", "Ward", north)
    _, south_worker = make_worker(django_user_model, "south", "Sol", "Hart", south)
    leader_user, leader = make_worker(django_user_model, "leader", "Lee", "Stone", north)
    leader.role = Role.SENIOR_LEADER
    leader.save()
    partner = django_user_model.objects.create_user(
        username="partner",
        password=PASSWORD,
        external_role=Role.PARTNER_REFERRER,
        organisation="Police (synthetic)",
    )
    since = timezone.localdate() - timedelta(days=40)
    children = {}
    for reference, name, worker in (
        ("D0001", "Ada", north_worker),
        ("D0002", "Ben", north_worker),
        ("D0003", "Cal", south_worker),
    ):
        child = children[name] = make_child(reference, name, "Fenwick")
        allocate(child, worker, since)
        on_a_plan(child, since)
    restriction = Restriction.objects.create(child=children["Ben"], reason="A staff member's")
    Grant.objects.create(
        restriction=restriction, user=leader_user, granted_by=leader_user, reason="Oversight"
    )
    PublishedFigure.objects.create(
        indicator="re_referrals_within_12m_pct",
        year=2025,
        area_level="national",
        area_code=ENGLAND_CODE,
        area_name="England",
        value=Decimal("22.6"),
        source="Synthetic test figure",
        release=2025,
        loaded_at=timezone.now(),
    )
    return {
        "north": north,
        "south": south,
        "manager": manager_user,
        "leader": leader_user,
        "partner": partner,
        "children": children,
    }


def _links(page: str) -> list[str]:
    found = re.findall(r'href="(/insight/indicators/[^"]+)"', page)
    return [h.replace("&amp;", "&") for h in found]


def _card(page: str, indicator: str) -> str:
    start = page.index(f'id="{indicator}"')
    return page[start : page.index("</section>", start)]


def test_the_directors_dashboard_compares_and_links_every_figure(client, county):
    client.login(username="leader", password=PASSWORD)
    response = client.get("/insight/director/?period=year")
    assert response.status_code == 200
    page = response.content.decode()
    plans = _card(page, "cp_plans")
    assert ">3</a>" in plans  # three children on plans today, the number a link
    rereferrals = _card(page, "re_referrals_within_12m_pct")
    assert "England" in rereferrals and "22.6%" in rereferrals
    assert "Better" in rereferrals  # none of the three was re-referred; lower is better
    assert "<svg" in plans and "Month by month" in plans
    glance = page[page.index("At a glance") : page.index("How to read the charts")]
    assert "England" in glance and "Re-referrals within 12 months" not in glance  # not worse
    # Every figure, its numerator and denominator, and every month links to who is behind it.
    assert len(_links(page)) > 37 * 12
    assert 'href="/insight/report.pdf?as_of=' in page and 'href="/insight/report.xlsx?' in page


def test_the_children_behind_a_figure_are_named_only_where_the_rules_allow(client, county):
    client.login(username="manager", password=PASSWORD)
    page = client.get(f"/insight/teams/{county['north'].pk}/").content.decode()
    link = next(h for h in _links(_card(page, "cp_plans")) if "part=numerator" in h)
    listed = client.get(link).content.decode()
    assert "/children/D0001/" in listed  # Ada: in the manager's team
    assert "D0002" not in listed and "Ben" not in listed  # restricted: counted, not named
    assert "1 more child is counted whose records you may not see" in listed
    assert "D0003" not in listed  # Cal is South's
    shown = AuditEvent.objects.filter(user_id=county["manager"].pk, action="view").last()
    assert shown.detail["children"] == ["D0001"]

    client.login(username="leader", password=PASSWORD)
    link = next(h for h in _links(client.get("/insight/director/").content.decode()))
    everyone = client.get(link.replace("contacts", "cp_plans")).content.decode()
    for reference in ("D0001", "D0002", "D0003"):  # the leader holds a grant for Ben
        assert f"/children/{reference}/" in everyone


def test_out_of_a_share_those_the_figure_misses_come_first(client, county):
    client.login(username="leader", password=PASSWORD)
    page = client.get("/insight/director/?period=year").content.decode()
    card = _card(page, "cp_children_seen_in_time_pct")
    link = next(h for h in _links(card) if "part=denominator" in h and "end=" in h)
    listed = client.get(link).content.decode()
    table = listed[listed.index("<tbody") :]
    in_figure = r"<td class=\"govuk-table__cell\">(Yes|<strong[^>]*>No</strong>)</td>"
    cells = re.findall(in_figure, table)
    numerator = int(re.search(r"\((\d+) of (\d+)\)", listed).group(1))
    assert cells and cells.count("Yes") == numerator
    assert cells == sorted(cells, key=lambda cell: cell == "Yes")  # missed first


def test_the_staff_behind_a_caseload_link_to_their_work_only_for_those_who_may_see_it(
    client, county
):
    for username, linked in (("manager", True), ("leader", False)):
        client.login(username=username, password=PASSWORD)
        page = client.get("/insight/director/" if username == "leader" else "/insight/service/")
        link = next(
            h for h in _links(_card(page.content.decode(), "caseload_max")) if "part=numerator" in h
        )
        listed = client.get(link).content.decode()
        assert "Nia Ward" in listed  # two children each: Ada and Ben
        main = listed[listed.index("<main") :]  # the service navigation links to /work/ too
        assert ('href="/work/' in main) is linked


def test_a_teams_figures_are_its_own_and_set_beside_the_authoritys(client, county):
    client.login(username="manager", password=PASSWORD)
    page = client.get(f"/insight/teams/{county['north'].pk}/").content.decode()
    plans = _card(page, "cp_plans")
    assert ">2</a>" in plans  # Ada and Ben: North's
    assert "The authority" in plans and ">3<" in plans.replace("3</dd>", ">3<")
    assert 'id="cp_rate_per_10k"' not in page  # a team has no child population
    assert client.get(f"/insight/teams/{county['south'].pk}/").status_code == 403


def test_the_insight_page_lists_only_the_dashboards_one_may_open(client, county):
    client.login(username="manager", password=PASSWORD)
    page = client.get("/insight/").content.decode()
    assert f'href="/insight/teams/{county["north"].pk}/"' in page
    assert f'href="/insight/teams/{county["south"].pk}/"' not in page
    assert 'href="/insight/service/"' in page and 'href="/insight/director/"' not in page
    client.login(username="leader", password=PASSWORD)
    page = client.get("/insight/").content.decode()
    assert f'href="/insight/teams/{county["south"].pk}/"' in page
    assert 'href="/insight/director/"' in page


def test_the_service_managers_dashboard_puts_teams_side_by_side(client, county):
    client.login(username="leader", password=PASSWORD)
    page = client.get("/insight/service/").content.decode()
    assert "Teams side by side" in page
    for team in ("north", "south"):
        assert f'href="/insight/teams/{county[team].pk}/"' in page
    client.login(username="manager", password=PASSWORD)  # North's: sees South's figures only
    page = client.get("/insight/service/").content.decode()
    assert f'href="/insight/teams/{county["north"].pk}/"' in page
    assert f'href="/insight/teams/{county["south"].pk}/"' not in page
    assert f"team={county['south'].pk}" not in page and "South safeguarding" in page


def test_the_partnership_view_names_no_child(client, county):
    client.login(username="partner", password=PASSWORD)
    response = client.get("/insight/partnership/")
    assert response.status_code == 200
    page = response.content.decode()
    assert _links(page) == [] and "/children/" not in page
    assert all(name not in page for name in ("Ada", "Ben", "Cal", "D0001"))
    assert ">3<" in _card(page, "cp_plans")
    assert client.get("/insight/director/").status_code == 403


def test_a_day_to_come_is_refused_by_name(client, county):
    client.login(username="leader", password=PASSWORD)
    later = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.get(f"/insight/director/?as_of={later}")
    assert response.status_code == 400
    assert "Figures to must be today or in the past" in response.content.decode()
    response = client.get("/insight/indicators/cp_plans/children/?as_of=2025-01-01&part=all")
    assert response.status_code == 400
    assert "Choose who to list: those counted or those counted out of" in response.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ("as_of=0001-01-01", "Figures to must be the same as or after 14 October 1991"),
        ("as_of=2026-02-30", "The day figures are counted to must be a real date"),
        ("as_of=9999-12-31", "Figures to must be today or in the past"),
        ("period=xyz", "Choose 12 months, 3 months or a month"),
    ],
)
def test_a_day_or_period_that_cannot_be_counted_is_named(client, county, query, message):
    client.login(username="leader", password=PASSWORD)
    for url in ("/insight/director/", "/insight/partnership/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400
        assert message in response.content.decode()


def test_the_children_behind_a_figure_refuse_a_period_that_cannot_be_counted(client, county):
    client.login(username="leader", password=PASSWORD)
    url = "/insight/indicators/cp_plans/children/?part=numerator&as_of=2025-02-01"
    for query, message in (
        (
            "start=0001-01-01&end=2025-01-31",
            "Period start must be the same as or after 1 January 1985",
        ),
        ("start=2025-01-01&end=2025-02-30", "Period end must be a real date"),
        ("start=2025-01-01&end=2025-01-31&page=0", "Page must be 1 or more"),
        ("start=2025-01-01&end=2025-01-31&page=abc", "Page must be a whole number"),
        ("start=2025-01-01&end=2025-01-31&team=%C2%B2", "Choose a team that exists"),
    ):
        response = client.get(f"{url}&{query}")
        assert response.status_code == 400, query
        assert message in response.content.decode(), query
    last = client.get(f"{url}&start=2025-01-01&end=2025-01-31&page=99999999999999999999")
    assert last.status_code == 200  # past the last page: the last page


def test_charts_are_drawn_by_matplotlib_and_fit_a_strict_page():
    row = {
        "id": "cp_children_seen_in_time_pct",
        "title": "Children on plans visited in time",
        "unit": "percent",
        "per_period": False,
        "comparators": {
            "trend": {
                "monthly": [
                    {"period": {"end": f"2026-{m:02d}-28"}, "value": 80 + m} for m in range(1, 13)
                ]
            },
            "local_target": {"value": 90},
            "published": {"england": 88.0, "neighbours_median": 86.5},
        },
    }
    svg = charts.chart(row)
    assert svg.startswith("<svg") and 'aria-hidden="true"' in svg
    assert "style" not in svg  # the content security policy refuses style attributes
    ids = re.findall(r'id="([^"]+)"', svg)
    assert ids and all(i.startswith("cp_children_seen_in_time_pct-") for i in ids)
    assert set(charts.comparator_lines(row)) == {"local_target", "england", "neighbours_median"}
    assert charts.chart(row, "png").startswith(b"\x89PNG")
    # A count over a month is not set against the Department's yearly figures.
    counted = {**row, "unit": "count", "per_period": True}
    assert charts.comparator_lines(counted) == {"local_target": 90.0}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboards_are_accessible(county, page, axe_path):
    sign_in(page, "leader", PASSWORD)
    team = f"/insight/teams/{county['north'].pk}/"
    for url in (
        "/insight/",
        "/insight/director/",
        "/insight/service/",
        team,
        "/insight/partnership/",
    ):
        page.goto(url)
        assert accessibility_violations(page, axe_path) == [], url
    page.goto("/insight/director/")
    page.locator("#cp_plans").locator("xpath=..").get_by_role("link", name="3").first.click()
    assert "Who is counted" in page.content()
    assert accessibility_violations(page, axe_path) == [], page.url
