"""The forms of child protection: the strategy discussion, the section 47 enquiry, the initial
and review child protection conferences, the child protection plan and core group meetings.
People and records are chosen, never retyped; the category of abuse shows the Department's
list in words and keeps the codes. The rules are the services'
(harbour/journey/services/protection.py)."""

from django import forms
from django.db.models import Q

from harbour.access.roles import Role
from harbour.casework.forms.base import RecordingForm
from harbour.codes import code_list
from harbour.journey.models import (
    Agency,
    ChildProtectionPlan,
    Conference,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
)
from harbour.journey.protection_starts import open_referrals
from harbour.journey.services.protection import RETIRED_CATEGORIES, plan_errors
from harbour.web.fields import (
    ChecksField,
    ChoiceField,
    ChooseField,
    DateField,
    TextAreaField,
    TextField,
    TimeField,
)
from harbour.workforce.models import Allocation, Staff

AGENCIES = Agency.choices
CATEGORIES = [
    (code, words)
    for code, words in code_list("category_of_abuse").codes.items()
    if code not in RETIRED_CATEGORIES
]
PRACTITIONERS = (
    Role.SOCIAL_WORKER,
    Role.SENIOR_PRACTITIONER,
    Role.TEAM_MANAGER,
    Role.FAMILY_SUPPORT_WORKER,
)
CHAIRS = (Role.CONFERENCE_CHAIR, Role.IRO, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)


def on_day(day) -> str:
    return f"{day.day} {day:%B %Y}"


def staff_words(staff: Staff) -> str:
    return f"{staff.name}, {staff.team.name}" if staff.team_id else staff.name


def current_staff(today, roles):
    return (
        Staff.objects.filter(role__in=roles, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("team")
        .order_by("team__name", "surname", "forename")
    )


def _choose_staff(field, queryset, blank: str):
    """A person chosen from a list that starts blank (no one is chosen by accident)."""
    field.queryset = queryset
    field.label_from_instance = staff_words
    field.empty_label = blank


def _near(child, user, today, roles):
    """Staff of the teams holding the child and of the person's own team (a short list)."""
    teams = set(
        Allocation.objects.current_on(today).filter(child=child).values_list("team_id", flat=True)
    )
    staff = getattr(user, "staff", None)
    if staff is not None:
        teams.add(staff.team_id)
    found = current_staff(today, roles)
    return found.filter(team_id__in=teams) if teams else found


def discussion_words(d: StrategyDiscussion) -> str:
    decided = d.get_outcome_display().lower() if d.outcome else "decision not recorded"
    return f"Strategy discussion of {on_day(d.held_on)} ({decided})"


def enquiry_words(e: Section47Enquiry) -> str:
    return f"Section 47 enquiry started {on_day(e.started_on)}"


def plan_words(p: ChildProtectionPlan) -> str:
    category = code_list("category_of_abuse").label(p.latest_category)
    return f"Child protection plan from {on_day(p.starts_on)} ({category.lower()})"


def conference_words(c: Conference) -> str:
    category = code_list("category_of_abuse").label(c.category) if c.category else ""
    return f"Initial conference of {on_day(c.held_on)}" + (
        f" ({category.lower()})" if category else ""
    )


def open_plans(child, today):
    return ChildProtectionPlan.objects.filter(child=child, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


# ----- strategy discussion --------------------------------------------------------------------


class StrategyDiscussionForm(RecordingForm):
    sections = [
        ("The discussion", ["referral", "held_on", "held_at", "concern_identified_on"]),
        ("Who took part", ["agencies_invited", "agencies_present", "chaired_by"]),
        ("What was decided", ["outcome", "decisions"]),
    ]
    referral = ChooseField(
        "Which referral is it about?",
        queryset=StrategyDiscussion.objects.none(),
        noun="the referral",
        required="Select the referral the strategy discussion is about",
    )
    held_on = DateField(
        "Date of the strategy discussion",
        noun="the date of the strategy discussion",
        required="Enter the date of the strategy discussion",
        past=True,
    )
    held_at = TimeField(
        "Time it started",
        noun="the time of the strategy discussion",
        required="Enter the time of the strategy discussion",
    )
    concern_identified_on = DateField(
        "When did the concern of significant harm arise? (optional)",
        noun="the date the concern arose",
        hint="Leave blank if it arose when the contact came. For example, 27 3 2026",
        past=True,
    )
    agencies_invited = ChecksField(
        "Which agencies were invited?",
        choices=AGENCIES,
        noun="the agencies invited",
        hint="Select all that apply. An agency that took part counts as invited",
    )
    agencies_present = ChecksField(
        "Which agencies took part?",
        choices=AGENCIES,
        noun="the agencies that took part",
        required="Select who took part",
        hint="Select all that apply",
    )
    chaired_by = ChooseField(
        "Who chaired it?",
        queryset=Staff.objects.none(),
        noun="who chaired the strategy discussion",
        required="Select who chaired the strategy discussion",
        select=True,
    )
    outcome = ChoiceField(
        "What did the strategy discussion decide?",
        choices=StrategyDiscussion.Outcome.choices,
        noun="what the strategy discussion decided",
        required="Select what the strategy discussion decided",
    )
    decisions = TextAreaField(
        "Decisions and reasons",
        noun="the decisions and reasons",
        required="Enter the decisions and the reasons for them",
        hint="What was decided, why, and who does what by when",
    )

    def setup(self):
        field = self.fields["referral"]
        if self.record is not None:
            field.queryset = Referral.objects.filter(pk=self.record.referral_id)
        else:
            ids = [r.pk for r in open_referrals(self.child, self.today)]
            field.queryset = Referral.objects.filter(pk__in=ids).order_by("-received_on")
        field.label_from_instance = _referral_words
        roles = (*PRACTITIONERS, Role.SERVICE_MANAGER)
        _choose_staff(
            self.fields["chaired_by"],
            _near(self.child, self.user, self.today, roles),
            "Select who chaired it",
        )


def _referral_words(referral) -> str:
    source = code_list("referral_source").label(referral.source)
    return f"Referral of {on_day(referral.received_on)} from {source}"


# ----- section 47 enquiry ---------------------------------------------------------------------


class Section47EnquiryForm(RecordingForm):
    strategy_discussion = ChooseField(
        "Which strategy discussion started it?",
        queryset=StrategyDiscussion.objects.none(),
        noun="the strategy discussion",
        required="Select the strategy discussion that started the enquiry",
    )
    started_on = DateField(
        "Date the enquiry started",
        noun="the date the section 47 enquiry started",
        hint="Usually the day of the strategy discussion. For example, 27 3 2026",
        past=True,
    )
    lead_worker = ChooseField(
        "Who leads the enquiry?",
        queryset=Staff.objects.none(),
        noun="the lead worker",
        required="Select the social worker leading the section 47 enquiry",
        hint="A section 47 enquiry must be led by a qualified social worker registered with "
        "Social Work England",
        select=True,
    )
    completed_on = DateField(
        "Date the enquiry was completed (optional)",
        noun="the date the section 47 enquiry was completed",
        hint="Leave blank while the enquiry goes on. For example, 27 3 2026",
        past=True,
    )
    outcome = ChoiceField(
        "Outcome (when completed)",
        choices=[("", "Not completed yet"), *Section47Enquiry.Outcome.choices],
        noun="the outcome of the section 47 enquiry",
    )
    findings = TextAreaField(
        "What did the enquiry find? (when completed)", noun="what the enquiry found"
    )

    def setup(self):
        field = self.fields["strategy_discussion"]
        if self.record is not None:
            del self.fields["strategy_discussion"]
            self.fields["started_on"].required = True
            self.fields["started_on"].error_messages["required"] = (
                "Enter the date the section 47 enquiry started"
            )
        else:
            for name in ("completed_on", "outcome", "findings"):
                del self.fields[name]
            field.queryset = StrategyDiscussion.objects.filter(
                child=self.child, section_47_enquiry__isnull=True
            ).order_by("-held_on")
            field.label_from_instance = discussion_words
        _choose_staff(
            self.fields["lead_worker"],
            _near(self.child, self.user, self.today, PRACTITIONERS),
            "Select the lead worker",
        )


# ----- conferences ----------------------------------------------------------------------------

PARTICIPATION = [
    ("attended", "The child attended"),
    ("advocate", "An advocate spoke for the child"),
    ("both", "The child attended with an advocate"),
    ("neither", "Neither"),
]
PARTICIPATED = {"attended": (True, False), "advocate": (False, True), "both": (True, True)}


def participation_of(conference: Conference) -> str:
    return {(True, False): "attended", (False, True): "advocate", (True, True): "both"}.get(
        (conference.child_attended, conference.advocate_attended), "neither"
    )


class ConferenceForm(RecordingForm):
    """The answers both conferences share; each kind adds what it acts on (the field named
    `acts_on`, its choices from `choices_acted_on`) and its decision."""

    acts_on = ""
    ATTENDANCE = (("invited", "invited"), ("attended", "attended"), ("reports", "sent a report"))

    held_on = DateField(
        "Date of the conference",
        noun="the date of the conference",
        required="Enter the date of the conference",
        past=True,
    )
    reports_shared_with_parents_on = DateField(
        "When were the reports shared with the parents? (optional)",
        noun="the date the reports were shared with the parents",
        past=True,
    )
    invited = ChecksField(
        "Which agencies were invited?",
        choices=AGENCIES,
        noun="the agencies invited",
        required="Select the agencies invited to the conference",
        hint="Select all that apply",
    )
    attended = ChecksField(
        "Which agencies attended?", choices=AGENCIES, noun="the agencies that attended"
    )
    reports = ChecksField(
        "Which agencies sent a report?", choices=AGENCIES, noun="the agencies that sent a report"
    )
    participation = ChoiceField(
        "How did the child take part?",
        choices=PARTICIPATION,
        noun="how the child took part",
        required="Select how the child took part",
        reveals={"neither": "no_participation_reason"},
    )
    no_participation_reason = TextAreaField(
        "Why did the child not take part, and have no advocate?",
        noun="why the child did not take part",
        required="Enter why the child did not take part and had no advocate",
        rows=3,
    )
    child_views = TextAreaField(
        "The child's views (optional)",
        noun="the child's views",
        hint="As the conference heard them: in person, through an advocate, in writing or drawing",
    )
    chair = ChooseField(
        "Who chaired the conference?",
        queryset=Staff.objects.none(),
        noun="who chaired the conference",
        required="Select who chaired the conference",
        select=True,
    )
    decisions = TextAreaField(
        "Decisions and reasons",
        noun="the conference's decisions and reasons",
        required="Enter the conference's decisions and the reasons for them",
    )
    category = ChoiceField(
        "Category of abuse",
        choices=CATEGORIES,
        noun="the category of abuse",
        required="Select the category of abuse",
    )

    def setup(self):
        _choose_staff(
            self.fields["chair"], current_staff(self.today, CHAIRS), "Select who chaired it"
        )
        if self.record is not None:
            # A change keeps what the conference acted on and its decision (the plan follows).
            for name in (self.acts_on, "outcome", "category", "end_reason"):
                self.fields.pop(name, None)
                self._revealed.pop(name, None)
            self.sections = [
                (h, [n for n in names if n in self.fields]) for h, names in self.sections
            ]
        else:
            field = self.fields[self.acts_on]
            field.queryset, field.label_from_instance = self.choices_acted_on()

    def attendance_rows(self) -> list[dict]:
        """The agencies as rows of three checkboxes (invited, attended, sent a report), for a
        table; each box named and numbered as its list's field would be."""
        chosen = {name: {str(v) for v in (self[name].value() or [])} for name, _ in self.ATTENDANCE}
        rows = []
        for index, (value, label) in enumerate(AGENCIES):
            boxes = [
                {
                    "id": f"{self[name].auto_id}_{index}",
                    "name": self[name].html_name,
                    "checked": value in chosen[name],
                    "words": f"{label} {words}",
                }
                for name, words in self.ATTENDANCE
            ]
            rows.append({"value": value, "label": label, "boxes": boxes})
        return rows

    def attendance_errors(self) -> list[str]:
        return [e for name, _ in self.ATTENDANCE for e in self[name].errors]


def conference_answers(data: dict) -> dict:
    """The form's answers as the services take them."""
    invited, attended, reports = (
        set(data.get(n) or []) for n in ("invited", "attended", "reports")
    )
    child_attended, advocate = PARTICIPATED.get(data.get("participation"), (False, False))
    return {
        "held_on": data.get("held_on"),
        "reports_shared_with_parents_on": data.get("reports_shared_with_parents_on"),
        "attendance": [
            {
                "agency": agency,
                "invited": agency in invited,
                "attended": agency in attended,
                "report_provided": agency in reports,
            }
            for agency, _ in AGENCIES
            if agency in invited | attended | reports
        ],
        "child_attended": child_attended,
        "advocate_attended": advocate,
        "no_participation_reason": data.get("no_participation_reason") or "",
        "child_views": data.get("child_views") or "",
        "chair": data.get("chair"),
        "decisions": data.get("decisions") or "",
    }


def attendance_initial(rows) -> dict:
    """A conference's (or a starting point's) attendance rows as the form's three lists."""
    rows = [r if isinstance(r, dict) else r.__dict__ for r in rows]
    return {
        "invited": [r["agency"] for r in rows if r.get("invited")],
        "attended": [r["agency"] for r in rows if r.get("attended")],
        "reports": [r["agency"] for r in rows if r.get("report_provided")],
    }


def conference_sections(acts_on: str) -> list:
    return [
        ("The conference", [acts_on, "held_on", "reports_shared_with_parents_on"]),
        ("Who was there", ["chair"]),  # the agencies in a table above (the step's template)
        ("The child", ["participation", "child_views"]),
        ("The decision", ["outcome", "decisions"]),
    ]


class InitialConferenceForm(ConferenceForm):
    sections = conference_sections("section_47_enquiry")
    section_47_enquiry = ChooseField(
        "Which section 47 enquiry called it?",
        queryset=Section47Enquiry.objects.none(),
        noun="the section 47 enquiry",
        required="Select the section 47 enquiry that called the conference",
    )
    outcome = ChoiceField(
        "Is the child to have a child protection plan?",
        choices=[
            (Conference.Outcome.PLAN, "Yes, a child protection plan"),
            (Conference.Outcome.NO_PLAN, "No child protection plan"),
        ],  # fmt: skip
        noun="the conference's decision",
        required="Select whether the child is to have a child protection plan",
        reveals={Conference.Outcome.PLAN: "category"},
    )

    acts_on = "section_47_enquiry"

    def choices_acted_on(self):
        found = (
            Section47Enquiry.objects.filter(child=self.child)
            .exclude(conferences__kind=Conference.Kind.INITIAL)
            .order_by("-started_on")
        )
        return found, enquiry_words


class ReviewConferenceForm(ConferenceForm):
    sections = conference_sections("plan")
    plan = ChooseField(
        "Which plan was reviewed?",
        queryset=ChildProtectionPlan.objects.none(),
        noun="the plan",
        required="Select the plan the conference reviewed",
    )
    outcome = ChoiceField(
        "Does the plan continue?",
        choices=[
            (Conference.Outcome.CONTINUE, "Yes, the plan continues"),
            (Conference.Outcome.END, "No, the plan ends"),
        ],  # fmt: skip
        noun="the conference's decision",
        required="Select whether the plan continues or ends",
        reveals={Conference.Outcome.CONTINUE: "category", Conference.Outcome.END: "end_reason"},
    )
    end_reason = ChoiceField(
        "Why does the plan end?",
        choices=ChildProtectionPlan.EndReason.choices,
        noun="why the plan ends",
        required="Select why the plan ends",
    )

    acts_on = "plan"

    def choices_acted_on(self):
        return open_plans(self.child, self.today).order_by("-starts_on"), plan_words


# ----- the child protection plan --------------------------------------------------------------

OUTCOME_SLOTS = 3
ACTION_SLOTS = 2


class ChildProtectionPlanForm(RecordingForm):
    """The plan's outcomes, each with its actions, in a fixed number of rows (blank rows are
    left out; a plan that needs more rows is saved and changed again, which adds a row)."""

    conference = ChooseField(
        "Which conference made the plan?",
        queryset=Conference.objects.none(),
        noun="the conference",
        required="Select the initial conference that decided on the plan",
    )
    # Required, as the service says (the form asks it in clean, with the outcomes' rows, so
    # every problem shows at once).
    contingency = TextAreaField(
        "Contingency plan",
        noun="the contingency plan",
        hint="What happens if the plan is not working",
    )
    consequences_of_non_compliance = TextAreaField(
        "Consequences if the plan is not followed",
        noun="the consequences if the plan is not followed",
    )

    def setup(self):
        if self.record is not None:
            del self.fields["conference"]
            outcomes = list(self.record.outcomes.order_by("pk"))
            actions = list(self.record.actions.order_by("pk"))
            self.outcome_slots = max(OUTCOME_SLOTS, len(outcomes) + 1)
            self.action_slots = max(
                [ACTION_SLOTS] + [sum(a.outcome_id == o.pk for a in actions) + 1 for o in outcomes]
            )
        else:
            self.outcome_slots, self.action_slots = OUTCOME_SLOTS, ACTION_SLOTS
            field = self.fields["conference"]
            field.queryset = Conference.objects.filter(
                child=self.child,
                kind=Conference.Kind.INITIAL,
                outcome=Conference.Outcome.PLAN,
                plan_started__isnull=True,
            ).order_by("-held_on")
            field.label_from_instance = conference_words
        for i in range(1, self.outcome_slots + 1):
            self.fields[f"outcome_{i}_id"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False
            )
            self.fields[f"outcome_{i}"] = TextAreaField(
                f"Outcome {i}" + (" (optional)" if i > 1 else ""),
                noun=f"outcome {i}",
                hint="What must change for the child, in plain words" if i == 1 else "",
                rows=2,
            )
            for j in range(1, self.action_slots + 1):
                p = f"action_{i}_{j}"
                self.fields[f"{p}_id"] = forms.IntegerField(
                    widget=forms.HiddenInput, required=False
                )
                self.fields[p] = TextAreaField("What is to be done", noun=f"action {j}", rows=2)
                self.fields[f"{p}_owner"] = TextField(
                    "Who will do it", noun="who will do it", hint="Their name or role"
                )
                self.fields[f"{p}_agency"] = ChoiceField(
                    "Their agency",
                    choices=[("", "Select the agency"), *AGENCIES],
                    noun="the agency",
                    select=True,
                )
                self.fields[f"{p}_due"] = DateField("Due by", noun="the date it is due by")

    def clean(self):
        data = super().clean()
        rows, names = self.outcomes()
        found = plan_errors(
            outcomes=rows,
            contingency=data.get("contingency") or "",
            consequences_of_non_compliance=data.get("consequences_of_non_compliance") or "",
        )
        for name, message in found.items():
            name = names.get(name, name)
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data

    def outcome_groups(self) -> list[dict]:
        """Each outcome's bound fields and its actions', for the template."""
        groups = []
        for i in range(1, self.outcome_slots + 1):
            actions = []
            for j in range(1, self.action_slots + 1):
                p = f"action_{i}_{j}"
                actions.append(
                    {
                        "number": j,
                        "id": self[f"{p}_id"],
                        "fields": [
                            self[p],
                            self[f"{p}_owner"],
                            self[f"{p}_agency"],
                            self[f"{p}_due"],
                        ],  # fmt: skip
                    }
                )
            groups.append(
                {
                    "number": i,
                    "id": self[f"outcome_{i}_id"],
                    "outcome": self[f"outcome_{i}"],
                    "actions": actions,
                }
            )
        return groups

    def outcomes(self) -> tuple[list[dict], dict]:
        """The rows typed (blank ones left out), as the services take them, and where each
        service name points on this form."""
        data, rows, names = self.cleaned_data, [], {}
        for i in range(1, self.outcome_slots + 1):
            actions = []
            n = len(rows)
            for j in range(1, self.action_slots + 1):
                p = f"action_{i}_{j}"
                typed = [data.get(p), data.get(f"{p}_owner"), data.get(f"{p}_agency"),
                         data.get(f"{p}_due")]  # fmt: skip
                if not any(typed):
                    continue
                m = len(actions)
                for part, suffix in (("action", ""), ("owner_name", "_owner"),
                                     ("owner_agency", "_agency"), ("due_on", "_due")):  # fmt: skip
                    names[f"outcomes-{n}-actions-{m}-{part}"] = f"{p}{suffix}"
                actions.append(
                    {
                        "id": data.get(f"{p}_id"),
                        "action": typed[0] or "",
                        "owner_name": typed[1] or "",
                        "owner_agency": typed[2] or "",
                        "due_on": typed[3],
                    }
                )
            text = data.get(f"outcome_{i}") or ""
            if not text and not actions:
                continue
            names[f"outcomes-{n}-outcome"] = f"outcome_{i}"
            names[f"outcomes-{n}-actions"] = f"action_{i}_1"
            rows.append({"id": data.get(f"outcome_{i}_id"), "outcome": text, "actions": actions})
        names["outcomes"] = "outcome_1"
        return rows, names


def plan_initial(plan: ChildProtectionPlan) -> dict:
    initial = {
        "contingency": plan.contingency,
        "consequences_of_non_compliance": plan.consequences_of_non_compliance,
    }
    actions = list(plan.actions.order_by("pk"))
    for i, outcome in enumerate(plan.outcomes.order_by("pk"), start=1):
        initial[f"outcome_{i}_id"] = outcome.pk
        initial[f"outcome_{i}"] = outcome.outcome
        for j, action in enumerate((a for a in actions if a.outcome_id == outcome.pk), start=1):
            p = f"action_{i}_{j}"
            initial.update(
                {
                    f"{p}_id": action.pk,
                    p: action.action,
                    f"{p}_owner": action.owner_name,
                    f"{p}_agency": action.owner_agency,
                    f"{p}_due": action.due_on,
                }
            )
    return initial


# ----- core group -----------------------------------------------------------------------------


class CoreGroupForm(RecordingForm):
    plan = ChooseField(
        "Which plan is the core group for?",
        queryset=ChildProtectionPlan.objects.none(),
        noun="the plan",
        required="Select the plan the core group met about",
    )
    held_on = DateField(
        "Date of the meeting",
        noun="the date of the core group meeting",
        required="Enter the date of the core group meeting",
        past=True,
    )
    agencies_present = ChecksField(
        "Which agencies were present?",
        choices=AGENCIES,
        noun="the agencies present",
        required="Select the agencies present",
        hint="Select all that apply",
    )
    notes = TextAreaField(
        "What was discussed and agreed",
        noun="what the core group discussed",
        required="Enter what the core group discussed and agreed",
    )

    def setup(self):
        field = self.fields["plan"]
        if self.record is not None:
            plan = self.record.plan
            del self.fields["plan"]
        else:
            field.queryset = open_plans(self.child, self.today).order_by("-starts_on")
            field.label_from_instance = plan_words
            plan = field.queryset.first()
        self.actions = list(plan.actions.order_by("outcome_id", "due_on", "pk")) if plan else []
        sections = [("The meeting", [n for n in ("plan", "held_on", "agencies_present", "notes")
                                     if n in self.fields])]  # fmt: skip
        reviewed = []
        for n, action in enumerate(self.actions, start=1):
            self.fields[f"status_{action.pk}"] = ChoiceField(
                f"Action {n}: {action.action[:200]}",
                choices=action.Status.choices,
                noun="how far the action has got",
                hint=f"{action.owner_name} ({action.get_owner_agency_display()}), due by "
                f"{on_day(action.due_on)}",
                inline=True,
            )
            self.fields[f"note_{action.pk}"] = TextField(
                f"Note on action {n} (optional)", noun=f"the note on action {n}", max_length=2000
            )
            reviewed += [f"status_{action.pk}", f"note_{action.pk}"]
        if reviewed:
            sections.append(("The plan's actions", reviewed))
        self.sections = sections

    def reviewed(self) -> tuple[list[dict], dict]:
        data, rows, names = self.cleaned_data, [], {}
        for action in self.actions:
            status = data.get(f"status_{action.pk}")
            note = data.get(f"note_{action.pk}") or ""
            if not status and not note:
                continue
            names[f"actions-{len(rows)}-status"] = f"status_{action.pk}"
            names[f"actions-{len(rows)}-note"] = f"note_{action.pk}"
            rows.append({"action": action.pk, "status": status or action.status, "note": note})
        return rows, names
