"""The timeline: every event on a child's record, from every table, newest first.

`timeline(child_ids)` reads each table once for the children given (a fixed number of queries
whatever their history), so a page's cost follows the children's own history, never the
county's. Each event says when, what kind, a title and a short summary in words, who was
involved, and which record it came from (`record` and `record_id`, for the record's own page).

Events that are significant in themselves (a referral, a strategy discussion, a section 47
enquiry, a conference, a plan starting or ending, coming into or leaving care, a placement
move, going missing, early help starting) carry the chronology `source` they are known by, as
the synthetic county and the services write it ("referral:12"), so the chronology can be made
from them and curated against them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from harbour.codes import code_list

# Timeline kinds (the filter's options), in the order a case usually goes.
KINDS = {
    "contact": "Contacts",
    "referral": "Referrals",
    "strategy": "Strategy discussions",
    "enquiry": "Section 47 enquiries",
    "assessment": "Assessments",
    "conference": "Conferences",
    "plan": "Plans",
    "core_group": "Core groups",
    "visit": "Visits",
    "case_note": "Case notes",
    "missing": "Missing episodes",
    "care": "Care",
    "early_help": "Early help",
}

# Each kind of one event, in words.
KIND_WORDS = {
    "contact": "Contact",
    "referral": "Referral",
    "strategy": "Strategy discussion",
    "enquiry": "Section 47 enquiry",
    "assessment": "Assessment",
    "conference": "Conference",
    "plan": "Plan",
    "core_group": "Core group",
    "visit": "Visit",
    "case_note": "Case note",
    "missing": "Missing episode",
    "care": "Care",
    "early_help": "Early help",
}

SUMMARY_LENGTH = 240


@dataclass(frozen=True)
class Event:
    on: date
    kind: str  # one of KINDS
    title: str
    summary: str
    who: str
    record: str  # one of RECORDS: the record's own page is /children/<ref>/records/<record>/<id>/
    record_id: int
    child_id: int
    at: datetime | None = None  # the time too, where the record holds one
    source: str = ""  # the chronology source, for an event significant in itself
    category: str = ""  # the chronology category (ChronologyEntry.Category)
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def significant(self) -> bool:
        return bool(self.source)

    @property
    def kind_label(self) -> str:
        return KIND_WORDS[self.kind]

    @property
    def anchor(self) -> str:
        return f"{self.record}-{self.record_id}"

    @property
    def sort_key(self):
        # Events with a time come in their order; a day's undated events after them.
        return (self.on, self.at is None, self.at.timestamp() if self.at else 0, self.record_id)


def _short(text: str, length: int = SUMMARY_LENGTH) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _name(staff) -> str:
    return staff.name if staff is not None else ""


def _day(at: datetime) -> date:
    return timezone.localtime(at).date()


def _yes(value) -> str:
    return "yes" if value else "no"


# Each kind's events come from one or more streams: a table's rows for the children, each row
# giving one event (a record's start, or its end where it has one). A stream knows its rows'
# order newest first, the same as its events' sort key, so a page needs only its newest rows.


@dataclass(frozen=True)
class _Stream:
    kind: str
    rows: Callable  # (child ids) -> the rows' QuerySet
    event: Callable  # (row) -> Event
    order: tuple = ()  # newest first, as the events' sort key
    needs: str = ""  # a field the row must have for this event (an ending's date)

    def queryset(self, ids):
        rows = self.rows(ids)
        if self.needs:
            rows = rows.filter(**{f"{self.needs}__isnull": False})
        return rows


def _stream(kind, rows, event, on, *, needs=""):
    """A stream whose events fall on the row's date (or time) field `on`."""
    return _Stream(kind, rows, event, order=(f"-{on}", "-id"), needs=needs)


def _contact_rows(ids):
    from harbour.journey.models import Contact

    return Contact.objects.filter(child_id__in=ids).select_related("decided_by")


def _contact(c):
    sources = code_list("referral_source")
    how = c.get_channel_display() if c.channel else sources.label(c.source)
    who = ", ".join(p for p in (c.referrer_name, c.referrer_organisation) if p)
    decision = f"Decision: {c.get_decision_display()}." if c.decision else "Awaiting a decision."
    return Event(
        on=_day(c.received_at),
        at=c.received_at,
        kind="contact",
        title=f"Contact: {how}",
        summary=_short(f"{decision} {c.concerns}".strip()),
        who=who or _name(c.decided_by),
        record="contact",
        record_id=c.pk,
        child_id=c.child_id,
    )


def _referral_rows(ids):
    from harbour.journey.models import Referral

    return Referral.objects.filter(child_id__in=ids).select_related("closed_by")


def _referral(r):
    needs = code_list("primary_need")
    parts = []
    if r.primary_need:
        parts.append(f"Primary need: {needs.label(r.primary_need)}.")
    if r.no_further_action:
        parts.append("No further action at referral.")
    return Event(
        on=r.received_on,
        kind="referral",
        title="Referral accepted: child in need episode opened",
        summary=" ".join(parts),
        who="",
        record="referral",
        record_id=r.pk,
        child_id=r.child_id,
        source=f"referral:{r.pk}",
        category="referral",
    )


def _referral_closed(r):
    closures = code_list("closure_reason")
    reason = closures.label(r.closure_reason) if r.closure_reason else "no reason recorded"
    return Event(
        on=r.closed_on,
        kind="referral",
        title="Child in need episode closed",
        summary=f"Reason: {reason}.",
        who=_name(r.closed_by),
        record="referral",
        record_id=r.pk,
        child_id=r.child_id,
    )


def _strategy_rows(ids):
    from harbour.journey.models import StrategyDiscussion

    return StrategyDiscussion.objects.filter(child_id__in=ids).select_related("chaired_by")


def _strategy(s):
    from harbour.journey.models import Agency

    agencies = dict(Agency.choices)
    present = ", ".join(agencies.get(a, a) for a in s.agencies_present)
    outcome = f"Outcome: {s.get_outcome_display()}." if s.outcome else "No outcome recorded."
    return Event(
        on=s.held_on,
        kind="strategy",
        title="Strategy discussion",
        summary=_short(f"{outcome} Present: {present or 'not recorded'}."),
        who=_name(s.chaired_by),
        record="strategy-discussion",
        record_id=s.pk,
        child_id=s.child_id,
        source=f"strategy:{s.pk}",
        category="protection",
    )


def _enquiry_rows(ids):
    from harbour.journey.models import Section47Enquiry

    return Section47Enquiry.objects.filter(child_id__in=ids).select_related("lead_worker")


def _enquiry(e):
    if e.completed_on:
        summary = f"Completed {e.completed_on:%-d %B %Y}. " + (
            f"Outcome: {e.get_outcome_display()}." if e.outcome else ""
        )
    else:
        summary = "Under way."
    return Event(
        on=e.started_on,
        kind="enquiry",
        title="Section 47 enquiry started",
        summary=summary.strip(),
        who=_name(e.lead_worker),
        record="section-47-enquiry",
        record_id=e.pk,
        child_id=e.child_id,
        source=f"s47:{e.pk}",
        category="protection",
    )


def _assessment_rows(ids):
    from harbour.journey.models import Assessment

    return (
        Assessment.objects.filter(child_id__in=ids)
        .select_related("worker", "authorised_by")
        .defer("family_history", "risk_factors", "protective_factors", "child_views")
    )


def _assessment(a):
    if a.completed_on:
        summary = f"Completed {a.completed_on:%-d %B %Y}."
        if a.outcome:
            summary += f" Outcome: {a.get_outcome_display()}."
    else:
        summary = "Under way."
    if a.analysis:
        summary += f" {a.analysis}"
    return Event(
        on=a.started_on,
        kind="assessment",
        title=f"{a.get_kind_display()} started",
        summary=_short(summary),
        who=_name(a.worker),
        record="assessment",
        record_id=a.pk,
        child_id=a.child_id,
    )


def _conference_rows(ids):
    from harbour.journey.models import Conference

    return Conference.objects.filter(child_id__in=ids).select_related("chair")


def _conference(c):
    from harbour.journey.models import Conference

    parts = [f"Outcome: {c.get_outcome_display()}." if c.outcome else "No outcome recorded."]
    parts.append(f"Child attended: {_yes(c.child_attended)}.")
    return Event(
        on=c.held_on,
        kind="conference",
        title=c.get_kind_display(),
        summary=" ".join(parts),
        who=_name(c.chair),
        record="conference",
        record_id=c.pk,
        child_id=c.child_id,
        source=f"conference:{c.pk}" if c.kind == Conference.Kind.INITIAL else "",
        category="protection",
    )


def _cp_plan_rows(ids):
    from harbour.journey.models import ChildProtectionPlan

    return ChildProtectionPlan.objects.filter(child_id__in=ids).defer(
        "consequences_of_non_compliance"
    )


def _cp_plan(p):
    abuse = code_list("category_of_abuse")
    contingency = "Contingency recorded." if p.contingency else "No contingency plan."
    return Event(
        on=p.starts_on,
        kind="plan",
        title="Child protection plan started",
        summary=f"Category: {abuse.label(p.initial_category)}. {contingency}",
        who="",
        record="child-protection-plan",
        record_id=p.pk,
        child_id=p.child_id,
        source=f"cp_plan:{p.pk}",
        category="protection",
    )


def _cp_plan_ended(p):
    why = p.get_end_reason_display() if p.end_reason else "no reason recorded"
    return Event(
        on=p.ends_on,
        kind="plan",
        title="Child protection plan ended",
        summary=f"Reason: {why}.",
        who="",
        record="child-protection-plan",
        record_id=p.pk,
        child_id=p.child_id,
        source=f"cp_plan:{p.pk}",
        category="protection",
    )


def _cin_plan_rows(ids):
    from harbour.journey.models import ChildInNeedPlan

    return ChildInNeedPlan.objects.filter(child_id__in=ids)


def _cin_plan(p):
    return Event(
        on=p.starts_on,
        kind="plan",
        title="Child in need plan started",
        summary=_short(p.outcomes),
        who="",
        record="child-in-need-plan",
        record_id=p.pk,
        child_id=p.child_id,
        source=f"cin_plan:{p.pk}",
        category="referral",
    )


def _cin_plan_ended(p):
    return Event(
        on=p.ends_on,
        kind="plan",
        title="Child in need plan ended",
        summary="",
        who="",
        record="child-in-need-plan",
        record_id=p.pk,
        child_id=p.child_id,
    )


def _core_group_rows(ids):
    from harbour.journey.models import CoreGroupMeeting

    return CoreGroupMeeting.objects.filter(child_id__in=ids)


def _core_group(m):
    from harbour.journey.models import Agency

    agencies = dict(Agency.choices)
    present = ", ".join(agencies.get(a, a) for a in m.agencies_present)
    return Event(
        on=m.held_on,
        kind="core_group",
        title="Core group meeting",
        summary=_short(f"Present: {present or 'not recorded'}. {m.notes}".strip()),
        who="",
        record="core-group",
        record_id=m.pk,
        child_id=m.child_id,
    )


def _visit_rows(ids):
    from harbour.journey.models import Visit

    return Visit.objects.filter(child_id__in=ids).select_related("worker").defer("child_views")


def _visit(v):
    if not v.child_seen:
        seen = "Child not seen."
    elif v.seen_alone:
        seen = "Child seen alone."
    else:
        reason = f" ({v.not_seen_alone_reason})" if v.not_seen_alone_reason else ""
        seen = f"Child seen, not alone{reason}."
    return Event(
        on=v.visited_on,
        kind="visit",
        title=v.get_kind_display(),
        summary=_short(f"{seen} {v.observations}".strip()),
        who=_name(v.worker),
        record="visit",
        record_id=v.pk,
        child_id=v.child_id,
    )


def _case_note_rows(ids):
    from harbour.journey.models import CaseNote

    return CaseNote.objects.filter(child_id__in=ids).select_related("author")


def _case_note(n):
    return Event(
        on=_day(n.occurred_at),
        at=n.occurred_at,
        kind="case_note",
        title=f"Case note: {n.subject}",
        summary=_short(n.text),
        who=_name(n.author),
        record="case-note",
        record_id=n.pk,
        child_id=n.child_id,
    )


def _missing_rows(ids):
    from harbour.journey.models import MissingEpisode

    return MissingEpisode.objects.filter(child_id__in=ids)


def _missing(m):
    kinds = code_list("missing_kind")
    if m.ended_at:
        back = f"Returned {timezone.localtime(m.ended_at):%-d %B %Y %H:%M}."
    else:
        back = "Not yet returned."
    if m.interview_held_at:
        interview = "Return home interview held."
    elif m.interview_declined:
        interview = "Return home interview declined."
    elif m.interview_offered_at:
        interview = "Return home interview offered."
    else:
        interview = "No return home interview recorded."
    return Event(
        on=_day(m.started_at),
        at=m.started_at,
        kind="missing",
        title=kinds.label(m.kind),
        summary=f"{back} {interview}",
        who="",
        record="missing-episode",
        record_id=m.pk,
        child_id=m.child_id,
        source=f"missing:{m.pk}",
        category="missing",
    )


def _period_rows(ids):
    from harbour.care.models import PeriodOfCare

    return PeriodOfCare.objects.filter(child_id__in=ids)


def _period(p):
    needs = code_list("category_of_need")
    return Event(
        on=p.starts_on,
        kind="care",
        title="Became looked after",
        summary=f"Category of need: {needs.label(p.category_of_need)}.",
        who="",
        record="period-of-care",
        record_id=p.pk,
        child_id=p.child_id,
        source=f"care:{p.pk}",
        category="care",
    )


def _period_ended(p):
    ceased = code_list("reason_episode_ceased")
    why = ceased.label(p.reason_ceased) if p.reason_ceased else "no reason recorded"
    return Event(
        on=p.ends_on,
        kind="care",
        title="Stopped being looked after",
        summary=f"Reason: {why}.",
        who="",
        record="period-of-care",
        record_id=p.pk,
        child_id=p.child_id,
        source=f"care:{p.pk}",
        category="care",
    )


def _placement_rows(ids):
    from django.db.models import Exists, OuterRef, Q

    from harbour.care.models import Placement

    # The first placement of a period of care (the earliest, by start and then id) is the
    # child being placed; each later one is a move.
    earlier = Placement.objects.filter(
        child_id=OuterRef("child_id"), period_id=OuterRef("period_id")
    ).filter(
        Q(starts_on__lt=OuterRef("starts_on"))
        | Q(starts_on=OuterRef("starts_on"), id__lt=OuterRef("id"))
    )
    return Placement.objects.filter(child_id__in=ids).annotate(moved=Exists(earlier))


def _placement(p):
    types = code_list("placement_type")
    where = types.label(p.placement_type)
    if p.provider_name:
        where = f"{where}: {p.provider_name}"
    return Event(
        on=p.starts_on,
        kind="care",
        title="Moved to a new placement" if p.moved else "Placed",
        summary=_short(f"{where}{'' if p.in_area else ' (outside the authority)'}."),
        who="",
        record="placement",
        record_id=p.pk,
        child_id=p.child_id,
        source=f"care:{p.period_id}" if p.moved else "",
        category="care",
    )


def _legal_status_rows(ids):
    from harbour.care.models import LegalStatus

    return LegalStatus.objects.filter(child_id__in=ids)


def _legal_status(s):
    return Event(
        on=s.starts_on,
        kind="care",
        title="Legal status",
        summary=code_list("legal_status").label(s.code),
        who="",
        record="legal-status",
        record_id=s.pk,
        child_id=s.child_id,
    )


def _review_rows(ids):
    from harbour.care.models import LookedAfterReview

    return LookedAfterReview.objects.filter(child_id__in=ids).select_related("iro")


def _review(r):
    participation = code_list("review_participation")
    return Event(
        on=r.held_on,
        kind="care",
        title="Looked-after child review",
        summary=f"Participation: {participation.label(r.participation)}.",
        who=_name(r.iro),
        record="looked-after-review",
        record_id=r.pk,
        child_id=r.child_id,
    )


def _health_rows(ids):
    from harbour.care.models import HealthAssessment

    return HealthAssessment.objects.filter(child_id__in=ids)


def _health(h):
    return Event(
        on=h.done_on,
        kind="care",
        title=h.get_kind_display(),
        summary="",
        who="",
        record="health-assessment",
        record_id=h.pk,
        child_id=h.child_id,
    )


def _pep_rows(ids):
    from harbour.care.models import PersonalEducationPlan

    return PersonalEducationPlan.objects.filter(child_id__in=ids)


def _pep(e):
    return Event(
        on=e.held_on,
        kind="care",
        title="Personal education plan",
        summary=e.school_name,
        who="",
        record="personal-education-plan",
        record_id=e.pk,
        child_id=e.child_id,
    )


def _early_help_rows(ids):
    from harbour.journey.models import EarlyHelpEpisode

    return EarlyHelpEpisode.objects.filter(child_id__in=ids).select_related("lead_professional")


def _lead(e) -> str:
    return _name(e.lead_professional) or ", ".join(
        p for p in (e.lead_professional_name, e.lead_professional_agency) if p
    )


def _early_help(e):
    lead = _lead(e)
    return Event(
        on=e.starts_on,
        kind="early_help",
        title="Early help started",
        summary=f"Lead professional: {lead}." if lead else "",
        who=lead,
        record="early-help",
        record_id=e.pk,
        child_id=e.child_id,
        source=f"early_help:{e.pk}",
        category="other",
    )


def _early_help_ended(e):
    lead = _lead(e)
    why = e.get_end_reason_display() if e.end_reason else "no reason recorded"
    return Event(
        on=e.ends_on,
        kind="early_help",
        title="Early help ended",
        summary=f"Reason: {why}.",
        who=lead,
        record="early-help",
        record_id=e.pk,
        child_id=e.child_id,
    )


# Every stream, in the order the whole timeline puts events that share a sort key (a record
# starting and ending on one day: the start first).
_STREAMS = (
    _stream("contact", _contact_rows, _contact, "received_at"),
    _stream("referral", _referral_rows, _referral, "received_on"),
    _stream("referral", _referral_rows, _referral_closed, "closed_on", needs="closed_on"),
    _stream("strategy", _strategy_rows, _strategy, "held_on"),
    _stream("enquiry", _enquiry_rows, _enquiry, "started_on"),
    _stream("assessment", _assessment_rows, _assessment, "started_on"),
    _stream("conference", _conference_rows, _conference, "held_on"),
    _stream("plan", _cp_plan_rows, _cp_plan, "starts_on"),
    _stream("plan", _cp_plan_rows, _cp_plan_ended, "ends_on", needs="ends_on"),
    _stream("plan", _cin_plan_rows, _cin_plan, "starts_on"),
    _stream("plan", _cin_plan_rows, _cin_plan_ended, "ends_on", needs="ends_on"),
    _stream("core_group", _core_group_rows, _core_group, "held_on"),
    _stream("visit", _visit_rows, _visit, "visited_on"),
    _stream("case_note", _case_note_rows, _case_note, "occurred_at"),
    _stream("missing", _missing_rows, _missing, "started_at"),
    _stream("care", _period_rows, _period, "starts_on"),
    _stream("care", _period_rows, _period_ended, "ends_on", needs="ends_on"),
    _stream("care", _placement_rows, _placement, "starts_on"),
    _stream("care", _legal_status_rows, _legal_status, "starts_on"),
    _stream("care", _review_rows, _review, "held_on"),
    _stream("care", _health_rows, _health, "done_on"),
    _stream("care", _pep_rows, _pep, "held_on"),
    _stream("early_help", _early_help_rows, _early_help, "starts_on"),
    _stream("early_help", _early_help_rows, _early_help_ended, "ends_on", needs="ends_on"),
)


def _ids(child_ids) -> list[int]:
    return list(dict.fromkeys(int(i) for i in child_ids))


def _wanted(kinds) -> list[tuple[int, _Stream]]:
    return [(n, s) for n, s in enumerate(_STREAMS) if kinds is None or s.kind in kinds]


def _merged(found) -> list[Event]:
    """(stream number, event) pairs, newest first; events sharing a sort key in stream order."""
    found.sort(key=lambda pair: (pair[1].sort_key, -pair[0]), reverse=True)
    return [e for _, e in found]


def timeline(child_ids, kinds=None) -> list[Event]:
    """Every event on the children's records (of the kinds given, or all), newest first.
    (A page of it: `TimelinePages`, which reads only the page's rows.)"""
    ids = _ids(child_ids)
    if not ids:
        return []
    # Each table read once, for all its streams.
    tables: dict = {}
    found = []
    for n, s in _wanted(kinds):
        if s.rows not in tables:
            tables[s.rows] = list(s.rows(ids))
        found.extend(
            (n, s.event(row))
            for row in tables[s.rows]
            if not s.needs or getattr(row, s.needs) is not None
        )
    return _merged(found)


def kind_counts(events) -> dict[str, int]:
    counts = dict.fromkeys(KINDS, 0)
    for e in events:
        counts[e.kind] += 1
    return counts


def _tables(streams) -> dict:
    """{rows function: [(stream number, stream)]}, each table's streams together."""
    tables: dict = {}
    for n, s in streams:
        tables.setdefault(s.rows, []).append((n, s))
    return tables


def _stream_counts(ids) -> list[int]:
    """How many events each stream holds for the children, counted by the database in one
    query (a COUNT subquery a stream), without reading the events."""
    from django.db.models import F, Func, IntegerField, Subquery

    from harbour.people.models import Child

    counts = {}
    for n, s in enumerate(_STREAMS):
        rows = s.rows(ids).model.objects.filter(child_id__in=ids).order_by()
        if s.needs:
            rows = rows.filter(**{f"{s.needs}__isnull": False})
        count = Func(F("pk"), function="COUNT", output_field=IntegerField())
        counts[f"n{n}"] = Subquery(rows.annotate(n=count).values("n"))
    found = Child.objects.filter(pk__in=ids).order_by().annotate(**counts).values(*counts)
    figures = next(iter(found[:1]), None) or dict.fromkeys(counts, 0)
    return [figures[f"n{n}"] or 0 for n in range(len(_STREAMS))]


def count_kinds(child_ids) -> dict[str, int]:
    """How many events of each kind the children's timeline holds (one query)."""
    ids = _ids(child_ids)
    counts = dict.fromkeys(KINDS, 0)
    if ids:
        for s, n in zip(_STREAMS, _stream_counts(ids), strict=True):
            counts[s.kind] += n
    return counts


class TimelinePages:
    """The children's timeline (of the kinds given, or all) as a sequence for Django's
    Paginator, read a page at a time. Its length is counted by the database; a slice of it
    reads from each stream only the newest rows the slice can hold (ORDER BY ... LIMIT), and
    nothing from a stream with no events, so a page's cost follows the page, not the
    children's whole history. `counts` holds every kind's count (for the filter), whatever
    the kinds chosen. The events, their order and the pages are those of `timeline()`."""

    def __init__(self, child_ids, kinds=None):
        self.ids = _ids(child_ids)
        self.kinds = kinds
        self.stream_counts = _stream_counts(self.ids) if self.ids else [0] * len(_STREAMS)
        self.counts = dict.fromkeys(KINDS, 0)
        for s, n in zip(_STREAMS, self.stream_counts, strict=True):
            self.counts[s.kind] += n
        self.total = sum(n for k, n in self.counts.items() if kinds is None or k in kinds)

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            events = self[index : index + 1] if index >= 0 else None
            if not events:
                raise IndexError(index)
            return events[0]
        start, stop, step = index.indices(self.total)
        if stop <= start:
            return []
        found = []
        wanted = [(n, s) for n, s in _wanted(self.kinds) if self.stream_counts[n]]
        for rows, streams in _tables(wanted).items():
            if all(self.stream_counts[n] <= stop for n, _ in streams):
                # Few enough: the table's rows read once for all its streams.
                table = list(rows(self.ids))
                for n, s in streams:
                    found.extend(
                        (n, s.event(row))
                        for row in table
                        if not s.needs or getattr(row, s.needs) is not None
                    )
                continue
            for n, s in streams:
                newest = s.queryset(self.ids).order_by(*s.order)[:stop]
                found.extend((n, s.event(row)) for row in newest)
        return _merged(found)[start:stop:step]


# The records an event can open: slug -> (app_label.Model, words for the page's heading).
RECORDS = {
    "contact": ("journey.Contact", "Contact"),
    "referral": ("journey.Referral", "Referral (child in need episode)"),
    "strategy-discussion": ("journey.StrategyDiscussion", "Strategy discussion"),
    "section-47-enquiry": ("journey.Section47Enquiry", "Section 47 enquiry"),
    "assessment": ("journey.Assessment", "Assessment"),
    "conference": ("journey.Conference", "Child protection conference"),
    "child-protection-plan": ("journey.ChildProtectionPlan", "Child protection plan"),
    "child-in-need-plan": ("journey.ChildInNeedPlan", "Child in need plan"),
    "core-group": ("journey.CoreGroupMeeting", "Core group meeting"),
    "visit": ("journey.Visit", "Visit"),
    "case-note": ("journey.CaseNote", "Case note"),
    "missing-episode": ("journey.MissingEpisode", "Missing episode"),
    "early-help": ("journey.EarlyHelpEpisode", "Early help episode"),
    "period-of-care": ("care.PeriodOfCare", "Period of care"),
    "placement": ("care.Placement", "Placement"),
    "legal-status": ("care.LegalStatus", "Legal status"),
    "looked-after-review": ("care.LookedAfterReview", "Looked-after child review"),
    "health-assessment": ("care.HealthAssessment", "Health assessment"),
    "personal-education-plan": ("care.PersonalEducationPlan", "Personal education plan"),
    "chronology-entry": ("journey.ChronologyEntry", "Chronology entry"),
}


def record_of(slug: str, record_id: int, child_id: int):
    """The record behind an event, if it is the child's; None otherwise."""
    from django.apps import apps

    if slug not in RECORDS:
        return None
    model = apps.get_model(RECORDS[slug][0])
    return model.objects.filter(pk=record_id, child_id=child_id).first()


# Chronology sources ("referral:12") and the record each names.
SOURCE_RECORDS = {
    "referral": "referral",
    "assessment": "assessment",
    "strategy": "strategy-discussion",
    "s47": "section-47-enquiry",
    "conference": "conference",
    "cp_plan": "child-protection-plan",
    "cin_plan": "child-in-need-plan",
    "care": "period-of-care",
    "missing": "missing-episode",
    "early_help": "early-help",
}


@dataclass(frozen=True)
class ChronologyItem:
    """One line of the chronology: a stored entry (a worker's, or one the record wrote), or
    an event significant in itself that no entry yet stands for (`entry_id` None)."""

    on: date
    category: str
    summary: str
    significant: bool
    annotation: str
    source: str
    entry_id: int | None
    child_id: int
    record: str = ""  # the record it came from, for its own page
    record_id: int | None = None
    by: str = ""  # who added it, for a worker's entry

    @property
    def key(self) -> str:
        """How a page names the item: the entry, or the event's source and day."""
        if self.entry_id is not None:
            return f"entry-{self.entry_id}"
        return f"{self.source}@{self.on.isoformat()}"

    @property
    def automatic(self) -> bool:
        return bool(self.source)

    @property
    def category_label(self) -> str:
        from harbour.journey.models import ChronologyEntry

        return dict(ChronologyEntry.Category.choices).get(self.category, self.category)


def _source_record(source: str) -> tuple[str, int | None]:
    kind, _, number = source.partition(":")
    if kind in SOURCE_RECORDS and number.isdigit():
        return SOURCE_RECORDS[kind], int(number)
    return "", None


def chronology(child_ids, events=None) -> list[ChronologyItem]:
    """The children's chronology, oldest first: every stored entry, and every event
    significant in itself that no entry stands for (made automatically). An entry stands
    for an event when it has the event's source and day; marking one not significant keeps
    the entry (so it is not made again) with `significant` off.

    `events` may be the children's timeline already read; otherwise it is read here."""
    from harbour.journey.models import ChronologyEntry

    ids = list(dict.fromkeys(int(i) for i in child_ids))
    if not ids:
        return []
    if events is None:
        events = timeline(ids)
    entries = list(
        ChronologyEntry.objects.filter(child_id__in=ids)
        .select_related("created_by")
        .order_by("occurred_on", "id")
    )
    stored = {(e.child_id, e.source, e.occurred_on) for e in entries if e.source}
    items = []
    for e in entries:
        record, record_id = _source_record(e.source)
        by = ""
        if not e.source and e.created_by is not None:
            by = e.created_by.get_full_name() or e.created_by.get_username()
        items.append(
            ChronologyItem(
                on=e.occurred_on,
                category=e.category,
                summary=e.summary,
                significant=e.significant,
                annotation=e.annotation,
                source=e.source,
                entry_id=e.pk,
                child_id=e.child_id,
                record=record,
                record_id=record_id,
                by=by,
            )
        )
    for ev in events:
        if not ev.source or (ev.child_id, ev.source, ev.on) in stored:
            continue
        stored.add((ev.child_id, ev.source, ev.on))
        items.append(
            ChronologyItem(
                on=ev.on,
                category=ev.category or "other",
                summary=f"{ev.title}. {ev.summary}".strip() if ev.summary else f"{ev.title}.",
                significant=True,
                annotation="",
                source=ev.source,
                entry_id=None,
                child_id=ev.child_id,
                record=ev.record,
                record_id=ev.record_id,
            )
        )
    items.sort(key=lambda i: (i.on, i.entry_id is None, i.entry_id or 0))
    return items


def automatic_event(child_id: int, source: str, on: date) -> Event | None:
    """The event significant in itself with this source and day, if the child has one."""
    record, record_id = _source_record(source)
    if not record:
        return None
    for ev in timeline([child_id], kinds=[_RECORD_KINDS[record]]):
        if ev.source == source and ev.on == on:
            return ev
    return None


# Which timeline kind holds each record's significant events.
_RECORD_KINDS = {
    "referral": "referral",
    "assessment": "assessment",
    "strategy-discussion": "strategy",
    "section-47-enquiry": "enquiry",
    "conference": "conference",
    "child-protection-plan": "plan",
    "child-in-need-plan": "plan",
    "period-of-care": "care",
    "missing-episode": "missing",
    "early-help": "early_help",
}
