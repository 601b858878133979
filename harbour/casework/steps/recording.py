"""The steps recorded as the work goes on: a visit, a case note, a missing episode, the return
home interview after it, and the child's case summary (casework/recording.py)."""

from django.utils import timezone

from harbour.casework.forms.recording import (
    CaseNoteForm,
    CaseSummaryForm,
    MissingEpisodeForm,
    ReturnHomeInterviewForm,
    VisitForm,
    seen_answer,
    starting_point,
)
from harbour.casework.recording import Step, register
from harbour.journey.models import CaseNote, CaseSummary, MissingEpisode, Visit
from harbour.journey.services import missing, recording
from harbour.web.fields import moment

VISIT_DUTIES = (
    "child_protection_visit",
    "child_in_need_visit",
    "looked_after_visit",
    "private_fostering_visit",
)


# ----- a visit ------------------------------------------------------------------------------


def _visit_initial(*, child, record, user, today):
    if record is not None:
        names = recording.present_names(record.who_present)
        return {
            "kind": record.kind,
            "visited_on": record.visited_on,
            "purpose": record.purpose,
            "worker": record.worker_id,
            "present": names,
            "seen": seen_answer(record),
            "not_alone_reason": record.not_seen_alone_reason if record.child_seen else "",
            "not_seen_reason": "" if record.child_seen else record.not_seen_alone_reason,
            "child_views": record.child_views,
            "observations": record.observations,
            "analysis": record.analysis,
        }
    start = starting_point(child, today)
    last = start.last_visit
    staff = getattr(user, "staff", None)
    return {
        "kind": start.kind,
        "visited_on": today,
        "purpose": last.purpose if last is not None and last.kind == start.kind else "",
        "worker": staff.pk if staff is not None else None,
        "present": start.present_last_time,
    }


def _save_visit(*, form, by, child, record, request):
    answers = form.service_answers()
    if record is None:
        return recording.record_visit(by=by, child=child, request=request, **answers)
    return recording.update_visit(
        by=by, visit=record, version=form.cleaned_data["version"], request=request, **answers
    )


register(
    Step(
        key="visit",
        title="Record a visit",
        change_title="Change the visit",
        done="Visit recorded",
        form=VisitForm,
        save=_save_visit,
        group="Visits and notes",
        initial=_visit_initial,
        duties=VISIT_DUTIES,
        model=Visit,
        long=True,
        print_template="casework/steps/visit_print.html",
        hint="A visit to the child: seen, seen alone, their wishes and feelings",
    )
)


# ----- a case note --------------------------------------------------------------------------


def _note_initial(*, child, record, user, today):
    if record is None:
        return {"occurred_on": today}
    local = timezone.localtime(record.occurred_at)
    return {
        "occurred_on": local.date(),
        "at": local.time().replace(second=0, microsecond=0),
        "subject": record.subject,
        "text": record.text,
    }


def _occurred_at(data):
    """The note's time: the time given, else now for a note about today, else midday."""
    if data.get("at") is None and data["occurred_on"] == timezone.localdate():
        return timezone.now()
    return moment(data["occurred_on"], data.get("at"))


def _save_note(*, form, by, child, record, request):
    data = form.cleaned_data
    fields = {"occurred_at": _occurred_at(data), "subject": data["subject"], "text": data["text"]}
    if record is None:
        return recording.record_case_note(by=by, child=child, request=request, **fields)
    return recording.update_case_note(
        by=by, note=record, version=data["version"], request=request, **fields
    )


register(
    Step(
        key="case-note",
        title="Record a case note",
        change_title="Change the case note",
        done="Case note recorded",
        form=CaseNoteForm,
        save=_save_note,
        group="Visits and notes",
        initial=_note_initial,
        model=CaseNote,
        long=True,
        hint="A conversation, a call, an event in the child's life",
    )
)


# ----- the case summary ---------------------------------------------------------------------


def _summary_initial(*, child, record, user, today):
    current = record or recording.case_summary_of(child)
    if current is None:
        return {}
    return {"summary": current.summary, "version": current.version}


def _save_summary(*, form, by, child, record, request):
    data = form.cleaned_data
    return recording.save_case_summary(
        by=by, child=child, summary=data["summary"], version=data.get("version"), request=request
    )


register(
    Step(
        key="case-summary",
        title="Update the case summary",
        change_title="Update the case summary",
        done="Case summary saved",
        form=CaseSummaryForm,
        save=_save_summary,
        group="Visits and notes",
        initial=_summary_initial,
        duties=("case_summary",),
        model=CaseSummary,
        long=True,
        hint="The child's story so far, brought up to date after a significant event",
    )
)


# ----- a missing episode --------------------------------------------------------------------


def _local(moment_):
    if moment_ is None:
        return None, None
    local = timezone.localtime(moment_)
    return local.date(), local.time().replace(second=0, microsecond=0)


def _episode_initial(*, child, record, user, today):
    if record is None:
        return {"back": "no"}
    started_on, started_time = _local(record.started_at)
    ended_on, ended_time = _local(record.ended_at)
    return {
        "kind": record.kind,
        "started_on": started_on,
        "started_time": started_time,
        "back": "yes" if record.ended_at else "no",
        "ended_on": ended_on,
        "ended_time": ended_time,
        "reported_to_police": "yes" if record.reported_to_police else "no",
    }


def _save_episode(*, form, by, child, record, request):
    data = form.cleaned_data
    fields = {
        "kind": data["kind"],
        "started_at": moment(data["started_on"], data["started_time"]),
        "ended_at": moment(data["ended_on"], data["ended_time"]) if data.get("back") else None,
        "reported_to_police": data["reported_to_police"],
    }
    if record is None:
        return missing.record_missing_episode(by=by, child=child, request=request, **fields)
    return missing.update_missing_episode(
        by=by, episode=record, version=data["version"], request=request, **fields
    )


register(
    Step(
        key="missing-episode",
        title="Record a missing episode",
        change_title="Change the missing episode",
        done="Missing episode recorded",
        form=MissingEpisodeForm,
        save=_save_episode,
        group="Missing from home or care",
        initial=_episode_initial,
        model=MissingEpisode,
        hint="The child missing, or away from placement without authorisation",
    )
)


# ----- the return home interview ------------------------------------------------------------


def _interview_initial(*, child, record, user, today):
    if record is None or record.interview_offered_at is None:
        return {}
    offered_on, offered_time = _local(record.interview_offered_at)
    held_on, held_time = _local(record.interview_held_at)
    outcome = (
        "held" if record.interview_held_at else "declined" if record.interview_declined else ""
    )
    return {
        "offered_on": offered_on,
        "offered_time": offered_time,
        "outcome": outcome or "waiting",
        "held_on": held_on,
        "held_time": held_time,
        "interview_by": record.interview_by,
        "notes": record.notes,
    }


def _save_interview(*, form, by, child, record, request):
    data = form.cleaned_data
    episode = record or data["episode"]
    held = data["outcome"] == "held"
    return missing.record_return_home_interview(
        by=by,
        episode=episode,
        version=form.version_opened(episode),
        offered_at=moment(data["offered_on"], data["offered_time"]),
        held_at=moment(data["held_on"], data["held_time"]) if held else None,
        declined=data["outcome"] == "declined",
        interview_by=data.get("interview_by", "") if held else "",
        notes=data.get("notes", ""),
        request=request,
    )


def _interview_owed(child, today) -> bool:
    return MissingEpisode.objects.filter(
        child=child, ended_at__isnull=False, interview_held_at__isnull=True
    ).exists()


register(
    Step(
        key="return-home-interview",
        title="Record a return home interview",
        change_title="Change the return home interview",
        done="Return home interview recorded",
        form=ReturnHomeInterviewForm,
        save=_save_interview,
        group="Missing from home or care",
        initial=_interview_initial,
        duties=("return_home_interview",),
        model=MissingEpisode,
        template="casework/steps/return_home_interview.html",
        offered=_interview_owed,
        hint="Offered within 72 hours of the child coming back",
    )
)
