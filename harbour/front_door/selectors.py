"""Reads for the front door: the screening queue (contacts awaiting a decision, oldest first,
with how long each has waited against the contact-decision duty), a contact's likely matching
children with their history in brief, and a partner's own referrals with what they were told.

Every read is bounded by what the page shows: the queue reads one page of contacts through an
index on the contacts awaiting a decision, the histories one query a table for the children
shown."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from harbour.access import scope
from harbour.journey.models import Contact
from harbour.people.matching import likely_matches

QUEUE_PAGE = 25
POLICY = "contact_decision_working_days"


def _policy():
    from harbour.authority.models import Authority
    from harbour.authority.policy import PolicyBook

    authority = Authority.current()
    return PolicyBook.for_authority(authority) if authority is not None else PolicyBook()


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Waiting:
    """A contact awaiting a decision, against the duty to decide within the policy's working
    days of its receipt (the timescales rule `contact_decision`)."""

    contact: Contact
    received_on: date
    due: date
    working_days_waited: int
    on: date

    @property
    def overdue(self) -> bool:
        return self.on > self.due

    @property
    def provisional(self) -> bool:
        """About a record made from a partner's referral, not yet matched or confirmed."""
        from harbour.journey.services.front_door import is_provisional

        return is_provisional(self.contact.child)

    @property
    def due_today(self) -> bool:
        return self.on == self.due

    @property
    def waited(self) -> str:
        """How long it has waited, in words."""
        if self.working_days_waited <= 0:
            hours = int((timezone.now() - self.contact.received_at).total_seconds() // 3600)
            if self.received_on == self.on:
                if hours < 1:
                    return "Less than an hour"
                return f"{hours} hour{'s' if hours != 1 else ''}"
            return "Since before today (no working day yet)"
        n = self.working_days_waited
        return f"{n} working day{'s' if n != 1 else ''}"


def waiting(contact: Contact, on: date, policy=None) -> Waiting:
    from harbour.timescales.calendar import working_days

    policy = policy or _policy()
    received_on = timezone.localdate(contact.received_at)
    days = int(policy.value(POLICY, received_on))
    calendar = working_days()
    return Waiting(
        contact=contact,
        received_on=received_on,
        due=calendar.add(received_on, days),
        working_days_waited=calendar.count(received_on, on) if on >= received_on else 0,
        on=on,
    )


class ScreeningQueue:
    """Contacts awaiting a decision that the viewer may know of, oldest first."""

    def __init__(self, on: date, viewer=None):
        self.on = on
        self.viewer = viewer

    @cached_property
    def policy(self):
        return _policy()

    def contacts(self) -> QuerySet:
        found = Contact.objects.filter(decision="")
        if self.viewer is not None:
            # A restricted child's contact only for those granted the record (the few
            # restricted children are left out, rather than every child asked about).
            found = found.exclude(child__in=scope.unknowable_children(self.viewer))
        return found.order_by("received_at", "pk")

    @property
    def policy_days(self) -> int:
        return int(self.policy.value(POLICY, self.on))

    def overdue_since(self) -> datetime:
        """Contacts received before this are past their due day (decided neither on the day
        nor within the working days the policy allows)."""
        from harbour.timescales.calendar import working_days

        return _start_of(working_days().subtract(self.on, self.policy_days))

    @cached_property
    def count(self) -> int:
        return self.contacts().count()

    @cached_property
    def overdue_count(self) -> int:
        return self.contacts().filter(received_at__lt=self.overdue_since()).count()

    def _items(self, contacts) -> list[Waiting]:
        return [waiting(c, self.on, self.policy) for c in contacts]

    def _shown(self) -> QuerySet:
        return self.contacts().select_related("child", "created_by")

    def oldest(self, n: int = 5) -> list[Waiting]:
        """The first few, for a tray."""
        return self._items(self._shown()[:n])

    def page(self, number=1, per_page: int = QUEUE_PAGE):
        """One page of the queue (a Django Page whose object_list is Waiting items)."""
        page = Paginator(self._shown(), per_page).get_page(number)
        page.object_list = self._items(page.object_list)
        return page


def screening_queue(on: date, viewer=None) -> ScreeningQueue:
    """The MASH screener's work: contacts awaiting a decision, oldest first. `viewer` leaves
    out the contacts of restricted children the person holds no grant for.

    `queue.count`, `queue.overdue_count`, `queue.oldest(5)` and `queue.page(n)` each cost one
    query (and the policy's two, once), however many contacts the county holds."""
    return ScreeningQueue(on, viewer)


# ----- a contact's children ------------------------------------------------------------------


@dataclass
class Brief:
    """A child's history in brief, for deciding whether a contact is about them and what it
    needs: their statuses, allocated worker, address and earlier contacts and referrals."""

    child: object
    statuses: list = field(default_factory=list)
    allocations: list = field(default_factory=list)
    address: object = None
    contacts: int = 0
    last_contact: datetime | None = None
    referrals: int = 0
    last_referral: date | None = None
    open_referral: bool = False
    protection_plans: int = 0
    reasons: tuple = ()
    score: float | None = None
    reachable: bool = False


def briefs(children: Iterable, on: date, viewer=None, exclude_contact=None) -> list[Brief]:
    """The history in brief of each child, in the order given: one query a table however many
    children. `exclude_contact` leaves the contact being screened out of the earlier ones."""
    from harbour.casework.status import statuses_for
    from harbour.journey.models import ChildProtectionPlan, Referral
    from harbour.people.models import Address
    from harbour.workforce.models import Allocation

    children = list(children)
    ids = [c.pk for c in children]
    result = {c.pk: Brief(child=c) for c in children}
    if not ids:
        return []
    for child_id, statuses in statuses_for(ids, on).items():
        result[child_id].statuses = statuses
    for allocation in (
        Allocation.objects.current_on(on)
        .filter(child_id__in=ids)
        .select_related("worker", "team")
        .order_by("starts_on")
    ):
        result[allocation.child_id].allocations.append(allocation)
    for address in (
        Address.objects.filter(child_id__in=ids, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("starts_on")
    ):
        result[address.child_id].address = address  # the latest wins
    contacts = Contact.objects.filter(child_id__in=ids)
    if exclude_contact is not None:
        contacts = contacts.exclude(pk=exclude_contact.pk)
    for row in contacts.values("child_id").annotate(n=Count("id"), last=Max("received_at")):
        result[row["child_id"]].contacts = row["n"]
        result[row["child_id"]].last_contact = row["last"]
    for row in (
        Referral.objects.filter(child_id__in=ids)
        .values("child_id")
        .annotate(
            n=Count("id"),
            last=Max("received_on"),
            open=Count("id", filter=Q(closed_on__isnull=True) & Q(received_on__lte=on)),
        )
    ):
        brief = result[row["child_id"]]
        brief.referrals, brief.last_referral = row["n"], row["last"]
        brief.open_referral = row["open"] > 0
    for row in (
        ChildProtectionPlan.objects.filter(child_id__in=ids)
        .values("child_id")
        .annotate(n=Count("id"))
    ):
        result[row["child_id"]].protection_plans = row["n"]
    if viewer is not None:
        mine = set(scope.visible_children(viewer, among=ids).values_list("pk", flat=True))
        with_a_reason = scope.way_in(viewer, None) is not None
        for child_id in ids:
            result[child_id].reachable = child_id in mine or with_a_reason
    return [result[i] for i in ids]


def likely_matches_for(contact: Contact, viewer, on: date, limit: int = 5) -> list[Brief]:
    """The children Harbour holds who may be the contact's child (among those the viewer may
    find), each with their history in brief."""
    child = contact.child
    address = child.addresses.order_by("-starts_on").first()
    matches = likely_matches(
        forename=child.forename,
        surname=child.surname,
        date_of_birth=child.date_of_birth or child.expected_date_of_birth,
        postcode=address.postcode if address else "",
        among=scope.findable_children(viewer),
        exclude=[child.pk],
        limit=limit,
    )
    found = briefs([m.child for m in matches], on, viewer)
    for brief, match in zip(found, matches, strict=True):
        brief.reasons, brief.score = match.reasons, match.score
    return found


def matches_for_details(
    viewer, on: date, *, forename="", surname="", date_of_birth=None, postcode="", limit=5
) -> list[Brief]:
    """Likely matches for a child described by a screener typing a new contact."""
    matches = likely_matches(
        forename=forename,
        surname=surname,
        date_of_birth=date_of_birth,
        postcode=postcode,
        among=scope.findable_children(viewer),
        limit=limit,
    )
    found = briefs([m.child for m in matches], on, viewer)
    for brief, match in zip(found, matches, strict=True):
        brief.reasons, brief.score = match.reasons, match.score
    return found


# ----- a partner's referrals ---------------------------------------------------------------


def sent_by(user) -> QuerySet:
    """The referrals a partner sent, newest first: their own, nothing else."""
    return Contact.objects.filter(created_by=user).select_related("child").order_by("-received_at")
