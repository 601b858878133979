"""Reads for the work trays: what each person has to do, shown where they start their day.

- a worker's **new allocations** (started in the last 10 working days, those since they last
  looked marked new) and their own **drafts** (forms kept when a session ran out, each resumed
  at its own address);
- a conference chair's **conferences** and an independent reviewing officer's **looked-after
  reviews**, due in the coming 6 weeks or overdue, from the duties engine: a review goes to the
  chair (or IRO) who chaired the plan's (or period's) latest conference (or review), as
  continuity of chair asks; one with no chair recorded yet, and every initial conference
  (chaired by no one before it is held), is on the chairs' (or IROs') shared unassigned list;
- a team's **children** (one page at a time, with the allocated worker) and its
  **unallocated** children: an open case (a child in need episode, child protection plan or
  period of care open today) with no allocation current today, whose last allocation was to the
  team, with how long each has waited since the case opened or its last worker's allocation
  ended, oldest first.

Each read is bounded by what its page shows: the chair's and IRO's lists read the open plans,
enquiries awaiting a conference and open periods of care (a county's current work, never its
history), then the duties of those children alone. "Returned to you" has no source yet:
Harbour does not record a manager returning work, so no tray shows such a list.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.paginator import Paginator
from django.db.models import Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import Resolver404, resolve
from django.utils import timezone

from harbour.access.models import Draft
from harbour.casework import recording
from harbour.people.models import Child
from harbour.timescales import selectors as duties
from harbour.timescales.calendar import working_days
from harbour.workforce.models import Allocation, Staff, Team, TrayLook

NEW_WORKING_DAYS = 10
CHAIR_WEEKS = 6
# An enquiry older than this with no conference is a question for data quality, not a tray.
ENQUIRY_WEEKS = 26
TEAM_PAGE = 25

CONFERENCE_RULES = ("initial_child_protection_conference", "review_conference")
REVIEW_RULES = ("looked_after_review",)


def _hidden(viewer):
    """The restricted children the viewer holds no grant for (a handful of rows, however many
    children the county has), to leave out of a list: the same children as those outside
    `scope.knowable_children`, without asking the database to walk every child."""
    from harbour.access.models import Restriction
    from harbour.access.scope import granted

    return Restriction.objects.exclude(child__in=granted(viewer)).values("child")


def _known(rows, viewer, field="child"):
    """`rows` less those about children the viewer may not know of (None: no one left out)."""
    return rows if viewer is None else rows.exclude(**{f"{field}__in": _hidden(viewer)})


# ----- a worker's duties ----------------------------------------------------------------------


def worker_duties(staff: Staff, today: date, viewer=None) -> list[duties.Duty]:
    """The duties engine's tray for the worker, not asked at all when it can have nothing to
    say (no child allocated to them and, not being a team manager, no one's supervision): a
    chair, an IRO or a screener holds no allocations, and reading no one's records still
    costs the engine's every table."""
    from harbour.access.roles import Role

    holds = Allocation.objects.current_on(today).filter(worker=staff).exists()
    if not holds and staff.role != Role.TEAM_MANAGER:
        return []
    from harbour.access.scope import knowable_children

    allowed = knowable_children(viewer) if viewer is not None else None
    return duties.worker_tray(staff, today, allowed)


# ----- a worker's new allocations -------------------------------------------------------------


@dataclass
class NewAllocation:
    allocation: Allocation
    previous: Allocation | None  # the child's allocation just before, if any
    new: bool  # since the worker last looked at their tray

    @property
    def child(self) -> Child:
        return self.allocation.child

    @property
    def reason(self) -> str:
        """Why the worker changed, in words (the code list's label without its code)."""
        code = self.allocation.reason
        if not code:
            return ""
        label = self.allocation.get_reason_display()
        return label.removeprefix(f"{code}: ")

    @property
    def allocated_by(self) -> str:
        user = self.allocation.created_by
        if user is None:
            return ""
        return user.get_full_name() or user.get_username()


def last_looked(staff: Staff) -> datetime | None:
    look = TrayLook.objects.filter(staff=staff).values_list("looked_at", flat=True).first()
    return look


def note_looked(*, staff: Staff, at: datetime | None = None) -> None:
    """The worker has looked at their own tray (the one write a tray makes: no record of a
    child's journey, so neither history nor audit line beyond the tray's own view)."""
    TrayLook.objects.update_or_create(staff=staff, defaults={"looked_at": at or timezone.now()})


def new_allocations(staff: Staff, today: date, viewer=None, since=None) -> list[NewAllocation]:
    """Allocations to the worker that started in the last NEW_WORKING_DAYS working days and
    are still current, newest first; `since` (when the worker last looked) marks those made
    after it as new."""
    start = working_days().subtract(today, NEW_WORKING_DAYS)
    found = list(
        _known(
            Allocation.objects.current_on(today).filter(worker=staff, starts_on__gte=start),
            viewer,
        )
        .select_related("child", "created_by", "team")
        .order_by("-starts_on", "-pk")
    )
    previous = {}
    if found:
        earlier = (
            Allocation.objects.filter(
                child_id__in=[a.child_id for a in found], starts_on__lte=today
            )
            .exclude(pk__in=[a.pk for a in found])
            .select_related("worker", "team")
            .order_by("starts_on", "pk")
        )
        starts = {a.child_id: a.starts_on for a in found}
        for allocation in earlier:
            if allocation.starts_on <= starts[allocation.child_id]:
                previous[allocation.child_id] = allocation  # the latest before wins
    return [
        NewAllocation(
            allocation=a,
            previous=previous.get(a.child_id),
            new=since is None or a.created_at > since,
        )
        for a in found
    ]


# ----- drafts --------------------------------------------------------------------------------

DRAFT_FORMS = {
    "refer": "Refer a child",
    "front-door-new-contact": "A new contact",
    "front-door-decide": "A contact's decision",
    "front-door-choose-child": "Which child a contact is about",
    "front-door-tell-referrer": "What the referrer was told",
    "open-with-reason": "Opening a record with a reason",
}


@dataclass
class DraftItem:
    draft: Draft
    form: str
    child: Child | None = None

    @property
    def url(self) -> str:
        return self.draft.path


def own_drafts(user) -> list[DraftItem]:
    """The person's own drafts, newest first, each named by its form (and child, where the
    form is about one the person may know of). Only addresses Harbour serves are offered."""
    items, references = [], {}
    for draft in Draft.objects.filter(user=user).order_by("-saved_at", "-pk"):
        path = draft.path
        if not path.startswith("/") or path.startswith("//"):
            continue
        try:
            match = resolve(path)
        except Resolver404:
            continue
        form = (
            DRAFT_FORMS.get(match.url_name)
            or recording.draft_title(match.url_name, match.kwargs)
            or "A form"
        )
        item = DraftItem(draft=draft, form=form)
        if "reference" in match.kwargs:
            references.setdefault(match.kwargs["reference"], []).append(item)
        items.append(item)
    if references:
        children = _known(Child.objects.filter(reference__in=list(references)), user, "pk")
        for child in children:
            for item in references[child.reference]:
                item.child = child
    return items


# ----- conferences and looked-after reviews --------------------------------------------------


@dataclass
class Chaired:
    """A conference or review due: the duty, its child, and who chaired the last one."""

    duty: duties.Duty
    child: Child
    chair: Staff | None

    @property
    def overdue(self) -> bool:
        return self.duty.status == "overdue"

    @property
    def kind(self) -> str:
        return SHORT_TITLES.get(self.duty.rule, self.duty.title)


SHORT_TITLES = {
    "initial_child_protection_conference": "Initial conference",
    "review_conference": "Review conference",
    "looked_after_review": "Looked-after review",
}


@dataclass
class ChairTray:
    what: str  # "conferences" or "reviews"
    today: date
    until: date
    mine: list[Chaired] = field(default_factory=list)
    unassigned: list[Chaired] = field(default_factory=list)

    @property
    def mine_overdue(self):
        return [c for c in self.mine if c.overdue]

    @property
    def mine_coming(self):
        return [c for c in self.mine if not c.overdue]

    @property
    def mine_due_soon(self):
        return [c for c in self.mine if c.duty.status == "due_soon"]

    @property
    def unassigned_overdue(self):
        return [c for c in self.unassigned if c.overdue]

    @property
    def unassigned_coming(self):
        return [c for c in self.unassigned if not c.overdue]


def _open_on(today: date, start="starts_on", end="ends_on") -> Q:
    return Q(**{f"{start}__lte": today}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": today})
    )


def _conference_chairs(today: date, viewer) -> tuple[dict[int, int | None], set[int]]:
    """{child: chair of the open plan's latest conference}, and the children whose enquiry
    awaits its initial conference."""
    from harbour.journey.models import ChildProtectionPlan, Conference, Section47Enquiry

    latest_review = (
        Conference.objects.filter(plan=OuterRef("pk"), kind=Conference.Kind.REVIEW)
        .order_by("-held_on", "-pk")
        .values("chair")[:1]
    )
    plans = _known(ChildProtectionPlan.objects.filter(_open_on(today)), viewer).annotate(
        last_chair=Coalesce(
            Subquery(latest_review), F("initial_conference__chair"), output_field=IntegerField()
        )
    )
    chairs = dict(plans.values_list("child_id", "last_chair"))
    held = Conference.objects.filter(
        section_47_enquiry=OuterRef("pk"), kind=Conference.Kind.INITIAL
    )
    awaiting = _known(
        Section47Enquiry.objects.filter(
            started_on__lte=today, started_on__gte=today - timedelta(weeks=ENQUIRY_WEEKS)
        )
        .exclude(outcome__in=["cin", "unsubstantiated"])
        .exclude(Exists(held)),
        viewer,
    )
    return chairs, set(awaiting.values_list("child_id", flat=True))


def _review_chairs(today: date, viewer) -> dict[int, int | None]:
    """{child: IRO of the open period of care's latest review}."""
    from harbour.care.models import LookedAfterReview, PeriodOfCare

    latest = (
        LookedAfterReview.objects.filter(period=OuterRef("pk"))
        .order_by("-held_on", "-pk")
        .values("iro")[:1]
    )
    periods = _known(PeriodOfCare.objects.filter(_open_on(today)), viewer).annotate(
        last_iro=Subquery(latest)
    )
    return dict(periods.values_list("child_id", "last_iro"))


def chaired(staff: Staff, what: str, today: date, viewer=None) -> ChairTray:
    """A chair's conferences (`what="conferences"`) or an IRO's looked-after reviews
    (`what="reviews"`) due by CHAIR_WEEKS from today or overdue, theirs and the unassigned
    ones, each list overdue first then by due date."""
    until = today + timedelta(weeks=CHAIR_WEEKS)
    tray = ChairTray(what=what, today=today, until=until)
    if what == "conferences":
        chairs, awaiting = _conference_chairs(today, viewer)
        rules = CONFERENCE_RULES
    else:
        chairs, awaiting = _review_chairs(today, viewer), set()
        rules = REVIEW_RULES
    mine = {child for child, chair in chairs.items() if chair == staff.pk}
    unassigned = {child for child, chair in chairs.items() if chair is None} | awaiting
    children = mine | unassigned
    if not children:
        return tray
    due = [
        d
        for d in duties.duties_for(today, children, undone=True)
        if d.rule in rules
        and (d.status in duties.OPEN or (d.status == "not_yet_due" and d.due <= until))
        # An initial conference is the unassigned list's; a review, its plan's chair's.
        and (d.rule != "initial_child_protection_conference" or d.child_id in awaiting)
        and (d.rule == "initial_child_protection_conference" or d.child_id in chairs)
    ]
    named = Child.objects.in_bulk({d.child_id for d in due})
    staff_ids = {chairs.get(d.child_id) for d in due} - {None}
    people = Staff.objects.in_bulk(staff_ids)
    order = {"overdue": 0, "due_soon": 1, "not_yet_due": 2}
    for d in sorted(due, key=lambda d: (order[d.status], d.due, d.child_id)):
        child = named.get(d.child_id)
        if child is None:
            continue
        first = d.rule == "initial_child_protection_conference"
        chair = None if first else people.get(chairs.get(d.child_id))
        item = Chaired(duty=d, child=child, chair=chair)
        if not first and d.child_id in mine:
            tray.mine.append(item)
        else:
            tray.unassigned.append(item)
    return tray


# ----- a team's children and its unallocated ones --------------------------------------------


def team_children(team: Team, today: date, page=1, viewer=None, per_page=TEAM_PAGE):
    """One page of the team's current allocations (child and worker), by the child's name."""
    from harbour.casework.status import statuses_for

    allocations = (
        _known(Allocation.objects.current_on(today).filter(team=team), viewer)
        .select_related("child", "worker")
        .order_by("child__surname", "child__forename", "child_id", "pk")
    )
    shown = Paginator(allocations, per_page).get_page(page)
    statuses = statuses_for([a.child_id for a in shown.object_list], today)
    shown.object_list = [
        {"allocation": a, "child": a.child, "statuses": statuses.get(a.child_id, [])}
        for a in shown.object_list
    ]
    return shown


@dataclass
class Unallocated:
    child: Child
    opened_on: date  # the earliest open case began
    waiting_since: date  # that, or the day after the last allocation ended, if later
    last_worker: Staff | None
    working_days: int

    @property
    def waited(self) -> str:
        n = self.working_days
        return f"{n} working day{'s' if n != 1 else ''}"


def _case_tables():
    """(model, the day a case opened, the day it closed) of each kind of open case."""
    from harbour.care.models import PeriodOfCare
    from harbour.journey.models import ChildProtectionPlan, Referral

    return (
        (Referral, "received_on", "closed_on"),
        (ChildProtectionPlan, "starts_on", "ends_on"),
        (PeriodOfCare, "starts_on", "ends_on"),
    )


def _open_cases(today: date):
    """(child_id, since) of every case open today with no allocation current today, one row an
    episode: for a team that takes new cases, whose list includes the children never allocated
    to anyone. Each table is asked twice, for the episodes with no end and for those ending
    later, so each is read through its end date's index (an OR of the two scans the table), and
    nothing else is asked of a row than whether its child holds an allocation today: the team
    is chosen afterwards, from the few children left (asked in the same query, "ever the
    team's or never allocated" made PostgreSQL read every allocation there has been)."""
    held = Allocation.objects.current_on(today).filter(child=OuterRef("child_id"))
    return [
        model.objects.filter(**{f"{start}__lte": today}, **ending)
        .exclude(Exists(held))
        .order_by()
        .values_list("child_id", start)
        for model, start, end in _case_tables()
        for ending in ({f"{end}__isnull": True}, {f"{end}__gt": today})
    ]


def _open_cases_after(team: Team, today: date):
    """(child_id, since) of the cases open today of the children whose allocation to the team
    has ended and who hold none today: started from the team's own ended allocations (the rows
    read follow the team's history, never the county's open cases), each asked whether its
    child holds an allocation today and has a case open today, through the child's indexes.
    Whether the team's was the child's last allocation is for the caller."""
    held = Allocation.objects.current_on(today).filter(child=OuterRef("child_id"))
    tables = _case_tables()
    is_open = Q()
    for model, start, end in tables:
        # Through the child's index, both endings in one question.
        is_open |= Exists(
            model.objects.filter(_open_on(today, start, end), child=OuterRef("child_id"))
        )
    children = list(
        Allocation.objects.filter(team=team, starts_on__lte=today, ends_on__lt=today)
        .exclude(Exists(held))
        .filter(is_open)
        .order_by()
        .values_list("child_id", flat=True)
        .distinct()
    )
    if not children:
        return []
    return [
        model.objects.filter(_open_on(today, start, end), child_id__in=children)
        .order_by()
        .values_list("child_id", start)
        for model, start, end in tables
    ]


# Teams that take new cases from the front door: their unallocated list includes the children
# never yet allocated to anyone.
TAKES_NEW_CASES = (Team.Kind.FRONT_DOOR, Team.Kind.ASSESSMENT)


def unallocated(team: Team, today: date, viewer=None) -> list[Unallocated]:
    """The team's unallocated children, the longest waiting first: those whose last allocation
    was to the team and, for a team that takes new cases, those never yet allocated."""
    takes_new = team.kind in TAKES_NEW_CASES
    opened: dict[int, date] = {}
    for rows in _open_cases(today) if takes_new else _open_cases_after(team, today):
        for child_id, since in rows:
            if child_id not in opened or since < opened[child_id]:
                opened[child_id] = since
    if not opened:
        return []
    last = {}
    for allocation in (
        Allocation.objects.filter(child_id__in=list(opened), starts_on__lte=today)
        .select_related("worker")
        .order_by("starts_on", "pk")
    ):
        last[allocation.child_id] = allocation  # the latest wins
    ours = [c for c, a in last.items() if a.team_id == team.pk]
    if takes_new:
        ever = set(
            Allocation.objects.filter(child_id__in=list(opened)).values_list("child_id", flat=True)
        )
        ours += [c for c in opened if c not in ever]
    children = _known(Child.objects.filter(pk__in=ours, merged_into__isnull=True), viewer, "pk")
    calendar = working_days()
    found = []
    for child in children:
        allocation = last.get(child.pk)
        since = opened[child.pk]
        if allocation is not None and allocation.ends_on is not None:
            since = max(since, allocation.ends_on + timedelta(days=1))
        found.append(
            Unallocated(
                child=child,
                opened_on=opened[child.pk],
                waiting_since=since,
                last_worker=allocation.worker if allocation else None,
                working_days=max(calendar.count(since, today), 0) if since <= today else 0,
            )
        )
    return sorted(found, key=lambda u: (u.waiting_since, u.child.surname, u.child.pk))
