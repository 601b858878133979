"""Periods of care, legal statuses, placements and the looked-after child's reviews.

The SSDA903 return's episodes are not stored: an episode starts whenever the legal status
or the placement changes, so the return derives them from these rows."""

from django.db import models

from harbour.codes import choices
from harbour.core.models import Recorded
from harbour.people.models import Child
from harbour.workforce.models import Staff


class PeriodOfCare(Recorded):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="periods_of_care")
    starts_on = models.DateField("date looked after", db_index=True)
    ends_on = models.DateField(null=True, blank=True, db_index=True)
    category_of_need = models.CharField(max_length=2, choices=choices.category_of_need)
    reason_ceased = models.CharField(
        max_length=3, blank=True, choices=choices.reason_episode_ceased
    )
    dates_known = models.BooleanField(
        default=True,
        help_text="False where only a return showed the period and not when it began (or, for "
        "a care leaver, when it began and ended): the dates held are then the latest the "
        "return allows, and its first legal status or placement may be blank (not known).",
    )

    class Meta:
        ordering = ["starts_on"]
        verbose_name_plural = "periods of care"

    def is_open_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


class LegalStatus(Recorded):
    """A legal status from its start until the next one starts or the period ends."""

    period = models.ForeignKey(
        PeriodOfCare, on_delete=models.PROTECT, related_name="legal_statuses"
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="legal_statuses")
    code = models.CharField(max_length=2, choices=choices.legal_status)
    starts_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        verbose_name_plural = "legal statuses"


class Placement(Recorded):
    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="placements")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="placements")
    placement_type = models.CharField(max_length=3, choices=choices.placement_type)
    provider = models.CharField(max_length=3, choices=choices.placement_provider)
    provider_name = models.CharField(max_length=200, blank=True)
    urn = models.CharField(
        "Ofsted URN", max_length=8, blank=True, help_text="XXXXXXX where the carer has none."
    )
    postcode = models.CharField(max_length=8, blank=True)
    in_area = models.BooleanField(default=True, help_text="Inside the authority's boundary.")
    starts_on = models.DateField(db_index=True)
    ends_on = models.DateField(null=True, blank=True)
    reason_for_change = models.CharField(
        max_length=6, blank=True, choices=choices.reason_placement_change
    )

    class Meta:
        ordering = ["starts_on"]


class LookedAfterReview(Recorded):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="looked_after_reviews")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField(db_index=True)
    participation = models.CharField(max_length=3, choices=choices.review_participation)
    iro = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews_chaired"
    )

    class Meta:
        ordering = ["held_on"]


class HealthAssessment(Recorded):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial health assessment"
        REVIEW = "review", "Review health assessment"
        # What a return said of the child's health at 31 March, where it gave no assessment
        # date; not an assessment, so the return's count of assessments leaves it out.
        SUMMARY = "summary", "Health at 31 March, from a return (not an assessment)"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="health_assessments")
    period = models.ForeignKey(
        PeriodOfCare, on_delete=models.PROTECT, related_name="health_assessments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    done_on = models.DateField(db_index=True)
    immunisations_up_to_date = models.BooleanField(null=True, blank=True)
    teeth_checked = models.BooleanField("dental check in the last year", null=True, blank=True)
    sdq_score = models.PositiveSmallIntegerField(
        "strengths and difficulties questionnaire score", null=True, blank=True
    )
    sdq_reason = models.CharField(
        "why there is no score", max_length=4, blank=True, choices=choices.sdq_reason
    )
    substance_misuse = models.BooleanField("substance misuse identified", null=True, blank=True)
    intervention_offered = models.BooleanField(null=True, blank=True)
    intervention_received = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["done_on"]


class PersonalEducationPlan(Recorded):
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="personal_education_plans"
    )
    period = models.ForeignKey(
        PeriodOfCare, on_delete=models.PROTECT, related_name="personal_education_plans"
    )
    held_on = models.DateField(db_index=True)
    school_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["held_on"]


class Conviction(Recorded):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="convictions")
    convicted_on = models.DateField()
    offence = models.CharField(max_length=200, blank=True)
