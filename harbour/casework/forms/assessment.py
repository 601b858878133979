"""The forms of the assessment side of a child's journey: a referral, an assessment, the child
in need plan and its review, closure, and early help (its episode, its end, the step-up and the
step-down). Coded answers show the Department's lists in words and keep the codes; people and
records are chosen, not retyped. The rules are the services' (harbour/journey/services)."""

from django.db.models import Q

from harbour.casework.forms.base import RecordingForm
from harbour.codes import code_list
from harbour.journey.models import (
    Assessment,
    ChildInNeedPlan,
    ChildInNeedPlanReview,
    EarlyHelpEpisode,
    Referral,
)
from harbour.web.fields import (
    ChecksField,
    ChoiceField,
    ChooseField,
    DateField,
    TextAreaField,
    TextField,
    YesNoField,
)
from harbour.workforce.models import Staff


def words(name: str, *, blank: str | None = None) -> list[tuple[str, str]]:
    """A code list's choices in plain English (the codes are stored)."""
    found = list(code_list(name).codes.items())
    return ([("", blank)] if blank is not None else []) + found


def on_day(day) -> str:
    return f"{day.day} {day:%B %Y}"


def episode_words(referral: Referral) -> str:
    source = code_list("referral_source").label(referral.source)
    ends = f", closed {on_day(referral.closed_on)}" if referral.closed_on else ", open"
    return f"Referral of {on_day(referral.received_on)} from {source}{ends}"


def current_staff(today):
    return (
        Staff.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("team")
        .order_by("surname", "forename")
    )


def staff_words(staff: Staff) -> str:
    return f"{staff.name}, {staff.team.name}" if staff.team_id else staff.name


# ----- referral ------------------------------------------------------------------------------


class ReferralForm(RecordingForm):
    received_on = DateField(
        "When was the referral received?",
        noun="the date the referral was received",
        required="Enter the date the referral was received",
        past=True,
    )
    source = ChoiceField(
        "Who made the referral?",
        choices=words("referral_source", blank="Select who made the referral"),
        noun="who made the referral",
        required="Select who made the referral",
        select=True,
    )
    referrer = TextField(
        "Referrer's name and organisation (optional)",
        noun="the referrer's name and organisation",
        hint="For example, Dr Ash, Fernside Surgery",
    )
    concerns = TextAreaField(
        "What is the referral about?",
        noun="what the referral is about",
        required="Enter what the referral is about",
        hint="The referrer's concerns, in their words where you can",
    )
    primary_need = ChoiceField(
        "Primary need (optional)",
        choices=words("primary_need", blank="Not known yet"),
        noun="the primary need",
        hint="Usually set at the end of the assessment",
        select=True,
    )
    no_further_action = YesNoField(
        "Is it no further action at referral?",
        noun="whether it is no further action",
        hint="The child in need episode closes on the day the referral was received",
    )

    def setup(self):
        if self.record is not None:
            del self.fields["no_further_action"]


# ----- assessment ----------------------------------------------------------------------------

KIND_HINTS = {
    Assessment.Kind.INITIAL: "Before April 2013 only: for the child's history",
    Assessment.Kind.CORE: "Before April 2013 only: for the child's history",
}
FACTOR_CHOICES = words("assessment_factor")
# Today's kinds first; the pre-2013 ones after them, for the child's history.
KIND_CHOICES = sorted(
    Assessment.Kind.choices,
    key=lambda choice: choice[0] in (Assessment.Kind.INITIAL, Assessment.Kind.CORE),
)


class AssessmentForm(RecordingForm):
    sections = [
        ("The assessment", ["referral", "kind", "started_on"]),
        ("The child", ["child_seen", "child_views", "no_views_reason"]),
        ("What the assessment found", ["family_history", "risk_factors", "protective_factors"]),
        ("Factors identified", ["factors"]),
        ("Analysis and outcome", ["analysis", "outcome", "completed_on", "submit"]),
    ]

    referral = ChooseField(
        "Which referral is this assessment of?",
        queryset=Referral.objects.none(),
        noun="the referral",
        required="Select the referral this assessment is of",
    )
    kind = ChoiceField(
        "What kind of assessment is it?",
        choices=KIND_CHOICES,
        noun="the kind of assessment",
        required="Select the kind of assessment",
        hints=KIND_HINTS,
    )
    started_on = DateField(
        "When did the assessment start?",
        noun="the date the assessment started",
        required="Enter the date the assessment started",
        past=True,
    )
    child_seen = YesNoField(
        "Was the child seen?",
        noun="whether the child was seen",
        required="Select whether the child was seen",
        reveals={"yes": ["child_seen_on", "seen_alone"], "no": "child_not_seen_reason"},
    )
    child_seen_on = DateField(
        "When was the child seen?",
        noun="the date the child was seen",
        required="Enter the date the child was seen",
        past=True,
    )
    seen_alone = YesNoField(
        "Was the child seen alone?",
        noun="whether the child was seen alone",
        required="Select whether the child was seen alone",
        reveals={"no": "not_seen_alone_reason"},
    )
    not_seen_alone_reason = TextAreaField(
        "Why was the child not seen alone?",
        noun="why the child was not seen alone",
        required="Enter why the child was not seen alone",
        rows=3,
    )
    child_not_seen_reason = TextAreaField(
        "Why was the child not seen?",
        noun="why the child was not seen",
        required="Enter why the child was not seen",
        rows=3,
    )
    child_views = TextAreaField(
        "The child's views",
        noun="the child's views",
        hint="What the child said, or showed, about their life and what they want",
    )
    no_views_reason = TextField(
        "If the child's views are not recorded, why not?",
        noun="why the child's views are not recorded",
        hint="For example, a baby, or the child chose not to talk",
    )
    family_history = TextAreaField("Family history", noun="the family history")
    risk_factors = TextAreaField("Risks", noun="the risks")
    protective_factors = TextAreaField("Protective factors", noun="the protective factors")
    factors = ChecksField(
        "Which factors did the assessment identify?",
        choices=FACTOR_CHOICES,
        noun="the factors identified",
        hint="Select all that apply, or “No factors identified”",
        grouped=True,
    )
    analysis = TextAreaField(
        "Analysis", noun="the analysis", hint="What the findings mean for the child", rows=8
    )
    outcome = ChoiceField(
        "Outcome (needed to submit for sign-off)",
        choices=Assessment.Outcome.choices,
        noun="the outcome",
    )
    completed_on = DateField(
        "When was the assessment completed? (optional)",
        noun="the date the assessment was completed",
        hint="Today, if you submit it for sign-off and leave this blank",
        past=True,
    )
    submit = YesNoField(
        "Submit the assessment to your manager for sign-off now?",
        noun="whether to submit the assessment for sign-off",
        no="No, keep working on it",
        yes="Yes, submit for sign-off",
    )

    def setup(self):
        referrals = Referral.objects.filter(child=self.child).order_by("-received_on")
        field = self.fields["referral"]
        field.queryset = referrals
        field.label_from_instance = episode_words
        if self.record is not None:
            field.queryset = referrals.filter(pk=self.record.referral_id)

    def clean(self):
        data = super().clean()
        if data.get("child_seen") is False:
            # Answers under "yes" the person changed their mind about are not judged.
            for name in ("child_seen_on", "seen_alone", "not_seen_alone_reason"):
                self.errors.pop(name, None)
                data[name] = None if name != "not_seen_alone_reason" else ""
        views = data.get("child_views") or data.get("no_views_reason")
        if not views and "child_views" not in self.errors:
            self.add_error("child_views", "Enter the child's views, or why they are not recorded")
        return data

    def in_progress(self):
        """Assessments of the child's referrals not yet submitted for sign-off: a new one is
        usually a mistake for one of these (the form links to them)."""
        if self.record is not None or self.child is None:
            return []
        return list(
            Assessment.objects.filter(
                child=self.child, submitted_at__isnull=True, authorised_on__isnull=True
            ).order_by("-started_on")[:3]
        )

    def the_referral_says(self):
        """What the referral said, shown above the form (nothing typed twice)."""
        from harbour.journey.services.referral import what_the_referral_says

        referral = None
        if self.record is not None:
            referral = self.record.referral
        else:
            chosen = self.initial.get("referral") or self.data.get("referral")
            if chosen:
                pk = str(getattr(chosen, "pk", chosen))
                if pk.isdigit():
                    referral = Referral.objects.filter(child=self.child, pk=pk).first()
        return what_the_referral_says(referral) if referral is not None else None


# ----- child in need plan and review ---------------------------------------------------------


class ChildInNeedPlanForm(RecordingForm):
    referral = ChooseField(
        "Which child in need episode is the plan for?",
        queryset=Referral.objects.none(),
        noun="the child in need episode",
        required="Select the child in need episode the plan is for",
    )
    starts_on = DateField(
        "When did the plan start?",
        noun="the date the plan started",
        required="Enter the date the plan started",
        past=True,
    )
    outcomes = TextAreaField(
        "What is the plan to achieve?",
        noun="the outcomes",
        required="Enter the outcomes the plan is to achieve",
        hint="Each outcome for the child, who will do what to reach it, and by when",
        rows=10,
    )

    def setup(self):
        field = self.fields["referral"]
        found = Referral.objects.filter(child=self.child).order_by("-received_on")
        if self.record is not None:
            found = found.filter(pk=self.record.referral_id)
        else:
            found = found.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=self.today))
        field.queryset = found
        field.label_from_instance = episode_words


class ChildInNeedReviewForm(RecordingForm):
    plan = ChooseField(
        "Which plan was reviewed?",
        queryset=ChildInNeedPlan.objects.none(),
        noun="the plan",
        required="Select the plan that was reviewed",
    )
    held_on = DateField(
        "When was the review held?",
        noun="the date the review was held",
        required="Enter the date the review was held",
        past=True,
    )
    notes = TextAreaField(
        "What did the review find?",
        noun="what the review found",
        required="Enter what the review found",
        hint="Progress against each outcome, what has changed, and what happens next",
        rows=8,
    )
    decision = ChoiceField(
        "What did the review decide?",
        choices=ChildInNeedPlanReview.Decision.choices,
        noun="the review's decision",
        required="Select whether the plan continues or ends",
        hints={"end": "The plan ends on the day of the review"},
    )

    def setup(self):
        field = self.fields["plan"]
        field.queryset = ChildInNeedPlan.objects.filter(
            child=self.child, ends_on__isnull=True
        ).order_by("-starts_on")
        field.label_from_instance = lambda plan: f"The plan from {on_day(plan.starts_on)}"


# ----- closure -------------------------------------------------------------------------------


class ClosureForm(RecordingForm):
    closed_on = DateField(
        "When did the case close?",
        noun="the date the case closed",
        required="Enter the date the case closed",
        past=True,
    )
    closure_reason = ChoiceField(
        "Why is the case closing?",
        choices=words("closure_reason"),
        noun="the reason the case is closing",
        required="Select the reason the case is closing",
        hints={
            "RC9": "To start the early help episode at the same time, use “Step down to early "
            "help” instead"
        },
    )

    def setup(self):
        """What ends with the episode, said before it is saved."""
        plans = ChildInNeedPlan.objects.filter(child=self.child, ends_on__isnull=True)
        if self.child is not None and plans.exists():
            started = on_day(plans.order_by("starts_on").first().starts_on)
            self.fields[
                "closed_on"
            ].help_text = f"The child in need plan from {started} ends on the same day"


# ----- early help ----------------------------------------------------------------------------


class LeadProfessional(RecordingForm):
    """A lead professional chosen from Harbour's staff, or a partner's named with their agency."""

    lead_professional = ChooseField(
        "Lead professional in the council (optional)",
        queryset=Staff.objects.none(),
        noun="the lead professional",
        hint="Or give a partner's lead professional below",
        select=True,
    )
    lead_professional_name = TextField(
        "Lead professional's name, if from a partner agency",
        noun="the lead professional's name",
    )
    lead_professional_agency = TextField(
        "Their agency", noun="the lead professional's agency", hint="For example, a school"
    )

    def setup(self):
        field = self.fields["lead_professional"]
        field.queryset = current_staff(self.today)
        field.label_from_instance = staff_words
        field.required = False
        field.empty_label = "None: a partner leads"
        field.widget.choices = field.choices


class EarlyHelpForm(LeadProfessional):
    starts_on = DateField(
        "When did early help start?",
        noun="the date early help started",
        required="Enter the date early help started",
        past=True,
    )
    assessment_completed_on = DateField(
        "When was the early help assessment done? (optional)",
        noun="the date the early help assessment was done",
        past=True,
    )
    plan_started_on = DateField(
        "When did the early help plan start? (optional)",
        noun="the date the early help plan started",
        past=True,
    )
    field_order = [
        "starts_on",
        "lead_professional",
        "lead_professional_name",
        "lead_professional_agency",
        "assessment_completed_on",
        "plan_started_on",
    ]


class EndEarlyHelpForm(RecordingForm):
    ends_on = DateField(
        "When did early help end?",
        noun="the date early help ended",
        required="Enter the date early help ended",
        past=True,
    )
    end_reason = ChoiceField(
        "Why did early help end?",
        choices=[
            (value, label)
            for value, label in EarlyHelpEpisode.EndReason.choices
            if value != EarlyHelpEpisode.EndReason.STEPPED_UP
        ],
        noun="why early help ended",
        required="Select why early help ended",
        reveals={"other": "end_notes"},
        hints={"needs_met": "The family's needs have been met"},
    )
    end_notes = TextAreaField(
        "Why did early help end?",
        noun="why early help ended",
        required="Enter why early help ended",
        rows=3,
    )


class StepUpForm(RecordingForm):
    on = DateField(
        "When was the referral to children's social care made?",
        noun="the date of the step-up",
        required="Enter the date of the step-up",
        past=True,
    )
    concerns = TextAreaField(
        "Why is early help stepping up?",
        noun="why early help is stepping up",
        required="Enter why early help is stepping up",
        hint="What has changed, and the risks to the child now",
    )
    primary_need = ChoiceField(
        "Primary need (optional)",
        choices=words("primary_need", blank="Not known yet"),
        noun="the primary need",
        select=True,
    )


class StepDownForm(LeadProfessional):
    on = DateField(
        "When does early help take over?",
        noun="the date of the step-down",
        required="Enter the date of the step-down",
        hint="The child in need episode closes that day",
        past=True,
    )
    field_order = ["on", "lead_professional", "lead_professional_name", "lead_professional_agency"]

    def setup(self):
        super().setup()
        from harbour.casework.steps.assessment import open_referral
        from harbour.journey.services.early_help import step_down_reason

        referral = open_referral(self.child, self.today) if self.child is not None else None
        if referral is not None:
            reason = code_list("closure_reason").label(step_down_reason(referral))
            self.fields[
                "on"
            ].help_text = f"The child in need episode closes that day, for the reason “{reason}”"
