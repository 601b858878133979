"""What the indicators read: the timescales engine's tables and duties, and a few tables of
their own, read once; and what every period's figures share, worked out once (which referrals
are re-referrals, each plan's earlier plans, each child's legal status...).

Everything here is a pure function of the tables and duties, so records imported from the
statutory returns are counted exactly as records typed into Harbour.
"""

import json
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from harbour.authority.policy import PolicyBook
from harbour.timescales.engine import Setting, compute_duties
from harbour.timescales.sources import QUERIES, read_tables

D, N, S, B = pl.Date, pl.Int64, pl.String, pl.Boolean
LONDON = "Europe/London"

# The indicators' own tables, read with the rules' ones (sources.read_tables).
TABLES: dict[str, tuple[str, dict]] = {
    "population": (
        "SELECT year, children_0_17 FROM authority_childpopulation",
        {"year": N, "children_0_17": N},
    ),
    "enquiry_starts": (
        "SELECT id, child_id, started_on FROM journey_section47enquiry",
        {"id": N, "child_id": N, "started_on": D},
    ),
    "plan_history": (
        "SELECT id, child_id, starts_on, ends_on, previous_plans_recorded "
        "FROM journey_childprotectionplan",
        {"id": N, "child_id": N, "starts_on": D, "ends_on": D, "previous_plans_recorded": N},
    ),
    "legal_statuses": (
        "SELECT id, period_id, code, starts_on FROM care_legalstatus",
        {"id": N, "period_id": N, "code": S, "starts_on": D},
    ),
    "care_leaver_contacts": (
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
    # What the children looked after return reports of health at 31 March (OC2): each health
    # record's immunisations and dental check.
    "health_records": (
        "SELECT id, child_id, done_on, immunisations_up_to_date, teeth_checked "
        "FROM care_healthassessment",
        {"id": N, "child_id": N, "done_on": D, "immunisations_up_to_date": B, "teeth_checked": B},
    ),
    # Who held a child's case as their social worker, for children ever looked after (the
    # return's social worker episodes).
    "social_worker_allocations": (
        "SELECT child_id, worker_id, starts_on, ends_on FROM workforce_allocation "
        "WHERE kind = 'social_worker' "
        "AND child_id IN (SELECT child_id FROM care_periodofcare)",
        {"child_id": N, "worker_id": N, "starts_on": D, "ends_on": D},
    ),
    # The workforce census's children and family social workers: registered social workers
    # (qualified, with a Social Work England registration), employed or from an agency.
    "social_workers": (
        "SELECT id, agency_worker, starts_on, ends_on FROM workforce_staff "
        "WHERE qualified = %(true)s AND registration_number <> ''",
        {"id": N, "agency_worker": B, "starts_on": D, "ends_on": D},
    ),
    # Of the visits, only child protection visits: the only ones the indicators and the duties
    # they count read (a third of the largest table).
    "visits": (
        QUERIES["visits"][0].replace(
            "WHERE {filter}", "WHERE journey_visit.kind = 'child_protection' AND {filter}"
        ),
        QUERIES["visits"][1],
    ),
}

# The rules' tables (sources.QUERIES) the indicators read: those the duties of the rules they
# count are worked out from (duty_rules) and the placements. The rest (chronologies, audits,
# children in need plans...) only other rules need.
RULE_TABLES = (
    "children",
    "casework_from",
    "contacts",
    "referrals",
    "assessments",
    "section_47_enquiries",
    "conferences",
    "cp_plans",
    "core_groups",
    "visits",
    "periods",
    "placements",
    "looked_after_reviews",
    "health_assessments",
    "education_plans",
    "missing_episodes",
    "staff",
    "supervisions",
    "allocations",
    "terms",
    "policy",
)


def duty_rules() -> tuple[str, ...]:
    """The rules whose duties the indicators count (their definitions' `duties`)."""
    from harbour.insight.indicators.definitions import definitions

    return tuple(dict.fromkeys(rule for d in definitions() for rule in d.duties))


SHORT_BREAKS = ("V3", "V4")
TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
ADOPTIVE = ("A3", "A4", "A5", "A6")
EET = ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5")
CP_VISIT = 1  # sources.VISIT_KINDS["child_protection"]


def _value(stored):
    """A policy setting's value (JSON, which some readers hand back as text)."""
    return json.loads(stored) if isinstance(stored, str) else stored


def read(using: str = "default") -> dict[str, pl.DataFrame]:
    """Every table the duties and the indicators read, in one go."""
    return read_tables(list(dict.fromkeys([*RULE_TABLES, *TABLES])), using=using, queries=TABLES)


KEY = 100_000  # a (child, day) key: the child's id * KEY + the day's number since 1970


def _keys(frame: pl.DataFrame, day: str) -> np.ndarray:
    return (frame["child_id"] * KEY + frame[day].cast(pl.Int64)).to_numpy()


def _midnight(day: date) -> datetime:
    """The moment (in UTC) the day begins in England."""
    return datetime.combine(day, time(0), ZoneInfo(LONDON)).astimezone(UTC)


class Inputs:
    """The tables and duties as of a day, and what the figures of every period share."""

    def __init__(self, as_of: date, tables: dict, duties: pl.DataFrame | None = None):
        self.as_of = as_of
        self.tables = tables
        self._duties = duties
        self._memo: dict = {}

    def memo(self, key, make):
        """What several figures of one period share (who was looked after on the day...),
        worked out once."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    @classmethod
    def read(cls, as_of: date, using: str = "default") -> "Inputs":
        return cls(as_of, read(using))

    # ----- policy and duties -------------------------------------------------------------

    @cached_property
    def policy(self) -> PolicyBook:
        """The authority's policy settings, as the rules read them."""
        rows = self.tables["policy"].iter_rows(named=True)
        return PolicyBook([(r["name"], r["applies_from"], _value(r["value"])) for r in rows])

    @cached_property
    def duties(self) -> pl.DataFrame:
        """The duties of the rules the indicators count (duty_rules), as of the day, without
        who holds them (the figures do not read it): worked out here unless given (the duties
        of every rule, with their holders, may be given: the figures read only theirs)."""
        if self._duties is None:
            setting = Setting.from_tables(self.tables, self.as_of)
            self._duties = compute_duties(
                self.tables,
                self.as_of,
                rule_names=duty_rules(),
                setting=setting,
                responsible=False,
            )
        return self._duties

    def rule(self, name: str) -> pl.DataFrame:
        """A rule's duties that fall due by the day, with the columns the figures read."""
        return self.memo(
            ("rule", name),
            lambda: (
                self.duties.lazy()  # lazily: only the columns read are gathered
                .filter((pl.col("rule") == name) & (pl.col("due") <= self.as_of))
                .select("failure", "child_id", "staff_id", "due", "completed", "status")
                .collect()
            ),
        )

    # ----- the front door ----------------------------------------------------------------

    @cached_property
    def contacts(self) -> pl.DataFrame:
        """Contacts by the day in England they were received."""
        return self.tables["contacts"].select(
            "child_id", on=pl.col("received_at").dt.convert_time_zone(LONDON).dt.date()
        )

    def contacts_received(self, first: date, last: date) -> pl.DataFrame:
        """Contacts received in England from the first day to the last: compared as moments,
        from the first day's midnight to the last's end, with no conversion."""
        end = _midnight(last + timedelta(days=1))
        return self.tables["contacts"].filter(
            pl.col("received_at").is_between(_midnight(first), end, closed="left")
        )

    @cached_property
    def referrals(self) -> pl.DataFrame:
        return self.tables["referrals"].filter(pl.col("received_on") <= self.as_of)

    @cached_property
    def _referral_days(self) -> np.ndarray:
        """Each child's referral days as sorted (child, day) keys."""
        return np.sort(_keys(self.referrals, "received_on"))

    @cached_property
    def rereferrals(self) -> pl.DataFrame:
        """Every referral by the day, marked as `rereferred` marks them."""
        return self.rereferred(self.referrals)

    def rereferred(self, referrals: pl.DataFrame) -> pl.DataFrame:
        """The referrals given, each marked `rereferral` if the child had another on an earlier
        day in the 12 months before its day."""
        days = self._referral_days
        keys = _keys(referrals, "received_on")
        before = np.searchsorted(days, keys, side="left") - 1
        previous = days[np.clip(before, 0, None)]
        same_child = (before >= 0) & (previous // KEY == keys // KEY)
        return referrals.with_columns(
            rereferral=pl.Series(same_child)
            & (
                pl.Series(previous % KEY, dtype=pl.Int32).cast(pl.Date)
                >= pl.col("received_on").dt.offset_by("-12mo")
            )
        )

    @cached_property
    def assessments(self) -> pl.DataFrame:
        return self.tables["assessments"].select("child_id", "kind", "authorised_on")

    # ----- child protection --------------------------------------------------------------

    @cached_property
    def enquiry_starts(self) -> pl.DataFrame:
        """Section 47 enquiries, by the day each started."""
        return self.tables["enquiry_starts"]

    @cached_property
    def enquiries(self) -> pl.DataFrame:
        """Section 47 enquiries, with the day of the initial conference each led to."""
        conferences = (
            self.tables["conferences"]
            .filter((pl.col("kind") == "initial") & pl.col("section_47_enquiry_id").is_not_null())
            .group_by("section_47_enquiry_id")
            .agg(conference_on=pl.col("held_on").min())
            .rename({"section_47_enquiry_id": "id"})
        )
        return self.tables["enquiry_starts"].join(conferences, on="id", how="left")

    @cached_property
    def plans(self) -> pl.DataFrame:
        """Child protection plans, with the number of earlier plans a return recorded."""
        return self.tables["plan_history"]

    @cached_property
    def _plan_starts(self) -> np.ndarray:
        return np.sort(_keys(self.plans, "starts_on"))

    def previous_plans(self, plans: pl.DataFrame) -> pl.Series:
        """The number of each plan's child's earlier plans, as the census export writes
        NumberOfPreviousCPP: as a return gave it, else the plans Harbour holds that started
        before."""
        starts, keys = self._plan_starts, _keys(plans, "starts_on")
        first = np.searchsorted(starts, keys // KEY * KEY, side="left")
        earlier = pl.Series(np.searchsorted(starts, keys, side="left") - first, dtype=pl.Int64)
        return plans["previous_plans_recorded"].fill_null(earlier).alias("previous")

    @cached_property
    def cp_visits(self) -> pl.DataFrame:
        """Child protection visits at which the child was seen, with the child's birth date."""
        born = self.tables["children"].select(child_id="id", born="date_of_birth")
        visits = self.tables["visits"]
        return (
            visits.filter((pl.col("kind") == CP_VISIT) & pl.col("child_seen"))
            .select("id", "child_id", "visited_on", "seen_alone")
            .join(born, on="child_id", how="left")
        )

    # ----- care --------------------------------------------------------------------------

    @cached_property
    def periods(self) -> pl.DataFrame:
        return self.tables["periods"].filter(pl.col("starts_on") <= self.as_of)

    @cached_property
    def legal_statuses(self) -> pl.DataFrame:
        """Legal statuses by period, sorted for an as-of join on (period, day)."""
        return (
            self.tables["legal_statuses"]
            .select(
                "code",
                key=pl.col("period_id") * 100_000 + pl.col("starts_on").cast(pl.Int64),
                status_period="period_id",
            )
            .sort("key")
        )

    @cached_property
    def placements(self) -> pl.DataFrame:
        return self.tables["placements"].select(
            "child_id", "period_id", "placement_type", "starts_on", "ends_on"
        )

    @cached_property
    def born(self) -> pl.DataFrame:
        return self.tables["children"].select(child_id="id", born="date_of_birth")

    @cached_property
    def care_leaver_contacts(self) -> pl.DataFrame:
        """What the authority knew of each care leaver, by the day of contact."""
        return self.tables["care_leaver_contacts"].filter(pl.col("contact_on") <= self.as_of)

    # ----- the workforce -----------------------------------------------------------------

    @cached_property
    def allocations(self) -> pl.DataFrame:
        return self.tables["allocations"].filter(pl.col("starts_on") <= self.as_of)

    # ----- population --------------------------------------------------------------------

    def population(self, on: date) -> int | None:
        """Children aged 0 to 17: the mid-year estimate latest on or before `on`."""
        rows = self.tables["population"].sort("year")
        if rows.is_empty():
            return None
        known = rows.filter(pl.col("year") < on.year + (1 if (on.month, on.day) >= (6, 30) else 0))
        row = known.tail(1) if known.height else rows.head(1)
        return int(row["children_0_17"][0])
