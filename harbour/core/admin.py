"""The administrator's view of every record: history shown, nothing deletable, and foreign keys
as raw ids so that pages stay fast on a county's worth of rows."""

from django import forms
from django.apps import apps
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


class RecordAdmin(SimpleHistoryAdmin):
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


def register_app(app_label: str, **admins: type[admin.ModelAdmin]) -> None:
    """Register every model of an app, with the given admin classes for some of them."""
    for model in apps.get_app_config(app_label).get_models():
        if model.__name__.startswith("Historical") or admin.site.is_registered(model):
            continue
        admin.site.register(model, admins.get(model.__name__, RecordAdmin))
