"""Need to know: which children a person may see, and on what terms.

A person's own work is in scope (their children, their team's, or the service's, by role);
outside it, some roles may open a record by giving a reason, and practitioners' reasons alert
a manager (break-glass). A restricted record is seen only by the people named in a grant:
everyone else does not learn it exists.
"""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from harbour.access.models import Grant, ReasonedAccess, Restriction
from harbour.access.roles import Role
from harbour.people.models import Child

TEAM_WORK = {
    Role.SOCIAL_WORKER,
    Role.FAMILY_SUPPORT_WORKER,
    Role.SENIOR_PRACTITIONER,
    Role.PERSONAL_ADVISER,
    Role.TEAM_MANAGER,
}
BREAK_GLASS = TEAM_WORK | {
    Role.SERVICE_MANAGER,
    Role.MASH_SCREENER,
    Role.CONFERENCE_CHAIR,
    Role.IRO,
    Role.ADMINISTRATOR,
}
RECORDED_REASON = {Role.PERFORMANCE_OFFICER, Role.SENIOR_LEADER}
STAFF_SEARCH = BREAK_GLASS | RECORDED_REASON | {Role.INSPECTOR}
MASH_DAYS = 30
# A conference chair sees a child whose section 47 enquiry (started this long ago at most) has
# not yet been heard at an initial conference, or whose plan is yet to be written.
ENQUIRY_DAYS = 90
REASON_HOURS = 8


def _current_allocation(on):
    from harbour.workforce.models import Allocation

    return Allocation.objects.filter(
        Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    )


def granted(user) -> QuerySet:
    return Grant.objects.filter(user=user, revoked_on__isnull=True).values("restriction__child")


def unknowable_children(user) -> QuerySet:
    """The restricted children the person holds no grant for (a few rows): lists leave these
    out with `.exclude(child__in=...)`, which costs the restrictions, not the county."""
    return Restriction.objects.exclude(child__in=granted(user)).values("child")


def _unrestricted_or_granted(user) -> Q:
    return ~Q(pk__in=unknowable_children(user))


def in_scope(user, among=None) -> Q:
    """The children within the person's own work, as a filter on Child. `among` (child ids)
    narrows each subquery to those children, so asking about a few children reads their own
    rows (through the tables' child indexes), never a team's or the service's whole history."""
    role = user.role if user.is_authenticated else ""
    today = timezone.localdate()
    staff = getattr(user, "staff", None)

    def theirs(rows):
        return rows if among is None else rows.filter(child__in=among)

    allocations = theirs(_current_allocation(today))
    if role in TEAM_WORK and staff is not None:
        # A worker sees the children allocated to them and to their team.
        return Q(pk__in=allocations.filter(team=staff.team).values("child"))
    if role == Role.SERVICE_MANAGER:
        return Q(pk__in=allocations.values("child"))
    if role in (Role.CONFERENCE_CHAIR, Role.IRO):
        from harbour.care.models import PeriodOfCare
        from harbour.journey.models import ChildProtectionPlan

        open_plans = theirs(ChildProtectionPlan.objects.filter(starts_on__lte=today)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=today)
        )
        in_care = theirs(PeriodOfCare.objects.filter(starts_on__lte=today)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=today)
        )
        found = Q(pk__in=open_plans.values("child")) | Q(pk__in=in_care.values("child"))
        if role == Role.CONFERENCE_CHAIR:
            # A child whose section 47 enquiry may call an initial conference, or whose
            # conference decided on a plan not yet written: the chair prepares and records
            # both before the plan exists.
            from harbour.journey.models import Conference, Section47Enquiry

            since = today - timedelta(ENQUIRY_DAYS)
            awaiting = theirs(
                Section47Enquiry.objects.filter(
                    started_on__gte=since,
                    outcome__in=["", Section47Enquiry.Outcome.CONFERENCE],
                    conferences__isnull=True,
                )
            )
            unwritten = theirs(
                Conference.objects.filter(
                    held_on__gte=since,
                    kind=Conference.Kind.INITIAL,
                    outcome=Conference.Outcome.PLAN,
                    plan_started__isnull=True,
                )
            )
            found |= Q(pk__in=awaiting.values("child")) | Q(pk__in=unwritten.values("child"))
        return found
    if role == Role.MASH_SCREENER:
        from harbour.journey.models import Contact

        recent = theirs(
            Contact.objects.filter(received_at__gte=timezone.now() - timedelta(MASH_DAYS))
        )
        return Q(pk__in=recent.values("child"))
    if role == Role.INSPECTOR:
        return Q(pk__isnull=False)  # every record (an empty Q would vanish in an OR)
    return Q(pk__in=[])


def visible_children(user, among=None) -> QuerySet:
    """Children the person may see now: in their work, or opened with a reason still current;
    restricted records only with a grant. `among` (child ids): only those children, each
    subquery reading their rows alone (the answer is the same as filtering by them after)."""
    opened = ReasonedAccess.objects.filter(user=user, expires_at__gt=timezone.now())
    hidden = unknowable_children(user)
    children = Child.objects.all()
    if among is not None:
        among = [int(pk) for pk in among]
        opened = opened.filter(child__in=among)
        hidden = hidden.filter(child__in=among)
        children = children.filter(pk__in=among)
    return children.filter(
        (in_scope(user, among) | Q(pk__in=opened.values("child"))) & ~Q(pk__in=hidden)
    )


def knowable_children(user) -> QuerySet:
    """Every child whose record the person may learn exists (all but restricted ones they
    hold no grant for): for counts and lists that are not about one child."""
    return Child.objects.filter(_unrestricted_or_granted(user))


def findable_children(user) -> QuerySet:
    """Children a search may show the person: any they could see or open with a reason."""
    if user.role in BREAK_GLASS | RECORDED_REASON:
        return Child.objects.filter(_unrestricted_or_granted(user))
    return visible_children(user)


def knows_of(user, child) -> bool:
    """Whether the person may learn the child's record exists at all."""
    if not Restriction.objects.filter(child=child).exists():
        return True
    return Grant.objects.filter(
        restriction__child=child, user=user, revoked_on__isnull=True
    ).exists()


def may_view(user, child) -> bool:
    """Asked of the child's own rows only: the same answer as `visible_children`, without
    SQLite reading the whole of the viewer's team's (or the service's) allocations."""
    return user.is_authenticated and visible_children(user, among=[child.pk]).exists()


def way_in(user, child) -> str | None:
    """How a person outside a (known) record's scope may open it: 'break_glass',
    'recorded_reason', or None."""
    if user.role in BREAK_GLASS:
        return ReasonedAccess.Kind.BREAK_GLASS
    if user.role in RECORDED_REASON:
        return ReasonedAccess.Kind.RECORDED_REASON
    return None


def reachable(user, child) -> bool:
    """Whether the person may open the child's record or ask to open it with a reason. A child
    who is neither is answered as one Harbour does not hold."""
    return knows_of(user, child) and (may_view(user, child) or way_in(user, child) is not None)
