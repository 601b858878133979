"""The steps of a child's journey that staff record, each a form and one service function.

A step is declared once (`register(Step(...))`, in `casework/steps/<area>.py`) and is then
reached from the child's record ("Record…"), from the duty it completes on a tray, and at
`/children/<ref>/record/<key>/` (or `.../<key>/<id>/` to change a record made before). The
one view (casework/views/steps.py) does the rest for every step alike: what Harbour already
knows filled in, the duty's timescale shown as information (never a gate), drafts kept as the
person types, bad answers shown in GOV.UK's error summary with what was typed kept, a stale
save refused, and the record's duties worked out again at once."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from pkgutil import iter_modules

from harbour.timescales.calendar import working_days

# The groups of the "Record…" menu, in order.
GROUPS = (
    "Front door",
    "Child protection",
    "Assessment and planning",
    "Visits and notes",
    "Missing from home or care",
    "Early help",
    "Closing",
)


@dataclass(frozen=True)
class Step:
    key: str  # in the URL: "visit"
    title: str  # the page's heading: "Record a visit"
    done: str  # the banner after saving: "Visit recorded"
    form: type  # a casework.forms.base.RecordingForm
    # save(form=, by=, child=, record=, request=) -> the saved record; calls one service
    # function with the form's cleaned data (a change passes form.cleaned_data["version"]).
    save: Callable
    group: str = "Visits and notes"
    perm: str = "casework.record_for_child"  # asked of the child
    # What Harbour already knows: initial(child=, record=, user=, today=) -> {field: value}.
    initial: Callable | None = None
    duties: tuple[str, ...] = ()  # timescale rules this step completes
    model: type | None = None  # the record a change opens (`.../<key>/<id>/`)
    template: str = "casework/steps/form.html"
    long: bool = False  # kept as a draft every few seconds as the person types
    print_template: str | None = None
    hint: str = ""  # under the menu's link: when this step is recorded
    # Offered in the menu for this child today (every step stays reachable by its address).
    offered: Callable[..., bool] | None = None
    change_title: str = ""  # the heading when changing a record: "Change the visit"
    extra: dict = field(default_factory=dict)

    def heading(self, record) -> str:
        return (self.change_title or f"Change: {self.title}") if record is not None else self.title


STEPS: dict[str, Step] = {}
_loaded = [False]


def register(step: Step) -> Step:
    if step.key in STEPS and STEPS[step.key] is not step:
        raise ValueError(f"Two steps are called {step.key!r}")
    if step.group not in GROUPS:
        raise ValueError(f"Step {step.key!r}: unknown group {step.group!r}")
    STEPS[step.key] = step
    return step


def steps() -> dict[str, Step]:
    """Every step, once each `casework/steps/<area>.py` has been imported."""
    if not _loaded[0]:
        from harbour.casework import steps as package

        for module in iter_modules(package.__path__):
            import_module(f"{package.__name__}.{module.name}")
        _loaded[0] = True
    return STEPS


def step_for_duty(rule: str) -> Step | None:
    """The step that completes a duty (a tray's duty links to it)."""
    for step in steps().values():
        if rule in step.duties:
            return step
    return None


def menu(child, user, today: date) -> list[tuple[str, list[Step]]]:
    """The steps this person may record for this child, by group, in the groups' order."""
    answers: dict[str, bool] = {}  # a few permissions serve every step: each asked once

    def may(perm: str) -> bool:
        if perm not in answers:
            answers[perm] = user.has_perm(perm, child)
        return answers[perm]

    allowed = [
        s
        for s in steps().values()
        if may(s.perm) and (s.offered is None or s.offered(child, today))
    ]
    return [
        (g, [s for s in allowed if s.group == g])
        for g in GROUPS
        if any(s.group == g for s in allowed)
    ]


@dataclass(frozen=True)
class DueHint:
    title: str
    due: date
    overdue: bool
    words: str  # "due by 14 March 2026, in 6 working days"


def due_words(due: date, today: date) -> tuple[str, bool]:
    """("due by 14 March 2026, in 6 working days", overdue?)."""
    n = working_days().count(today, due)
    unit = "working day" if abs(n) == 1 else "working days"
    when = f"{due.day} {due:%B %Y}"
    if due < today:
        return f"was due by {when}, {-n} {unit} ago", True
    if due == today:
        return f"due today, {when}", False
    return f"due by {when}, in {n} {unit}", False


def due_hints(step: Step, duties, today: date) -> list[DueHint]:
    """The open duties this step completes, as information on its form: "The initial child
    protection conference is due by 14 March 2026, in 6 working days"."""
    hints = []
    for duty in duties:
        if (
            duty.rule in step.duties
            and duty.completed is None
            and duty.status
            in (
                "overdue",
                "due_soon",
                "not_yet_due",
            )
        ):
            words, overdue = due_words(duty.due, today)
            hints.append(DueHint(duty.title, duty.due, overdue, words))
    return sorted(hints, key=lambda h: h.due)


def draft_title(url_name: str, kwargs: dict) -> str | None:
    """What a kept draft is of, for the tray: the step's title ("Record a visit")."""
    if url_name in ("record-step", "change-step"):
        step = steps().get(kwargs.get("step", ""))
        return step.heading(object() if url_name == "change-step" else None) if step else None
    return None


def record_actions(kind: str, record, child, user) -> list[tuple[str, str]]:
    """What the person may do with a record shown on the child's record: change it through
    its step, and print it."""
    from django.urls import reverse

    key = kind
    if kind == "conference":
        key = f"{getattr(record, 'kind', 'initial')}-conference"
    step = steps().get(key)
    if step is None or step.model is None or not isinstance(record, step.model):
        return []
    actions = []
    args = [child.reference, step.key, record.pk]
    if user.has_perm(step.perm, child):
        actions.append((step.change_title or "Change", reverse("change-step", args=args)))
    if step.print_template:
        actions.append(("Print", reverse("print-step", args=args)))
    return actions
