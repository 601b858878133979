"""The local authority Harbour serves: identity, child population, comparators, local policy."""

from django.db import models

from harbour.authority.policy import setting_choices
from harbour.core.models import Recorded


class Region(models.TextChoices):
    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire_humber", "Yorkshire and The Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST = "east", "East of England"
    INNER_LONDON = "inner_london", "Inner London"
    OUTER_LONDON = "outer_london", "Outer London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"


class Authority(Recorded):
    name = models.CharField(max_length=200)
    la_code = models.CharField(
        "DfE local authority code", max_length=3, unique=True, help_text="For example 909."
    )
    ons_code = models.CharField("ONS area code", max_length=9, blank=True)
    region = models.CharField(max_length=30, choices=Region.choices)

    class Meta:
        verbose_name_plural = "authorities"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Authority | None":
        """Harbour serves one authority per database."""
        return cls.objects.order_by("pk").first()

    def population_in(self, year: int) -> int | None:
        """Children aged 0-17 in the mid-year estimate nearest to `year` (for rates per 10,000)."""
        row = (
            self.child_populations.filter(year__lte=year).order_by("-year").first()
            or self.child_populations.order_by("year").first()
        )
        return row.children_0_17 if row else None


class ChildPopulation(Recorded):
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="child_populations"
    )
    year = models.PositiveSmallIntegerField(help_text="Mid-year estimate year.")
    children_0_17 = models.PositiveIntegerField("children aged 0 to 17")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="one_population_a_year")
        ]


class StatisticalNeighbour(Recorded):
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="statistical_neighbours"
    )
    la_code = models.CharField("neighbour's DfE code", max_length=3)
    name = models.CharField(max_length=200)
    rank = models.PositiveSmallIntegerField(help_text="1 is the closest neighbour.")
    grouping = models.CharField(max_length=20, help_text="The published grouping, e.g. 2025.")

    class Meta:
        ordering = ["grouping", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "grouping", "la_code"], name="neighbour_once_per_grouping"
            )
        ]


class PolicySetting(Recorded):
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="policy_settings"
    )
    name = models.CharField(max_length=60, choices=setting_choices)
    value = models.JSONField()
    applies_from = models.DateField()
    rationale = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "name", "applies_from"], name="one_setting_change_a_day"
            )
        ]


class SchoolTerm(Recorded):
    """Term dates, for duties counted in school days (personal education plans)."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="terms")
    name = models.CharField(max_length=60)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
