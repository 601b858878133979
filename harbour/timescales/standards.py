"""Practice standards that are not timescales: who may lead an enquiry, seeing children alone,
what a plan must hold, who may sign off an assessment, and closing cases too soon.

Each is a pure function of the tables returning `failure`, `child_id`, `record` rows.
"""

from datetime import date

import numpy as np
import polars as pl

from harbour.authority.policy import PolicyBook
from harbour.timescales.calendar import EPOCH
from harbour.timescales.sources import VISIT_KINDS


def _found(frame: pl.DataFrame, failure: str, on: str, record: str = "id") -> pl.DataFrame:
    """Findings with the day they are about (`on`: to leave out what returns cannot show)."""
    return frame.select(
        failure=pl.lit(failure), child_id="child_id", record=pl.col(record), on=pl.col(on)
    )


def s47_unqualified_lead(t, as_of: date, policy: PolicyBook) -> pl.DataFrame:
    """A section 47 enquiry must be led by a qualified, registered social worker."""
    leads = t["staff"].select(lead_worker_id="id", qualified="qualified", registered="registered")
    enquiries = t["section_47_enquiries"].filter(pl.col("strategy_on") <= as_of)
    return _found(
        enquiries.join(leads, on="lead_worker_id", how="left").filter(
            ~(pl.col("qualified").fill_null(False) & pl.col("registered").fill_null(False))
        ),
        "s47_unqualified_lead",
        "strategy_on",
    )


def child_not_seen_alone(t, as_of: date, policy: PolicyBook) -> pl.DataFrame:
    """A child old enough, seen on a child protection visit but not alone, with no reason."""
    ages = _policy_by_day("seen_alone_from_age", policy)
    visits = (
        t["visits"]
        .filter(
            (pl.col("kind") == VISIT_KINDS["child_protection"]) & (pl.col("visited_on") <= as_of)
        )
        .filter(pl.col("child_seen") & ~pl.col("seen_alone") & ~pl.col("has_reason"))
        .join(t["children"].select(child_id="id", born="date_of_birth"), on="child_id")
    )
    if visits.is_empty():
        return _found(visits, "child_not_seen_alone", "visited_on")
    threshold = ages(visits["visited_on"])
    visits = visits.with_columns(threshold=pl.Series(threshold, dtype=pl.Int32))
    old_enough = pl.col("visited_on") >= pl.col("born").dt.offset_by(
        pl.col("threshold").cast(pl.String) + "y"
    )
    return _found(visits.filter(old_enough), "child_not_seen_alone", "visited_on")


def plan_without_contingency(t, as_of: date, policy: PolicyBook) -> pl.DataFrame:
    plans = t["cp_plans"].filter((pl.col("starts_on") <= as_of) & pl.col("no_contingency"))
    return _found(plans, "plan_without_contingency", "starts_on")


def manager_signed_own_assessment(t, as_of: date, policy: PolicyBook) -> pl.DataFrame:
    """Sign-off must be by someone other than the author."""
    return _found(
        t["assessments"].filter(
            (pl.col("authorised_on") <= as_of) & (pl.col("authorised_by_id") == pl.col("worker_id"))
        ),
        "manager_signed_own_assessment",
        "authorised_on",
    )


def closed_then_rereferred(t, as_of: date, policy: PolicyBook) -> pl.DataFrame:
    """An episode closed and the child referred again within the policy's weeks: the record
    is the episode closed too soon."""
    referrals = (
        t["referrals"]
        .filter(pl.col("received_on") <= as_of)
        .sort("child_id", "received_on")
        .with_columns(next_referral=pl.col("received_on").shift(-1).over("child_id"))
        .filter(pl.col("closed_on").is_not_null() & pl.col("next_referral").is_not_null())
    )
    if referrals.is_empty():
        return _found(referrals, "closed_then_rereferred", "closed_on")
    weeks = _policy_by_day("rereferral_after_closure_weeks", policy)(referrals["closed_on"])
    gap = (pl.col("next_referral") - pl.col("closed_on")).dt.total_days()
    return _found(
        referrals.with_columns(limit=pl.Series(weeks * 7)).filter(
            (gap > 0) & (gap <= pl.col("limit"))
        ),
        "closed_then_rereferred",
        "closed_on",
    )


def _policy_by_day(name: str, policy: PolicyBook):
    changes = policy.changes(name)

    def values(days: pl.Series) -> np.ndarray:
        numbers = days.cast(pl.Int32).to_numpy()
        result = np.full(len(numbers), changes[0][1], dtype=np.int64)
        for applies_from, value in changes[1:]:
            result[numbers >= (applies_from - EPOCH).days] = value
        return result

    return values


STANDARDS = (
    s47_unqualified_lead,
    child_not_seen_alone,
    plan_without_contingency,
    manager_signed_own_assessment,
    closed_then_rereferred,
)
