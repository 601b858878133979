"""Closing the child in need episode: the date and the Department's reason (the census's
ReasonForClosure codes, shown in words). What must end with the episode ends with it: its open
child in need plans end on the same day. A child still on a child protection plan, or still
looked after, cannot have the episode closed under them: those end first, at a review
conference or when the child leaves care."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from harbour.codes import code_list
from harbour.journey.models import ChildInNeedPlan, ChildProtectionPlan, Referral
from harbour.journey.services.common import note, on_day, past_or_today, save_edit, staff_of

# Reasons that mean the case closed straight after its assessment.
AFTER_ASSESSMENT = ("RC8", "RC9")
STEPPED_DOWN_AFTER_ASSESSMENT = "RC9"
SERVICES_CEASED = "RC7"


def closure_errors(referral: Referral, closed_on: date | None, reason: str) -> dict:
    """What stops the episode closing on `closed_on` for `reason` (empty if nothing does)."""
    errors: dict = {}
    if referral.closed_on is not None:
        return {"closed_on": f"This child in need episode closed on {on_day(referral.closed_on)}"}
    if not reason or reason not in code_list("closure_reason"):
        errors["closure_reason"] = "Select the reason the case is closing"
    past_or_today(errors, "closed_on", closed_on, what="the case closed")
    if "closed_on" in errors:
        return errors
    if closed_on < referral.received_on:
        errors["closed_on"] = (
            "The case cannot close before the referral was received "
            f"({on_day(referral.received_on)})"
        )
        return errors
    later_plan = (
        ChildInNeedPlan.objects.filter(referral=referral, starts_on__gt=closed_on)
        .order_by("starts_on")
        .first()
    )
    if later_plan is not None:
        errors["closed_on"] = (
            f"The child in need plan started on {on_day(later_plan.starts_on)}, after this date"
        )
    protection = ChildProtectionPlan.objects.filter(child_id=referral.child_id).filter(
        starts_on__lte=closed_on
    )
    if (
        protection.filter(ends_on__isnull=True).exists()
        or protection.filter(ends_on__gt=closed_on).exists()
    ):
        errors["closed_on"] = (
            f"{referral.child.name} is on a child protection plan on that day: the plan ends at "
            "a review conference, which must be recorded first"
        )
    from harbour.care.models import PeriodOfCare

    care = PeriodOfCare.objects.filter(child_id=referral.child_id, starts_on__lte=closed_on)
    if care.filter(ends_on__isnull=True).exists() or care.filter(ends_on__gt=closed_on).exists():
        errors["closed_on"] = (
            f"{referral.child.name} is looked after on that day: record the end of the period "
            "of care first"
        )
    return errors


def end_with_episode(*, by, referral: Referral, closed_on: date) -> list:
    """What ends with the episode: its open child in need plans, on the same day."""
    ended = []
    for plan in ChildInNeedPlan.objects.select_for_update().filter(
        referral=referral, ends_on__isnull=True
    ):
        plan.ends_on = closed_on
        plan.updated_by = by
        plan.save()
        ended.append(plan)
    return ended


def close(*, by, staff, referral: Referral, closed_on: date, reason: str) -> list:
    """Close the episode (already validated, row locked by the caller's save)."""
    referral.closed_on = closed_on
    referral.closure_reason = reason
    referral.closed_by = staff
    return end_with_episode(by=by, referral=referral, closed_on=closed_on)


@transaction.atomic
def close_episode(
    *,
    by,
    referral: Referral,
    version: int,
    closed_on: date | None,
    closure_reason: str,
    request=None,
) -> Referral:
    """The child in need episode closed on `closed_on` for the Department's `closure_reason`
    (RC1 adopted … RC9 closed after assessment, referred to early help), by the person
    recording; its open child in need plans end the same day. Saved only if no one changed the
    referral since `version` was opened."""
    staff = staff_of(by, "closure_reason")
    errors = closure_errors(referral, closed_on, closure_reason)
    if errors:
        raise ValidationError(errors)
    ended = close(by=by, staff=staff, referral=referral, closed_on=closed_on, reason=closure_reason)
    save_edit(referral, version, by)
    note(
        by=by,
        child=referral.child,
        obj=referral,
        request=request,
        action="child in need episode closed",
        closure_reason=closure_reason,
        plans_ended=[plan.pk for plan in ended],
    )
    return referral
