"""Typed words as the recording services keep them: trimmed, without control characters (a
tab and a new line are kept), and no longer than their limit."""

import re
from datetime import datetime

from django.utils import timezone

# A long write-up (an assessment's analysis, a visit's observations) fits with room to spare.
LONG_TEXT = 20_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value) -> str:
    """The words without control characters or surrounding spaces ('' for None)."""
    return _CONTROL.sub("", str(value or "")).replace("\r\n", "\n").strip()


def too_long(value: str, limit: int) -> bool:
    return len(value) > limit


def limit_words(what: str, limit: int) -> str:
    """GOV.UK's words for a field over its limit: "<What> must be 300 characters or fewer"."""
    return f"{what[:1].upper()}{what[1:]} must be {limit:,} characters or fewer"


def aware(moment: datetime | None) -> datetime | None:
    """A time typed without a zone is the authority's local time."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def when(moment: datetime) -> str:
    """A time in words, as the messages give it: "3 March 2026 at 2:05pm"."""
    local = timezone.localtime(moment)
    hour = local.strftime("%I").lstrip("0") or "12"
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{local:%p}".replace("AM", "am").replace(
        "PM", "pm"
    )
