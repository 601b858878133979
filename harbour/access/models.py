"""User accounts. Staff accounts take their role from their staff record (workforce);
partner referrers and inspectors are not staff, so their account holds the role."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from harbour.access.roles import Role


class User(AbstractUser):
    external_role = models.CharField(
        max_length=40,
        blank=True,
        choices=[(r.value, r.label) for r in (Role.PARTNER_REFERRER, Role.INSPECTOR)],
        help_text="Only for people who are not council staff.",
    )
    organisation = models.CharField(
        max_length=200, blank=True, help_text="For partner referrers and inspectors."
    )

    @property
    def role(self) -> str:
        staff = getattr(self, "staff", None)
        if staff is not None:
            return staff.role
        if self.external_role:
            return self.external_role
        return Role.ADMINISTRATOR if self.is_superuser else ""

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else "No role"
