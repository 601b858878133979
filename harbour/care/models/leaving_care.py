from django.db import models

from harbour.codes import choices
from harbour.core.models import Recorded
from harbour.people.models import Child
from harbour.workforce.models import Staff


class CareLeaver(Recorded):
    class Category(models.TextChoices):
        ELIGIBLE = "eligible", "Eligible (16 or 17, still looked after)"
        RELEVANT = "relevant", "Relevant (16 or 17, left care)"
        FORMER_RELEVANT = "former_relevant", "Former relevant (18 to 25)"
        QUALIFYING = "qualifying", "Qualifying"

    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="care_leaver")
    category = models.CharField(max_length=20, choices=Category.choices)
    personal_adviser = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="care_leavers"
    )
    pathway_plan_started_on = models.DateField(null=True, blank=True)
    pathway_plan_reviewed_on = models.DateField(null=True, blank=True)
    staying_put = models.BooleanField(default=False)


class CareLeaverContact(Recorded):
    """What the authority knew of a care leaver when it was last in touch."""

    care_leaver = models.ForeignKey(CareLeaver, on_delete=models.PROTECT, related_name="contacts")
    contact_on = models.DateField(db_index=True)
    in_touch = models.CharField(max_length=4, choices=choices.care_leaver_in_touch)
    accommodation = models.CharField(
        max_length=1, blank=True, choices=choices.care_leaver_accommodation
    )
    accommodation_suitable = models.BooleanField(null=True, blank=True)
    activity = models.CharField(max_length=2, blank=True, choices=choices.care_leaver_activity)

    class Meta:
        ordering = ["contact_on"]


class PrivateFosteringArrangement(Recorded):
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="private_fostering_arrangements"
    )
    notified_on = models.DateField(db_index=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    carer_name = models.CharField(max_length=200)
    carer_relationship = models.CharField(max_length=100, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
