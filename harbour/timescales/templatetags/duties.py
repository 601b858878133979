from django import template
from django.utils import timezone

from harbour.timescales.calendar import working_days

register = template.Library()

TAGS = {
    "overdue": ("govuk-tag--red", "Overdue"),
    "due_soon": ("govuk-tag--yellow", "Due soon"),
    "not_yet_due": ("govuk-tag--grey", "Not yet due"),
    "done_late": ("govuk-tag--orange", "Done late"),
    "done_on_time": ("govuk-tag--green", "Done on time"),
    "no_longer_needed": ("govuk-tag--grey", "No longer needed"),
}


@register.inclusion_tag("timescales/status_tag.html")
def status_tag(status: str):
    css, label = TAGS[status]
    return {"css": css, "label": label}


@register.filter
def working_days_from_today(day):
    """'3 working days ago', 'today', 'in 2 working days'."""
    if day is None:
        return ""
    today = timezone.localdate()
    n = working_days().count(today, day)
    if n == 0:
        return "today" if day == today else "today (a non-working day)"
    unit = "working day" if abs(n) == 1 else "working days"
    return f"in {n} {unit}" if n > 0 else f"{-n} {unit} ago"
