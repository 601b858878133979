from django.apps import AppConfig


class AuthorityConfig(AppConfig):
    name = "harbour.authority"
    label = "authority"
    verbose_name = "The authority"
