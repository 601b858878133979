from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "harbour.people"
    label = "people"
    verbose_name = "Children and families"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from harbour.people.models import Child, FormerName
        from harbour.people.search import keep_keys

        # Every save of a child or a former name keeps the search keys true (bulk loads call
        # rebuild_keys themselves).
        post_save.connect(keep_keys, sender=Child, dispatch_uid="people.child_keys")
        post_save.connect(keep_keys, sender=FormerName, dispatch_uid="people.former_keys")
        post_delete.connect(keep_keys, sender=FormerName, dispatch_uid="people.former_gone")
