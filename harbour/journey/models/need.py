from django.db import models

from harbour.core.models import Recorded
from harbour.journey.models.front_door import Referral
from harbour.people.models import Child


class ChildInNeedPlan(Recorded):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="child_in_need_plans")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="child_in_need_plans"
    )
    starts_on = models.DateField(db_index=True)
    ends_on = models.DateField(null=True, blank=True)
    outcomes = models.TextField(blank=True)


class ChildInNeedPlanReview(Recorded):
    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue the plan"
        END = "end", "End the plan"

    plan = models.ForeignKey(ChildInNeedPlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField(db_index=True)
    notes = models.TextField(blank=True)
    decision = models.CharField(
        "the review's decision", max_length=10, blank=True, choices=Decision.choices
    )
