"""Statutory returns for performance officers: make one, watch it being made and checked with
the Department's rules, fix what fails, then download it."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from harbour.access import audit
from harbour.access.decorators import requires
from harbour.access.models import AuditEvent
from harbour.people.models import Child
from harbour.returns import making
from harbour.returns.forms import AnnexAForm, YearReturnForm
from harbour.returns.models import ReturnRun

PERMISSION = "returns.make_returns"


def _start(run: ReturnRun) -> None:
    """Make the return in a process of its own, so a long run outlives the request; its state
    is in the database. Tests (and small installs) may make it in the request instead."""
    if not settings.HARBOUR_RETURNS_IN_BACKGROUND:
        making.make(run)
        return
    # Started once the request's transaction has committed: the process reads the run's row.
    transaction.on_commit(
        lambda: subprocess.Popen(
            [sys.executable, "-m", "harbour.cli", "make_return", str(run.pk)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    )


@requires(PERMISSION)
def returns(request):
    forms = {
        "cin": YearReturnForm(prefix="cin"),
        "903": YearReturnForm(prefix="903"),
        "annex-a": AnnexAForm(prefix="annex-a"),
    }
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind not in forms:
            raise Http404
        form_class = AnnexAForm if kind == "annex-a" else YearReturnForm
        form = forms[kind] = form_class(request.POST, prefix=kind)
        if form.is_valid():
            run = ReturnRun.objects.create(
                kind=kind,
                year=form.cleaned_data.get("year"),
                as_of=form.cleaned_data.get("as_of"),
                requested_by=request.user,
            )
            _start(run)
            return redirect("return-run", run_id=run.pk)
    runs = ReturnRun.objects.select_related("requested_by")[:20]
    return render(request, "returns/index.html", {"forms": forms, "runs": runs})


def _run(request, run_id: int):
    return get_object_or_404(ReturnRun, pk=run_id)


@requires(PERMISSION, _run)
def return_run(request, run_id: int, obj: ReturnRun):
    failures = sorted(obj.failures, key=lambda f: (_is_query(f), f["rule"], f["child"] or ""))
    references = {f["child"] for f in failures if f["child"]}
    known = set(Child.objects.filter(reference__in=references).values_list("reference", flat=True))
    errors = sum(not _is_query(f) for f in failures)
    return render(
        request,
        "returns/run.html",
        {
            "run": obj,
            "working": obj.state in (ReturnRun.State.QUEUED, ReturnRun.State.RUNNING),
            "failures": [dict(f, query=_is_query(f), known=f["child"] in known) for f in failures],
            "errors": errors,
            "queries": len(failures) - errors,
        },
    )


def _is_query(failure: dict) -> bool:
    return failure["rule"].endswith("Q") or failure["kind"] in ("query", "Query")


@requires(PERMISSION, _run)
def download(request, run_id: int, obj: ReturnRun):
    if obj.state != ReturnRun.State.DONE or not obj.output or not Path(obj.output).exists():
        raise Http404
    audit.record(
        AuditEvent.Action.EXPORT,
        request=request,
        obj=obj,
        detail={"what": obj.get_kind_display(), "year": obj.year, "as_of": str(obj.as_of or "")},
    )
    path = Path(obj.output)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@requires(PERMISSION, _run)
@require_POST
def remake(request, run_id: int, obj: ReturnRun):
    """Make the same return again, after the records behind its failures are fixed."""
    run = ReturnRun.objects.create(
        kind=obj.kind, year=obj.year, as_of=obj.as_of, requested_by=request.user
    )
    _start(run)
    return redirect("return-run", run_id=run.pk)
