"""The family file: every child of the household together, with one merged timeline, so the
family's story reads as one narrative.

The household is the child and their brothers and sisters (children sharing a parent's record
or linked as siblings). Only children the viewer may see have their records shown, and each
of them is in the audit log as viewed; a brother or sister the viewer may not see is named
with a way to ask (if they have one), and a restricted one is not shown at all."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from harbour.access import scope
from harbour.access.decorators import requires
from harbour.casework import family as families
from harbour.casework.forms.record import TimelineFilterForm
from harbour.casework.status import statuses_for
from harbour.casework.views.record import age_words, header, known_child, moved, viewed
from harbour.journey.selectors import KINDS, TimelinePages
from harbour.people.models import Child
from harbour.workforce.models import Allocation

FAMILY_PAGE = 30


def _adults(shown, children) -> list[dict]:
    """The family members of the children shown, each with whom they are related to and how."""
    from harbour.people.models import Relationship

    forenames = [c.forename for c in children.values()]

    def called(child):
        if forenames.count(child.forename) > 1 and child.date_of_birth:
            return f"{child.forename} (born {child.date_of_birth.year})"
        return child.forename

    found: dict = {}
    for r in (
        Relationship.objects.filter(child_id__in=shown)
        .select_related("family_member")
        .order_by("family_member__surname", "family_member__forename", "family_member_id")
    ):
        if r.kind == Relationship.Kind.SIBLING and r.family_member.child_record_id in children:
            continue  # a brother or sister already among the children
        entry = found.setdefault(r.family_member_id, {"member": r.family_member, "to": {}})
        entry["to"].setdefault(r.get_kind_display().lower(), []).append(
            called(children[r.child_id])
        )
    return [
        {
            "member": e["member"],
            "how": "; ".join(f"{kind} of {', '.join(names)}" for kind, names in e["to"].items()),
        }
        for e in found.values()
    ]


@requires("people.open_record", known_child)
def family_file(request, reference, obj):
    record = obj
    if response := moved(request, record, reference):
        return response
    today = timezone.localdate()
    ids = families.household(record)
    others = [i for i in ids if i != record.pk]
    knowable = set(
        scope.knowable_children(request.user).filter(pk__in=others).values_list("pk", flat=True)
    )
    visible = {record.pk} | set(
        scope.visible_children(request.user, among=others).values_list("pk", flat=True)
    )
    children = Child.objects.in_bulk([i for i in ids if i in visible or i in knowable])
    shown = [i for i in ids if i in visible]
    for i in shown:
        viewed(request, children[i], "family file", obj=children[i])
    statuses = statuses_for(shown, today)
    workers = {}
    for a in (
        Allocation.objects.filter(child_id__in=shown, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .select_related("worker", "team")
        .order_by("starts_on")
    ):
        workers[a.child_id] = a
    way_in = scope.way_in(request.user, record) is not None
    members = []
    for i in ids:
        if i not in children:
            continue
        child = children[i]
        members.append(
            {
                "child": child,
                "age": child.age_on(today),
                "age_words": age_words(child, today),
                "visible": i in visible,
                "may_ask": i not in visible and way_in,
                "statuses": statuses.get(i, []),
                "allocation": workers.get(i),
                "is_this_child": i == record.pk,
            }
        )
    adults = _adults(shown, children)
    form = TimelineFilterForm(request.GET or None)
    kinds = form.kinds()
    events = TimelinePages(shown, kinds)
    counts = events.counts
    page = Paginator(events, FAMILY_PAGE).get_page(form.page_number())
    names = {i: children[i] for i in shown}
    full_names = [c.name for c in names.values()]
    labels = {
        i: f"{c.name} (born {c.date_of_birth.year})"
        if full_names.count(c.name) > 1 and c.date_of_birth
        else c.name
        for i, c in names.items()
    }
    return render(
        request,
        "casework/family/family_file.html",
        {
            **header(request, record, "family-file", today),
            "members": members,
            "adults": adults,
            "form": form,
            "kind_options": [
                (k, label, counts[k], k in (kinds or ())) for k, label in KINDS.items()
            ],
            "page": page,
            "events": [(e, names[e.child_id], labels[e.child_id]) for e in page.object_list],
            "total": len(events),
            "filtered": bool(kinds),
            "page_query": urlencode([("kind", k) for k in kinds or ()]),
            "several": len(shown) > 1,
        },
    )
