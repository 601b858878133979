"""The children (or staff) behind a figure: every number on a dashboard links here, and each
child here links to their record, which applies its own access rules."""

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Q, When
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from harbour.access import audit, scope
from harbour.access.decorators import requires
from harbour.access.models import AuditEvent
from harbour.insight.indicators.definitions import by_id
from harbour.insight.indicators.periods import Period
from harbour.insight.performance import AUTHORITY, Reading, Scope
from harbour.insight.views.limits import allowance, limited
from harbour.insight.views.picture import EARLIEST_START, check_day, day_field, shown, team_field
from harbour.workforce.models import Allocation, Staff, Team

PER_PAGE = 50
PARTS = {"numerator": "numerator", "denominator": "denominator"}


class BehindForm(forms.Form):
    as_of = day_field("Figures to", required=True)
    start = day_field("Period start", required=True)
    end = day_field("Period end", required=True)
    part = forms.ChoiceField(
        label="Part",
        choices=[(p, p) for p in PARTS],
        error_messages={
            "required": "Choose who to list: those counted or those counted out of",
            "invalid_choice": "Choose who to list: those counted or those counted out of",
        },
    )
    team = team_field()
    page = forms.IntegerField(
        label="Page",
        required=False,
        min_value=1,
        error_messages={
            "invalid": "Page must be a whole number",
            "min_value": "Page must be 1 or more",
        },
    )

    def clean(self):
        data = super().clean()
        as_of, start, end = data.get("as_of"), data.get("start"), data.get("end")
        try:
            check_day(as_of, "Figures to")
        except forms.ValidationError as error:
            self.add_error("as_of", error)
            as_of = None
        try:
            check_day(start, "Period start", earliest=EARLIEST_START)
        except forms.ValidationError as error:
            self.add_error("start", error)
            start = None
        if start and end and not start <= end <= (as_of or end):
            self.add_error("end", "The period must end on or after it starts, by figures to")
        return data


def _team(request, team: Team | None) -> Team | None:
    if team is None:
        if not request.user.has_perm("insight.view_service_dashboard"):
            raise PermissionDenied
        return None
    if not request.user.has_perm("insight.view_team_dashboard", team):
        raise PermissionDenied
    return team


def _holders(child_ids, on: date) -> dict[int, Allocation]:
    current = (
        Allocation.objects.filter(child_id__in=child_ids, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("worker", "team")
        .order_by("child_id", "-starts_on")
    )
    found: dict[int, Allocation] = {}
    for allocation in current:
        found.setdefault(allocation.child_id, allocation)
    return found


@requires("insight.view_partnership_dashboard")
@limited
def behind(request, indicator_id: str):
    definition = by_id().get(indicator_id)
    if definition is None:
        raise Http404
    form = BehindForm(request.GET)
    valid = form.is_valid()
    # Who may look is settled before what they asked for is checked.
    team = _team(request, form.cleaned_data.get("team") if "team" not in form.errors else None)
    if not valid:
        context = {"form": form, "definition": definition, "team": team}
        return render(request, "insight/children.html", context, status=400)
    data = form.cleaned_data
    scope_ = Scope(team.pk) if team else AUTHORITY
    period = Period(data["start"], data["end"], "custom")
    reading = Reading(data["as_of"], starting=allowance(request))
    found = reading.figure(definition, period, scope_).figure
    ids = found.numerator_ids if data["part"] == "numerator" else found.denominator_ids
    count = found.numerator if data["part"] == "numerator" else found.denominator
    context = {
        "form": form,
        "definition": definition,
        "team": team,
        "figure": found,
        "value": shown(found.value, definition.unit),
        "part": data["part"],
        "words": definition.numerator if data["part"] == "numerator" else definition.denominator,
        "count": count,
        "period": found.period,
        "as_of": data["as_of"],
        "missed_first": data["part"] == "denominator" and definition.unit == "percent",
    }
    if definition.about == "staff":
        people = Staff.objects.filter(pk__in=ids).select_related("team").order_by("surname")
        page = Paginator(people, PER_PAGE).get_page(data["page"])
        # A worker's tray opens for the worker, their manager and service managers.
        opens = {
            p.pk
            for p in page.object_list
            if request.user.has_perm("timescales.view_worker_work", p)
        }
        context |= {"page": page, "staff": True, "shown": len(ids), "hidden": 0, "opens": opens}
        return render(request, "insight/children.html", context)
    # Children whose records the person may not learn exist are counted, never named.
    knowable = scope.findable_children(request.user).filter(pk__in=ids)
    visible = set(scope.visible_children(request.user, among=ids).values_list("pk", flat=True))
    # Out of the denominator, those the numerator misses (children not seen in time...) first.
    missed_first = data["part"] == "denominator" and definition.unit == "percent"
    if missed_first:
        counted = Case(When(pk__in=found.numerator_ids, then=1), default=0)
        knowable = knowable.annotate(counted=counted)
    order = ("counted",) if missed_first else ()
    listed = knowable.order_by(*order, "surname", "forename", "reference")
    page = Paginator(listed, PER_PAGE).get_page(data["page"])
    holders = _holders([c.pk for c in page.object_list], timezone.localdate())
    rows = [
        {
            "child": c,
            "in_work": c.pk in visible,
            "allocation": holders.get(c.pk),
            "counted": getattr(c, "counted", None),
        }
        for c in page.object_list
    ]
    total = page.paginator.count
    # A list of named children is a view of each: the log says which were shown.
    audit.record(
        AuditEvent.Action.VIEW,
        request=request,
        detail={
            "indicator": definition.id,
            "part": data["part"],
            "children": [c.reference for c in page.object_list],
        },
    )
    context |= {
        "page": page,
        "rows": rows,
        "staff": False,
        "shown": total,
        "hidden": len(ids) - total,
    }
    return render(request, "insight/children.html", context)
