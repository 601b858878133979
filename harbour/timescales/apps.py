from django.apps import AppConfig


class TimescalesConfig(AppConfig):
    name = "harbour.timescales"
    label = "timescales"
