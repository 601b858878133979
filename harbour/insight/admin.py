"""The Department's published figures in the administration site: looked up, and a newer
release loaded from the Department's CSV files by an administrator (as `harbour
load_published --csv` does), in one transaction, every problem listed if it is refused."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path, reverse

from harbour.access import audit
from harbour.access.models import AuditEvent
from harbour.core.admin import AuditedAdmin
from harbour.insight.models import PublishedFigure
from harbour.insight.published.loading import LoadRefused, load_csv


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented way)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFiles(attrs={"accept": ".csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ReleaseForm(forms.Form):
    files = MultipleFileField(
        label="The Department's CSV files",
        help_text="As published, e.g. b1_children_in_need_2013_to_2026.csv; several at once.",
    )
    release = forms.IntegerField(
        label="Release year",
        required=False,
        min_value=2013,
        max_value=2100,
        help_text="The latest year the files cover, if not that of their figures.",
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        for upload in files:
            if not upload.name.lower().endswith(".csv"):
                raise forms.ValidationError(f"{upload.name}: not a CSV file")
        return files


@admin.register(PublishedFigure)
class PublishedFigureAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("indicator", "year", "area_level", "area_name", "value", "release")
    list_filter = ("area_level", "year", "indicator")
    search_fields = ("area_name", "area_code", "indicator")
    change_list_template = "admin/insight/publishedfigure/change_list.html"

    # Figures come only from the Department's files: never typed or changed by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        load = path(
            "load/",
            self.admin_site.admin_view(self.load_release),
            name="insight_publishedfigure_load",
        )
        return [load, *super().get_urls()]

    def load_release(self, request):
        if not request.user.is_superuser:
            return redirect("admin:index")
        form = ReleaseForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            try:
                outcome = self._load(form.cleaned_data["files"], form.cleaned_data["release"])
            except LoadRefused as refused:
                problems = [str(problem) for problem in refused.problems]
            else:
                audit.record(
                    AuditEvent.Action.CHANGE,
                    request=request,
                    detail={"what": "Published figures loaded", "lines": outcome.lines()},
                )
                for line in outcome.lines():
                    messages.success(request, line)
                return redirect(reverse("admin:insight_publishedfigure_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Load a newer release of the Department's figures",
            "form": form,
            "problems": problems,
            "opts": self.model._meta,
        }
        return render(request, "admin/insight/publishedfigure/load.html", context)

    @staticmethod
    def _load(uploads, release):
        """The files keep their names (the mapping knows a file by its name)."""
        with tempfile.TemporaryDirectory(prefix="harbour-release-") as folder:
            paths = []
            for upload in uploads:
                target = Path(folder) / Path(upload.name).name
                with target.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                paths.append(target)
            return load_csv(paths, release=release)
