"""A child with a history on every table, and a family, for the record's tests."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from harbour.care.models import LegalStatus, LookedAfterReview, PeriodOfCare, Placement
from harbour.journey.models import (
    Assessment,
    CaseNote,
    CaseSummary,
    ChronologyEntry,
    Conference,
    Contact,
    CoreGroupMeeting,
    EarlyHelpEpisode,
    MissingEpisode,
    PlanAction,
    PlanOutcome,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from harbour.people.models import Child, FamilyMember, Relationship


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def history(child: Child, worker=None, visits: int = 6, today: date | None = None) -> dict:
    """Contact, referral, strategy discussion, section 47, conference, plan (outcomes and
    actions, no contingency), core group, visits, case notes, a missing episode last week,
    an earlier period of care with placements, early help, a chronology entry and a case
    summary written before the latest significant event."""
    today = today or timezone.localdate()
    start = today - timedelta(days=200)
    made = {}
    made["contact"] = Contact.objects.create(
        child=child,
        received_at=at(start),
        source="1B",
        channel="phone",
        referrer_name="Dr Ola Marsh",
        referrer_organisation="Harbour Surgery",
        concerns="Bruising seen on the child's arm at a check-up.",
        decision="strategy",
        decision_at=at(start, 15),
    )
    made["referral"] = referral = child.referrals.create(
        contact=made["contact"], received_on=start, source="1B", primary_need="N1"
    )
    made["strategy"] = strategy = StrategyDiscussion.objects.create(
        child=child,
        referral=referral,
        concern_identified_on=start,
        held_on=start + timedelta(days=1),
        agencies_present=["police", "health", "social_care"],
        outcome="s47",
    )
    made["s47"] = s47 = Section47Enquiry.objects.create(
        child=child,
        referral=referral,
        strategy_discussion=strategy,
        started_on=start + timedelta(days=1),
        lead_worker=worker,
        completed_on=start + timedelta(days=10),
        outcome="icpc",
    )
    made["assessment"] = Assessment.objects.create(
        child=child,
        referral=referral,
        kind="single",
        started_on=start + timedelta(days=1),
        completed_on=start + timedelta(days=20),
        worker=worker,
        analysis="Mother's low mood and the father's drinking leave the children unsafe at night.",
        outcome="strategy",
    )
    icpc_on = start + timedelta(days=14)
    made["conference"] = icpc = Conference.objects.create(
        child=child,
        kind="initial",
        section_47_enquiry=s47,
        held_on=icpc_on,
        outcome="plan",
        child_attended=False,
    )
    made["plan"] = plan = child.child_protection_plans.create(
        referral=referral,
        initial_conference=icpc,
        starts_on=icpc_on,
        initial_category="NEG",
        latest_category="NEG",
        contingency="",
    )
    outcome = PlanOutcome.objects.create(plan=plan, outcome="The children are fed every day.")
    made["action"] = PlanAction.objects.create(
        plan=plan,
        outcome=outcome,
        action="Health visitor weighs the baby fortnightly.",
        owner_name="Priya Hale",
        owner_agency="health",
        due_on=today + timedelta(days=10),
    )
    made["core_group"] = CoreGroupMeeting.objects.create(
        child=child, plan=plan, held_on=icpc_on + timedelta(days=8), agencies_present=["health"]
    )
    for n in range(visits):
        Visit.objects.create(
            child=child,
            kind="child_protection",
            visited_on=icpc_on + timedelta(days=10 * (n + 1)),
            worker=worker,
            child_seen=True,
            seen_alone=n % 2 == 0,
            observations=f"Visit {n + 1}: the house was warm.",
        )
    made["note"] = CaseNote.objects.create(
        child=child,
        occurred_at=at(today - timedelta(days=3)),
        author=worker,
        subject="Phone call with school",
        text="School say attendance is better.",
    )
    made["missing"] = MissingEpisode.objects.create(
        child=child, kind="M", started_at=at(today - timedelta(days=7), 21)
    )
    care_start = start - timedelta(days=400)
    made["period"] = period = PeriodOfCare.objects.create(
        child=child,
        starts_on=care_start,
        ends_on=care_start + timedelta(days=120),
        category_of_need="N1",
        reason_ceased="E13",
    )
    LegalStatus.objects.create(period=period, child=child, code="V2", starts_on=care_start)
    Placement.objects.create(
        period=period,
        child=child,
        placement_type="U4",
        provider="PR1",
        starts_on=care_start,
        ends_on=care_start + timedelta(days=60),
    )
    made["move"] = Placement.objects.create(
        period=period,
        child=child,
        placement_type="U4",
        provider="PR1",
        provider_name="Fenwick foster home",
        starts_on=care_start + timedelta(days=60),
        ends_on=care_start + timedelta(days=120),
    )
    LookedAfterReview.objects.create(
        child=child, period=period, held_on=care_start + timedelta(days=20), participation="PN1"
    )
    made["early_help"] = EarlyHelpEpisode.objects.create(
        child=child,
        starts_on=start - timedelta(days=30),
        ends_on=start - timedelta(days=1),
        end_reason="stepped_up",
        lead_professional_agency="Harbour Primary School",
    )
    made["chronology"] = ChronologyEntry.objects.create(
        child=child,
        occurred_on=start,
        category="referral",
        summary="Referral accepted by children's social care.",
        significant=True,
        source=f"referral:{referral.pk}",
    )
    summary, _ = CaseSummary.objects.update_or_create(
        child=child, defaults={"summary": "Two children, neglect."}
    )
    CaseSummary.objects.filter(pk=summary.pk).update(updated_at=at(start - timedelta(days=5)))
    return made


def family(child: Child, sibling: Child, half_sibling: Child | None = None) -> dict:
    """A mother of all the children, a father of the first two, and a grandmother."""
    mother = FamilyMember.objects.create(forename="Jane", surname=child.surname, sex="F")
    father = FamilyMember.objects.create(forename="Tom", surname=child.surname, sex="M")
    gran = FamilyMember.objects.create(forename="Iris", surname="Old", sex="F", phone="01234")
    for c in (child, sibling):
        Relationship.objects.create(
            child=c, family_member=mother, kind="mother", parental_responsibility=True
        )
        Relationship.objects.create(child=c, family_member=father, kind="father")
    Relationship.objects.create(child=child, family_member=gran, kind="grandparent")
    if half_sibling is not None:
        Relationship.objects.create(child=half_sibling, family_member=mother, kind="mother")
    return {"mother": mother, "father": father, "gran": gran}
