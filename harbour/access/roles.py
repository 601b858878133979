"""The roles people hold in Harbour (DESIGN.md), shared by staff records and user accounts."""

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    FAMILY_SUPPORT_WORKER = "family_support_worker", "Family support worker"
    SENIOR_PRACTITIONER = "senior_practitioner", "Senior practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    CONFERENCE_CHAIR = "conference_chair", "Child protection conference chair"
    IRO = "iro", "Independent reviewing officer"
    PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
    MASH_SCREENER = "mash_screener", "MASH screener"
    PERFORMANCE_OFFICER = "performance_officer", "Performance and quality assurance officer"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    PARTNER_REFERRER = "partner_referrer", "Partner agency referrer"
    INSPECTOR = "inspector", "Inspector"
    ADMINISTRATOR = "administrator", "Administrator"


# Roles that are not council staff: their accounts carry the role themselves.
EXTERNAL_ROLES = frozenset({Role.PARTNER_REFERRER, Role.INSPECTOR})
