from harbour.journey.models.agencies import Agency
from harbour.journey.models.assessment import Assessment
from harbour.journey.models.front_door import Contact, EarlyHelpEpisode, Referral
from harbour.journey.models.missing import MissingEpisode
from harbour.journey.models.need import ChildInNeedPlan, ChildInNeedPlanReview
from harbour.journey.models.protection import (
    ChildProtectionPlan,
    Conference,
    ConferenceAttendance,
    CoreGroupMeeting,
    PlanAction,
    PlanOutcome,
    Section47Enquiry,
    StrategyDiscussion,
)
from harbour.journey.models.recording import CaseNote, CaseSummary, ChronologyEntry, Visit

__all__ = [
    "Agency",
    "Assessment",
    "CaseNote",
    "CaseSummary",
    "ChildInNeedPlan",
    "ChildInNeedPlanReview",
    "ChildProtectionPlan",
    "ChronologyEntry",
    "Conference",
    "ConferenceAttendance",
    "Contact",
    "CoreGroupMeeting",
    "EarlyHelpEpisode",
    "MissingEpisode",
    "PlanAction",
    "PlanOutcome",
    "Referral",
    "Section47Enquiry",
    "StrategyDiscussion",
    "Visit",
]
