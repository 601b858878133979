"""harbour make_return RUN_ID: make a return a performance officer asked for on the returns
page (started by the page in a process of its own)."""

from django.core.management.base import BaseCommand

from harbour.returns import making
from harbour.returns.models import ReturnRun


class Command(BaseCommand):
    help = "Make the return a ReturnRun asks for, recording progress and outcome on the run."

    def add_arguments(self, parser):
        parser.add_argument("run_id", type=int)

    def handle(self, *args, run_id, **options):
        run = making.make(ReturnRun.objects.get(pk=run_id))
        self.stdout.write(f"{run}: {run.error or run.output}")
