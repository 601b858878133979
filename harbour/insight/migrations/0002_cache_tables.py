"""The tables of the caches every process shares (settings.CACHES: Insight's figures, kept a
minute), made by Django's own createcachetable so a fresh database has them after migrate."""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    existing = schema_editor.connection.introspection.table_names()
    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, DatabaseCache) and cache._table in existing:
            schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(cache._table)}")


class Migration(migrations.Migration):
    dependencies = [("insight", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
