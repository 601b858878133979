"""harbour audit verify: check the audit log's chain; a line changed or removed breaks it."""

from django.core.management.base import BaseCommand, CommandError

from harbour.access import audit


class Command(BaseCommand):
    help = "Check that the audit log has not been changed outside Harbour."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        checked, broken = audit.verify()
        if broken is not None:
            raise CommandError(
                f"the audit log's chain breaks at line {broken.pk} ({broken.at:%Y-%m-%d %H:%M}, "
                f"{broken.username or 'no user'}, {broken.action}): a line there was changed, "
                f"removed or added outside Harbour; {checked:,} lines before it hold"
            )
        self.stdout.write(f"The audit log's {checked:,} lines hold: nothing changed or removed.")
