"""Loading the tables beside the episodes: reviews, health (OC2), care leavers (OC3), adoption,
previous permanence, missing episodes and the mothers in the Header.

Several of these tables summarise records rather than list them (OC2 has no assessment dates,
OC3 no contact date). For those, what Harbour's export would show from the records held is
worked out first (the `*_shown` functions follow export.py); only where it differs from the
return is one record, dated where the return points (31 March, the care leaver's birthday),
added or changed.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from harbour.care.models import (
    AdoptionPlan,
    CareLeaver,
    CareLeaverContact,
    Conviction,
    HealthAssessment,
    LegalStatus,
    LookedAfterReview,
    PeriodOfCare,
    Placement,
    PreviousPermanence,
)
from harbour.journey.models import MissingEpisode
from harbour.people.models import FamilyMember, Relationship
from harbour.returns.ssda903.checks import CARE_LEAVER_AGES
from harbour.returns.ssda903.load import Loader, age
from harbour.returns.ssda903.periods import UNKNOWN_PLACEMENT, left_care_before
from harbour.returns.ssda903.reading import CHILD, DOB
from harbour.returns.ssda903.tables import DATE_FORMAT


def _d(day: date | None) -> str:
    return day.strftime(DATE_FORMAT) if day else ""


def _flag(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


def reviews(loader: Loader) -> None:
    parsed, year = loader.parsed, loader.year
    if not parsed.has("reviews"):
        return
    ids = [c.pk for c in loader.looked_after()]
    held = defaultdict(list)
    for review in LookedAfterReview.objects.filter(
        child_id__in=ids, held_on__gte=year.start, held_on__lte=year.end
    ).order_by("id"):
        held[(review.child_id, review.held_on)].append(review)
    rows = parsed.rows("reviews")
    for done, row in enumerate(rows, start=1):
        child = loader.children[row[CHILD]]
        period = loader.period_on(child, row["REVIEW"])
        if period is None:
            loader.problem(row, "REVIEW", "Harbour holds no period of care for this child")
            continue
        found = held.get((child.pk, row["REVIEW"]))
        loader.save(
            LookedAfterReview,
            {"child": child, "held_on": row["REVIEW"]},
            {"period_id": period.pk, "participation": row["REVIEW_CODE"]},
            found.pop(0) if found else None,
        )
        loader.step("reviews", done, len(rows))
    for left in held.values():
        for review in left:
            loader.remove(review)


def oc2_shown(born: date, assessments: list, convicted: bool, year) -> tuple:
    """What export._oc2 sends for a child from their assessments up to 31 March."""
    age_end, age_start = age(born, year.end), age(born, year.start)
    latest = assessments[-1] if assessments else None
    in_year = [a for a in assessments if a.done_on >= year.start and a.kind != "summary"]
    scored = [a for a in in_year if a.sdq_score is not None]
    wants_sdq = age_start >= 4 and age_end < 17 or age_end == 4 or age_end == 17
    misuse = [a for a in in_year if a.substance_misuse]
    sdq_score = str(scored[-1].sdq_score) if wants_sdq and scored else ""
    sdq_reason = (
        ""
        if sdq_score or not wants_sdq
        else (latest.sdq_reason if latest and latest.sdq_reason else "SDQ4")
    )
    received = misuse[-1].intervention_received if misuse else None
    return (
        sdq_score,
        sdq_reason,
        ("1" if convicted else "0") if age_end >= 10 else "",
        ("1" if in_year else "0") if age_end < 5 else "",
        "1" if latest and latest.immunisations_up_to_date else "0",
        "1" if latest and latest.teeth_checked else "0",
        "1" if in_year else "0",
        "1" if misuse else "0",
        ("1" if received else "0") if misuse else "",
        ("1" if misuse[-1].intervention_offered else "0") if misuse and not received else "",
    )


def _oc2_given(row) -> tuple:
    score = row["SDQ_SCORE"]
    return (
        "" if score is None else str(score),
        row["SDQ_REASON"] or "",
        _flag(row["CONVICTED"]),
        _flag(row["HEALTH_CHECK"]),
        _flag(row["IMMUNISATIONS"]),
        _flag(row["TEETH_CHECK"]),
        _flag(row["HEALTH_ASSESSMENT"]),
        _flag(row["SUBSTANCE_MISUSE"]),
        _flag(row["INTERVENTION_RECEIVED"]),
        _flag(row["INTERVENTION_OFFERED"]),
    )


def health(loader: Loader) -> None:
    """OC2 gives the state at 31 March, not the assessments: where Harbour's records do not
    already show it, one record dated 31 March holds it (an assessment in the year where the
    return says there was one, otherwise a summary), and a conviction in the year likewise."""
    parsed, year = loader.parsed, loader.year
    if not parsed.has("oc2"):
        return
    rows = parsed.rows("oc2")
    ids = [loader.children[r[CHILD]].pk for r in rows]
    assessments = defaultdict(list)
    for a in HealthAssessment.objects.filter(child_id__in=ids, done_on__lte=year.end).order_by(
        "done_on", "id"
    ):
        assessments[a.child_id].append(a)
    convicted = set(
        Conviction.objects.filter(
            child_id__in=ids, convicted_on__gte=year.start, convicted_on__lte=year.end
        ).values_list("child_id", flat=True)
    )
    for done, row in enumerate(rows, start=1):
        child = loader.children[row[CHILD]]
        if child.date_of_birth is None:
            loader.problem(row, DOB, "Harbour holds no date of birth for this child")
            continue
        held = assessments[child.pk]
        if oc2_shown(child.date_of_birth, held, child.pk in convicted, year) == _oc2_given(row):
            loader.unchanged(HealthAssessment)
            continue
        if row["CONVICTED"] and child.pk not in convicted:
            loader.save(Conviction, {"child": child}, {"convicted_on": year.end})
        period = loader.period_on(child, year.end)
        if period is None:
            loader.problem(row, CHILD, "Harbour holds no period of care for this child")
            continue
        on_the_day = [a for a in held if a.done_on == year.end]
        values = {
            "period_id": period.pk,
            "kind": "review" if row["HEALTH_ASSESSMENT"] else "summary",
            "done_on": year.end,
            "immunisations_up_to_date": row["IMMUNISATIONS"],
            "teeth_checked": row["TEETH_CHECK"],
            "sdq_score": row["SDQ_SCORE"],
            "sdq_reason": row["SDQ_REASON"] or "",
            "substance_misuse": row["SUBSTANCE_MISUSE"],
            "intervention_received": row["INTERVENTION_RECEIVED"],
            "intervention_offered": row["INTERVENTION_OFFERED"],
        }
        existing = on_the_day[-1] if on_the_day else None
        loader.save(HealthAssessment, {"child": child}, values, existing)
        loader.step("health", done, len(rows))


def oc3_shown(contacts: list, birthday: date) -> tuple | None:
    """What export._oc3 sends from the contact nearest the birthday."""
    if not contacts:
        return None
    contact = min(contacts, key=lambda r: abs((r.contact_on - birthday).days))
    suitable = (
        "2"
        if contact.accommodation in ("S", "X") or contact.accommodation_suitable is False
        else "1"
    )
    if contact.in_touch in ("DIED", "RHOM"):
        return (contact.in_touch, "", "")
    if contact.accommodation:
        return (contact.in_touch, contact.activity or "0", contact.accommodation + suitable)
    return (contact.in_touch, "0", "0")


def care_leavers(loader: Loader) -> None:
    """OC3 rows describe a contact around the birthday in the year; where Harbour's records do
    not show it, a contact on the birthday is recorded. A care leaver Harbour knows nothing
    of gets a period of care with dates not known, ended before the year (see
    _period_before), so that it is a care leaver to the return as well."""
    parsed, year = loader.parsed, loader.year
    if not parsed.has("oc3"):
        return
    rows = parsed.rows("oc3")
    ids = [loader.children[r[CHILD]].pk for r in rows]
    leavers = {c.child_id: c for c in CareLeaver.objects.filter(child_id__in=ids)}
    contacts = defaultdict(list)
    for contact in CareLeaverContact.objects.filter(care_leaver__child_id__in=ids).order_by(
        "contact_on", "id"
    ):
        contacts[contact.care_leaver_id].append(contact)
    for done, row in enumerate(rows, start=1):
        child = loader.children[row[CHILD]]
        born = child.date_of_birth
        birthdays = [born + relativedelta(years=n) for n in CARE_LEAVER_AGES] if born else []
        birthday = next((day for day in birthdays if year.within(day)), None)
        if birthday is None:
            loader.problem(row, DOB, "no 17th to 21st birthday of the child falls in the year")
            continue
        leaver = leavers.get(child.pk)
        held = contacts[leaver.pk] if leaver else []
        periods = loader.periods[child.pk]
        given = (row["IN_TOUCH"], row["ACTIV"] or "", row["ACCOM"] or "")
        if left_care_before(periods, birthday) and oc3_shown(held, birthday) == given:
            loader.unchanged(CareLeaverContact)
            continue
        if not left_care_before(periods, birthday):
            still = [p for p in periods if p.ends_on is None or p.ends_on >= birthday]
            if still:
                period = still[-1]
                ended = f"ended {period.ends_on:%d/%m/%Y}" if period.ends_on else "not ended"
                loader.problem(
                    row,
                    CHILD,
                    f"Harbour holds a period of care from {period.starts_on:%d/%m/%Y} ({ended}), "
                    f"so the child was looked after on their birthday ({birthday:%d/%m/%Y}) "
                    "and is not a care leaver in OC3 (import the year care ended first)",
                )
                continue
            periods.insert(0, _period_before(loader, child, born, year))
        if leaver is None:
            category = "relevant" if age(born, birthday) < 18 else "former_relevant"
            leaver = loader.save(CareLeaver, {"child": child}, {"category": category})
            leavers[child.pk] = leaver
        values = {"contact_on": birthday, **_contact(row)}
        on_the_day = [c for c in held if c.contact_on == birthday]
        loader.save(
            CareLeaverContact,
            {"care_leaver": leaver},
            values,
            on_the_day[0] if on_the_day else None,
        )
        loader.step("care leavers", done, len(rows))


def _contact(row) -> dict:
    accommodation = row["ACCOM"] or ""
    activity = row["ACTIV"] or ""
    if accommodation in ("", "0"):
        return {
            "in_touch": row["IN_TOUCH"],
            "activity": "" if activity == "0" else activity,
            "accommodation": "",
            "accommodation_suitable": None,
        }
    return {
        "in_touch": row["IN_TOUCH"],
        "activity": "" if activity == "0" else activity,
        "accommodation": accommodation[0],
        "accommodation_suitable": accommodation[1] == "1",
    }


def _period_before(loader: Loader, child, born: date, year) -> PeriodOfCare:
    """A care leaver was looked after at 16 or later and left before the year: the period is
    held as one day at 16 (its dates not known), before the year began."""
    ends = min(born + relativedelta(years=16) + timedelta(days=1), year.start - timedelta(days=1))
    starts = ends - timedelta(days=1)
    period = loader.save(
        PeriodOfCare,
        {"child": child},
        {
            "starts_on": starts,
            "ends_on": ends,
            "category_of_need": "",
            "reason_ceased": "",
            "dates_known": False,
        },
    )
    first = {"child": child, "period": period}
    loader.save(LegalStatus, first, {"code": "", "starts_on": starts})
    loader.save(Placement, first, {**UNKNOWN_PLACEMENT, "starts_on": starts, "ends_on": ends})
    return period


def adoption(loader: Loader) -> None:
    parsed, year = loader.parsed, loader.year
    if not (parsed.has("ad1") or parsed.has("placed_for_adoption")):
        return
    placed = {(r[CHILD], r["DATE_PLACED"]): r for r in parsed.rows("placed_for_adoption")}
    adopted_rows = {(r[CHILD], r["DATE_INT"]): r for r in parsed.rows("ad1")}
    ids = [loader.children[ref].pk for ref, _ in placed | adopted_rows]
    plans = {(p.child_id, p.decided_on): p for p in AdoptionPlan.objects.filter(child_id__in=ids)}
    for ref, decided in sorted(set(placed) | set(adopted_rows)):
        child = loader.children[ref]
        plan = plans.get((child.pk, decided))
        values: dict = {"decided_on": decided}
        row = placed.get((ref, decided))
        if row is not None:
            adopted = any(
                p.reason_ceased in ("E11", "E12") and year.within(p.ends_on)
                for p in loader.periods[child.pk]
            )
            ceased = row["DATE_PLACED_CEASED"]
            held = plan.placement_ceased_on if plan else None
            if ceased is None and held and (adopted or held > year.end):
                pass  # the return does not show it (adopted, or ceased after the year)
            else:
                values["placement_ceased_on"] = ceased
                values["reason_ceased"] = row["REASON_PLACED_CEASED"] or ""
        row = adopted_rows.get((ref, decided))
        if row is not None:
            values.update(
                matched_on=row["DATE_MATCH"],
                foster_carers_adopting=row["FOSTER_CARE"],
                number_of_adopters=row["NB_ADOPTR"],
                adopters_sex=row["SEX_ADOPTR"] or "",
                adopters_legal_status=row["LS_ADOPTR"] or "",
            )
        loader.save(AdoptionPlan, {"child": child}, values, plan)


def permanence(loader: Loader) -> None:
    parsed = loader.parsed
    if not parsed.has("previous_permanence"):
        return
    rows = parsed.rows("previous_permanence")
    ids = [loader.children[r[CHILD]].pk for r in rows]
    held = {}
    for record in PreviousPermanence.objects.filter(child_id__in=ids).order_by("id"):
        held[record.child_id] = record  # the export uses the last
    for row in rows:
        child = loader.children[row[CHILD]]
        record = held.get(child.pk)
        made = row["DATE_PERM"]
        text = made.strftime(DATE_FORMAT) if isinstance(made, date) else (made or "")
        given = (row["PREV_PERM"], row["LA_PERM"] or "", text)
        if record is None or record.option == "Z1":
            shown = ("Z1", "", "")
        else:
            shown = (record.option, record.la_code, record.made_on_text or _d(record.made_on))
        if shown == given:
            loader.unchanged(PreviousPermanence)
            continue
        values = {
            "option": row["PREV_PERM"],
            "la_code": row["LA_PERM"] or "",
            "made_on": made if isinstance(made, date) else None,
            "made_on_text": "" if isinstance(made, date) else (made or ""),
        }
        loader.save(PreviousPermanence, {"child": child}, values, record)


def _at(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def missing(loader: Loader) -> None:
    """The return gives days, not times: a new missing episode runs from the start of its first
    day to the end of its last; times already held are kept where the day is the same."""
    parsed, year = loader.parsed, loader.year
    if not parsed.has("missing"):
        return
    children = loader.looked_after()
    held = defaultdict(list)
    for episode in MissingEpisode.objects.filter(child_id__in=[c.pk for c in children]).order_by(
        "started_at", "id"
    ):
        held[(episode.child_id, timezone.localtime(episode.started_at).date())].append(episode)
    rows = parsed.rows("missing")
    for done, row in enumerate(rows, start=1):
        child = loader.children[row[CHILD]]
        found = held.get((child.pk, row["MIS_START"]))
        record = found.pop(0) if found else None
        values = {"kind": row["MISSING"]}
        ended = row["MIS_END"]
        if record is None:
            values["started_at"] = _at(row["MIS_START"], time(0, 0))
            values["ended_at"] = _at(ended, time(23, 59)) if ended else None
        else:
            held_end = timezone.localtime(record.ended_at).date() if record.ended_at else None
            if ended is not None and held_end != ended:
                values["ended_at"] = _at(ended, time(23, 59))
            elif ended is None and held_end is not None and held_end <= year.end:
                values["ended_at"] = None
        loader.save(MissingEpisode, {"child": child}, values, record)
        loader.step("missing episodes", done, len(rows))
    for (child_id, started), left in held.items():
        for episode in left:
            ended = episode.ended_at and timezone.localtime(episode.ended_at).date()
            in_care = any(p.is_open_on(started) for p in loader.periods[child_id])
            if started <= year.end and (ended is None or ended >= year.start) and in_care:
                loader.remove(episode)  # the return covers it and no longer shows it


def mothers(loader: Loader) -> None:
    """MOTHER 1 with MC_DOB: the girl's first child, born that day. Where Harbour holds no
    child of hers born then, one is recorded, named for her (the return gives no name)."""
    parsed, year = loader.parsed, loader.year
    rows = [r for r in parsed.rows("header") if r["MOTHER"] and r["MC_DOB"]]
    if not rows:
        return
    ids = [loader.children[r[CHILD]].pk for r in rows]
    births = defaultdict(list)
    for child_id, born in Relationship.objects.filter(
        child_id__in=ids, kind="son_daughter"
    ).values_list("child_id", "family_member__date_of_birth"):
        if born:
            births[child_id].append(born)
    for row in rows:
        child = loader.children[row[CHILD]]
        held = sorted(b for b in births[child.pk] if b <= year.end)
        if row["MC_DOB"] in held:
            loader.unchanged(Relationship)
            continue
        baby = loader.save(
            FamilyMember,
            {},
            {"forename": "Child of", "surname": child.reference, "date_of_birth": row["MC_DOB"]},
        )
        loader.save(Relationship, {"child": child, "family_member": baby}, {"kind": "son_daughter"})
