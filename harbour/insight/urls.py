from django.urls import path

from harbour.insight.views import children, dashboards, exports, quality

urlpatterns = [
    path("insight/", dashboards.index, name="insight"),
    path("insight/teams/<int:team_id>/", dashboards.team, name="dashboard-team"),
    path("insight/service/", dashboards.service, name="dashboard-service"),
    path("insight/director/", dashboards.director, name="dashboard-director"),
    path("insight/partnership/", dashboards.partnership, name="dashboard-partnership"),
    path(
        "insight/indicators/<str:indicator_id>/children/",
        children.behind,
        name="indicator-children",
    ),
    path("insight/data-quality/", quality.report, name="data-quality"),
    path("insight/data-quality/export.csv", quality.export, name="data-quality-csv"),
    path("insight/report.pdf", exports.report_pdf, name="performance-report-pdf"),
    path("insight/report.xlsx", exports.report_xlsx, name="performance-report-xlsx"),
]
