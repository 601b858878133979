"""Child protection as steps (casework/recording.py): the strategy discussion, the section 47
enquiry, the initial and review child protection conferences, the child protection plan and
core group meetings. Each starts from what Harbour knows (harbour/journey/protection_starts.py)
and each save calls one service of harbour/journey/services/protection.py."""

from django.core.exceptions import ValidationError

from harbour.casework.forms import protection as forms
from harbour.casework.recording import Step, register
from harbour.journey import protection_starts as starts
from harbour.journey.models import (
    ChildProtectionPlan,
    Conference,
    CoreGroupMeeting,
    Section47Enquiry,
    StrategyDiscussion,
)
from harbour.journey.services import protection as services

GROUP = "Child protection"


def _version(form, record) -> int:
    version = form.cleaned_data.get("version")
    return record.version if version is None else version


def _data(form, *names) -> dict:
    return {name: form.cleaned_data.get(name) for name in names}


def _renamed(error: ValidationError, names: dict) -> ValidationError:
    """A service's refusal with its row names (`outcomes-0-outcome`) as the form's fields."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.message_dict.items()})


# ----- strategy discussion --------------------------------------------------------------------

STRATEGY = (
    "held_on",
    "held_at",
    "concern_identified_on",
    "agencies_invited",
    "agencies_present",
    "chaired_by",
    "outcome",
    "decisions",
)


def _strategy_initial(*, child, record, user, today):
    if record is not None:
        return {name: getattr(record, name) for name in STRATEGY} | {"referral": record.referral_id}
    start = starts.strategy_discussion_start(child, today)
    return {
        "referral": start["referral"].pk if start["referral"] else None,
        "agencies_invited": start["agencies_invited"],
        "chaired_by": getattr(getattr(user, "staff", None), "pk", None),
    }


def _strategy_save(*, form, by, child, record, request):
    answers = _data(form, *STRATEGY)
    if record is None:
        return services.record_strategy_discussion(
            by=by, child=child, referral=form.cleaned_data["referral"], request=request, **answers
        )
    return services.update_strategy_discussion(
        by=by, discussion=record, version=_version(form, record), request=request, **answers
    )


register(
    Step(
        key="strategy-discussion",
        title="Record a strategy discussion",
        change_title="Change the strategy discussion",
        done="Strategy discussion recorded",
        form=forms.StrategyDiscussionForm,
        save=_strategy_save,
        initial=_strategy_initial,
        group=GROUP,
        duties=("strategy_discussion",),
        model=StrategyDiscussion,
        long=True,
        hint="Police, social care and health decide whether to start a section 47 enquiry",
        offered=lambda child, today: bool(starts.open_referrals(child, today)),
    )
)


# ----- section 47 enquiry ---------------------------------------------------------------------


def _enquiry_initial(*, child, record, user, today):
    if record is not None:
        return _data_of(
            record, "started_on", "lead_worker_id", "completed_on", "outcome", "findings"
        )
    discussion = (
        StrategyDiscussion.objects.filter(child=child, section_47_enquiry__isnull=True)
        .order_by("-held_on")
        .first()
    )
    if discussion is None:
        return {}
    start = starts.section_47_enquiry_start(discussion)
    return {
        "strategy_discussion": discussion.pk,
        "started_on": start["started_on"],
        "lead_worker": start["lead_worker"].pk if start["lead_worker"] else None,
    }


def _data_of(record, *names) -> dict:
    return {name.removesuffix("_id"): getattr(record, name) for name in names}


def _enquiry_save(*, form, by, child, record, request):
    if record is None:
        return services.record_section_47_enquiry(
            by=by,
            strategy_discussion=form.cleaned_data["strategy_discussion"],
            lead_worker=form.cleaned_data["lead_worker"],
            started_on=form.cleaned_data.get("started_on"),
            request=request,
        )
    answers = _data(form, "started_on", "lead_worker", "completed_on", "outcome", "findings")
    answers["outcome"] = answers["outcome"] or ""
    answers["findings"] = answers["findings"] or ""
    return services.update_section_47_enquiry(
        by=by, enquiry=record, version=_version(form, record), request=request, **answers
    )


def _has_discussion_without_enquiry(child, today) -> bool:
    return StrategyDiscussion.objects.filter(
        child=child, section_47_enquiry__isnull=True, outcome__in=("", "s47")
    ).exists()


register(
    Step(
        key="section-47-enquiry",
        title="Start a section 47 enquiry",
        change_title="Change or complete the section 47 enquiry",
        done="Section 47 enquiry recorded",
        form=forms.Section47EnquiryForm,
        save=_enquiry_save,
        initial=_enquiry_initial,
        group=GROUP,
        model=Section47Enquiry,
        hint="Started by a strategy discussion; led by a qualified, registered social worker",
        offered=_has_discussion_without_enquiry,
    )
)


# ----- conferences ----------------------------------------------------------------------------


def _conference_initial_of(record) -> dict:
    return {
        "held_on": record.held_on,
        "reports_shared_with_parents_on": record.reports_shared_with_parents_on,
        **forms.attendance_initial(
            [
                {
                    "agency": a.agency,
                    "invited": a.invited,
                    "attended": a.attended,
                    "report_provided": a.report_provided,
                }
                for a in record.attendance.all()
            ]
        ),
        "participation": forms.participation_of(record),
        "no_participation_reason": record.no_participation_reason,
        "child_views": record.child_views,
        "chair": record.chair_id,
        "decisions": record.decisions,
    }


def _chair_of(user):
    staff = getattr(user, "staff", None)
    return staff.pk if staff is not None and staff.role in forms.CHAIRS else None


def _initial_conference_initial(*, child, record, user, today):
    if record is not None:
        return _conference_initial_of(record)
    enquiry = (
        Section47Enquiry.objects.filter(child=child)
        .exclude(conferences__kind=Conference.Kind.INITIAL)
        .order_by("-started_on")
        .first()
    )
    if enquiry is None:
        return {"chair": _chair_of(user)}
    start = starts.initial_conference_start(enquiry)
    return {
        "section_47_enquiry": enquiry.pk,
        **forms.attendance_initial(start["attendance"]),
        "chair": _chair_of(user),
    }


def _conference_save(record_it, acted_on: str, *decided: str):
    """A conference's save: recorded by `record_it` (what it acted on passed as `acted_on`,
    its decision's answers `decided`), or corrected (its decision stands)."""

    def save(*, form, by, child, record, request):
        answers = forms.conference_answers(form.cleaned_data)
        if record is not None:
            return services.update_conference(
                by=by, conference=record, version=_version(form, record), request=request, **answers
            )
        return record_it(
            by=by,
            request=request,
            **{acted_on: form.cleaned_data[form.acts_on]},
            **{name: form.cleaned_data.get(name) or "" for name in decided},
            **answers,
        )

    return save


_initial_conference_save = _conference_save(
    services.record_initial_conference, "enquiry", "outcome", "category"
)


def _has_enquiry_without_conference(child, today) -> bool:
    return (
        Section47Enquiry.objects.filter(child=child)
        .exclude(conferences__kind=Conference.Kind.INITIAL)
        .exclude(outcome__in=("cin", "unsubstantiated"))
        .exists()
    )


register(
    Step(
        key="initial-conference",
        title="Record an initial child protection conference",
        change_title="Change the initial child protection conference",
        done="Initial child protection conference recorded",
        form=forms.InitialConferenceForm,
        save=_initial_conference_save,
        initial=_initial_conference_initial,
        group=GROUP,
        perm="casework.record_conference",
        duties=("initial_child_protection_conference",),
        template="casework/steps/initial_conference.html",
        model=Conference,
        long=True,
        hint="Called by a section 47 enquiry; decides whether the child needs a plan",
        offered=_has_enquiry_without_conference,
    )
)


def _review_initial(*, child, record, user, today):
    if record is not None:
        return _conference_initial_of(record)
    plan = forms.open_plans(child, today).order_by("-starts_on").first()
    if plan is None:
        return {"chair": _chair_of(user)}
    start = starts.review_conference_start(plan)
    chair = _chair_of(user) or (start["chair"].pk if start["chair"] else None)
    return {
        "plan": plan.pk,
        "category": start["category"],
        **forms.attendance_initial(start["attendance"]),
        "chair": chair,
    }


_review_save = _conference_save(
    services.record_review_conference, "plan", "outcome", "category", "end_reason"
)


def _has_open_plan(child, today) -> bool:
    return forms.open_plans(child, today).exists()


register(
    Step(
        key="review-conference",
        title="Record a review child protection conference",
        change_title="Change the review child protection conference",
        done="Review child protection conference recorded",
        form=forms.ReviewConferenceForm,
        save=_review_save,
        initial=_review_initial,
        group=GROUP,
        perm="casework.record_conference",
        duties=("review_conference",),
        template="casework/steps/review_conference.html",
        model=Conference,
        long=True,
        hint="Decides whether the plan continues or ends",
        offered=_has_open_plan,
    )
)


# ----- the child protection plan --------------------------------------------------------------


def _plan_initial(*, child, record, user, today):
    if record is not None:
        return forms.plan_initial(record)
    conference = (
        Conference.objects.filter(
            child=child,
            kind=Conference.Kind.INITIAL,
            outcome=Conference.Outcome.PLAN,
            plan_started__isnull=True,
        )
        .order_by("-held_on")
        .first()
    )
    return {"conference": conference.pk} if conference else {}


def _saved(form, record, names: dict, record_it, update_it, **answers):
    """Recorded (`record_it`) or changed (`update_it`, with the version opened), a refusal
    named as the form names its rows."""
    try:
        if record is None:
            return record_it(**answers)
        return update_it(version=_version(form, record), **answers)
    except ValidationError as refused:
        raise _renamed(refused, names) from None


def _plan_save(*, form, by, child, record, request):
    outcomes, names = form.outcomes()
    return _saved(
        form,
        record,
        names,
        lambda **a: services.record_child_protection_plan(
            conference=form.cleaned_data["conference"], **a
        ),
        lambda **a: services.update_child_protection_plan(plan=record, **a),
        by=by,
        outcomes=outcomes,
        request=request,
        **_data(form, "contingency", "consequences_of_non_compliance"),
    )


def _has_plan_to_write(child, today) -> bool:
    return Conference.objects.filter(
        child=child, kind="initial", outcome="plan", plan_started__isnull=True
    ).exists()


register(
    Step(
        key="child-protection-plan",
        title="Record the child protection plan",
        change_title="Change the child protection plan",
        done="Child protection plan recorded",
        form=forms.ChildProtectionPlanForm,
        save=_plan_save,
        initial=_plan_initial,
        group=GROUP,
        perm="casework.record_conference",
        model=ChildProtectionPlan,
        template="casework/steps/child_protection_plan.html",
        long=True,
        print_template="casework/print/child_protection_plan.html",
        hint="The outcomes, actions, contingency plan and consequences the conference agreed",
        offered=_has_plan_to_write,
    )
)


# ----- core group -----------------------------------------------------------------------------


def _core_group_initial(*, child, record, user, today):
    if record is not None:
        initial = _data_of(record, "held_on", "agencies_present", "notes")
        for row in record.actions_reviewed:
            initial[f"status_{row['action']}"] = row.get("status")
            initial[f"note_{row['action']}"] = row.get("note", "")
        return initial
    plan = forms.open_plans(child, today).order_by("-starts_on").first()
    if plan is None:
        return {}
    start = starts.core_group_start(plan)
    initial = {"plan": plan.pk, "agencies_present": start["agencies_present"]}
    for row in start["actions"]:
        initial[f"status_{row['action'].pk}"] = row["status"]
    return initial


def _core_group_save(*, form, by, child, record, request):
    reviewed, names = form.reviewed()
    return _saved(
        form,
        record,
        names,
        lambda **a: services.record_core_group_meeting(plan=form.cleaned_data["plan"], **a),
        lambda **a: services.update_core_group_meeting(meeting=record, **a),
        by=by,
        actions_reviewed=reviewed,
        request=request,
        **_data(form, "held_on", "agencies_present", "notes"),
    )


register(
    Step(
        key="core-group",
        title="Record a core group meeting",
        change_title="Change the core group meeting",
        done="Core group meeting recorded",
        form=forms.CoreGroupForm,
        save=_core_group_save,
        initial=_core_group_initial,
        group=GROUP,
        duties=("core_group",),
        model=CoreGroupMeeting,
        hint="The professionals and the family review the plan's actions",
        offered=_has_open_plan,
    )
)
