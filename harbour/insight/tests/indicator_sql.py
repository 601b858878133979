"""Every indicator as hand-written DuckDB SQL over the raw rows: the independent check the
tests hold Harbour's figures to (test_indicators.py), and what tools/time_indicators.py times
Harbour against. Not part of Harbour: nothing under harbour/ outside the tests imports it.

The tables are the records as they stand, one per model, named as in test_indicators.RAW:
referral, assessment, enquiry, conference, cp_plan, visit (kind as text), child,
period_of_care, legal_status, placement, allocation, staff, population, contact (received_at
in UTC), care_leaver_contact; and `duties`, the duties Harbour worked out
as of the day judged from (rule, status and failure as text).

`every_indicator(start, end)` gives each indicator's (numerator, denominator) for the period
from `start` to `end`, judged on `end` (the period's last day is the day judged from, as
`harbour indicators --as-of END` does); counts give (count, NULL).
"""

from datetime import date


def _day(day: date) -> str:
    return f"DATE '{day.isoformat()}'"


def _within(start: date, end: date) -> str:
    return f"BETWEEN {_day(start)} AND {_day(end)}"


def counts(start: date, end: date) -> dict[str, str]:
    """Counts of events in the period, or of episodes and plans open on its last day: one
    column."""
    year, e = _within(start, end), _day(end)
    return {
        "contacts": f"""SELECT count(*) FROM contact
            WHERE CAST(timezone('Europe/London', received_at) AS DATE) {year}""",
        "referrals": f"SELECT count(*) FROM referral WHERE received_on {year}",
        "assessments_completed": f"SELECT count(*) FROM assessment WHERE authorised_on {year}",
        "s47_enquiries": f"SELECT count(*) FROM enquiry WHERE started_on {year}",
        "cp_plans_started": f"SELECT count(*) FROM cp_plan WHERE starts_on {year}",
        "cp_plans": f"""SELECT count(*) FROM cp_plan
            WHERE starts_on <= {e} AND (ends_on IS NULL OR ends_on > {e})""",
        "cin": f"""SELECT count(*) FROM referral WHERE received_on <= {e}
            AND NOT no_further_action AND (closed_on IS NULL OR closed_on > {e})""",
        "cla_started": f"""SELECT count(DISTINCT p.child_id) FROM period_of_care p
            WHERE p.starts_on {year} AND {_not_short_breaks("p.starts_on")}""",
        "cla_ceased": f"""SELECT count(DISTINCT p.child_id) FROM period_of_care p
            WHERE p.ends_on {year}
            AND {_not_short_breaks("CAST(p.ends_on - INTERVAL 1 DAY AS DATE)")}""",
    }


def _not_short_breaks(day: str) -> str:
    """The period p's legal status on the day (the latest begun by it) is not V3 or V4."""
    return f"""coalesce((SELECT code FROM legal_status l WHERE l.period_id = p.id
        AND l.starts_on <= {day} ORDER BY l.starts_on DESC, l.id DESC LIMIT 1), '')
        NOT IN ('V3', 'V4')"""


def looked_after(end: date) -> str:
    """Periods of care open on the day whose legal status then is not a short break."""
    e = _day(end)
    return f"""
    WITH open_periods AS (
        SELECT p.id, p.child_id, p.starts_on FROM period_of_care p
        WHERE p.starts_on <= {e} AND (p.ends_on IS NULL OR p.ends_on > {e})
    ), statuses AS (
        SELECT o.*, (SELECT code FROM legal_status l WHERE l.period_id = o.id
                     AND l.starts_on <= {e} ORDER BY l.starts_on DESC, l.id DESC LIMIT 1) AS code
        FROM open_periods o
    )
    SELECT * FROM statuses WHERE code IS NULL OR code NOT IN ('V3', 'V4')
"""


def shares(start: date, end: date, seen_alone_from_age: int = 5) -> dict[str, str]:
    """Shares, means and the largest caseload: (numerator, denominator)."""
    year, s0, e0 = _within(start, end), _day(start), _day(end)
    la = looked_after(end)
    loads = f"""
        WITH loads AS (
            SELECT a.worker_id, count(DISTINCT a.child_id) AS cases FROM allocation a
            JOIN staff s ON s.id = a.worker_id
            WHERE s.role IN ('social_worker', 'senior_practitioner') AND a.starts_on <= {e0}
            AND (a.ends_on IS NULL OR a.ends_on >= {e0}) GROUP BY a.worker_id
        )"""
    return {
        "re_referrals_within_12m_pct": f"""
            SELECT count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM referral p WHERE p.child_id = r.child_id
                AND p.received_on < r.received_on
                AND p.received_on >= CAST(r.received_on - INTERVAL 12 MONTH AS DATE))), count(*)
            FROM referral r WHERE r.received_on {year}""",
        "s47_leading_to_icpc_pct": f"""
            SELECT count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM conference c WHERE c.section_47_enquiry_id = e.id
                AND c.kind = 'initial' AND c.held_on <= {e0})), count(*)
            FROM enquiry e WHERE e.started_on {year}""",
        "cp_second_or_subsequent_pct": f"""
            SELECT count(*) FILTER (WHERE coalesce(previous_plans_recorded, (
                SELECT count(*) FROM cp_plan q WHERE q.child_id = p.child_id
                AND q.starts_on < p.starts_on)) >= 1), count(*)
            FROM cp_plan p WHERE p.starts_on {year}""",
        "cp_plans_ended_after_2y_pct": f"""
            SELECT count(*) FILTER (WHERE ends_on >= CAST(starts_on + INTERVAL 2 YEAR AS DATE)),
                   count(*)
            FROM cp_plan WHERE ends_on {year}""",
        "cp_children_seen_alone_pct": f"""
            WITH seen AS (
                SELECT v.*, row_number() OVER (PARTITION BY v.child_id
                                               ORDER BY v.visited_on DESC, v.id DESC) AS n
                FROM visit v JOIN child c ON c.id = v.child_id
                WHERE v.kind = 'child_protection' AND v.child_seen AND v.visited_on {year}
                AND v.visited_on >= CAST(c.date_of_birth
                                         + INTERVAL {seen_alone_from_age} YEAR AS DATE)
            )
            SELECT count(*) FILTER (WHERE seen_alone), count(*) FROM seen WHERE n = 1""",
        "cla_three_or_more_placements_pct": f"""
            WITH cla AS ({la}), counted AS (
                SELECT cla.child_id, (SELECT count(*) FROM placement p
                    WHERE p.child_id = cla.child_id
                    AND p.starts_on <= {e0} AND (p.ends_on IS NULL OR p.ends_on >= {s0})
                    AND p.placement_type NOT IN ('T0', 'T1', 'T2', 'T3', 'T4')) AS placements
                FROM cla
            )
            SELECT count(*) FILTER (WHERE placements >= 3), count(*) FROM counted""",
        "cla_long_term_stability_pct": f"""
            WITH cla AS ({la}), cohort AS (
                SELECT cla.* FROM cla JOIN child c ON c.id = cla.child_id
                WHERE cla.starts_on <= CAST({e0} - INTERVAL 30 MONTH AS DATE)
                AND CAST(c.date_of_birth + INTERVAL 16 YEAR AS DATE) > {e0}
            ), current AS (
                SELECT cohort.child_id, p.placement_type, p.starts_on,
                       lag(p.starts_on) OVER (PARTITION BY p.period_id ORDER BY p.starts_on)
                           AS before_on,
                       row_number() OVER (PARTITION BY p.period_id ORDER BY p.starts_on DESC)
                           AS n,
                       p.ends_on
                FROM cohort JOIN placement p ON p.period_id = cohort.id
                WHERE p.starts_on <= {e0}
            )
            SELECT count(*) FILTER (WHERE c.n = 1 AND (c.ends_on IS NULL OR c.ends_on > {e0})
                AND (c.starts_on <= CAST({e0} - INTERVAL 2 YEAR AS DATE)
                     OR (c.placement_type IN ('A3', 'A4', 'A5', 'A6')
                         AND c.before_on <= CAST({e0} - INTERVAL 2 YEAR AS DATE)))),
                (SELECT count(*) FROM cohort)
            FROM current c""",
        "caseload_mean": f"{loads} SELECT sum(cases), count(*) FROM loads",
        "caseload_max": f"{loads} SELECT max(cases), count(*) FROM loads",
        "unallocated_children": f"""
            WITH open_cases AS (
                SELECT child_id FROM referral WHERE received_on <= {e0}
                    AND NOT no_further_action AND (closed_on IS NULL OR closed_on > {e0})
                UNION SELECT child_id FROM cp_plan WHERE starts_on <= {e0}
                    AND (ends_on IS NULL OR ends_on > {e0})
                UNION SELECT child_id FROM ({la})
            )
            SELECT count(*), NULL FROM open_cases o WHERE NOT EXISTS (
                SELECT 1 FROM allocation a WHERE a.child_id = o.child_id
                AND a.starts_on <= {e0} AND (a.ends_on IS NULL OR a.ends_on >= {e0}))""",
        **more_shares(start, end),
    }


def more_shares(start: date, end: date) -> dict[str, str]:
    """The shares added for the Department's dashboard's measures. Besides the tables above
    they read health_assessment (id, child_id, done_on, immunisations_up_to_date,
    teeth_checked), social_worker_allocation (the allocations whose kind is social_worker:
    child_id, worker_id, starts_on, ends_on), and staff's qualified, registration_number,
    agency_worker, starts_on and ends_on."""
    year, s0, e0 = _within(start, end), _day(start), _day(end)
    first = f"CAST({e0} + INTERVAL 1 DAY - INTERVAL 1 YEAR AS DATE)"
    registered = "qualified AND registration_number <> ''"
    in_post = f"starts_on <= {e0} AND (ends_on IS NULL OR ends_on > {e0})"
    oc2 = f"""
        WITH cohort AS (
            SELECT DISTINCT s.child_id FROM period_of_care s
            WHERE s.starts_on <= {first} AND (s.ends_on IS NULL OR s.ends_on >= {e0})
            AND NOT EXISTS (SELECT 1 FROM period_of_care p WHERE p.child_id = s.child_id
                            AND p.starts_on > {first} AND p.starts_on <= {e0})
            AND NOT EXISTS (
                SELECT 1 FROM legal_status l JOIN period_of_care p ON p.id = l.period_id
                WHERE p.child_id = s.child_id AND l.code IN ('V3', 'V4')
                AND l.starts_on <= {e0} AND coalesce(
                    (SELECT min(n.starts_on) FROM legal_status n
                     WHERE n.period_id = l.period_id AND (n.starts_on > l.starts_on
                         OR (n.starts_on = l.starts_on AND n.id > l.id))),
                    p.ends_on, DATE '9999-12-31') >= {first})
        ), latest AS (
            SELECT c.child_id, h.immunisations_up_to_date, h.teeth_checked
            FROM cohort c LEFT JOIN health_assessment h
                ON h.child_id = c.child_id AND h.done_on <= {e0}
            QUALIFY row_number() OVER (PARTITION BY c.child_id
                                       ORDER BY h.done_on DESC NULLS LAST, h.id DESC) = 1
        )"""
    return {
        "referrals_nfa_pct": f"""
            SELECT count(*) FILTER (WHERE no_further_action), count(*) FROM referral
            WHERE received_on {year}""",
        "cp_open_2y_or_more_pct": f"""
            SELECT count(*) FILTER (WHERE {e0} >= CAST(starts_on + INTERVAL 2 YEAR AS DATE)),
                   count(*)
            FROM cp_plan WHERE starts_on <= {e0} AND (ends_on IS NULL OR ends_on > {e0})""",
        "cla_three_or_more_social_workers_pct": f"""
            WITH cla AS (SELECT DISTINCT child_id FROM ({looked_after(end)})), held AS (
                SELECT DISTINCT p.child_id, a.worker_id, greatest(a.starts_on, p.starts_on) AS f,
                       a.ends_on, p.ends_on AS care_ends
                FROM period_of_care p JOIN social_worker_allocation a ON a.child_id = p.child_id
                WHERE p.child_id IN (SELECT child_id FROM cla)
                AND p.starts_on <= {e0} AND (p.ends_on IS NULL OR p.ends_on >= {s0})
                AND a.starts_on <= {e0}
            ), counted AS (
                SELECT cla.child_id, (SELECT count(DISTINCT worker_id) FROM held h
                    WHERE h.child_id = cla.child_id
                    AND (h.ends_on IS NULL OR (h.ends_on > h.f AND h.ends_on >= {s0}))
                    AND NOT (h.care_ends IS NOT NULL AND h.care_ends <= {e0}
                             AND h.f >= h.care_ends)) AS workers
                FROM cla
            )
            SELECT count(*) FILTER (WHERE workers >= 3), count(*) FROM counted""",
        "cla_immunisations_pct": f"""{oc2}
            SELECT count(*) FILTER (WHERE immunisations_up_to_date), count(*) FROM latest""",
        "cla_dental_checks_pct": f"""{oc2}
            SELECT count(*) FILTER (WHERE teeth_checked), count(*) FROM latest""",
        "sw_turnover_pct": f"""
            WITH employed AS (SELECT * FROM staff WHERE {registered} AND NOT agency_worker)
            SELECT (SELECT count(*) FROM employed WHERE ends_on {year}),
                   (SELECT count(*) FROM employed WHERE {in_post})""",
        "sw_agency_pct": f"""
            SELECT count(*) FILTER (WHERE agency_worker), count(*) FROM staff
            WHERE {registered} AND {in_post}""",
    }


# Rates per 10,000 children: the count each is of.
RATES = {
    "referral_rate_per_10k": "referrals",
    "s47_rate_per_10k": "s47_enquiries",
    "cp_rate_per_10k": "cp_plans",
    "cin_rate_per_10k": "cin",
    "cla_rate_per_10k": "cla",
    "cla_started_rate_per_10k": "cla_started",
}

# Timeliness: the share of a rule's duties due in the period done by their due date.
DUTIES = {
    "contact_decisions_within_1wd_pct": ("contact_decision",),
    "assessments_within_timescale_pct": (
        "single_assessment",
        "initial_assessment",
        "core_assessment",
    ),
    "icpc_within_15wd_pct": ("initial_child_protection_conference",),
    "cp_reviews_in_time_pct": ("review_conference",),
    "cla_reviews_in_time_pct": ("looked_after_review",),
    "cla_health_assessments_in_time_pct": ("health_assessment",),
    "cla_peps_in_time_pct": ("personal_education_plan",),
    "missing_rhi_within_72h_pct": ("return_home_interview",),
    "supervision_in_time_pct": ("supervision",),
}


def _judged(start: date, end: date) -> str:
    """Duties due in the period and judgeable on its last day (the duties are as of it)."""
    return f"due {_within(start, end)} AND status IN ('done_on_time', 'done_late', 'overdue')"


def timeliness(rules, start: date, end: date) -> str:
    names = ", ".join(f"'{rule}'" for rule in rules)
    return f"""SELECT count(*) FILTER (WHERE status = 'done_on_time'), count(*) FROM duties
        WHERE rule IN ({names}) AND {_judged(start, end)}"""


def first_core_groups(start: date, end: date) -> str:
    return f"""SELECT count(*) FILTER (WHERE status = 'done_on_time'), count(*) FROM duties
        WHERE rule = 'core_group' AND failure = 'late_first_core_group'
        AND {_judged(start, end)}"""


def children_seen_in_time(start: date, end: date) -> str:
    return f"""SELECT count(*) FILTER (WHERE late = 0), count(*) FROM (
        SELECT child_id, count(*) FILTER (WHERE status <> 'done_on_time') AS late
        FROM duties WHERE rule = 'child_protection_visit' AND {_judged(start, end)}
        GROUP BY child_id)"""


def population(end: date) -> str:
    """Children aged 0 to 17 on the day: the latest mid-year (30 June) estimate by then, else
    the earliest held."""
    year = end.year + (1 if (end.month, end.day) >= (6, 30) else 0)
    return f"""coalesce(
        (SELECT children_0_17 FROM population WHERE year < {year} ORDER BY year DESC LIMIT 1),
        (SELECT children_0_17 FROM population ORDER BY year LIMIT 1))"""


EET = "('F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5')"
CARE_LEAVERS = {
    "care_leavers_eet_pct": f"answered AND activity IN {EET}",
    "care_leavers_suitable_accommodation_pct": (
        "answered AND accommodation NOT IN ('S', 'X') AND accommodation_suitable IS NOT FALSE"
    ),
    "care_leavers_in_touch_pct": "in_touch = 'YES'",
}


CARE_LEAVERS_17_18 = {
    "care_leavers_eet_17_18_pct": CARE_LEAVERS["care_leavers_eet_pct"],
    "care_leavers_suitable_accommodation_17_18_pct": CARE_LEAVERS[
        "care_leavers_suitable_accommodation_pct"
    ],
}


def care_leavers(start: date, end: date, ages=(19, 20, 21), flags=CARE_LEAVERS) -> dict[str, str]:
    """Young people whose 19th, 20th or 21st birthday (or those of the `ages` given) fell in
    the period, had left care before it and not come back, each described once (at the
    period's latest such birthday) by the contact nearest that birthday, as the SSDA903 OC3
    table describes them."""
    values = ", ".join(f"({age})" for age in ages)
    e = _day(end)
    leavers = f"""
        WITH people AS (
            SELECT DISTINCT child_id, date_of_birth FROM care_leaver_contact
            WHERE contact_on <= {e}
        ), birthdays AS (
            SELECT p.child_id, CAST(p.date_of_birth + to_years(a.age) AS DATE) AS birthday
            FROM people p, (VALUES {values}) a(age)
        ), left_care AS (
            SELECT b.* FROM birthdays b
            WHERE b.birthday {_within(start, end)}
            AND EXISTS (SELECT 1 FROM period_of_care c WHERE c.child_id = b.child_id
                        AND c.starts_on <= {e} AND c.ends_on < b.birthday)
            AND NOT EXISTS (SELECT 1 FROM period_of_care c WHERE c.child_id = b.child_id
                            AND c.starts_on <= {e}
                            AND (c.ends_on IS NULL OR c.ends_on > b.birthday))
        ), latest AS (
            SELECT * FROM left_care
            QUALIFY row_number() OVER (PARTITION BY child_id ORDER BY birthday DESC) = 1
        ), nearest AS (
            SELECT t.*, in_touch NOT IN ('DIED', 'RHOM') AND coalesce(accommodation, '') <> ''
                AS answered
            FROM latest l JOIN care_leaver_contact t USING (child_id)
            WHERE t.contact_on <= {e}
            QUALIFY row_number() OVER (PARTITION BY l.child_id ORDER BY
                abs(t.contact_on - l.birthday), t.contact_on, t.id) = 1
        )"""
    return {
        indicator: f"{leavers} SELECT count(*) FILTER (WHERE {flag}), count(*) FROM nearest"
        for indicator, flag in flags.items()
    }


def every_indicator(start: date, end: date, seen_alone_from_age: int = 5) -> dict[str, str]:
    """Each indicator's (numerator, denominator) for the period, judged on its last day."""
    counted = counts(start, end)
    counted["cla"] = f"SELECT count(DISTINCT child_id) FROM ({looked_after(end)})"
    found = {name: f"SELECT ({sql}), NULL" for name, sql in counted.items()}
    found |= {rate: f"SELECT ({counted[of]}), {population(end)}" for rate, of in RATES.items()}
    found |= shares(start, end, seen_alone_from_age)
    found |= {name: timeliness(rules, start, end) for name, rules in DUTIES.items()}
    found["first_core_group_within_10wd_pct"] = first_core_groups(start, end)
    found["cp_children_seen_in_time_pct"] = children_seen_in_time(start, end)
    found |= care_leavers(start, end)
    found |= care_leavers(start, end, (17, 18), CARE_LEAVERS_17_18)
    return found
