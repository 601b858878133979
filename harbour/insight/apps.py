from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "harbour.insight"
    label = "insight"
    verbose_name = "Insight: indicators, comparators, dashboards, data quality"
