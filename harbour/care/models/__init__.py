from harbour.care.models.leaving_care import (
    CareLeaver,
    CareLeaverContact,
    PrivateFosteringArrangement,
)
from harbour.care.models.looked_after import (
    Conviction,
    HealthAssessment,
    LegalStatus,
    LookedAfterReview,
    PeriodOfCare,
    PersonalEducationPlan,
    Placement,
)
from harbour.care.models.permanence import AdoptionPlan, PreviousPermanence

__all__ = [
    "AdoptionPlan",
    "CareLeaver",
    "CareLeaverContact",
    "Conviction",
    "HealthAssessment",
    "LegalStatus",
    "LookedAfterReview",
    "PeriodOfCare",
    "PersonalEducationPlan",
    "Placement",
    "PreviousPermanence",
    "PrivateFosteringArrangement",
]
