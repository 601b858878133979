"""The front door: contacts, referrals and re-referrals, assessments."""

import polars as pl

from harbour.insight.indicators.figures import Rate, count, indicator, judged, share
from harbour.insight.indicators.inputs import Inputs
from harbour.insight.indicators.periods import Period

ASSESSMENT_RULES = {
    "single_assessment": "Single assessments (45 working days from referral)",
    "initial_assessment": "Initial assessments (10 working days from referral, 7 in 2006-10)",
    "core_assessment": "Core assessments (35 working days from their start)",
}


def _within(frame: pl.DataFrame, column: str, period: Period) -> pl.DataFrame:
    return frame.filter(pl.col(column).is_between(period.start, period.end))


@indicator("contacts")
def contacts(inputs: Inputs, period: Period):
    return count(inputs.contacts_received(period.start, period.end))


@indicator("contact_decisions_within_1wd_pct")
def contact_decisions(inputs: Inputs, period: Period):
    return share(judged(inputs.rule("contact_decision"), period), "on_time")


def referrals_in(inputs: Inputs, period: Period) -> pl.DataFrame:
    received = pl.col("received_on")
    return inputs.tables["referrals"].filter(
        received.is_between(period.start, period.end) & (received <= inputs.as_of)
    )


@indicator("referrals")
def referrals(inputs: Inputs, period: Period):
    return count(referrals_in(inputs, period))


@indicator("referral_rate_per_10k")
def referral_rate(inputs: Inputs, period: Period):
    return Rate(count(referrals_in(inputs, period)), inputs.population(period.end))


@indicator("re_referrals_within_12m_pct")
def re_referrals(inputs: Inputs, period: Period):
    return share(inputs.rereferred(referrals_in(inputs, period)), "rereferral")


@indicator("referrals_nfa_pct")
def referrals_nfa(inputs: Inputs, period: Period):
    return share(referrals_in(inputs, period), "no_further_action")


@indicator("assessments_completed")
def assessments_completed(inputs: Inputs, period: Period):
    return count(_within(inputs.assessments, "authorised_on", period))


@indicator("assessments_within_timescale_pct")
def assessments_within_timescale(inputs: Inputs, period: Period):
    parts = {rule: judged(inputs.rule(rule), period) for rule in ASSESSMENT_RULES}
    whole = share(pl.concat(list(parts.values())), "on_time")
    whole.splits = [
        (rule.removesuffix("_assessment"), title, share(parts[rule], "on_time"))
        for rule, title in ASSESSMENT_RULES.items()
    ]
    return whole
