"""Find a child: tolerant of spelling, by name, date of birth, identifier or postcode, ranked
by likelihood, paged, and only among the children the person may know of."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from harbour.access import audit, scope
from harbour.access.decorators import requires
from harbour.access.models import AuditEvent
from harbour.casework.forms.search import SearchForm
from harbour.casework.status import statuses_for
from harbour.codes import code_list
from harbour.people.selectors import RANKED, details_for, find_children

SEARCH_PAGE = 25


@dataclass
class Row:
    """One result as the page shows it."""

    child: object
    mine: bool
    score: float
    reasons: tuple
    age: int | None
    address: object
    worker: object
    team: object
    statuses: list

    @property
    def gender(self) -> str:
        return gender_of(self.child)

    @property
    def likelihood(self) -> tuple[str, str]:
        """In words, with a GOV.UK tag colour: how likely the child is the one asked for."""
        if self.score < 0.6 and any(r.startswith("brother or sister") for r in self.reasons):
            return "Brother or sister", "yellow"
        if self.score >= 0.85:
            return "Very likely", "green"
        if self.score >= 0.6:
            return "Likely", "blue"
        return "Possible", "grey"


def gender_of(child) -> str:
    """The child's sex as recorded for the returns, and their gender as they describe it
    where that is recorded: "Female", "Male (Non-binary)"."""
    sex = {"F": "Female", "M": "Male"}.get(child.sex, "Sex not known")
    plain = {("F", "GIRL"), ("M", "BOY")}
    if child.gender_identity and (child.sex, child.gender_identity) not in plain:
        return f"{sex} ({code_list('gender_identity').label(child.gender_identity)})"
    return sex


def _described(question) -> str:
    said = [" ".join(question.words)] if question.words else []
    if question.date_of_birth:
        said.append(f"born {question.date_of_birth:%-d %B %Y}")
    if question.identifier:
        said.append(question.identifier)
    if question.postcode:
        said.append(question.postcode.upper())
    if question.street:
        said.append(question.street)
    return ", ".join(said)


@requires("people.search_children")
def search(request):
    """Find a child among the records the person may know of (restricted ones only with a
    grant; merged records never)."""
    form = SearchForm(request.GET or None)
    results, rows, page, answer, query = [], [], None, None, ""
    if form.is_valid() and (question := form.question()):
        query = _described(question)
        today = timezone.localdate()
        answer = find_children(question, among=scope.findable_children(request.user))
        # Paged, never cut short: every match ranked can be reached.
        page = Paginator(answer.found, SEARCH_PAGE).get_page(form.cleaned_data["page"])
        found = list(page.object_list)
        children = [f.child for f in found]
        ids = [c.pk for c in children]
        mine = set(scope.visible_children(request.user, among=ids).values_list("pk", flat=True))
        details = details_for(children, today)
        statuses = statuses_for(ids, today) if ids else {}
        for f in found:
            held = details[f.child.pk]
            rows.append(
                Row(
                    child=f.child,
                    mine=f.child.pk in mine,
                    score=f.score,
                    reasons=f.reasons,
                    age=f.child.age_on(today),
                    address=held.address,
                    worker=held.worker,
                    team=held.team,
                    statuses=statuses.get(f.child.pk, []),
                )
            )
        results = [(row.child, row.mine) for row in rows]
        audit.record(
            AuditEvent.Action.SEARCH,
            request=request,
            detail={
                "query": query[:100],
                "results": len(results),
                "found": answer.total,
                **audit.listed_children(ids),
            },
        )
    return render(
        request,
        "casework/search.html",
        {
            "form": form,
            "results": results,
            "rows": rows,
            # How likely each is, shown only where the results differ in it.
            "graded": len({row.likelihood for row in rows}) > 1,
            "query": query,
            "answer": answer,
            "ranked": RANKED,
            "page": page,
            "page_query": urlencode(form.query_string_fields()) if form.is_bound else "",
            "today": timezone.localdate(),
        },
    )
