from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "harbour.journey"
    label = "journey"
    verbose_name = "The child's journey"
