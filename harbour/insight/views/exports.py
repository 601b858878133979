"""The performance report's downloads: the PDF report and the workbook of its numbers, for the
authority or one team, each download written to the audit log.

They hold numbers only, never a child, so anyone who may see the partnership's dashboard may
have the authority's report; a team's is for those who may see that team's dashboard.
"""

import threading
from datetime import date

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from harbour.access import audit
from harbour.access.models import AuditEvent
from harbour.insight.exports import Report, report
from harbour.insight.indicators.periods import KINDS
from harbour.insight.performance import AUTHORITY, Scope, authority_inputs
from harbour.workforce.models import Team


def _pdf(rows, **details) -> bytes:
    # reportlab and matplotlib are imported by the first download, not by every start-up.
    from harbour.insight.exports.pdf import performance_pdf

    return performance_pdf(rows, **details)


def _workbook(rows, **details) -> bytes:
    from harbour.insight.exports.workbook import performance_workbook

    return performance_workbook(rows, **details)


KINDS_OF_FILE = {
    "pdf": ("application/pdf", _pdf),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _workbook),
}


_LOCK = threading.Lock()
_MADE: dict[tuple, tuple[bytes, Report]] = {}
KEEP = 8  # files: a few scopes and periods, each up to a megabyte or so


class Refused(ValueError):
    """A request the report cannot be made for; the message says why, in one line."""


def choices(query) -> tuple[date, str]:
    """The day and period asked for: as_of (YYYY-MM-DD, default today, not in the future) and
    period (year, quarter or month; default year)."""
    today = timezone.localdate()
    text = (query.get("as_of") or "").strip()
    try:
        as_of = date.fromisoformat(text) if text else today
    except ValueError:
        raise Refused(f"as_of: {text!r} is not a date (YYYY-MM-DD)") from None
    if as_of > today:
        raise Refused(f"as_of: {as_of.isoformat()} is in the future; give today or a day before")
    period = (query.get("period") or "year").strip()
    if period not in KINDS:
        raise Refused(f"period: {period!r} is not one of {', '.join(KINDS)}")
    return as_of, period


def _team(query) -> Team | None:
    text = (query.get("team") or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise Refused(f"team: {text!r} is not a team's id")
    return get_object_or_404(Team, pk=int(text))


def _download(request, kind: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        team = _team(request.GET)
    except Refused as refused:
        return _refuse(refused)
    permission = "insight.view_team_dashboard" if team else "insight.view_partnership_dashboard"
    if not request.user.has_perm(permission, team):
        raise PermissionDenied
    try:
        as_of, period = choices(request.GET)
    except Refused as refused:
        return _refuse(refused)
    scope = Scope(team.pk) if team else AUTHORITY
    body, made = _made(kind, as_of, period, scope)
    content_type = KINDS_OF_FILE[kind][0]
    name = f"performance-report-{scope.key}-{as_of}-{period}.{kind}"
    audit.record(
        AuditEvent.Action.EXPORT,
        request=request,
        obj=team,
        detail={
            "what": f"performance report ({kind})",
            "scope": made.scope_name,
            "as_of": as_of.isoformat(),
            "period": period,
        },
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _made(kind: str, as_of: date, period: str, scope) -> tuple[bytes, Report]:
    """The file and its report, made once for each reading of the county (shared with the
    dashboards for a minute): a page's readers downloading it together wait once."""
    inputs = authority_inputs(as_of)
    key = (kind, as_of, period, scope.key, getattr(inputs, "read_at", None))
    with _LOCK:
        if key in _MADE:
            return _MADE[key]
    made = report(as_of, period, scope, inputs=inputs)
    body = KINDS_OF_FILE[kind][1](made.rows, **made.kwargs())
    with _LOCK:
        while len(_MADE) >= KEEP:
            _MADE.pop(next(iter(_MADE)))
        _MADE[key] = (body, made)
    return body, made


def _refuse(refused: Refused) -> HttpResponse:
    return HttpResponseBadRequest(str(refused), content_type="text/plain; charset=utf-8")


@require_GET
def report_pdf(request):
    return _download(request, "pdf")


@require_GET
def report_xlsx(request):
    return _download(request, "xlsx")
