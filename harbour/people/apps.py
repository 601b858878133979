from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "harbour.people"
    label = "people"
    verbose_name = "Children and families"
