"""harbour retention: list the records whose retention has ended, or destroy one child's."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from harbour.access import retention
from harbour.people.models import Child


class Command(BaseCommand):
    help = "List children whose records are past retention, or destroy one child's records."

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="List records past retention (the default)."
        )
        parser.add_argument("--destroy", metavar="REFERENCE")
        parser.add_argument("--reason", default="")
        parser.add_argument(
            "--confirm", action="store_true", help="Needed with --destroy: this cannot be undone."
        )

    def handle(self, *args, destroy, reason, confirm, **options):
        if destroy:
            child = Child.objects.filter(reference=destroy).first()
            if child is None:
                raise CommandError(f"--destroy: no child with reference {destroy!r}")
            if len(reason.strip()) < 10:
                raise CommandError("--reason: say why, in a sentence (it goes in the audit log)")
            if not confirm:
                raise CommandError("--destroy cannot be undone: add --confirm to go ahead")
            until = retention.keep_until(child)
            if until is not None and until > date.today():
                raise CommandError(
                    f"{destroy}'s records must be kept until {until:%d %B %Y}: nothing destroyed"
                )
            counts = retention.destroy(child, reason.strip())
            self.stdout.write(f"Destroyed {sum(counts.values()):,} records of {destroy}.")
            return
        for child in retention.due_for_destruction(date.today()):
            self.stdout.write(f"{child.reference}\tkeep until {retention.keep_until(child)}")
