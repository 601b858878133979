"""A return being made in the background, and what became of it: its state lives here, in the
database, not in any process."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReturnRun(models.Model):
    class Kind(models.TextChoices):
        CIN = "cin", "Children in need census (XML)"
        SSDA903 = "903", "Children looked after return, SSDA903 (CSV files)"
        ANNEX_A = "annex-a", "Ofsted's Annex A (workbook)"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Collection year, by the year it ends (2025: 2024-25)."
    )
    as_of = models.DateField(null=True, blank=True, help_text="For Annex A: the inspection date.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="return_runs"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    step = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    output = models.CharField(max_length=500, blank=True, help_text="The file or folder made.")
    failures = models.JSONField(
        default=list, blank=True, help_text="Rules the sector's validators found broken."
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year or self.as_of} ({self.state})"
