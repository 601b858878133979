"""Forms of the steps recorded as the work goes on: a visit, a case note, a missing episode
and its return home interview, and the case summary. Each starts from what Harbour knows
(casework/steps/recording.py); the services (journey.services.recording, .missing) check
again and have the last word."""

from django.core.exceptions import ValidationError
from django.db.models import Q

from harbour.casework.forms.base import RecordingForm
from harbour.codes import choices as codes
from harbour.journey.models import MissingEpisode, Visit
from harbour.journey.services.recording import PRESENT_MAX, PURPOSE_MAX, REASON_MAX
from harbour.journey.services.text import when
from harbour.web.fields import (
    ChecksField,
    ChoiceField,
    ChooseField,
    DateField,
    TextAreaField,
    TextField,
    TimeField,
    YesNoField,
)
from harbour.workforce.models import Allocation, Staff

CHILD_VIEWS_MISSING = (
    "Enter the child's wishes and feelings, or what you saw of them if they are too young to say"
)
SEEN = [
    ("alone", "Yes, and seen alone"),
    ("not_alone", "Yes, but not alone"),
    ("no", "No, the child was not seen"),
]


def _plain(label: str) -> str:
    """A code list's label without its code: "M: Missing" -> "Missing"."""
    code, sep, words = str(label).partition(": ")
    return words if sep and len(code) <= 4 else str(label)


def starting_point(child, today):
    """What a new visit to the child starts from (journey.services.recording), worked out once
    a request: the step's initial answers and the form's choices both use it."""
    from harbour.journey.services.recording import visit_starting_point

    kept = getattr(child, "_visit_start", None)
    if kept is None or kept[0] != today:
        kept = (today, visit_starting_point(child, today))
        child._visit_start = kept
    return kept[1]


def workers_for(child, user, today):
    """Whom a visit may be recorded for: the person recording, their team, and whoever holds
    the child today (chosen, never typed)."""
    staff = getattr(user, "staff", None)
    holding = Allocation.objects.current_on(today).filter(child=child)
    wanted = Q(pk__in=holding.values("worker_id")) | Q(team_id__in=holding.values("team_id"))
    if staff is not None:
        wanted |= Q(pk=staff.pk) | Q(team_id=staff.team_id)
    current = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    return Staff.objects.filter(wanted).filter(current).order_by("surname", "forename")


class VisitForm(RecordingForm):
    kind = ChoiceField(
        "What kind of visit was it?",
        choices=Visit.Kind.choices,
        noun="the kind of visit",
        required="Select the kind of visit",
    )
    visited_on = DateField(
        "Date of the visit",
        noun="the date of the visit",
        required="Enter the date of the visit",
        past=True,
    )
    purpose = TextField(
        "Purpose of the visit",
        noun="the purpose of the visit",
        required="Enter the purpose of the visit",
        max_length=PURPOSE_MAX,
    )
    worker = ChooseField(
        "Who made the visit?",
        queryset=Staff.objects.none(),
        noun="the worker who made the visit",
        required="Select the worker who made the visit",
        hint="You, unless you are writing up a colleague's visit",
        select=True,
    )
    present = ChecksField(
        "Who was present?",
        choices=[],
        noun="who was present",
        hint="Those present last time are already ticked",
    )
    present_others = TextField(
        "Anyone else present (optional)",
        noun="anyone else present",
        hint="Names and who they are, separated by semicolons: for example, Sam Reed (uncle)",
        max_length=PRESENT_MAX,
    )
    seen = ChoiceField(
        "Was the child seen?",
        choices=SEEN,
        noun="whether the child was seen",
        required="Select whether the child was seen",
        reveals={"not_alone": "not_alone_reason", "no": "not_seen_reason"},
    )
    not_alone_reason = TextField(
        "Why was the child not seen alone?",
        noun="why the child was not seen alone",
        hint="Not needed for a baby or a young child",
        max_length=REASON_MAX,
    )
    not_seen_reason = TextField(
        "Why was the child not seen?",
        noun="why the child was not seen",
        required="Enter why the child was not seen",
        max_length=REASON_MAX,
    )
    child_views = TextAreaField(
        "The child's wishes and feelings",
        noun="the child's wishes and feelings",
        hint="In the child's own words where you can. For a baby or a child who does not talk "
        "yet, what you saw of them.",
    )
    observations = TextAreaField(
        "What you observed (optional)",
        noun="your observations",
        hint="The home, the people, how the child and the adults were with each other",
    )
    analysis = TextAreaField(
        "Your analysis (optional)",
        noun="your analysis",
        hint="What it means for the child: risks, what is better or worse, what happens next",
    )

    sections = [
        ("The visit", ["kind", "visited_on", "purpose", "worker", "present", "present_others"]),
        ("The child", ["seen", "child_views"]),
        ("What you found", ["observations", "analysis"]),
    ]

    def setup(self):
        from harbour.journey.services.recording import present_names

        if self.child is None or self.today is None:
            return
        start = starting_point(self.child, self.today)
        people = list(start.people)
        if self.record is not None:
            people = [*present_names(self.record.who_present), *people]
        if self.is_bound:
            posted = self.data.get(self.add_prefix("present"))
            if hasattr(self.data, "getlist"):
                posted = self.data.getlist(self.add_prefix("present"))
            people += [p for p in ([posted] if isinstance(posted, str) else posted or []) if p]
        unique = list(dict.fromkeys(people))
        self.fields["present"].choices = [(p, p) for p in unique]
        if not unique:
            self.fields["present"].help_text = "Type the names of those present below"
            self.fields["present_others"].label = "Who was present? (optional)"
        self.fields["worker"].queryset = workers_for(self.child, self.user, self.today)
        self.fields["kind"].hints = {
            str(kind): "The child's plan or care asks for this visit" for kind in start.kinds_open
        }

    def clean(self):
        data = super().clean()
        if (
            data.get("seen") in ("alone", "not_alone")
            and not data.get("child_views")
            and "child_views" not in self.errors
        ):
            self.add_error("child_views", CHILD_VIEWS_MISSING)
        return data

    def refused(self, error: ValidationError) -> None:
        """The service's reason for a child not seen (or not seen alone) against the question
        the person answered."""
        if hasattr(error, "error_dict") and "not_seen_alone_reason" in error.error_dict:
            chosen = self.data.get(self.add_prefix("seen"))
            target = "not_seen_reason" if chosen == "no" else "not_alone_reason"
            messages = error.message_dict
            reason = messages.pop("not_seen_alone_reason")
            for message in reason:
                self.add_error(target, message)
            error = ValidationError(messages) if messages else None
        if error is not None:
            super().refused(error)

    def service_answers(self) -> dict:
        data = self.cleaned_data
        seen = data.get("seen")
        names = list(data.get("present") or [])
        names += [n for n in (data.get("present_others") or "").split(";") if n.strip()]
        return {
            "kind": data.get("kind"),
            "visited_on": data.get("visited_on"),
            "purpose": data.get("purpose", ""),
            "child_seen": None if not seen else seen != "no",
            "seen_alone": None if not seen or seen == "no" else seen == "alone",
            "not_seen_alone_reason": (
                data.get("not_seen_reason")
                if seen == "no"
                else data.get("not_alone_reason")
                if seen == "not_alone"
                else ""
            )
            or "",
            "present": names,
            "child_views": data.get("child_views", ""),
            "observations": data.get("observations", ""),
            "analysis": data.get("analysis", ""),
            "worker": data.get("worker"),
        }


def seen_answer(visit: Visit) -> str:
    if not visit.child_seen:
        return "no"
    return "alone" if visit.seen_alone else "not_alone"


class CaseNoteForm(RecordingForm):
    occurred_on = DateField(
        "Date", noun="the date of the case note", required="Enter the date of the case note",
        past=True
    )  # fmt: skip
    at = TimeField("Time (optional)", noun="the time")
    subject = TextField(
        "Subject",
        noun="the subject",
        required="Enter the subject of the case note",
        hint="For example, phone call from school",
    )
    text = TextAreaField("Case note", noun="the case note", required="Enter the case note")

    service_names = {"occurred_at": "at"}


class MissingEpisodeForm(RecordingForm):
    kind = ChoiceField(
        "Was the child missing, or away without authorisation?",
        choices=[],
        noun="whether the child was missing or away",
        required="Select whether the child was missing or away without authorisation",
        hints={
            "M": "Not at their placement or home, and where they are is not known",
            "A": "Not where they should be, but where they are is known",
        },
    )
    started_on = DateField(
        "Date the child went missing",
        noun="the date the child went missing",
        required="Enter the date the child went missing",
        past=True,
    )
    started_time = TimeField(
        "Time the child went missing",
        noun="the time the child went missing",
        required="Enter the time the child went missing",
    )
    back = YesNoField(
        "Has the child come back?",
        noun="whether the child has come back",
        required="Select whether the child has come back",
        reveals={"yes": ["ended_on", "ended_time"]},
    )
    ended_on = DateField(
        "Date the child came back",
        noun="the date the child came back",
        required="Enter the date the child came back",
        past=True,
    )
    ended_time = TimeField(
        "Time the child came back",
        noun="the time the child came back",
        required="Enter the time the child came back",
    )
    reported_to_police = YesNoField(
        "Was the child reported missing to the police?",
        noun="whether the child was reported to the police",
        required="Select whether the child was reported missing to the police",
    )

    service_names = {"started_at": "started_on", "ended_at": "ended_on"}

    def setup(self):
        self.fields["kind"].choices = [(c, _plain(label)) for c, label in codes.missing_kind()]


def episode_label(episode: MissingEpisode) -> str:
    went = when(episode.started_at)
    if episode.ended_at is None:
        return f"Went missing {went}: not back yet"
    return f"Went missing {went}, came back {when(episode.ended_at)}"


class ReturnHomeInterviewForm(RecordingForm):
    episode = ChooseField(
        "Which episode was the interview about?",
        queryset=MissingEpisode.objects.none(),
        noun="the episode",
        required="Select the episode the interview was about",
    )
    # The versions of the episodes offered, as the person opened them: "id:version,...".
    opened = TextField("Opened", noun="the episodes opened", max_length=2_000)
    offered_on = DateField(
        "Date the interview was offered",
        noun="the date the interview was offered",
        required="Enter the date the interview was offered",
        past=True,
    )
    offered_time = TimeField(
        "Time it was offered",
        noun="the time the interview was offered",
        required="Enter the time the interview was offered",
    )
    outcome = ChoiceField(
        "Was the interview held?",
        choices=[
            ("held", "Yes, it was held"),
            ("declined", "No, the child declined it"),
            ("waiting", "Not yet: it is arranged"),
        ],
        noun="whether the interview was held",
        required="Select whether the interview was held",
        reveals={"held": ["held_on", "held_time", "interview_by"]},
    )
    held_on = DateField(
        "Date it was held",
        noun="the date the interview was held",
        required="Enter the date the interview was held",
        past=True,
    )
    held_time = TimeField(
        "Time it was held",
        noun="the time the interview was held",
        required="Enter the time the interview was held",
    )
    interview_by = TextField(
        "Who held the interview?",
        noun="who held the interview",
        required="Enter who held the interview",
        hint="Their name, and the service if it was not this authority's",
    )
    notes = TextAreaField(
        "What the child said (optional)",
        noun="the notes",
        hint="Why they went, where they were, who they were with, what would help",
    )

    service_names = {"offered_at": "offered_on", "held_at": "held_on", "declined": "outcome"}

    def setup(self):
        from django.forms import HiddenInput

        self.fields["opened"].widget = HiddenInput()
        if self.record is not None or self.child is None:
            del self.fields["episode"]
            return
        episodes = MissingEpisode.objects.filter(child=self.child).order_by("-started_at")
        field = self.fields["episode"]
        field.queryset = episodes
        field.label_from_instance = episode_label
        if not self.is_bound:
            self.initial.setdefault(
                "opened", ",".join(f"{e.pk}:{e.version}" for e in episodes[:50])
            )
            waiting = episodes.filter(
                ended_at__isnull=False,
                interview_held_at__isnull=True,
                interview_declined=False,
            ).first()
            if waiting is not None:
                self.initial.setdefault("episode", waiting.pk)

    def version_opened(self, episode: MissingEpisode) -> int:
        """The version of `episode` the person opened (the one now, if it was not offered)."""
        if self.record is not None:
            return self.cleaned_data.get("version") or episode.version
        for pair in (self.cleaned_data.get("opened") or "").split(","):
            pk, _, version = pair.partition(":")
            if pk.strip() == str(episode.pk) and version.strip().isdigit():
                return int(version)
        return episode.version


class CaseSummaryForm(RecordingForm):
    summary = TextAreaField(
        "Case summary",
        noun="the case summary",
        required="Enter the case summary",
        hint="Who the child is, why the service is involved, the risks and what is being done "
        "about them, and what happens next. Bring it up to date after each significant event.",
        rows=15,
    )
