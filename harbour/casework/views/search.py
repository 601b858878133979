"""Find a child."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.http import urlencode

from harbour.access import audit, scope
from harbour.access.decorators import requires
from harbour.access.forms import SearchForm
from harbour.access.models import AuditEvent

SEARCH_PAGE = 25


@requires("people.search_children")
def search(request):
    """Find a child by name or reference, among the records the person may know of."""
    form = SearchForm(request.GET or None)
    results, page = [], None
    query = ""
    if form.is_valid() and (query := form.cleaned_data["q"].strip()):
        words = query.split()
        found = scope.findable_children(request.user)
        for word in words[:4]:
            found = found.filter(
                Q(reference__iexact=word) | Q(forename__icontains=word) | Q(surname__icontains=word)
            )
        # Paged, never cut short: every match can be reached.
        page = Paginator(found.order_by("surname", "forename", "pk"), SEARCH_PAGE).get_page(
            form.cleaned_data["page"]
        )
        matches = list(page.object_list)
        mine = set(
            scope.visible_children(request.user)
            .filter(pk__in=[c.pk for c in matches])
            .values_list("pk", flat=True)
        )
        results = [(c, c.pk in mine) for c in matches]
        audit.record(
            AuditEvent.Action.SEARCH,
            request=request,
            detail={
                "query": query[:100],
                "results": len(results),
                **audit.listed_children(c.pk for c in matches),
            },
        )
    return render(
        request,
        "casework/search.html",
        {
            "form": form,
            "results": results,
            "query": query,
            "page": page,
            "page_query": urlencode({"q": query}),
        },
    )
