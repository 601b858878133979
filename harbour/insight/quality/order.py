"""Dates out of order: work dated before what it follows, ends before starts, dates in the
future, and events before the child was born or after they died."""

from datetime import date, timedelta

import polars as pl

from harbour.insight.quality.kinds import rows

LONDON = "Europe/London"
# Work may start before birth (pre-birth referrals, assessments, conferences and plans), but
# not longer before it than a pregnancy lasts.
PREGNANCY = timedelta(weeks=42)

# table: (record, its start, words for the start, its end, words for the end)
SPANS = {
    "referrals": (
        "journey.Referral",
        "received_on",
        "Referral received",
        "closed_on",
        "Child in need episode closed",
    ),
    "assessments": (
        "journey.Assessment",
        "started_on",
        "Assessment started",
        "completed_on",
        "Assessment completed",
    ),
    "enquiries": (
        "journey.Section47Enquiry",
        "started_on",
        "Section 47 enquiry started",
        "completed_on",
        "Section 47 enquiry completed",
    ),
    "cp_plans": (
        "journey.ChildProtectionPlan",
        "starts_on",
        "Child protection plan started",
        "ends_on",
        "Child protection plan ended",
    ),
    "cin_plans": (
        "journey.ChildInNeedPlan",
        "starts_on",
        "Child in need plan started",
        "ends_on",
        "Child in need plan ended",
    ),
    "periods": (
        "care.PeriodOfCare",
        "starts_on",
        "Period of care began",
        "ends_on",
        "Period of care ended",
    ),
    "placements": (
        "care.Placement",
        "starts_on",
        "Placement began",
        "ends_on",
        "Placement ended",
    ),
    "allocations": (
        "workforce.Allocation",
        "starts_on",
        "Allocated to a worker",
        "ends_on",
        "Allocation ended",
    ),
}
# Other dates that cannot be after today: (table, column, words, record).
DATES = [
    ("assessments", "authorised_on", "Assessment authorised", "journey.Assessment"),
    ("assessments", "child_seen_on", "Child seen for the assessment", "journey.Assessment"),
    ("strategy_discussions", "held_on", "Strategy discussion held", "journey.StrategyDiscussion"),
    ("conferences", "held_on", "Child protection conference held", "journey.Conference"),
    ("visits", "visited_on", "Visit", "journey.Visit"),
    ("legal_statuses", "starts_on", "Legal status began", "care.LegalStatus"),
    ("looked_after_reviews", "held_on", "Looked-after child review held", "care.LookedAfterReview"),
    ("health_assessments", "done_on", "Health assessment done", "care.HealthAssessment"),
]
# What cannot begin after the child died.
AFTER_DEATH = [
    ("referrals", "received_on", "Referral received", "journey.Referral"),
    ("assessments", "started_on", "Assessment started", "journey.Assessment"),
    ("enquiries", "started_on", "Section 47 enquiry started", "journey.Section47Enquiry"),
    ("cp_plans", "starts_on", "Child protection plan started", "journey.ChildProtectionPlan"),
    ("cin_plans", "starts_on", "Child in need plan started", "journey.ChildInNeedPlan"),
    ("periods", "starts_on", "Period of care began", "care.PeriodOfCare"),
    ("placements", "starts_on", "Placement began", "care.Placement"),
    ("visits", "visited_on", "Child seen on a visit", "journey.Visit"),
]
# Work that may come before birth, but not by more than a pregnancy.
PRE_BIRTH = [
    ("referrals", "received_on", "Referral received", "journey.Referral"),
    ("assessments", "started_on", "Assessment started", "journey.Assessment"),
    ("strategy_discussions", "held_on", "Strategy discussion held", "journey.StrategyDiscussion"),
    ("enquiries", "started_on", "Section 47 enquiry started", "journey.Section47Enquiry"),
    ("conferences", "held_on", "Child protection conference held", "journey.Conference"),
    ("cp_plans", "starts_on", "Child protection plan started", "journey.ChildProtectionPlan"),
    ("cin_plans", "starts_on", "Child in need plan started", "journey.ChildInNeedPlan"),
]
# What cannot happen before birth at all.
AFTER_BIRTH = [
    ("periods", "starts_on", "Period of care began", "care.PeriodOfCare"),
    ("placements", "starts_on", "Placement began", "care.Placement"),
    ("assessments", "child_seen_on", "Child seen for the assessment", "journey.Assessment"),
    ("visits", "visited_on", "Child seen on a visit", "journey.Visit"),
]


def _follows(frame, parent, *, key, on, parent_on, kind, what, against, record):
    """Rows of `frame` dated (`on`) before the `parent` row they belong to (`parent_on`)."""
    parents = parent.select(pl.col("id").alias(key), parent_on=parent_on)
    joined = frame.join(parents, on=key, how="inner").filter(pl.col(on) < pl.col("parent_on"))
    return rows(joined, kind, what, on=on, against=against, against_on="parent_on", record=record)


def before_referral(tables: dict) -> pl.DataFrame:
    """Assessments, strategy discussions and plans dated before their referral was received.
    An assessment started before its referral is not reported again for its authorisation."""
    referrals = tables["referrals"]
    assessments = tables["assessments"]

    def follows(frame, on, what, record):
        return _follows(
            frame,
            referrals,
            key="referral_id",
            on=on,
            parent_on="received_on",
            kind="before_referral",
            what=what,
            against="Referral received",
            record=record,
        )

    started = follows(assessments, "started_on", "Assessment started", "journey.Assessment")
    later = assessments.filter(~pl.col("id").is_in(started["record_id"].implode()))
    return pl.concat(
        [
            started,
            follows(later, "authorised_on", "Assessment authorised", "journey.Assessment"),
            follows(
                tables["strategy_discussions"],
                "held_on",
                "Strategy discussion held",
                "journey.StrategyDiscussion",
            ),
            follows(
                tables["cin_plans"],
                "starts_on",
                "Child in need plan started",
                "journey.ChildInNeedPlan",
            ),
            follows(
                tables["cp_plans"],
                "starts_on",
                "Child protection plan started",
                "journey.ChildProtectionPlan",
            ),
        ]
    )


def out_of_sequence(tables: dict) -> pl.DataFrame:
    """A section 47 enquiry before its strategy discussion, an initial conference before its
    enquiry, a child protection plan before its initial conference, a placement before the
    period of care it is in."""
    initial = tables["conferences"].filter(pl.col("kind") == "initial")
    return pl.concat(
        [
            _follows(
                tables["enquiries"],
                tables["strategy_discussions"],
                key="strategy_discussion_id",
                on="started_on",
                parent_on="held_on",
                kind="enquiry_before_strategy",
                what="Section 47 enquiry started",
                against="Strategy discussion held",
                record="journey.Section47Enquiry",
            ),
            _follows(
                initial,
                tables["enquiries"],
                key="section_47_enquiry_id",
                on="held_on",
                parent_on="started_on",
                kind="conference_before_enquiry",
                what="Initial child protection conference held",
                against="Section 47 enquiry started",
                record="journey.Conference",
            ),
            _follows(
                tables["cp_plans"],
                tables["conferences"],
                key="initial_conference_id",
                on="starts_on",
                parent_on="held_on",
                kind="plan_before_conference",
                what="Child protection plan started",
                against="Initial child protection conference held",
                record="journey.ChildProtectionPlan",
            ),
            _follows(
                tables["placements"],
                tables["periods"],
                key="period_id",
                on="starts_on",
                parent_on="starts_on",
                kind="placement_before_care",
                what="Placement began",
                against="Period of care began",
                record="care.Placement",
            ),
        ]
    )


def ends_before_start(tables: dict) -> pl.DataFrame:
    found = []
    for table, (record, start, start_words, end, end_words) in SPANS.items():
        frame = tables[table].filter(pl.col(end) < pl.col(start))
        found.append(
            rows(
                frame,
                "ends_before_start",
                end_words,
                on=end,
                against=start_words,
                against_on=start,
                record=record,
            )
        )
    assessments = tables["assessments"].filter(pl.col("authorised_on") < pl.col("started_on"))
    found.append(
        rows(
            assessments,
            "ends_before_start",
            "Assessment authorised",
            on="authorised_on",
            against="Assessment started",
            against_on="started_on",
            record="journey.Assessment",
        )
    )
    return pl.concat(found)


def after_today(tables: dict, today: date) -> pl.DataFrame:
    dated = [(t, start, words, record) for t, (record, start, words, _, _) in SPANS.items()]
    dated += [(t, end, words, record) for t, (record, _, _, end, words) in SPANS.items()]
    found = [
        rows(
            tables[table].filter(pl.col(column) > today),
            "after_today",
            words,
            on=column,
            record=record,
        )
        for table, column, words, record in dated + DATES
    ]
    contacts = tables["contacts"].with_columns(
        received_on=pl.col("received_at").dt.convert_time_zone(LONDON).dt.date()
    )
    found.append(
        rows(
            contacts.filter(pl.col("received_on") > today),
            "after_today",
            "Contact received",
            on="received_on",
            record="journey.Contact",
        )
    )
    return pl.concat(found)


def before_birth(tables: dict) -> pl.DataFrame:
    born = tables["children"].select(child_id="id", born="date_of_birth").drop_nulls()
    found = []
    for table, column, words, record in AFTER_BIRTH:
        frame = tables[table]
        if table == "visits":
            frame = frame.filter(pl.col("child_seen"))
        frame = frame.join(born, on="child_id").filter(pl.col(column) < pl.col("born"))
        found.append(
            rows(
                frame,
                "before_birth",
                words,
                on=column,
                against="Born",
                against_on="born",
                record=record,
            )
        )
    for table, column, words, record in PRE_BIRTH:
        frame = tables[table].join(born, on="child_id")
        frame = frame.filter(pl.col(column) < pl.col("born") - PREGNANCY)
        found.append(
            rows(
                frame,
                "before_birth",
                f"{words} (more than 42 weeks before birth)",
                on=column,
                against="Born",
                against_on="born",
                record=record,
            )
        )
    return pl.concat(found)


def after_death(tables: dict) -> pl.DataFrame:
    died = tables["children"].select(child_id="id", died="date_of_death").drop_nulls()
    found = []
    for table, column, words, record in AFTER_DEATH:
        frame = tables[table]
        if table == "visits":
            frame = frame.filter(pl.col("child_seen"))
        frame = frame.join(died, on="child_id").filter(pl.col(column) > pl.col("died"))
        found.append(
            rows(
                frame,
                "after_death",
                words,
                on=column,
                against="Died",
                against_on="died",
                record=record,
            )
        )
    return pl.concat(found)


def order(tables: dict, today: date) -> pl.DataFrame:
    early = before_referral(tables)
    # An assessment authorised before its referral was also authorised before it started:
    # said once, against the referral.
    ends = ends_before_start(tables).join(
        early.select("record", "record_id", "what"), on=["record", "record_id", "what"], how="anti"
    )
    return pl.concat(
        [
            early,
            out_of_sequence(tables),
            ends,
            after_today(tables, today),
            before_birth(tables),
            after_death(tables),
        ]
    )
