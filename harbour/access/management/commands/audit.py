"""harbour audit verify: check the audit log's chain and its checkpoints; a line changed, forged
or removed, or a checkpoint missing or forged, fails it."""

from django.core.management.base import BaseCommand, CommandError

from harbour.access import audit


class Command(BaseCommand):
    help = "Check that the audit log has not been changed, forged or cut short outside Harbour."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="read the checkpoints from FILE (e.g. the council's log store's copy of the "
            "harbour.audit.checkpoint lines) instead of HARBOUR_AUDIT_CHECKPOINTS",
        )

    def handle(self, *args, action, checkpoints=None, **options):
        found = audit.verify(checkpoints)
        self.stdout.write(
            f"The audit log has {found.lines:,} lines; {found.checkpoints:,} checkpoints read "
            f"from {found.checkpoints_from}."
        )
        for note in found.notes:
            self.stdout.write(note)
        if not found.holds:
            raise CommandError(
                "the audit log does not hold:\n" + "\n".join(f"- {p}" for p in found.problems)
            )
        newest = found.newest
        anchored = (
            f"; the newest checkpoint ({newest.when}) says {newest.sequence:,} lines"
            if newest
            else ""
        )
        self.stdout.write(
            f"The audit log's {found.lines:,} lines hold: nothing changed, forged or removed"
            f"{anchored}."
        )
