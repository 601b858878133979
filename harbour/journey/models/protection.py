"""Child protection: strategy discussions, section 47 enquiries, conferences, plans, core groups."""

from django.db import models

from harbour.codes import choices, code_list
from harbour.core.models import Recorded
from harbour.journey.models.agencies import Agency
from harbour.journey.models.front_door import Referral
from harbour.people.models import Child
from harbour.workforce.models import Staff


class StrategyDiscussion(Recorded):
    class Outcome(models.TextChoices):
        SECTION_47 = "s47", "Start a section 47 enquiry"
        CHILD_IN_NEED = "cin", "No section 47: continue as child in need"
        NO_FURTHER_ACTION = "nfa", "No further action"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="strategy_discussions")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="strategy_discussions"
    )
    concern_identified_on = models.DateField(
        help_text="When the concern of significant harm that called for the discussion arose."
    )
    held_on = models.DateField(db_index=True)
    held_at = models.TimeField(
        "time", null=True, blank=True, help_text="Blank for a discussion loaded from a return."
    )
    agencies_invited = models.JSONField(default=list, blank=True)
    agencies_present = models.JSONField(default=list, blank=True)
    chaired_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="strategy_chaired"
    )
    outcome = models.CharField(max_length=10, blank=True, choices=Outcome.choices)
    decisions = models.TextField(
        "decisions and reasons", blank=True, help_text="What was decided, why, and who does what."
    )

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = [a for a in self.agencies_present if a not in Agency.values]
        if unknown:
            raise ValidationError({"agencies_present": f"Unknown agencies: {', '.join(unknown)}"})


class Section47Enquiry(Recorded):
    class Outcome(models.TextChoices):
        CONFERENCE = "icpc", "Concerns substantiated: initial child protection conference"
        CHILD_IN_NEED = "cin", "Concerns substantiated, no continuing risk: child in need"
        NOT_SUBSTANTIATED = "unsubstantiated", "Concerns not substantiated"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="section_47_enquiries")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="section_47_enquiries"
    )
    strategy_discussion = models.OneToOneField(
        StrategyDiscussion, on_delete=models.PROTECT, related_name="section_47_enquiry"
    )
    started_on = models.DateField(db_index=True)
    lead_worker = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="section_47_enquiries_led",
        help_text="Blank only for an enquiry imported from a return, which does not name one.",
    )
    completed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, blank=True, choices=Outcome.choices)
    findings = models.TextField(blank=True, help_text="What the enquiry found.")

    class Meta:
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"


class ChildProtectionPlan(Recorded):
    class EndReason(models.TextChoices):
        NO_LONGER_AT_RISK = "no_longer_at_risk", "No longer at risk of significant harm"
        LOOKED_AFTER = "looked_after", "Became looked after"
        MOVED_AWAY = "moved_away", "Moved to another local authority"
        AGED_18 = "aged_18", "Reached 18"
        DIED = "died", "Died"
        OTHER = "other", "Other"

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="child_protection_plans"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="child_protection_plans"
    )
    initial_conference = models.OneToOneField(
        "Conference", on_delete=models.PROTECT, related_name="plan_started"
    )
    starts_on = models.DateField(db_index=True)
    ends_on = models.DateField(null=True, blank=True, db_index=True)
    end_reason = models.CharField(max_length=20, blank=True, choices=EndReason.choices)
    initial_category = models.CharField(max_length=3, choices=choices.category_of_abuse)
    latest_category = models.CharField(max_length=3, choices=choices.category_of_abuse)
    contingency = models.TextField(
        "contingency plan", blank=True, help_text="What happens if the plan is not working."
    )
    consequences_of_non_compliance = models.TextField(blank=True)
    previous_plans_recorded = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Earlier plans as a return gave them, where those plans are not in Harbour.",
    )

    def is_open_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)

    @property
    def sign_off_words(self) -> str:
        """A plan is not signed off by a manager: it is agreed at its initial conference."""
        conference = self.initial_conference
        chair = f", chaired by {conference.chair.name}" if conference.chair_id else ""
        held = f"{conference.held_on:%-d %B %Y}"
        return f"Agreed at the initial child protection conference on {held}{chair}"

    def outcomes_listed(self) -> list["PlanOutcome"]:
        """The plan's outcomes in order, each with its actions as `listed` (for a page)."""
        actions = list(self.actions.order_by("due_on", "pk"))
        outcomes = list(self.outcomes.order_by("pk"))
        for outcome in outcomes:
            outcome.listed = [a for a in actions if a.outcome_id == outcome.pk]
        return outcomes

    @property
    def category_words(self) -> str:
        return code_list("category_of_abuse").label(self.latest_category)

    @property
    def first_category_words(self) -> str:
        return code_list("category_of_abuse").label(self.initial_category)


class PlanOutcome(Recorded):
    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.PROTECT, related_name="outcomes")
    outcome = models.TextField(help_text="What must change for the child, in plain words.")


class PlanAction(Recorded):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"

    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.PROTECT, related_name="actions")
    outcome = models.ForeignKey(
        PlanOutcome, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    action = models.TextField()
    owner_name = models.CharField(max_length=200)
    owner_agency = models.CharField(max_length=20, choices=Agency.choices)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)


class Conference(Recorded):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial child protection conference"
        REVIEW = "review", "Review child protection conference"

    class Outcome(models.TextChoices):
        PLAN = "plan", "Child protection plan"
        NO_PLAN = "no_plan", "No child protection plan"
        CONTINUE = "continue", "Plan continues"
        END = "end", "Plan ends"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="conferences")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    section_47_enquiry = models.ForeignKey(
        Section47Enquiry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences",
        help_text="For an initial conference: the enquiry that called it.",
    )
    plan = models.ForeignKey(
        ChildProtectionPlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_conferences",
        help_text="For a review conference: the plan reviewed.",
    )
    held_on = models.DateField(db_index=True)
    reports_shared_with_parents_on = models.DateField(null=True, blank=True)
    child_attended = models.BooleanField(default=False)
    advocate_attended = models.BooleanField(default=False)
    child_views = models.TextField(
        "the child's views", blank=True, help_text="As the conference heard them."
    )
    no_participation_reason = models.TextField(
        "why the child did not take part",
        blank=True,
        help_text="Where the child neither attended nor had an advocate.",
    )
    chair = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="conferences_chaired"
    )
    outcome = models.CharField(max_length=10, blank=True, choices=Outcome.choices)
    category = models.CharField(
        "category of abuse", max_length=3, blank=True, choices=choices.category_of_abuse
    )
    decisions = models.TextField("decisions and reasons", blank=True)

    class Meta:
        ordering = ["held_on"]


class ConferenceAttendance(Recorded):
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="attendance")
    agency = models.CharField(max_length=20, choices=Agency.choices)
    invited = models.BooleanField(default=True)
    attended = models.BooleanField(default=False)
    report_provided = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "conference attendance"


class CoreGroupMeeting(Recorded):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="core_group_meetings")
    plan = models.ForeignKey(
        ChildProtectionPlan, on_delete=models.PROTECT, related_name="core_group_meetings"
    )
    held_on = models.DateField(db_index=True)
    agencies_present = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    actions_reviewed = models.JSONField(
        default=list,
        blank=True,
        help_text="The actions as the meeting found them: action id, status, note.",
    )

    class Meta:
        ordering = ["held_on"]
