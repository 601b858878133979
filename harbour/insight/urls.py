from django.urls import path

from harbour.insight.views import quality

urlpatterns = [
    path("insight/data-quality/", quality.report, name="data-quality"),
    path("insight/data-quality/export.csv", quality.export, name="data-quality-csv"),
]
