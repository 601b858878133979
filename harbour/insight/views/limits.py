"""How many new figures one person may have worked out a minute.

Figures someone asked for in the last minute come from the shared cache and cost nothing; new
ones cost seconds of the server's time. Each person may open a few pages a minute that start
new figures (settings.HARBOUR_INSIGHT_NEW_FIGURES, django-ratelimit's rate: "6/m"); past that
they are asked to wait, with a 429 page saying how long.
"""

import math
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

from harbour.insight import shared

GROUP = "harbour.insight.new-figures"


class Busy(Exception):
    """The person has started as many new figures as they may this minute."""

    def __init__(self, wait: int):
        super().__init__(f"try again in {wait} seconds")
        self.wait = wait


def _person(group, request) -> str:
    return f"{shared.generation()}:{request.user.pk}"


def allowance(request):
    """A `starting` for performance.Reading: the first new figures a request starts count
    once against the person's allowance (a dashboard's picture, charts and teams are one
    page); over it, Busy."""
    counted = False

    def starting() -> None:
        nonlocal counted
        if counted:
            return
        counted = True
        rate = settings.HARBOUR_INSIGHT_NEW_FIGURES
        usage = get_usage(request, group=GROUP, key=_person, rate=rate, increment=True)
        if usage is not None and usage["should_limit"]:
            raise Busy(max(1, math.ceil(usage["time_left"])))

    return starting


def limited(view):
    """The view, or the page asking the person to wait when their allowance is spent."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Busy as busy:
            response = render(request, "insight/busy.html", {"wait": busy.wait}, status=429)
            response["Retry-After"] = str(busy.wait)
            return response

    return wrapped
