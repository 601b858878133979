from django.db import models


class Agency(models.TextChoices):
    """Agencies taking part in strategy discussions, conferences and core groups."""

    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "School or education"
    EARLY_HELP = "early_help", "Early help"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    ADULT_SERVICES = "adult_services", "Adult services"
    FAMILY = "family", "Parent or carer"
    OTHER = "other", "Other"
