"""A child missing from home or care, or away from placement without authorisation: the
episode (when the child went missing and came back, whether the police were told), and the
return home interview offered when the child came back (held, or declined by the child).

Each write is one function: keyword-only arguments, validation inside (a ValidationError names
the field and says what to fix, in GOV.UK's words), one transaction, one line of the audit log.
Edits take the `version` the person opened (EditedMeanwhile if it was saved since). An
interview offered after the 72 hours is accepted: the duty says it was late."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from harbour.codes import choices
from harbour.core.saving import save_if_unchanged
from harbour.journey.models import MissingEpisode
from harbour.journey.services.common import note as changed
from harbour.journey.services.text import LONG_TEXT, aware, clean, limit_words, when
from harbour.people.models import Child

INTERVIEWER_MAX = 200


def _kinds() -> list[str]:
    return [code for code, _ in choices.missing_kind()]


def _episode_fields(
    *, by, child: Child, kind, started_at, ended_at, reported_to_police, exclude=None
) -> dict:
    errors = {}
    now = timezone.now()
    started_at, ended_at = aware(started_at), aware(ended_at)
    if kind not in _kinds():
        errors["kind"] = "Select whether the child was missing or away without authorisation"
    if started_at is None:
        errors["started_at"] = "Enter when the child went missing"
    elif started_at > now:
        errors["started_at"] = "The time the child went missing must be in the past"
    if ended_at is not None:
        if ended_at > now:
            errors["ended_at"] = "The time the child came back must be in the past"
        elif started_at is not None and ended_at <= started_at:
            errors["ended_at"] = "The time the child came back must be after they went missing"
    if reported_to_police is None:
        errors["reported_to_police"] = "Select whether the child was reported missing to the police"
    if getattr(by, "staff", None) is None:
        errors.setdefault("started_at", "Only a member of staff can record a missing episode")
    if started_at is not None and "started_at" not in errors and "ended_at" not in errors:
        # A child cannot go missing twice at once: an overlap is the same episode typed again.
        overlapping = MissingEpisode.objects.filter(child=child).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=started_at)
        )
        if ended_at is not None:
            overlapping = overlapping.filter(started_at__lt=ended_at)
        if exclude is not None:
            overlapping = overlapping.exclude(pk=exclude.pk)
        other = overlapping.order_by("started_at").first()
        if other is not None:
            errors["started_at"] = (
                f"The child is already recorded as missing from {when(other.started_at)}: "
                "change that episode instead"
            )
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "started_at": started_at,
        "ended_at": ended_at,
        "reported_to_police": bool(reported_to_police),
    }


@transaction.atomic
def record_missing_episode(
    *,
    by,
    child: Child,
    kind: str,
    started_at: datetime | None,
    ended_at: datetime | None = None,
    reported_to_police: bool | None,
    request=None,
) -> MissingEpisode:
    """An episode of the child missing (M) or away from placement without authorisation (A):
    when the child went missing, when they came back (None while still missing) and whether
    they were reported missing to the police. A child who has come back is owed a return home
    interview within 72 hours: the duty starts at once."""
    fields = _episode_fields(
        by=by,
        child=child,
        kind=kind,
        started_at=started_at,
        ended_at=ended_at,
        reported_to_police=reported_to_police,
    )
    episode = MissingEpisode.objects.create(child=child, created_by=by, updated_by=by, **fields)
    changed(
        by=by, child=episode.child, obj=episode, request=request, action="missing episode recorded"
    )
    return episode


@transaction.atomic
def update_missing_episode(
    *,
    by,
    episode: MissingEpisode,
    version: int,
    kind: str,
    started_at: datetime | None,
    ended_at: datetime | None = None,
    reported_to_police: bool | None,
    request=None,
) -> MissingEpisode:
    """The episode corrected, or the child's return recorded, from the `version` the person
    opened (EditedMeanwhile if it was saved since)."""
    fields = _episode_fields(
        by=by,
        child=episode.child,
        kind=kind,
        started_at=started_at,
        ended_at=ended_at,
        reported_to_police=reported_to_police,
        exclude=episode,
    )
    if fields["ended_at"] is None and episode.interview_offered_at is not None:
        raise ValidationError(
            {"ended_at": "Enter when the child came back: a return home interview is recorded"}
        )
    for name, value in fields.items():
        setattr(episode, name, value)
    save_if_unchanged(episode, version, user=by)
    changed(
        by=by, child=episode.child, obj=episode, request=request, action="missing episode changed"
    )
    return episode


@transaction.atomic
def record_return_home_interview(
    *,
    by,
    episode: MissingEpisode,
    version: int,
    offered_at: datetime | None,
    held_at: datetime | None = None,
    declined: bool = False,
    interview_by: str = "",
    notes: str = "",
    request=None,
) -> MissingEpisode:
    """The return home interview offered to the child after the episode: when it was offered,
    and when it was held and by whom (a worker or the independent service that holds them), or
    that the child declined it; notes of what the child said. Held, or offered and declined,
    completes the return home interview duty (72 hours from the child coming back). Recorded on
    the episode, from the `version` the person opened (EditedMeanwhile if it was saved since)."""
    errors = {}
    now = timezone.now()
    offered_at, held_at = aware(offered_at), aware(held_at)
    back = episode.ended_at
    if back is None:
        errors["offered_at"] = (
            "Record when the child came back before recording the return home interview"
        )
    elif offered_at is None:
        errors["offered_at"] = "Enter when the return home interview was offered"
    elif offered_at > now:
        errors["offered_at"] = "The time the interview was offered must be in the past"
    elif offered_at < back:
        errors["offered_at"] = "The interview must be offered after the child came back"
    if held_at is not None and declined:
        errors["declined"] = "Select either that the interview was held or that it was declined"
    elif held_at is not None:
        if held_at > now:
            errors["held_at"] = "The time the interview was held must be in the past"
        elif offered_at is not None and held_at < offered_at:
            errors["held_at"] = "The interview must be held on or after the time it was offered"
    interview_by = clean(interview_by)
    if held_at is not None and not interview_by:
        errors["interview_by"] = "Enter who held the interview"
    elif len(interview_by) > INTERVIEWER_MAX:
        errors["interview_by"] = limit_words("who held the interview", INTERVIEWER_MAX)
    notes = clean(notes)
    if len(notes) > LONG_TEXT:
        errors["notes"] = limit_words("the notes", LONG_TEXT)
    if getattr(by, "staff", None) is None:
        errors.setdefault("offered_at", "Only a member of staff can record the interview")
    if errors:
        raise ValidationError(errors)
    episode.interview_offered_at = offered_at
    episode.interview_held_at = held_at
    episode.interview_declined = bool(declined)
    episode.interview_by = interview_by
    episode.notes = notes
    save_if_unchanged(episode, version, user=by)
    changed(
        by=by,
        child=episode.child,
        obj=episode,
        request=request,
        action="return home interview recorded",
    )
    return episode
