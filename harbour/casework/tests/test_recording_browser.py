"""The recording foundation in Chromium: a long form kept as a draft as the person types, kept
still when the session has ended, and given back after signing in again; GOV.UK's timeout
warning before a session ends, with "Stay signed in"; and axe on the form, empty, with errors
and with the warning open."""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from harbour.access.models import Draft
from harbour.access.tests.world import PASSWORD, build
from harbour.casework import recording
from harbour.casework.tests.test_recording import EntryForm, _save
from harbour.journey.models import ChronologyEntry
from harbour.web.tests.browser import (  # noqa: F401 (fixtures)
    accessibility_violations,
    axe_path,
    browser,
    page,
    shoot,
    shots_folder,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def step():
    made = recording.Step(
        key="test-entry",
        title="Record a test entry",
        done="Test entry recorded",
        form=EntryForm,
        save=_save,
        model=ChronologyEntry,
        long=True,
    )
    recording.steps()
    recording.STEPS[made.key] = made
    yield made
    del recording.STEPS[made.key]


def test_a_draft_survives_the_session_ending_and_the_warning_comes_first(
    page,  # noqa: F811
    axe_path,  # noqa: F811
    step,
    tmp_path,
):
    world = build()
    shots = shots_folder(tmp_path)
    url = reverse("record-step", args=[world.children["ours"].reference, "test-entry"])
    page.clock.install()
    sign_in(page, "social_worker", PASSWORD)
    page.goto(url)
    assert accessibility_violations(page, axe_path) == []

    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("There is a problem").wait_for()
    assert accessibility_violations(page, axe_path) == []

    # Typing is kept a few seconds later, without pressing anything.
    page.get_by_label("What happened?").fill("She told me about the new flat")
    page.clock.run_for(5000)
    page.get_by_text(re.compile("Draft saved at")).wait_for()
    assert Draft.objects.get(path=url).fields["summary"] == ["She told me about the new flat"]

    # Two minutes before the session ends, the warning; staying signed in closes it.
    page.clock.run_for((settings.SESSION_COOKIE_AGE - 115) * 1000)
    dialog = page.get_by_role("dialog", name="You're about to be signed out")
    dialog.wait_for()
    assert accessibility_violations(page, axe_path) == []
    page.screenshot(path=str(shots / "timeout-warning-1280.png"))
    dialog.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")

    # The session ends (on the server) while she is still typing: what she typed is kept.
    Session.objects.all().delete()
    page.get_by_label("What happened?").fill("She told me about the new flat and the school")
    page.clock.run_for(5000)
    page.get_by_text(re.compile("You have been signed out")).wait_for()
    draft = Draft.objects.get(path=url)
    assert draft.fields["summary"] == ["She told me about the new flat and the school"]

    # Signing in again brings her back to the form, with her draft.
    page.goto(url)
    page.get_by_label("Username").fill("social_worker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("This is what you were writing at").wait_for()
    shoot(page, shots, "draft-restored")
    assert page.get_by_label("What happened?").input_value() == (
        "She told me about the new flat and the school"
    )
