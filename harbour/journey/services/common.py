"""What the journey's services share: who is recording, typed words and dates in GOV.UK's
messages, the audit line of a change, and an edit saved only over the version opened."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.access import audit
from harbour.access.models import AuditEvent
from harbour.core.saving import save_if_unchanged
from harbour.journey.services.text import clean


def staff_of(by, field: str, doing: str = "this"):
    """The member of staff recording: an administrator with no staff record cannot."""
    staff = getattr(by, "staff", None) if by is not None else None
    if staff is None:
        raise ValidationError({field: f"Only a member of staff can record {doing}"})
    return staff


def text(value) -> str:
    """Typed words trimmed, without control characters (a tab and a new line are kept)."""
    return clean(value)


def on_day(day: date) -> str:
    return f"{day:%-d %B %Y}"


def past_or_today(errors: dict, field: str, day, *, what: str, required: bool = True) -> None:
    """'Enter the date of …' / '… must be today or in the past', into `errors`."""
    if day is None:
        if required:
            errors[field] = f"Enter the date {what}"
        return
    if day > timezone.localdate():
        errors[field] = f"The date {what} must be today or in the past"


def note(*, by, child, obj, request, action: str, **detail) -> None:
    """The audit line of a change to a child's record: who, which record, what was done."""
    audit.record(
        AuditEvent.Action.CHANGE,
        request=request,
        user=by,
        child=child,
        obj=obj,
        detail={"action": action, **detail},
    )


def save_edit(record, version: int, by) -> None:
    """The edit saved only if no one saved the record since it was opened (EditedMeanwhile)."""
    save_if_unchanged(record, version, user=by)
