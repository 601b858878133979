"""Measuring a generated county's volumes and rates, the way the Department counts them,
from the rows themselves. Used by the tests (against sizes.TARGETS) and `harbour synth --report`.
"""

from collections import defaultdict
from datetime import date, timedelta
from statistics import median

from dateutil.relativedelta import relativedelta

from harbour.synth.context import LONDON

TABLES = {
    "journey.Contact",
    "journey.Referral",
    "journey.Section47Enquiry",
    "journey.Conference",
    "journey.ChildProtectionPlan",
    "journey.Assessment",
    "care.PeriodOfCare",
    "care.Placement",
    "care.CareLeaver",
    "people.Child",
}


def measure(rows: dict[str, list[dict]], year_end: date, children: int) -> dict[str, float]:
    """Flows over the collection year ending `year_end` and stocks on that day, per 10,000
    children where a rate."""
    first = year_end - relativedelta(years=1) + timedelta(days=1)
    per10k = 10_000 / children

    def in_year(day):
        return day is not None and first <= day <= year_end

    contacts = [
        r for r in rows["journey.Contact"] if in_year(r["received_at"].astimezone(LONDON).date())
    ]
    referrals = rows["journey.Referral"]
    by_child = defaultdict(list)
    for r in referrals:
        by_child[r["child_id"]].append(r["received_on"])
    year_referrals = [r for r in referrals if in_year(r["received_on"])]
    re_referrals = sum(
        1
        for r in year_referrals
        if any(
            r["received_on"] - relativedelta(years=1) <= other < r["received_on"]
            for other in by_child[r["child_id"]]
        )
    )
    closures = [r for r in referrals if in_year(r["closed_on"]) and not r["no_further_action"]]
    assessments = [a for a in rows["journey.Assessment"] if in_year(a["authorised_on"])]
    plans = rows["journey.ChildProtectionPlan"]
    ended_plans = [p for p in plans if in_year(p["ends_on"])]
    periods = rows["care.PeriodOfCare"]
    looked_after = [
        p
        for p in periods
        if p["starts_on"] <= year_end and (p["ends_on"] is None or p["ends_on"] > year_end)
    ]
    in_care_ids = {p["child_id"] for p in looked_after}
    placements_in_year = defaultdict(int)
    for placement in rows["care.Placement"]:
        if (
            placement["child_id"] in in_care_ids
            and placement["starts_on"] <= year_end
            and (placement["ends_on"] is None or placement["ends_on"] >= first)
        ):
            placements_in_year[placement["child_id"]] += 1
    born = {c["id"]: c["date_of_birth"] for c in rows["people.Child"]}
    leavers = [
        leaver
        for leaver in rows["care.CareLeaver"]
        if leaver["category"] == "former_relevant"
        and born[leaver["child_id"]]
        and 19 <= _age(born[leaver["child_id"]], year_end) <= 21
    ]
    return {
        "contacts_per_10k": len(contacts) * per10k,
        "referrals_per_10k": len(year_referrals) * per10k,
        "contact_to_referral": len(year_referrals) / len(contacts),
        "re_referral_share": re_referrals / len(year_referrals),
        "assessment_nfa_share": sum(a["outcome"] == "nfa" for a in assessments) / len(assessments),
        "step_down_share_of_closures": sum(r["closure_reason"] == "RC9" for r in closures)
        / len(closures),
        "s47_per_10k": sum(in_year(e["started_on"]) for e in rows["journey.Section47Enquiry"])
        * per10k,
        "icpc_per_10k": sum(
            in_year(c["held_on"]) and c["kind"] == "initial" for c in rows["journey.Conference"]
        )
        * per10k,
        "cp_plans_started_per_10k": sum(in_year(p["starts_on"]) for p in plans) * per10k,
        "cp_plan_median_days": median((p["ends_on"] - p["starts_on"]).days for p in ended_plans),
        "cla_per_10k": len(looked_after) * per10k,
        "cla_entries_per_10k": sum(in_year(p["starts_on"]) for p in periods) * per10k,
        "cla_three_or_more_placements": sum(n >= 3 for n in placements_in_year.values())
        / len(looked_after),
        "care_leavers_19_21_per_10k": len(leavers) * per10k,
    }


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


SIBLING_TABLES = {"people.FamilyMember", "people.Relationship"}


def siblings(rows: dict[str, list[dict]], year_end: date) -> dict[str, float]:
    """How often brothers and sisters go through the service together, over the collection
    year ending `year_end`: the share of children referred, starting a child protection plan
    or coming into care on the same day as a brother or sister, and the share of children
    looked after on `year_end` with a brother or sister also looked after."""
    first = year_end - relativedelta(years=1) + timedelta(days=1)
    members = {m["id"]: m["child_record_id"] for m in rows["people.FamilyMember"]}
    brothers_and_sisters = defaultdict(set)
    for link in rows["people.Relationship"]:
        other = members[link["family_member_id"]]
        if link["kind"] == "sibling" and other:
            brothers_and_sisters[link["child_id"]].add(other)

    def together(table, field):
        by_day = defaultdict(set)
        for row in rows[table]:
            if first <= row[field] <= year_end:
                by_day[row[field]].add(row["child_id"])
        total = with_sibling = 0
        for children in by_day.values():
            for child in children:
                total += 1
                with_sibling += bool(brothers_and_sisters[child] & children)
        return with_sibling / total

    looked_after = {
        p["child_id"]
        for p in rows["care.PeriodOfCare"]
        if p["starts_on"] <= year_end and (p["ends_on"] is None or p["ends_on"] > year_end)
    }
    return {
        "referred_with_a_sibling": together("journey.Referral", "received_on"),
        "cp_plan_started_with_a_sibling": together("journey.ChildProtectionPlan", "starts_on"),
        "came_into_care_with_a_sibling": together("care.PeriodOfCare", "starts_on"),
        "looked_after_with_a_sibling_looked_after": sum(
            bool(brothers_and_sisters[c] & looked_after) for c in looked_after
        )
        / len(looked_after),
    }
