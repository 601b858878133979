from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "harbour.oversight"
    label = "oversight"
    verbose_name = "Management oversight and audit"
