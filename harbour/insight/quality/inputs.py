"""What the report reads: its own tables, with the rules' staff and teams, through
`harbour.timescales.sources.read_tables`.

Each query reads only the children the report could be about (`scope.children_in_report` then
picks exactly), and visits and contacts, the largest tables, only the rows a check could report
(dated after today, or the child seen before birth): a page reads hundreds of rows, not a county.
"""

from datetime import date

import polars as pl
from django.db import connections

from harbour.insight.quality.scope import since
from harbour.timescales.sources import read_tables

D, DT, N, S, B = pl.Date, pl.Datetime("us", "UTC"), pl.Int64, pl.String, pl.Boolean

TABLES: dict[str, tuple[str, dict]] = {
    "quality_children": (
        "SELECT c.id, c.reference, c.forename, c.surname, c.date_of_birth, "
        "c.expected_date_of_birth, c.sex, c.gender_identity, c.ethnicity, c.religion, "
        "c.first_language, c.upn, c.upn_unknown, c.nhs_number, c.date_of_death, "
        "CASE WHEN EXISTS (SELECT 1 FROM people_disability d WHERE d.child_id = c.id) "
        "THEN 1 ELSE 0 END AS disability_recorded FROM people_child c WHERE c.id IN ({children})",
        {
            "id": N,
            "reference": S,
            "forename": S,
            "surname": S,
            "date_of_birth": D,
            "expected_date_of_birth": D,
            "sex": S,
            "gender_identity": S,
            "ethnicity": S,
            "religion": S,
            "first_language": S,
            "upn": S,
            "upn_unknown": S,
            "nhs_number": S,
            "date_of_death": D,
            "disability_recorded": B,
        },
    ),
    "quality_referrals": (
        "SELECT id, child_id, received_on, closed_on, no_further_action, primary_need, "
        "closure_reason FROM journey_referral "
        "WHERE child_id IN ({children})",
        {
            "id": N,
            "child_id": N,
            "received_on": D,
            "closed_on": D,
            "no_further_action": B,
            "primary_need": S,
            "closure_reason": S,
        },
    ),
    "quality_assessments": (
        "SELECT id, child_id, referral_id, started_on, completed_on, authorised_on, "
        "child_seen_on FROM journey_assessment "
        "WHERE child_id IN ({children})",
        {
            "id": N,
            "child_id": N,
            "referral_id": N,
            "started_on": D,
            "completed_on": D,
            "authorised_on": D,
            "child_seen_on": D,
        },
    ),
    "quality_strategy_discussions": (
        "SELECT id, child_id, referral_id, held_on FROM journey_strategydiscussion "
        "WHERE child_id IN ({children})",
        {"id": N, "child_id": N, "referral_id": N, "held_on": D},
    ),
    "quality_enquiries": (
        "SELECT id, child_id, strategy_discussion_id, started_on, completed_on "
        "FROM journey_section47enquiry "
        "WHERE child_id IN ({children})",
        {
            "id": N,
            "child_id": N,
            "strategy_discussion_id": N,
            "started_on": D,
            "completed_on": D,
        },
    ),
    "quality_conferences": (
        "SELECT id, child_id, kind, section_47_enquiry_id, held_on FROM journey_conference "
        "WHERE child_id IN ({children})",
        {"id": N, "child_id": N, "kind": S, "section_47_enquiry_id": N, "held_on": D},
    ),
    "quality_cp_plans": (
        "SELECT id, child_id, referral_id, initial_conference_id, starts_on, ends_on, "
        "initial_category, latest_category FROM journey_childprotectionplan "
        "WHERE child_id IN ({children})",
        {
            "id": N,
            "child_id": N,
            "referral_id": N,
            "initial_conference_id": N,
            "starts_on": D,
            "ends_on": D,
            "initial_category": S,
            "latest_category": S,
        },
    ),
    "quality_cin_plans": (
        "SELECT id, child_id, referral_id, starts_on, ends_on FROM journey_childinneedplan "
        "WHERE child_id IN ({children})",
        {"id": N, "child_id": N, "referral_id": N, "starts_on": D, "ends_on": D},
    ),
    "quality_periods": (
        "SELECT id, child_id, starts_on, ends_on, category_of_need, reason_ceased "
        "FROM care_periodofcare "
        "WHERE child_id IN ({children})",
        {
            "id": N,
            "child_id": N,
            "starts_on": D,
            "ends_on": D,
            "category_of_need": S,
            "reason_ceased": S,
        },
    ),
    "quality_placements": (
        "SELECT id, child_id, period_id, starts_on, ends_on FROM care_placement "
        "WHERE child_id IN ({children})",
        {"id": N, "child_id": N, "period_id": N, "starts_on": D, "ends_on": D},
    ),
    "quality_allocations": (
        "SELECT id, child_id, worker_id, team_id, starts_on, ends_on FROM workforce_allocation "
        "WHERE child_id IN ({children})",
        {"id": N, "child_id": N, "worker_id": N, "team_id": N, "starts_on": D, "ends_on": D},
    ),
}


# Children with something open since a day (an episode, plan, period of care or allocation):
# scope.children_in_report's rule in SQL, to read no other child's rows.
SCOPE = " UNION ".join(
    f"SELECT child_id FROM {table} WHERE {end} IS NULL OR {end} >= %s"
    for table, end in (
        ("journey_referral", "closed_on"),
        ("journey_childinneedplan", "ends_on"),
        ("journey_childprotectionplan", "ends_on"),
        ("care_periodofcare", "ends_on"),
        ("workforce_allocation", "ends_on"),
    )
)


def children(today: date, using: str = "default") -> list[int]:
    """The children the report could be about as of `today`."""
    with connections[using].cursor() as cursor:
        cursor.execute(SCOPE, [since(today)] * 5)
        return sorted(row[0] for row in cursor.fetchall())


def queries(today: date, children: list[int]) -> dict[str, tuple[str, dict]]:
    """The report's tables as of `today`, for the children given."""
    day = today.isoformat()  # the SQL holds only a date's ISO form and integers
    ids = ", ".join(str(int(i)) for i in children) or "NULL"
    narrowed = {
        name: (sql.replace("{children}", ids), types) for name, (sql, types) in TABLES.items()
    }
    return narrowed | {
        "quality_visits": (
            "SELECT v.id, v.child_id, v.visited_on, v.child_seen FROM journey_visit v "
            "JOIN people_child c ON c.id = v.child_id "
            f"WHERE v.visited_on > '{day}' OR (v.child_id IN ({ids}) "
            "AND v.child_seen = %(true)s AND (v.visited_on < c.date_of_birth "
            "OR v.visited_on > c.date_of_death))",
            {"id": N, "child_id": N, "visited_on": D, "child_seen": B},
        ),
        # Records of care dated in the future (few or none: only those are read).
        "quality_legal_statuses": (
            f"SELECT id, child_id, starts_on FROM care_legalstatus WHERE starts_on > '{day}'",
            {"id": N, "child_id": N, "starts_on": D},
        ),
        "quality_looked_after_reviews": (
            f"SELECT id, child_id, held_on FROM care_lookedafterreview WHERE held_on > '{day}'",
            {"id": N, "child_id": N, "held_on": D},
        ),
        "quality_health_assessments": (
            f"SELECT id, child_id, done_on FROM care_healthassessment WHERE done_on > '{day}'",
            {"id": N, "child_id": N, "done_on": D},
        ),
        # From the start of the day in UTC: the check itself takes the day in England.
        "quality_contacts": (
            f"SELECT id, child_id, received_at FROM journey_contact WHERE received_at > '{day}'",
            {"id": N, "child_id": N, "received_at": DT},
        ),
    }


def read(today: date, using: str = "default") -> dict[str, pl.DataFrame]:
    tables = queries(today, children(today, using))
    # Some tens of thousands of rows: on SQLite, reading them in this process costs half what
    # starting connectorx's own process does.
    small = connections[using].vendor == "sqlite"
    frames = read_tables(["staff", "teams", *tables], using=using, queries=tables, small=small)
    return {name.removeprefix("quality_"): frame for name, frame in frames.items()}
