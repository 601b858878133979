"""harbour demo: the synthetic county and its demo logins, for `make run`."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from harbour.authority.models import Authority
from harbour.synth.demo import DEMO_PASSWORD, ensure_demo_logins
from harbour.synth.sizes import SIZES


class Command(BaseCommand):
    help = "Load a synthetic county on first run, then print one demo login per role."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="medium")
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, size, years, seed, **options):
        authority = Authority.current()
        if authority is None:
            truth = Path(settings.DATA_DIR) / "demo-truth.json"
            self.stdout.write(f"First run: generating a synthetic {size} county ({years} years)...")
            call_command(
                "synth",
                size=size,
                years=years,
                seed=seed,
                truth=truth,
                end=date.today(),
                stdout=self.stdout,
                stderr=self.stderr,
            )
            self.stdout.write(f"The practice failures it injected are listed in {truth}")
            authority = Authority.current()
            from harbour.insight.published.loading import load_shipped

            self.stdout.write("Loading the Department's published figures for comparison...")
            load_shipped()
        elif "(synthetic)" not in authority.name:
            raise CommandError(
                f"this database holds {authority.name}, not a synthetic county: demo logins are "
                "only made for synthetic data"
            )
        logins = ensure_demo_logins()
        width = max(len(login.role) for login in logins)
        self.stdout.write("")
        self.stdout.write(
            f"{authority.name}: demo logins (password for every one: {DEMO_PASSWORD})"
        )
        for login in logins:
            self.stdout.write(
                f"  {login.role:<{width}}  {login.username:<22} {login.name}, {login.team}"
            )
        self.stdout.write(
            "Open http://127.0.0.1:8000 and sign in as any of them; the "
            "administrator also has the administration site (configuration only) at /admin/."
        )
