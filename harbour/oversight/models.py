"""Case audits, their moderation and the actions they set."""

from django.db import models

from harbour.core.models import Recorded
from harbour.people.models import Child
from harbour.workforce.models import Staff


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


class CaseAudit(Recorded):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="audits")
    auditor = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="audits_done")
    audited_on = models.DateField(db_index=True)
    grade = models.CharField(max_length=30, choices=Grade.choices)
    findings = models.TextField(blank=True)
    moderator = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="audits_moderated"
    )
    moderated_on = models.DateField(null=True, blank=True)
    moderated_grade = models.CharField(max_length=30, blank=True, choices=Grade.choices)

    class Meta:
        ordering = ["audited_on"]


class AuditAction(Recorded):
    audit = models.ForeignKey(CaseAudit, on_delete=models.PROTECT, related_name="actions")
    action = models.TextField()
    owner = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="audit_actions")
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
