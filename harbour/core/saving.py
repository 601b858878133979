"""Saving an edit only if no one else has saved the record since it was opened."""

from django.db import transaction
from django.utils import timezone

# Fields every record has that say nothing about what the person changed.
BOOKKEEPING = {"id", "version", "created_at", "created_by", "updated_at", "updated_by"}


class EditedMeanwhile(Exception):
    """Someone else saved the record after this person opened it: their work is not
    overwritten; the person sees who changed what, and makes their change again.

    `who` and `when` name the latest other save; `changed` lists the answers changed since
    the version the person opened (their labels, in the order of the record's fields);
    `current` is the record as it is now."""

    def __init__(self, message, *, who="", when=None, changed=(), current=None):
        super().__init__(message)
        self.who, self.when, self.changed, self.current = who, when, list(changed), current


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _name(user) -> str:
    if user is None:
        return "someone else"
    staff = getattr(user, "staff", None)
    return getattr(staff, "name", "") or user.get_full_name() or user.get_username()


def changes_since(instance, opened_version: int):
    """(who, when, [labels of the fields changed]) between the version the person opened and
    the record now, from the record's history."""
    model = type(instance)
    rows = list(
        instance.history.filter(version__gte=opened_version)
        .order_by("version", "history_id")
        .select_related("history_user")
    )
    if not rows:
        return "someone else", None, []
    opened, latest = rows[0], rows[-1]
    labels = []
    for f in model._meta.concrete_fields:
        if f.name in BOOKKEEPING:
            continue
        if getattr(opened, f.attname, None) != getattr(latest, f.attname, None):
            labels.append(str(f.verbose_name))
    if opened.version != opened_version:  # the opened version is not in the history
        labels = []
    return _name(latest.history_user), latest.history_date, labels


def save_if_unchanged(instance, opened_version: int, user=None) -> None:
    with transaction.atomic():
        current = (
            type(instance)
            .objects.select_for_update()
            .filter(pk=instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current != opened_version:
            now = type(instance).objects.get(pk=instance.pk)
            who, when, changed = changes_since(now, opened_version)
            noun = instance._meta.verbose_name
            what = f" They changed: {', '.join(changed)}." if changed else ""
            at = f", at {timezone.localtime(when):%H:%M on %-d %B %Y}" if when else ""
            raise EditedMeanwhile(
                f"{_first_upper(who)} changed this {noun} after you opened it{at}.{what} Your "
                "changes have not been saved. They are still in the form: check what changed, "
                "then save again.",
                who=who,
                when=when,
                changed=changed,
                current=now,
            )
        if user is not None:
            instance.updated_by = user
        instance.version = opened_version
        instance.save()
