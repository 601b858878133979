from django.db import models

from harbour.codes import choices
from harbour.core.models import Recorded
from harbour.people.models import Child


class MissingEpisode(Recorded):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="missing_episodes")
    kind = models.CharField(max_length=1, choices=choices.missing_kind)
    started_at = models.DateTimeField(db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    reported_to_police = models.BooleanField(default=False)
    interview_offered_at = models.DateTimeField(
        "return home interview offered at", null=True, blank=True
    )
    interview_held_at = models.DateTimeField("return home interview held at", null=True, blank=True)
    interview_declined = models.BooleanField("return home interview declined", default=False)
    interview_by = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at"]
