"""The assessment side of a child's journey as steps (casework/recording.py): a referral, an
assessment (from its referral), the child in need plan and its review, closing the child in
need episode, and early help (an episode, its end, the step-up and the step-down). Each save
calls one service of harbour/journey/services with the form's answers."""

from django.core.exceptions import ValidationError
from django.db.models import Q

from harbour.casework.forms import assessment as forms
from harbour.casework.recording import Step, register
from harbour.journey.models import (
    Assessment,
    ChildInNeedPlan,
    EarlyHelpEpisode,
    Referral,
)
from harbour.journey.services import assessment as assessments
from harbour.journey.services import closure, early_help, need
from harbour.journey.services import referral as referrals

# ----- what each step acts on ----------------------------------------------------------------


def open_referral(child, today):
    """The child's child in need episode open today (the latest, if the record holds more)."""
    return (
        Referral.objects.filter(child=child, received_on__lte=today)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=today))
        .order_by("-received_on")
        .first()
    )


def open_early_help(child, today=None):
    return (
        EarlyHelpEpisode.objects.filter(child=child, ends_on__isnull=True)
        .order_by("-starts_on")
        .first()
    )


def acting_on(find, day_field: str):
    """`initial` for a step that acts on the child's open episode (no id in its address):
    today's date, and the version of the episode it will change."""

    def initial(*, child, record, user, today):
        target = find(child, today)
        return {day_field: today, **({"version": target.version} if target else {})}

    return initial


def target(find, form, child, missing: str):
    """(the open episode the step acts on, the version the person opened), or the form's
    refusal saying there is none."""
    found = find(child, form.today)
    if found is None:
        raise ValidationError(missing.format(name=child.name))
    return found, _version(form, found)


def _version(form, target) -> int:
    version = form.cleaned_data.get("version")
    return target.version if version is None else version


def _data(form, *names) -> dict:
    return {name: form.cleaned_data.get(name) for name in names}


# ----- referral ------------------------------------------------------------------------------


def _referral_initial(*, child, record, user, today):
    if record is not None:
        return {
            "received_on": record.received_on,
            "source": record.source,
            "referrer": record.referrer,
            "concerns": record.concerns or (record.contact.concerns if record.contact else ""),
            "primary_need": record.primary_need,
        }
    return {"received_on": today, "no_further_action": False}


def _referral_save(*, form, by, child, record, request):
    fields = _data(form, "received_on", "source", "referrer", "concerns", "primary_need")
    fields["primary_need"] = fields["primary_need"] or ""
    if record is None:
        return referrals.record_referral(
            by=by,
            child=child,
            no_further_action=bool(form.cleaned_data.get("no_further_action")),
            request=request,
            **fields,
        )
    return referrals.update_referral(
        by=by, referral=record, version=_version(form, record), request=request, **fields
    )


register(
    Step(
        key="referral",
        title="Record a referral",
        change_title="Change the referral",
        done="Referral recorded",
        form=forms.ReferralForm,
        save=_referral_save,
        initial=_referral_initial,
        group="Front door",
        perm="casework.record_referral",
        model=Referral,
        hint="A referral to children's social care received other than through the front door, "
        "such as by letter",
        offered=lambda child, today: open_referral(child, today) is None,
    )
)


# ----- assessment ----------------------------------------------------------------------------

ANSWERS = (
    "kind",
    "started_on",
    "child_seen",
    "child_seen_on",
    "child_not_seen_reason",
    "seen_alone",
    "not_seen_alone_reason",
    "child_views",
    "no_views_reason",
    "family_history",
    "risk_factors",
    "protective_factors",
    "factors",
    "analysis",
    "outcome",
    "completed_on",
)


def _assessment_initial(*, child, record, user, today):
    if record is not None:
        shown = assessments.answers_of(record)
        return {**shown, "referral": record.referral_id, "submit": False}
    referral = open_referral(child, today)
    unborn = child.date_of_birth is None and child.expected_date_of_birth is not None
    return {
        "referral": referral.pk if referral else None,
        "kind": Assessment.Kind.PRE_BIRTH if unborn else Assessment.Kind.SINGLE,
        "started_on": today,
        "submit": False,
    }


def _assessment_save(*, form, by, child, record, request):
    answers = _data(form, *ANSWERS)
    answers["factors"] = list(answers["factors"] or [])
    answers["outcome"] = answers["outcome"] or ""
    submit = bool(form.cleaned_data.get("submit"))
    if record is None:
        return assessments.record_assessment(
            by=by,
            referral=form.cleaned_data["referral"],
            submit=submit,
            request=request,
            **answers,
        )
    return assessments.update_assessment(
        by=by,
        assessment=record,
        version=_version(form, record),
        submit=submit,
        request=request,
        **answers,
    )


register(
    Step(
        key="assessment",
        title="Record an assessment",
        change_title="Change the assessment",
        done="Assessment saved",
        form=forms.AssessmentForm,
        save=_assessment_save,
        initial=_assessment_initial,
        group="Assessment and planning",
        duties=("single_assessment",),
        model=Assessment,
        long=True,
        template="casework/steps/assessment.html",
        print_template="casework/print/assessment.html",
        hint="Starts from the referral: its source, concerns and the child's details",
        offered=lambda child, today: open_referral(child, today) is not None,
    )
)


# ----- child in need plan and review ---------------------------------------------------------


def _plan_initial(*, child, record, user, today):
    if record is not None:
        return {
            "referral": record.referral_id,
            "starts_on": record.starts_on,
            "outcomes": record.outcomes,
        }
    referral = open_referral(child, today)
    return {"referral": referral.pk if referral else None, "starts_on": today}


def _plan_save(*, form, by, child, record, request):
    data = form.cleaned_data
    if record is None:
        return need.record_child_in_need_plan(
            by=by,
            referral=data["referral"],
            starts_on=data["starts_on"],
            outcomes=data["outcomes"],
            request=request,
        )
    return need.update_child_in_need_plan(
        by=by,
        plan=record,
        version=_version(form, record),
        starts_on=data["starts_on"],
        outcomes=data["outcomes"],
        request=request,
    )


def _has_open_plan(child, today) -> bool:
    return ChildInNeedPlan.objects.filter(child=child, ends_on__isnull=True).exists()


register(
    Step(
        key="child-in-need-plan",
        title="Record a child in need plan",
        change_title="Change the child in need plan",
        done="Child in need plan recorded",
        form=forms.ChildInNeedPlanForm,
        save=_plan_save,
        initial=_plan_initial,
        group="Assessment and planning",
        model=ChildInNeedPlan,
        long=True,
        print_template="casework/print/child_in_need_plan.html",
        hint="The outcomes for the child, and who does what to reach them",
        offered=lambda child, today: (
            open_referral(child, today) is not None and not _has_open_plan(child, today)
        ),
    )
)


def _review_initial(*, child, record, user, today):
    plan = (
        ChildInNeedPlan.objects.filter(child=child, ends_on__isnull=True)
        .order_by("-starts_on")
        .first()
    )
    return {"plan": plan.pk if plan else None, "held_on": today}


def _review_save(*, form, by, child, record, request):
    data = form.cleaned_data
    return need.record_plan_review(
        by=by,
        plan=data["plan"],
        held_on=data["held_on"],
        notes=data["notes"],
        decision=data["decision"],
        request=request,
    )


register(
    Step(
        key="child-in-need-review",
        title="Record a child in need plan review",
        done="Child in need plan review recorded",
        form=forms.ChildInNeedReviewForm,
        save=_review_save,
        initial=_review_initial,
        group="Assessment and planning",
        duties=("child_in_need_plan_review",),
        long=True,
        hint="Progress against the plan's outcomes, and whether it continues",
        offered=_has_open_plan,
    )
)


# ----- closure -------------------------------------------------------------------------------


def _closure_save(*, form, by, child, record, request):
    referral, version = target(
        open_referral, form, child, "{name} has no open child in need episode to close"
    )
    return closure.close_episode(
        by=by,
        referral=referral,
        version=version,
        closed_on=form.cleaned_data["closed_on"],
        closure_reason=form.cleaned_data["closure_reason"],
        request=request,
    )


register(
    Step(
        key="closure",
        title="Close the child in need episode",
        done="Child in need episode closed",
        form=forms.ClosureForm,
        save=_closure_save,
        initial=acting_on(open_referral, "closed_on"),
        group="Closing",
        hint="The Department's reason for closure; an open child in need plan ends with it",
        offered=lambda child, today: open_referral(child, today) is not None,
    )
)


# ----- early help ----------------------------------------------------------------------------

LEAD = ("lead_professional", "lead_professional_name", "lead_professional_agency")


def _early_help_initial(*, child, record, user, today):
    if record is not None:
        return {
            "starts_on": record.starts_on,
            "lead_professional": record.lead_professional_id,
            "lead_professional_name": ""
            if record.lead_professional_id
            else record.lead_professional_name,
            "lead_professional_agency": ""
            if record.lead_professional_id
            else record.lead_professional_agency,
            "assessment_completed_on": record.assessment_completed_on,
            "plan_started_on": record.plan_started_on,
        }
    return {"starts_on": today}


def _early_help_save(*, form, by, child, record, request):
    fields = _data(form, "starts_on", *LEAD, "assessment_completed_on", "plan_started_on")
    if record is None:
        return early_help.record_early_help(by=by, child=child, request=request, **fields)
    return early_help.update_early_help(
        by=by, episode=record, version=_version(form, record), request=request, **fields
    )


register(
    Step(
        key="early-help",
        title="Record early help",
        change_title="Change the early help episode",
        done="Early help recorded",
        form=forms.EarlyHelpForm,
        save=_early_help_save,
        initial=_early_help_initial,
        group="Early help",
        model=EarlyHelpEpisode,
        hint="Its start, the lead professional, and the early help assessment and plan",
        offered=lambda child, today: open_early_help(child) is None,
    )
)


def _end_save(*, form, by, child, record, request):
    episode, version = target(open_early_help, form, child, "{name} is not receiving early help")
    return early_help.end_early_help(
        by=by,
        episode=episode,
        version=version,
        ends_on=form.cleaned_data["ends_on"],
        end_reason=form.cleaned_data["end_reason"],
        end_notes=form.cleaned_data.get("end_notes") or "",
        request=request,
    )


register(
    Step(
        key="end-early-help",
        title="End early help",
        done="Early help ended",
        form=forms.EndEarlyHelpForm,
        save=_end_save,
        initial=acting_on(open_early_help, "ends_on"),
        group="Early help",
        hint="Needs met, the family stopped engaging, or moved away",
        offered=lambda child, today: open_early_help(child) is not None,
    )
)


def _step_up_save(*, form, by, child, record, request):
    episode, version = target(
        open_early_help, form, child, "{name} is not receiving early help to step up from"
    )
    _, referral = early_help.step_up(
        by=by,
        episode=episode,
        version=version,
        on=form.cleaned_data["on"],
        concerns=form.cleaned_data["concerns"],
        primary_need=form.cleaned_data.get("primary_need") or "",
        request=request,
    )
    return referral


register(
    Step(
        key="step-up",
        title="Step up to children's social care",
        done="Stepped up: early help ended and a referral to children's social care opened",
        form=forms.StepUpForm,
        save=_step_up_save,
        initial=acting_on(open_early_help, "on"),
        group="Early help",
        hint="Early help ends and a referral to children's social care opens",
        offered=lambda child, today: open_early_help(child) is not None,
    )
)


def _step_down_save(*, form, by, child, record, request):
    referral, version = target(
        open_referral, form, child, "{name} has no open child in need episode to step down from"
    )
    _, episode = early_help.step_down(
        by=by,
        referral=referral,
        version=version,
        on=form.cleaned_data["on"],
        request=request,
        **_data(form, *LEAD),
    )
    return episode


register(
    Step(
        key="step-down",
        title="Step down to early help",
        done="Stepped down: the child in need episode closed and early help started",
        form=forms.StepDownForm,
        save=_step_down_save,
        initial=acting_on(open_referral, "on"),
        group="Early help",
        hint="After an assessment or a plan: early help takes over and the case closes",
        offered=lambda child, today: open_referral(child, today) is not None,
    )
)
