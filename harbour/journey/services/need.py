"""The child in need plan (its start and outcomes) and its reviews (date, what the review found,
and whether the plan continues or ends). A review completes the child_in_need_plan_review
duty; a review that ends the plan ends it on the day it was held. Each function is one action:
keyword-only arguments, validation inside, one transaction, audited."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from harbour.journey.models import ChildInNeedPlan, ChildInNeedPlanReview, Referral
from harbour.journey.services.referral import (
    note,
    on_day,
    past_or_today,
    save_edit,
    staff_of,
    text,
)


def _plan_errors(referral: Referral, starts_on, outcomes, *, besides=None) -> dict:
    errors: dict = {}
    past_or_today(errors, "starts_on", starts_on, what="the plan started")
    if not text(outcomes):
        errors["outcomes"] = "Enter the outcomes the plan is to achieve"
    if "starts_on" in errors:
        return errors
    if starts_on < referral.received_on:
        errors["starts_on"] = (
            "The plan cannot start before the referral was received "
            f"({on_day(referral.received_on)})"
        )
    elif referral.closed_on is not None and starts_on > referral.closed_on:
        errors["starts_on"] = (
            "The plan must start before the child in need episode closed "
            f"({on_day(referral.closed_on)})"
        )
    else:
        open_plans = ChildInNeedPlan.objects.filter(
            referral=referral, ends_on__isnull=True
        ).exclude(pk=getattr(besides, "pk", None))
        current = open_plans.first()
        if current is not None:
            errors["starts_on"] = (
                f"{referral.child.name} already has a child in need plan from "
                f"{on_day(current.starts_on)}: review it, or end it at its review"
            )
    return errors


@transaction.atomic
def record_child_in_need_plan(
    *, by, referral: Referral, starts_on: date | None, outcomes: str, request=None
) -> ChildInNeedPlan:
    """A child in need plan for the referral's child, from `starts_on`, with the outcomes it
    is to achieve (and how: who does what by when, in the worker's words)."""
    staff_of(by, "starts_on")
    errors = _plan_errors(referral, starts_on, outcomes)
    if errors:
        raise ValidationError(errors)
    plan = ChildInNeedPlan.objects.create(
        child_id=referral.child_id,
        referral=referral,
        starts_on=starts_on,
        outcomes=text(outcomes),
        created_by=by,
        updated_by=by,
    )
    note(
        by=by,
        child=referral.child,
        obj=plan,
        request=request,
        action="child in need plan recorded",
    )
    return plan


@transaction.atomic
def update_child_in_need_plan(
    *,
    by,
    plan: ChildInNeedPlan,
    version: int,
    starts_on: date | None,
    outcomes: str,
    request=None,
) -> ChildInNeedPlan:
    """The plan's start and outcomes as they now stand, if no one saved the plan since
    `version` was opened."""
    staff_of(by, "starts_on")
    errors = _plan_errors(plan.referral, starts_on, outcomes, besides=plan)
    if "starts_on" not in errors:
        first = plan.reviews.order_by("held_on").first()
        if first is not None and starts_on > first.held_on:
            errors["starts_on"] = (
                f"The plan cannot start after its first review ({on_day(first.held_on)})"
            )
        elif plan.ends_on is not None and starts_on > plan.ends_on:
            errors["starts_on"] = f"The plan cannot start after it ended ({on_day(plan.ends_on)})"
    if errors:
        raise ValidationError(errors)
    plan.starts_on = starts_on
    plan.outcomes = text(outcomes)
    save_edit(plan, version, by)
    note(by=by, child=plan.child, obj=plan, request=request, action="child in need plan changed")
    return plan


@transaction.atomic
def record_plan_review(
    *,
    by,
    plan: ChildInNeedPlan,
    held_on: date | None,
    notes: str,
    decision: str,
    request=None,
) -> ChildInNeedPlanReview:
    """A review of the child in need plan held on `held_on`: what it found (progress against
    the outcomes, what changes) and its decision, that the plan continues or ends (the plan then
    ends on the day of the review). A review held late is recorded as held; the duty shows it
    late."""
    staff_of(by, "held_on")
    plan = ChildInNeedPlan.objects.select_for_update().select_related("child").get(pk=plan.pk)
    errors: dict = {}
    past_or_today(errors, "held_on", held_on, what="the review was held")
    if not text(notes):
        errors["notes"] = "Enter what the review found"
    if decision not in ChildInNeedPlanReview.Decision.values:
        errors["decision"] = "Select whether the plan continues or ends"
    if "held_on" not in errors:
        if held_on < plan.starts_on:
            errors["held_on"] = (
                f"The review cannot be before the plan started ({on_day(plan.starts_on)})"
            )
        elif plan.ends_on is not None and held_on > plan.ends_on:
            errors["held_on"] = (
                f"The plan ended on {on_day(plan.ends_on)}: a review must be held before then"
            )
    if errors:
        raise ValidationError(errors)
    review = ChildInNeedPlanReview.objects.create(
        plan=plan,
        held_on=held_on,
        notes=text(notes),
        decision=decision,
        created_by=by,
        updated_by=by,
    )
    if decision == ChildInNeedPlanReview.Decision.END and plan.ends_on is None:
        plan.ends_on = held_on
        plan.updated_by = by
        plan.save()
    note(
        by=by,
        child=plan.child,
        obj=review,
        request=request,
        action="child in need plan reviewed",
        decision=decision,
        plan_id=plan.pk,
    )
    return review
