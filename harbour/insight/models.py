"""Insight's stored data: the Department's published figures, for comparators.

Harbour's own indicators are computed from the journey records and never stored; what is stored
here is what Harbour cannot compute: the Department's published figures for England, each
region and every authority (loaded by `harbour load_published`)."""

from django.db import models


class AreaLevel(models.TextChoices):
    NATIONAL = "national", "England"
    REGIONAL = "regional", "Region"
    LOCAL = "local", "Local authority"


class PublishedFigure(models.Model):
    """One published figure: an indicator's value for one area in one year."""

    indicator = models.CharField(max_length=64, help_text="Harbour's indicator id.")
    year = models.PositiveSmallIntegerField(
        help_text="The collection year by the year it ends (2025 for 2024-25), or the year of "
        "the snapshot (the workforce at 30 September, the population at 30 June)."
    )
    area_level = models.CharField(max_length=10, choices=AreaLevel.choices)
    area_code = models.CharField(
        max_length=9,
        help_text="The Department's three-digit code for an authority (926); the ONS code for "
        "a region (E12000006) or England (E92000001).",
    )
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    area_name = models.CharField(max_length=100)
    region = models.CharField(
        max_length=40, blank=True, help_text="An authority's region, as the Department names it."
    )
    value = models.DecimalField(max_digits=14, decimal_places=4)
    source = models.CharField(
        max_length=300, help_text="The publication and the file the figure was read from."
    )
    release = models.PositiveSmallIntegerField(
        help_text="The release, by the latest year it covers; a later release's figure is "
        "never replaced by an earlier one's."
    )
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator", "year", "area_level", "area_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "area_code"], name="one_published_figure"
            )
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="published_by_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} {self.area_name}: {self.value}"
