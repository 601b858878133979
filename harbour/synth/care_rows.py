"""Writing a period of care with everything the care planning regulations ask around it."""

import math
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from harbour.access.roles import Role
from harbour.synth import text

PARTICIPATION = {"PN1": 45, "PN2": 8, "PN3": 5, "PN4": 6, "PN5": 8, "PN6": 18, "PN7": 10}


def write_care(w, c) -> None:
    ctx, child, sink = w.ctx, w.child, w.sink
    if not w.visible(c.starts_on):
        return
    ended = w.visible(c.ends_on)
    period_id = sink.add(
        "care.PeriodOfCare",
        {
            "child_id": child.id,
            "starts_on": c.starts_on,
            "ends_on": c.ends_on if ended else None,
            "category_of_need": c.category_of_need,
            "reason_ceased": c.reason_ceased if ended else "",
        },
    )
    w.chronology(c.starts_on, "care", "Became looked after.", True, f"care:{period_id}")
    for starts, code in c.legal:
        if w.visible(starts):
            sink.add(
                "care.LegalStatus",
                {"period_id": period_id, "child_id": child.id, "code": code, "starts_on": starts},
            )
    previous_postcode = None
    for n, placement in enumerate(c.placements):
        if not w.visible(placement["starts_on"]):
            break
        row = dict(placement, period_id=period_id, child_id=child.id)
        # Never the child's own home; and a move is a move, to another address.
        taken = {child.extra.get("postcode"), previous_postcode}
        while row["placement_type"] != "P1" and row["postcode"] in taken:
            # Another address in the same area: own provision out of area breaks rule 1015.
            area = w.rng.choice(ctx.size.districts) if row["in_area"] else "elsewhere"
            row["postcode"] = text.address(w.rng, area)[2]
        # Nor any home the child's household has had: the next postcode of the same area,
        # chosen without a random draw, so the rest of the county is unchanged.
        homes = child.extra.get("postcodes", ())
        if row["placement_type"] != "P1" and row["postcode"] in homes:
            pool = next(c for c in text.postcodes().values() if row["postcode"] in c)
            i = pool.index(row["postcode"])
            while pool[i] in homes or pool[i] in taken:
                i = (i + 1) % len(pool)
            row["postcode"] = pool[i]
        previous_postcode = row["postcode"]
        if not w.visible(placement["ends_on"]):
            row["ends_on"], row["reason_for_change"] = None, ""
        sink.add("care.Placement", row)
        if n:
            w.chronology(
                placement["starts_on"],
                "care",
                "Moved to a new placement.",
                True,
                f"care:{period_id}",
            )
    if ended:
        w.chronology(c.ends_on, "care", "Stopped being looked after.", True, f"care:{period_id}")
    _reviews(w, c, period_id)
    _visits(w, c)
    _health(w, c, period_id)
    _education(w, c, period_id)
    _missing(w, c)
    _motherhood(w, c)
    if c.adoption:
        _adoption(w, c)
    if c.care_leaver or (not ended and child.age(ctx.end) >= 16):
        _leaving_care(w, c)


def _reviews(w, c, period_id) -> None:
    """First review within 20 working days, the second within 3 months, then 6-monthly."""
    ctx, child, rng = w.ctx, w.child, w.rng
    held = ctx.wd(c.starts_on, rng.randint(10, 20))
    # Before April 2011 the first review was due within 28 days, which Easter can make sooner.
    if held > c.starts_on + timedelta(days=28):
        held = ctx.cal.subtract(c.starts_on + timedelta(days=29), 1)
    count = 0
    iro_slot = w.county.workforce.case_slot("reviewing", None, roles=(Role.IRO,))
    while held < c.ends_on and w.visible(held):
        age = child.age(held)
        w.sink.add(
            "care.LookedAfterReview",
            {
                "child_id": child.id,
                "period_id": period_id,
                "held_on": held,
                "participation": "PN0" if age < 4 else ctx.pick(PARTICIPATION),
                "iro_id": iro_slot.holder(held).staff_id,
            },
        )
        count += 1
        due = held + relativedelta(months=3 if count == 1 else 6)
        held = ctx.working_day_between(due - timedelta(days=21), due - timedelta(days=1))


def _visits(w, c) -> None:
    """A visit within a week of each placement starting, then at most six weeks apart."""
    ctx = w.ctx
    last = None
    for placement in c.placements:
        starts, ends = placement["starts_on"], min(placement["ends_on"], c.ends_on)
        if not w.visible(starts):
            return
        latest = starts + timedelta(days=7)
        if last is not None:
            latest = min(latest, last + timedelta(days=42))
        visit_on = ctx.working_day_between(starts, latest)
        while visit_on < ends and w.visible(visit_on):
            w.visit("looked_after", visit_on)
            last = visit_on
            visit_on = ctx.working_day_between(last + timedelta(days=28), last + timedelta(days=42))


def _health(w, c, period_id) -> None:
    """Initial health assessment within 20 working days; reviews 6-monthly under 5, else yearly."""
    ctx, child, rng = w.ctx, w.child, w.rng
    done = ctx.wd(c.starts_on, rng.randint(8, 20))
    kind = "initial"
    while done < c.ends_on and w.visible(done):
        age = child.age(done)
        w.sink.add(
            "care.HealthAssessment",
            {
                "child_id": child.id,
                "period_id": period_id,
                "kind": kind,
                "done_on": done,
                "immunisations_up_to_date": rng.random() < 0.85,
                "teeth_checked": rng.random() < 0.75 if age >= 1 else None,
                "sdq_score": rng.randint(4, 28) if 4 <= age < 17 else None,
                "substance_misuse": rng.random() < 0.04 if age >= 11 else None,
                "intervention_offered": None,
                "intervention_received": None,
            },
        )
        kind = "review"
        due = done + relativedelta(months=6 if age < 5 else 12)
        done = ctx.working_day_between(due - timedelta(days=30), due - timedelta(days=1))


def _education(w, c, period_id) -> None:
    """A personal education plan within 20 school days of coming into care, then each term."""
    ctx, child, rng = w.ctx, w.child, w.rng
    if child.age(c.starts_on) < 3:
        return
    school = ctx.school_days
    held = school.add(c.starts_on, rng.randint(5, 20))
    term_index = ctx.term_index(held)
    while held < c.ends_on and w.visible(held) and child.age(held) < 18:
        w.sink.add(
            "care.PersonalEducationPlan",
            {
                "child_id": child.id,
                "period_id": period_id,
                "held_on": held,
                "school_name": f"{child.district} Academy",
            },
        )
        term_index += 1
        if term_index >= len(ctx.terms):
            return
        term_starts, term_ends = ctx.terms[term_index]
        held = ctx.working_day_between(term_starts + timedelta(days=7), term_ends)


def _missing(w, c) -> None:
    """Some teenagers go missing; each return gets a return home interview within 72 hours."""
    ctx, child, rng = w.ctx, w.child, w.rng
    from_day = max(c.starts_on, child.born + relativedelta(years=11))
    if from_day >= c.ends_on or rng.random() > 0.2:
        return
    per_year = rng.uniform(1, 8)
    at = ctx.at(from_day, 19)
    moves = [p["starts_on"] for p in c.placements[1:]]
    back = at
    while True:
        at = max(at, back) + timedelta(days=-math.log(1 - rng.random()) / per_year * 365)
        back = at + timedelta(hours=rng.randint(3, 60))
        interview = back + timedelta(hours=rng.randint(8, 66))
        if back.date() >= c.ends_on or interview.date() > w.end:
            return
        # Back before a move and before a collection year ends, so the return can close it.
        if any(at.date() <= day <= back.date() for day in moves) or (
            at.date() <= date(at.year, 3, 31) < back.date()
        ):
            continue
        write_missing(w, at, back, interview)


def _motherhood(w, c) -> None:
    """A few young women in care become mothers (the return's MOTHER and MC_DOB)."""
    child, rng = w.child, w.rng
    sixteen = child.born + relativedelta(years=16)
    if child.sex != "F" or rng.random() > 0.05:
        return
    earliest = max(c.starts_on, sixteen)
    latest = min(c.ends_on, w.end)
    if earliest >= latest:
        return
    born = w.ctx.day_between(earliest, latest)
    baby = w.sink.add(
        "people.FamilyMember",
        {
            "forename": text.given_name(rng, rng.choice("FM")),
            "surname": "",
            "date_of_birth": born,
            "sex": rng.choice("FM"),
            "phone": "",
            "address": "",
            "child_record_id": None,
        },
    )
    w.sink.add(
        "people.Relationship",
        {
            "child_id": child.id,
            "family_member_id": baby,
            "kind": "son_daughter",
            "parental_responsibility": False,
            "lives_with_child": True,
        },
    )


def write_missing(w, left: datetime, back: datetime, interview: datetime) -> None:
    declined = w.rng.random() < 0.2
    w.sink.add(
        "journey.MissingEpisode",
        {
            "child_id": w.child.id,
            "kind": "M" if w.rng.random() < 0.8 else "A",
            "started_at": left,
            "ended_at": back,
            "reported_to_police": True,
            "interview_offered_at": interview - timedelta(hours=4),
            "interview_held_at": None if declined else interview,
            "interview_declined": declined,
            "interview_by": "Independent return home interview service",
            "notes": "",
        },
    )
    w.chronology(left.date(), "missing", "Missing from placement; returned safe.", True, "missing")


def _adoption(w, c) -> None:
    a, rng = c.adoption, w.rng
    if not w.visible(a["decided_on"]):
        return
    placed = w.visible(a["placed_on"])
    adopted = w.visible(c.ends_on) and c.reason_ceased in ("E11", "E12")
    couple = rng.random() < 0.85
    sex = ("MF" if rng.random() < 0.85 else rng.choice(("MM", "FF"))) if couple else "F1"
    status = {"MF": "L11", "MM": "L12", "FF": "L12"}.get(sex, "L0")  # married, or single
    w.sink.add(
        "care.AdoptionPlan",
        {
            "child_id": w.child.id,
            "decided_on": a["decided_on"],
            "matched_on": w.until(a["matched_on"]),
            "placed_on": a["placed_on"] if placed else None,
            "placement_ceased_on": c.ends_on if adopted else None,
            "reason_ceased": "",
            "foster_carers_adopting": False if placed else None,  # A6: not the foster carers
            "number_of_adopters": (2 if couple else 1) if placed else None,
            "adopters_sex": sex if placed else "",
            "adopters_legal_status": status if placed else "",
        },
    )


def _leaving_care(w, c) -> None:
    """Pathway plan from 16; after 18 a personal adviser keeps in touch until 21."""
    ctx, child, rng, sink = w.ctx, w.child, w.rng, w.sink
    sixteen = child.born + relativedelta(years=16)
    plan_from = max(c.starts_on, sixteen) + timedelta(days=rng.randint(10, 60))
    left = w.visible(c.ends_on)
    adviser = None
    if left:
        slot = w.county.workforce.case_slot("care_leavers", None, roles=(Role.PERSONAL_ADVISER,))
        twenty_one = child.born + relativedelta(years=21)
        adviser = slot.holder(min(ctx.end, twenty_one)).staff_id
        for when, tenure in slot.changes_between(c.ends_on, min(ctx.end, twenty_one)):
            following = [t for t in slot.tenures if t.starts_on > when]
            ends = following[0].starts_on if following else None
            if ends is None or ends > twenty_one:
                ends = twenty_one
            sink.add(
                "workforce.Allocation",
                {
                    "child_id": child.id,
                    "worker_id": tenure.staff_id,
                    "team_id": slot.team_id,
                    "kind": "personal_adviser",
                    "reason": "FCONTA" if when == c.ends_on else "LEFTRL",
                    "starts_on": when,
                    "ends_on": w.until(ends),
                },
            )
    aged_18 = w.visible(child.eighteen)
    reviewed = plan_from
    while w.visible(reviewed + relativedelta(months=6)):
        reviewed += relativedelta(months=6)
    leaver_id = sink.add(
        "care.CareLeaver",
        {
            "child_id": child.id,
            "category": "former_relevant" if aged_18 else "eligible",
            "personal_adviser_id": adviser,
            "pathway_plan_started_on": w.until(plan_from),
            "pathway_plan_reviewed_on": w.until(reviewed) if reviewed != plan_from else None,
            "staying_put": c.reason_ceased == "E17",
        },
    )
    if not left:
        return
    in_touch = rng.random() < 0.92
    working = rng.random() < 0.55
    suitable = rng.random() < 0.9
    contact_on = c.ends_on + timedelta(days=rng.randint(20, 56))
    while w.visible(contact_on) and contact_on < child.born + relativedelta(years=21):
        sink.add(
            "care.CareLeaverContact",
            {
                "care_leaver_id": leaver_id,
                "contact_on": contact_on,
                "in_touch": "YES" if in_touch else "NO",
                "accommodation": ("U" if suitable else "S") if in_touch else "",
                "accommodation_suitable": suitable if in_touch else None,
                "activity": ("F4" if working else "G5") if in_touch else "",
            },
        )
        contact_on += timedelta(days=rng.randint(40, 56))
