"""Child protection's writes: the strategy discussion, the section 47 enquiry (started, and
later completed), the initial and review child protection conferences, the child protection
plan made from the initial conference, and core group meetings.

Each is one function: keyword-only arguments (`by` is the user recording, `request` last),
validation inside (a ValidationError names the field and says what to fix, in GOV.UK's
words), one transaction, audited. Edits take the `version` the person opened and are refused
(EditedMeanwhile) if someone saved the record since.

Prompts, never gates: a step recorded late or out of the usual order is accepted (it becomes a
duty done late, or a finding). Refused is only what cannot be so: a date still to come, an
end before its start, a step before the step it comes from, a section 47 enquiry led by
someone who is not a qualified, registered social worker, a required answer missing.

Field names in errors for the plan's outcomes and actions are `outcomes-<i>-<field>` and
`outcomes-<i>-actions-<j>-<field>` (counting from 0), as a form's formset names them."""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.codes import code_list
from harbour.core.saving import save_if_unchanged
from harbour.journey.models import (
    Agency,
    ChildProtectionPlan,
    Conference,
    ConferenceAttendance,
    CoreGroupMeeting,
    PlanAction,
    PlanOutcome,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
)
from harbour.journey.services.common import note, on_day, staff_of
from harbour.journey.services.common import text as _text
from harbour.journey.services.text import LONG_TEXT
from harbour.workforce.models import Staff

# The category "multiple" is no longer used for new plans (the CIN census).
RETIRED_CATEGORIES = ("MUL",)
TEXT_MAX = LONG_TEXT


def _past(errors: dict, field: str, value, what: str, today: date) -> None:
    """`value` is required, and today or in the past."""
    if field in errors:
        return
    if value is None:
        errors[field] = f"Enter the date {what}"
    elif value > today:
        errors[field] = f"The date {what} must be today or in the past"


def _agencies(errors: dict, field: str, values, missing: str | None = None) -> list[str]:
    values = list(dict.fromkeys(values or []))
    unknown = [a for a in values if a not in Agency.values]
    if unknown:
        errors[field] = "Select agencies from the list"
    elif missing and not values:
        errors[field] = missing
    return values


def _too_long(errors: dict, **texts) -> None:
    for field, value in texts.items():
        if len(value) > TEXT_MAX and field not in errors:
            errors[field] = f"The answer must be {TEXT_MAX:,} characters or fewer"


def _category(errors: dict, field: str, value: str, required: bool) -> str:
    if not value:
        if required:
            errors[field] = "Select the category of abuse"
        return ""
    if value in RETIRED_CATEGORIES:
        errors[field] = "Multiple is no longer used for new plans: select the main category"
    elif value not in code_list("category_of_abuse"):
        errors[field] = "Select the category of abuse"
    return value


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# ----- strategy discussion --------------------------------------------------------------------


def _strategy_errors(
    *, child, referral, held_on, held_at, concern_identified_on, chaired_by, outcome, decisions
) -> dict:
    errors: dict = {}
    today = timezone.localdate()
    if referral is None or referral.child_id != child.pk:
        errors["referral"] = "Select the referral the strategy discussion is about"
    _past(errors, "held_on", held_on, "of the strategy discussion", today)
    if held_at is None:
        errors["held_at"] = "Enter the time of the strategy discussion"
    elif "held_on" not in errors and held_on == today:
        now = timezone.localtime().time()
        if held_at > now:
            errors["held_at"] = "The time of the strategy discussion must be in the past"
    if "held_on" not in errors and "referral" not in errors:
        came = referral.received_on
        if referral.contact_id is not None:
            came = min(came, timezone.localdate(referral.contact.received_at))
        if held_on < came:
            errors["held_on"] = (
                f"The strategy discussion cannot be before the concern came to us ({on_day(came)})"
            )
        elif referral.closed_on is not None and held_on > referral.closed_on:
            errors["referral"] = (
                f"This referral was closed on {on_day(referral.closed_on)}: select an open referral"
            )
    if (
        concern_identified_on is not None
        and "held_on" not in errors
        and concern_identified_on > held_on
    ):
        errors["concern_identified_on"] = (
            "The concern must have arisen on or before the day of the strategy discussion"
        )
    if chaired_by is None:
        errors["chaired_by"] = "Select who chaired the strategy discussion"
    if outcome not in StrategyDiscussion.Outcome.values:
        errors["outcome"] = "Select what the strategy discussion decided"
    if not decisions:
        errors["decisions"] = "Enter the decisions and the reasons for them"
    _too_long(errors, decisions=decisions)
    return errors


def _strategy_answers(*, agencies_invited, agencies_present, decisions, **given):
    """A strategy discussion's answers checked: (errors, the fields they set)."""
    decisions = _text(decisions)
    errors = _strategy_errors(decisions=decisions, **given)
    present = _agencies(errors, "agencies_present", agencies_present, "Select who took part")
    invited = _agencies(errors, "agencies_invited", agencies_invited)
    fields = {
        "held_on": given["held_on"],
        "held_at": given["held_at"],
        "agencies_invited": list(dict.fromkeys([*invited, *present])),
        "agencies_present": present,
        "chaired_by": given["chaired_by"],
        "outcome": given["outcome"],
        "decisions": decisions,
    }
    return errors, fields


def _concern_day(referral: Referral) -> date:
    """When the concern arose, as the front door knows it: the day the contact came (or the
    referral's day where no contact came)."""
    if referral.contact_id is not None:
        return timezone.localdate(referral.contact.received_at)
    return referral.received_on


@transaction.atomic
def record_strategy_discussion(
    *,
    by,
    child,
    referral: Referral | None,
    held_on: date | None,
    held_at: time | None,
    agencies_invited=(),
    agencies_present=(),
    chaired_by: Staff | None,
    outcome: str,
    decisions: str,
    concern_identified_on: date | None = None,
    request=None,
) -> StrategyDiscussion:
    """A strategy discussion held about `child` under `referral` (the referral the front door
    opened with the decision "strategy discussion", or any open referral): when it was held
    (day and time), the agencies invited and present (an agency present counts as invited),
    who chaired it, what it decided (a section 47 enquiry, child in need, no further action)
    and the decisions and reasons in words. The concern is taken to have arisen when the
    contact came, unless `concern_identified_on` says otherwise."""
    staff_of(by, "held_on", "a strategy discussion")
    errors, fields = _strategy_answers(
        child=child,
        referral=referral,
        held_on=held_on,
        held_at=held_at,
        concern_identified_on=concern_identified_on,
        agencies_invited=agencies_invited,
        agencies_present=agencies_present,
        chaired_by=chaired_by,
        outcome=outcome,
        decisions=decisions,
    )
    _raise(errors)
    discussion = StrategyDiscussion.objects.create(
        child=child,
        referral=referral,
        concern_identified_on=concern_identified_on or min(_concern_day(referral), held_on),
        **fields,
        created_by=by,
        updated_by=by,
    )
    note(
        by=by,
        child=child,
        obj=discussion,
        request=request,
        action="strategy discussion recorded",
        outcome=outcome,
    )
    return discussion


@transaction.atomic
def update_strategy_discussion(
    *,
    by,
    discussion: StrategyDiscussion,
    version: int,
    held_on: date | None,
    held_at: time | None,
    agencies_invited=(),
    agencies_present=(),
    chaired_by: Staff | None,
    outcome: str,
    decisions: str,
    concern_identified_on: date | None = None,
    request=None,
) -> StrategyDiscussion:
    """A correction to a strategy discussion: the same answers as when it was recorded. Its
    decision cannot move away from a section 47 enquiry once the enquiry has started."""
    staff_of(by, "held_on", "a strategy discussion")
    errors, fields = _strategy_answers(
        child=discussion.child,
        referral=discussion.referral,
        held_on=held_on,
        held_at=held_at,
        concern_identified_on=concern_identified_on,
        agencies_invited=agencies_invited,
        agencies_present=agencies_present,
        chaired_by=chaired_by,
        outcome=outcome,
        decisions=decisions,
    )
    enquiry = Section47Enquiry.objects.filter(strategy_discussion=discussion).first()
    if enquiry is not None and "outcome" not in errors:
        if outcome != StrategyDiscussion.Outcome.SECTION_47:
            errors["outcome"] = (
                f"A section 47 enquiry started from this discussion on {on_day(enquiry.started_on)}"
            )
        elif "held_on" not in errors and held_on > enquiry.started_on:
            errors["held_on"] = (
                "The strategy discussion cannot be after the section 47 enquiry it started "
                f"({on_day(enquiry.started_on)})"
            )
    _raise(errors)
    for name, value in fields.items():
        setattr(discussion, name, value)
    discussion.concern_identified_on = concern_identified_on or min(
        discussion.concern_identified_on, held_on
    )
    save_if_unchanged(discussion, version, user=by)
    note(
        by=by,
        child=discussion.child,
        obj=discussion,
        request=request,
        action="strategy discussion changed",
        outcome=outcome,
    )
    return discussion


# ----- section 47 enquiry ---------------------------------------------------------------------


def _lead_errors(errors: dict, lead_worker: Staff | None, started_on: date | None) -> None:
    if lead_worker is None:
        errors["lead_worker"] = "Select the social worker leading the section 47 enquiry"
    elif not lead_worker.is_registered_social_worker():
        errors["lead_worker"] = (
            f"{lead_worker.name} cannot lead a section 47 enquiry: it must be led by a "
            "qualified social worker registered with Social Work England"
        )
    elif started_on is not None and not lead_worker.employed_on(started_on):
        errors["lead_worker"] = (
            f"{lead_worker.name} did not work here on {on_day(started_on)}: select who led it"
        )


def _completion_errors(errors: dict, *, started_on, completed_on, outcome, findings, today) -> None:
    if completed_on is None:
        if outcome:
            errors["completed_on"] = "Enter the date the section 47 enquiry was completed"
        return
    if completed_on > today:
        errors["completed_on"] = (
            "The date the section 47 enquiry was completed must be today or in the past"
        )
    elif started_on is not None and completed_on < started_on:
        errors["completed_on"] = (
            "The date the section 47 enquiry was completed must be the same as or after "
            "the date it started"
        )
    if outcome not in Section47Enquiry.Outcome.values:
        errors["outcome"] = "Select the outcome of the section 47 enquiry"
    if not findings:
        errors["findings"] = "Enter what the section 47 enquiry found"
    _too_long(errors, findings=findings)


@transaction.atomic
def record_section_47_enquiry(
    *,
    by,
    strategy_discussion: StrategyDiscussion,
    lead_worker: Staff | None,
    started_on: date | None = None,
    request=None,
) -> Section47Enquiry:
    """A section 47 enquiry started by `strategy_discussion` (on the day of the discussion
    unless `started_on` says otherwise), led by a qualified, registered social worker. A
    discussion whose decision was not yet recorded is marked as deciding on the enquiry."""
    staff_of(by, "lead_worker", "a section 47 enquiry")
    discussion = StrategyDiscussion.objects.select_for_update().get(pk=strategy_discussion.pk)
    started_on = started_on or discussion.held_on
    errors: dict = {}
    today = timezone.localdate()
    existing = Section47Enquiry.objects.filter(strategy_discussion=discussion).first()
    if existing is not None:
        errors["strategy_discussion"] = (
            f"A section 47 enquiry from this strategy discussion started on "
            f"{on_day(existing.started_on)}"
        )
    elif discussion.outcome not in ("", StrategyDiscussion.Outcome.SECTION_47):
        errors["strategy_discussion"] = (
            f"This strategy discussion decided: {discussion.get_outcome_display().lower()}. "
            "Record the strategy discussion that decided on a section 47 enquiry"
        )
    _past(errors, "started_on", started_on, "the section 47 enquiry started", today)
    if "started_on" not in errors and started_on < discussion.held_on:
        errors["started_on"] = (
            "The section 47 enquiry cannot start before the strategy discussion "
            f"({on_day(discussion.held_on)})"
        )
    _lead_errors(errors, lead_worker, started_on if "started_on" not in errors else None)
    _raise(errors)
    if not discussion.outcome:
        discussion.outcome = StrategyDiscussion.Outcome.SECTION_47
        discussion.updated_by = by
        discussion.save()
    enquiry = Section47Enquiry.objects.create(
        child=discussion.child,
        referral=discussion.referral,
        strategy_discussion=discussion,
        started_on=started_on,
        lead_worker=lead_worker,
        created_by=by,
        updated_by=by,
    )
    note(
        by=by,
        child=discussion.child,
        obj=enquiry,
        request=request,
        action="section 47 enquiry started",
        lead_worker=lead_worker.pk,
    )
    return enquiry


@transaction.atomic
def update_section_47_enquiry(
    *,
    by,
    enquiry: Section47Enquiry,
    version: int,
    started_on: date | None,
    lead_worker: Staff | None,
    completed_on: date | None = None,
    outcome: str = "",
    findings: str = "",
    request=None,
) -> Section47Enquiry:
    """A section 47 enquiry's start and lead worker corrected, and its completion: the day it
    was completed, its outcome (an initial conference, child in need, or not substantiated)
    and what it found, all three together."""
    staff_of(by, "lead_worker", "a section 47 enquiry")
    findings = _text(findings)
    errors: dict = {}
    today = timezone.localdate()
    _past(errors, "started_on", started_on, "the section 47 enquiry started", today)
    held_on = enquiry.strategy_discussion.held_on
    if "started_on" not in errors and started_on < held_on:
        errors["started_on"] = (
            "The section 47 enquiry cannot start before the strategy discussion "
            f"({on_day(held_on)})"
        )
    _lead_errors(errors, lead_worker, started_on if "started_on" not in errors else None)
    _completion_errors(
        errors,
        started_on=started_on if "started_on" not in errors else None,
        completed_on=completed_on,
        outcome=outcome,
        findings=findings,
        today=today,
    )
    conference = enquiry.conferences.filter(kind=Conference.Kind.INITIAL).first()
    if (
        conference is not None
        and "outcome" not in errors
        and outcome == Section47Enquiry.Outcome.NOT_SUBSTANTIATED
    ):
        errors["outcome"] = (
            f"An initial child protection conference was held on {on_day(conference.held_on)} "
            "from this enquiry: select another outcome"
        )
    _raise(errors)
    was_completed = enquiry.completed_on is not None
    enquiry.started_on = started_on
    enquiry.lead_worker = lead_worker
    enquiry.completed_on = completed_on
    enquiry.outcome = outcome if completed_on else ""
    enquiry.findings = findings if completed_on else ""
    save_if_unchanged(enquiry, version, user=by)
    note(
        by=by,
        child=enquiry.child,
        obj=enquiry,
        request=request,
        action="section 47 enquiry completed"
        if completed_on and not was_completed
        else "section 47 enquiry changed",
        outcome=enquiry.outcome,
    )
    return enquiry


# ----- conferences ----------------------------------------------------------------------------


def _attendance(errors: dict, attendance) -> list[dict]:
    """Rows of {agency, invited, attended, report_provided}: an agency that attended or sent
    a report was invited."""
    rows, seen = [], set()
    for row in attendance or []:
        agency = row.get("agency")
        if agency not in Agency.values:
            errors["attendance"] = "Select agencies from the list"
            return []
        if agency in seen:
            continue
        seen.add(agency)
        attended = bool(row.get("attended"))
        report = bool(row.get("report_provided"))
        rows.append(
            {
                "agency": agency,
                "invited": bool(row.get("invited", True)) or attended or report,
                "attended": attended,
                "report_provided": report,
            }
        )
    if not any(r["invited"] for r in rows):
        errors["attendance"] = "Select the agencies invited to the conference"
    return rows


def _conference_errors(
    *,
    held_on,
    reports_shared_with_parents_on,
    child_attended,
    advocate_attended,
    no_participation_reason,
    child_views,
    chair,
    decisions,
    since: date,
    since_what: str,
) -> dict:
    errors: dict = {}
    today = timezone.localdate()
    _past(errors, "held_on", held_on, "of the conference", today)
    if "held_on" not in errors and held_on < since:
        errors["held_on"] = f"The conference cannot be before {since_what} ({on_day(since)})"
    if reports_shared_with_parents_on is not None and reports_shared_with_parents_on > today:
        errors["reports_shared_with_parents_on"] = (
            "The date the reports were shared with the parents must be today or in the past"
        )
    if not (child_attended or advocate_attended or no_participation_reason):
        errors["no_participation_reason"] = (
            "Enter why the child did not take part and had no advocate"
        )
    if chair is None:
        errors["chair"] = "Select who chaired the conference"
    if not decisions:
        errors["decisions"] = "Enter the conference's decisions and the reasons for them"
    _too_long(
        errors,
        decisions=decisions,
        child_views=child_views,
        no_participation_reason=no_participation_reason,
    )
    return errors


def _write_attendance(conference: Conference, rows: list[dict], by) -> None:
    kept = {a.agency: a for a in conference.attendance.all()} if conference.pk else {}
    for row in rows:
        line = kept.pop(row["agency"], None) or ConferenceAttendance(
            conference=conference, agency=row["agency"], created_by=by
        )
        line.invited, line.attended = row["invited"], row["attended"]
        line.report_provided = row["report_provided"]
        line.updated_by = by
        line.save()
    for line in kept.values():
        line.delete()


def _conference_answers(
    *,
    since: date,
    since_what: str,
    held_on,
    reports_shared_with_parents_on,
    attendance,
    child_attended,
    advocate_attended,
    child_views,
    no_participation_reason,
    chair,
    decisions,
) -> tuple[dict, list[dict], dict]:
    """The answers every conference has, checked: (errors, attendance rows, the fields)."""
    views, reason = _text(child_views), _text(no_participation_reason)
    decisions = _text(decisions)
    errors = _conference_errors(
        held_on=held_on,
        reports_shared_with_parents_on=reports_shared_with_parents_on,
        child_attended=child_attended,
        advocate_attended=advocate_attended,
        no_participation_reason=reason,
        child_views=views,
        chair=chair,
        decisions=decisions,
        since=since,
        since_what=since_what,
    )
    rows = _attendance(errors, attendance)
    fields = {
        "held_on": held_on,
        "reports_shared_with_parents_on": reports_shared_with_parents_on,
        "child_attended": bool(child_attended),
        "advocate_attended": bool(advocate_attended),
        "child_views": views,
        "no_participation_reason": "" if (child_attended or advocate_attended) else reason,
        "chair": chair,
        "decisions": decisions,
    }
    return errors, rows, fields


def _create_conference(*, by, rows: list[dict], fields: dict, **more) -> Conference:
    conference = Conference.objects.create(**fields, **more, created_by=by, updated_by=by)
    _write_attendance(conference, rows, by)
    return conference


@transaction.atomic
def record_initial_conference(
    *,
    by,
    enquiry: Section47Enquiry,
    held_on: date | None,
    reports_shared_with_parents_on: date | None = None,
    attendance=(),
    child_attended: bool = False,
    advocate_attended: bool = False,
    child_views: str = "",
    no_participation_reason: str = "",
    chair: Staff | None,
    outcome: str,
    category: str = "",
    decisions: str,
    request=None,
) -> Conference:
    """The initial child protection conference the section 47 `enquiry` called: when it was
    held, when the reports were shared with the parents, the agencies invited, attending and
    sending a report (`attendance`: rows of agency, invited, attended, report_provided), the
    child's participation (attended, an advocate, or why neither; and their views), who
    chaired it, its decision (a plan or no plan), the category of abuse for a plan, and its
    decisions and reasons. Held after 15 working days it is accepted (a late_icpc finding)."""
    staff_of(by, "held_on", "a conference")
    enquiry = Section47Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    errors, rows, fields = _conference_answers(
        since=enquiry.started_on,
        since_what="the section 47 enquiry started",
        held_on=held_on,
        reports_shared_with_parents_on=reports_shared_with_parents_on,
        attendance=attendance,
        child_attended=child_attended,
        advocate_attended=advocate_attended,
        child_views=child_views,
        no_participation_reason=no_participation_reason,
        chair=chair,
        decisions=decisions,
    )
    existing = enquiry.conferences.filter(kind=Conference.Kind.INITIAL).first()
    if existing is not None:
        errors["held_on"] = (
            f"The initial conference from this enquiry was recorded for {on_day(existing.held_on)}"
        )
    if enquiry.outcome in (
        Section47Enquiry.Outcome.NOT_SUBSTANTIATED,
        Section47Enquiry.Outcome.CHILD_IN_NEED,
    ):
        errors["held_on"] = (
            f"The section 47 enquiry ended: {enquiry.get_outcome_display().lower()}. "
            "Change its outcome first if a conference was called"
        )
    if outcome not in (Conference.Outcome.PLAN, Conference.Outcome.NO_PLAN):
        errors["outcome"] = "Select whether the child is to have a child protection plan"
    category = _category(errors, "category", category, outcome == Conference.Outcome.PLAN)
    _raise(errors)
    conference = _create_conference(
        by=by,
        rows=rows,
        fields=fields,
        child=enquiry.child,
        kind=Conference.Kind.INITIAL,
        section_47_enquiry=enquiry,
        outcome=outcome,
        category=category if outcome == Conference.Outcome.PLAN else "",
    )
    note(
        by=by,
        child=enquiry.child,
        obj=conference,
        request=request,
        action="initial conference recorded",
        outcome=outcome,
    )
    return conference


@transaction.atomic
def record_review_conference(
    *,
    by,
    plan: ChildProtectionPlan,
    held_on: date | None,
    reports_shared_with_parents_on: date | None = None,
    attendance=(),
    child_attended: bool = False,
    advocate_attended: bool = False,
    child_views: str = "",
    no_participation_reason: str = "",
    chair: Staff | None,
    outcome: str,
    category: str = "",
    end_reason: str = "",
    decisions: str,
    request=None,
) -> Conference:
    """A review child protection conference of `plan`: the same answers as the initial
    conference, and its decision: the plan continues (under `category`, by default the plan's
    latest; a change becomes the plan's latest category) or ends on the day of the conference
    (with the reason it ends)."""
    staff_of(by, "held_on", "a conference")
    plan = ChildProtectionPlan.objects.select_for_update().get(pk=plan.pk)
    errors, rows, fields = _conference_answers(
        since=plan.starts_on,
        since_what="the plan started",
        held_on=held_on,
        reports_shared_with_parents_on=reports_shared_with_parents_on,
        attendance=attendance,
        child_attended=child_attended,
        advocate_attended=advocate_attended,
        child_views=child_views,
        no_participation_reason=no_participation_reason,
        chair=chair,
        decisions=decisions,
    )
    if plan.ends_on is not None and "held_on" not in errors and held_on > plan.ends_on:
        errors["held_on"] = f"The plan ended on {on_day(plan.ends_on)}: a review cannot follow it"
    if outcome not in (Conference.Outcome.CONTINUE, Conference.Outcome.END):
        errors["outcome"] = "Select whether the plan continues or ends"
    continues = outcome == Conference.Outcome.CONTINUE
    category = _category(errors, "category", category or plan.latest_category, continues)
    if outcome == Conference.Outcome.END:
        if plan.ends_on is not None:
            errors["outcome"] = f"The plan already ended on {on_day(plan.ends_on)}"
        if end_reason not in ChildProtectionPlan.EndReason.values:
            errors["end_reason"] = "Select why the plan ends"
    _raise(errors)
    conference = _create_conference(
        by=by,
        rows=rows,
        fields=fields,
        child=plan.child,
        kind=Conference.Kind.REVIEW,
        plan=plan,
        outcome=outcome,
        category=category if continues else "",
    )
    if continues and category != plan.latest_category:
        plan.latest_category = category
        plan.updated_by = by
        plan.save()
    elif not continues:
        plan.ends_on = held_on
        plan.end_reason = end_reason
        plan.updated_by = by
        plan.save()
    note(
        by=by,
        child=plan.child,
        obj=conference,
        request=request,
        action="review conference recorded",
        outcome=outcome,
        **({"plan_ended": plan.pk, "end_reason": end_reason} if not continues else {}),
    )
    return conference


@transaction.atomic
def update_conference(
    *,
    by,
    conference: Conference,
    version: int,
    held_on: date | None,
    reports_shared_with_parents_on: date | None = None,
    attendance=(),
    child_attended: bool = False,
    advocate_attended: bool = False,
    child_views: str = "",
    no_participation_reason: str = "",
    chair: Staff | None,
    decisions: str,
    request=None,
) -> Conference:
    """A correction to a conference: its day, the reports, who was invited and attended, the
    child's participation, the chair and its reasons. Its decision (and category) stand: the
    plan follows from them."""
    staff_of(by, "held_on", "a conference")
    if conference.kind == Conference.Kind.INITIAL:
        since = conference.section_47_enquiry.started_on if conference.section_47_enquiry else None
        since_what = "the section 47 enquiry started"
    else:
        since = conference.plan.starts_on if conference.plan else None
        since_what = "the plan started"
    errors, rows, fields = _conference_answers(
        since=since or date.min,
        since_what=since_what,
        held_on=held_on,
        reports_shared_with_parents_on=reports_shared_with_parents_on,
        attendance=attendance,
        child_attended=child_attended,
        advocate_attended=advocate_attended,
        child_views=child_views,
        no_participation_reason=no_participation_reason,
        chair=chair,
        decisions=decisions,
    )
    plan = ChildProtectionPlan.objects.filter(initial_conference=conference).first()
    if plan is not None and "held_on" not in errors and held_on != plan.starts_on:
        errors["held_on"] = (
            f"The plan made at this conference started on {on_day(plan.starts_on)}: "
            "the day of the conference is the day the plan started"
        )
    ended = conference.plan if conference.outcome == Conference.Outcome.END else None
    _raise(errors)
    for name, value in fields.items():
        setattr(conference, name, value)
    save_if_unchanged(conference, version, user=by)
    _write_attendance(conference, rows, by)
    if ended is not None and ended.ends_on != held_on:
        ended.ends_on = held_on
        ended.updated_by = by
        ended.save()
    note(
        by=by,
        child=conference.child,
        obj=conference,
        request=request,
        action="conference changed",
    )
    return conference


# ----- the child protection plan --------------------------------------------------------------


def _outcome_rows(errors: dict, outcomes) -> list[dict]:
    """The plan's outcomes, each {outcome, actions: [{action, owner_name, owner_agency,
    due_on}]}, with `id`s for those already recorded; errors named after their place."""
    rows = []
    for i, item in enumerate(outcomes or []):
        text = _text(item.get("outcome"))
        actions = []
        for j, act in enumerate(item.get("actions") or []):
            name = f"outcomes-{i}-actions-{j}"
            row = {
                "id": act.get("id"),
                "action": _text(act.get("action")),
                "owner_name": _text(act.get("owner_name")),
                "owner_agency": act.get("owner_agency") or "",
                "due_on": act.get("due_on"),
            }
            if not row["action"]:
                errors[f"{name}-action"] = "Enter what is to be done"
            if not row["owner_name"]:
                errors[f"{name}-owner_name"] = "Enter who will do it"
            elif len(row["owner_name"]) > 200:
                errors[f"{name}-owner_name"] = "Enter a name of no more than 200 characters"
            if row["owner_agency"] not in Agency.values:
                errors[f"{name}-owner_agency"] = "Select the agency of the person who will do it"
            if row["due_on"] is None:
                errors[f"{name}-due_on"] = "Enter the date it is to be done by"
            _too_long(errors, **{f"{name}-action": row["action"]})
            actions.append(row)
        if not text:
            errors[f"outcomes-{i}-outcome"] = "Enter what must change for the child"
        _too_long(errors, **{f"outcomes-{i}-outcome": text})
        if not actions:
            errors[f"outcomes-{i}-actions"] = "Add at least one action for this outcome"
        rows.append({"id": item.get("id"), "outcome": text, "actions": actions})
    if not rows:
        errors["outcomes"] = "Add at least one outcome the plan is to achieve"
    return rows


def _plan_errors(errors: dict, contingency: str, consequences: str) -> None:
    if not contingency:
        errors["contingency"] = (
            "Enter the contingency plan: what happens if the plan is not working"
        )
    if not consequences:
        errors["consequences_of_non_compliance"] = (
            "Enter the consequences if the plan is not followed"
        )
    _too_long(errors, contingency=contingency, consequences_of_non_compliance=consequences)


def plan_errors(*, outcomes, contingency: str, consequences_of_non_compliance: str) -> dict:
    """What a plan's answers lack, named as the services name it (for a form to show every
    problem at once, before saving)."""
    errors: dict = {}
    _outcome_rows(errors, outcomes)
    _plan_errors(errors, _text(contingency), _text(consequences_of_non_compliance))
    return errors


def _write_outcomes(plan: ChildProtectionPlan, rows: list[dict], by, errors: dict) -> None:
    outcomes = {o.pk: o for o in plan.outcomes.all()}
    actions = {a.pk: a for a in plan.actions.all()}
    kept_outcomes, kept_actions = set(), set()
    for i, row in enumerate(rows):
        outcome = outcomes.get(row["id"]) if row["id"] else None
        if row["id"] and outcome is None:
            errors[f"outcomes-{i}-outcome"] = "This outcome is not part of the plan"
            continue
        outcome = outcome or PlanOutcome(plan=plan, created_by=by)
        outcome.outcome = row["outcome"]
        outcome.updated_by = by
        outcome.save()
        kept_outcomes.add(outcome.pk)
        for j, act in enumerate(row["actions"]):
            action = actions.get(act["id"]) if act["id"] else None
            if act["id"] and action is None:
                errors[f"outcomes-{i}-actions-{j}-action"] = "This action is not part of the plan"
                continue
            action = action or PlanAction(plan=plan, created_by=by)
            action.outcome = outcome
            action.action = act["action"]
            action.owner_name = act["owner_name"]
            action.owner_agency = act["owner_agency"]
            action.due_on = act["due_on"]
            action.updated_by = by
            action.save()
            kept_actions.add(action.pk)
    _raise(errors)
    for pk, action in actions.items():
        if pk not in kept_actions:
            action.delete()
    for pk, outcome in outcomes.items():
        if pk not in kept_outcomes:
            outcome.delete()


@transaction.atomic
def record_child_protection_plan(
    *,
    by,
    conference: Conference,
    outcomes,
    contingency: str,
    consequences_of_non_compliance: str,
    request=None,
) -> ChildProtectionPlan:
    """The child protection plan the initial `conference` decided on: it starts on the day of
    the conference under the category of abuse the conference chose, for the referral of the
    enquiry that called it. Its outcomes (what must change for the child), each with actions
    (what, by whom and which agency, by when), the contingency plan and the consequences of
    not following the plan are all required."""
    staff_of(by, "outcomes", "a child protection plan")
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    contingency = _text(contingency)
    consequences = _text(consequences_of_non_compliance)
    errors: dict = {}
    if conference.kind != Conference.Kind.INITIAL:
        errors["conference"] = "A plan is made at an initial child protection conference"
    elif conference.outcome != Conference.Outcome.PLAN:
        errors["conference"] = "This conference decided the child needs no child protection plan"
    elif ChildProtectionPlan.objects.filter(initial_conference=conference).exists():
        errors["conference"] = "The plan from this conference has already been recorded"
    elif not conference.category:
        errors["conference"] = "Record the conference's category of abuse first"
    referral = _plan_referral(conference)
    if referral is None and "conference" not in errors:
        errors["conference"] = "The child has no referral open on the day of the conference"
    rows = _outcome_rows(errors, outcomes)
    _plan_errors(errors, contingency, consequences)
    _raise(errors)
    plan = ChildProtectionPlan.objects.create(
        child=conference.child,
        referral=referral,
        initial_conference=conference,
        starts_on=conference.held_on,
        initial_category=conference.category,
        latest_category=conference.category,
        contingency=contingency,
        consequences_of_non_compliance=consequences,
        created_by=by,
        updated_by=by,
    )
    _write_outcomes(plan, rows, by, errors)
    note(
        by=by,
        child=plan.child,
        obj=plan,
        request=request,
        action="child protection plan recorded",
        category=plan.initial_category,
    )
    return plan


def _plan_referral(conference: Conference) -> Referral | None:
    if conference.section_47_enquiry_id is not None:
        return conference.section_47_enquiry.referral
    return (
        Referral.objects.filter(child=conference.child, received_on__lte=conference.held_on)
        .exclude(closed_on__lt=conference.held_on)
        .order_by("-received_on")
        .first()
    )


@transaction.atomic
def update_child_protection_plan(
    *,
    by,
    plan: ChildProtectionPlan,
    version: int,
    outcomes,
    contingency: str,
    consequences_of_non_compliance: str,
    request=None,
) -> ChildProtectionPlan:
    """The plan's outcomes and actions revised (those with an `id` changed, those without
    added, those left out removed: their history stays), and its contingency plan and
    consequences of non-compliance."""
    staff_of(by, "outcomes", "a child protection plan")
    contingency = _text(contingency)
    consequences = _text(consequences_of_non_compliance)
    errors: dict = {}
    rows = _outcome_rows(errors, outcomes)
    _plan_errors(errors, contingency, consequences)
    _raise(errors)
    plan.contingency = contingency
    plan.consequences_of_non_compliance = consequences
    save_if_unchanged(plan, version, user=by)
    _write_outcomes(plan, rows, by, errors)
    note(by=by, child=plan.child, obj=plan, request=request, action="child protection plan changed")
    return plan


# ----- core group -----------------------------------------------------------------------------


def _core_group_errors(
    errors: dict, *, plan, held_on, notes, actions_reviewed
) -> list[tuple[PlanAction, dict]]:
    today = timezone.localdate()
    _past(errors, "held_on", held_on, "of the core group meeting", today)
    if "held_on" not in errors:
        if held_on < plan.starts_on:
            errors["held_on"] = (
                f"The core group cannot meet before the plan started ({on_day(plan.starts_on)})"
            )
        elif plan.ends_on is not None and held_on > plan.ends_on:
            errors["held_on"] = f"The plan ended on {on_day(plan.ends_on)}"
    if not notes:
        errors["notes"] = "Enter what the core group discussed and agreed"
    _too_long(errors, notes=notes)
    actions = {a.pk: a for a in plan.actions.all()}
    reviewed = []
    for i, row in enumerate(actions_reviewed or []):
        action = actions.get(getattr(row.get("action"), "pk", row.get("action")))
        if action is None:
            errors[f"actions-{i}-status"] = "This action is not part of the plan"
            continue
        status = row.get("status") or action.status
        if status not in PlanAction.Status.values:
            errors[f"actions-{i}-status"] = "Select how far the action has got"
        note = _text(row.get("note"))
        _too_long(errors, **{f"actions-{i}-note": note})
        reviewed.append((action, {"action": action.pk, "status": status, "note": note}))
    return reviewed


def _apply_review(reviewed, held_on: date, by) -> None:
    for action, row in reviewed:
        if action.status == row["status"]:
            continue
        action.status = row["status"]
        if row["status"] == PlanAction.Status.DONE:
            action.completed_on = action.completed_on or held_on
        else:
            action.completed_on = None
        action.updated_by = by
        action.save()


@transaction.atomic
def record_core_group_meeting(
    *,
    by,
    plan: ChildProtectionPlan,
    held_on: date | None,
    agencies_present=(),
    notes: str,
    actions_reviewed=(),
    request=None,
) -> CoreGroupMeeting:
    """A core group meeting of `plan`: when it met, the agencies present, what was discussed
    and agreed, and the plan's actions reviewed (`actions_reviewed`: rows of action (a
    PlanAction or its id), status and a note); each action's status follows the meeting's."""
    staff_of(by, "held_on", "a core group meeting")
    notes = _text(notes)
    errors: dict = {}
    reviewed = _core_group_errors(
        errors, plan=plan, held_on=held_on, notes=notes, actions_reviewed=actions_reviewed
    )
    present = _agencies(errors, "agencies_present", agencies_present, "Select the agencies present")
    _raise(errors)
    meeting = CoreGroupMeeting.objects.create(
        child=plan.child,
        plan=plan,
        held_on=held_on,
        agencies_present=present,
        notes=notes,
        actions_reviewed=[row for _, row in reviewed],
        created_by=by,
        updated_by=by,
    )
    _apply_review(reviewed, held_on, by)
    note(
        by=by,
        child=plan.child,
        obj=meeting,
        request=request,
        action="core group meeting recorded",
        actions_reviewed=len(reviewed),
    )
    return meeting


@transaction.atomic
def update_core_group_meeting(
    *,
    by,
    meeting: CoreGroupMeeting,
    version: int,
    held_on: date | None,
    agencies_present=(),
    notes: str,
    actions_reviewed=(),
    request=None,
) -> CoreGroupMeeting:
    """A correction to a core group meeting: the same answers as when it was recorded."""
    staff_of(by, "held_on", "a core group meeting")
    notes = _text(notes)
    errors: dict = {}
    reviewed = _core_group_errors(
        errors, plan=meeting.plan, held_on=held_on, notes=notes, actions_reviewed=actions_reviewed
    )
    present = _agencies(errors, "agencies_present", agencies_present, "Select the agencies present")
    _raise(errors)
    meeting.held_on = held_on
    meeting.agencies_present = present
    meeting.notes = notes
    meeting.actions_reviewed = [row for _, row in reviewed]
    save_if_unchanged(meeting, version, user=by)
    _apply_review(reviewed, held_on, by)
    note(
        by=by,
        child=meeting.child,
        obj=meeting,
        request=request,
        action="core group meeting changed",
    )
    return meeting
