"""Every record the Annex A lists need, read in a few queries and grouped by child or parent
record, so the rows are built without a query per row."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from harbour.care.models import (
    AdoptionPlan,
    CareLeaver,
    CareLeaverContact,
    HealthAssessment,
    LegalStatus,
    LookedAfterReview,
    PeriodOfCare,
    Placement,
)
from harbour.journey.models import (
    Assessment,
    ChildProtectionPlan,
    Conference,
    Contact,
    EarlyHelpEpisode,
    MissingEpisode,
    Referral,
    Section47Enquiry,
    Visit,
)
from harbour.people.models import Child, Disability
from harbour.returns.annex_a.lists import WINDOW_MONTHS
from harbour.workforce.models import Allocation, Staff


def by(rows, key: str) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def opened_in_window(start_field: str, end_field: str, as_of: date, since: date) -> Q:
    """Open at some point from `since` to `as_of`: started by then, not ended before."""
    return Q(**{f"{start_field}__lte": as_of}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": since})
    )


class AnnexData:
    def __init__(self, as_of: date):
        self.as_of = as_of
        self.since = as_of - relativedelta(months=WINDOW_MONTHS["List 1"])  # six months
        self.year_ago = as_of - relativedelta(months=WINDOW_MONTHS["List 10"])  # twelve
        counts_from = self.since - relativedelta(months=12)  # "in the 12 months before" a row
        a, since = as_of, self.since

        self.contacts = list(
            Contact.objects.filter(
                received_at__gte=day_start(since), received_at__lt=day_start(a + timedelta(1))
            ).order_by("received_at", "id")
        )
        self.early_help = list(
            EarlyHelpEpisode.objects.filter(starts_on__lte=a)
            .filter(
                Q(starts_on__gte=since)
                | Q(assessment_completed_on__gte=since, assessment_completed_on__lte=a)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gt=a)
            )
            .order_by("starts_on", "id")
        )
        self.referrals = list(
            Referral.objects.filter(received_on__gte=since, received_on__lte=a).order_by(
                "received_on", "id"
            )
        )
        self.assessments = list(
            Assessment.objects.filter(started_on__lte=a)
            .filter(
                Q(started_on__gte=since)
                | Q(authorised_on__isnull=True)
                | Q(authorised_on__gte=since)
            )
            .select_related("worker__team")
            .order_by("started_on", "id")
        )
        self.enquiries = list(
            Section47Enquiry.objects.filter(started_on__lte=a)
            .filter(
                Q(started_on__gte=since) | Q(completed_on__isnull=True) | Q(completed_on__gte=since)
            )
            .select_related("lead_worker__team")
            .order_by("started_on", "id")
        )
        self.episodes = list(
            Referral.objects.filter(opened_in_window("received_on", "closed_on", a, since))
            .filter(no_further_action=False)
            .order_by("received_on", "id")
        )
        self.plans = list(
            ChildProtectionPlan.objects.filter(
                opened_in_window("starts_on", "ends_on", a, since)
            ).order_by("starts_on", "id")
        )
        self.periods = list(
            PeriodOfCare.objects.filter(
                opened_in_window("starts_on", "ends_on", a, since)
            ).order_by("starts_on", "id")
        )
        self.care_leavers = list(
            CareLeaver.objects.filter(
                Q(pathway_plan_started_on__isnull=True) | Q(pathway_plan_started_on__lte=a)
            )
            .select_related("personal_adviser__team", "child")
            .order_by("child__reference")
        )
        self.adoption_plans = list(
            AdoptionPlan.objects.filter(decided_on__lte=a).order_by("decided_on", "id")
        )

        ids = (
            {r.child_id for r in self.contacts}
            | {r.child_id for r in self.early_help}
            | {r.child_id for r in self.referrals}
            | {r.child_id for r in self.assessments}
            | {r.child_id for r in self.enquiries}
            | {r.child_id for r in self.episodes}
            | {r.child_id for r in self.plans}
            | {r.child_id for r in self.periods}
            | {r.child_id for r in self.care_leavers}
            | {r.child_id for r in self.adoption_plans}
        )
        self.children = Child.objects.in_bulk(ids)
        self.disabled = set(
            Disability.objects.filter(child_id__in=ids)
            .exclude(code="NONE")
            .values_list("child_id", flat=True)
        )
        self.allocations = self._allocations(ids)

        # History for the counts and the latest of each kind of record.
        self.child_referrals = by(
            Referral.objects.filter(
                child_id__in=ids, received_on__gte=counts_from, received_on__lte=a
            ).values_list("id", "child_id", "received_on", named=True),
            "child_id",
        )
        self.child_enquiries = by(
            Section47Enquiry.objects.filter(
                child_id__in=ids, started_on__gte=counts_from, started_on__lte=a
            ).values_list("id", "child_id", "started_on", named=True),
            "child_id",
        )
        self.child_conferences = by(
            Conference.objects.filter(child_id__in=ids, kind="initial", held_on__lte=a),
            "child_id",
        )
        self.enquiry_conference = {
            c.section_47_enquiry_id: c
            for rows in self.child_conferences.values()
            for c in rows
            if c.section_47_enquiry_id is not None
        }
        self.review_conferences = by(
            Conference.objects.filter(child_id__in=ids, kind="review", held_on__lte=a), "plan_id"
        )
        self.child_plans = by(
            ChildProtectionPlan.objects.filter(child_id__in=ids).order_by("starts_on", "id"),
            "child_id",
        )
        self.visits = by(
            Visit.objects.filter(child_id__in=ids, visited_on__lte=a)
            .order_by("visited_on", "id")
            .values_list("child_id", "kind", "visited_on", "child_seen", "seen_alone", named=True),
            "child_id",
        )
        self.assessments_open = {
            x.child_id
            for x in Assessment.objects.filter(child_id__in=ids, started_on__lte=a).filter(
                Q(authorised_on__isnull=True) | Q(authorised_on__gt=a)
            )
        }
        self.child_periods = by(
            PeriodOfCare.objects.filter(child_id__in=ids).order_by("starts_on", "id"), "child_id"
        )
        self.legal = by(
            LegalStatus.objects.filter(child_id__in=ids).order_by("starts_on", "id"), "child_id"
        )
        self.placements = by(
            Placement.objects.filter(child_id__in=ids).order_by("starts_on", "id"), "child_id"
        )
        self.reviews = by(
            LookedAfterReview.objects.filter(child_id__in=ids, held_on__lte=a), "period_id"
        )
        self.health = by(
            HealthAssessment.objects.filter(child_id__in=ids, done_on__lte=a)
            .exclude(kind="summary")
            .order_by("done_on", "id"),
            "period_id",
        )
        self.missing = by(
            MissingEpisode.objects.filter(
                child_id__in=ids, started_at__lt=day_start(a + timedelta(1))
            ).order_by("started_at", "id"),
            "child_id",
        )
        self.leaver_contacts = by(
            CareLeaverContact.objects.filter(
                care_leaver__child_id__in=ids, contact_on__lte=a
            ).order_by("contact_on", "id"),
            "care_leaver_id",
        )

    def _allocations(self, ids) -> dict:
        rows = by(
            Allocation.objects.filter(
                child_id__in=ids, kind="social_worker", starts_on__lte=self.as_of
            )
            .select_related("worker", "team")
            .order_by("starts_on", "id"),
            "child_id",
        )
        return {child: pick_allocation(found, self.as_of) for child, found in rows.items()}

    def allocated(self, child_id: int) -> tuple[str, str]:
        allocation = self.allocations.get(child_id)
        if allocation is None:
            return ("", "")
        return (allocation.team.name, staff_name(allocation.worker))


def pick_allocation(allocations: list, as_of: date):
    """The child's allocated worker on the inspection date (the latest to start, where two
    overlap), or the last before it; `allocations` in order of start."""
    started = [a for a in allocations if a.starts_on <= as_of]
    current = [a for a in started if a.ends_on is None or a.ends_on >= as_of]
    return (current or started or [None])[-1]


def staff_name(staff: Staff | None) -> str:
    return f"{staff.forename} {staff.surname}".strip() if staff else ""


def worker(staff: Staff | None) -> tuple[str, str]:
    return (staff.team.name, staff_name(staff)) if staff else ("", "")
