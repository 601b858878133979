"""What a worker records about a child as the work goes on: a visit, a case note, and the
child's case summary (one a child, kept up to date).

Each write is one function: keyword-only arguments, validation inside (a ValidationError names
the field and says what to fix, in GOV.UK's words), one transaction, one line of the audit log.
An edit takes the `version` the person opened and is refused (EditedMeanwhile) if someone saved
the record since. A visit recorded late, or of a kind no open plan asks for, is accepted: the
duties and findings say what it means.

`visit_starting_point` is what a new visit starts from, so nothing is typed twice: the kind of
visit the child's open plan or care asks for, and the people of the plan, the family and the
last visit to choose who was present from."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from harbour.core.saving import EditedMeanwhile, save_if_unchanged
from harbour.journey.models import CaseNote, CaseSummary, Visit
from harbour.journey.services.common import note as changed
from harbour.journey.services.text import LONG_TEXT, aware, clean, limit_words
from harbour.people.models import Child
from harbour.workforce.models import Staff

PURPOSE_MAX = 300
PRESENT_MAX = 300
REASON_MAX = 200
SUBJECT_MAX = 200
PRESENT_SEPARATOR = "; "


def _long(errors: dict, name: str, value, what: str, *, limit: int = LONG_TEXT) -> str:
    value = clean(value)
    if len(value) > limit:
        errors[name] = limit_words(what, limit)
    return value


def _seen_alone_from_age(on: date) -> int:
    from harbour.authority.models import Authority
    from harbour.authority.policy import PolicyBook

    authority = Authority.current()
    book = PolicyBook.for_authority(authority) if authority is not None else PolicyBook()
    return book.value("seen_alone_from_age", on)


# ----- what a visit starts from -------------------------------------------------------------


@dataclass(frozen=True)
class VisitStart:
    """What Harbour knows before a visit is written up."""

    kind: str  # the kind of visit the child's open work asks for first
    kinds_open: list[str] = field(default_factory=list)  # every kind open on the day, in order
    people: list[str] = field(default_factory=list)  # who may have been present, to choose from
    present_last_time: list[str] = field(default_factory=list)
    last_visit: Visit | None = None


def _open_on(on: date):
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gt=on))


def kinds_open(child: Child, on: date) -> list[str]:
    """The kinds of visit the child's open work asks for on `on`, the most pressing first: a
    child protection plan, then care, a child in need plan, private fostering, leaving care."""
    from harbour.care.models import CareLeaver, PeriodOfCare, PrivateFosteringArrangement

    kinds = []
    if child.child_protection_plans.filter(_open_on(on)).exists():
        kinds.append(Visit.Kind.CHILD_PROTECTION)
    if PeriodOfCare.objects.filter(_open_on(on), child=child).exists():
        kinds.append(Visit.Kind.LOOKED_AFTER)
    if child.child_in_need_plans.filter(_open_on(on)).exists():
        kinds.append(Visit.Kind.CHILD_IN_NEED)
    if PrivateFosteringArrangement.objects.filter(_open_on(on), child=child).exists():
        kinds.append(Visit.Kind.PRIVATE_FOSTERING)
    if CareLeaver.objects.filter(child=child).exists():
        kinds.append(Visit.Kind.CARE_LEAVER)
    return kinds


def present_names(who_present: str) -> list[str]:
    """The people a visit's `who_present` names, one each."""
    return [name.strip() for name in (who_present or "").split(";") if name.strip()]


def visit_starting_point(child: Child, on: date | None = None) -> VisitStart:
    """A new visit to `child` starts from this: the kind its open work asks for (an assessment
    visit where none is open), and the people to choose who was present from: those present
    at the last visit first (offered again), then the family, then the people who own actions
    on the open child protection plan."""
    from harbour.people.models import Relationship

    on = on or timezone.localdate()
    kinds = kinds_open(child, on)
    last = child.visits.order_by("-visited_on", "-pk").first()
    last_time = present_names(last.who_present) if last else []
    people = list(last_time)
    relationships = (
        Relationship.objects.filter(child=child)
        .select_related("family_member")
        .order_by("-parental_responsibility", "-lives_with_child", "pk")
    )
    for relationship in relationships:
        member = relationship.family_member
        people.append(f"{member.forename} {member.surname} ({relationship.get_kind_display()})")
    plan = child.child_protection_plans.filter(_open_on(on)).order_by("-starts_on").first()
    if plan is not None:
        for action in plan.actions.order_by("pk"):
            if action.owner_name.strip():
                people.append(f"{action.owner_name.strip()} ({action.get_owner_agency_display()})")
    seen, unique = set(), []
    for name in people:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            unique.append(name)
    return VisitStart(
        kind=kinds[0] if kinds else Visit.Kind.ASSESSMENT,
        kinds_open=kinds,
        people=unique,
        present_last_time=last_time,
        last_visit=last,
    )


# ----- visits -------------------------------------------------------------------------------


def _visit_fields(
    *,
    by,
    child: Child,
    kind,
    visited_on,
    purpose,
    child_seen,
    seen_alone,
    not_seen_alone_reason,
    present,
    child_views,
    observations,
    analysis,
    worker,
) -> dict:
    """The visit's fields, checked; ValidationError naming each answer to fix."""
    errors = {}
    if kind not in Visit.Kind.values:
        errors["kind"] = "Select the kind of visit"
    today = timezone.localdate()
    if visited_on is None:
        errors["visited_on"] = "Enter the date of the visit"
    elif visited_on > today:
        errors["visited_on"] = "The date of the visit must be today or in the past"
    purpose = clean(purpose)
    if not purpose:
        errors["purpose"] = "Enter the purpose of the visit"
    elif len(purpose) > PURPOSE_MAX:
        errors["purpose"] = limit_words("the purpose of the visit", PURPOSE_MAX)
    if isinstance(present, str):
        present = present_names(present)
    names, seen = [], set()
    for name in present or ():
        name = clean(name).replace(";", ",")
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    who_present = PRESENT_SEPARATOR.join(names)
    if len(who_present) > PRESENT_MAX:
        errors["who_present"] = limit_words("who was present", PRESENT_MAX)
    reason = clean(not_seen_alone_reason)
    unborn = visited_on is not None and child.is_unborn(visited_on)
    if child_seen is None:
        errors["child_seen"] = "Select whether the child was seen"
    elif child_seen and unborn:
        errors["child_seen"] = (
            "The child was not born on the date of the visit: select no, the child was not seen"
        )
    elif child_seen:
        if seen_alone is None:
            errors["seen_alone"] = "Select whether the child was seen alone"
        elif seen_alone:
            reason = ""
        else:
            age = child.age_on(visited_on) if visited_on else None
            if not reason and age is not None and age >= _seen_alone_from_age(visited_on):
                errors["not_seen_alone_reason"] = "Enter why the child was not seen alone"
    else:
        seen_alone = False
        if not reason and not unborn:
            errors["not_seen_alone_reason"] = "Enter why the child was not seen"
    if len(reason) > REASON_MAX:
        errors["not_seen_alone_reason"] = limit_words("the reason", REASON_MAX)
    child_views = _long(errors, "child_views", child_views, "the child's wishes and feelings")
    if child_seen and not child_views and "child_views" not in errors:
        errors["child_views"] = (
            "Enter the child's wishes and feelings, or what you saw of them if they are too "
            "young to say"
        )
    observations = _long(errors, "observations", observations, "your observations")
    analysis = _long(errors, "analysis", analysis, "your analysis")
    if worker is None:
        worker = getattr(by, "staff", None)
        if worker is None:
            errors["worker"] = "Choose the worker who made the visit"
    elif not isinstance(worker, Staff):
        errors["worker"] = "Choose the worker who made the visit"
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "visited_on": visited_on,
        "purpose": purpose,
        "child_seen": bool(child_seen),
        "seen_alone": bool(child_seen and seen_alone),
        "not_seen_alone_reason": reason,
        "who_present": who_present,
        "child_views": child_views,
        "observations": observations,
        "analysis": analysis,
        "worker": worker,
    }


@transaction.atomic
def record_visit(
    *,
    by,
    child: Child,
    kind: str,
    visited_on: date | None,
    purpose: str,
    child_seen: bool | None,
    seen_alone: bool | None = None,
    not_seen_alone_reason: str = "",
    present=(),
    child_views: str = "",
    observations: str = "",
    analysis: str = "",
    worker: Staff | None = None,
    request=None,
) -> Visit:
    """A visit to the child: its kind (child protection, child in need, looked after, ...),
    purpose and date, who was present (`present`: names, or one string of them separated by
    semicolons), whether the child was seen and seen alone (or why not), the child's wishes and
    feelings, what the worker observed and their analysis. The worker is the person recording
    unless they choose a colleague (`worker`). A visit of a kind that completes a duty (a
    child protection visit where the child was seen, ...) completes it at once."""
    fields = _visit_fields(
        by=by,
        child=child,
        kind=kind,
        visited_on=visited_on,
        purpose=purpose,
        child_seen=child_seen,
        seen_alone=seen_alone,
        not_seen_alone_reason=not_seen_alone_reason,
        present=present,
        child_views=child_views,
        observations=observations,
        analysis=analysis,
        worker=worker,
    )
    visit = Visit.objects.create(child=child, created_by=by, updated_by=by, **fields)
    changed(by=by, child=child, obj=visit, request=request, action="visit recorded")
    return visit


@transaction.atomic
def update_visit(
    *,
    by,
    visit: Visit,
    version: int,
    kind: str,
    visited_on: date | None,
    purpose: str,
    child_seen: bool | None,
    seen_alone: bool | None = None,
    not_seen_alone_reason: str = "",
    present=(),
    child_views: str = "",
    observations: str = "",
    analysis: str = "",
    worker: Staff | None = None,
    request=None,
) -> Visit:
    """A visit's record corrected or completed, from the `version` the person opened
    (EditedMeanwhile if it was saved since). Every answer is given again, as on the form."""
    fields = _visit_fields(
        by=by,
        child=visit.child,
        kind=kind,
        visited_on=visited_on,
        purpose=purpose,
        child_seen=child_seen,
        seen_alone=seen_alone,
        not_seen_alone_reason=not_seen_alone_reason,
        present=present,
        child_views=child_views,
        observations=observations,
        analysis=analysis,
        worker=worker if worker is not None else visit.worker,
    )
    for name, value in fields.items():
        setattr(visit, name, value)
    save_if_unchanged(visit, version, user=by)
    changed(by=by, child=visit.child, obj=visit, request=request, action="visit changed")
    return visit


# ----- case notes ---------------------------------------------------------------------------


def _note_fields(*, by, occurred_at, subject, text) -> dict:
    errors = {}
    occurred_at = aware(occurred_at)
    if occurred_at is None:
        errors["occurred_at"] = "Enter when it happened"
    elif occurred_at > timezone.now():
        errors["occurred_at"] = "The time it happened must be now or in the past"
    subject = clean(subject)
    if not subject:
        errors["subject"] = "Enter the subject of the case note"
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = limit_words("the subject", SUBJECT_MAX)
    text = _long(errors, "text", text, "the case note")
    if not text and "text" not in errors:
        errors["text"] = "Enter the case note"
    if getattr(by, "staff", None) is None:
        errors.setdefault("text", "Only a member of staff can write a case note")
    if errors:
        raise ValidationError(errors)
    return {"occurred_at": occurred_at, "subject": subject, "text": text}


@transaction.atomic
def record_case_note(
    *, by, child: Child, occurred_at: datetime | None, subject: str, text: str, request=None
) -> CaseNote:
    """A case note: when it happened (a phone call, a message, a meeting, a thought about the
    case), its subject and what happened. Its author is the member of staff writing it."""
    fields = _note_fields(by=by, occurred_at=occurred_at, subject=subject, text=text)
    note = CaseNote.objects.create(
        child=child, author=by.staff, created_by=by, updated_by=by, **fields
    )
    changed(by=by, child=child, obj=note, request=request, action="case note recorded")
    return note


@transaction.atomic
def update_case_note(
    *,
    by,
    note: CaseNote,
    version: int,
    occurred_at: datetime | None,
    subject: str,
    text: str,
    request=None,
) -> CaseNote:
    """A case note corrected, from the `version` the person opened (EditedMeanwhile if it was
    saved since). Its author stays the person who wrote it; the history keeps every version."""
    fields = _note_fields(by=by, occurred_at=occurred_at, subject=subject, text=text)
    for name, value in fields.items():
        setattr(note, name, value)
    save_if_unchanged(note, version, user=by)
    changed(by=by, child=note.child, obj=note, request=request, action="case note changed")
    return note


# ----- the case summary ---------------------------------------------------------------------


def case_summary_of(child: Child) -> CaseSummary | None:
    return CaseSummary.objects.filter(child=child).first()


@transaction.atomic
def save_case_summary(
    *, by, child: Child, summary: str, version: int | None = None, request=None
) -> CaseSummary:
    """The child's case summary (one a child), written or brought up to date. `version` is the
    version of the summary the person opened, None where there was none: if someone saved the
    summary since (or wrote the first one meanwhile) the save is refused with EditedMeanwhile,
    never a silent overwrite. Bringing it up to date completes the case summary duty."""
    errors = {}
    summary = clean(summary)
    if not summary:
        errors["summary"] = "Enter the case summary"
    elif len(summary) > LONG_TEXT:
        errors["summary"] = limit_words("the case summary", LONG_TEXT)
    if errors:
        raise ValidationError(errors)
    existing = CaseSummary.objects.filter(child=child).first()
    if existing is None:
        try:
            with transaction.atomic():
                record = CaseSummary.objects.create(
                    child=child, summary=summary, created_by=by, updated_by=by
                )
        except IntegrityError:
            raise _written_meanwhile(CaseSummary.objects.get(child=child)) from None
        changed(by=by, child=child, obj=record, request=request, action="case summary written")
        return record
    if version is None:
        raise _written_meanwhile(existing)
    existing.summary = summary
    save_if_unchanged(existing, version, user=by)
    changed(by=by, child=child, obj=existing, request=request, action="case summary updated")
    return existing


def _written_meanwhile(current: CaseSummary) -> EditedMeanwhile:
    """The refusal of a first summary where someone else wrote one after the person opened
    the page (the view shows theirs and keeps the person's text)."""
    user = current.updated_by or current.created_by
    staff = getattr(user, "staff", None) if user is not None else None
    who = getattr(staff, "name", "") or (user.get_full_name() if user else "") or "Someone else"
    at = timezone.localtime(current.updated_at)
    return EditedMeanwhile(
        f"{who} wrote this child's case summary after you opened it, at {at:%H:%M on %-d %B %Y}. "
        "Your summary has not been saved. It is still in the form: read theirs, then save "
        "again.",
        who=who,
        when=current.updated_at,
        changed=["summary"],
        current=current,
    )
