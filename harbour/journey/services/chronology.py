"""Curating a child's chronology: add an entry, mark one not significant (or significant
again), annotate one. Each is one transaction and one line of the audit log.

An event significant in itself (a referral, a plan starting, ...) is on the chronology without
an entry until a worker curates it: marking or annotating it stores an entry with the event's
source and day, so the choice holds and the event is not made again.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.access import audit
from harbour.access.models import AuditEvent
from harbour.journey.models import ChronologyEntry

SUMMARY_MAX = 500
ANNOTATION_MAX = 5000


def _audit(what: str, *, user, child, entry, request, **detail) -> None:
    audit.record(
        AuditEvent.Action.CHANGE,
        request=request,
        user=user,
        child=child,
        obj=entry,
        detail={"chronology": what, **detail},
    )


def _entry(*, child, entry_id=None, source: str = "", occurred_on: date | None = None):
    """The stored entry named, or a new (unsaved) one standing for the child's event with
    this source and day. ValidationError if the child has neither."""
    from harbour.journey.selectors import automatic_event

    if entry_id is not None:
        entry = ChronologyEntry.objects.filter(pk=entry_id, child=child).first()
        if entry is None:
            raise ValidationError("There is no such entry on this child's chronology")
        return entry
    existing = ChronologyEntry.objects.filter(
        child=child, source=source, occurred_on=occurred_on
    ).first()
    if existing is not None:
        return existing
    event = automatic_event(child.pk, source, occurred_on) if source and occurred_on else None
    if event is None:
        raise ValidationError("There is no such event on this child's chronology")
    summary = f"{event.title}. {event.summary}".strip() if event.summary else f"{event.title}."
    return ChronologyEntry(
        child=child,
        occurred_on=event.on,
        category=event.category or ChronologyEntry.Category.OTHER,
        summary=summary[:SUMMARY_MAX],
        significant=True,
        source=source,
    )


@transaction.atomic
def add_entry(
    *,
    user,
    child,
    occurred_on: date | None,
    category: str,
    summary: str,
    annotation: str = "",
    request=None,
) -> ChronologyEntry:
    """A worker's own entry: significant, with no source."""
    errors = {}
    summary = (summary or "").strip()
    annotation = (annotation or "").strip()
    if occurred_on is None:
        errors["occurred_on"] = "Enter the date the event happened"
    elif occurred_on > timezone.localdate():
        errors["occurred_on"] = "The date the event happened must be today or in the past"
    if category not in ChronologyEntry.Category.values:
        errors["category"] = "Select what kind of event it was"
    if not summary:
        errors["summary"] = "Enter what happened"
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = f"What happened must be {SUMMARY_MAX} characters or fewer"
    if len(annotation) > ANNOTATION_MAX:
        errors["annotation"] = f"What it meant must be {ANNOTATION_MAX} characters or fewer"
    if errors:
        raise ValidationError(errors)
    entry = ChronologyEntry.objects.create(
        child=child,
        occurred_on=occurred_on,
        category=category,
        summary=summary,
        annotation=annotation,
        significant=True,
        created_by=user,
        updated_by=user,
    )
    _audit("added", user=user, child=child, entry=entry, request=request)
    return entry


def _save(entry, user) -> None:
    if entry._state.adding:
        entry.created_by = user
    entry.updated_by = user
    entry.save()


@transaction.atomic
def mark_not_significant(
    *, user, child, entry_id=None, source: str = "", occurred_on=None, request=None
) -> ChronologyEntry:
    """Off the chronology (kept, folded away with the other entries not significant)."""
    entry = _entry(child=child, entry_id=entry_id, source=source, occurred_on=occurred_on)
    entry.significant = False
    _save(entry, user)
    _audit("marked not significant", user=user, child=child, entry=entry, request=request)
    return entry


@transaction.atomic
def mark_significant(
    *, user, child, entry_id=None, source: str = "", occurred_on=None, request=None
) -> ChronologyEntry:
    entry = _entry(child=child, entry_id=entry_id, source=source, occurred_on=occurred_on)
    entry.significant = True
    _save(entry, user)
    _audit("marked significant", user=user, child=child, entry=entry, request=request)
    return entry


@transaction.atomic
def annotate(
    *,
    user,
    child,
    annotation: str,
    entry_id=None,
    source: str = "",
    occurred_on=None,
    request=None,
) -> ChronologyEntry:
    """The worker's note on what the event meant for the child (blank removes it)."""
    annotation = (annotation or "").strip()
    if len(annotation) > ANNOTATION_MAX:
        raise ValidationError(
            {"annotation": f"What it meant must be {ANNOTATION_MAX} characters or fewer"}
        )
    entry = _entry(child=child, entry_id=entry_id, source=source, occurred_on=occurred_on)
    entry.annotation = annotation
    _save(entry, user)
    _audit("annotated", user=user, child=child, entry=entry, request=request)
    return entry
