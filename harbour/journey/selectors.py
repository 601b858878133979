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


def _contacts(ids):
    from harbour.journey.models import Contact

    sources = code_list("referral_source")
    for c in Contact.objects.filter(child_id__in=ids).select_related("decided_by"):
        how = c.get_channel_display() if c.channel else sources.label(c.source)
        who = ", ".join(p for p in (c.referrer_name, c.referrer_organisation) if p)
        decision = (
            f"Decision: {c.get_decision_display()}." if c.decision else "Awaiting a decision."
        )
        yield Event(
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


def _referrals(ids):
    from harbour.journey.models import Referral

    needs = code_list("primary_need")
    closures = code_list("closure_reason")
    for r in Referral.objects.filter(child_id__in=ids).select_related("closed_by"):
        parts = []
        if r.primary_need:
            parts.append(f"Primary need: {needs.label(r.primary_need)}.")
        if r.no_further_action:
            parts.append("No further action at referral.")
        yield Event(
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
        if r.closed_on:
            reason = closures.label(r.closure_reason) if r.closure_reason else "no reason recorded"
            yield Event(
                on=r.closed_on,
                kind="referral",
                title="Child in need episode closed",
                summary=f"Reason: {reason}.",
                who=_name(r.closed_by),
                record="referral",
                record_id=r.pk,
                child_id=r.child_id,
            )


def _strategy(ids):
    from harbour.journey.models import Agency, StrategyDiscussion

    agencies = dict(Agency.choices)
    for s in StrategyDiscussion.objects.filter(child_id__in=ids).select_related("chaired_by"):
        present = ", ".join(agencies.get(a, a) for a in s.agencies_present)
        outcome = f"Outcome: {s.get_outcome_display()}." if s.outcome else "No outcome recorded."
        yield Event(
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


def _enquiries(ids):
    from harbour.journey.models import Section47Enquiry

    for e in Section47Enquiry.objects.filter(child_id__in=ids).select_related("lead_worker"):
        if e.completed_on:
            summary = f"Completed {e.completed_on:%-d %B %Y}. " + (
                f"Outcome: {e.get_outcome_display()}." if e.outcome else ""
            )
        else:
            summary = "Under way."
        yield Event(
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


def _assessments(ids):
    from harbour.journey.models import Assessment

    for a in (
        Assessment.objects.filter(child_id__in=ids)
        .select_related("worker", "authorised_by")
        .defer("family_history", "risk_factors", "protective_factors", "child_views")
    ):
        if a.completed_on:
            summary = f"Completed {a.completed_on:%-d %B %Y}."
            if a.outcome:
                summary += f" Outcome: {a.get_outcome_display()}."
        else:
            summary = "Under way."
        if a.analysis:
            summary += f" {a.analysis}"
        yield Event(
            on=a.started_on,
            kind="assessment",
            title=f"{a.get_kind_display()} started",
            summary=_short(summary),
            who=_name(a.worker),
            record="assessment",
            record_id=a.pk,
            child_id=a.child_id,
        )


def _conferences(ids):
    from harbour.journey.models import Conference

    for c in Conference.objects.filter(child_id__in=ids).select_related("chair"):
        parts = [f"Outcome: {c.get_outcome_display()}." if c.outcome else "No outcome recorded."]
        parts.append(f"Child attended: {_yes(c.child_attended)}.")
        yield Event(
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


def _plans(ids):
    from harbour.journey.models import ChildInNeedPlan, ChildProtectionPlan

    abuse = code_list("category_of_abuse")
    for p in ChildProtectionPlan.objects.filter(child_id__in=ids).defer(
        "consequences_of_non_compliance"
    ):
        contingency = "Contingency recorded." if p.contingency else "No contingency plan."
        yield Event(
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
        if p.ends_on:
            why = p.get_end_reason_display() if p.end_reason else "no reason recorded"
            yield Event(
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
    for p in ChildInNeedPlan.objects.filter(child_id__in=ids):
        yield Event(
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
        if p.ends_on:
            yield Event(
                on=p.ends_on,
                kind="plan",
                title="Child in need plan ended",
                summary="",
                who="",
                record="child-in-need-plan",
                record_id=p.pk,
                child_id=p.child_id,
            )


def _core_groups(ids):
    from harbour.journey.models import Agency, CoreGroupMeeting

    agencies = dict(Agency.choices)
    for m in CoreGroupMeeting.objects.filter(child_id__in=ids):
        present = ", ".join(agencies.get(a, a) for a in m.agencies_present)
        yield Event(
            on=m.held_on,
            kind="core_group",
            title="Core group meeting",
            summary=_short(f"Present: {present or 'not recorded'}. {m.notes}".strip()),
            who="",
            record="core-group",
            record_id=m.pk,
            child_id=m.child_id,
        )


def _visits(ids):
    from harbour.journey.models import Visit

    for v in Visit.objects.filter(child_id__in=ids).select_related("worker").defer("child_views"):
        if not v.child_seen:
            seen = "Child not seen."
        elif v.seen_alone:
            seen = "Child seen alone."
        else:
            reason = f" ({v.not_seen_alone_reason})" if v.not_seen_alone_reason else ""
            seen = f"Child seen, not alone{reason}."
        yield Event(
            on=v.visited_on,
            kind="visit",
            title=v.get_kind_display(),
            summary=_short(f"{seen} {v.observations}".strip()),
            who=_name(v.worker),
            record="visit",
            record_id=v.pk,
            child_id=v.child_id,
        )


def _case_notes(ids):
    from harbour.journey.models import CaseNote

    for n in CaseNote.objects.filter(child_id__in=ids).select_related("author"):
        yield Event(
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


def _missing(ids):
    from harbour.journey.models import MissingEpisode

    kinds = code_list("missing_kind")
    for m in MissingEpisode.objects.filter(child_id__in=ids):
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
        yield Event(
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


def _care(ids):
    from harbour.care.models import (
        HealthAssessment,
        LegalStatus,
        LookedAfterReview,
        PeriodOfCare,
        PersonalEducationPlan,
        Placement,
    )

    needs = code_list("category_of_need")
    ceased = code_list("reason_episode_ceased")
    legal = code_list("legal_status")
    types = code_list("placement_type")
    for p in PeriodOfCare.objects.filter(child_id__in=ids):
        yield Event(
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
        if p.ends_on:
            why = ceased.label(p.reason_ceased) if p.reason_ceased else "no reason recorded"
            yield Event(
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
    firsts = {}
    placements = list(Placement.objects.filter(child_id__in=ids).order_by("starts_on", "id"))
    for p in placements:
        firsts.setdefault(p.period_id, p.pk)
    for p in placements:
        where = types.label(p.placement_type)
        if p.provider_name:
            where = f"{where}: {p.provider_name}"
        first = firsts[p.period_id] == p.pk
        yield Event(
            on=p.starts_on,
            kind="care",
            title="Placed" if first else "Moved to a new placement",
            summary=_short(f"{where}{'' if p.in_area else ' (outside the authority)'}."),
            who="",
            record="placement",
            record_id=p.pk,
            child_id=p.child_id,
            source="" if first else f"care:{p.period_id}",
            category="care",
        )
    for s in LegalStatus.objects.filter(child_id__in=ids):
        yield Event(
            on=s.starts_on,
            kind="care",
            title="Legal status",
            summary=legal.label(s.code),
            who="",
            record="legal-status",
            record_id=s.pk,
            child_id=s.child_id,
        )
    participation = code_list("review_participation")
    for r in LookedAfterReview.objects.filter(child_id__in=ids).select_related("iro"):
        yield Event(
            on=r.held_on,
            kind="care",
            title="Looked-after child review",
            summary=f"Participation: {participation.label(r.participation)}.",
            who=_name(r.iro),
            record="looked-after-review",
            record_id=r.pk,
            child_id=r.child_id,
        )
    for h in HealthAssessment.objects.filter(child_id__in=ids):
        yield Event(
            on=h.done_on,
            kind="care",
            title=h.get_kind_display(),
            summary="",
            who="",
            record="health-assessment",
            record_id=h.pk,
            child_id=h.child_id,
        )
    for e in PersonalEducationPlan.objects.filter(child_id__in=ids):
        yield Event(
            on=e.held_on,
            kind="care",
            title="Personal education plan",
            summary=e.school_name,
            who="",
            record="personal-education-plan",
            record_id=e.pk,
            child_id=e.child_id,
        )


def _early_help(ids):
    from harbour.journey.models import EarlyHelpEpisode

    for e in EarlyHelpEpisode.objects.filter(child_id__in=ids).select_related("lead_professional"):
        lead = _name(e.lead_professional) or ", ".join(
            p for p in (e.lead_professional_name, e.lead_professional_agency) if p
        )
        yield Event(
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
        if e.ends_on:
            why = e.get_end_reason_display() if e.end_reason else "no reason recorded"
            yield Event(
                on=e.ends_on,
                kind="early_help",
                title="Early help ended",
                summary=f"Reason: {why}.",
                who=lead,
                record="early-help",
                record_id=e.pk,
                child_id=e.child_id,
            )


# Each kind's reader (one to a few queries each).
_READERS = {
    "contact": (_contacts,),
    "referral": (_referrals,),
    "strategy": (_strategy,),
    "enquiry": (_enquiries,),
    "assessment": (_assessments,),
    "conference": (_conferences,),
    "plan": (_plans,),
    "core_group": (_core_groups,),
    "visit": (_visits,),
    "case_note": (_case_notes,),
    "missing": (_missing,),
    "care": (_care,),
    "early_help": (_early_help,),
}


def timeline(child_ids, kinds=None) -> list[Event]:
    """Every event on the children's records (of the kinds given, or all), newest first."""
    ids = list(dict.fromkeys(int(i) for i in child_ids))
    if not ids:
        return []
    wanted = [k for k in KINDS if kinds is None or k in kinds]
    events = [e for kind in wanted for reader in _READERS[kind] for e in reader(ids)]
    events.sort(key=lambda e: e.sort_key, reverse=True)
    return events


def kind_counts(events) -> dict[str, int]:
    counts = dict.fromkeys(KINDS, 0)
    for e in events:
        counts[e.kind] += 1
    return counts


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
