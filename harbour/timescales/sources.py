"""Reading the journey records the rules need, as columnar tables (Polars DataFrames).

Two ways in, the same tables out: straight from the database server through connectorx (or,
for a SQLite file, connectorx in a process of its own), fast, for commands and pages; or
through Django's own connection when the data sits in an open transaction that another
connection cannot see (tests, imports). Everything
after this module is pure functions of these tables, so records imported from statutory
returns are judged exactly as records typed into Harbour.
"""

import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import polars as pl
from django.db import connections

LONDON = "Europe/London"
D, DT, N, S, B = pl.Date, pl.Datetime("us", "UTC"), pl.Int64, pl.String, pl.Boolean

VISIT_KINDS = {"child_protection": 1, "child_in_need": 2, "looked_after": 3, "private_fostering": 4}

# name: (SQL, column types). Only the columns the rules read.
QUERIES: dict[str, tuple[str, dict]] = {
    # Birth dates only where a rule needs them: children on plans, in care or visited.
    "children": (
        "SELECT id, date_of_birth FROM people_child WHERE id IN ("
        "SELECT child_id FROM journey_childprotectionplan UNION "
        "SELECT child_id FROM care_periodofcare) AND {filter}",
        {"id": N, "date_of_birth": D},
    ),
    "casework_from": (
        "SELECT id AS child_id, casework_from FROM people_child "
        "WHERE casework_from IS NOT NULL AND {filter}",
        {"child_id": N, "casework_from": D},
    ),
    "contacts": (
        "SELECT id, child_id, received_at, decision, decision_at FROM journey_contact "
        "WHERE {filter}",
        {"id": N, "child_id": N, "received_at": DT, "decision": S, "decision_at": DT},
    ),
    "referrals": (
        "SELECT id, child_id, received_on, closed_on, no_further_action, known_from "
        "FROM journey_referral WHERE {filter}",
        {
            "id": N,
            "child_id": N,
            "received_on": D,
            "closed_on": D,
            "no_further_action": B,
            "known_from": D,
        },
    ),
    "assessments": (
        "SELECT id, child_id, referral_id, kind, started_on, authorised_on, worker_id, "
        "authorised_by_id FROM journey_assessment WHERE {filter}",
        {
            "id": N,
            "child_id": N,
            "referral_id": N,
            "kind": S,
            "started_on": D,
            "authorised_on": D,
            "worker_id": N,
            "authorised_by_id": N,
        },
    ),
    "strategy_discussions": (
        "SELECT id, child_id, concern_identified_on, held_on FROM journey_strategydiscussion "
        "WHERE {filter}",
        {"id": N, "child_id": N, "concern_identified_on": D, "held_on": D},
    ),
    "section_47_enquiries": (
        "SELECT e.id, e.child_id, d.held_on AS strategy_on, e.completed_on, e.outcome, "
        "e.lead_worker_id FROM journey_section47enquiry e "
        "JOIN journey_strategydiscussion d ON d.id = e.strategy_discussion_id WHERE {filter}",
        {
            "id": N,
            "child_id": N,
            "strategy_on": D,
            "completed_on": D,
            "outcome": S,
            "lead_worker_id": N,
        },
    ),
    "conferences": (
        "SELECT id, child_id, kind, section_47_enquiry_id, plan_id, held_on, "
        "reports_shared_with_parents_on FROM journey_conference WHERE {filter}",
        {
            "id": N,
            "child_id": N,
            "kind": S,
            "section_47_enquiry_id": N,
            "plan_id": N,
            "held_on": D,
            "reports_shared_with_parents_on": D,
        },
    ),
    "cp_plans": (
        "SELECT id, child_id, starts_on, ends_on, "
        "CASE WHEN TRIM(contingency) = '' THEN 1 ELSE 0 END AS no_contingency "
        "FROM journey_childprotectionplan WHERE {filter}",
        {"id": N, "child_id": N, "starts_on": D, "ends_on": D, "no_contingency": B},
    ),
    "core_groups": (
        "SELECT id, plan_id, held_on FROM journey_coregroupmeeting WHERE {filter}",
        {"id": N, "plan_id": N, "held_on": D},
    ),
    "visits": (
        # The kind as a small number: half a million short strings are the slowest thing to read.
        "SELECT id, child_id, CASE kind "
        + " ".join(f"WHEN '{kind}' THEN {code}" for kind, code in VISIT_KINDS.items())
        + " ELSE 0 END AS kind, visited_on, child_seen, seen_alone, "
        "CASE WHEN TRIM(not_seen_alone_reason) = '' THEN 0 ELSE 1 END AS has_reason "
        "FROM journey_visit WHERE {filter}",
        {
            "id": N,
            "child_id": N,
            "kind": pl.Int8,
            "visited_on": D,
            "child_seen": B,
            "seen_alone": B,
            "has_reason": B,
        },
    ),
    "cin_plans": (
        "SELECT id, child_id, starts_on, ends_on FROM journey_childinneedplan WHERE {filter}",
        {"id": N, "child_id": N, "starts_on": D, "ends_on": D},
    ),
    "cin_reviews": (
        "SELECT id, plan_id, held_on FROM journey_childinneedplanreview WHERE {filter}",
        {"id": N, "plan_id": N, "held_on": D},
    ),
    "periods": (
        "SELECT id, child_id, starts_on, ends_on FROM care_periodofcare WHERE {filter}",
        {"id": N, "child_id": N, "starts_on": D, "ends_on": D},
    ),
    "placements": (
        "SELECT id, child_id, period_id, placement_type, starts_on, ends_on FROM care_placement "
        "WHERE {filter}",
        {"id": N, "child_id": N, "period_id": N, "placement_type": S, "starts_on": D, "ends_on": D},
    ),
    "looked_after_reviews": (
        "SELECT id, period_id, held_on FROM care_lookedafterreview WHERE {filter}",
        {"id": N, "period_id": N, "held_on": D},
    ),
    "health_assessments": (
        "SELECT id, period_id, done_on FROM care_healthassessment WHERE {filter}",
        {"id": N, "period_id": N, "done_on": D},
    ),
    "education_plans": (
        "SELECT id, period_id, held_on FROM care_personaleducationplan WHERE {filter}",
        {"id": N, "period_id": N, "held_on": D},
    ),
    "missing_episodes": (
        "SELECT id, child_id, ended_at, interview_offered_at, interview_held_at, "
        "interview_declined FROM journey_missingepisode WHERE {filter}",
        {
            "id": N,
            "child_id": N,
            "ended_at": DT,
            "interview_offered_at": DT,
            "interview_held_at": DT,
            "interview_declined": B,
        },
    ),
    "private_fostering": (
        "SELECT id, child_id, notified_on, ends_on FROM care_privatefosteringarrangement "
        "WHERE {filter}",
        {"id": N, "child_id": N, "notified_on": D, "ends_on": D},
    ),
    "staff": (
        "SELECT id, team_id, role, forename, surname, qualified, "
        "CASE WHEN registration_number = '' THEN 0 ELSE 1 END AS registered, "
        "starts_on, ends_on, qualified_on, asye_completed_on FROM workforce_staff",
        {
            "id": N,
            "team_id": N,
            "role": S,
            "forename": S,
            "surname": S,
            "qualified": B,
            "registered": B,
            "starts_on": D,
            "ends_on": D,
            "qualified_on": D,
            "asye_completed_on": D,
        },
    ),
    "teams": (
        "SELECT id, name FROM workforce_team",
        {"id": N, "name": S},
    ),
    "supervisions": (
        "SELECT id, worker_id, held_on FROM workforce_supervision WHERE {filter}",
        {"id": N, "worker_id": N, "held_on": D},
    ),
    "allocations": (
        "SELECT child_id, worker_id, team_id, starts_on, ends_on FROM workforce_allocation "
        "WHERE {filter}",
        {"child_id": N, "worker_id": N, "team_id": N, "starts_on": D, "ends_on": D},
    ),
    "significant_events": (
        "SELECT child_id, MAX(occurred_on) AS occurred_on FROM journey_chronologyentry "
        "WHERE significant = %(true)s AND {filter} GROUP BY child_id",
        {"child_id": N, "occurred_on": D},
    ),
    "case_summaries": (
        "SELECT id, child_id, updated_at FROM journey_casesummary WHERE {filter}",
        {"id": N, "child_id": N, "updated_at": DT},
    ),
    "case_audits": (
        "SELECT id, child_id, audited_on, moderated_on FROM oversight_caseaudit WHERE {filter}",
        {"id": N, "child_id": N, "audited_on": D, "moderated_on": D},
    ),
    "audit_actions": (
        "SELECT a.id, c.child_id, c.audited_on, a.due_on, a.completed_on "
        "FROM oversight_auditaction a JOIN oversight_caseaudit c ON c.id = a.audit_id "
        "WHERE {filter}",
        {"id": N, "child_id": N, "audited_on": D, "due_on": D, "completed_on": D},
    ),
    "terms": (
        "SELECT starts_on, ends_on FROM authority_schoolterm",
        {"starts_on": D, "ends_on": D},
    ),
    "policy": (
        "SELECT name, applies_from, value FROM authority_policysetting",
        {"name": S, "applies_from": D, "value": S},
    ),
}


_PLANS = "plan_id IN (SELECT id FROM journey_childprotectionplan WHERE child_id IN ({ids}))"
_CIN_PLANS = "plan_id IN (SELECT id FROM journey_childinneedplan WHERE child_id IN ({ids}))"
_PERIODS = "period_id IN (SELECT id FROM care_periodofcare WHERE child_id IN ({ids}))"
# How each table narrows to some children (or, for supervision, some staff) only.
CHILD_FILTERS = {
    "children": "id IN ({ids})",
    "casework_from": "id IN ({ids})",
    "section_47_enquiries": "e.child_id IN ({ids})",
    "core_groups": _PLANS,
    "cin_reviews": _CIN_PLANS,
    "looked_after_reviews": _PERIODS,
    "health_assessments": _PERIODS,
    "education_plans": _PERIODS,
    "audit_actions": "c.child_id IN ({ids})",
}
STAFF_FILTERS = {"supervisions": "worker_id IN ({ids})"}
EVERYONE = ("staff", "teams", "terms", "policy")

LARGEST = ("visits", "contacts", "allocations", "supervisions", "significant_events")


def references(child_ids, using: str = "default") -> dict[int, str]:
    """Children's references for the ids given (for output: the rules work on ids)."""
    ids = sorted({int(i) for i in child_ids if i is not None})
    found: dict[int, str] = {}
    with connections[using].cursor() as cursor:
        for start in range(0, len(ids), 5_000):
            chunk = ids[start : start + 5_000]
            cursor.execute(
                f"SELECT id, reference FROM people_child WHERE id IN ({', '.join(map(str, chunk))})"
            )
            found.update(cursor.fetchall())
    return found


def _ids(values) -> str:
    return ", ".join(str(int(v)) for v in values) or "NULL"


# For some children only, the children needing a birth date are looked for among their own
# plans and periods of care (the county-wide query reads both tables whole).
PAGE_QUERIES = {
    "children": (
        "SELECT id, date_of_birth FROM people_child WHERE id IN ("
        "SELECT child_id FROM journey_childprotectionplan WHERE child_id IN ({ids}) UNION "
        "SELECT child_id FROM care_periodofcare WHERE child_id IN ({ids}))",
    ),
    # For some staff only: they and their teams' managers (who hold their supervision).
    "staff": (
        QUERIES["staff"][0] + " WHERE id IN ({ids}) OR (role = 'team_manager' AND team_id IN "
        "(SELECT team_id FROM workforce_staff WHERE id IN ({ids})))",
    ),
}


def _sql(name: str, vendor: str, children=None, staff=None, queries=None) -> str:
    """The table's query, for everyone or narrowed to the children and staff given."""
    queries = queries or QUERIES
    if queries[name][0] == QUERIES.get(name, ("",))[0] and name in PAGE_QUERIES:
        narrow = {"children": children, "staff": staff}[name]
        if narrow is not None:
            return PAGE_QUERIES[name][0].format(ids=_ids(narrow))
    sql = queries[name][0].replace("%(true)s", "1" if vendor == "sqlite" else "TRUE")
    condition = "1 = 1"
    if name in STAFF_FILTERS:
        if staff is not None:
            condition = STAFF_FILTERS[name].format(ids=_ids(staff))
        elif children is not None:
            condition = "1 = 0"
    elif children is not None and name not in EVERYONE:
        condition = CHILD_FILTERS.get(name, "child_id IN ({ids})").format(ids=_ids(children))
    return sql.replace("{filter}", condition)


def _normalise(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """The same column types whichever way the rows came in."""
    columns = []
    for column, dtype in schema.items():
        series = frame[column]
        if dtype == DT:
            if series.dtype == pl.String:
                series = series.str.to_datetime(time_zone="UTC")
            elif series.dtype == pl.Object or series.dtype == pl.Null:
                series = series.cast(DT)
            elif getattr(series.dtype, "time_zone", None) is None:
                series = series.dt.replace_time_zone("UTC")
            series = series.dt.convert_time_zone("UTC")
        elif dtype == D and series.dtype == pl.String:
            series = series.str.to_date()
        columns.append(series.cast(dtype).alias(column))
    return pl.DataFrame(columns)


def _uri(settings: dict) -> str:
    engine = settings["ENGINE"]
    if engine.endswith("sqlite3"):
        return f"sqlite://{settings['NAME']}"
    user = quote(settings.get("USER") or "")
    password = quote(settings.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgresql://{auth}{settings.get('HOST') or 'localhost'}{port}/{settings['NAME']}"


def _can_read_directly(connection) -> bool:
    """connectorx opens its own connection: it sees only committed rows in a real file."""
    if connection.in_atomic_block:
        return False
    if connection.vendor == "sqlite":
        return not connection.is_in_memory_db()
    return connection.vendor == "postgresql"


def _read_sqlite_elsewhere(path: str, sqls: dict[str, str]) -> dict[str, pl.DataFrame]:
    """connectorx in a process of its own: see sqlite_reader for why."""
    scratch = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=scratch, prefix="harbour-") as folder:
        subprocess.run(
            [sys.executable, "-m", "harbour.timescales.sqlite_reader", path, folder],
            input=json.dumps(sqls),
            text=True,
            check=True,
            capture_output=True,
        )
        return {name: pl.read_ipc(f"{folder}/{name}.arrow") for name in sqls}


def read_tables(
    names=None,
    using: str = "default",
    children=None,
    staff=None,
    queries=None,
    small=False,
    fingerprint=None,
):
    """The tables the rules read, as Polars frames: for the whole county, or only for the
    children (ids) and staff (ids) given. `queries` adds other readers' tables to QUERIES
    (name: (SQL, column types), read the same way, all at once). `small`: a few thousand rows,
    read through Django's own connection (starting connectorx would cost more than it saves).
    `fingerprint`: a hashlib object given every row read through Django's connection (and
    nothing, where the rows were read another way), so that a reader can tell whether the
    rows are the ones it saw before."""
    connection = connections[using]
    queries = {**QUERIES, **(queries or {})}
    names = list(names or QUERIES)
    direct = _can_read_directly(connection) and not small
    if direct and connection.vendor == "sqlite":
        sqls = {name: _sql(name, "sqlite", children, staff, queries) for name in names}
        frames = _read_sqlite_elsewhere(connection.settings_dict["NAME"], sqls)
        return {name: _normalise(frames[name], queries[name][1]) for name in names}
    if direct:
        import connectorx

        uri = _uri(connection.settings_dict)

        def read(name):
            sql = _sql(name, connection.vendor, children, staff, queries)
            # For PostgreSQL the cursor protocol measured faster here than binary COPY.
            options = {"protocol": "cursor"} if connection.vendor == "postgresql" else {}
            frame = connectorx.read_sql(uri, sql, return_type="polars", **options)
            return _normalise(frame, queries[name][1])

        # Several readers at once, the largest tables first: connectorx works outside Python's
        # lock, and each query waits on the database as much as on decoding.
        ordered = sorted(names, key=lambda name: name not in LARGEST)
        with ThreadPoolExecutor(max_workers=4) as pool:
            frames = dict(zip(ordered, pool.map(read, ordered), strict=True))
        return {name: frames[name] for name in names}
    rows = read_rows(names, using, children, staff, queries)
    if fingerprint is not None:
        fingerprint.update(repr(rows).encode())
    return frames_from_rows(rows, queries)


def read_rows(names=None, using: str = "default", children=None, staff=None, queries=None):
    """The tables' rows (name: list of tuples) through Django's own connection."""
    connection = connections[using]
    queries = {**QUERIES, **(queries or {})}
    found = {}
    with connection.cursor() as cursor:
        for name in list(names or QUERIES):
            cursor.execute(_sql(name, connection.vendor, children, staff, queries))
            found[name] = cursor.fetchall()
    return found


def frames_from_rows(rows: dict, queries=None) -> dict[str, pl.DataFrame]:
    """read_rows' rows as the rules' frames."""
    queries = {**QUERIES, **(queries or {})}
    frames = {}
    for name, found in rows.items():
        schema = queries[name][1]
        raw = pl.DataFrame(found, schema=list(schema), orient="row", infer_schema_length=None)
        frames[name] = _normalise(raw, schema)
    return frames
