"""Where each child protection step starts from, so nothing is typed twice: a strategy
discussion from the referral the front door opened; a section 47 enquiry from its strategy
discussion; the initial conference from the enquiry and its strategy discussion; the plan from
the conference's decision and category; a review conference and a core group from the plan.

Each returns the answers a form opens with (the person can change any of them)."""

from datetime import date

from django.db.models import Q

from harbour.journey.models import (
    Agency,
    ChildProtectionPlan,
    Conference,
    Contact,
    CoreGroupMeeting,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
)
from harbour.people.models import Child
from harbour.workforce.models import Allocation, Staff

# Those usually at a strategy discussion (Working Together: social care, police, health).
STRATEGY_AGENCIES = [Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH]


def open_referrals(child: Child, on: date) -> list[Referral]:
    """The child's referrals open on `on`, those the front door sent to a strategy discussion
    first, then the latest."""
    referrals = (
        Referral.objects.filter(child=child, received_on__lte=on)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=on))
        .select_related("contact")
    )
    return sorted(
        referrals,
        key=lambda r: (
            not (r.contact_id and r.contact.decision == Contact.Decision.STRATEGY),
            -r.received_on.toordinal(),
        ),
    )


def allocated_worker(child: Child, on: date) -> Staff | None:
    allocation = (
        Allocation.objects.current_on(on)
        .filter(child=child)
        .select_related("worker")
        .order_by("-starts_on")
        .first()
    )
    return allocation.worker if allocation else None


def strategy_discussion_start(child: Child, on: date) -> dict:
    referrals = open_referrals(child, on)
    referral = referrals[0] if referrals else None
    agencies = list(STRATEGY_AGENCIES)
    if child.date_of_birth and (on - child.date_of_birth).days >= 4 * 365:
        agencies.append(Agency.EDUCATION)
    return {
        "referral": referral,
        "referrals": referrals,
        "agencies_invited": [str(a) for a in agencies],
        "agencies_present": [],
    }


def section_47_enquiry_start(discussion: StrategyDiscussion) -> dict:
    lead = allocated_worker(discussion.child, discussion.held_on)
    if lead is not None and not lead.is_registered_social_worker():
        lead = None
    return {
        "strategy_discussion": discussion,
        "started_on": discussion.held_on,
        "lead_worker": lead,
    }


def _attendance_from(agencies: list[str], attended=()) -> list[dict]:
    return [
        {"agency": a, "invited": True, "attended": a in attended, "report_provided": False}
        for a in dict.fromkeys(agencies)
    ]


def initial_conference_start(enquiry: Section47Enquiry) -> dict:
    """The conference's child and enquiry, and those to invite: the agencies of the strategy
    discussion and the parents."""
    discussion = enquiry.strategy_discussion
    invited = [*discussion.agencies_invited, *discussion.agencies_present, Agency.FAMILY]
    return {
        "child": enquiry.child,
        "section_47_enquiry": enquiry,
        "strategy_discussion": discussion,
        "attendance": _attendance_from([str(a) for a in invited]),
    }


def child_protection_plan_start(conference: Conference) -> dict:
    """The plan's start and category from the conference's decision, and the agencies at the
    conference (those who may own its actions)."""
    agencies = [a.agency for a in conference.attendance.all() if a.invited]
    return {
        "conference": conference,
        "starts_on": conference.held_on,
        "category": conference.category,
        "agencies": agencies,
    }


def _latest_conference(plan: ChildProtectionPlan) -> Conference:
    return (
        Conference.objects.filter(Q(plan=plan) | Q(pk=plan.initial_conference_id))
        .order_by("-held_on", "-pk")
        .prefetch_related("attendance")
        .first()
    )


def review_conference_start(plan: ChildProtectionPlan) -> dict:
    """A review from the plan: its category, and those invited to the last conference and
    those at core groups since."""
    last = _latest_conference(plan)
    invited = [a.agency for a in last.attendance.all() if a.invited] if last else []
    meetings = CoreGroupMeeting.objects.filter(plan=plan)
    if last is not None:
        meetings = meetings.filter(held_on__gte=last.held_on)
    for meeting in meetings:
        invited.extend(meeting.agencies_present)
    return {
        "plan": plan,
        "category": plan.latest_category,
        "attendance": _attendance_from(invited or [Agency.SOCIAL_CARE, Agency.FAMILY]),
        "chair": last.chair if last else None,
    }


def core_group_start(plan: ChildProtectionPlan) -> dict:
    """A core group from the plan: the agencies at the last core group (or, for the first,
    those who attended the conference), and the plan's actions as they stand."""
    last = CoreGroupMeeting.objects.filter(plan=plan).order_by("-held_on", "-pk").first()
    if last is not None:
        present = list(last.agencies_present)
    else:
        conference = _latest_conference(plan)
        present = (
            [a.agency for a in conference.attendance.all() if a.attended] if conference else []
        )
    actions = list(plan.actions.select_related("outcome").order_by("outcome_id", "due_on", "pk"))
    return {
        "plan": plan,
        "agencies_present": present,
        "actions": [{"action": a, "status": a.status, "note": ""} for a in actions],
    }
