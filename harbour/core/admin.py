"""The administration site is for configuration only: the authority and its policy settings,
teams and staff, user accounts and the published figures. Children's records and every other
casework record are kept out of it (casework is done in Harbour's own pages, under need to
know), and every page of it that is opened writes a line to the audit log.

What it does hold: history shown, nothing deletable, and foreign keys as raw ids."""

from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from harbour.core.saving import EditedMeanwhile, save_if_unchanged


class VersionedForm(forms.ModelForm):
    """Carries the version the editor opened, so a stale edit is refused, not saved over
    someone else's."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_version")
        if self.instance.pk and opened is not None:
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current != opened:
                raise forms.ValidationError(
                    "Someone else changed this record after you opened it. Your changes have "
                    "not been saved: reload the page to see their version."
                )
        return cleaned


class AuditedAdmin:
    """Each list, record, history and add page of the administration site opened is a line in
    the audit log, as every page of Harbour's own is: administrators are not exempt."""

    def _audit(self, request, page: str, object_id=None):
        from harbour.access import audit
        from harbour.access.models import AuditEvent

        audit.record(
            AuditEvent.Action.VIEW,
            request=request,
            detail={
                "administration": page,
                "model": self.model._meta.label,
                "object_id": str(object_id or "")[:60],
            },
        )

    def changelist_view(self, request, extra_context=None):
        self._audit(request, "list")
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._audit(request, "record", object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        self._audit(request, "add")
        return super().add_view(request, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._audit(request, "history", object_id)
        return super().history_view(request, object_id, extra_context)


class RecordAdmin(AuditedAdmin, SimpleHistoryAdmin):
    form = VersionedForm
    list_per_page = 50
    show_full_result_count = False  # counting millions of rows on every page is slow
    readonly_fields = ("created_at", "created_by", "updated_at", "updated_by", "version")

    def __init__(self, model, admin_site):
        foreign_keys = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, (models.ForeignKey, models.OneToOneField)) and not f.auto_created
        ]
        self.raw_id_fields = tuple(
            name for name in foreign_keys if name not in ("created_by", "updated_by")
        )
        if self.list_display == ("__str__",):
            shown = [f.name for f in model._meta.concrete_fields if f.name != "id"][:5]
            self.list_display = ("id", *shown)
        super().__init__(model, admin_site)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.updated_by = request.user
            super().save_model(request, obj, form, change)
            return
        try:
            save_if_unchanged(
                obj, form.cleaned_data.get("opened_version") or obj.version, request.user
            )
        except EditedMeanwhile as error:  # a race between clean() and here
            raise forms.ValidationError(str(error)) from error

    def has_delete_permission(self, request, obj=None):
        return False  # records are closed, never deleted (retention is a separate duty)


def register(*models_held: type[models.Model], **admins: type[admin.ModelAdmin]) -> None:
    """Register configuration models, with the given admin classes for some of them (by model
    name) and RecordAdmin for the rest."""
    for model in models_held:
        admin.site.register(model, admins.get(model.__name__, RecordAdmin))
