from django.db import models

from harbour.core.models import Recorded
from harbour.journey.models.front_door import Referral
from harbour.people.models import Child
from harbour.workforce.models import Staff


class Assessment(Recorded):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial assessment"
        CORE = "core", "Core assessment"
        SINGLE = "single", "Single assessment"
        PRE_BIRTH = "pre_birth", "Pre-birth assessment"
        HOMELESS_16_17 = "homeless_16_17", "Assessment of a homeless 16 or 17 year old"

    class Outcome(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        EARLY_HELP = "early_help", "Step down to early help"
        CHILD_IN_NEED = "cin", "Child in need plan"
        STRATEGY = "strategy", "Strategy discussion"
        CORE_ASSESSMENT = "core", "Core assessment"
        LOOKED_AFTER = "looked_after", "Become looked after"
        CONTINUE = "continue", "Continue current plan"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assessments")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    started_on = models.DateField(db_index=True)
    completed_on = models.DateField(null=True, blank=True)
    worker = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    authorised_by = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments_authorised",
    )
    authorised_on = models.DateField(null=True, blank=True)
    child_seen = models.BooleanField(default=False)
    child_seen_on = models.DateField(null=True, blank=True)
    child_not_seen_reason = models.TextField("why the child was not seen", blank=True)
    seen_alone = models.BooleanField(default=False)
    not_seen_alone_reason = models.TextField("why the child was not seen alone", blank=True)
    child_views = models.TextField("the child's views", blank=True)
    no_views_reason = models.TextField("why the child's views are not recorded", blank=True)
    family_history = models.TextField(blank=True)
    risk_factors = models.TextField(blank=True)
    protective_factors = models.TextField(blank=True)
    analysis = models.TextField(blank=True)
    factors = models.JSONField(
        default=list, blank=True, help_text="Factors identified (the census's assessment codes)."
    )
    outcome = models.CharField(max_length=20, blank=True, choices=Outcome.choices)
    # Submitted for the manager's sign-off (the sign-off itself is authorised_by/_on).
    submitted_at = models.DateTimeField("submitted for sign-off at", null=True, blank=True)
    submitted_by = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments_submitted",
    )

    class Meta:
        ordering = ["started_on"]

    def factor_words(self) -> list[str]:
        """The census's assessment factors identified, in words."""
        from harbour.codes import code_list

        factors = code_list("assessment_factor")
        return [factors.label(code) for code in self.factors or []]
