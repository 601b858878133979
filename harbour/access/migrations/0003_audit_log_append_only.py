"""The audit log refuses updates and deletes in the database itself."""

from django.db import migrations

from harbour.access.migrations import _append_only


def forwards(apps, schema_editor):
    _append_only.create(schema_editor)


def backwards(apps, schema_editor):
    _append_only.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("access", "0002_restrictions_reasoned_access_and_audit_log")]
    operations = [migrations.RunPython(forwards, backwards)]
