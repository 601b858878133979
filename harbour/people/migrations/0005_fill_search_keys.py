"""Fill Find a child's index for the children already held."""

from django.db import migrations


def fill(apps, schema_editor):
    from harbour.people.search import rebuild_keys

    rebuild_keys(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("people", "0004_search_keys_former_names_merge")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
