"""Loading Lists 8 to 10: periods of care with their latest legal status, placement, review
and health assessment; care leavers and their latest contact; adoption decisions."""

from datetime import timedelta

from harbour.care.models import (
    AdoptionPlan,
    CareLeaver,
    CareLeaverContact,
    HealthAssessment,
    LegalStatus,
    LookedAfterReview,
    PeriodOfCare,
    Placement,
)
from harbour.returns.annex_a.load_journey import _days, _first, _ids, _rows
from harbour.returns.annex_a.loader import Loader, given

L8_VISIT = "Date of Last Social Work Visit"
L8_DENTAL = "Date of Last Dental Check"
L10_DECIDED = "Date of Decision that Child Should be Placed for Adoption"
INITIAL_HEALTH_DAYS = 28  # an initial health assessment is due within 20 working days


def load_periods(loader: Loader) -> None:
    ids = _ids(loader, "List 8")

    def on(model, field: str, *headings: str) -> dict:
        """What is held on the days the list gives, by period (by child: periods) and day."""
        days = _days(loader, "List 8", *headings)
        found = model.objects.filter(child_id__in=ids, **{f"{field}__in": days})
        return _first(found, "child_id" if model is PeriodOfCare else "period_id", field)

    held = on(PeriodOfCare, "starts_on", "Date Started to be Looked After")
    legal = on(LegalStatus, "starts_on", "Start date of current legal status")
    placements = on(Placement, "starts_on", "Start Date of Most Recent Placement")
    reviews = on(LookedAfterReview, "held_on", "Date of Latest Statutory Review")
    health = on(HealthAssessment, "done_on", "Date of Last Health Assessment", L8_DENTAL)
    for row in _rows(loader, "List 8"):
        child, starts = loader.child(row), row["Date Started to be Looked After"]
        ended = row["Date Ceased to be Looked After"]
        values = {
            "category_of_need": row["Child's Category of Need"],
            "ends_on": ended,
            "reason_ceased": row["Reason Ceased to be Looked After"],
        }
        period = loader.save(
            PeriodOfCare,
            {"child": child, "starts_on": starts},
            given(values),
            held.get((child.pk, starts)),
        )
        on = {"child": child, "period": period}
        status_from = row["Start date of current legal status"]
        if status_from and row["Child's Legal Status"]:
            loader.save(
                LegalStatus,
                {**on, "starts_on": status_from},
                {"code": row["Child's Legal Status"]},
                legal.get((period.pk, status_from)),
            )
        placed = row["Start Date of Most Recent Placement"]
        if placed and row["Placement Type"]:
            existing = placements.get((period.pk, placed))
            values = {
                "placement_type": row["Placement Type"],
                "provider": row["Placement Provider"],
                "postcode": row["Placement postcode"],
                "urn": row["URN of Placement"],
                "in_area": row["Placement Location"],
            }
            if existing is None:
                values = {"provider": "", "ends_on": ended, **given(values)}
            loader.save(Placement, {**on, "starts_on": placed}, given(values), existing)
        review = row["Date of Latest Statutory Review"]
        if review:
            loader.save(
                LookedAfterReview,
                {**on, "held_on": review},
                {},
                reviews.get((period.pk, review)),
            )
        _health(loader, row, on, health)


def _health(loader: Loader, row, on: dict, health: dict) -> None:
    period = on["period"]
    last = row["Date of Last Health Assessment"]
    dental = row[L8_DENTAL]
    for day in sorted({d for d in (last, dental) if d}):
        existing = health.get((period.pk, day))
        values = {"teeth_checked": True if day == dental else None}
        if existing is None:
            soon = day - period.starts_on <= timedelta(INITIAL_HEALTH_DAYS)
            values["kind"] = HealthAssessment.Kind.INITIAL if soon else HealthAssessment.Kind.REVIEW
        health[(period.pk, day)] = loader.save(
            HealthAssessment, {**on, "done_on": day}, given(values), existing
        )


def load_care_leavers(loader: Loader) -> None:
    ids = _ids(loader, "List 9")
    held = {c.child_id: c for c in CareLeaver.objects.filter(child_id__in=ids)}
    contacts = {}
    for contact in CareLeaverContact.objects.filter(
        care_leaver__child_id__in=ids, contact_on__lte=loader.as_of
    ).order_by("contact_on", "id"):
        contacts[contact.care_leaver_id] = contact  # the latest
    for row in _rows(loader, "List 9"):
        child = loader.child(row)
        adviser = loader.worker(row, role="personal_adviser")
        leaver = loader.save(
            CareLeaver,
            {"child": child},
            given({"category": row["Eligibility Category"], "personal_adviser": adviser}),
            held.get(child.pk),
        )
        if row["LA in Touch"] is None:
            continue
        values = {
            "in_touch": row["LA in Touch"],
            "accommodation": row["Type of Accommodation"] or "",
            "accommodation_suitable": row["Suitability of Accommodation"],
            "activity": row["Activity Status"] or "",
        }
        latest = contacts.get(leaver.pk)
        same = latest is not None and all(getattr(latest, k) == v for k, v in values.items())
        if same:
            loader.save(CareLeaverContact, {}, {}, latest)
            continue
        # The workbook gives what was known, not when it was learnt: dated on its own date.
        existing = latest if latest and latest.contact_on == loader.as_of else None
        loader.save(
            CareLeaverContact,
            {"care_leaver": leaver, "contact_on": loader.as_of},
            values,
            existing,
        )


def load_adoption(loader: Loader) -> None:
    ids = _ids(loader, "List 10")
    decisions = _days(loader, "List 10", L10_DECIDED)
    entered = _days(loader, "List 10", "Date the Child Entered Care")
    orders = _days(loader, "List 10", "Date of Placement Order")
    held = _first(
        AdoptionPlan.objects.filter(child_id__in=ids, decided_on__in=decisions),
        "child_id",
        "decided_on",
    )
    periods = _first(
        PeriodOfCare.objects.filter(child_id__in=ids, starts_on__in=entered),
        "child_id",
        "starts_on",
    )
    legal = _first(
        LegalStatus.objects.filter(child_id__in=ids, starts_on__in=orders),
        "period_id",
        "starts_on",
    )
    made = {}  # (period id, day): placement orders made by this step
    for row in _rows(loader, "List 10"):
        child = loader.child(row)
        decided = row[L10_DECIDED]
        existing = held.get((child.pk, decided))
        adopted = row["Date of Adoption Order"]
        reversed_on = row["Date of Decision that Child Should No Longer be Placed for Adoption"]
        values = {
            "matched_on": row["Date of Matching Child and Prospective Adopters"],
            "placed_on": row["Date Placed for Adoption"],
        }
        if existing is None or existing.placement_ceased_on is None:
            values["placement_ceased_on"] = reversed_on or adopted
        if reversed_on and (existing is None or not existing.reason_ceased):
            values["reason_ceased"] = row["Reason Why Child No Longer Placed for Adoption"]
        loader.save(AdoptionPlan, {"child": child, "decided_on": decided}, given(values), existing)
        period = periods.get((child.pk, row["Date the Child Entered Care"]))
        order = row["Date of Placement Order"]
        if period is not None and order and (period.pk, order) not in legal:
            # A placement order is the legal status E1 from the day it was made.
            made[(period.pk, order)] = loader.save(
                LegalStatus,
                {"child": child, "period": period, "starts_on": order},
                {"code": "E1"},
                made.get((period.pk, order)),
            )
