"""Adoption and permanence before care, as the SSDA903 return records them."""

from django.db import models

from harbour.codes import choices
from harbour.core.models import Recorded
from harbour.people.models import Child


class AdoptionPlan(Recorded):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="adoption_plans")
    decided_on = models.DateField(
        "decision that the child should be placed for adoption", db_index=True
    )
    matched_on = models.DateField(null=True, blank=True)
    placed_on = models.DateField(null=True, blank=True)
    placement_ceased_on = models.DateField(null=True, blank=True)
    reason_ceased = models.CharField(
        max_length=3, blank=True, choices=choices.reason_placed_for_adoption_ceased
    )
    foster_carers_adopting = models.BooleanField(null=True, blank=True)
    number_of_adopters = models.PositiveSmallIntegerField(null=True, blank=True)
    adopters_sex = models.CharField(max_length=2, blank=True, choices=choices.adopter_sex)
    adopters_legal_status = models.CharField(
        max_length=3, blank=True, choices=choices.adopter_legal_status
    )


class PreviousPermanence(Recorded):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="previous_permanence")
    option = models.CharField(max_length=2, choices=choices.previous_permanence)
    made_on = models.DateField(null=True, blank=True)
    made_on_text = models.CharField(
        max_length=10, blank=True, help_text="Where only part is known, e.g. zz/zz/2019."
    )
    la_code = models.CharField("authority that made the order", max_length=3, blank=True)

    class Meta:
        verbose_name_plural = "previous permanence"
