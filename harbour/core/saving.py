"""Saving an edit only if no one else has saved the record since it was opened."""

from django.db import transaction


class EditedMeanwhile(Exception):
    """Someone else saved the record after this person opened it: their work is not
    overwritten; the person sees the new version and makes their change again."""


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
            raise EditedMeanwhile(
                f"{instance._meta.verbose_name.capitalize()} was changed by someone else after "
                "you opened it. Your changes have not been saved: look at the new version and "
                "make them again."
            )
        if user is not None:
            instance.updated_by = user
        instance.version = opened_version
        instance.save()
