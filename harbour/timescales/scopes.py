"""What a duty belongs to (its scope) and what completes it (its events), from the tables.

Each scope builder returns one row per scope: `scope_id`, `child_id` or `staff_id`, `start`
(the first trigger), `end` (exclusive: from that day a duty not yet due is no longer needed),
`record` (the scope's own record) and whatever its variants need. Each event builder returns
`scope_id`, `on` and `record`. Rules name them in the rule files; all are pure functions of the
tables from `sources.read_tables`.
"""

import polars as pl

from harbour.timescales.sources import VISIT_KINDS

LONDON = "Europe/London"
SINGLE_KINDS = ("single", "pre_birth", "homeless_16_17")


def _local_date(column: str) -> pl.Expr:
    return pl.col(column).dt.convert_time_zone(LONDON).dt.date()


def _child_scope(frame: pl.DataFrame, start: str, end: str | None, **extra) -> pl.DataFrame:
    return frame.select(
        scope_id=pl.col("id"),
        child_id=pl.col("child_id"),
        staff_id=pl.lit(None, pl.Int64),
        start=pl.col(start),
        end=pl.col(end) if end else pl.lit(None, pl.Date),
        record=pl.col("id"),
        **extra,
    )


def _events(frame: pl.DataFrame, scope: str, on: str) -> pl.DataFrame:
    return frame.filter(pl.col(on).is_not_null()).select(
        scope_id=pl.col(scope), on=pl.col(on), record=pl.col("id")
    )


def _visits_in(t, scope_frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Visits of a kind to the scope's child from its start until its end."""
    visits = t["visits"].filter(pl.col("kind") == VISIT_KINDS[kind])
    if kind == "child_protection":
        # A visit counts where the child was seen, or was not yet born to be seen.
        born = t["children"].select(pl.col("id").alias("child_id"), "date_of_birth")
        visits = visits.join(born, on="child_id", how="left").filter(
            pl.col("child_seen")
            | pl.col("date_of_birth").is_null()
            | (pl.col("date_of_birth") > pl.col("visited_on"))
        )
    # A child's scopes of one kind never overlap, so each visit belongs to the latest scope
    # that started on or before it, if that scope had not ended: one as-of join on a
    # (child, day) key.
    scopes = scope_frame.select(
        "scope_id",
        "end",
        scope_child="child_id",
        key=pl.col("child_id") * 100_000 + pl.col("start").cast(pl.Int64),
    ).sort("key")
    return (
        visits.select(
            "id",
            "visited_on",
            key=pl.col("child_id") * 100_000 + pl.col("visited_on").cast(pl.Int64),
            child_id="child_id",
        )
        .sort("key")
        .join_asof(scopes, on="key")
        .filter(
            pl.col("scope_id").is_not_null()
            & (pl.col("scope_child") == pl.col("child_id"))
            & (pl.col("end").is_null() | (pl.col("visited_on") < pl.col("end")))
        )
        .select("scope_id", on=pl.col("visited_on"), record=pl.col("id"))
    )


# ----- scopes ---------------------------------------------------------------------------


def contact(t):
    return _child_scope(t["contacts"], "received_at", None).with_columns(start=_local_date("start"))


def referral(t):
    return _child_scope(t["referrals"], "received_on", "closed_on")


def referral_needing_assessment(t):
    # A referral loaded from a census year after it was made: its assessment may have been
    # finished before that year, where no return shows it; no duty can be judged.
    known = pl.col("known_from").is_null() | (pl.col("received_on") >= pl.col("known_from"))
    return _child_scope(
        t["referrals"].filter(~pl.col("no_further_action") & known), "received_on", "closed_on"
    )


def core_assessment(t):
    return _child_scope(t["assessments"].filter(pl.col("kind") == "core"), "started_on", None)


# A contact decided "strategy discussion": significant harm is suspected from that day.
STRATEGY_DECISION = "strategy"


def child_protection_concern(t):
    """Each strategy discussion's concern, from the day it arose; and each contact the front
    door decided needs one, from the decision, until a discussion is held for the child
    (that discussion's own concern then carries the duty). A contact's scope has the
    contact's id, negated, so the two never share one."""
    discussions = t["strategy_discussions"]
    held = discussions.filter(pl.col("held_on").is_not_null()).select("child_id", "held_on")
    decided = (
        t["contacts"]
        .filter((pl.col("decision") == STRATEGY_DECISION) & pl.col("decision_at").is_not_null())
        .with_columns(came=_local_date("received_at"), decided=_local_date("decision_at"))
    )
    answered = (
        decided.join(held, on="child_id", how="inner")
        .filter(pl.col("held_on") >= pl.col("came"))
        .select("id")
        .unique()
    )
    waiting = decided.join(answered, on="id", how="anti").select(
        scope_id=-pl.col("id"),
        child_id=pl.col("child_id"),
        staff_id=pl.lit(None, pl.Int64),
        start=pl.col("decided"),
        end=pl.lit(None, pl.Date),
        record=pl.col("id"),
    )
    return pl.concat([_child_scope(discussions, "concern_identified_on", None), waiting])


def section_47_enquiry(t):
    """From the strategy discussion that started the enquiry; an enquiry that ends without
    calling for a conference needs none."""
    enquiries = t["section_47_enquiries"].with_columns(
        ends=pl.when(pl.col("outcome").is_in(["cin", "unsubstantiated"]))
        .then(pl.col("completed_on"))
        .otherwise(None)
    )
    return _child_scope(enquiries, "strategy_on", "ends")


def child_protection_plan(t):
    return _child_scope(t["cp_plans"], "starts_on", "ends_on")


def conference(t):
    return _child_scope(t["conferences"], "held_on", None)


def child_in_need_plan(t):
    return _child_scope(t["cin_plans"], "starts_on", "ends_on")


def period_of_care(t):
    born = t["children"].select(pl.col("id").alias("child_id"), "date_of_birth")
    return _child_scope(t["periods"], "starts_on", "ends_on").join(born, on="child_id", how="left")


def placement(t):
    periods = t["periods"].select(pl.col("id").alias("period_id"), period_end="ends_on")
    placements = (
        t["placements"]
        .join(periods, on="period_id", how="left")
        .with_columns(ends=pl.min_horizontal("ends_on", "period_end"))
    )
    return _child_scope(
        placements,
        "starts_on",
        "ends",
        placement_type=pl.col("placement_type"),
        placed_on=pl.col("starts_on"),
    )


def missing_episode(t):
    return _child_scope(
        t["missing_episodes"].filter(pl.col("ended_at").is_not_null()), "ended_at", None
    ).with_columns(end=pl.lit(None, pl.Datetime("us", "UTC")))


def private_fostering(t):
    return _child_scope(
        t["private_fostering"], "notified_on", "ends_on", notified_on=pl.col("notified_on")
    )


def practitioner(t, policy):
    roles = policy.value("supervised_roles")
    return (
        t["staff"]
        .filter(pl.col("role").is_in(roles))
        .select(
            scope_id=pl.col("id"),
            child_id=pl.lit(None, pl.Int64),
            staff_id=pl.col("id"),
            start=pl.col("starts_on"),
            end=pl.col("ends_on") + pl.duration(days=1),
            record=pl.col("id"),
            qualified=pl.col("qualified"),
            qualified_on=pl.col("qualified_on"),
            asye_completed_on=pl.col("asye_completed_on"),
        )
    )


def latest_significant_event(t):
    """Judged on each child's latest significant event: the summary must have caught up."""
    return t["significant_events"].select(
        scope_id=pl.col("child_id"),
        child_id=pl.col("child_id"),
        staff_id=pl.lit(None, pl.Int64),
        start=pl.col("occurred_on"),
        end=pl.lit(None, pl.Date),
        record=pl.col("child_id"),
    )


def case_audit(t):
    return _child_scope(t["case_audits"], "audited_on", None)


def audit_action(t):
    return _child_scope(t["audit_actions"], "audited_on", None, due_on=pl.col("due_on"))


SCOPES = {
    "case_audit": case_audit,
    "audit_action": audit_action,
    "contact": contact,
    "referral": referral,
    "referral_needing_assessment": referral_needing_assessment,
    "core_assessment": core_assessment,
    "child_protection_concern": child_protection_concern,
    "section_47_enquiry": section_47_enquiry,
    "child_protection_plan": child_protection_plan,
    "conference": conference,
    "child_in_need_plan": child_in_need_plan,
    "period_of_care": period_of_care,
    "placement": placement,
    "missing_episode": missing_episode,
    "private_fostering": private_fostering,
    "practitioner": practitioner,
    "latest_significant_event": latest_significant_event,
}
NEEDS_POLICY = {"practitioner"}

# ----- events ---------------------------------------------------------------------------


def contact_decision(t, scopes):
    return (
        t["contacts"]
        .filter(pl.col("decision_at").is_not_null())
        .select(scope_id=pl.col("id"), on=_local_date("decision_at"), record=pl.col("id"))
    )


def allocated(t, scopes):
    """The first day from the referral on which the child has an allocated worker."""
    allocations = t["allocations"].select("child_id", "starts_on", "ends_on")
    return (
        scopes.select("scope_id", "child_id", "start")
        .join(allocations, on="child_id")
        .filter(pl.col("ends_on").is_null() | (pl.col("ends_on") >= pl.col("start")))
        .with_columns(on=pl.max_horizontal("starts_on", "start"))
        .group_by("scope_id")
        .agg(pl.col("on").min())
        .with_columns(record=pl.col("scope_id"))
    )


def _authorised(kinds):
    def events(t, scopes):
        return _events(
            t["assessments"].filter(pl.col("kind").is_in(kinds)), "referral_id", "authorised_on"
        )

    return events


def core_assessment_authorised(t, scopes):
    return _events(t["assessments"].filter(pl.col("kind") == "core"), "id", "authorised_on")


def strategy_discussion(t, scopes):
    return _events(t["strategy_discussions"], "id", "held_on")


def initial_conference(t, scopes):
    return _events(
        t["conferences"].filter(pl.col("kind") == "initial"), "section_47_enquiry_id", "held_on"
    )


def review_conference(t, scopes):
    return _events(t["conferences"].filter(pl.col("kind") == "review"), "plan_id", "held_on")


def core_group_meeting(t, scopes):
    return _events(t["core_groups"], "plan_id", "held_on")


def report_shared_with_parents(t, scopes):
    return _events(t["conferences"], "id", "reports_shared_with_parents_on")


def child_in_need_plan_review(t, scopes):
    return _events(t["cin_reviews"], "plan_id", "held_on")


def looked_after_review(t, scopes):
    return _events(t["looked_after_reviews"], "period_id", "held_on")


def health_assessment(t, scopes):
    return _events(t["health_assessments"], "period_id", "done_on")


def personal_education_plan(t, scopes):
    return _events(t["education_plans"], "period_id", "held_on")


def return_home_interview(t, scopes):
    """Done when the interview is held, or offered and declined by the child."""
    episodes = t["missing_episodes"].with_columns(
        done=pl.when(pl.col("interview_held_at").is_not_null())
        .then(pl.col("interview_held_at"))
        .when(pl.col("interview_declined"))
        .then(pl.col("interview_offered_at"))
        .otherwise(None)
    )
    return _events(episodes, "id", "done")


def supervision(t, scopes):
    return _events(t["supervisions"], "worker_id", "held_on")


def case_summary_updated(t, scopes):
    return t["case_summaries"].select(
        scope_id=pl.col("child_id"), on=_local_date("updated_at"), record=pl.col("id")
    )


def _visits(kind):
    def events(t, scopes):
        return _visits_in(t, scopes, kind)

    return events


def audit_moderated(t, scopes):
    return _events(t["case_audits"], "id", "moderated_on")


def audit_action_completed(t, scopes):
    return _events(t["audit_actions"], "id", "completed_on")


EVENTS = {
    "audit_moderated": audit_moderated,
    "audit_action_completed": audit_action_completed,
    "contact_decision": contact_decision,
    "allocated": allocated,
    "initial_assessment_authorised": _authorised(("initial",)),
    "single_assessment_authorised": _authorised(SINGLE_KINDS),
    "core_assessment_authorised": core_assessment_authorised,
    "strategy_discussion": strategy_discussion,
    "initial_conference": initial_conference,
    "review_conference": review_conference,
    "core_group_meeting": core_group_meeting,
    "report_shared_with_parents": report_shared_with_parents,
    "child_protection_visit": _visits("child_protection"),
    "child_in_need_visit": _visits("child_in_need"),
    "child_in_need_plan_review": child_in_need_plan_review,
    "looked_after_review": looked_after_review,
    "looked_after_visit": _visits("looked_after"),
    "health_assessment": health_assessment,
    "personal_education_plan": personal_education_plan,
    "private_fostering_visit": _visits("private_fostering"),
    "return_home_interview": return_home_interview,
    "supervision": supervision,
    "case_summary_updated": case_summary_updated,
}

# ----- variants: conditions on the day a duty was triggered -------------------------------

VARIANTS = {
    "newly_qualified": lambda: (
        pl.col("qualified")
        & (pl.col("qualified_on") <= pl.col("trigger"))
        & (
            pl.col("asye_completed_on").is_null()
            | (pl.col("trigger") < pl.col("asye_completed_on"))
        )
    ),
    "under_5": lambda: pl.col("trigger") < pl.col("date_of_birth").dt.offset_by("5y"),
    "settled_long_term": lambda: (
        pl.col("placement_type").is_in(["U1", "U4"])
        & (pl.col("trigger") >= pl.col("placed_on").dt.offset_by("1y"))
    ),
    "after_first_year": lambda: pl.col("trigger") >= pl.col("notified_on").dt.offset_by("1y"),
}
