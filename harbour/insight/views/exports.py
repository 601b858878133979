"""The performance report's downloads: the PDF report and the workbook of its numbers, for the
authority or one team, each download written to the audit log.

They hold numbers only, never a child, so anyone who may see the partnership's dashboard may
have the authority's report; a team's is for those who may see that team's dashboard.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from harbour.access import audit
from harbour.access.models import AuditEvent
from harbour.insight.exports import Report, report
from harbour.insight.performance import AUTHORITY, Reading, Scope
from harbour.insight.views.limits import allowance, limited
from harbour.insight.views.picture import PictureForm, team_field


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


class ReportForm(PictureForm):
    """The report asked for: as a dashboard's figures (a year by default), and the team."""

    DEFAULT_PERIOD = "year"
    team = team_field()


def _download(request, kind: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = ReportForm(request.GET)
    valid = form.is_valid()
    # Who may have it is settled before what they asked for is checked.
    team = None if "team" in form.errors else form.cleaned_data.get("team")
    permission = "insight.view_team_dashboard" if team else "insight.view_partnership_dashboard"
    if not request.user.has_perm(permission, team):
        raise PermissionDenied
    if not valid:
        context = {"form": form, "team": team, "title": "Download the performance report"}
        return render(request, "insight/refused.html", context, status=400)
    as_of, period = form.cleaned_data["as_of"], form.cleaned_data["period"]
    scope = Scope(team.pk) if team else AUTHORITY
    body, made = _made(kind, Reading(as_of, starting=allowance(request)), period, scope)
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


def _made(kind: str, reading: Reading, period: str, scope) -> tuple[bytes, Report]:
    """The file and its report, made once for each picture every process shares (the
    dashboards' for a minute): a page's readers downloading it together wait once."""
    made = report(reading.as_of, period, scope, reading=reading)
    key = ("report", kind, period, scope.key, made.read_at.timestamp())
    body = reading.shared(key, lambda: KINDS_OF_FILE[kind][1](made.rows, **made.kwargs()))
    return body, made


@require_GET
@limited
def report_pdf(request):
    return _download(request, "pdf")


@require_GET
@limited
def report_xlsx(request):
    return _download(request, "xlsx")
