from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "harbour.casework"
    label = "casework"
    verbose_name = "Casework screens"
