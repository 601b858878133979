"""Assessments: recorded from the referral they belong to, changed as the work goes on, and
submitted for the manager's sign-off (the sign-off itself, authorised_by and authorised_on, is
the manager's step).

The child seen (and when), seen alone, and the child's views are required answers: where the
child was not seen, not seen alone, or their views are not recorded, the reason is. The census's
assessment factors are stored as its codes. Each function is one action: keyword-only arguments,
validation inside, one transaction, audited."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.codes import code_list
from harbour.journey.models import Assessment, Referral
from harbour.journey.services.common import note, on_day, past_or_today, save_edit, staff_of, text

NO_FACTORS = "21"  # the census's "No factors identified"
# Kinds in use since Working Together 2013; initial and core assessments are for history.
CURRENT_KINDS = (
    Assessment.Kind.SINGLE,
    Assessment.Kind.PRE_BIRTH,
    Assessment.Kind.HOMELESS_16_17,
)
HISTORIC_KINDS = (Assessment.Kind.INITIAL, Assessment.Kind.CORE)


@dataclass
class Answers:
    """What the assessment form asks (the services' keyword arguments). `child_seen` and
    `seen_alone` are None until answered."""

    kind: str = ""
    started_on: date | None = None
    child_seen: bool | None = None
    child_seen_on: date | None = None
    child_not_seen_reason: str = ""
    seen_alone: bool | None = None
    not_seen_alone_reason: str = ""
    child_views: str = ""
    no_views_reason: str = ""
    family_history: str = ""
    risk_factors: str = ""
    protective_factors: str = ""
    factors: list = field(default_factory=list)
    analysis: str = ""
    outcome: str = ""
    completed_on: date | None = None


def _answers(given: dict) -> Answers:
    """The form's answers (the keyword arguments `Answers` names; anything else is a mistake)."""
    answers = Answers(**given)
    answers.factors = list(answers.factors or [])
    return answers


def _factor_errors(errors: dict, factors: list) -> list:
    known = code_list("assessment_factor")
    chosen: list[str] = []
    for code in factors or []:
        code = str(code).strip()
        if code not in known:
            errors["factors"] = "Select the factors from the list"
            return []
        if code not in chosen:
            chosen.append(code)
    if NO_FACTORS in chosen and len(chosen) > 1:
        errors["factors"] = "Select “No factors identified” only when no other factor is selected"
    return chosen


def _errors(referral: Referral, a: Answers) -> tuple[dict, list]:
    errors: dict = {}
    if a.kind not in Assessment.Kind.values:
        errors["kind"] = "Select the kind of assessment"
    past_or_today(errors, "started_on", a.started_on, what="the assessment started")
    if "started_on" not in errors:
        if a.started_on < referral.received_on:
            errors["started_on"] = (
                "The assessment cannot start before the referral was received "
                f"({on_day(referral.received_on)})"
            )
        elif referral.closed_on is not None and a.started_on > referral.closed_on:
            errors["started_on"] = (
                "The assessment must start before the child in need episode closed "
                f"({on_day(referral.closed_on)})"
            )
    if a.child_seen is None:
        errors["child_seen"] = "Select whether the child was seen"
    elif a.child_seen:
        past_or_today(errors, "child_seen_on", a.child_seen_on, what="the child was seen")
        if a.seen_alone is None:
            errors["seen_alone"] = "Select whether the child was seen alone"
        elif not a.seen_alone and not text(a.not_seen_alone_reason):
            errors["not_seen_alone_reason"] = "Enter why the child was not seen alone"
    elif not text(a.child_not_seen_reason):
        errors["child_not_seen_reason"] = "Enter why the child was not seen"
    if not text(a.child_views) and not text(a.no_views_reason):
        errors["child_views"] = "Enter the child's views, or why they are not recorded"
    chosen = _factor_errors(errors, a.factors)
    if a.outcome and a.outcome not in Assessment.Outcome.values:
        errors["outcome"] = "Select the outcome of the assessment"
    past_or_today(
        errors, "completed_on", a.completed_on, what="the assessment was completed", required=False
    )
    if (
        "completed_on" not in errors
        and a.completed_on is not None
        and a.started_on is not None
        and a.completed_on < a.started_on
    ):
        errors["completed_on"] = "The assessment cannot be completed before it started"
    return errors, chosen


def _apply(assessment: Assessment, a: Answers, factors: list) -> None:
    seen = bool(a.child_seen)
    alone = seen and bool(a.seen_alone)
    assessment.kind = a.kind
    assessment.started_on = a.started_on
    assessment.child_seen = seen
    assessment.child_seen_on = a.child_seen_on if seen else None
    assessment.child_not_seen_reason = "" if seen else text(a.child_not_seen_reason)
    assessment.seen_alone = alone
    assessment.not_seen_alone_reason = "" if (alone or not seen) else text(a.not_seen_alone_reason)
    assessment.child_views = text(a.child_views)
    assessment.no_views_reason = "" if assessment.child_views else text(a.no_views_reason)
    assessment.family_history = text(a.family_history)
    assessment.risk_factors = text(a.risk_factors)
    assessment.protective_factors = text(a.protective_factors)
    assessment.factors = factors
    assessment.analysis = text(a.analysis)
    assessment.outcome = a.outcome or ""
    assessment.completed_on = a.completed_on


@transaction.atomic
def record_assessment(
    *,
    by,
    referral: Referral,
    submit: bool = False,
    worker=None,
    request=None,
    **given,
) -> Assessment:
    """An assessment of the referral's child, started on `started_on` by `worker` (the person
    recording, unless another is named), from the answers `Answers` names: its kind, whether
    and when the child was seen (alone), the child's views, the family's history, risks,
    protective factors, the census's assessment factors, the analysis and the outcome (both may
    wait until it is submitted). `submit` submits it for sign-off in the same save."""
    staff = staff_of(by, "started_on")
    answers = _answers(given)
    errors, factors = _errors(referral, answers)
    if errors:
        raise ValidationError(errors)
    assessment = Assessment(
        child_id=referral.child_id,
        referral=referral,
        worker=worker or staff,
        created_by=by,
        updated_by=by,
    )
    _apply(assessment, answers, factors)
    if submit:
        _submit(assessment, staff)
    assessment.save()
    note(
        by=by,
        child=referral.child,
        obj=assessment,
        request=request,
        action="assessment recorded",
        kind=assessment.kind,
        submitted=submit,
    )
    return assessment


def _not_signed_off(assessment: Assessment, field_name: str) -> None:
    if assessment.authorised_on is not None:
        raise ValidationError(
            {
                field_name: f"This assessment was signed off on "
                f"{on_day(assessment.authorised_on)}: it can no longer be changed"
            }
        )


@transaction.atomic
def update_assessment(
    *,
    by,
    assessment: Assessment,
    version: int,
    submit: bool = False,
    request=None,
    **given,
) -> Assessment:
    """The assessment as it now stands (the whole form saved again), if no one saved it since
    `version` was opened. A signed-off assessment is not changed."""
    staff = staff_of(by, "started_on")
    _not_signed_off(assessment, "started_on")
    answers = _answers(given)
    errors, factors = _errors(assessment.referral, answers)
    if errors:
        raise ValidationError(errors)
    _apply(assessment, answers, factors)
    if submit:
        _submit(assessment, staff)
    save_edit(assessment, version, by)
    note(
        by=by,
        child=assessment.child,
        obj=assessment,
        request=request,
        action="assessment changed",
        submitted=submit,
    )
    return assessment


def _submit(assessment: Assessment, staff) -> None:
    """Submitted for sign-off now: it needs its analysis, the factors identified (or "No
    factors identified") and the outcome; completed today unless a date is recorded."""
    errors: dict = {}
    if not assessment.analysis.strip():
        errors["analysis"] = "Enter the analysis before submitting the assessment"
    if not assessment.factors:
        errors["factors"] = "Select the factors identified, or “No factors identified”"
    if not assessment.outcome:
        errors["outcome"] = "Select the outcome of the assessment"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    assessment.submitted_at = now
    assessment.submitted_by = staff
    if assessment.completed_on is None:
        assessment.completed_on = timezone.localdate(now)


@transaction.atomic
def submit_for_sign_off(*, by, assessment: Assessment, version: int, request=None) -> Assessment:
    """The worker submits the assessment as it stands for the manager's sign-off, now (the
    form's "submit for sign-off" does the same with the answers it saves)."""
    staff = staff_of(by, "outcome")
    _not_signed_off(assessment, "outcome")
    _submit(assessment, staff)
    save_edit(assessment, version, by)
    note(
        by=by,
        child=assessment.child,
        obj=assessment,
        request=request,
        action="assessment submitted for sign-off",
    )
    return assessment


def answers_of(assessment: Assessment) -> dict:
    """The assessment's answers as the form shows them again (the services' arguments)."""
    return {
        "kind": assessment.kind,
        "started_on": assessment.started_on,
        "child_seen": assessment.child_seen,
        "child_seen_on": assessment.child_seen_on,
        "child_not_seen_reason": assessment.child_not_seen_reason,
        "seen_alone": assessment.seen_alone if assessment.child_seen else None,
        "not_seen_alone_reason": assessment.not_seen_alone_reason,
        "child_views": assessment.child_views,
        "no_views_reason": assessment.no_views_reason,
        "family_history": assessment.family_history,
        "risk_factors": assessment.risk_factors,
        "protective_factors": assessment.protective_factors,
        "factors": list(assessment.factors or []),
        "analysis": assessment.analysis,
        "outcome": assessment.outcome,
        "completed_on": assessment.completed_on,
    }
