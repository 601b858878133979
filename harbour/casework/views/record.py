"""The child's record: the place a worker lives.

A header that stays on screen (who the child is, their statuses, who holds them, the record's
actions), then the record's sections, each its own page so that each costs what it shows:
the overview (alerts and summary), the timeline, the chronology (views/chronology.py), family
and network, identity, and duties; and the page of each record the timeline opens. Every page
is in the audit log as a view of the child."""

from collections import OrderedDict
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from harbour.access import audit, scope
from harbour.access.decorators import requires
from harbour.access.models import AuditEvent
from harbour.casework import family as families
from harbour.casework.forms.record import TimelineFilterForm
from harbour.casework.recording import record_actions
from harbour.casework.status import statuses_for
from harbour.codes import code_list
from harbour.journey.selectors import KINDS, RECORDS, TimelinePages, record_of
from harbour.people.models import Child
from harbour.timescales.selectors import OPEN, child_duties
from harbour.workforce.models import Allocation

TIMELINE_PAGE = 25
MISSING_DAYS = 30
UPCOMING = ("overdue", "due_soon", "not_yet_due")

SECTIONS = (
    ("child", "Overview"),
    ("child-timeline", "Timeline"),
    ("child-chronology", "Chronology"),
    ("child-family", "Family and network"),
    ("child-identity", "Identity"),
    ("child-duties", "Duties"),
)


def known_child(request, reference, **kwargs):
    """The child, if this person may open their record or ask to: to anyone else a child
    Harbour holds answers exactly as one it does not (no existence oracle). A record merged
    into another answers as the record it was merged into (the page then redirects there)."""
    child = _kept(get_object_or_404(Child, reference=reference))
    if not scope.reachable(request.user, child):
        raise Http404
    return child


def _kept(child):
    if getattr(child, "merged_into_id", None) is None:
        return child
    from harbour.people.selectors import resolve_merged

    return resolve_merged(child)


def moved(request, child, reference):
    """For a merged record's address: a redirect to the same page of the record it was merged
    into (the viewer has already been found to know of that one)."""
    if child.reference == reference:
        return None
    match = request.resolver_match
    kwargs = {**match.kwargs, "reference": child.reference}
    kwargs.pop("obj", None)
    return redirect(reverse(match.view_name, kwargs=kwargs))


def viewed(request, child, page: str, obj=None) -> None:
    audit.record(
        AuditEvent.Action.VIEW,
        request=request,
        child=child,
        obj=obj if obj is not None else child,
        detail={"page": page},
    )


def plain(display: str, code) -> str:
    """A code list's choice in words: 'Female', not 'F: Female' (the code is for the returns)."""
    prefix = f"{code}: "
    return display[len(prefix) :] if display.startswith(prefix) else display


def age_words(child, on) -> str:
    """'aged 7', 'aged 8 months', 'aged 3 weeks', or 'unborn'."""
    age = child.age_on(on)
    if age is None:
        return "unborn"
    if age >= 2:
        return f"aged {age}"
    born = child.date_of_birth
    months = (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
    if months >= 1:
        return f"aged {months} month{'' if months == 1 else 's'}"
    weeks = (on - born).days // 7
    return f"aged {weeks} week{'' if weeks == 1 else 's'}"


def header(request, child, current: str, today=None) -> dict:
    """What every page of the record shows at its top."""
    today = today or timezone.localdate()
    allocations = list(
        Allocation.objects.filter(child=child)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)
        .select_related("worker", "team")
        .order_by("-starts_on")
    )
    user = request.user
    actions = []
    if user.has_perm("casework.open_record_menu", child):
        actions.append(("Record…", reverse("record-menu", args=[child.reference])))
    actions += [
        ("Family file", reverse("family-file", args=[child.reference])),
        ("Chronology (PDF)", reverse("child-chronology-pdf", args=[child.reference])),
    ]
    if user.has_perm("access.view_record_viewers", child):
        actions.append(
            ("Who has viewed this record", reverse("record-viewers", args=[child.reference]))
        )
    return {
        "child": child,
        "age": child.age_on(today),
        "age_words": age_words(child, today),
        "today": today,
        "statuses": statuses_for([child.pk], today)[child.pk],
        "allocations": allocations,
        "record_actions": actions,
        "sections": [
            (name, label, reverse(name, args=[child.reference]), name == current)
            for name, label in SECTIONS
        ],
        "current_section": dict(SECTIONS).get(current, ""),
    }


def _alerts(child, duties, today) -> list[dict]:
    from harbour.journey.models import (
        CaseSummary,
        ChildProtectionPlan,
        ChronologyEntry,
        MissingEpisode,
    )

    found = []
    overdue = [d for d in duties if d.status == "overdue"]
    if overdue:
        titles = ", ".join(OrderedDict.fromkeys(d.title for d in overdue))
        word = "duty" if len(overdue) == 1 else "duties"
        found.append(
            {
                "text": f"{len(overdue)} overdue {word}: {titles}",
                "href": reverse("child-duties", args=[child.reference]),
                "link": "See the duties",
            }
        )
    plans = ChildProtectionPlan.objects.filter(child=child, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    )
    for plan in plans:
        if not plan.contingency.strip():
            found.append(
                {
                    "text": f"The child protection plan (since {plan.starts_on:%-d %B %Y}) "
                    "has no contingency plan",
                    "href": reverse(
                        "child-record", args=[child.reference, "child-protection-plan", plan.pk]
                    ),
                    "link": "Open the plan",
                }
            )
    since = timezone.now() - timedelta(days=MISSING_DAYS)
    missing = (
        MissingEpisode.objects.filter(child=child, started_at__gte=since)
        .order_by("-started_at")
        .first()
    )
    if missing is not None:
        found.append(
            {
                "text": f"Missing on {timezone.localtime(missing.started_at):%-d %B %Y} "
                f"(within the last {MISSING_DAYS} days)",
                "href": reverse(
                    "child-record", args=[child.reference, "missing-episode", missing.pk]
                ),
                "link": "Open the missing episode",
            }
        )
    latest = ChronologyEntry.objects.filter(child=child, significant=True).aggregate(
        on=Max("occurred_on")
    )["on"]
    summary = CaseSummary.objects.filter(child=child).first()
    if latest and (summary is None or timezone.localtime(summary.updated_at).date() < latest):
        found.append(
            {
                "text": (
                    "There is no case summary"
                    if summary is None
                    else f"The case summary ({timezone.localtime(summary.updated_at):%-d %B %Y}) "
                    f"is older than the latest significant event ({latest:%-d %B %Y})"
                ),
                "href": reverse("child-chronology", args=[child.reference]),
                "link": "See the chronology",
            }
        )
    return found


def _summary(child, today) -> dict:
    from harbour.journey.models import (
        Assessment,
        CaseSummary,
        ChildInNeedPlan,
        ChildProtectionPlan,
        PlanAction,
        Visit,
    )

    open_on = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gt=today))
    cp_plan = (
        ChildProtectionPlan.objects.filter(open_on, child=child)
        .prefetch_related(
            "outcomes",
            Prefetch("actions", queryset=PlanAction.objects.order_by("due_on", "pk")),
        )
        .order_by("-starts_on")
        .first()
    )
    cin_plan = None
    if cp_plan is None:
        cin_plan = (
            ChildInNeedPlan.objects.filter(open_on, child=child).order_by("-starts_on").first()
        )
    assessment = (
        Assessment.objects.filter(child=child)
        .select_related("worker")
        .order_by("-completed_on", "-started_on", "-pk")
        .first()
    )
    visit = (
        Visit.objects.filter(child=child)
        .select_related("worker")
        .order_by("-visited_on", "-pk")
        .first()
    )
    abuse = code_list("category_of_abuse")
    return {
        "cp_category": abuse.label(cp_plan.latest_category) if cp_plan else "",
        "case_summary": CaseSummary.objects.filter(child=child).first(),
        "cp_plan": cp_plan,
        "cp_actions": list(cp_plan.actions.all()) if cp_plan else [],
        "cin_plan": cin_plan,
        "assessment": assessment,
        "visit": visit,
    }


@login_required
def child(request, reference):
    """The child's record: who they are, who holds them, what needs attention and where the
    work stands. Every view is in the audit log; outside the viewer's own work it opens only
    with a reason."""
    record = _kept(get_object_or_404(Child, reference=reference))
    if not scope.reachable(request.user, record):
        raise Http404  # answered as a child Harbour does not hold: restricted, or no way in
    if record.reference != reference:
        return redirect("child", record.reference)  # merged into this record
    if not request.user.has_perm("people.open_record", record):
        return redirect("open-with-reason", reference)
    audit.record(AuditEvent.Action.VIEW, request=request, child=record, obj=record)
    today = timezone.localdate()
    duties = child_duties(record.pk, today)
    return render(
        request,
        "casework/record.html",
        {
            **header(request, record, "child", today),
            "alerts": _alerts(record, duties, today),
            "due": [d for d in duties if d.status in OPEN],
            **_summary(record, today),
        },
    )


@requires("people.open_record", known_child)
def child_timeline(request, reference, obj):
    record = obj
    if response := moved(request, record, reference):
        return response
    viewed(request, record, "timeline")
    form = TimelineFilterForm(request.GET or None)
    kinds = form.kinds()
    events = TimelinePages([record.pk], kinds)
    counts = events.counts
    page = Paginator(events, TIMELINE_PAGE).get_page(form.page_number())
    return render(
        request,
        "casework/record/timeline.html",
        {
            **header(request, record, "child-timeline"),
            "form": form,
            "kind_options": [
                (k, label, counts[k], k in (kinds or ())) for k, label in KINDS.items()
            ],
            "page": page,
            "total": len(events),
            "filtered": bool(kinds),
            "page_query": urlencode([("kind", k) for k in kinds or ()]),
        },
    )


@requires("people.open_record", known_child)
def child_family(request, reference, obj):
    record = obj
    if response := moved(request, record, reference):
        return response
    viewed(request, record, "family and network")
    net = families.network(record)
    siblings = net.siblings
    ids = [s.child.pk for s in siblings]
    knowable = set(
        scope.knowable_children(request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    visible = set(scope.visible_children(request.user, among=ids).values_list("pk", flat=True))
    way_in = scope.way_in(request.user, record) is not None
    today = timezone.localdate()
    statuses = statuses_for(visible, today)
    shown = []
    for s in siblings:
        if s.child.pk not in knowable:
            continue  # a restricted brother or sister is not shown, not even by name
        shown.append(
            {
                "sibling": s,
                "age": s.child.age_on(today),
                "age_words": age_words(s.child, today),
                "link": s.child.pk in visible or way_in,
                "visible": s.child.pk in visible,
                "statuses": statuses.get(s.child.pk, []),
            }
        )
    return render(
        request,
        "casework/record/family.html",
        {**header(request, record, "child-family", today), "network": net, "siblings": shown},
    )


def _identity_gaps(record, today) -> list[str]:
    """What the returns need that the record does not hold, by the data quality checks."""
    import polars as pl

    from harbour.insight.quality.identity import identity

    frame = pl.DataFrame(
        [
            {
                "id": record.pk,
                "reference": record.reference,
                "forename": record.forename,
                "surname": record.surname,
                "date_of_birth": record.date_of_birth,
                "expected_date_of_birth": record.expected_date_of_birth,
                "sex": record.sex,
                "gender_identity": record.gender_identity,
                "ethnicity": record.ethnicity,
                "religion": record.religion,
                "first_language": record.first_language,
                "upn": record.upn,
                "upn_unknown": record.upn_unknown,
                "nhs_number": record.nhs_number,
                "date_of_death": record.date_of_death,
                "disability_recorded": record.disabilities.exists(),
            }
        ],
        schema={
            "id": pl.Int64,
            "reference": pl.String,
            "forename": pl.String,
            "surname": pl.String,
            "date_of_birth": pl.Date,
            "expected_date_of_birth": pl.Date,
            "sex": pl.String,
            "gender_identity": pl.String,
            "ethnicity": pl.String,
            "religion": pl.String,
            "first_language": pl.String,
            "upn": pl.String,
            "upn_unknown": pl.String,
            "nhs_number": pl.String,
            "date_of_death": pl.Date,
            "disability_recorded": pl.Boolean,
        },
    )
    return identity(frame, today)["what"].to_list()


@requires("people.open_record", known_child)
def child_identity(request, reference, obj):
    record = obj
    if response := moved(request, record, reference):
        return response
    viewed(request, record, "identity")
    today = timezone.localdate()
    disabilities = [plain(d.get_code_display(), d.code) for d in record.disabilities.all()]
    words = {
        name: plain(getattr(record, f"get_{name}_display")(), getattr(record, name))
        for name in ("sex", "gender_identity", "ethnicity", "religion", "first_language")
    }
    addresses = list(record.addresses.all()[:10])
    gaps = _identity_gaps(record, today)
    return render(
        request,
        "casework/record/identity.html",
        {
            **header(request, record, "child-identity", today),
            "disabilities": disabilities,
            "words": words,
            "upn_unknown": plain(record.get_upn_unknown_display(), record.upn_unknown),
            "addresses": addresses,
            "gaps": gaps,
        },
    )


# Each rule's scope, and the part of the child's journey its duties belong to.
_SCOPE_PARTS = {
    "child_protection_plan": "cp_plan",
    "conference": "cp_plan",
    "period_of_care": "care",
    "placement": "care",
    "child_in_need_plan": "cin_plan",
    "private_fostering": "other",
    "missing_episode": "missing",
    "contact": "front_door",
}


def _duty_groups(record, duties):
    """Duties grouped by the plan, period of care or episode they belong to (newest first),
    each with its open duties listed and the past ones counted by kind."""
    from harbour.care.models import PeriodOfCare
    from harbour.journey.models import ChildInNeedPlan, ChildProtectionPlan, Referral
    from harbour.timescales.rulebook import rulebook

    book = rulebook()
    spans = {
        "cp_plan": [
            (p.starts_on, p.ends_on, f"Child protection plan from {p.starts_on:%-d %B %Y}")
            for p in ChildProtectionPlan.objects.filter(child=record).order_by("-starts_on")
        ],
        "care": [
            (p.starts_on, p.ends_on, f"Looked after from {p.starts_on:%-d %B %Y}")
            for p in PeriodOfCare.objects.filter(child=record).order_by("-starts_on")
        ],
        "cin_plan": [
            (p.starts_on, p.ends_on, f"Child in need plan from {p.starts_on:%-d %B %Y}")
            for p in ChildInNeedPlan.objects.filter(child=record).order_by("-starts_on")
        ],
        "episode": [
            (r.received_on, r.closed_on, f"Child in need episode from {r.received_on:%-d %B %Y}")
            for r in Referral.objects.filter(child=record).order_by("-received_on")
        ],
    }
    groups: dict = {}

    def group_for(duty):
        part = _SCOPE_PARTS.get(book.latest(duty.rule).scope, "episode")
        for starts, ends, label in spans.get(part, []):
            if starts <= duty.trigger and (ends is None or duty.trigger <= ends):
                return (starts, label, ends is None)
        names = {
            "front_door": "The front door",
            "missing": "Missing episodes",
            "other": "Other duties",
        }
        return (None, names.get(part, "Other duties"), True)

    for duty in duties:
        key = group_for(duty)
        groups.setdefault(key, []).append(duty)
    result = []
    for (starts, label, current), items in groups.items():
        open_items = [d for d in items if d.status in UPCOMING]
        past: dict = {}
        for d in items:
            if d.status not in UPCOMING:
                past.setdefault(d.title, []).append(d)
        result.append(
            {
                "label": label,
                "current": current,
                "starts": starts,
                "open": open_items,
                "past": [
                    {
                        "title": title,
                        "duties": ds,
                        "late": sum(d.status == "done_late" for d in ds),
                        "on_time": sum(d.status == "done_on_time" for d in ds),
                        "not_needed": sum(d.status == "no_longer_needed" for d in ds),
                    }
                    for title, ds in past.items()
                ],
                "overdue": sum(d.status == "overdue" for d in items),
            }
        )
    result.sort(key=lambda g: (not g["open"], -(g["starts"].toordinal() if g["starts"] else 0)))
    return result


@requires("people.open_record", known_child)
def child_duties_page(request, reference, obj):
    record = obj
    if response := moved(request, record, reference):
        return response
    viewed(request, record, "duties")
    today = timezone.localdate()
    duties = child_duties(record.pk, today)
    return render(
        request,
        "casework/record/duties.html",
        {
            **header(request, record, "child-duties", today),
            "groups": _duty_groups(record, duties),
            "total": len(duties),
        },
    )


# Fields every record has that say nothing about the child's journey.
_HIDDEN_FIELDS = {"id", "child", "version", "history"}
_LINKED = {label: slug for slug, (label, _) in RECORDS.items()}


def _in_words(obj, field, reference):
    """A field's value as a reader would want it: (text, link or None)."""
    from harbour.journey.models import Agency

    value = getattr(obj, field.name)
    if field.many_to_one or field.one_to_one:
        if value is None:
            return "Not recorded", None
        slug = _LINKED.get(value._meta.label)
        link = reverse("child-record", args=[reference, slug, value.pk]) if slug else None
        if hasattr(value, "get_full_name"):
            return value.get_full_name() or value.get_username(), None
        text = getattr(value, "name", None) if value._meta.label == "workforce.Staff" else None
        return (text or _record_title(value)), link
    if value is None or value == "":
        return "Not recorded", None
    if field.choices:
        return plain(getattr(obj, f"get_{field.name}_display")(), value), None
    if isinstance(value, bool):
        return ("Yes" if value else "No"), None
    if field.get_internal_type() == "DateTimeField":
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}", None
    if field.get_internal_type() == "DateField":
        return f"{value.day} {value:%B %Y}", None
    if isinstance(value, list):
        if field.name == "agencies_present":
            agencies = dict(Agency.choices)
            value = [agencies.get(a, a) for a in value]
        return (", ".join(str(v) for v in value) or "None"), None
    return str(value), None


def _record_title(obj) -> str:
    for name in ("held_on", "started_on", "starts_on", "received_on", "visited_on", "done_on"):
        if hasattr(obj, name) and getattr(obj, name):
            day = getattr(obj, name)
            return f"{obj._meta.verbose_name.capitalize()} of {day.day} {day:%B %Y}"
    for name in ("received_at", "occurred_at", "started_at"):
        if getattr(obj, name, None):
            at = timezone.localtime(getattr(obj, name))
            return f"{obj._meta.verbose_name.capitalize()} of {at.day} {at:%B %Y}"
    return obj._meta.verbose_name.capitalize()


def _fields(obj, reference):
    rows = []
    who = {"created_by", "updated_by", "created_at", "updated_at"}
    for field in obj._meta.concrete_fields:
        if field.name in _HIDDEN_FIELDS or field.name in who:
            continue
        text, link = _in_words(obj, field, reference)
        label = str(field.verbose_name)
        rows.append(
            {
                "label": label[:1].upper() + label[1:],
                "text": text,
                "link": link,
                "help": field.help_text,
            }
        )
    return rows


def _related(obj):
    """The rows a record holds (a plan's outcomes and actions, a conference's attendance)."""
    from harbour.journey.models import ChildProtectionPlan, Conference

    if isinstance(obj, ChildProtectionPlan):
        return {
            "outcomes": list(obj.outcomes.all()),
            "actions": list(obj.actions.order_by("due_on", "pk")),
        }
    if isinstance(obj, Conference):
        return {"attendance": list(obj.attendance.all())}
    return {}


@requires("people.open_record", known_child)
def child_record(request, reference, kind, record_id, obj):
    record = obj
    if response := moved(request, record, reference):
        return response
    found = record_of(kind, record_id, record.pk)
    if found is None:
        raise Http404
    viewed(request, record, f"record: {kind}", obj=found)
    recorded_by = found.created_by
    return render(
        request,
        "casework/record/detail.html",
        {
            **header(request, record, "child-timeline"),
            "kind": kind,
            "heading": RECORDS[kind][1],
            "title": _record_title(found),
            "found": found,
            "rows": _fields(found, record.reference),
            "recorded_at": found.created_at,
            "recorded_by": (recorded_by.get_full_name() or recorded_by.get_username())
            if recorded_by
            else "",
            "updated_at": found.updated_at if found.version > 1 else None,
            "changes": record_actions(kind, found, record, request.user),
            **_related(found),
        },
    )
