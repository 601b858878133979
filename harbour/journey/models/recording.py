"""What a worker records about a child: visits, case notes, chronology and case summary."""

from django.db import models

from harbour.core.models import Recorded
from harbour.people.models import Child
from harbour.workforce.models import Staff


class Visit(Recorded):
    class Kind(models.TextChoices):
        CHILD_PROTECTION = "child_protection", "Child protection visit"
        CHILD_IN_NEED = "child_in_need", "Child in need visit"
        LOOKED_AFTER = "looked_after", "Looked-after child visit"
        PRIVATE_FOSTERING = "private_fostering", "Private fostering visit"
        ASSESSMENT = "assessment", "Assessment visit"
        CARE_LEAVER = "care_leaver", "Care leaver visit"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    visited_on = models.DateField(db_index=True)
    worker = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    child_seen = models.BooleanField(default=False)
    seen_alone = models.BooleanField(default=False)
    not_seen_alone_reason = models.CharField(max_length=200, blank=True)
    child_views = models.TextField("the child's wishes and feelings", blank=True)
    observations = models.TextField(blank=True)
    # What the worker makes of what they saw and heard: the risks, what is better or worse,
    # what happens next.
    analysis = models.TextField(blank=True)
    who_present = models.CharField(max_length=300, blank=True)
    purpose = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["visited_on"]


class CaseNote(Recorded):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="case_notes")
    occurred_at = models.DateTimeField(db_index=True)
    author = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="case_notes"
    )
    subject = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["occurred_at"]


class ChronologyEntry(Recorded):
    class Category(models.TextChoices):
        CONTACT = "contact", "Contact"
        REFERRAL = "referral", "Referral"
        ASSESSMENT = "assessment", "Assessment"
        PROTECTION = "protection", "Child protection"
        CARE = "care", "Care"
        HEALTH = "health", "Health"
        EDUCATION = "education", "Education"
        FAMILY = "family", "Family event"
        MISSING = "missing", "Missing from home or care"
        POLICE = "police", "Police"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="chronology")
    occurred_on = models.DateField(db_index=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    summary = models.CharField(max_length=500)
    significant = models.BooleanField(default=False)
    source = models.CharField(
        max_length=60, blank=True, help_text="The record the entry came from, e.g. referral:12."
    )
    annotation = models.TextField(
        blank=True, help_text="The worker's note on what the event meant for the child."
    )

    class Meta:
        ordering = ["occurred_on"]
        verbose_name_plural = "chronology entries"


class CaseSummary(Recorded):
    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="case_summary")
    summary = models.TextField()

    class Meta:
        verbose_name_plural = "case summaries"
