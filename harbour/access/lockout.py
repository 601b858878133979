"""Sign-in lockout: five wrong passwords for a username from one address, or twenty from one
address across every username (a password sprayed at many accounts), within the cool-off
time lock that username, or that whole address, for the cool-off time."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AccountAndAddressHandler(AxesDatabaseHandler):
    """django-axes counts failures by username and address (AXES_LOCKOUT_PARAMETERS, limit
    AXES_FAILURE_LIMIT); this adds the count by address alone, with its own, higher limit."""

    def get_failures(self, request, credentials=None) -> int:
        by_account = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if address is None:
            return by_account
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        by_address = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        if by_address >= settings.HARBOUR_ADDRESS_FAILURE_LIMIT:
            # Reported as at the account limit, so that axes locks this username too.
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account
