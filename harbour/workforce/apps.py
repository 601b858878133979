from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "harbour.workforce"
    label = "workforce"
    verbose_name = "Workforce"
