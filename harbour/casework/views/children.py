"""Adding a child (only after seeing the children Harbour may already hold), and a team
manager's merge of two records of one child. Views stay thin: the people services write."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from harbour.access import audit, scope
from harbour.access.decorators import requires
from harbour.access.models import AuditEvent
from harbour.casework.forms.children import (
    ChildDetailsForm,
    ChooseForm,
    MergeConfirmForm,
    MergeForm,
)
from harbour.casework.status import statuses_for
from harbour.casework.views.search import Row, gender_of
from harbour.people import services
from harbour.people.matching import likely_matches
from harbour.people.models import Child
from harbour.people.selectors import details_for

MATCHES_SHOWN = 10


def _rows(user, matches, today) -> list[Row]:
    children = [m.child for m in matches]
    ids = [c.pk for c in children]
    mine = set(scope.visible_children(user, among=ids).values_list("pk", flat=True))
    details = details_for(children, today)
    statuses = statuses_for(ids, today) if ids else {}
    return [
        Row(
            child=m.child,
            mine=m.child.pk in mine,
            score=m.score,
            reasons=m.reasons,
            age=m.child.age_on(today),
            address=details[m.child.pk].address,
            worker=details[m.child.pk].worker,
            team=details[m.child.pk].team,
            statuses=statuses.get(m.child.pk, []),
        )
        for m in matches
    ]


@requires("people.add_child")
def add_child(request):
    """Step 1: who the child is. Step 2: "Is it one of these children?" (the likely matches
    among those the person may find). Only then: a new record."""
    step = request.POST.get("step", "") if request.method == "POST" else ""
    form = ChildDetailsForm(request.POST if step else None)
    if not step or not form.is_valid():
        return render(request, "casework/children/add.html", {"form": form})
    today = timezone.localdate()
    asked = form.service_arguments()
    matches = likely_matches(
        forename=asked["forename"],
        surname=asked["surname"],
        date_of_birth=asked["date_of_birth"] or asked["expected_date_of_birth"],
        postcode=asked["postcode"],
        among=scope.findable_children(request.user),
        limit=MATCHES_SHOWN,
    )
    choose = ChooseForm(request.POST if step == "choose" else None)
    if step == "choose" and choose.is_valid():
        chosen = choose.cleaned_data["choice"]
        if chosen != ChooseForm.NEW:
            offered = {m.child.reference: m.child for m in matches}
            if chosen in offered:
                return redirect("child", offered[chosen].reference)
            choose.add_error("choice", "Select the child, or that they are not one of these")
        else:
            try:
                child = services.create_child(by=request.user, **asked)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    target = "born_day" if "birth" in field else field
                    form.add_error(target if target in form.fields else None, messages)
                return render(request, "casework/children/add.html", {"form": form})
            return render(request, "casework/children/added.html", {"child": child, "asked": asked})
    audit.record(
        AuditEvent.Action.SEARCH,
        request=request,
        detail={
            "query": f"{asked['forename']} {asked['surname']}"[:100],
            "results": len(matches),
            "page": "add a child: likely matches",
            **audit.listed_children(m.child.pk for m in matches),
        },
    )
    return render(
        request,
        "casework/children/matches.html",
        {
            "form": form,
            "choose": choose,
            "asked": asked,
            "rows": _rows(request.user, matches, today),
            "today": today,
        },
    )


def _findable(user, reference) -> Child:
    """A record the manager may find, not merged; anything else is answered as not held."""
    child = (
        scope.findable_children(user).filter(reference=reference, merged_into__isnull=True).first()
    )
    if child is None:
        raise Http404
    return child


def _side(user, child, today) -> dict:
    details = details_for([child], today)[child.pk]
    return {
        "child": child,
        "age": child.age_on(today),
        "gender": gender_of(child),
        "address": details.address,
        "worker": details.worker,
        "team": details.team,
        "statuses": statuses_for([child.pk], today)[child.pk],
        "holds": _holdings(child),
    }


def _holdings(child) -> list[tuple[str, int]]:
    """What is recorded against the child, by kind (each relation's count: a fixed number of
    indexed counts, whatever the county)."""
    found = []
    for rel in services.child_relations():
        model = rel.related_model
        if model is Child:
            continue
        count = model._default_manager.filter(**{rel.field.name: child}).count()
        if count:
            name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            found.append((str(name), count))
    return found


@requires("people.merge_children")
def merge_children(request):
    """Pick the duplicate and the record to keep; see both side by side; confirm with a
    reason. Only records the manager may find can be named (others are answered as not held)."""
    step = request.POST.get("step", "") if request.method == "POST" else ""
    initial = {"duplicate": request.GET.get("duplicate", "")}
    pick = MergeForm(request.POST if step else None, initial=initial)
    if not step or not pick.is_valid():
        return render(request, "casework/children/merge.html", {"form": pick})
    found = {}
    for name in ("duplicate", "keep"):
        try:
            found[name] = _findable(request.user, pick.cleaned_data[name])
        except Http404:
            pick.add_error(name, "No record with this reference can be merged: check the reference")
    if pick.errors:
        return render(request, "casework/children/merge.html", {"form": pick})
    keep, duplicate = found["keep"], found["duplicate"]
    confirm = MergeConfirmForm(request.POST if step == "merge" else None)
    problems = services.merge_clashes(keep, duplicate)
    if step == "merge" and confirm.is_valid() and not problems:
        try:
            services.merge_children(
                keep=keep,
                duplicate=duplicate,
                by=request.user,
                reason=confirm.cleaned_data["reason"],
            )
        except ValidationError as error:
            problems = [m for messages in error.message_dict.values() for m in messages]
        else:
            return redirect("merged", duplicate.reference)
    today = timezone.localdate()
    for child in (keep, duplicate):
        audit.record(
            AuditEvent.Action.VIEW,
            request=request,
            child=child,
            obj=child,
            detail={"page": "merge"},
        )
    return render(
        request,
        "casework/children/compare.html",
        {
            "form": pick,
            "confirm": confirm,
            "problems": problems,
            "sides": [
                (
                    "Duplicate record (will point to the one kept)",
                    _side(request.user, duplicate, today),
                ),
                ("Record to keep", _side(request.user, keep, today)),
            ],
            "keep": keep,
            "duplicate": duplicate,
        },
    )


@requires("people.search_children")
def merged(request, reference):
    """A merged record's page: it says where the child's record now is."""
    child = get_object_or_404(Child, reference=reference, merged_into__isnull=False)
    if not scope.knows_of(request.user, child):
        raise Http404
    from harbour.people.selectors import resolve_merged

    kept = resolve_merged(child)
    if not scope.knows_of(request.user, kept):
        raise Http404
    return render(request, "casework/children/merged.html", {"child": child, "kept": kept})
