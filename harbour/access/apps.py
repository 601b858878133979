from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "harbour.access"
    label = "access"
    verbose_name = "Access"

    def ready(self):
        from harbour.access import signals  # noqa: F401 (connects the receivers)
