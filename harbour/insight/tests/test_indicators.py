"""Indicators: every one defined and computed; periods; the command's shape; and on a synthetic
county every figure equal to one computed independently: by DuckDB SQL written here over the
same rows, from the census and SSDA903 returns Harbour makes (as the Department counts them),
from the generator's own counts (synth/volumes.py) and from the failures it injected.

The county is generated once for the module inside a transaction that is then undone; every
figure the tests compare is worked out while it is there.
"""

import json
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import duckdb
import polars as pl
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from polars.testing import assert_frame_equal

from harbour.insight.indicators import compute, definitions, trend
from harbour.insight.indicators.compute import check
from harbour.insight.indicators.definitions import DefinitionError, load
from harbour.insight.indicators.inputs import Inputs, duty_rules, read
from harbour.insight.indicators.periods import (
    Period,
    collection_year,
    collection_years_to,
    months_to,
    period_ending,
)
from harbour.insight.indicators.targets import local_targets
from harbour.insight.management.commands.indicators import as_csv
from harbour.insight.performance import rows
from harbour.insight.tests import indicator_sql as independent
from harbour.returns.cin.export import census_xml
from harbour.returns.imports import import_paths
from harbour.returns.ssda903.export import return_tables
from harbour.synth.failures import parse_rates
from harbour.synth.load import load_county
from harbour.synth.sizes import SIZES
from harbour.synth.volumes import measure
from harbour.timescales.engine import compute_duties
from harbour.timescales.sources import read_tables

END = date(2025, 5, 20)  # the county's last day
YEAR_END = date(2025, 3, 31)  # the 2024-25 collection year
YEAR = Period(date(2024, 4, 1), YEAR_END, "collection_year")
LONDON = ZoneInfo("Europe/London")

# Every test may read the county (generated once, below); marking them all makes pytest-django
# create the test database.
pytestmark = pytest.mark.django_db

# The list: each must be defined, with exactly this id.
REQUIRED = [
    "contacts",
    "contact_decisions_within_1wd_pct",
    "referrals",
    "referral_rate_per_10k",
    "re_referrals_within_12m_pct",
    "assessments_completed",
    "assessments_within_timescale_pct",
    "s47_enquiries",
    "s47_rate_per_10k",
    "s47_leading_to_icpc_pct",
    "icpc_within_15wd_pct",
    "first_core_group_within_10wd_pct",
    "cp_plans",
    "cp_rate_per_10k",
    "cp_plans_started",
    "cp_second_or_subsequent_pct",
    "cp_plans_ended_after_2y_pct",
    "cp_reviews_in_time_pct",
    "cp_children_seen_in_time_pct",
    "cp_children_seen_alone_pct",
    "cin",
    "cin_rate_per_10k",
    "cla",
    "cla_rate_per_10k",
    "cla_reviews_in_time_pct",
    "cla_three_or_more_placements_pct",
    "cla_long_term_stability_pct",
    "cla_health_assessments_in_time_pct",
    "cla_peps_in_time_pct",
    "missing_rhi_within_72h_pct",
    "care_leavers_eet_pct",
    "care_leavers_suitable_accommodation_pct",
    "care_leavers_in_touch_pct",
    "unallocated_children",
    "caseload_mean",
    "caseload_max",
    "supervision_in_time_pct",
    # The Department's dashboard's measures (issue 7), each with the published measure's id.
    "referrals_nfa_pct",
    "cp_open_2y_or_more_pct",
    "cla_started",
    "cla_started_rate_per_10k",
    "cla_ceased",
    "cla_three_or_more_social_workers_pct",
    "cla_immunisations_pct",
    "cla_dental_checks_pct",
    "care_leavers_eet_17_18_pct",
    "care_leavers_suitable_accommodation_17_18_pct",
    "sw_turnover_pct",
    "sw_agency_pct",
]

# ----- definitions, periods -----------------------------------------------------------------


def test_every_listed_indicator_is_defined_and_every_defined_one_computed():
    defined = [d.id for d in definitions()]
    assert sorted(defined) == sorted(REQUIRED)
    check()  # raises if any is defined but not computed, or computed but not defined
    for definition in definitions():
        assert (definition.denominator is None) == (definition.unit == "count"), definition.id
        if definition.unit == "percent" and not definition.duties:
            assert definition.denominator, definition.id


def test_published_measures_say_which_return_and_method_they_follow():
    published = {d.id: d.published_as for d in definitions() if d.published_as}
    assert {
        "referrals",
        "re_referrals_within_12m_pct",
        "cp_plans",
        "cp_second_or_subsequent_pct",
        "cp_plans_ended_after_2y_pct",
        "cin",
        "cla",
        "cla_three_or_more_placements_pct",
        "cla_long_term_stability_pct",
        "care_leavers_eet_pct",
        "care_leavers_suitable_accommodation_pct",
        "care_leavers_in_touch_pct",
    } <= set(published)
    assert {p.return_ for p in published.values()} == {"children in need census", "SSDA903"}


def test_a_bad_definition_is_refused_with_its_reason():
    entry = """indicators:
  - {id: x, title: X, unit: percent, about: children, numerator: a, period: month,
     polarity: higher_is_better}"""
    with pytest.raises(DefinitionError, match="denominator"):
        load(entry)
    with pytest.raises(DefinitionError, match="no such duty"):
        load(entry.replace("month,", "month, denominator: b, duties: [nothing],"), {"visit"})
    with pytest.raises(DefinitionError, match="polarity"):
        load(entry.replace("month,", "month, denominator: b,").replace("higher_is_better", "up"))


def test_local_targets_name_defined_indicators():
    targets = local_targets()
    assert targets and set(targets) <= {d.id for d in definitions()}
    assert targets["re_referrals_within_12m_pct"].met(19.0, "lower_is_better") is True
    assert targets["contact_decisions_within_1wd_pct"].met(90.0, "higher_is_better") is False


@pytest.mark.parametrize(
    "as_of, kind, start",
    [
        ("2025-03-31", "year", "2024-04-01"),
        ("2025-03-31", "quarter", "2025-01-01"),
        ("2025-03-31", "month", "2025-03-01"),
        ("2025-02-28", "month", "2025-02-01"),
        ("2024-02-29", "year", "2023-03-01"),
        ("2026-11-20", "month", "2026-10-21"),
        ("2026-11-20", "quarter", "2026-08-21"),
    ],
)
def test_the_period_ending_on_a_day(as_of, kind, start):
    period = period_ending(date.fromisoformat(as_of), kind)
    assert (period.start, period.end) == (date.fromisoformat(start), date.fromisoformat(as_of))


def test_the_year_ending_31_march_is_the_collection_year():
    period = period_ending(YEAR_END, "year")
    assert period == collection_year(2025) == YEAR
    assert period.label == "2024-25"


def test_trend_periods_follow_one_another():
    months = months_to(date(2026, 11, 20))
    assert len(months) == 12 and months[-1].end == date(2026, 11, 20)
    assert months[0].start == date(2025, 11, 21)
    for before, after in zip(months, months[1:], strict=False):
        assert before.end + timedelta(days=1) == after.start
    assert [p.label for p in collection_years_to(date(2026, 11, 20))] == [
        "2021-22",
        "2022-23",
        "2023-24",
        "2024-25",
        "2025-26",
    ]
    assert collection_years_to(YEAR_END)[-1] == YEAR
    assert collection_years_to(date(2025, 3, 30))[-1] == collection_year(2024)


# ----- the county, and everything computed while it is there ---------------------------------


def _frame(sql: str, schema: dict) -> pl.DataFrame:
    """Rows straight from the database, as they are (SQLite gives dates as text)."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    frame = pl.DataFrame(rows, schema=list(schema), orient="row", infer_schema_length=None)
    columns = []
    for name, dtype in schema.items():
        column = frame[name]
        if dtype == pl.Date and column.dtype == pl.String:
            column = column.str.slice(0, 10).str.to_date()
        elif dtype == pl.Date and column.dtype != pl.Date:
            column = column.cast(pl.Date)
        columns.append(column.cast(dtype).alias(name))
    return pl.DataFrame(columns)


def _utc(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(ZoneInfo("UTC"))


D, N, S, B = pl.Date, pl.Int64, pl.String, pl.Boolean
RAW = {
    "referral": (
        "SELECT id, child_id, received_on, closed_on, no_further_action FROM journey_referral",
        {"id": N, "child_id": N, "received_on": D, "closed_on": D, "no_further_action": B},
    ),
    "assessment": (
        "SELECT id, child_id, authorised_on FROM journey_assessment",
        {"id": N, "child_id": N, "authorised_on": D},
    ),
    "enquiry": (
        "SELECT id, child_id, started_on FROM journey_section47enquiry",
        {"id": N, "child_id": N, "started_on": D},
    ),
    "conference": (
        "SELECT id, kind, section_47_enquiry_id, held_on FROM journey_conference",
        {"id": N, "kind": S, "section_47_enquiry_id": N, "held_on": D},
    ),
    "cp_plan": (
        "SELECT id, child_id, starts_on, ends_on, previous_plans_recorded "
        "FROM journey_childprotectionplan",
        {"id": N, "child_id": N, "starts_on": D, "ends_on": D, "previous_plans_recorded": N},
    ),
    "visit": (
        "SELECT id, child_id, kind, visited_on, child_seen, seen_alone FROM journey_visit",
        {"id": N, "child_id": N, "kind": S, "visited_on": D, "child_seen": B, "seen_alone": B},
    ),
    "child": ("SELECT id, date_of_birth FROM people_child", {"id": N, "date_of_birth": D}),
    "period_of_care": (
        "SELECT id, child_id, starts_on, ends_on FROM care_periodofcare",
        {"id": N, "child_id": N, "starts_on": D, "ends_on": D},
    ),
    "legal_status": (
        "SELECT id, period_id, code, starts_on FROM care_legalstatus",
        {"id": N, "period_id": N, "code": S, "starts_on": D},
    ),
    "placement": (
        "SELECT id, child_id, period_id, placement_type, starts_on, ends_on FROM care_placement",
        {
            "id": N,
            "child_id": N,
            "period_id": N,
            "placement_type": S,
            "starts_on": D,
            "ends_on": D,
        },
    ),
    "allocation": (
        "SELECT child_id, worker_id, starts_on, ends_on FROM workforce_allocation",
        {"child_id": N, "worker_id": N, "starts_on": D, "ends_on": D},
    ),
    "social_worker_allocation": (
        "SELECT child_id, worker_id, starts_on, ends_on FROM workforce_allocation "
        "WHERE kind = 'social_worker'",
        {"child_id": N, "worker_id": N, "starts_on": D, "ends_on": D},
    ),
    "staff": (
        "SELECT id, role, qualified, registration_number, agency_worker, starts_on, ends_on "
        "FROM workforce_staff",
        {
            "id": N,
            "role": S,
            "qualified": B,
            "registration_number": S,
            "agency_worker": B,
            "starts_on": D,
            "ends_on": D,
        },
    ),
    "health_assessment": (
        "SELECT id, child_id, done_on, immunisations_up_to_date, teeth_checked "
        "FROM care_healthassessment",
        {"id": N, "child_id": N, "done_on": D, "immunisations_up_to_date": B, "teeth_checked": B},
    ),
    "population": (
        "SELECT year, children_0_17 FROM authority_childpopulation",
        {"year": N, "children_0_17": N},
    ),
    "care_leaver_contact": (
        "SELECT t.id, l.child_id, c.date_of_birth, t.contact_on, t.in_touch, t.accommodation, "
        "t.accommodation_suitable, t.activity FROM care_careleavercontact t "
        "JOIN care_careleaver l ON l.id = t.care_leaver_id "
        "JOIN people_child c ON c.id = l.child_id",
        {
            "id": N,
            "child_id": N,
            "date_of_birth": D,
            "contact_on": D,
            "in_touch": S,
            "accommodation": S,
            "accommodation_suitable": B,
            "activity": S,
        },
    ),
}


def _raw_tables() -> dict[str, pl.DataFrame]:
    tables = {name: _frame(sql, schema) for name, (sql, schema) in RAW.items()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, child_id, received_at FROM journey_contact")
        contacts = [(i, c, _utc(at)) for i, c, at in cursor.fetchall()]
    tables["contact"] = pl.DataFrame(
        contacts,
        schema={"id": N, "child_id": N, "received_at": pl.Datetime("us", "UTC")},
        orient="row",
    )
    return tables


def _census(year: int) -> bytes:
    return census_xml(year, made_at=datetime(year, 4, 2, 9))


def _volume_rows() -> dict[str, list[dict]]:
    """The rows synth/volumes.measure counts, read back from the database."""
    from django.apps import apps

    fields = {
        "journey.Contact": ["received_at"],
        "journey.Referral": [
            "child_id",
            "received_on",
            "closed_on",
            "no_further_action",
            "closure_reason",
        ],
        "journey.Section47Enquiry": ["started_on"],
        "journey.Conference": ["held_on", "kind"],
        "journey.ChildProtectionPlan": ["starts_on", "ends_on"],
        "journey.Assessment": ["authorised_on", "outcome"],
        "care.PeriodOfCare": ["child_id", "starts_on", "ends_on"],
        "care.Placement": ["child_id", "starts_on", "ends_on"],
        "care.CareLeaver": ["child_id", "category"],
        "people.Child": ["id", "date_of_birth"],
    }
    return {
        label: list(apps.get_model(label).objects.values(*names)) for label, names in fields.items()
    }


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        loaded = load_county(SIZES["small"], 2, 7, END, parse_rates([]))
        tables = read()
        at_year_end = Inputs(YEAR_END, tables)
        at_end = Inputs(END, tables)
        out = StringIO()
        call_command("indicators", as_of="2025-03-31", period="year", stdout=out)
        months = months_to(END)
        latest_month = months[-2]
        found = {
            "truth": loaded.truth,
            "year": {f.id: f for f in compute(YEAR_END, "year", inputs=at_year_end)},
            "year_at_end": {f.id: f for f in compute(END, YEAR, inputs=at_end)},
            "everything": {
                f.id: f for f in compute(END, Period(date(2000, 1, 1), END), inputs=at_end)
            },
            "trend": trend(END, inputs=at_end),
            "month": latest_month,
            "month_then": {
                f.id: f
                for f in compute(latest_month.end, "month", inputs=Inputs(latest_month.end, tables))
            },
            "duties": at_year_end.duties,
            "every_duty": compute_duties(read_tables(), YEAR_END),
            "raw": _raw_tables(),
            "census": {year: _census(year) for year in (2024, 2025)},
            "ssda903": return_tables(2025),
            "volumes": _volume_rows(),
            "json": json.loads(out.getvalue()),
        }
        transaction.set_rollback(True)
    return found


def _sql(county, query: str, **frames):
    """One row of a DuckDB query over the raw tables (and any frames given)."""
    db = duckdb.connect()
    for name, frame in {**county["raw"], **frames}.items():
        db.register(name, frame.to_arrow())
    return db.execute(query).fetchone()


def _pair(figure) -> tuple:
    return figure.numerator, figure.denominator


S0, E0 = "DATE '2024-04-01'", "DATE '2025-03-31'"
IN_YEAR = f"BETWEEN {S0} AND {E0}"


# ----- independent SQL over the same rows ----------------------------------------------------

COUNTS = independent.counts(YEAR.start, YEAR_END)
LOOKED_AFTER = independent.looked_after(YEAR_END)
SHARES = independent.shares(YEAR.start, YEAR_END)
RATES = independent.RATES
DUTIES = independent.DUTIES
EVERY = independent.every_indicator(YEAR.start, YEAR_END)


@pytest.mark.parametrize("indicator", sorted(COUNTS))
def test_counts_equal_sql_over_the_same_rows(county, indicator):
    (expected,) = _sql(county, COUNTS[indicator])
    figure = county["year"][indicator]
    assert (figure.numerator, figure.value) == (expected, expected)
    assert len(figure.numerator_ids) > 0 or expected == 0


def test_children_looked_after_equal_sql(county):
    (expected,) = _sql(county, f"SELECT count(DISTINCT child_id) FROM ({LOOKED_AFTER})")
    assert county["year"]["cla"].numerator == expected > 0


@pytest.mark.parametrize("indicator", sorted(SHARES))
def test_shares_equal_sql_over_the_same_rows(county, indicator):
    expected = _sql(county, SHARES[indicator])
    figure = county["year"][indicator]
    assert _pair(figure) == tuple(expected), indicator
    numerator, denominator = expected
    if figure.denominator and indicator.endswith("_pct"):
        assert figure.value == round(100 * numerator / denominator, 1)


@pytest.mark.parametrize("indicator", sorted(RATES))
def test_rates_per_10k_use_the_mid_year_estimate_before_31_march(county, indicator):
    (population,) = _sql(county, "SELECT children_0_17 FROM population WHERE year = 2024")
    figure = county["year"][indicator]
    count = county["year"][RATES[indicator]].numerator
    assert (figure.numerator, figure.denominator) == (count, population)
    assert figure.value == round(10_000 * count / population, 1)


def _duties(county) -> pl.DataFrame:
    return county["duties"].with_columns(pl.col("rule", "status", "failure").cast(pl.String))


@pytest.mark.parametrize("indicator", sorted(DUTIES))
def test_timeliness_equals_sql_over_the_duties(county, indicator):
    query = independent.timeliness(DUTIES[indicator], YEAR.start, YEAR_END)
    expected = _sql(county, query, duties=_duties(county))
    assert _pair(county["year"][indicator]) == tuple(expected)
    assert expected[1] > 0 or indicator == "missing_rhi_within_72h_pct"


def test_first_core_groups_and_children_seen_in_time_equal_sql_over_the_duties(county):
    first = _sql(
        county, independent.first_core_groups(YEAR.start, YEAR_END), duties=_duties(county)
    )
    assert _pair(county["year"]["first_core_group_within_10wd_pct"]) == tuple(first)
    children = _sql(
        county, independent.children_seen_in_time(YEAR.start, YEAR_END), duties=_duties(county)
    )
    assert _pair(county["year"]["cp_children_seen_in_time_pct"]) == tuple(children)


@pytest.mark.parametrize("indicator", REQUIRED)
def test_every_indicator_equals_its_sql_over_the_same_rows(county, indicator):
    """The whole set tools/time_indicators.py times Harbour against: rates with their
    mid-year estimate, care leavers from their contacts, and all the rest."""
    expected = _sql(county, EVERY[indicator], duties=_duties(county))
    assert _pair(county["year"][indicator]) == tuple(expected)


def test_the_duties_the_indicators_count_are_the_engines_own(county):
    """The indicators work out the duties of their own rules only, from the tables those need
    (inputs.RULE_TABLES), and not who holds them: otherwise the same rows as every rule's
    duties from every table."""
    rules = list(duty_rules())
    everything = (
        county["every_duty"]
        .filter(pl.col("rule").cast(pl.String).is_in(rules))
        .drop("worker_id", "team_id")
    )
    assert set(county["duties"]["rule"].cast(pl.String).unique()) <= set(rules)
    assert_frame_equal(county["duties"], everything, check_row_order=False)


def test_assessments_split_by_kind_add_up(county):
    figure = county["year"]["assessments_within_timescale_pct"]
    kinds = {split.key: split for split in figure.breakdown}
    assert set(kinds) == {"single", "initial", "core"}
    assert sum(s.numerator for s in kinds.values()) == figure.numerator
    assert sum(s.denominator for s in kinds.values()) == figure.denominator
    assert kinds["single"].denominator == figure.denominator  # all single since 2013


# ----- as the Department counts them, from Harbour's own returns ------------------------------


def _census_rows(root: ET.Element) -> dict[str, pl.DataFrame]:
    episodes, plans, enquiries, assessments = [], [], [], []

    def day(element, tag):
        text = element.findtext(tag)
        return date.fromisoformat(text) if text else None

    for child in root.find("Children"):
        ref = child.find("ChildIdentifiers").findtext("LAchildID")
        for episode in child.findall("CINdetails"):
            episodes.append(
                (
                    ref,
                    day(episode, "CINreferralDate"),
                    day(episode, "CINclosureDate"),
                    episode.findtext("ReferralNFA") == "1",
                )
            )
            for plan in episode.findall("ChildProtectionPlans"):
                plans.append(
                    (
                        ref,
                        day(plan, "CPPstartDate"),
                        day(plan, "CPPendDate"),
                        int(plan.findtext("NumberOfPreviousCPP")),
                    )
                )
            for s47 in episode.findall("Section47"):
                enquiries.append((ref, day(s47, "S47ActualStartDate")))
            for assessment in episode.findall("Assessments"):
                assessments.append((ref, day(assessment, "AssessmentAuthorisationDate")))
    return {
        "episodes": pl.DataFrame(
            episodes, schema=["child", "referred", "closed", "nfa"], orient="row"
        ),
        "plans": pl.DataFrame(plans, schema=["child", "starts", "ends", "previous"], orient="row"),
        "enquiries": pl.DataFrame(enquiries, schema=["child", "starts"], orient="row"),
        "assessments": pl.DataFrame(assessments, schema=["child", "authorised"], orient="row"),
    }


CENSUS = {
    "referrals": ("SELECT count(*), NULL FROM episodes WHERE referred {year}"),
    "re_referrals_within_12m_pct": (
        "SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM earlier p WHERE p.child = e.child"
        " AND p.referred < e.referred"
        " AND p.referred >= CAST(e.referred - INTERVAL 12 MONTH AS DATE))), count(*)"
        " FROM episodes e WHERE e.referred {year}"
    ),
    "cin": ("SELECT count(DISTINCT child), NULL FROM episodes WHERE closed IS NULL AND NOT nfa"),
    "cp_plans": "SELECT count(DISTINCT child), NULL FROM plans WHERE ends IS NULL",
    "cp_plans_started": "SELECT count(*), NULL FROM plans WHERE starts {year}",
    "cp_second_or_subsequent_pct": (
        "SELECT count(*) FILTER (WHERE previous >= 1), count(*) FROM plans WHERE starts {year}"
    ),
    "cp_plans_ended_after_2y_pct": (
        "SELECT count(*) FILTER (WHERE ends >= CAST(starts + INTERVAL 2 YEAR AS DATE)), count(*)"
        " FROM plans WHERE ends {year}"
    ),
    "s47_enquiries": "SELECT count(*), NULL FROM enquiries WHERE starts {year}",
    "assessments_completed": "SELECT count(*), NULL FROM assessments WHERE authorised {year}",
    "referrals_nfa_pct": (
        "SELECT count(*) FILTER (WHERE nfa), count(*) FROM episodes WHERE referred {year}"
    ),
    "cp_open_2y_or_more_pct": (
        "SELECT count(DISTINCT child) FILTER (WHERE "
        + E0
        + " >= CAST(starts + INTERVAL 2 YEAR AS DATE)), count(DISTINCT child)"
        " FROM plans WHERE ends IS NULL"
    ),
}


@pytest.mark.parametrize("indicator", sorted(CENSUS))
def test_published_measures_equal_the_departments_method_on_the_cin_census(county, indicator):
    this_year = _census_rows(ET.fromstring(county["census"][2025]))
    last_year = _census_rows(ET.fromstring(county["census"][2024]))
    earlier = pl.concat([this_year["episodes"], last_year["episodes"]]).unique(
        ["child", "referred"]
    )
    db = duckdb.connect()
    for name, frame in {**this_year, "earlier": earlier}.items():
        db.register(name, frame.to_arrow())
    expected = db.execute(CENSUS[indicator].format(year=IN_YEAR)).fetchone()
    figure = county["year"][indicator]
    assert (figure.numerator, figure.denominator) == tuple(expected)


def _ssda903(county) -> dict[str, pl.DataFrame]:
    tables = county["ssda903"]
    from harbour.returns.ssda903.tables import TABLES

    return {
        name: pl.DataFrame(rows, schema=list(TABLES[name]), orient="row")
        for name, rows in tables.items()
        if name in ("header", "episodes", "oc2", "oc3", "social_worker_episodes")
    }


def _dmy(column: str) -> str:
    return f"strptime({column}, '%d/%m/%Y')::DATE"


SSDA903 = {
    "cla": (
        "SELECT count(DISTINCT CHILD), NULL FROM episodes WHERE coalesce(DEC, '') = ''"
        " AND LS NOT IN ('V3', 'V4')"
    ),
    "cla_three_or_more_placements_pct": f"""
        WITH cla AS (SELECT DISTINCT CHILD FROM episodes WHERE coalesce(DEC, '') = ''
                     AND LS NOT IN ('V3', 'V4')),
        numbered AS (
            SELECT e.*, row_number() OVER (PARTITION BY e.CHILD ORDER BY {_dmy("e.DECOM")}) AS n
            FROM episodes e JOIN cla USING (CHILD)
        ), counted AS (
            SELECT CHILD, count(*) FILTER (WHERE n = 1 OR RNE IN ('S', 'P', 'T')) AS placements
            FROM numbered GROUP BY CHILD
        )
        SELECT count(*) FILTER (WHERE placements >= 3), count(*) FROM counted""",
    "care_leavers_eet_pct": """
        SELECT count(*) FILTER (WHERE ACTIV IN ('F1','P1','F2','P2','F4','P4','F5','P5')),
               count(*) FROM leavers""",
    "care_leavers_suitable_accommodation_pct": """
        SELECT count(*) FILTER (WHERE ACCOM LIKE '_1'), count(*) FROM leavers""",
    "care_leavers_in_touch_pct": """
        SELECT count(*) FILTER (WHERE IN_TOUCH = 'YES'), count(*) FROM leavers""",
    # Children, each once: the first start and the last end in the year.
    "cla_started": f"""
        SELECT count(DISTINCT CHILD), NULL FROM episodes WHERE RNE = 'S'
        AND {_dmy("DECOM")} {IN_YEAR} AND LS NOT IN ('V3', 'V4')""",
    "cla_ceased": """
        SELECT count(DISTINCT CHILD), NULL FROM episodes WHERE coalesce(DEC, '') <> ''
        AND REC <> 'X1' AND LS NOT IN ('V3', 'V4')""",
    "cla_three_or_more_social_workers_pct": """
        WITH cla AS (SELECT DISTINCT CHILD FROM episodes WHERE coalesce(DEC, '') = ''
                     AND LS NOT IN ('V3', 'V4')),
        workers AS (SELECT CHILD, count(DISTINCT SW_ID) AS n FROM social_worker_episodes
                    GROUP BY CHILD)
        SELECT count(*) FILTER (WHERE coalesce(n, 0) >= 3), count(*)
        FROM cla LEFT JOIN workers USING (CHILD)""",
    "cla_immunisations_pct": """
        SELECT count(*) FILTER (WHERE IMMUNISATIONS = '1'), count(*) FROM oc2""",
    "cla_dental_checks_pct": """
        SELECT count(*) FILTER (WHERE TEETH_CHECK = '1'), count(*) FROM oc2""",
    "care_leavers_eet_17_18_pct": """
        SELECT count(*) FILTER (WHERE ACTIV IN ('F1','P1','F2','P2','F4','P4','F5','P5')),
               count(*) FROM leavers_17_18""",
    "care_leavers_suitable_accommodation_17_18_pct": """
        SELECT count(*) FILTER (WHERE ACCOM LIKE '_1'), count(*) FROM leavers_17_18""",
}

# No synthetic care leaver is one at 17 or 18 to the return: each leaves care on their 18th
# birthday (see care_leavers_eet_17_18_pct's notes), so these are 0 of 0 on both sides.
EMPTY_IN_THE_COUNTY = (
    "care_leavers_eet_17_18_pct",
    "care_leavers_suitable_accommodation_17_18_pct",
)


@pytest.mark.parametrize("indicator", sorted(SSDA903))
def test_published_measures_equal_the_departments_method_on_the_ssda903(county, indicator):
    tables = _ssda903(county)
    db = duckdb.connect()
    for name, frame in tables.items():
        db.register(name, frame.to_arrow())
    # Care leavers aged 19 to 21: their 19th, 20th or 21st birthday in the year.
    db.execute(
        f"""CREATE VIEW leavers AS SELECT * FROM oc3 WHERE EXISTS (
        SELECT 1 FROM (VALUES (19), (20), (21)) ages(age)
        WHERE CAST({_dmy("DOB")} + to_years(age) AS DATE) {IN_YEAR})"""
    )
    db.execute(
        f"""CREATE VIEW leavers_17_18 AS SELECT * FROM oc3 WHERE EXISTS (
        SELECT 1 FROM (VALUES (17), (18)) ages(age)
        WHERE CAST({_dmy("DOB")} + to_years(age) AS DATE) {IN_YEAR})"""
    )
    expected = db.execute(SSDA903[indicator]).fetchone()
    # The return is made now, knowing what was recorded after 31 March (as the Department's is).
    figure = county["year_at_end"][indicator]
    assert (figure.numerator, figure.denominator) == tuple(expected)
    assert expected[0] > 0 or indicator in EMPTY_IN_THE_COUNTY


def test_the_census_imported_into_an_empty_database_gives_the_same_figures(county, tmp_path):
    """A council that loads its returns sees the figures its casework gave."""
    paths = []
    for year in (2024, 2025):
        paths.append(tmp_path / f"cin-{year}.xml")
        paths[-1].write_bytes(county["census"][year])
    import_paths(paths)
    imported = {f.id: f for f in compute(YEAR_END, "year", inputs=Inputs(YEAR_END, read()))}
    for indicator in [*CENSUS, "s47_leading_to_icpc_pct"]:
        typed = county["year"][indicator]
        assert (imported[indicator].numerator, imported[indicator].denominator) == (
            typed.numerator,
            typed.denominator,
        ), indicator


# ----- the generator's own counts ------------------------------------------------------------


def test_figures_equal_the_generators_own_counts(county):
    counts = measure(county["volumes"], YEAR_END, 10_000)  # per 10,000 of 10,000: plain counts
    year = county["year"]
    assert round(counts["contacts_per_10k"]) == year["contacts"].numerator
    assert round(counts["referrals_per_10k"]) == year["referrals"].numerator
    assert round(counts["s47_per_10k"]) == year["s47_enquiries"].numerator
    assert round(counts["cp_plans_started_per_10k"]) == year["cp_plans_started"].numerator
    assert round(counts["cla_per_10k"]) == year["cla"].numerator
    rereferrals = year["re_referrals_within_12m_pct"]
    assert counts["re_referral_share"] == pytest.approx(
        rereferrals.numerator / rereferrals.denominator
    )
    placements = year["cla_three_or_more_placements_pct"]
    assert counts["cla_three_or_more_placements"] == pytest.approx(
        placements.numerator / placements.denominator
    )


def test_late_duties_are_exactly_the_failures_the_generator_injected(county):
    """Over the whole history to the county's last day, what each timeliness indicator counts
    as late is what the truth file lists."""
    injected = Counter(entry["failure"] for entry in county["truth"])
    everything = county["everything"]

    def late(indicator):
        return everything[indicator].denominator - everything[indicator].numerator

    assert late("contact_decisions_within_1wd_pct") == injected["late_contact_decision"] > 0
    assert late("icpc_within_15wd_pct") == injected["late_icpc"] > 0
    assert late("first_core_group_within_10wd_pct") == injected["late_first_core_group"] > 0
    assert late("assessments_within_timescale_pct") == injected["assessment_over_timescale"] > 0
    children_missed = {e["child"] for e in county["truth"] if e["failure"] == "missed_cp_visit"}
    assert late("cp_children_seen_in_time_pct") == len(children_missed) > 0
    for untouched in ("cp_reviews_in_time_pct", "cla_reviews_in_time_pct", "cla_peps_in_time_pct"):
        assert late(untouched) == 0, untouched  # the generator injects none of these


# ----- the trend -------------------------------------------------------------------------------


def test_the_trend_gives_each_period_what_computing_on_its_last_day_gives(county):
    """The trend is worked out once, as of the county's last day; a month's value in it is
    the month's figure as computed on that month's last day (care leavers aside: a contact
    recorded after the month may be the one nearest a birthday in it)."""
    month, then = county["month"], county["month_then"]
    for indicator, points in county["trend"].items():
        assert len(points.monthly) == 12 and len(points.yearly) == 5
        (point,) = [p for p in points.monthly if p.period.end == month.end]
        if indicator.startswith("care_leavers"):
            continue
        assert (point.numerator, point.denominator, point.value) == (
            then[indicator].numerator,
            then[indicator].denominator,
            then[indicator].value,
        ), indicator
    yearly = {i: t.yearly[-1] for i, t in county["trend"].items()}
    assert yearly["referrals"].period == YEAR
    for indicator, figure in county["year"].items():
        if indicator.startswith("care_leavers"):
            continue
        assert _pair(yearly[indicator]) == _pair(figure), indicator


# ----- the command ------------------------------------------------------------------------------


def test_the_command_prints_every_indicator_with_its_comparators(county):
    printed = county["json"]
    assert [row["id"] for row in printed] == [d.id for d in definitions()]
    for row in printed:
        assert {"id", "period", "value", "numerator", "denominator", "comparators"} <= set(row)
        assert isinstance(row["comparators"], dict)
        assert len(row["comparators"]["trend"]["monthly"]) == 12
        assert "published" in row["comparators"]  # None until the published figures are loaded
        assert len(row["comparators"]["trend"]["yearly"]) == 5
        assert row["comparators"]["trend"]["yearly"][-1]["period"]["end"] == "2025-03-31"
        figure = county["year"][row["id"]]
        assert (row["value"], row["numerator"], row["denominator"]) == (
            figure.value,
            figure.numerator,
            figure.denominator,
        )
    by_id = {row["id"]: row for row in printed}
    assert by_id["referrals"]["period"] == {
        "kind": "collection_year",
        "start": "2024-04-01",
        "end": "2025-03-31",
    }
    assert by_id["cla"]["period"] == {"kind": "snapshot", "start": YEAR_END.isoformat()} | {
        "end": YEAR_END.isoformat()
    }
    decisions = by_id["contact_decisions_within_1wd_pct"]
    target = decisions["comparators"]["local_target"]
    assert target["value"] == 95 and target["met"] == (decisions["value"] >= 95)
    assert by_id["contacts"]["comparators"]["local_target"] is None
    assert [s["key"] for s in by_id["assessments_within_timescale_pct"]["breakdown"]] == [
        "single",
        "initial",
        "core",
    ]


def test_the_command_prints_csv_too(county):
    figures = list(county["year"].values())
    lines = as_csv(rows(figures, county["trend"])).splitlines()
    assert lines[0].startswith("id,title,unit,polarity,period_kind,period_start,period_end,value")
    assert len(lines) == 1 + len(definitions())
    assert lines[3].startswith("referrals,Referrals,count,neutral,collection_year,2024-04-01,")


def test_the_figures_name_the_children_behind_them(county):
    cin = county["year"]["cin"]
    assert len(cin.numerator_ids) == cin.numerator  # one open episode a child
    rereferrals = county["year"]["re_referrals_within_12m_pct"]
    assert set(rereferrals.numerator_ids) <= set(rereferrals.denominator_ids)
    supervision = county["year"]["supervision_in_time_pct"]
    staff = set(county["raw"]["staff"]["id"])
    assert set(supervision.denominator_ids) <= staff


def test_the_month_ending_a_day_before_the_county_ends(county):
    assert county["month"] == Period(date(2025, 3, 21), date(2025, 4, 20), "month")
