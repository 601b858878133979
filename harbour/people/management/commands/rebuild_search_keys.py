"""`harbour rebuild_search_keys`: rebuild Find a child's index (names' phonetic keys, postcode
keys) for every child, after a bulk load that wrote rows without the people services."""

from django.core.management.base import BaseCommand

from harbour.people.search import rebuild_keys


class Command(BaseCommand):
    help = "Rebuild the search keys of every child (names, former names, postcodes)."

    def handle(self, *args, **options):
        done = rebuild_keys()
        self.stdout.write(f"Search keys rebuilt for {done:,} children.")
