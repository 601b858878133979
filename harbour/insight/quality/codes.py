"""Codes the returns need and the record lacks: a child protection plan's category of abuse, a
child in need episode's primary need and reason for closure, a period of care's category of need
and reason it ended."""

import polars as pl

from harbour.insight.quality.kinds import rows


def codes(tables: dict) -> pl.DataFrame:
    plans = tables["cp_plans"]
    referrals = tables["referrals"]
    periods = tables["periods"]
    # The primary need is decided at assessment: asked of an episode once one is done (or the
    # episode has closed), never of a referral that went no further.
    assessed = (
        tables["assessments"]
        .filter(pl.col("completed_on").is_not_null() | pl.col("authorised_on").is_not_null())[
            "referral_id"
        ]
        .implode()
    )
    no_need = referrals.filter(
        (pl.col("primary_need") == "")
        & ~pl.col("no_further_action")
        & (pl.col("id").is_in(assessed) | pl.col("closed_on").is_not_null())
    )
    no_category = plans.filter(
        (pl.col("initial_category") == "") | (pl.col("latest_category") == "")
    )
    return pl.concat(
        [
            rows(
                no_category,
                "plan_category",
                pl.when(pl.col("initial_category") == "")
                .then(pl.lit("Category of abuse at the start of the plan"))
                .otherwise(pl.lit("Latest category of abuse")),
                on="starts_on",
                record="journey.ChildProtectionPlan",
            ),
            rows(
                no_need,
                "primary_need",
                "Primary need",
                on="received_on",
                record="journey.Referral",
            ),
            rows(
                referrals.filter(
                    pl.col("closed_on").is_not_null() & (pl.col("closure_reason") == "")
                ),
                "closure_reason",
                "Reason for closure",
                on="closed_on",
                record="journey.Referral",
            ),
            rows(
                periods.filter(pl.col("category_of_need") == ""),
                "category_of_need",
                "Category of need",
                on="starts_on",
                record="care.PeriodOfCare",
            ),
            rows(
                periods.filter(pl.col("ends_on").is_not_null() & (pl.col("reason_ceased") == "")),
                "reason_ceased",
                "Reason the period of care ended",
                on="ends_on",
                record="care.PeriodOfCare",
            ),
        ]
    )
