"""harbour enrolment_code USERNAME: a one-time code with which USERNAME can set up an
authenticator app, printed once (only its HMAC is kept)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from harbour.access.second_factor import ENROLMENT_CODE_DAYS, issue_enrolment_code


class Command(BaseCommand):
    help = "Give a person a one-time enrolment code, to set up their authenticator app."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"username: there is no account called {username!r}")
        try:
            code = issue_enrolment_code(user=user, issued_by=None)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        self.stdout.write(
            f"Enrolment code for {username}: {code}\n"
            f"Give it to them in person or by phone. It works once, for {ENROLMENT_CODE_DAYS} "
            "days, after they sign in with their password."
        )
