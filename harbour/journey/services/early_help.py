"""Early help: an episode (its start, the lead professional, the early help assessment and
plan dates), its end with the reason, the step-up to children's social care (the episode ends
as stepped up and a referral opens, in one transaction) and the step-down from children's
social care (a new episode stepped down from the referral, and the child in need episode closed
with the census's reason). Each function is one action: keyword-only arguments, validation
inside, one transaction, audited."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from harbour.journey.models import Assessment, EarlyHelpEpisode, Referral
from harbour.journey.services import closure
from harbour.journey.services.referral import (
    note,
    on_day,
    past_or_today,
    record_referral,
    save_edit,
    staff_of,
    text,
)
from harbour.people.models import Child

# The referral source of a step-up: "Early help (for example referral from an early help team)".
EARLY_HELP_SOURCE = "5D"
ENDINGS = tuple(
    reason
    for reason in EarlyHelpEpisode.EndReason.values
    if reason != EarlyHelpEpisode.EndReason.STEPPED_UP
)


def _lead(errors: dict, lead_professional, name: str, agency: str) -> None:
    if lead_professional is None and not text(name):
        errors["lead_professional_name"] = "Enter the lead professional's name, or choose them"
    elif lead_professional is None and not text(agency):
        errors["lead_professional_agency"] = "Enter the lead professional's agency"


def _episode_errors(
    *, starts_on, assessment_completed_on, plan_started_on, lead_professional, name, agency
) -> dict:
    errors: dict = {}
    past_or_today(errors, "starts_on", starts_on, what="early help started")
    _lead(errors, lead_professional, name, agency)
    for field, day, what in (
        ("assessment_completed_on", assessment_completed_on, "the early help assessment was done"),
        ("plan_started_on", plan_started_on, "the early help plan started"),
    ):
        past_or_today(errors, field, day, what=what, required=False)
        if field not in errors and day is not None and starts_on is not None and day < starts_on:
            errors[field] = f"The date {what} cannot be before early help started"
    return errors


def _open_help(child: Child, on: date, *, besides=None):
    found = EarlyHelpEpisode.objects.filter(child=child, ends_on__isnull=True)
    if besides is not None:
        found = found.exclude(pk=besides.pk)
    return found.order_by("starts_on").first()


def _lead_fields(lead_professional, name, agency) -> dict:
    if lead_professional is not None:
        return {
            "lead_professional": lead_professional,
            # Chosen, not typed: the member of staff's own name and team.
            "lead_professional_name": lead_professional.name,
            "lead_professional_agency": lead_professional.team.name
            if lead_professional.team_id
            else "",
        }
    return {
        "lead_professional": None,
        "lead_professional_name": text(name),
        "lead_professional_agency": text(agency),
    }


# What an early help episode is recorded (and changed) with: the service's keyword arguments.
EPISODE = {
    "starts_on": None,
    "lead_professional": None,  # a member of staff, or
    "lead_professional_name": "",  # a partner's practitioner, with
    "lead_professional_agency": "",  # their agency
    "assessment_completed_on": None,
    "plan_started_on": None,
}


def _checked_episode(given: dict) -> tuple[dict, dict]:
    """(errors, the episode's field values) from the answers EPISODE names."""
    unknown = set(given) - set(EPISODE)
    if unknown:
        raise TypeError(f"unexpected answers: {sorted(unknown)}")
    a = {**EPISODE, **given}
    errors = _episode_errors(
        starts_on=a["starts_on"],
        assessment_completed_on=a["assessment_completed_on"],
        plan_started_on=a["plan_started_on"],
        lead_professional=a["lead_professional"],
        name=a["lead_professional_name"],
        agency=a["lead_professional_agency"],
    )
    values = {
        "starts_on": a["starts_on"],
        "assessment_completed_on": a["assessment_completed_on"],
        "plan_started_on": a["plan_started_on"],
        **_lead_fields(
            a["lead_professional"], a["lead_professional_name"], a["lead_professional_agency"]
        ),
    }
    return errors, values


@transaction.atomic
def record_early_help(*, by, child: Child, request=None, **given) -> EarlyHelpEpisode:
    """An early help episode for the child from `starts_on`, led by a member of staff
    (`lead_professional`) or a partner's practitioner (`lead_professional_name` and
    `_agency`), with the dates the early help assessment was done and the plan started, where
    they are known (the answers EPISODE names)."""
    staff_of(by, "starts_on")
    errors, values = _checked_episode(given)
    starts_on = values["starts_on"]
    if "starts_on" not in errors:
        current = _open_help(child, starts_on)
        if current is not None:
            errors["starts_on"] = (
                f"{child.name} is already receiving early help (from "
                f"{on_day(current.starts_on)}): end that episode first"
            )
    if errors:
        raise ValidationError(errors)
    episode = EarlyHelpEpisode.objects.create(child=child, **values, created_by=by, updated_by=by)
    note(by=by, child=child, obj=episode, request=request, action="early help recorded")
    return episode


@transaction.atomic
def update_early_help(
    *, by, episode: EarlyHelpEpisode, version: int, request=None, **given
) -> EarlyHelpEpisode:
    """The episode's start, lead professional and assessment and plan dates as they now stand
    (the early help assessment done, say), if no one saved it since `version` was opened."""
    staff_of(by, "starts_on")
    errors, values = _checked_episode(given)
    starts_on = values["starts_on"]
    if "starts_on" not in errors and episode.ends_on is not None and starts_on > episode.ends_on:
        errors["starts_on"] = f"Early help cannot start after it ended ({on_day(episode.ends_on)})"
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(episode, name, value)
    save_edit(episode, version, by)
    note(by=by, child=episode.child, obj=episode, request=request, action="early help changed")
    return episode


def _end_errors(episode: EarlyHelpEpisode, ends_on) -> dict:
    errors: dict = {}
    if episode.ends_on is not None:
        return {"ends_on": f"This early help episode ended on {on_day(episode.ends_on)}"}
    past_or_today(errors, "ends_on", ends_on, what="early help ended")
    if "ends_on" not in errors and ends_on < episode.starts_on:
        errors["ends_on"] = f"Early help cannot end before it started ({on_day(episode.starts_on)})"
    return errors


@transaction.atomic
def end_early_help(
    *,
    by,
    episode: EarlyHelpEpisode,
    version: int,
    ends_on: date | None,
    end_reason: str,
    end_notes: str = "",
    request=None,
) -> EarlyHelpEpisode:
    """Early help ended on `ends_on`: needs met, the family stopped engaging, moved away, or
    another reason (said in `end_notes`). A step-up to children's social care is `step_up`."""
    staff_of(by, "end_reason")
    errors = _end_errors(episode, ends_on)
    if end_reason == EarlyHelpEpisode.EndReason.STEPPED_UP:
        errors["end_reason"] = "To step up, record a referral to children's social care"
    elif end_reason not in ENDINGS:
        errors["end_reason"] = "Select why early help ended"
    elif end_reason == EarlyHelpEpisode.EndReason.OTHER and not text(end_notes):
        errors["end_notes"] = "Enter why early help ended"
    if errors:
        raise ValidationError(errors)
    episode.ends_on = ends_on
    episode.end_reason = end_reason
    episode.end_notes = text(end_notes)
    save_edit(episode, version, by)
    note(
        by=by,
        child=episode.child,
        obj=episode,
        request=request,
        action="early help ended",
        end_reason=end_reason,
    )
    return episode


@transaction.atomic
def step_up(
    *,
    by,
    episode: EarlyHelpEpisode,
    version: int,
    on: date | None,
    concerns: str,
    primary_need: str = "",
    source: str = EARLY_HELP_SOURCE,
    request=None,
) -> tuple[EarlyHelpEpisode, Referral]:
    """Early help steps up to children's social care on `on`: the episode ends as stepped up
    and a referral (from early help, by default) opens the child in need episode, saying what
    the concerns are. Both or neither are saved."""
    staff_of(by, "on")
    errors = {("on" if k == "ends_on" else k): v for k, v in _end_errors(episode, on).items()}
    if not text(concerns):
        errors["concerns"] = "Enter why early help is stepping up"
    if errors:
        raise ValidationError(errors)
    try:
        referral = record_referral(
            by=by,
            child=episode.child,
            received_on=on,
            source=source,
            primary_need=primary_need,
            concerns=concerns,
            referrer=episode.lead_professional_name,
            request=request,
        )
    except ValidationError as refused:
        raise ValidationError(
            {("on" if k == "received_on" else k): v for k, v in refused.message_dict.items()}
        ) from None
    episode.ends_on = on
    episode.end_reason = EarlyHelpEpisode.EndReason.STEPPED_UP
    episode.stepped_up_to = referral
    save_edit(episode, version, by)
    note(
        by=by,
        child=episode.child,
        obj=episode,
        request=request,
        action="early help stepped up",
        referral_id=referral.pk,
    )
    return episode, referral


def step_down_reason(referral: Referral) -> str:
    """The census's closure reason for a step-down: straight after the assessment, RC9 (closed
    after assessment, referred to early help); after a plan, RC7 (services ceased)."""
    had_plan = referral.child_in_need_plans.exists() or referral.child_protection_plans.exists()
    if had_plan:
        return closure.SERVICES_CEASED
    return closure.STEPPED_DOWN_AFTER_ASSESSMENT


@transaction.atomic
def step_down(
    *,
    by,
    referral: Referral,
    version: int,
    on: date | None,
    lead_professional=None,
    lead_professional_name: str = "",
    lead_professional_agency: str = "",
    request=None,
) -> tuple[Referral, EarlyHelpEpisode]:
    """Children's social care steps down to early help on `on` (the outcome of an assessment
    or of a child in need plan): the child in need episode closes that day with the census's
    reason (RC9 straight after an assessment, RC7 after a plan; its open child in need plan
    ends too) and an early help episode starts, stepped down from the referral, with its lead
    professional. Both or neither are saved."""
    staff = staff_of(by, "on")
    reason = step_down_reason(referral)
    errors = {
        ("on" if k == "closed_on" else k): v
        for k, v in closure.closure_errors(referral, on, reason).items()
    }
    _lead(errors, lead_professional, lead_professional_name, lead_professional_agency)
    if "on" not in errors:
        current = _open_help(referral.child, on)
        if current is not None:
            errors["on"] = (
                f"{referral.child.name} is already receiving early help (from "
                f"{on_day(current.starts_on)})"
            )
    if errors:
        raise ValidationError(errors)
    ended = closure.close(by=by, staff=staff, referral=referral, closed_on=on, reason=reason)
    save_edit(referral, version, by)
    episode = EarlyHelpEpisode.objects.create(
        child=referral.child,
        starts_on=on,
        stepped_down_from=referral,
        **_lead_fields(lead_professional, lead_professional_name, lead_professional_agency),
        created_by=by,
        updated_by=by,
    )
    note(
        by=by,
        child=referral.child,
        obj=referral,
        request=request,
        action="stepped down to early help",
        closure_reason=reason,
        early_help_id=episode.pk,
        plans_ended=[plan.pk for plan in ended],
    )
    return referral, episode


def assessed_for_step_down(referral: Referral) -> Assessment | None:
    """The referral's latest assessment whose outcome is a step-down to early help, if any
    (the step-down form starts from it)."""
    return (
        referral.assessments.filter(outcome=Assessment.Outcome.EARLY_HELP)
        .order_by("-started_on")
        .first()
    )
