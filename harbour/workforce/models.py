"""Staff, teams, who holds each child (allocation), and supervision."""

from datetime import date

from django.conf import settings
from django.db import models

from harbour.access.roles import Role
from harbour.codes import choices
from harbour.core.models import Recorded
from harbour.people.models import Child

# Staff roles: every role except those held by people outside the council.
STAFF_ROLES = [(r.value, r.label) for r in Role if r not in (Role.PARTNER_REFERRER, Role.INSPECTOR)]


class District(Recorded):
    name = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.name


class Team(Recorded):
    class Kind(models.TextChoices):
        FRONT_DOOR = "front_door", "Front door (MASH)"
        ASSESSMENT = "assessment", "Assessment"
        SAFEGUARDING = "safeguarding", "Safeguarding and family support"
        CHILDREN_IN_CARE = "children_in_care", "Children in care"
        CARE_LEAVERS = "care_leavers", "Care leavers"
        DISABLED_CHILDREN = "disabled_children", "Disabled children"
        EARLY_HELP = "early_help", "Early help"
        REVIEWING = "reviewing", "Safeguarding and reviewing (chairs and IROs)"
        PERFORMANCE = "performance", "Performance and quality assurance"
        LEADERSHIP = "leadership", "Leadership"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="teams"
    )

    def __str__(self) -> str:
        return self.name


class Staff(Recorded):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    forename = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    role = models.CharField(max_length=40, choices=STAFF_ROLES)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="staff")
    qualified = models.BooleanField(
        "qualified social worker", default=False, help_text="Holds a social work qualification."
    )
    registration_number = models.CharField(
        "Social Work England registration", max_length=20, blank=True
    )
    qualified_on = models.DateField(null=True, blank=True)
    asye_completed_on = models.DateField(
        "assessed and supported year in employment completed on", null=True, blank=True
    )
    agency_worker = models.BooleanField(default=False)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "staff"
        ordering = ["surname", "forename"]

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def is_registered_social_worker(self) -> bool:
        return self.qualified and bool(self.registration_number)

    def newly_qualified_on(self, day: date) -> bool:
        """In the assessed and supported year in employment on `day`."""
        return (
            self.qualified
            and self.qualified_on is not None
            and self.qualified_on <= day
            and (self.asye_completed_on is None or day < self.asye_completed_on)
        )

    def employed_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class AllocationQuerySet(models.QuerySet):
    def current_on(self, day: date) -> "AllocationQuerySet":
        """Allocations held on `day` (an allocation's end date is its last day)."""
        return self.filter(starts_on__lte=day).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)
        )


class Allocation(Recorded):
    """Who holds a child's case, from when to when. Handovers end one row and start another."""

    objects = AllocationQuerySet.as_manager()

    class Kind(models.TextChoices):
        SOCIAL_WORKER = "social_worker", "Allocated social worker"
        KEY_WORKER = "key_worker", "Key worker"
        PERSONAL_ADVISER = "personal_adviser", "Personal adviser"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="allocations")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="allocations")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SOCIAL_WORKER)
    reason = models.CharField(
        "why the worker changed", max_length=6, blank=True, choices=choices.social_worker_change
    )
    starts_on = models.DateField(db_index=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        indexes = [
            # "Does this child have an allocation current today?", answered from the index
            # alone (pages ask it of every open case), and "was it ever the team's?"
            models.Index(fields=["child", "starts_on", "ends_on"], name="allocation_child_dates"),
            models.Index(fields=["child", "team"], name="allocation_child_team"),
        ]


class Supervision(Recorded):
    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "Formal one-to-one supervision"
        GROUP = "group", "Group supervision"

    worker = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="supervisions")
    supervisor = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="supervisions_given"
    )
    held_on = models.DateField(db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ONE_TO_ONE)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["held_on"]


class CaseDiscussion(Recorded):
    """A child's case discussed in supervision, with the manager's direction."""

    supervision = models.ForeignKey(
        Supervision, on_delete=models.PROTECT, related_name="case_discussions"
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="case_discussions")
    direction = models.TextField()


class TrayLook(models.Model):
    """When a member of staff last looked at their own work tray, so the tray can mark the
    allocations that are new since. Not a record of the child's journey: no history."""

    staff = models.OneToOneField(Staff, on_delete=models.CASCADE, related_name="tray_look")
    looked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.staff} looked at their tray at {self.looked_at:%Y-%m-%d %H:%M}"
